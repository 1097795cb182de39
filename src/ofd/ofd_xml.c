/* ofd_xml.c - the small XML writer of the OFD parts (ofd_priv.h): elements
 * in the ofd: namespace, escaped attributes and text, millimetre numbers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/grow.h"
#include "../base/utf8.h"
#include "ofd_priv.h"

void ox_raw(ofd_xml *x, const char *s, size_t n)
{
    if (x->oom || n == 0)
        return;
    char *p = bl_reserve(x->p, &x->cap, x->n, n, 1, 4096);
    if (!p) {
        x->oom = 1;
        return;
    }
    x->p = p;
    memcpy(x->p + x->n, s, n);
    x->n += n;
}

void ox_puts(ofd_xml *x, const char *s)
{
    ox_raw(x, s, strlen(s));
}

void ox_root(ofd_xml *x, const char *name)
{
    ox_puts(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    ox_open(x, name);
    ox_attr(x, "xmlns:ofd", OFD_NS);
}

void ox_open(ofd_xml *x, const char *name)
{
    ox_puts(x, "<ofd:");
    ox_puts(x, name);
}

void ox_gt(ofd_xml *x)
{
    ox_raw(x, ">", 1);
}

void ox_empty(ofd_xml *x)
{
    ox_raw(x, "/>", 2);
}

void ox_close(ofd_xml *x, const char *name)
{
    ox_puts(x, "</ofd:");
    ox_puts(x, name);
    ox_raw(x, ">", 1);
}

/* XML 1.0 section 2.2, Char. */
int ox_is_char(uint32_t cp)
{
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
           (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* Copies s[0..n) dropping what XML forbids (invalid UTF-8 included);
 * in attributes (attr) also escaping what attribute values need. */
static void put_chars(ofd_xml *x, const char *s, size_t n, int attr)
{
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = bl_utf8_decode(s + i, n - i, &cp);
        if (k == 0) {
            i++;
            continue;
        }
        const char *esc = NULL;
        if (attr) {
            switch (cp) {
            case '&': esc = "&amp;"; break;
            case '<': esc = "&lt;"; break;
            case '>': esc = "&gt;"; break;
            case '"': esc = "&quot;"; break;
            /* Literal tabs and newlines would be normalised to spaces. */
            case '\t': esc = "&#9;"; break;
            case '\n': esc = "&#10;"; break;
            case '\r': esc = "&#13;"; break;
            }
        }
        if (esc)
            ox_puts(x, esc);
        else if (ox_is_char(cp))
            ox_raw(x, s + i, k);
        i += k;
    }
}

void ox_attr(ofd_xml *x, const char *name, const char *value)
{
    if (!value)
        return;
    ox_raw(x, " ", 1);
    ox_puts(x, name);
    ox_raw(x, "=\"", 2);
    put_chars(x, value, strlen(value), 1);
    ox_raw(x, "\"", 1);
}

void ox_attr_uint(ofd_xml *x, const char *name, unsigned long v)
{
    char b[24];
    snprintf(b, sizeof b, "%lu", v);
    ox_attr(x, name, b);
}

void ox_text(ofd_xml *x, const char *s, size_t n)
{
    int special = 0;
    for (size_t i = 0; i < n && !special; i++)
        special = s[i] == '&' || s[i] == '<' || s[i] == '>';
    if (!special) {
        put_chars(x, s, n, 0);
        return;
    }
    /* One CDATA section; a "]]>" in the text is split across two. */
    ox_puts(x, "<![CDATA[");
    size_t from = 0;
    for (size_t i = 0; i + 2 < n; i++)
        if (s[i] == ']' && s[i + 1] == ']' && s[i + 2] == '>') {
            put_chars(x, s + from, i + 2 - from, 0);
            ox_puts(x, "]]><![CDATA[");
            from = i + 2;
        }
    put_chars(x, s + from, n - from, 0);
    ox_puts(x, "]]>");
}

void ox_leaf(ofd_xml *x, const char *name, const char *text)
{
    if (!text)
        return;
    ox_open(x, name);
    ox_gt(x);
    ox_text(x, text, strlen(text));
    ox_close(x, name);
}

ofd_mm ofd_mm_from_pt(double pt)
{
    return llround(pt * (25.4 / 72.0) * 10000.0);
}

ofd_mm ofd_page_mm(double pt)
{
    return llround(pt * (25.4 / 72.0) * 1000.0) * 10;
}

void ox_mm(ofd_xml *x, ofd_mm v)
{
    /* By hand: the pages are mostly numbers, and this is what snprintf
     * would write, locale aside ("-1.5", "12.3456", "0"). */
    char b[32], *e = b + sizeof b, *p = e;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    unsigned frac = (unsigned)(u % 10000);
    int digits = 4;
    while (digits > 0 && frac % 10 == 0) {
        frac /= 10;
        digits--;
    }
    for (int i = 0; i < digits; i++, frac /= 10)
        *--p = (char)('0' + frac % 10);
    if (digits)
        *--p = '.';
    u /= 10000;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--p = '-';
    ox_raw(x, p, (size_t)(e - p));
}

void ox_attr_mm(ofd_xml *x, const char *name, ofd_mm v)
{
    ox_raw(x, " ", 1);
    ox_puts(x, name);
    ox_raw(x, "=\"", 2);
    ox_mm(x, v);
    ox_raw(x, "\"", 1);
}
