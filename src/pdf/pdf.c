/* pdf.c - the PDF backend: libharu builds the document (pages, Info,
 * outline, page labels, compression, xref); text is written as raw TJ
 * operators and the fonts as Type0/Identity-H objects over hb-subset
 * subsets through libharu's object layer, because libharu's own font loaders
 * cannot read CFF collections and its ToUnicode maps are BMP-only. */
#include "pdf.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <libdeflate.h>
#include <hpdf_catalog.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>

#include "../base/fileio.h"
#include "../base/utf8.h"
#include "../display/glyphs.h"

/* ---- a growable byte buffer for content streams and CMaps ---------------- */

typedef struct buf {
    char *p;
    size_t n, cap;
    int oom;
} buf;

static void bput(buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n > b->cap) {
        size_t c = b->cap ? b->cap * 2 : 4096;
        while (c < b->n + n)
            c *= 2;
        char *p = realloc(b->p, c);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = c;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static void bputs(buf *b, const char *s)
{
    bput(b, s, strlen(s));
}

/* A number followed by a space; '.' whatever the locale (bl_fmt_num). */
static void bnum(buf *b, double v, int decimals)
{
    char t[32];
    bputs(b, bl_fmt_num(t, v, decimals));
    bput(b, " ", 1);
}

static void bhex4(buf *b, unsigned v)
{
    char t[8];
    snprintf(t, sizeof t, "%04X", v & 0xFFFFu);
    bput(b, t, 4);
}

/* ---- per-font bookkeeping ------------------------------------------------ */

typedef struct font_use {
    const bl_font *font;
    size_t usage;      /* its index in the document's glyph usage */
    HPDF_Dict type0;   /* created at first use, completed after all pages */
    char name[16];     /* resource name, /F1.. in order of first use */
    /* The narrow twin: the same font program whose /W gives half widths, for
     * punctuation set compressed (½ 字). With full widths, text extraction
     * (poppler, pdf-lines) sees the next glyph overlap the compressed one and
     * splits the line there. Created at the first compressed glyph. */
    HPDF_Dict type0n;
    char name_n[16];
    uint8_t *narrow;   /* one byte per glyph: shown compressed somewhere */
} font_use;

typedef struct render {
    HPDF_Doc pdf;
    HPDF_STATUS hpdf_error, hpdf_detail;
    const bl_display *d;
    bl_glyph_usage *usage;
    HPDF_Page *pages;
    font_use *fonts;
    size_t nfonts;
    bl_shaper *shaper;
    bl_error *err;
    struct libdeflate_compressor *deflater; /* for data_stream, made on first use */
} render;

static void on_hpdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *ctx)
{
    render *r = ctx;
    if (!r->hpdf_error) {
        r->hpdf_error = code;
        r->hpdf_detail = detail;
    }
}

/* The libharu error recorded so far as a bl_error (first error wins). */
static bl_status hpdf_fail(render *r, const char *what)
{
    return bl_error_set(r->err, BL_ERR_PDF, NULL, 0, 0,
                        "libharu failed %s (error 0x%04X, detail %u)", what,
                        (unsigned)r->hpdf_error, (unsigned)r->hpdf_detail);
}

