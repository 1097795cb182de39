/* parse_decode.c - input bytes to UTF-8 text with LF line ends: BOMs,
 * UTF-16 with a BOM, GB18030 (what Windows Notepad's "ANSI" writes on Chinese
 * systems), and precise errors for binary data and invalid UTF-8. */
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "../base/utf8.h"
#include "parse.h"
#include "parse_priv.h"

/* Line and column (characters) of byte off in s, counting LF/CR line ends. */
static void locate(const char *s, size_t off, int *line, int *col)
{
    int l = 1;
    size_t start = 0;
    for (size_t i = 0; i < off; i++) {
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= off || s[i + 1] != '\n'))) {
            l++;
            start = i + 1;
        }
    }
    *line = l;
    *col = (int)bl_utf8_count(s + start, off - start) + 1;
}

/* iconv the whole buffer; NULL if it is not valid in that encoding. */
static char *convert(const char *from, const char *in, size_t len, size_t *out_len)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = len * 2 + 16;
    char *out = malloc(cap);
    if (!out) {
        iconv_close(cd);
        return NULL;
    }
    char *ip = (char *)in, *op = out;
    size_t il = len, ol = cap - 1;
    size_t r = iconv(cd, &ip, &il, &op, &ol);
    if (r != (size_t)-1)
        r = iconv(cd, NULL, NULL, &op, &ol);
    iconv_close(cd);
    if (r == (size_t)-1 || il != 0) {
        free(out);
        return NULL;
    }
    *op = '\0';
    *out_len = (size_t)(op - out);
    return out;
}

/* UTF-16 without a BOM: NULs only at one parity and line ends as 0A 00 / 00 0A. */
static int looks_utf16(const unsigned char *b, size_t len)
{
    if (len < 4 || len % 2)
        return 0;
    size_t even = 0, odd = 0, nl = 0;
    size_t n = len < 4096 ? len : 4096;
    for (size_t i = 0; i + 1 < n; i += 2) {
        even += b[i] == 0;
        odd += b[i + 1] == 0;
        nl += (b[i] == '\n' && b[i + 1] == 0) || (b[i] == 0 && b[i + 1] == '\n');
    }
    return (even == 0 && odd > 0 && (nl > 0 || odd * 4 >= n / 2)) ||
           (odd == 0 && even > 0 && (nl > 0 || even * 4 >= n / 2));
}

bl_status bl_decode_input(const char *bytes, size_t len, const char *file, char **out,
                          size_t *out_len, int *was_gb18030, bl_error *err)
{
    const unsigned char *b = (const unsigned char *)bytes;
    *out = NULL;
    *out_len = 0;
    *was_gb18030 = 0;
    char *conv = NULL;
    size_t clen = 0;
    if (len >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
        conv = convert(b[0] == 0xFF ? "UTF-16LE" : "UTF-16BE", bytes + 2, len - 2, &clen);
        if (!conv)
            return bl_error_set(err, BL_ERR_SYNTAX, file, 1, 1,
                                "invalid UTF-16: the file starts with a UTF-16 byte order "
                                "mark but is not valid UTF-16");
        bytes = conv;
        len = clen;
        b = (const unsigned char *)bytes;
    } else if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
        bytes += 3;
        len -= 3;
        b += 3;
    }
    if (memchr(bytes, 0, len)) {
        /* U+0000 is never text: in a UTF-16 file it arrives as 00 00, which the
         * conversion above turns into a NUL we report at its decoded place. */
        if (!conv && looks_utf16(b, len))
            return bl_error_set(err, BL_ERR_SYNTAX, file, 1, 1,
                                "looks like UTF-16 without a byte order mark; save the file "
                                "as UTF-8");
        size_t off = (size_t)((const char *)memchr(bytes, 0, len) - bytes);
        int line, col;
        locate(bytes, off, &line, &col);
        free(conv);
        return bl_error_set(err, BL_ERR_SYNTAX, file, line, col,
                            "NUL byte: is this a binary file?");
    }
    /* Validate UTF-8. Also count, over the whole input, the multi-byte
     * sequences that are valid and the bytes that are not (resuming one byte
     * after each bad one): Chinese GB18030 text breaks UTF-8 at nearly every
     * character and forms a valid sequence only by accident (诗 = CA AB is
     * also U+02AB), while a UTF-8 file with a stray byte is mostly valid. */
    size_t bad = len, nbad = 0, ngood = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = bl_utf8_decode(bytes + i, len - i, &cp);
        if (n == 0) {
            if (bad == len)
                bad = i;
            nbad++;
            i++;
            continue;
        }
        ngood += n > 1;
        i += n;
    }
    if (bad < len) {
        if (!conv && ngood < nbad && (conv = convert("GB18030", bytes, len, &clen)) != NULL) {
            *was_gb18030 = 1;
            bytes = conv;
            len = clen;
        } else {
            int line, col;
            locate(bytes, bad, &line, &col);
            bl_status st = bl_error_set(err, BL_ERR_SYNTAX, file, line, col,
                                        "invalid UTF-8 byte 0x%02X", b[bad]);
            free(conv);
            return st;
        }
    }
    char *o = malloc(len + 1);
    if (!o) {
        free(conv);
        return bl_error_set(err, BL_ERR_NOMEM, file, 0, 0, "out of memory reading the input");
    }
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (bytes[i] == '\r') {
            o[n++] = '\n';
            if (i + 1 < len && bytes[i + 1] == '\n')
                i++;
        } else {
            o[n++] = bytes[i];
        }
    }
    o[n] = '\0';
    free(conv);
    *out = o;
    *out_len = n;
    return BL_OK;
}
