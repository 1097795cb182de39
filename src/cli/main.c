/* main.c - the `bulletin` command: argument parsing and the commands
 * render, check and batch. The only place that prints or exits. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *const usage_main =
    "usage: bulletin COMMAND [ARGS]\n"
    "\n"
    "Typesets a Chinese official bulletin (简报/专报) from a plain-text issue\n"
    "description into a print-ready A4 PDF.\n"
    "\n"
    "commands:\n"
    "  render INPUT.txt [-o OUT.pdf] [--format NAME] [--layout NAME|FILE]\n"
    "         [--dump-layout FILE.json] [--pdfa=1b|2b]\n"
    "                    typeset one issue (default output: INPUT.pdf)\n"
    "  check INPUT.txt...\n"
    "                    everything render does but writing; print a summary\n"
    "  batch INPUTS... -o OUTDIR [-j N] [--format NAME] [--layout NAME|FILE]\n"
    "        [--changed] [--shard K/N] [--report FILE.json]\n"
    "                    typeset many issues (files or directories of *.txt)\n"
    "  lint INPUT.txt... [--fix] [--rule NAME] [--no-rule NAME]\n"
    "                    proofread the text (punctuation, digits, headings, 版记)\n"
    "  serve [DIR] [--port N] [--host ADDRESS]\n"
    "                    edit the issues of DIR in the browser, with a live preview\n"
    "\n"
    "options: --help (also after a command), --version\n"
    "exit status: 0 success, 1 invalid input, 2 usage error, 3 I/O or internal error\n"
    "The input format is described in docs/format.md, layouts in docs/layouts.md.\n";

static const char *const usage_render =
    "usage: bulletin render INPUT.txt [-o OUT.pdf] [--format NAME] [--layout NAME|FILE]\n"
    "                       [--dump-layout FILE.json] [--pdfa=1b|2b]\n"
    "\n"
    "Typesets INPUT.txt into a PDF (by default INPUT.pdf beside the input).\n"
    "  -o, --output OUT.pdf    where to write the output (written atomically); its\n"
    "                          extension picks the format; SVG is a file per\n"
    "                          page (OUT-1.svg, OUT-2.svg, ...)\n"
    "  --format NAME           the output format, whatever the extension (formats:\n"
    "                          see 'bulletin --help')\n"
    "  --layout NAME|FILE      a shipped layout (zhuanbao, jianbao, gongwen) or a\n"
    "                          .layout file; overrides the input's 版式\n"
    "  --dump-layout FILE.json also write the laid-out pages as JSON\n"
    "  --pdfa=1b|2b            write PDF/A-1b or PDF/A-2b (archival: XMP, output\n"
    "                          intent); the layout's `pdfa` key otherwise\n"
    "Dates in the PDF come from SOURCE_DATE_EPOCH when set, else the issue date.\n";

static const char *const usage_check =
    "usage: bulletin check INPUT.txt...\n"
    "\n"
    "Parses, lays out and writes each input in memory (everything render does\n"
    "but saving), printing a short summary, or the errors in the form\n"
    "FILE:LINE:COL: error: MESSAGE. Exits 1 if any input is invalid; \"ok\"\n"
    "means render succeeds.\n";

static void print_warning(void *ctx, const bl_error *w)
{
    (void)ctx;
    cli_print_diag(stderr, "warning", w);
}

static const bl_warner stderr_warner = {print_warning, NULL};

static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
    fprintf(stderr, "bulletin%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'bulletin %s%s--help'.\n", cmd ? cmd : "", cmd ? " " : "");
    return EXIT_USAGE;
}

static int fail(const bl_error *err)
{
    cli_print_diag(stderr, "error", err);
    return cli_exit_status(err);
}

static int is_help(const char *a)
{
    return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

static int cmd_render(int argc, char **argv)
{
    const char *in = NULL, *out = NULL, *format = NULL;
    cli_render_opts opts = {NULL, NULL, NULL, &stderr_warner, -1};
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (is_help(a)) {
            fputs(usage_render, stdout);
            return 0;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 ||
                   strcmp(a, "--layout") == 0 || strcmp(a, "--dump-layout") == 0 ||
                   strcmp(a, "--format") == 0) {
            if (i + 1 >= argc)
                return usage_error("render", "option '%s' needs a value", a);
            const char *v = argv[++i];
            if (!*v)
                return usage_error("render", "option '%s' needs a value, not an empty string",
                                   a);
            if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0)
                out = v;
            else if (strcmp(a, "--layout") == 0)
                opts.layout = v;
            else if (strcmp(a, "--format") == 0)
                format = v;
            else
                opts.dump_layout = v;
        } else if (strncmp(a, "--pdfa=", 7) == 0) {
            opts.pdfa = cli_parse_pdfa(a + 7);
            if (opts.pdfa < 0)
                return usage_error("render", "--pdfa takes 1b or 2b, not '%s'", a + 7);
        } else if (a[0] == '-' && a[1]) {
            return usage_error("render", "unknown option '%s'", a);
        } else if (in) {
            return usage_error("render", "more than one input given ('%s')", a);
        } else {
            in = a;
        }
    }
    if (!in)
        return usage_error("render", "%sno input file given", "");
    opts.format = cli_pick_format(format, out);
    if (!opts.format)
        return usage_error("render", "unknown format '%s'", format);
    char *def = NULL;
    if (!out) {
        def = cli_default_output(in, opts.format->extension);
        if (!def) {
            fputs("bulletin: error: out of memory\n", stderr);
            return EXIT_INTERNAL;
        }
        out = def;
    }
    bl_error err;
    bl_error_clear(&err);
    cli_resources res;
    cli_render_stats stats = {0};
    int rc = 0;
    if (cli_resources_open(&res, &err) != BL_OK) {
        rc = fail(&err);
    } else {
        if (cli_render_file(&res, in, out, &opts, &stats, &err) != BL_OK)
            rc = fail(&err);
        else if (stats.files > 1)
            printf("wrote %s ... %s (%zu pages, a file each)\n", stats.first, stats.last,
                   stats.pages);
        else
            printf("wrote %s (%zu page%s)\n", stats.files ? stats.first : out, stats.pages,
                   stats.pages == 1 ? "" : "s");
        cli_resources_close(&res);
    }
    free(def);
    return rc;
}

static void print_text(const char *label, const bl_text *t)
{
    if (t->len)
        printf("  %-16s %s\n", label, t->s);
}

/* check: everything render does short of writing, so that "ok" means
 * render succeeds (the layout, the fonts, the writer, in memory). */