static bl_status nomem(render *r)
{
    return bl_error_set(r->err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory writing the PDF");
}

static void font_use_free(font_use *u)
{
    free(u->narrow);
}

/* The font's entry, creating its Type0 dictionary on first use. */
static font_use *use_font(render *r, const bl_font *f)
{
    for (size_t i = 0; i < r->nfonts; i++)
        if (r->fonts[i].font == f)
            return &r->fonts[i];
    long ui = bl_glyph_usage_index(r->usage, f);
    if (ui < 0)
        return NULL;
    font_use *fs = realloc(r->fonts, (r->nfonts + 1) * sizeof *fs);
    if (!fs)
        return NULL;
    r->fonts = fs;
    font_use *u = &fs[r->nfonts];
    memset(u, 0, sizeof *u);
    unsigned ng = bl_font_get_info(f)->num_glyphs;
    u->font = f;
    u->usage = (size_t)ui;
    u->narrow = calloc(ng ? ng : 1, 1);
    if (!u->narrow)
        return NULL;
    u->type0 = HPDF_Dict_New(r->pdf->mmgr);
    if (!u->type0 || HPDF_Xref_Add(r->pdf->xref, u->type0) != HPDF_OK) {
        font_use_free(u);
        return NULL;
    }
    snprintf(u->name, sizeof u->name, "F%zu", r->nfonts + 1);
    snprintf(u->name_n, sizeof u->name_n, "F%zun", r->nfonts + 1);
    r->nfonts++;
    return u;
}

/* A glyph's width as /W states it, 1/1000 em rounded to 3 decimals: the
 * same number the TJ adjustments are computed from, so they cancel exactly. */
static double width1000(const bl_font *f, uint32_t gid)
{
    const bl_font_info *in = bl_font_get_info(f);
    double w = (double)bl_font_glyph_advance(f, gid) * 1000.0 / in->units_per_em;
    return round(w * 1000.0) / 1000.0;
}

/* The width of a glyph in the narrow twin: half its width. */
static double narrow1000(const bl_font *f, uint32_t gid)
{
    return round(width1000(f, gid) * 500.0) / 1000.0;
}

/* Whether glyph k of t is set compressed: the next glyph on its baseline
 * (in this run, or next_x when it is the run's last) starts more than 0.2 em
 * before its full width ends, which is where poppler splits words. */
static int is_narrow(const bl_dl_text *t, size_t k, double next_x)
{
    const bl_dl_glyph *g = &t->glyphs[k];
    double nx = next_x;
    if (k + 1 < t->nglyphs) {
        if (t->glyphs[k + 1].y != g->y)
            return 0;
        nx = (double)t->x + t->glyphs[k + 1].x;
    }
    if (nx == HUGE_VAL)
        return 0;
    double size = t->size > 0 ? t->size : 1;
    double step = (nx - ((double)t->x + g->x)) * 1000.0 / size;
    return step > 0 && step < width1000(t->font, g->gid) - 200.0;
}

/* ---- content streams ----------------------------------------------------- */

static void put_color(buf *b, const bl_color *c, int stroke)
{
    switch (c->space) {
    case BL_GRAY:
        bnum(b, c->v[0], 4);
        bputs(b, stroke ? "G\n" : "g\n");
        break;
    case BL_RGB:
        for (int i = 0; i < 3; i++)
            bnum(b, c->v[i], 4);
        bputs(b, stroke ? "RG\n" : "rg\n");
        break;
    case BL_CMYK:
        for (int i = 0; i < 4; i++)
            bnum(b, c->v[i], 4);
        bputs(b, stroke ? "K\n" : "k\n");
        break;
    }
}

static void put_rule(buf *b, const bl_dl_rule *ru)
{
    bputs(b, "q\n");
    bnum(b, ru->width, 3);
    bputs(b, "w\n");
    put_color(b, &ru->color, 1);
    bnum(b, ru->x0, 3);
    bnum(b, ru->y0, 3);
    bputs(b, "m\n");
    bnum(b, ru->x1, 3);
    bnum(b, ru->y1, 3);
    bputs(b, "l\nS\nQ\n");
}

/* A text run: glyphs on one baseline share a TJ whose adjustments put each
 * glyph exactly at its display-list x: after glyph g the pen has moved by
 * W[g]; the adjustment takes back the difference to the next glyph's x. */
static void put_text(buf *b, const bl_dl_text *t, const font_use *u, const uint8_t *narrow)
{
    if (t->nglyphs == 0)
        return;
    bputs(b, "BT\n");
    put_color(b, &t->color, 0);
    double size = t->size > 0 ? t->size : 1;
    int cur = -1; /* the font selected: 0 normal, 1 narrow */
    size_t i = 0;
    while (i < t->nglyphs) {
        /* A group: consecutive glyphs on the same y in the same twin. */
        const bl_dl_glyph *g0 = &t->glyphs[i];
        if (narrow[i] != cur) {
            cur = narrow[i];
            bput(b, "/", 1);
            bputs(b, cur ? u->name_n : u->name);
            bput(b, " ", 1);
            bnum(b, t->size, 3);
            bputs(b, "Tf\n");
        }
        bputs(b, "1 0 0 1 ");
        bnum(b, (double)t->x + g0->x, 3);
        bnum(b, (double)t->y + g0->y, 3);
        bputs(b, "Tm\n[<");
        bhex4(b, g0->gid);
        size_t j = i + 1;
        for (; j < t->nglyphs && t->glyphs[j].y == g0->y && narrow[j] == cur; j++) {
            const bl_dl_glyph *p = &t->glyphs[j - 1], *g = &t->glyphs[j];
            double w = cur ? narrow1000(u->font, p->gid) : width1000(u->font, p->gid);
            double adj = w - ((double)g->x - p->x) * 1000.0 / size;
            /* Float positions carry noise far below 0.01/1000 em. */
            adj = round(adj * 100.0) / 100.0;
            if (adj != 0) {
                bputs(b, "> ");
                bnum(b, adj, 2);
                bput(b, "<", 1);
            }
            bhex4(b, g->gid);
        }
        bputs(b, ">] TJ\n");
        i = j;
    }
    bputs(b, "ET\n");
}

/* Registers font u as /Fn in the page's resources (once per page). */
static bl_status page_font(render *r, HPDF_Page page, HPDF_Dict *fontres, font_use *u)
{
    if (!*fontres) {
        HPDF_Dict res = HPDF_Page_GetInheritableItem(page, "Resources", HPDF_OCLASS_DICT);
        HPDF_Dict fr = HPDF_Dict_New(r->pdf->mmgr);
        if (!res || !fr || HPDF_Dict_Add(res, "Font", fr) != HPDF_OK)
            return hpdf_fail(r, "adding a font resource");
        *fontres = fr;
    }
    if (!HPDF_Dict_GetItem(*fontres, u->name, HPDF_OCLASS_DICT) &&
        HPDF_Dict_Add(*fontres, u->name, u->type0) != HPDF_OK)
        return hpdf_fail(r, "adding a font resource");
    if (u->type0n && !HPDF_Dict_GetItem(*fontres, u->name_n, HPDF_OCLASS_DICT) &&
        HPDF_Dict_Add(*fontres, u->name_n, u->type0n) != HPDF_OK)
        return hpdf_fail(r, "adding a font resource");
    return BL_OK;
}

static HPDF_STATUS put_deflated(render *r, HPDF_Dict s, const void *data, size_t len);

static bl_status write_page(render *r, const bl_dl_page *pg, HPDF_Page *out)
{
    HPDF_Page page = HPDF_AddPage(r->pdf);
    if (!page || HPDF_Page_SetWidth(page, pg->width) != HPDF_OK ||
        HPDF_Page_SetHeight(page, pg->height) != HPDF_OK)
        return hpdf_fail(r, "adding a page");
    *out = page;
    HPDF_Dict fontres = NULL;
    buf b = {0};
    bl_status st = BL_OK;
    for (size_t i = 0; i < pg->nitems && st == BL_OK; i++) {
        const bl_dl_item *it = &pg->items[i];
        if (it->kind == BL_DL_RULE) {
            put_rule(&b, &it->u.rule);
            continue;
        }
        const bl_dl_text *t = &it->u.text;
        if (!t->font || t->nglyphs == 0)
            continue;
        font_use *u = use_font(r, t->font);
        if (!u) {
            st = nomem(r);
            break;
        }
        /* Where the next run on this baseline starts, for the last glyph. */
        double next_x = HUGE_VAL;
        if (i + 1 < pg->nitems && pg->items[i + 1].kind == BL_DL_TEXT) {
            const bl_dl_text *nt = &pg->items[i + 1].u.text;
            if (nt->nglyphs && nt->y + nt->glyphs[0].y == t->y + t->glyphs[t->nglyphs - 1].y)
                next_x = (double)nt->x + nt->glyphs[0].x;
        }
        uint8_t *narrow = calloc(t->nglyphs, 1);
        if (!narrow) {
            st = nomem(r);
            break;
        }
        for (size_t k = 0; k < t->nglyphs; k++) {
            narrow[k] = (uint8_t)is_narrow(t, k, next_x);
            if (narrow[k] && t->glyphs[k].gid < bl_font_get_info(u->font)->num_glyphs)
                u->narrow[t->glyphs[k].gid] = 1;
            if (narrow[k] && !u->type0n) {
                u->type0n = HPDF_Dict_New(r->pdf->mmgr);
                if (!u->type0n || HPDF_Xref_Add(r->pdf->xref, u->type0n) != HPDF_OK)
                    st = hpdf_fail(r, "adding a font");
            }
        }
        if (st == BL_OK)
            st = page_font(r, page, &fontres, u);
        put_text(&b, t, u, narrow);
        free(narrow);
    }
    if (st == BL_OK && b.oom)
        st = nomem(r);
    if (st == BL_OK && b.n > 0) {
        HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
        if (put_deflated(r, attr->contents, b.p, b.n) != HPDF_OK)
            st = hpdf_fail(r, "writing a page's content");
    }
    free(b.p);
    return st;
}

/* ---- fonts --------------------------------------------------------------- */

/* libdeflate's level for every stream bulletin writes. On a 534-glyph
 * desubroutinised CFF subset, against zlib's level 6 (libharu's): level 1
 * takes 0.30x the instructions for output 1.4 % larger, level 6 0.55x for
 * the same size. */
enum { DEFLATE_LEVEL = 1 };

static HPDF_STATUS write_flate_filter(HPDF_Dict d, HPDF_Stream out)
{
    (void)d;
    return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/* Fills the stream of s with data compressed with flate. The data is
 * deflated here with libdeflate, several times faster than libharu's zlib
 * at the same ratio, and handed to libharu as is; libharu drops a /Filter
 * entry of a stream it does not filter itself, so the entry is written by
 * the dictionary's write hook. */
static HPDF_STATUS put_deflated(render *r, HPDF_Dict s, const void *data, size_t len)
{
    if (!r->deflater && !(r->deflater = libdeflate_alloc_compressor(DEFLATE_LEVEL)))
        return HPDF_FAILD_TO_ALLOC_MEM;
    size_t cap = libdeflate_zlib_compress_bound(r->deflater, len);
    unsigned char *z = malloc(cap);
    if (!z)
        return HPDF_FAILD_TO_ALLOC_MEM;
    size_t zn = libdeflate_zlib_compress(r->deflater, data, len, z, cap);
    s->filter = HPDF_STREAM_FILTER_NONE;
    s->write_fn = write_flate_filter;
    HPDF_STATUS hs = zn == 0 ? HPDF_FAILD_TO_ALLOC_MEM
                             : HPDF_Stream_Write(s->stream, z, (HPDF_UINT)zn);
    free(z);
    return hs;
}

/* A stream object holding data compressed with flate. */
static HPDF_Dict data_stream(render *r, const void *data, size_t len)
{
    HPDF_Dict s = HPDF_DictStream_New(r->pdf->mmgr, r->pdf->xref);
    if (!s || put_deflated(r, s, data, len) != HPDF_OK)
        return NULL;
    return s;
}

/* The subset tag: six capitals from a hash of the font and its glyph set,
 * so the same document gives the same tag (no randomness). */
static void subset_tag(const bl_font_info *in, const uint32_t *gids, size_t n, char tag[7])
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (const char *p = in->postscript_name; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 4; k++)
            h = (h ^ ((gids[i] >> (8 * k)) & 0xFF)) * 1099511628211ull;
    for (int i = 0; i < 6; i++) {
        tag[i] = (char)('A' + h % 26);
        h /= 26;
    }
    tag[6] = '\0';
}

static void put_utf16(buf *b, uint32_t cp)
{
    if (cp >= 0x10000 && cp <= 0x10FFFF) {
        /* Beyond the BMP: a UTF-16 surrogate pair (𠮷 U+20BB7 -> D842 DFB7). */
        cp -= 0x10000;
        bhex4(b, 0xD800 + (cp >> 10));
        bhex4(b, 0xDC00 + (cp & 0x3FF));
    } else {
        bhex4(b, cp);
    }
}

/* The /ToUnicode CMap: bfchar blocks of at most 100 entries (the limit of
 * the CMap format), one per glyph that shows text. */
static void tounicode(buf *b, const render *r, const font_use *u, const uint32_t *gids,
                      size_t n)
{
    bputs(b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
             "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
             "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    size_t total = 0, ncp;
    for (size_t i = 0; i < n; i++)
        total += bl_glyph_usage_text(r->usage, u->usage, gids[i], &ncp) != NULL;
    size_t i = 0;
    while (total > 0) {
        size_t block = total < 100 ? total : 100;
        char t[32];
        snprintf(t, sizeof t, "%zu beginbfchar\n", block);
        bputs(b, t);
        for (size_t k = 0; k < block; i++) {
            uint32_t g = gids[i];
            const uint32_t *cp = bl_glyph_usage_text(r->usage, u->usage, g, &ncp);
            if (!cp)
                continue;
            bput(b, "<", 1);
            bhex4(b, g);
            bputs(b, "> <");
            for (size_t c = 0; c < ncp; c++)
                put_utf16(b, cp[c]);
            bputs(b, ">\n");
            k++;
        }
        bputs(b, "endbfchar\n");
        total -= block;
    }
    bputs(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
}

/* /W: only widths that differ from /DW 1000, as `c [w1 w2 ...]` runs of
 * consecutive glyph ids; width gives each glyph's width in 1/1000 em. */
static HPDF_Array widths(render *r, const bl_font *f, const uint32_t *gids, size_t n,
                         double (*width)(const bl_font *, uint32_t))
{
    HPDF_Array w = HPDF_Array_New(r->pdf->mmgr);
    if (!w)
        return NULL;
    HPDF_Array run = NULL;
    uint32_t next = 0;
    for (size_t i = 0; i < n; i++) {
        double wd = width(f, gids[i]);
        if (wd == 1000) {
            run = NULL;
            continue;
        }
        if (!run || gids[i] != next) {
            run = HPDF_Array_New(r->pdf->mmgr);
            if (!run || HPDF_Array_AddNumber(w, (HPDF_INT32)gids[i]) != HPDF_OK ||
                HPDF_Array_Add(w, run) != HPDF_OK)
                return NULL;
        }
        if (wd == floor(wd)) {
            if (HPDF_Array_AddNumber(run, (HPDF_INT32)wd) != HPDF_OK)
                return NULL;
        } else if (HPDF_Array_AddReal(run, (HPDF_REAL)wd) != HPDF_OK) {
            return NULL;
        }
        next = gids[i] + 1;
    }
    return w;
}

static HPDF_STATUS add_ref_array(HPDF_Dict d, const char *key, HPDF_MMgr mm, const int *v,
                                 int n)
{
    HPDF_Array a = HPDF_Array_New(mm);
    if (!a)
        return HPDF_FAILD_TO_ALLOC_MEM;
    for (int i = 0; i < n; i++)
        if (HPDF_Array_AddNumber(a, v[i]) != HPDF_OK)
            return HPDF_FAILD_TO_ALLOC_MEM;
    return HPDF_Dict_Add(d, key, a);
}

/* Fills type0 as a Type0/Identity-H font over a new descendant CIDFont with
 * the descriptor desc, the widths w, the ToUnicode map tu and, for a
 * TrueType program, the CIDToGIDMap stream cidmap. */
static HPDF_STATUS type0_font(render *r, HPDF_Dict type0, const bl_font_info *in,
                              const char *fontname, const char *basefont, HPDF_Dict desc,
                              HPDF_Array w, HPDF_Dict tu, HPDF_Dict cidmap)
{
    HPDF_MMgr mm = r->pdf->mmgr;
    HPDF_Dict cid = HPDF_Dict_New(mm);
    HPDF_Dict sysinfo = HPDF_Dict_New(mm);
    HPDF_Array desc_fonts = HPDF_Array_New(mm);
    if (!cid || !sysinfo || !desc_fonts || HPDF_Xref_Add(r->pdf->xref, cid) != HPDF_OK)
        return HPDF_FAILD_TO_ALLOC_MEM;
    HPDF_STATUS hs = HPDF_OK;
    hs |= HPDF_Dict_Add(sysinfo, "Registry", HPDF_String_New(mm, "Adobe", NULL));
    hs |= HPDF_Dict_Add(sysinfo, "Ordering", HPDF_String_New(mm, "Identity", NULL));
    hs |= HPDF_Dict_AddNumber(sysinfo, "Supplement", 0);
    hs |= HPDF_Dict_AddName(cid, "Type", "Font");
    hs |= HPDF_Dict_AddName(cid, "Subtype", in->is_cff ? "CIDFontType0" : "CIDFontType2");
    hs |= HPDF_Dict_AddName(cid, "BaseFont", fontname);
    hs |= HPDF_Dict_Add(cid, "CIDSystemInfo", sysinfo);
    hs |= HPDF_Dict_Add(cid, "FontDescriptor", desc);
    hs |= HPDF_Dict_AddNumber(cid, "DW", 1000);
    hs |= HPDF_Dict_Add(cid, "W", w);
    if (!in->is_cff)
        hs |= HPDF_Dict_Add(cid, "CIDToGIDMap", cidmap);
    hs |= HPDF_Array_Add(desc_fonts, cid);
    hs |= HPDF_Dict_AddName(type0, "Type", "Font");
    hs |= HPDF_Dict_AddName(type0, "Subtype", "Type0");
    hs |= HPDF_Dict_AddName(type0, "BaseFont", basefont);
    hs |= HPDF_Dict_AddName(type0, "Encoding", "Identity-H");
    hs |= HPDF_Dict_Add(type0, "DescendantFonts", desc_fonts);
    hs |= HPDF_Dict_Add(type0, "ToUnicode", tu);
    return hs;
}

/* Completes font u: subset, descriptor, descendant CIDFont, /W, ToUnicode. */
static bl_status write_font(render *r, font_use *u)
{
    const bl_font_info *in = bl_font_get_info(u->font);
    HPDF_MMgr mm = r->pdf->mmgr;
    size_t n;
    const uint32_t *used = bl_glyph_usage_gids(r->usage, u->usage, &n);
    uint32_t *gids = malloc((n ? n : 1) * sizeof *gids);
    if (!gids)
        return nomem(r);
    memcpy(gids, used, n * sizeof *gids);
    unsigned char *data = NULL;
    size_t len = 0;
    uint32_t *sub_gids = malloc((n ? n : 1) * sizeof *sub_gids);
    if (!sub_gids) {
        free(gids);
        return nomem(r);
    }
    bl_status st = bl_shape_subset(r->shaper, u->font, gids, n, sub_gids, &data, &len, r->err);
    if (st != BL_OK) {
        free(sub_gids);
        free(gids);
        return st;
    }
    /* TrueType: the codes (the full font's glyph ids) map to the subset's
     * renumbered glyphs, two bytes a code up to the largest used. */
    unsigned char *map = NULL;
    size_t maplen = 0;
    if (!in->is_cff) {
        uint32_t maxcid = 0;
        for (size_t i = 0; i < n; i++)
            maxcid = gids[i] > maxcid ? gids[i] : maxcid;
        maplen = 2 * ((size_t)maxcid + 1);
        map = calloc(maplen, 1);
        for (size_t i = 0; map && i < n; i++) {
            map[2 * gids[i]] = (unsigned char)(sub_gids[i] >> 8);
            map[2 * gids[i] + 1] = (unsigned char)(sub_gids[i] & 0xFF);
        }
    }
    free(sub_gids);
    if (!in->is_cff && !map) {
        free(data);
        free(gids);
        return nomem(r);
    }
    char tag[7], fontname[128 + 8], basefont[128 + 24];
    subset_tag(in, gids, n, tag);
    snprintf(fontname, sizeof fontname, "%s+%.100s", tag, in->postscript_name);
    /* A Type0 over a CIDFontType0 is named font-CMap (PDF 32000 9.7.6.1). */
    snprintf(basefont, sizeof basefont, "%s%s", fontname, in->is_cff ? "-Identity-H" : "");

    buf cmap = {0};
    tounicode(&cmap, r, u, gids, n);
    HPDF_Dict file = data_stream(r, data, len);
    HPDF_Dict tu = cmap.oom ? NULL : data_stream(r, cmap.p, cmap.n);
    HPDF_Dict cidmap = map ? data_stream(r, map, maplen) : NULL;
    free(data);
    free(cmap.p);
    free(map);
    if (!file || !tu || (!in->is_cff && !cidmap)) {
        free(gids);
        return r->hpdf_error ? hpdf_fail(r, "embedding a font") : nomem(r);
    }
    HPDF_STATUS hs = in->is_cff ? HPDF_Dict_AddName(file, "Subtype", "CIDFontType0C")
                                : HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)len);

    /* FontDescriptor with the face's real metrics, in 1/1000 em. */
    double k = 1000.0 / in->units_per_em;
    HPDF_Dict desc = HPDF_Dict_New(mm);
    if (!desc || HPDF_Xref_Add(r->pdf->xref, desc) != HPDF_OK) {
        free(gids);
        return hpdf_fail(r, "embedding a font");
    }
    int bbox[4];
    for (int i = 0; i < 4; i++)
        bbox[i] = (int)lround(in->bbox[i] * k);
    /* Symbolic (4): the glyphs lie outside the Latin standard set; Serif (2)
     * and Italic (64) as the face is. */
    int flags = 4 | (strstr(in->family, "Serif") ? 2 : 0) | (in->italic_angle ? 64 : 0);
    /* No stem width in OpenType: estimate it from the weight class. */
    int stemv = (int)lround(10 + 220.0 * (in->weight > 50 ? in->weight - 50 : 0) / 900.0);
    hs |= HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    hs |= HPDF_Dict_AddName(desc, "FontName", fontname);
    hs |= HPDF_Dict_AddNumber(desc, "Flags", flags);
    hs |= add_ref_array(desc, "FontBBox", mm, bbox, 4);
    hs |= HPDF_Dict_AddNumber(desc, "ItalicAngle", in->italic_angle);
    hs |= HPDF_Dict_AddNumber(desc, "Ascent", (HPDF_INT32)lround(in->ascender * k));
    hs |= HPDF_Dict_AddNumber(desc, "Descent", (HPDF_INT32)lround(in->descender * k));
    hs |= HPDF_Dict_AddNumber(desc, "CapHeight", (HPDF_INT32)lround(in->cap_height * k));
    hs |= HPDF_Dict_AddNumber(desc, "StemV", stemv);
    hs |= HPDF_Dict_Add(desc, in->is_cff ? "FontFile3" : "FontFile2", file);

    HPDF_Array w = widths(r, u->font, gids, n, width1000);
    /* The narrow twin's /W: half widths for the glyphs ever set compressed. */
    size_t nn = 0;
    for (size_t i = 0; i < n; i++)
        if (u->narrow[gids[i]])
            gids[nn++] = gids[i];
    HPDF_Array wn = u->type0n ? widths(r, u->font, gids, nn, narrow1000) : NULL;
    free(gids);
    if (!w || (u->type0n && !wn))
        return hpdf_fail(r, "embedding a font");
    hs |= type0_font(r, u->type0, in, fontname, basefont, desc, w, tu, cidmap);
    /* The narrow twin shares the program, descriptor, ToUnicode and map. */
    if (u->type0n)
        hs |= type0_font(r, u->type0n, in, fontname, basefont, desc, wn, tu, cidmap);
    if (hs != HPDF_OK || r->hpdf_error)
        return hpdf_fail(r, "embedding a font");
    return BL_OK;
}

/* ---- document-level objects --------------------------------------------- */

/* A PDF text string: plain when ASCII, else UTF-16BE with a byte-order mark
 * (written as a hex string, since libharu's strings stop at a NUL byte). */
static void *text_string(HPDF_MMgr mm, const char *s)
{
    int ascii = 1;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p >= 0x7F)
            ascii = 0;
    if (ascii)
        return HPDF_String_New(mm, s, NULL);
    size_t len = strlen(s);
    unsigned char *u = malloc(2 + 4 * len);
    if (!u)
        return NULL;
    size_t n = 0;
    u[n++] = 0xFE;
    u[n++] = 0xFF;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = bl_utf8_decode(s + i, len - i, &cp);
        if (k == 0)
            k = 1;
        i += k;
        uint32_t units[2] = {cp, 0};
        int nu = 1;
        if (cp >= 0x10000) {
            units[0] = 0xD800 + ((cp - 0x10000) >> 10);
            units[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
            nu = 2;
        }
        for (int j = 0; j < nu; j++) {
            u[n++] = (unsigned char)(units[j] >> 8);
            u[n++] = (unsigned char)units[j];
        }
    }
    HPDF_Binary b = HPDF_Binary_New(mm, u, (HPDF_UINT)n);
    free(u);
    return b;
}

