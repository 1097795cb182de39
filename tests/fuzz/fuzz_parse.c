/* fuzz_parse.c - libFuzzer target: the issue-description parser.
 * Looks only for crashes, hangs and leaks; correctness is tested elsewhere. */
#include <stddef.h>
#include <stdint.h>

#include "parse/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bl_error err;
    bl_error_clear(&err);
    bl_doc *doc = NULL;
    if (bl_doc_parse((const char *)data, size, "fuzz.txt", NULL, &doc, &err) == BL_OK)
        bl_doc_free(doc);
    return 0;
}
