/* diag.c - printing diagnostics like gcc and clang do: position, message,
 * the offending line and a caret under the offending character. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "base/utf8.h"

int cli_exit_status(const bl_error *err)
{
    switch (err->code) {
    case BL_ERR_SYNTAX:
    case BL_ERR_LIMIT:
    case BL_ERR_LAYOUT:
    case BL_ERR_FONT:
        return EXIT_INVALID;
    case BL_ERR_USAGE:
        return EXIT_USAGE;
    default:
        return EXIT_INTERNAL;
    }
}

/* Prints one line p[0..len) (no line end) with a caret under character col. */
static void quote(FILE *out, const char *p, size_t len, int col)
{
    const char *eol = p + len;
    if (eol - p > 400) {
        eol = p + 400; /* a megabyte line is not worth echoing whole */
        while (eol > p && ((unsigned char)*eol & 0xC0) == 0x80)
            eol--; /* nor cut inside a character */
    }
    fputc(' ', out);
    int width = 0, c = 1;
    for (const char *q = p; q < eol;) {
        uint32_t cp;
        size_t n = bl_utf8_decode(q, (size_t)(eol - q), &cp);
        int bad = n == 0;
        if (bad)
            n = 1, cp = 0xFFFD;
        if (cp == '\t')
            fputc(' ', out);
        else if (bad)
            fputs("\xEF\xBF\xBD", out); /* U+FFFD for a byte that is not UTF-8 */
        else if (cp >= 0x20 && cp != 0x7F)
            fwrite(q, 1, n, out);
        int shown = cp == '\t' || bad || (cp >= 0x20 && cp != 0x7F);
        if (c < col && shown)
            width += cp == '\t' ? 1 : bl_display_width(cp);
        q += n;
        c++;
    }
    fputs("\n ", out);
    for (int i = 0; i < width; i++)
        fputc(' ', out);
    fputs("^\n", out);
}

/* Prints line `line` of text with a caret under character `col`. */
static void quote_line(FILE *out, const char *text, size_t len, int line, int col)
{
    const char *p = text, *end = text + len;
    for (int l = 1; l < line && p < end; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return;
        p = nl + 1;
    }
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol)
        eol = end;
    quote(out, p, (size_t)(eol - p), col);
}

static void print_head(FILE *out, const char *kind, const bl_error *err)
{
    if (err->file[0] && err->line > 0)
        fprintf(out, "%s:%d:%d: %s: %s\n", err->file, err->line, err->col > 0 ? err->col : 1,
                kind, err->message);
    else if (err->file[0])
        fprintf(out, "%s: %s: %s\n", err->file, kind, err->message);
    else
        fprintf(out, "bulletin: %s: %s\n", kind, err->message);
}

void cli_print_diag_line(FILE *out, const char *kind, const bl_error *err, const char *line,
                         size_t len)
{
    print_head(out, kind, err);
    if (line && err->line > 0)
        quote(out, line, len, err->col);
}

void cli_print_diag(FILE *out, const char *kind, const bl_error *err)
{
    print_head(out, kind, err);
    if (!err->file[0] || err->line <= 0)
        return;
    char *raw = NULL, *text = NULL;
    size_t rlen = 0, tlen = 0;
    bl_error ignored;
    bl_error_clear(&ignored);
    if (bl_read_file(err->file, (size_t)64 << 20, &raw, &rlen, &ignored) != BL_OK)
        return;
    int gb = 0;
    if (bl_decode_input(raw, rlen, err->file, &text, &tlen, &gb, &ignored) == BL_OK)
        quote_line(out, text, tlen, err->line, err->col);
    else
        quote_line(out, raw, rlen, err->line, err->col); /* undecodable: show what is there */
    free(text);
    free(raw);
}