static bl_status write_info(render *r, const bl_dl_info *info)
{
    /* libharu creates the Info dictionary on the first attribute set. */
    if (HPDF_SetInfoAttr(r->pdf, HPDF_INFO_CREATOR, "bulletin") != HPDF_OK || !r->pdf->info)
        return hpdf_fail(r, "writing the document information");
    HPDF_Dict d = r->pdf->info;
    HPDF_MMgr mm = r->pdf->mmgr;
    const struct {
        const char *key, *value;
    } f[] = {{"Title", info->title},
             {"Author", info->author},
             {"Subject", info->subject},
             {"Keywords", info->keywords},
             {"Creator", info->creator ? info->creator : "bulletin"}};
    for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
        if (!f[i].value)
            continue;
        void *s = text_string(mm, f[i].value);
        if (!s || HPDF_Dict_Add(d, f[i].key, s) != HPDF_OK)
            return hpdf_fail(r, "writing the document information");
    }
    if (info->year != 0) {
        /* From the document's own date, never the clock (determinism). */
        char date[64];
        snprintf(date, sizeof date, "D:%04d%02d%02d%02d%02d%02d+00'00'", info->year,
                 info->month, info->day, info->hour, info->minute, info->second);
        if (HPDF_Dict_Add(d, "CreationDate", HPDF_String_New(mm, date, NULL)) != HPDF_OK ||
            HPDF_Dict_Add(d, "ModDate", HPDF_String_New(mm, date, NULL)) != HPDF_OK)
            return hpdf_fail(r, "writing the document dates");
    }
    return BL_OK;
}

