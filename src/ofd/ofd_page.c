/* ofd_page.c - one page of the display list as an OFD Content.xml: a text
 * run becomes a TextObject whose TextCodes put every character at its
 * glyph's display-list origin (X, Y, DeltaX), with a CGTransform where the
 * shaped glyph is not the one the font's cmap gives the character (full-width
 * quotation marks, ligatures, several glyphs for one character); a rule
 * becomes a stroked PathObject.
 *
 * OFD's page space is millimetres from the top-left corner, y downwards;
 * the display list's is points from the bottom-left, y upwards. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/utf8.h"
#include "ofd_priv.h"

static bl_status nomem(ofd_writer *w)
{
    return bl_error_set(w->err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory writing the OFD");
}

/* The value paired with key in the ascending keys[0..n) (0 when absent). */
static uint32_t lookup(const uint32_t *keys, const uint32_t *values, size_t n, uint32_t key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (keys[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && keys[lo] == key ? values[lo] : 0;
}

/* The subset's id of glyph gid of f (0 when not in it). */
static uint32_t new_gid(const ofd_font *f, uint32_t gid)
{
    return lookup(f->gids, f->new_gids, f->ngids, gid);
}

/* The subset glyph the cmap gives cp (0 when none). */
static uint32_t cmap_gid(const ofd_font *f, uint32_t cp)
{
    return lookup(f->cps, f->cp_gids, f->ncps, cp);
}

static void put_color(ofd_xml *x, const ofd_writer *w, const char *elem, const bl_color *c)
{
    /* Gray is written as its K-only CMYK equivalent (C = M = Y = 0,
     * K = 1 - gray, the conversion of PDF 32000 10.3.4): it prints the
     * same, one colour space serves the page, and readers that read every
     * Value as RGB (ofd.js) still draw black rather than nothing. */
    float v[4] = {0, 0, 0, 0};
    int n = 4;
    bl_colorspace space = c->space;
    if (space == BL_GRAY) {
        v[3] = 1 - c->v[0];
        space = BL_CMYK;
    } else {
        n = space == BL_RGB ? 3 : 4;
        memcpy(v, c->v, sizeof v);
    }
    char val[64];
    size_t len = 0;
    for (int i = 0; i < n; i++) {
        float f = v[i] < 0 ? 0 : v[i] > 1 ? 1 : v[i];
        len += (size_t)snprintf(val + len, sizeof val - len, "%s%ld", i ? " " : "",
                                lroundf(f * 255.0f));
    }
    ox_open(x, elem);
    ox_attr_uint(x, "ColorSpace", w->cs[space]);
    ox_attr(x, "Value", val);
    ox_empty(x);
}

/* "<ofd:elem ID=.. Boundary=..": a page object with the next ID, its
 * boundary the box (left, bottom, right, top in points, y up); *bx and *by
 * receive the boundary's origin, which the object's coordinates are
 * relative to. */
static void open_object(ofd_writer *w, ofd_xml *x, const bl_dl_page *pg, const char *elem,
                        const double box[4], ofd_mm *bx, ofd_mm *by)
{
    double h = pg->height;
    *bx = ofd_mm_from_pt(box[0]);
    *by = ofd_mm_from_pt(h - box[3]);
    ofd_mm v[4] = {*bx, *by, ofd_mm_from_pt(box[2]) - *bx, ofd_mm_from_pt(h - box[1]) - *by};
    ox_open(x, elem);
    ox_attr_uint(x, "ID", ++w->last_id);
    ox_puts(x, " Boundary=\"");
    for (int i = 0; i < 4; i++) {
        if (i)
            ox_raw(x, " ", 1);
        ox_mm(x, v[i]);
    }
    ox_raw(x, "\"", 1);
}

/* ---- text ---------------------------------------------------------------- */

enum { MAX_CLUSTER_CHARS = 64 };

/* A cluster: the glyphs [g0, g0+ng) of a run showing the characters cps. */
typedef struct cluster {
    size_t g0, ng;
    uint32_t cps[MAX_CLUSTER_CHARS];
    size_t ncps;
} cluster;

/* The cluster starting at glyph *k (advancing *k past it); 0 when the run is
 * done. A glyph with no text continues the cluster before it. */
static int next_cluster(const bl_dl_text *t, size_t *k, cluster *c)
{
    if (*k >= t->nglyphs)
        return 0;
    c->g0 = *k;
    c->ng = 1;
    const char *s;
    while (c->g0 + c->ng < t->nglyphs && bl_dl_glyph_text(t, c->g0 + c->ng, &s) == 0)
        c->ng++;
    *k = c->g0 + c->ng;
    c->ncps = 0;
    size_t len = bl_dl_glyph_text(t, c->g0, &s);
    for (size_t i = 0; i < len && c->ncps < MAX_CLUSTER_CHARS;) {
        uint32_t cp;
        size_t n = bl_utf8_decode(s + i, len - i, &cp);
        if (n == 0)
            n = 1;
        else if (ox_is_char(cp))
            c->cps[c->ncps++] = cp;
        i += n;
    }
    return 1;
}

/* Whether the cluster is drawn: it shows text, with a glyph of the subset
 * (a .notdef for a character no font has shows nothing, as in the PDF). */
static int kept(const ofd_font *f, const bl_dl_text *t, const cluster *c)
{
    uint32_t gid = t->glyphs[c->g0].gid;
    return c->ncps > 0 && gid != 0 && new_gid(f, gid) != 0;
}

static double advance_pt(const bl_dl_text *t, uint32_t gid)
{
    const bl_font_info *in = bl_font_get_info(t->font);
    return (double)bl_font_glyph_advance(t->font, gid) * t->size / in->units_per_em;
}

/* One TextCode being gathered: characters with their absolute x. */
typedef struct segment {
    uint32_t *cps;
    ofd_mm *xs;
    size_t n, cap;
    ofd_mm y;      /* absolute baseline */
    /* CGTransforms: code position, code count, first glyph and glyph count. */
    size_t (*cgt)[4];
    size_t ncgt;
} segment;

/* Makes room for at least want codes; 0 on success. */
static int grow(segment *s, size_t want)
{
    size_t cap = s->cap ? s->cap : 64;
    while (cap < want)
        cap *= 2;
    uint32_t *cps = realloc(s->cps, cap * sizeof *cps);
    if (!cps)
        return -1;
    s->cps = cps;
    ofd_mm *xs = realloc(s->xs, cap * sizeof *xs);
    if (!xs)
        return -1;
    s->xs = xs;
    s->cap = cap;
    return 0;
}

/* Writes the DeltaX list: differences of consecutive x; runs of three or
 * more equal values abbreviated as "g COUNT VALUE" (GB/T 33190 8.3). */
static void put_deltas(ofd_xml *x, const segment *s)
{
    ox_puts(x, " DeltaX=\"");
    for (size_t i = 1; i < s->n;) {
        ofd_mm d = s->xs[i] - s->xs[i - 1];
        size_t r = 1;
        while (i + r < s->n && s->xs[i + r] - s->xs[i + r - 1] == d)
            r++;
        if (i > 1)
            ox_raw(x, " ", 1);
        if (r >= 3) {
            char b[32];
            snprintf(b, sizeof b, "g %zu ", r);
            ox_puts(x, b);
            ox_mm(x, d);
        } else {
            for (size_t k = 0; k < r; k++) {
                if (k)
                    ox_raw(x, " ", 1);
                ox_mm(x, d);
            }
        }
        i += r;
    }
    ox_raw(x, "\"", 1);
}

/* Writes the segment's CGTransforms and TextCode, relative to the object's
 * boundary origin (bx, by), and empties it. */
static void flush(ofd_xml *x, const ofd_font *f, const bl_dl_text *t, segment *s, ofd_mm bx,
                  ofd_mm by)
{
    if (s->n == 0)
        return;
    for (size_t i = 0; i < s->ncgt; i++) {
        ox_open(x, "CGTransform");
        ox_attr_uint(x, "CodePosition", s->cgt[i][0]);
        ox_attr_uint(x, "CodeCount", s->cgt[i][1]);
        ox_attr_uint(x, "GlyphCount", s->cgt[i][3]);
        ox_gt(x);
        ox_open(x, "Glyphs");
        ox_gt(x);
        for (size_t g = 0; g < s->cgt[i][3]; g++) {
            char b[16];
            snprintf(b, sizeof b, "%s%u", g ? " " : "",
                     (unsigned)new_gid(f, t->glyphs[s->cgt[i][2] + g].gid));
            ox_puts(x, b);
        }
        ox_close(x, "Glyphs");
        ox_close(x, "CGTransform");
    }
    ox_open(x, "TextCode");
    ox_attr_mm(x, "X", s->xs[0] - bx);
    ox_attr_mm(x, "Y", s->y - by);
    if (s->n > 1)
        put_deltas(x, s);
    ox_gt(x);
    /* The characters as UTF-8, escaped once for the whole code. */
    char *u = malloc(s->n * 4 + 1);
    if (!u) {
        x->oom = 1;
    } else {
        size_t len = 0;
        for (size_t i = 0; i < s->n; i++)
            len += bl_utf8_encode(s->cps[i], u + len);
        ox_text(x, u, len);
        free(u);
    }
    ox_close(x, "TextCode");
    s->n = 0;
    s->ncgt = 0;
}

/* The run's boundary in points: every kept glyph's origin, widened by the
 * font's bounding box and its advance. 0 when nothing is drawn. */
static int text_box(const ofd_font *f, const bl_dl_text *t, double box[4])
{
    const bl_font_info *in = bl_font_get_info(t->font);
    double k = t->size / in->units_per_em;
    int any = 0;
    cluster c;
    size_t at = 0;
    while (next_cluster(t, &at, &c)) {
        if (!kept(f, t, &c))
            continue;
        for (size_t g = c.g0; g < c.g0 + c.ng; g++) {
            double gx = (double)t->x + t->glyphs[g].x, gy = (double)t->y + bl_dl_glyph_y(t, g);
            double adv = advance_pt(t, t->glyphs[g].gid);
            double l = gx + fmin(0, in->bbox[0] * k), r = gx + fmax(adv, in->bbox[2] * k);
            double b = gy + fmin(0, in->bbox[1] * k), u = gy + fmax(0, in->bbox[3] * k);
            if (!any) {
                box[0] = l, box[1] = b, box[2] = r, box[3] = u;
                any = 1;
            }
            box[0] = fmin(box[0], l), box[1] = fmin(box[1], b);
            box[2] = fmax(box[2], r), box[3] = fmax(box[3], u);
        }
    }
    return any;
}

/* OFD's nine weights: the face's usWeightClass to the nearest hundred. */
static unsigned ofd_weight(int weight)
{
    long v = lround(weight / 100.0) * 100;
    return (unsigned)(v < 100 ? 100 : v > 900 ? 900 : v);
}

static bl_status put_text(ofd_writer *w, ofd_xml *x, const bl_dl_page *pg, const bl_dl_text *t)
{
    long fi = bl_glyph_usage_index(w->usage, t->font);
    if (fi < 0 || t->nglyphs == 0)
        return BL_OK;
    const ofd_font *f = &w->fonts[fi];
    double box[4];
    if (!text_box(f, t, box))
        return BL_OK;
    ofd_mm bx, by;
    open_object(w, x, pg, "TextObject", box, &bx, &by);
    ox_attr_uint(x, "Font", f->id);
    ox_attr_mm(x, "Size", ofd_mm_from_pt(t->size));
    unsigned weight = ofd_weight(bl_font_get_info(t->font)->weight);
    if (weight != 400)
        ox_attr_uint(x, "Weight", weight);
    ox_gt(x);
    put_color(x, w, "FillColor", &t->color);

    /* One CGTransform at most per cluster, so per glyph; the codes grow. */
    segment s = {0};
    s.cgt = malloc(t->nglyphs * sizeof *s.cgt);
    if (!s.cgt)
        return nomem(w);
    bl_status st = BL_OK;
    cluster c;
    size_t at = 0;
    while (next_cluster(t, &at, &c)) {
        if (!kept(f, t, &c))
            continue;
        const bl_dl_glyph *g = &t->glyphs[c.g0];
        ofd_mm y = ofd_mm_from_pt((double)pg->height - ((double)t->y + bl_dl_glyph_y(t, c.g0)));
        /* A new TextCode on another baseline, and after a character beyond
         * the BMP: readers that count DeltaX in UTF-16 units (ofd.js) then
         * still place every later character right. */
        if (s.n > 0 && (y != s.y || s.cps[s.n - 1] > 0xFFFF))
            flush(x, f, t, &s, bx, by);
        if (s.n == 0)
            s.y = y;
        if (c.ncps != 1 || c.ng != 1 || cmap_gid(f, c.cps[0]) != new_gid(f, g->gid)) {
            size_t *cg = s.cgt[s.ncgt++];
            cg[0] = s.n, cg[1] = c.ncps, cg[2] = c.g0, cg[3] = c.ng;
        }
        /* The characters of a many-to-one cluster share its advance. */
        double adv = 0;
        for (size_t k = c.g0; k < c.g0 + c.ng; k++)
            adv += advance_pt(t, t->glyphs[k].gid);
        double gx = (double)t->x + g->x;
        if (s.n + c.ncps > s.cap && grow(&s, s.n + c.ncps) != 0) {
            st = nomem(w);
            break;
        }
        for (size_t j = 0; j < c.ncps; j++) {
            s.cps[s.n] = c.cps[j];
            s.xs[s.n] = ofd_mm_from_pt(gx + adv * (double)j / (double)c.ncps);
            s.n++;
        }
    }
    flush(x, f, t, &s, bx, by);
    free(s.cps);
    free(s.xs);
    free(s.cgt);
    ox_close(x, "TextObject");
    ox_raw(x, "\n", 1);
    return st;
}

/* ---- rules --------------------------------------------------------------- */

static void put_rule(ofd_writer *w, ofd_xml *x, const bl_dl_page *pg, const bl_dl_rule *r)
{
    double hw = r->width / 2.0;
    double l = fmin(r->x0, r->x1) - hw, rt = fmax(r->x0, r->x1) + hw;
    double top = fmax(r->y0, r->y1) + hw, bot = fmin(r->y0, r->y1) - hw;
    double h = pg->height;
    ofd_mm bx, by;
    open_object(w, x, pg, "PathObject", (double[4]){l, bot, rt, top}, &bx, &by);
    ox_attr_mm(x, "LineWidth", ofd_mm_from_pt(r->width));
    ox_gt(x);
    put_color(x, w, "StrokeColor", &r->color);
    ox_open(x, "AbbreviatedData");
    ox_gt(x);
    ox_puts(x, "M ");
    ox_mm(x, ofd_mm_from_pt(r->x0) - bx);
    ox_raw(x, " ", 1);
    ox_mm(x, ofd_mm_from_pt(h - r->y0) - by);
    ox_puts(x, " L ");
    ox_mm(x, ofd_mm_from_pt(r->x1) - bx);
    ox_raw(x, " ", 1);
    ox_mm(x, ofd_mm_from_pt(h - r->y1) - by);
    ox_close(x, "AbbreviatedData");
    ox_close(x, "PathObject");
    ox_raw(x, "\n", 1);
}

/* ---- the page ------------------------------------------------------------ */

bl_status ofd_write_page(ofd_writer *w, size_t index)
{
    const bl_dl_page *pg = &w->d->pages[index];
    const bl_dl_page *first = &w->d->pages[0];
    ofd_xml *x = &w->pages[index];
    w->page_ids[index] = ++w->last_id;
    ox_root(x, "Page");
    ox_gt(x);
    ox_raw(x, "\n", 1);
    ofd_mm pw = ofd_page_mm(pg->width), ph = ofd_page_mm(pg->height);
    if (pw != ofd_page_mm(first->width) || ph != ofd_page_mm(first->height)) {
        /* Not the document's page area: the page says its own. */
        ox_open(x, "Area");
        ox_gt(x);
        ox_open(x, "PhysicalBox");
        ox_puts(x, ">0 0 ");
        ox_mm(x, pw);
        ox_raw(x, " ", 1);
        ox_mm(x, ph);
        ox_close(x, "PhysicalBox");
        ox_close(x, "Area");
        ox_raw(x, "\n", 1);
    }
    ox_open(x, "Content");
    ox_gt(x);
    ox_open(x, "Layer");
    ox_attr_uint(x, "ID", ++w->last_id);
    ox_gt(x);
    ox_raw(x, "\n", 1);
    bl_status st = BL_OK;
    for (size_t i = 0; i < pg->nitems && st == BL_OK; i++) {
        const bl_dl_item *it = &pg->items[i];
        switch (it->kind) {
        case BL_DL_RULE:
            put_rule(w, x, pg, &it->u.rule);
            break;
        case BL_DL_TEXT:
            st = put_text(w, x, pg, &it->u.text);
            break;
        }
    }
    ox_close(x, "Layer");
    ox_close(x, "Content");
    ox_close(x, "Page");
    ox_raw(x, "\n", 1);
    if (st == BL_OK && x->oom)
        st = nomem(w);
    return st;
}
