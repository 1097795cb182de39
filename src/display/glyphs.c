/* glyphs.c - the glyph usage of a display list (glyphs.h). Per font a byte
 * per glyph of the full font marks use, and a pool of code points holds the
 * text of each glyph: fonts have at most 65,536 glyphs, so the tables stay
 * small and lookups are direct. */
#include "glyphs.h"

#include <stdlib.h>
#include <string.h>

#include "../base/grow.h"
#include "../base/utf8.h"

typedef struct font_usage {
    const bl_font *font;
    unsigned nglyphs;  /* of the full font */
    uint8_t *used;     /* nglyphs bytes */
    uint32_t *tu_off;  /* per glyph: 1 + offset in pool, 0 = no text */
    uint8_t *tu_len;   /* per glyph: code points in the pool */
    uint32_t *gids;    /* the used glyph ids, ascending (filled at the end) */
    size_t ngids;
} font_usage;

struct bl_glyph_usage {
    font_usage *fonts;
    size_t nfonts;
    uint32_t *pool;
    size_t npool, cap_pool;
};

static void font_usage_free(font_usage *f)
{
    free(f->used);
    free(f->tu_off);
    free(f->tu_len);
    free(f->gids);
}

void bl_glyph_usage_free(bl_glyph_usage *u)
{
    if (!u)
        return;
    for (size_t i = 0; i < u->nfonts; i++)
        font_usage_free(&u->fonts[i]);
    free(u->fonts);
    free(u->pool);
    free(u);
}

long bl_glyph_usage_index(const bl_glyph_usage *u, const bl_font *f)
{
    /* A document uses a handful of fonts: a scan is fastest. */
    for (size_t i = 0; i < u->nfonts; i++)
        if (u->fonts[i].font == f)
            return (long)i;
    return -1;
}

static font_usage *add_font(bl_glyph_usage *u, const bl_font *f)
{
    long k = bl_glyph_usage_index(u, f);
    if (k >= 0)
        return &u->fonts[k];
    font_usage *fs = realloc(u->fonts, (u->nfonts + 1) * sizeof *fs);
    if (!fs)
        return NULL;
    u->fonts = fs;
    font_usage *n = &fs[u->nfonts];
    memset(n, 0, sizeof *n);
    unsigned ng = bl_font_get_info(f)->num_glyphs;
    size_t cells = ng ? ng : 1;
    n->font = f;
    n->nglyphs = ng;
    n->used = calloc(cells, 1);
    n->tu_off = calloc(cells, sizeof *n->tu_off);
    n->tu_len = calloc(cells, 1);
    if (!n->used || !n->tu_off || !n->tu_len) {
        font_usage_free(n);
        return NULL;
    }
    u->nfonts++;
    return n;
}

/* Notes that gid shows text[0..len); returns 0 when out of memory. */
static int note(bl_glyph_usage *u, font_usage *f, uint32_t gid, const char *text, size_t len)
{
    if (gid >= f->nglyphs)
        return 1;
    f->used[gid] = 1;
    if (gid == 0 || len == 0 || f->tu_off[gid])
        return 1; /* .notdef stands for many characters: it maps to none */
    uint32_t cps[64];
    size_t n = 0;
    for (size_t i = 0; i < len && n < 64;) {
        uint32_t cp;
        size_t k = bl_utf8_decode(text + i, len - i, &cp);
        if (k == 0)
            k = 1;
        cps[n++] = cp;
        i += k;
    }
    uint32_t *p = bl_reserve(u->pool, &u->cap_pool, u->npool, n, sizeof *p, 1024);
    if (!p)
        return 0;
    u->pool = p;
    memcpy(u->pool + u->npool, cps, n * sizeof *cps);
    f->tu_off[gid] = (uint32_t)u->npool + 1;
    f->tu_len[gid] = (uint8_t)n;
    u->npool += n;
    return 1;
}

static int note_run(bl_glyph_usage *u, const bl_dl_text *t)
{
    if (!t->font || t->nglyphs == 0)
        return 1;
    font_usage *f = add_font(u, t->font);
    if (!f)
        return 0;
    for (size_t k = 0; k < t->nglyphs; k++) {
        const char *s;
        size_t len = bl_dl_glyph_text(t, k, &s);
        if (!note(u, f, t->glyphs[k].gid, s, len))
            return 0;
    }
    return 1;
}

bl_glyph_usage *bl_glyph_usage_begin(void)
{
    return calloc(1, sizeof(bl_glyph_usage));
}

bl_status bl_glyph_usage_add_page(bl_glyph_usage *u, const bl_dl_page *pg, bl_error *err)
{
    for (size_t i = 0; i < pg->nitems; i++) {
        const bl_dl_item *it = &pg->items[i];
        switch (it->kind) {
        case BL_DL_TEXT:
            if (!note_run(u, &it->u.text))
                return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0,
                                    "out of memory collecting the glyphs");
            break;
        case BL_DL_RULE:
            break;
        }
    }
    return BL_OK;
}

bl_status bl_glyph_usage_finish(bl_glyph_usage *u, bl_error *err)
{
    for (size_t i = 0; i < u->nfonts; i++) {
        font_usage *f = &u->fonts[i];
        size_t n = 0;
        for (unsigned g = 0; g < f->nglyphs; g++)
            n += f->used[g];
        free(f->gids);
        f->ngids = 0;
        f->gids = malloc((n ? n : 1) * sizeof *f->gids);
        if (!f->gids)
            return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0,
                                "out of memory collecting the glyphs");
        for (unsigned g = 0; g < f->nglyphs; g++)
            if (f->used[g])
                f->gids[f->ngids++] = g;
    }
    return BL_OK;
}

bl_status bl_glyph_usage_new(const bl_display *d, bl_glyph_usage **out, bl_error *err)
{
    *out = NULL;
    bl_glyph_usage *u = bl_glyph_usage_begin();
    if (!u)
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory collecting the glyphs");
    bl_status st = BL_OK;
    for (size_t p = 0; p < d->npages && st == BL_OK; p++)
        st = bl_glyph_usage_add_page(u, &d->pages[p], err);
    if (st == BL_OK)
        st = bl_glyph_usage_finish(u, err);
    if (st != BL_OK) {
        bl_glyph_usage_free(u);
        return st;
    }
    *out = u;
    return BL_OK;
}

size_t bl_glyph_usage_nfonts(const bl_glyph_usage *u)
{
    return u->nfonts;
}

const bl_font *bl_glyph_usage_font(const bl_glyph_usage *u, size_t i)
{
    return i < u->nfonts ? u->fonts[i].font : NULL;
}

const uint32_t *bl_glyph_usage_gids(const bl_glyph_usage *u, size_t i, size_t *n)
{
    if (i >= u->nfonts) {
        *n = 0;
        return NULL;
    }
    *n = u->fonts[i].ngids;
    return u->fonts[i].gids;
}

const uint32_t *bl_glyph_usage_text(const bl_glyph_usage *u, size_t i, uint32_t gid,
                                    size_t *n)
{
    *n = 0;
    if (i >= u->nfonts || gid >= u->fonts[i].nglyphs || !u->fonts[i].tu_off[gid])
        return NULL;
    *n = u->fonts[i].tu_len[gid];
    return u->pool + u->fonts[i].tu_off[gid] - 1;
}