static bl_status write_outlines(render *r, const bl_display *d, HPDF_Page *pages)
{
    HPDF_Outline top = NULL;
    HPDF_MMgr mm = r->pdf->mmgr;
    for (size_t i = 0; i < d->noutlines; i++) {
        const bl_dl_outline *o = &d->outlines[i];
        if (o->page >= d->npages)
            continue;
        HPDF_Outline parent = (o->level > 0 && top) ? top : NULL;
        HPDF_Outline ol = HPDF_CreateOutline(r->pdf, parent, "-", NULL);
        if (!ol)
            return hpdf_fail(r, "writing the outline");
        void *title = text_string(mm, o->title ? o->title : "");
        HPDF_Destination dst = HPDF_Page_CreateDestination(pages[o->page]);
        if (!title || !dst || HPDF_Dict_Add(ol, "Title", title) != HPDF_OK)
            return hpdf_fail(r, "writing the outline");
        /* [page /XYZ null top null]: jump to the entry's top, keeping the
         * reader's horizontal position and zoom. */
        HPDF_Array_Clear(dst);
        if (HPDF_Array_Add(dst, pages[o->page]) != HPDF_OK ||
            HPDF_Array_AddName(dst, "XYZ") != HPDF_OK ||
            HPDF_Array_Add(dst, HPDF_Null_New(mm)) != HPDF_OK ||
            HPDF_Array_AddReal(dst, o->y) != HPDF_OK ||
            HPDF_Array_Add(dst, HPDF_Null_New(mm)) != HPDF_OK ||
            HPDF_Outline_SetDestination(ol, dst) != HPDF_OK)
            return hpdf_fail(r, "writing the outline");
        if (o->level == 0) {
            top = ol;
            HPDF_Outline_SetOpened(ol, HPDF_TRUE);
        }
    }
    if (d->noutlines > 0)
        HPDF_SetPageMode(r->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
    return r->hpdf_error ? hpdf_fail(r, "writing the outline") : BL_OK;
}

/* A page's printed number, or -1 when the label is not a plain decimal. */
static long label_number(const char *s)
{
    if (!s || !*s)
        return -1;
    long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9' || v > 100000000)
            return -1;
        v = v * 10 + (*p - '0');
    }
    return v > 0 ? v : -1;
}