static int check_one(cli_resources *res, const char *path)
{
    bl_error err;
    bl_error_clear(&err);
    cli_render_opts opts = {bl_writer_find("pdf"), NULL, NULL, &stderr_warner, -1};
    cli_rendered r;
    if (cli_render(res, path, NULL, 0, &opts, &r, &err) != BL_OK)
        return fail(&err);
    size_t pages = r.pages;
    const bl_doc_view *v = bl_doc_get(r.doc);
    printf("%s: ok\n", path);
    for (size_t i = 0; i < v->nmastheads; i++)
        print_text("masthead:", &v->mastheads[i]);
    print_text("name:", &v->name);
    print_text("issue:", &v->issue);
    print_text("serial:", &v->serial);
    print_text("issuer:", &v->issuer);
    printf("  %-16s %04d-%02d-%02d\n", "date:", v->date.year, v->date.month, v->date.day);
    print_text("classification:", &v->classification);
    print_text("layout:", &v->layout);
    /* a 公文's own fields (docs/format.md "A 公文"), when present */
    print_text("number:", &v->doc_number);
    print_text("copy:", &v->copy_number);
    print_text("urgency:", &v->urgency);
    for (size_t i = 0; i < v->nsigners; i++)
        print_text("signer:", &v->signers[i]);
    for (size_t i = 0; i < v->nattachments; i++)
        print_text("attachment:", &v->attachments[i]);
    for (size_t i = 0; i < v->nsignatures; i++)
        print_text("signature:", &v->signatures[i]);
    print_text("signed:", &v->sign_date_text);
    print_text("annotation:", &v->annotation);
    printf("  %-16s %zu\n", "pages:", pages);
    size_t narticles = 0, nsections = 0, nitems = 0;
    for (size_t i = 0; i < v->nparts; i++) {
        const bl_part *p = &v->parts[i];
        if (p->kind == BL_PART_ARTICLE) {
            const bl_article *a = p->article;
            size_t heads = 0;
            for (size_t k = 0; k < a->nparas; k++)
                heads += a->paras[k].kind == BL_PARA_HEADING;
            printf("  article %zu:       %s (%zu paragraphs, %zu headings)\n", ++narticles,
                   a->title.s, a->nparas, heads);
        } else {
            const bl_section *s = p->section;
            nsections++;
            nitems += s->nitems;
            printf("  section:         %s (%zu items)\n", s->name.s, s->nitems);
        }
    }
    printf("  %-16s", "footer:");
    for (size_t i = 0; i < v->nfooter; i++)
        printf("%s%s", i ? ", " : " ", v->footer[i].label.s);
    printf("%s\n", v->nfooter ? "" : " (none)");
    printf("  %zu article%s, %zu section%s, %zu item%s, %zu footer field%s\n", narticles,
           narticles == 1 ? "" : "s", nsections, nsections == 1 ? "" : "s", nitems,
           nitems == 1 ? "" : "s", v->nfooter, v->nfooter == 1 ? "" : "s");
    cli_rendered_free(&r);
    return 0;
}

