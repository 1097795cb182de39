/* fuzz_lint.c - libFuzzer target: the proofreader with --fix. Besides
 * crashes, hangs and leaks it checks what --fix promises: the rewritten file
 * parses, and linting it again changes nothing. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "lint/lint.h"
#include "parse/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bl_error err;
    bl_error_clear(&err);
    bl_lint_opts opts = bl_lint_defaults();
    opts.fix = 1;
    bl_lint_result *r = NULL;
    if (bl_lint_run((const char *)data, size, "fuzz.txt", &opts, &r, &err) != BL_OK)
        return 0;
    size_t len = 0;
    const char *out = bl_lint_output(r, &len);
    if (out) {
        bl_doc *doc = NULL;
        bl_error_clear(&err);
        if (bl_doc_parse(out, len, "fuzz.txt", NULL, &doc, &err) != BL_OK)
            abort(); /* --fix broke the file */
        bl_doc_free(doc);
        bl_lint_result *again = NULL;
        bl_error_clear(&err);
        size_t l2 = 0;
        if (bl_lint_run(out, len, "fuzz.txt", &opts, &again, &err) != BL_OK ||
            bl_lint_output(again, &l2) != NULL)
            abort(); /* not idempotent */
        bl_lint_free(again);
    }
    bl_lint_free(r);
    return 0;
}
