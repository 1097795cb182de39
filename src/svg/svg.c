/* svg.c - the SVG writer (svg.h): a page of the display list as an SVG 1.1
 * document. Coordinates are PostScript points (the viewBox is the page in
 * pt), y flipped from the display list's bottom-left origin to SVG's top-left.
 *
 * A page's glyphs are <path>s in font units inside <defs>, ids "gF-G" (F the
 * font's index in the document's glyph usage, G the glyph id), each written
 * once per page; a text run is a <g> that scales font units to its size and
 * flips y, holding one <use> per glyph at the glyph's display-list offset.
 * The invisible text layer (fill-opacity 0) comes last, so it lies on top
 * for selection: one <text> per run, each character at its glyph's x. */
#define _POSIX_C_SOURCE 200809L
#include "svg.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/utf8.h"
#include "../display/glyphs.h"

/* ---- colours ------------------------------------------------------------- */

/* The sRGB that poppler's pdftoppm shows for each combination of full inks
 * (index c<<3 | m<<2 | y<<1 | k), measured by rendering a PDF of the 16
 * patches at 72 dpi. These are the familiar screen looks of process inks
 * (C0 M100 Y100 K0 is #ED1C24), not the naive 1 - (c + k). A colour between
 * the corners is interpolated multilinearly, as poppler does, so an SVG page
 * and the PDF page rendered by poppler show the same red. */
static const unsigned char cmyk_corners[16][3] = {
    {255, 255, 255}, {35, 31, 32}, {255, 242, 0}, {28, 26, 0}, /* C0 M0 */
    {236, 0, 140},   {36, 0, 0},   {237, 28, 36}, {34, 0, 0},  /* C0 M1 */
    {0, 173, 239},   {0, 15, 36},  {0, 166, 80},  {0, 19, 0},  /* C1 M0 */
    {46, 49, 146},   {0, 0, 2},    {54, 54, 57},  {0, 0, 0},   /* C1 M1 */
};

static unsigned char to_byte(double v)
{
    v = v < 0 ? 0 : v > 1 ? 1 : v;
    return (unsigned char)lround(v * 255.0);
}

void bl_svg_rgb(const bl_color *c, unsigned char rgb[3])
{
    switch (c->space) {
    case BL_GRAY:
        rgb[0] = rgb[1] = rgb[2] = to_byte(c->v[0]);
        return;
    case BL_RGB:
        for (int i = 0; i < 3; i++)
            rgb[i] = to_byte(c->v[i]);
        return;
    case BL_CMYK:
        break;
    }
    double ink[4], acc[3] = {0, 0, 0};
    for (int i = 0; i < 4; i++)
        ink[i] = c->v[i] < 0 ? 0 : c->v[i] > 1 ? 1 : c->v[i];
    for (int corner = 0; corner < 16; corner++) {
        double w = 1;
        for (int i = 0; i < 4; i++)
            w *= (corner >> (3 - i)) & 1 ? ink[i] : 1 - ink[i];
        for (int k = 0; k < 3; k++)
            acc[k] += w * cmyk_corners[corner][k];
    }
    for (int k = 0; k < 3; k++)
        rgb[k] = to_byte(acc[k] / 255.0);
}

/* ---- the writer's state -------------------------------------------------- */

typedef struct page_file {
    char *data;
    size_t len;
} page_file;

/* Per font of the document: the used glyphs' path data, made on first use
 * and kept for later pages, and which of them the current page shows. */
typedef struct font_paths {
    const uint32_t *gids; /* used glyph ids, ascending (the glyph usage's) */
    size_t ngids;
    char **d;             /* per used glyph: its path data, or NULL until drawn */
    uint8_t *on_page;     /* per used glyph: the current page shows it */
} font_paths;

typedef struct svg_writer {
    const bl_display *d;
    bl_glyph_usage *usage;
    bl_outliner *outliner;
    font_paths *fonts;
    size_t nfonts;
    page_file *pages;
    size_t npages;
} svg_writer;

static bl_status nomem(bl_error *err)
{
    return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory writing the SVG");
}

static void svg_drop(void *w)
{
    svg_writer *s = w;
    if (!s)
        return;
    for (size_t i = 0; i < s->nfonts; i++) {
        for (size_t k = 0; s->fonts[i].d && k < s->fonts[i].ngids; k++)
            free(s->fonts[i].d[k]);
        free(s->fonts[i].d);
        free(s->fonts[i].on_page);
    }
    free(s->fonts);
    for (size_t i = 0; i < s->npages; i++)
        free(s->pages[i].data);
    free(s->pages);
    bl_outliner_free(s->outliner);
    bl_glyph_usage_free(s->usage);
    free(s);
}