/* Page labels: decimal ranges starting at each page whose number does not
 * continue the previous page's. Unnumbered pages (label NULL) get a range
 * with neither style nor prefix, i.e. an empty label, as printed; a label
 * that is not a plain number becomes that page's prefix. */
static bl_status write_labels(render *r, const bl_display *d)
{
    long prev = -2;
    int prev_null = 0;
    for (size_t i = 0; i < d->npages; i++) {
        const char *lab = d->pages[i].label;
        long num = label_number(lab);
        HPDF_STATUS hs = HPDF_OK;
        if (num > 0) {
            if (num != prev + 1)
                hs = HPDF_AddPageLabel(r->pdf, (HPDF_UINT)i, HPDF_PAGE_NUM_STYLE_DECIMAL,
                                       (HPDF_UINT)num, NULL);
            prev = num;
            prev_null = 0;
        } else {
            if (lab || !prev_null || i == 0) {
                HPDF_Dict l = HPDF_Dict_New(r->pdf->mmgr);
                if (!l)
                    return hpdf_fail(r, "writing page labels");
                if (lab)
                    hs |= HPDF_Dict_Add(l, "P", text_string(r->pdf->mmgr, lab));
                hs |= HPDF_Catalog_AddPageLabel(r->pdf->catalog, (HPDF_UINT)i, l);
            }
            prev = -2;
            prev_null = lab == NULL;
        }
        if (hs != HPDF_OK)
            return hpdf_fail(r, "writing page labels");
    }
    return BL_OK;
}

