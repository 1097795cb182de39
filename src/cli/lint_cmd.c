/* lint_cmd.c - `bulletin lint [--fix] FILE...`: prints the proofreader's
 * findings (src/lint) in the compiler convention and, with --fix, rewrites
 * the files atomically. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "cli.h"
#include "lint/lint.h"
#include "parse/parse.h"

static const char *const usage_lint =
    "usage: bulletin lint [--fix] [--rule NAME]... [--no-rule NAME]... INPUT.txt...\n"
    "       bulletin lint --list-rules\n"
    "\n"
    "Proofreads the text of each input (punctuation, quotes, digits, spaces, heading\n"
    "numbers, 版记) and prints each finding as FILE:LINE:COL: warning: MESSAGE [rule]\n"
    "with the line quoted. Exits 1 when anything is found, 0 when nothing is.\n"
    "  --fix           rewrite what is safe to rewrite (atomically, keeping the\n"
    "                  file's encoding and line ends) and report what is left\n"
    "  --rule NAME     run only the rules named (repeatable)\n"
    "  --no-rule NAME  do not run rule NAME (repeatable)\n"
    "  --list-rules    print the rules and whether --fix applies them\n"
    "The rules are described in docs/lint.md.\n";

static int lint_usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "bulletin lint: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'bulletin lint --help'.\n");
    return EXIT_USAGE;
}

static void finding_error(const char *path, const bl_lint_finding *f, bl_error *e)
{
    bl_error_clear(e);
    e->code = BL_ERR_SYNTAX;
    snprintf(e->file, sizeof e->file, "%s", path);
    e->line = f->line;
    e->col = f->col;
    snprintf(e->message, sizeof e->message, "%s [%s]", f->message,
             bl_lint_rules()[f->rule].name);
}

static int lint_one(const char *path, const bl_lint_opts *opts)
{
    bl_error err;
    bl_error_clear(&err);
    char *data = NULL;
    size_t len = 0;
    if (bl_read_file(path, bl_doc_input_limit(), &data, &len, &err) != BL_OK) {
        cli_print_diag(stderr, "error", &err);
        return cli_exit_status(&err);
    }
    bl_lint_result *r = NULL;
    bl_status st = bl_lint_run(data, len, path, opts, &r, &err);
    free(data);
    if (st != BL_OK) {
        cli_print_diag(stderr, "error", &err);
        return cli_exit_status(&err);
    }
    size_t outlen = 0;
    const char *out = bl_lint_output(r, &outlen);
    if (out && bl_write_file_atomic(path, out, outlen, &err) != BL_OK) {
        cli_print_diag(stderr, "error", &err);
        bl_lint_free(r);
        return cli_exit_status(&err);
    }
    bl_error e;
    size_t nfixed = bl_lint_fixed_count(r), nleft = bl_lint_count(r), nfixable = 0;
    for (size_t i = 0; i < nfixed; i++) {
        finding_error(path, bl_lint_fixed_get(r, i), &e);
        printf("%s:%d:%d: fixed: %s\n", path, e.line, e.col, e.message);
    }
    for (size_t i = 0; i < nleft; i++) {
        const bl_lint_finding *f = bl_lint_get(r, i);
        finding_error(path, f, &e);
        cli_print_diag_line(stdout, "warning", &e, f->src, f->src_len);
        nfixable += f->fixable != 0;
    }
    if (opts->fix && (nfixed || nleft))
        printf("%s: fixed %zu, %zu left for a person\n", path, nfixed, nleft);
    else if (nleft)
        printf("%s: %zu finding%s, %zu fixable with --fix\n", path, nleft,
               nleft == 1 ? "" : "s", nfixable);
    else
        printf("%s: no findings\n", path);
    bl_lint_free(r);
    return nleft ? EXIT_INVALID : 0;
}

int cli_cmd_lint(int argc, char **argv)
{
    bl_lint_opts opts = bl_lint_defaults();
    unsigned only = 0, off = 0;
    int n = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_lint, stdout);
            return 0;
        } else if (strcmp(a, "--list-rules") == 0) {
            const bl_lint_rule_info *ri = bl_lint_rules();
            for (int k = 0; k < BL_LINT_NRULES; k++)
                printf("  %-14s %-8s %s\n", ri[k].name, ri[k].fixable ? "--fix" : "person",
                       ri[k].summary);
            return 0;
        } else if (strcmp(a, "--fix") == 0) {
            opts.fix = 1;
        } else if (strcmp(a, "--rule") == 0 || strcmp(a, "--no-rule") == 0) {
            if (i + 1 >= argc)
                return lint_usage_error("option '%s' needs a rule name", a);
            int r = bl_lint_rule_by_name(argv[++i]);
            if (r < 0)
                return lint_usage_error("unknown rule '%s' (see 'bulletin lint --list-rules')",
                                        argv[i]);
            if (a[2] == 'r')
                only |= 1u << r;
            else
                off |= 1u << r;
        } else if (a[0] == '-' && a[1]) {
            return lint_usage_error("unknown option '%s'", a);
        } else {
            n++;
        }
    }
    if (n == 0)
        return lint_usage_error("%sno input file given", "");
    opts.rules = (only ? only : opts.rules) & ~off;
    int rc = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--rule") == 0 || strcmp(a, "--no-rule") == 0) {
            i++;
            continue;
        }
        if (a[0] == '-' && a[1])
            continue;
        int r = lint_one(a, &opts);
        if (r > rc)
            rc = r;
    }
    return rc;
}
