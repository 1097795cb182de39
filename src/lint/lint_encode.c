/* lint_encode.c - writing the fixed text back as the input was: its encoding
 * (UTF-8 with or without BOM, UTF-16LE/BE with BOM, GB18030) and the line end
 * of every line (LF, CRLF or CR). */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "../parse/parse.h"
#include "lint_priv.h"

/* iconv all of in; NULL when it does not convert. */
static char *convert(const char *to, const char *from, const char *in, size_t len,
                     size_t *out_len)
{
    iconv_t cd = iconv_open(to, from);
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = len * 2 + 16;
    char *out = malloc(cap);
    char *ip = (char *)in, *op = out;
    size_t il = len, ol = cap - 1;
    int ok = out != NULL;
    while (ok) {
        size_t r = il ? iconv(cd, &ip, &il, &op, &ol) : iconv(cd, NULL, NULL, &op, &ol);
        if (r != (size_t)-1 && il == 0) {
            if (iconv(cd, NULL, NULL, &op, &ol) == (size_t)-1)
                ok = 0;
            break;
        }
        if (r == (size_t)-1 && errno == E2BIG) {
            size_t used = (size_t)(op - out);
            char *nb = realloc(out, cap * 2);
            if (!nb) {
                ok = 0;
                break;
            }
            out = nb;
            op = out + used;
            ol += cap;
            cap *= 2;
            continue;
        }
        ok = 0;
    }
    iconv_close(cd);
    if (!ok) {
        free(out);
        return NULL;
    }
    *op = '\0';
    *out_len = (size_t)(op - out);
    return out;
}

typedef enum { ENC_UTF8, ENC_UTF8_BOM, ENC_UTF16LE, ENC_UTF16BE, ENC_GB18030 } encoding;

static const char *const enc_names[] = {"UTF-8", "UTF-8", "UTF-16LE", "UTF-16BE", "GB18030"};

/* Writes the final text w back in the input's encoding with its line ends:
 * line k of w gets the line end line k had in raw. */
bl_status lint_rebuild(const char *raw, size_t rlen, const char *w, size_t wlen,
                         const char *file, char **out, size_t *out_len, bl_error *err)
{
    const unsigned char *b = (const unsigned char *)raw;
    encoding enc = ENC_UTF8;
    size_t bom = 0;
    if (rlen >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        enc = ENC_UTF8_BOM, bom = 3;
    else if (rlen >= 2 && b[0] == 0xFF && b[1] == 0xFE)
        enc = ENC_UTF16LE, bom = 2;
    else if (rlen >= 2 && b[0] == 0xFE && b[1] == 0xFF)
        enc = ENC_UTF16BE, bom = 2;
    else {
        char *d = NULL;
        size_t dl;
        int gb = 0;
        bl_error ignored;
        bl_error_clear(&ignored);
        if (bl_decode_input(raw, rlen, file, &d, &dl, &gb, &ignored) == BL_OK && gb)
            enc = ENC_GB18030;
        free(d);
    }
    const char *body = raw + bom;
    size_t blen = rlen - bom, ulen = blen;
    char *conv = NULL, *back = NULL;
    const char *u = body;
    if (enc >= ENC_UTF16LE) {
        size_t backlen = 0;
        conv = convert("UTF-8", enc_names[enc], body, blen, &ulen);
        back = conv ? convert(enc_names[enc], "UTF-8", conv, ulen, &backlen) : NULL;
        if (!back || backlen != blen || memcmp(back, body, blen) != 0) {
            free(conv);
            free(back);
            return bl_error_set(err, BL_ERR_IO, file, 0, 0,
                                "cannot rewrite this %s file without changing other bytes; "
                                "nothing written",
                                enc_names[enc]);
        }
        free(back);
        u = conv;
    }
    char *o = malloc(wlen + ulen + 8); /* NUL-terminated, for callers' convenience */
    if (!o) {
        free(conv);
        return bl_error_set(err, BL_ERR_NOMEM, file, 0, 0, "out of memory");
    }
    size_t n = 0, wi = 0, ui = 0;
    memcpy(o, "\xEF\xBB\xBF", enc == ENC_UTF8_BOM ? 3 : 0);
    n = enc == ENC_UTF8_BOM ? 3 : 0;
    for (;;) {
        const char *nl = memchr(w + wi, '\n', wlen - wi);
        size_t wl = nl ? (size_t)(nl - w) : wlen;
        memcpy(o + n, w + wi, wl - wi);
        n += wl - wi;
        while (ui < ulen && u[ui] != '\r' && u[ui] != '\n')
            ui++;
        if (!nl || ui >= ulen) {
            if (nl || ui < ulen) {
                free(o);
                free(conv);
                return bl_error_set(err, BL_ERR_IO, file, 0, 0,
                                    "internal error: the fixed text has a different number "
                                    "of lines; nothing written");
            }
            break;
        }
        size_t te = u[ui] == '\r' && ui + 1 < ulen && u[ui + 1] == '\n' ? 2 : 1;
        memcpy(o + n, u + ui, te);
        n += te;
        ui += te;
        wi = wl + 1;
    }
    free(conv);
    if (enc >= ENC_UTF16LE) {
        size_t el = 0;
        char *e = convert(enc_names[enc], "UTF-8", o, n, &el);
        free(o);
        char *f = e ? malloc(el + 3) : NULL;
        if (!f) {
            free(e);
            return bl_error_set(err, BL_ERR_NOMEM, file, 0, 0, "out of memory");
        }
        memcpy(f, raw, bom);
        memcpy(f + bom, e, el);
        free(e);
        o = f;
        n = el + bom;
    }
    o[n] = '\0';
    *out = o;
    *out_len = n;
    return BL_OK;
}