/* ---- the writer: begin, pages, end --------------------------------------- */

static void pdf_drop(void *w)
{
    render *r = w;
    if (!r)
        return;
    for (size_t i = 0; i < r->nfonts; i++)
        font_use_free(&r->fonts[i]);
    free(r->fonts);
    free(r->pages);
    bl_glyph_usage_free(r->usage);
    if (r->pdf)
        HPDF_Free(r->pdf);
    libdeflate_free_compressor(r->deflater);
    free(r);
}

static bl_status pdf_begin(const bl_display *d, const bl_writer_opts *o, void **w,
                           bl_error *err)
{
    *w = NULL;
    render *r = calloc(1, sizeof *r);
    if (!r)
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory writing the PDF");
    *w = r;
    r->d = d;
    r->shaper = o->shaper;
    r->err = err;
    bl_status st = bl_glyph_usage_new(d, &r->usage, err);
    if (st != BL_OK)
        return st;
    r->pages = calloc(d->npages ? d->npages : 1, sizeof *r->pages);
    if (!r->pages)
        return nomem(r);
    r->pdf = HPDF_New(on_hpdf_error, r);
    if (!r->pdf)
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "libharu cannot create a document");
    /* PDF 1.4: CIDFontType0C needs 1.3; compression for every stream. */
    r->pdf->pdf_version = HPDF_VER_14;
    if (HPDF_SetCompressionMode(r->pdf, HPDF_COMP_ALL) != HPDF_OK)
        return hpdf_fail(r, "setting compression");
    return BL_OK;
}

