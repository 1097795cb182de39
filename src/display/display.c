/* display.c - building the display list and dumping it as JSON (see display.h). */
#include "display.h"

#include "../base/grow.h"
#include "../base/json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

bl_display *bl_display_new(bl_arena *arena)
{
    bl_display *d = bl_arena_alloc(arena, sizeof *d);
    if (d)
        d->arena = arena;
    return d;
}

/* The newest page's items grow in one buffer that is reused page after page;
 * a page gets an exact-size copy when the next page is added. Growing every
 * page's own array by doubling would leave its outgrown arrays and its slack
 * in the arena, page after page. Returns 0 when out of memory. */
static int seal_newest(bl_display *d)
{
    if (!d->npages)
        return 1;
    bl_dl_page *p = &d->pages[d->npages - 1];
    if (!p->items || p->items != d->open)
        return 1;
    bl_dl_item *it = NULL;
    if (p->nitems) {
        it = bl_arena_calloc(d->arena, p->nitems, sizeof *it);
        if (!it)
            return 0;
        memcpy(it, p->items, p->nitems * sizeof *it);
    }
    p->items = it;
    p->cap = p->nitems;
    return 1;
}

bl_dl_page *bl_display_add_page(bl_display *d, float width, float height)
{
    if (!seal_newest(d))
        return NULL;
    bl_dl_page *p = bl_arena_reserve(d->arena, d->pages, &d->cap_pages, d->npages, 1,
                                     sizeof *p, 8);
    if (!p)
        return NULL;
    d->pages = p;
    bl_dl_page *page = &d->pages[d->npages++];
    memset(page, 0, sizeof *page);
    page->width = width;
    page->height = height;
    page->items = d->open;
    page->cap = d->open ? d->open_cap : 0;
    return page;
}

static bl_dl_item *new_item(bl_display *d, bl_dl_page *page)
{
    if (page->nitems == page->cap) {
        size_t cap = page->cap ? page->cap * 2 : 32;
        bl_dl_item *it = bl_arena_grow(d->arena, page->items, page->nitems, cap, sizeof *it);
        if (!it)
            return NULL;
        /* The newest page's array is the shared buffer (an empty one too). */
        if (d->npages && page == &d->pages[d->npages - 1] && page->items == d->open) {
            d->open = it;
            d->open_cap = cap;
        }
        page->items = it;
        page->cap = cap;
    }
    return &page->items[page->nitems++];
}

bl_status bl_display_add_text(bl_display *d, bl_dl_page *page, const bl_dl_text *t,
                              bl_error *err)
{
    bl_dl_item *it = new_item(d, page);
    char *text = it ? bl_arena_strndup(d->arena, t->text, t->text_len) : NULL;
    bl_dl_glyph *g = text ? bl_arena_calloc(d->arena, t->nglyphs ? t->nglyphs : 1, sizeof *g)
                          : NULL;
    float *gy = g && t->glyph_y ? bl_arena_calloc(d->arena, t->nglyphs + 1, sizeof *gy) : NULL;
    if (!g || (t->glyph_y && !gy))
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory building pages");
    if (t->nglyphs) {
        memcpy(g, t->glyphs, t->nglyphs * sizeof *g);
        if (gy)
            memcpy(gy, t->glyph_y, t->nglyphs * sizeof *gy);
    }
    it->kind = BL_DL_TEXT;
    it->u.text = *t;
    it->u.text.text = text;
    it->u.text.glyphs = g;
    it->u.text.glyph_y = gy;
    return BL_OK;
}

bl_status bl_display_add_text_shared(bl_display *d, bl_dl_page *page, const bl_dl_text *t,
                                     bl_error *err)
{
    bl_dl_item *it = new_item(d, page);
    if (!it)
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory building pages");
    it->kind = BL_DL_TEXT;
    it->u.text = *t;
    return BL_OK;
}

bl_status bl_display_add_rule(bl_display *d, bl_dl_page *page, const bl_dl_rule *r,
                              bl_error *err)
{
    bl_dl_item *it = new_item(d, page);
    if (!it)
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory building pages");
    it->kind = BL_DL_RULE;
    it->u.rule = *r;
    return BL_OK;
}

bl_status bl_display_add_outline(bl_display *d, const char *title, int level,
                                 size_t page, float y, bl_error *err)
{
    bl_dl_outline *all = bl_arena_reserve(d->arena, d->outlines, &d->cap_outlines,
                                          d->noutlines, 1, sizeof *all, 16);
    if (!all)
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory building pages");
    d->outlines = all;
    const char *t = bl_display_strdup(d, title);
    if (!t)
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory building pages");
    bl_dl_outline *o = &d->outlines[d->noutlines++];
    o->title = t;
    o->level = level;
    o->page = page;
    o->y = y;
    return BL_OK;
}

size_t bl_dl_glyph_text(const bl_dl_text *t, size_t k, const char **s)
{
    const bl_dl_glyph *g = &t->glyphs[k];
    size_t off = g->text_off <= t->text_len ? g->text_off : t->text_len;
    *s = t->text + off;
    if (g->flags & BL_DLG_CONT)
        return 0;
    size_t end = t->text_len;
    for (size_t j = k + 1; j < t->nglyphs; j++)
        if (!(t->glyphs[j].flags & BL_DLG_CONT)) {
            end = t->glyphs[j].text_off < t->text_len ? t->glyphs[j].text_off : t->text_len;
            break;
        }
    return end > off ? end - off : 0;
}