static int cmd_check(int argc, char **argv)
{
    int n = 0, rc = 0;
    for (int i = 0; i < argc; i++) {
        if (is_help(argv[i])) {
            fputs(usage_check, stdout);
            return 0;
        }
        if (argv[i][0] == '-' && argv[i][1])
            return usage_error("check", "unknown option '%s'", argv[i]);
    }
    if (argc == 0)
        return usage_error("check", "%sno input file given", "");
    bl_error err;
    bl_error_clear(&err);
    cli_resources res;
    if (cli_resources_open(&res, &err) != BL_OK)
        return fail(&err);
    for (int i = 0; i < argc; i++) {
        int r = check_one(&res, argv[i]);
        n++;
        if (r > rc)
            rc = r;
    }
    cli_resources_close(&res);
    return rc;
}

int main(int argc, char **argv)
{
    /* As a real program does: messages follow the user's locale. Every number
     * written into a file is formatted by hand (bl_fmt_num), never with %f, so
     * a decimal-comma locale changes no byte of the output. */
    setlocale(LC_ALL, "");
    if (argc < 2) {
        fputs(usage_main, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (is_help(cmd) || strcmp(cmd, "help") == 0) {
        fputs(usage_main, stdout);
        size_t n;
        const bl_writer *const *f = bl_writer_list(&n);
        fputs("formats (--format, or the output's extension):\n", stdout);
        for (size_t i = 0; i < n; i++)
            printf("  %-6s %-6s %s\n", f[i]->name, f[i]->extension, f[i]->summary);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("bulletin %s\n", BL_VERSION);
        return 0;
    }
    if (strcmp(cmd, "render") == 0)
        return cmd_render(argc - 2, argv + 2);
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc - 2, argv + 2);
    if (strcmp(cmd, "batch") == 0)
        return cli_cmd_batch(argc - 2, argv + 2);
    if (strcmp(cmd, "lint") == 0)
        return cli_cmd_lint(argc - 2, argv + 2);
    if (strcmp(cmd, "serve") == 0)
        return cli_cmd_serve(argc - 2, argv + 2);
    return usage_error(NULL, "unknown command '%s'", cmd);
}