static bl_status svg_begin(const bl_display *d, const bl_writer_opts *o, void **w,
                           bl_error *err)
{
    (void)o;
    svg_writer *s = calloc(1, sizeof *s);
    *w = s;
    if (!s)
        return nomem(err);
    s->d = d;
    bl_status st = bl_glyph_usage_new(d, &s->usage, err);
    if (st == BL_OK)
        st = bl_outliner_new(&s->outliner, err);
    if (st != BL_OK)
        return st;
    s->nfonts = bl_glyph_usage_nfonts(s->usage);
    s->fonts = calloc(s->nfonts ? s->nfonts : 1, sizeof *s->fonts);
    s->pages = calloc(d->npages ? d->npages : 1, sizeof *s->pages);
    if (!s->fonts || !s->pages)
        return nomem(err);
    for (size_t i = 0; i < s->nfonts; i++) {
        font_paths *f = &s->fonts[i];
        f->gids = bl_glyph_usage_gids(s->usage, i, &f->ngids);
        f->d = calloc(f->ngids ? f->ngids : 1, sizeof *f->d);
        f->on_page = calloc(f->ngids ? f->ngids : 1, 1);
        if (!f->d || !f->on_page)
            return nomem(err);
    }
    return BL_OK;
}

/* The position of gid in f's used glyphs (it is there: the usage saw it). */
static size_t glyph_slot(const font_paths *f, uint32_t gid)
{
    size_t lo = 0, hi = f->ngids;
    while (lo + 1 < hi) {
        size_t mid = (lo + hi) / 2;
        if (f->gids[mid] <= gid)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* ---- output helpers ------------------------------------------------------ */

static void put_num(FILE *f, double v, int decimals)
{
    char b[32];
    fputs(bl_fmt_num(b, v, decimals), f);
}

/* Characters XML 1.0 allows in a document (the rest are dropped). */
static int xml_char(uint32_t cp)
{
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
           (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* Writes s[0..len) escaped for XML text and attributes; returns how many
 * characters it wrote (invalid UTF-8 and characters XML forbids are dropped). */
static size_t put_escaped(FILE *f, const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = bl_utf8_decode(s + i, len - i, &cp);
        if (k == 0) {
            i++;
            continue;
        }
        if (xml_char(cp)) {
            switch (cp) {
            case '&': fputs("&amp;", f); break;
            case '<': fputs("&lt;", f); break;
            case '>': fputs("&gt;", f); break;
            case '"': fputs("&quot;", f); break;
            case '\t': case '\n': case '\r': fputc(' ', f); break;
            default: fwrite(s + i, 1, k, f);
            }
            n++;
        }
        i += k;
    }
    return n;
}

static void put_color(FILE *f, const bl_color *c)
{
    unsigned char rgb[3];
    bl_svg_rgb(c, rgb);
    fprintf(f, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
}

/* ---- glyph paths --------------------------------------------------------- */

/* An outline sink writing SVG path data (font units, y up) to a FILE. */
static void path_pt(FILE *f, char cmd, const double *v, int n)
{
    fputc(cmd, f);
    for (int i = 0; i < n; i++) {
        if (i)
            fputc(' ', f);
        put_num(f, v[i], 2);
    }
}
static void sink_move(void *ctx, double x, double y)
{
    path_pt(ctx, 'M', (double[]){x, y}, 2);
}
static void sink_line(void *ctx, double x, double y)
{
    path_pt(ctx, 'L', (double[]){x, y}, 2);
}
static void sink_quad(void *ctx, double cx, double cy, double x, double y)
{
    path_pt(ctx, 'Q', (double[]){cx, cy, x, y}, 4);
}
static void sink_cubic(void *ctx, double c1x, double c1y, double c2x, double c2y, double x,
                       double y)
{
    path_pt(ctx, 'C', (double[]){c1x, c1y, c2x, c2y, x, y}, 6);
}
static void sink_close(void *ctx)
{
    fputc('Z', ctx);
}

/* The path data of used glyph `slot` of font fi, read from the font once. */
static bl_status glyph_path(svg_writer *s, size_t fi, size_t slot, bl_error *err)
{
    font_paths *f = &s->fonts[fi];
    if (f->d[slot])
        return BL_OK;
    char *data = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&data, &len);
    if (!m)
        return nomem(err);
    bl_outline_sink sink = {m, sink_move, sink_line, sink_quad, sink_cubic, sink_close};
    bl_status st = bl_font_glyph_outline(s->outliner, bl_glyph_usage_font(s->usage, fi),
                                         f->gids[slot], &sink, err);
    int bad = ferror(m);
    fclose(m);
    if (st == BL_OK && (bad || !data))
        st = nomem(err);
    if (st != BL_OK) {
        free(data);
        return st;
    }
    f->d[slot] = data;
    return BL_OK;
}

/* ---- a page -------------------------------------------------------------- */

/* Marks the glyphs page pg shows and makes sure each has its path. */
static bl_status mark_glyphs(svg_writer *s, const bl_dl_page *pg, bl_error *err)
{
    for (size_t i = 0; i < s->nfonts; i++)
        memset(s->fonts[i].on_page, 0, s->fonts[i].ngids);
    for (size_t i = 0; i < pg->nitems; i++) {
        switch (pg->items[i].kind) {
        case BL_DL_TEXT:
            break;
        case BL_DL_RULE:
            continue;
        }
        const bl_dl_text *t = &pg->items[i].u.text;
        if (!t->font)
            continue;
        long fi = bl_glyph_usage_index(s->usage, t->font);
        if (fi < 0)
            continue;
        font_paths *f = &s->fonts[fi];
        for (size_t k = 0; k < t->nglyphs; k++) {
            size_t slot = glyph_slot(f, t->glyphs[k].gid);
            if (f->ngids == 0 || f->gids[slot] != t->glyphs[k].gid || f->on_page[slot])
                continue;
            f->on_page[slot] = 1;
            bl_status st = glyph_path(s, (size_t)fi, slot, err);
            if (st != BL_OK)
                return st;
        }
    }
    return BL_OK;
}

static void put_defs(const svg_writer *s, FILE *out)
{
    fputs("<defs>\n", out);
    for (size_t fi = 0; fi < s->nfonts; fi++) {
        const font_paths *f = &s->fonts[fi];
        for (size_t k = 0; k < f->ngids; k++)
            if (f->on_page[k])
                fprintf(out, "<path id=\"g%zu-%u\" d=\"%s\"/>\n", fi, (unsigned)f->gids[k],
                        f->d[k]);
    }
    fputs("</defs>\n", out);
}

/* A run's glyphs: a group mapping font units to the page (scale, y flip),
 * one <use> per glyph at its offset from the run's origin. */
static void put_run(const svg_writer *s, FILE *out, const bl_dl_text *t, double page_h)
{
    long fi = bl_glyph_usage_index(s->usage, t->font);
    if (fi < 0 || t->nglyphs == 0)
        return;
    int upem = bl_font_get_info(t->font)->units_per_em;
    double scale = (double)t->size / (upem > 0 ? upem : 1000);
    /* The offsets divide by the scale as written, so products stay exact. */
    double written = (double)llround(scale * 1e6) / 1e6;
    if (written <= 0)
        return;
    fputs("<g fill=\"", out);
    put_color(out, &t->color);
    fputs("\" transform=\"matrix(", out);
    put_num(out, written, 6);
    fputs(" 0 0 -", out);
    put_num(out, written, 6);
    fputc(' ', out);
    put_num(out, t->x, 3);
    fputc(' ', out);
    put_num(out, page_h - t->y, 3);
    fputs(")\">\n", out);
    for (size_t k = 0; k < t->nglyphs; k++) {
        const bl_dl_glyph *g = &t->glyphs[k];
        fprintf(out, "<use xlink:href=\"#g%ld-%u\"", fi, (unsigned)g->gid);
        double ux = g->x / written, uy = bl_dl_glyph_y(t, k) / written;
        if (fabs(ux) >= 0.05) {
            fputs(" x=\"", out);
            put_num(out, ux, 1);
            fputc('"', out);
        }
        if (fabs(uy) >= 0.05) {
            fputs(" y=\"", out);
            put_num(out, uy, 1);
            fputc('"', out);
        }
        fputs("/>\n", out);
    }
    fputs("</g>\n", out);
}

static void put_rule(FILE *out, const bl_dl_rule *r, double page_h)
{
    const double v[4] = {r->x0, page_h - r->y0, r->x1, page_h - r->y1};
    static const char *const names[4] = {"x1", "y1", "x2", "y2"};
    fputs("<line", out);
    for (int i = 0; i < 4; i++) {
        fprintf(out, " %s=\"", names[i]);
        put_num(out, v[i], 3);
        fputc('"', out);
    }
    fputs(" stroke=\"", out);
    put_color(out, &r->color);
    fputs("\" stroke-width=\"", out);
    put_num(out, r->width, 3);
    fputs("\"/>\n", out);
}

/* The characters glyph k of t shows (NULL when none), *len bytes of them. */
static const char *glyph_text(const bl_dl_text *t, size_t k, size_t *len)
{
    const char *s;
    *len = bl_dl_glyph_text(t, k, &s);
    return *len ? s : NULL;
}

/* The run's text, invisible, each character at its glyph's x (the
 * characters of a cluster share the glyph's advance). */
static void put_run_text(FILE *out, const bl_dl_text *t, double page_h)
{
    size_t shown = 0;
    size_t tl;
    for (size_t k = 0; k < t->nglyphs; k++)
        shown += glyph_text(t, k, &tl) != NULL;
    if (shown == 0)
        return;
    const bl_font_info *in = bl_font_get_info(t->font);
    int upem = in->units_per_em > 0 ? in->units_per_em : 1000;
    fputs("<text x=\"", out);
    size_t nchars = 0;
    for (size_t k = 0; k < t->nglyphs; k++) {
        const bl_dl_glyph *g = &t->glyphs[k];
        size_t len;
        const char *p = glyph_text(t, k, &len);
        if (!p)
            continue;
        size_t n = 0;
        for (size_t i = 0; i < len;) {
            uint32_t cp;
            size_t b = bl_utf8_decode(p + i, len - i, &cp);
            n += b && xml_char(cp);
            i += b ? b : 1;
        }
        double adv = (double)bl_font_glyph_advance(t->font, g->gid) * t->size / upem;
        for (size_t j = 0; j < n; j++, nchars++) {
            if (nchars)
                fputc(' ', out);
            put_num(out, (double)t->x + g->x + adv * (double)j / (double)n, 2);
        }
    }
    fputs("\" y=\"", out);
    put_num(out, page_h - t->y - bl_dl_glyph_y(t, 0), 2);
    fputs("\" font-size=\"", out);
    put_num(out, t->size, 3);
    fputs("\" font-family=\"", out);
    put_escaped(out, in->family, strlen(in->family));
    fputs("\">", out);
    for (size_t k = 0; k < t->nglyphs; k++) {
        size_t len;
        const char *p = glyph_text(t, k, &len);
        if (p)
            put_escaped(out, p, len);
    }
    fputs("</text>\n", out);
}

static bl_status svg_page(void *w, size_t index, bl_error *err)
{
    svg_writer *s = w;
    const bl_dl_page *pg = &s->d->pages[index];
    bl_status st = mark_glyphs(s, pg, err);
    if (st != BL_OK)
        return st;
    page_file *pf = &s->pages[index];
    FILE *out = open_memstream(&pf->data, &pf->len);
    if (!out)
        return nomem(err);
    double h = pg->height;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<svg xmlns=\"http://www.w3.org/2000/svg\" "
          "xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.1\" width=\"",
          out);
    /* The page size as precisely as the PDF's MediaBox: a renderer sizes
     * its canvas from it, and a rounded-up size stretches the whole page. */
    put_num(out, pg->width, 5);
    fputs("pt\" height=\"", out);
    put_num(out, h, 5);
    fputs("pt\" viewBox=\"0 0 ", out);
    put_num(out, pg->width, 5);
    fputc(' ', out);
    put_num(out, h, 5);
    fputs("\">\n<title>", out);
    const char *title = s->d->info.title;
    if (title && *title) {
        put_escaped(out, title, strlen(title));
        fputs(" \xe2\x80\x94 ", out); /* an em dash */
    }
    fprintf(out, "%zu/%zu</title>\n", index + 1, s->d->npages);
    put_defs(s, out);
    /* Paper: a page is white, whatever the viewer's background. */
    fputs("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n", out);
    for (size_t i = 0; i < pg->nitems; i++) {
        const bl_dl_item *it = &pg->items[i];
        switch (it->kind) {
        case BL_DL_RULE:
            put_rule(out, &it->u.rule, h);
            break;
        case BL_DL_TEXT:
            if (it->u.text.font)
                put_run(s, out, &it->u.text, h);
            break;
        }
    }
    fputs("<g fill-opacity=\"0\" xml:space=\"preserve\">\n", out);
    for (size_t i = 0; i < pg->nitems; i++) {
        const bl_dl_item *it = &pg->items[i];
        switch (it->kind) {
        case BL_DL_TEXT:
            if (it->u.text.font && it->u.text.nglyphs)
                put_run_text(out, &it->u.text, h);
            break;
        case BL_DL_RULE:
            break;
        }
    }
    fputs("</g>\n</svg>\n", out);
    int bad = ferror(out);
    fclose(out);
    s->npages = index + 1;
    if (bad || !pf->data)
        return nomem(err);
    return BL_OK;
}

static bl_status svg_end(void *w, bl_writer_output *out, bl_error *err)
{
    svg_writer *s = w;
    for (size_t i = 0; i < s->npages; i++) {
        char suffix[32];
        snprintf(suffix, sizeof suffix, "-%zu", i + 1);
        bl_status st = bl_writer_output_add(out, suffix, (unsigned char *)s->pages[i].data,
                                            s->pages[i].len, err);
        s->pages[i].data = NULL; /* owned by out now, even on failure */
        if (st != BL_OK)
            return st;
    }
    return BL_OK;
}

const bl_writer bl_svg_writer = {
    "svg", ".svg", "SVG, one file per page (OUT-1.svg, ...), glyphs drawn as paths",
    svg_begin, svg_page, svg_end, svg_drop, 0,
};