float bl_dl_text_end(const bl_dl_text *t)
{
    if (!t->nglyphs)
        return t->x;
    const bl_dl_glyph *g = &t->glyphs[t->nglyphs - 1];
    return t->x + g->x + g->advance;
}

const char *bl_display_strdup(bl_display *d, const char *s)
{
    return bl_arena_strdup(d->arena, s ? s : "");
}

const char *bl_fmt_num(char *buf, double v, int decimals)
{
    /* Integer arithmetic, so no locale can turn the point into a comma; the
     * digits are written by hand because snprintf was 16 % of a 100x issue's
     * instructions (the PDF content streams are mostly these numbers). */
    static const long long scales[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    if (!isfinite(v))
        v = 0;
    long long n = llround(v * (double)scales[decimals]);
    unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
    /* Digits from the right: the fraction without its trailing zeros, then
     * the integer part; a number that rounds to 0 has no sign. */
    char tmp[32];
    char *p = tmp + sizeof tmp;
    int d = decimals;
    while (d > 0 && u % 10 == 0) {
        u /= 10;
        d--;
    }
    if (d > 0) {
        while (d-- > 0) {
            *--p = (char)('0' + u % 10);
            u /= 10;
        }
        *--p = '.';
    }
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (n < 0)
        *--p = '-';
    size_t len = (size_t)(tmp + sizeof tmp - p);
    memcpy(buf, p, len);
    buf[len] = '\0';
    return buf;
}


static const char *num(char *buf, double v)
{
    return bl_fmt_num(buf, v, 2);
}

static void json_color(FILE *f, const bl_color *c)
{
    char b[32];
    static const char *names[] = {"gray", "rgb", "cmyk"};
    int n = 0;
    switch (c->space) {
    case BL_GRAY:
        n = 1;
        break;
    case BL_RGB:
        n = 3;
        break;
    case BL_CMYK:
        n = 4;
        break;
    }
    fprintf(f, "[\"%s\"", names[c->space]);
    for (int i = 0; i < n; i++)
        fprintf(f, ",%s", bl_fmt_num(b, c->v[i], 3));
    fputc(']', f);
}

bl_status bl_display_dump_json(const bl_display *d, FILE *f, bl_error *err)
{
    char a[32], b[32], c[32], e[32];
    fprintf(f, "{\"pages\":[\n");
    for (size_t p = 0; p < d->npages; p++) {
        const bl_dl_page *page = &d->pages[p];
        fprintf(f, "{\"page\":%zu,\"width\":%s,\"height\":%s,\"label\":", p + 1,
                num(a, page->width), num(b, page->height));
        if (page->label)
            bl_json_string(f, page->label);
        else
            fputs("null", f);
        if (page->short_note) {
            fputs(",\"short\":", f);
            bl_json_string(f, page->short_note);
        }
        fputs(",\"items\":[\n", f);
        for (size_t i = 0; i < page->nitems; i++) {
            const bl_dl_item *it = &page->items[i];
            switch (it->kind) {
            case BL_DL_TEXT: {
                const bl_dl_text *t = &it->u.text;
                float x1 = bl_dl_text_end(t);
                fputs("{\"text\":", f);
                bl_json_string(f, t->text);
                fputs(",\"element\":", f);
                bl_json_string(f, t->element);
                fputs(",\"role\":", f);
                bl_json_string(f, t->role);
                fputs(",\"font\":", f);
                bl_json_string(f, t->font ? bl_font_get_info(t->font)->postscript_name : "");
                fprintf(f, ",\"size\":%s,\"x0\":%s,\"x1\":%s,\"baseline\":%s,\"color\":",
                        num(a, t->size), num(b, t->x), num(c, x1), num(e, t->y));
                json_color(f, &t->color);
                fputc('}', f);
                break;
            }
            case BL_DL_RULE: {
                const bl_dl_rule *r = &it->u.rule;
                fputs("{\"rule\":", f);
                bl_json_string(f, r->element);
                fprintf(f, ",\"x0\":%s,\"y0\":%s,", num(a, r->x0), num(b, r->y0));
                fprintf(f, "\"x1\":%s,\"y1\":%s,\"width\":%s,\"color\":", num(a, r->x1),
                        num(b, r->y1), num(c, r->width));
                json_color(f, &r->color);
                fputc('}', f);
                break;
            }
            }
            fputs(i + 1 < page->nitems ? ",\n" : "\n", f);
        }
        fprintf(f, "]}%s\n", p + 1 < d->npages ? "," : "");
    }
    fputs("],\"outline\":[\n", f);
    for (size_t i = 0; i < d->noutlines; i++) {
        const bl_dl_outline *o = &d->outlines[i];
        fputs("{\"title\":", f);
        bl_json_string(f, o->title);
        fprintf(f, ",\"level\":%d,\"page\":%zu,\"y\":%s}%s\n", o->level, o->page + 1,
                num(a, o->y), i + 1 < d->noutlines ? "," : "");
    }
    fputs("]}\n", f);
    if (ferror(f))
        return bl_error_set(err, BL_ERR_IO, NULL, 0, 0, "cannot write the layout dump");
    return BL_OK;
}