static bl_status pdf_page(void *w, size_t index, bl_error *err)
{
    render *r = w;
    r->err = err;
    return write_page(r, &r->d->pages[index], &r->pages[index]);
}

static bl_status pdf_end(void *w, bl_writer_output *out, bl_error *err)
{
    render *r = w;
    r->err = err;
    bl_status st = BL_OK;
    /* Fonts after all pages: the narrow twins are known only now. */
    for (size_t i = 0; i < r->nfonts && st == BL_OK; i++)
        st = write_font(r, &r->fonts[i]);
    if (st == BL_OK)
        st = write_info(r, &r->d->info);
    if (st == BL_OK)
        st = write_outlines(r, r->d, r->pages);
    if (st == BL_OK)
        st = write_labels(r, r->d);
    if (st != BL_OK)
        return st;
    if (HPDF_SaveToStream(r->pdf) != HPDF_OK)
        return hpdf_fail(r, "saving the document");
    HPDF_UINT32 size = HPDF_GetStreamSize(r->pdf);
    unsigned char *data = malloc(size ? size : 1);
    if (!data)
        return nomem(r);
    HPDF_UINT32 got = 0;
    while (got < size) {
        HPDF_UINT32 chunk = size - got;
        HPDF_STATUS hs = HPDF_ReadFromStream(r->pdf, data + got, &chunk);
        got += chunk;
        if (chunk == 0 || (hs != HPDF_OK && hs != HPDF_STREAM_EOF))
            break;
    }
    if (got != size) {
        free(data);
        return hpdf_fail(r, "reading the saved document");
    }
    return bl_writer_output_add(out, "", data, size, err);
}

const bl_writer bl_pdf_writer = {
    "pdf", ".pdf", "PDF with the used glyphs of every font subset and embedded",
    pdf_begin, pdf_page, pdf_end, pdf_drop,
};

bl_status bl_pdf_render(const bl_display *d, bl_shaper *shaper, unsigned char **out,
                        size_t *out_len, bl_error *err)
{
    *out = NULL;
    *out_len = 0;
    bl_writer_opts o = {shaper};
    bl_writer_output files = {0};
    bl_status st = bl_writer_run(&bl_pdf_writer, d, &o, &files, err);
    if (st == BL_OK) {
        *out = files.files[0].data;
        *out_len = files.files[0].len;
        files.files[0].data = NULL;
    }
    bl_writer_output_free(&files);
    return st;
}

bl_status bl_pdf_write(const bl_display *d, bl_shaper *shaper, const char *path, bl_error *err)
{
    unsigned char *data;
    size_t len;
    bl_status st = bl_pdf_render(d, shaper, &data, &len, err);
    if (st != BL_OK)
        return st;
    st = bl_write_file_atomic(path, data, len, err);
    free(data);
    return st;
}
