/* glyphs.c - the glyph usage of a display list (glyphs.h). Per font an
 * open-addressed table of the glyphs used, each with its text in a pool of
 * code points: a document uses a few hundred of a CJK font's 65,536 glyphs,
 * so the work and memory follow what is used, not the size of the font
 * (full-font tables were 390 KB to zero and scan per font per document). */
#include "glyphs.h"

#include <stdlib.h>
#include <string.h>

#include "../base/grow.h"
#include "../base/utf8.h"

typedef struct glyph_slot {
    uint32_t gid1;   /* 1 + the glyph id; 0 = empty slot */
    uint32_t tu_off; /* 1 + offset in pool, 0 = no text */
    uint8_t tu_len;  /* code points in the pool */
} glyph_slot;

typedef struct font_usage {
    const bl_font *font;
    unsigned nglyphs;  /* of the full font */
    glyph_slot *slots; /* cap slots, a power of two, at most half full */
    size_t cap, nused;
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
    free(f->slots);
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

/* The slot of gid in f's table: where it is, or the empty slot where it
 * goes. Consecutive ids (a font's CJK glyphs are in code point order) are
 * spread by a multiplicative hash. */
static glyph_slot *slot_of(const font_usage *f, uint32_t gid)
{
    size_t mask = f->cap - 1;
    size_t i = (size_t)((gid * 2654435761u) >> 8) & mask;
    while (f->slots[i].gid1 && f->slots[i].gid1 != gid + 1)
        i = (i + 1) & mask;
    return &f->slots[i];
}

/* Doubles f's table; 0 when out of memory. */
static int grow_slots(font_usage *f)
{
    glyph_slot *old = f->slots;
    size_t old_cap = f->cap;
    size_t cap = old_cap ? old_cap * 2 : 256;
    glyph_slot *s = calloc(cap, sizeof *s);
    if (!s)
        return 0;
    f->slots = s;
    f->cap = cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].gid1)
            *slot_of(f, old[i].gid1 - 1) = old[i];
    free(old);
    return 1;
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
    n->font = f;
    n->nglyphs = bl_font_get_info(f)->num_glyphs;
    if (!grow_slots(n))
        return NULL;
    u->nfonts++;
    return n;
}

/* Notes that gid shows text[0..len); returns 0 when out of memory. */
static int note(bl_glyph_usage *u, font_usage *f, uint32_t gid, const char *text, size_t len)
{
    if (gid >= f->nglyphs)
        return 1;
    glyph_slot *g = slot_of(f, gid);
    if (!g->gid1) {
        if ((f->nused + 1) * 2 > f->cap) {
            if (!grow_slots(f))
                return 0;
            g = slot_of(f, gid);
        }
        g->gid1 = gid + 1;
        f->nused++;
    }
    if (gid == 0 || len == 0 || g->tu_off)
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
    g->tu_off = (uint32_t)u->npool + 1;
    g->tu_len = (uint8_t)n;
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

static int cmp_gid(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

bl_status bl_glyph_usage_finish(bl_glyph_usage *u, bl_error *err)
{
    for (size_t i = 0; i < u->nfonts; i++) {
        font_usage *f = &u->fonts[i];
        free(f->gids);
        f->ngids = 0;
        f->gids = malloc((f->nused ? f->nused : 1) * sizeof *f->gids);
        if (!f->gids)
            return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0,
                                "out of memory collecting the glyphs");
        for (size_t k = 0; k < f->cap; k++)
            if (f->slots[k].gid1)
                f->gids[f->ngids++] = f->slots[k].gid1 - 1;
        qsort(f->gids, f->ngids, sizeof *f->gids, cmp_gid);
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
    if (i >= u->nfonts || gid >= u->fonts[i].nglyphs)
        return NULL;
    const glyph_slot *g = slot_of(&u->fonts[i], gid);
    if (!g->tu_off)
        return NULL;
    *n = g->tu_len;
    return u->pool + g->tu_off - 1;
}
