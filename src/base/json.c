/* json.c - JSON string literals (see json.h). */
#include "json.h"

#include <stdint.h>
#include <string.h>

#include "utf8.h"

void bl_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    const char *p = s ? s : "";
    size_t left = strlen(p);
    while (left) {
        unsigned char c = (unsigned char)*p;
        uint32_t cp;
        size_t n = c < 0x80 ? 1 : bl_utf8_decode(p, left, &cp);
        if (n == 0) {
            /* Not UTF-8 (a file name can be any bytes): JSON cannot carry the
             * byte, so it becomes U+FFFD and the document stays valid. */
            fputs("\\ufffd", f);
            n = 1;
        } else if (c == '"' || c == '\\') {
            fprintf(f, "\\%c", c);
        } else if (c < 0x20 || c == 0x7F) {
            fprintf(f, "\\u%04x", c);
        } else {
            fwrite(p, 1, n, f);
        }
        p += n;
        left -= n;
    }
    fputc('"', f);
}
