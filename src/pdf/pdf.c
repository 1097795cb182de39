/* pdf.c - the PDF backend: a display list written as a tagged PDF, and on
 * request as PDF/A-1b or PDF/A-2b.
 *
 * libharu, through its public API only (hpdf.h with opaque handles), makes
 * the document's frame: the pages with their sizes and the page tree. What
 * bulletin needs beyond that, libharu's public API cannot write: fonts over
 * CFF-keyed OpenType collections (its loaders reject them, and its
 * ToUnicode maps are BMP-only), content streams of raw text operators (the
 * API has no call that writes bytes into a stream), the structure tree and
 * marked content, XMP metadata, an output intent (HPDF_PDFA_* and the
 * objects they need are in its private headers), a trailer /ID other than
 * its random one, outline entries without a /Type /Outlines of their own,
 * and empty page labels. The choices were: libharu's private headers
 * (hpdf_doc.h, hpdf_objects.h: its internals, which it may change), dropping
 * libharu, or this: libharu's saved document is taken apart by its own xref
 * table (pdf_file.c) and written out again with its objects as they were,
 * the catalog, the pages and their content streams replaced by ours (same
 * object numbers), bulletin's objects after them, one new xref table and a
 * trailer whose /ID hashes the content. It fails loudly (BL_ERR_PDF) on a
 * file libharu did not write as expected; it never edits libharu's bytes.
 *
 * Text: each run is one text object, glyphs placed by TJ displacements from
 * the widths the font program has (/W matches it); a stretch of glyphs that
 * do not sit edge to edge (a compressed mark, letter-spacing) is marked
 * with its /ActualText, so copied text has neither spurious spaces nor
 * broken lines. Fonts are Type0/Identity-H over hb-subset subsets (a
 * TrueType subset renumbered compactly, with a /CIDToGIDMap stream), written
 * after all pages (the glyph set is known then). Tagging, always: a
 * structure tree built from each run's element and paragraph (see
 * struct_type), every run marked content with an MCID, rules, page numbers
 * and leaders marked as artifacts; /Lang zh-CN, /MarkInfo, DisplayDocTitle.
 * PDF/A adds XMP metadata matching the Info dictionary, a CMYK output
 * intent, a CIDSet per font (1b). Output depends only on the display list,
 * the font files and the profile: byte-identical run to run. */
#define HPDF_SHARED /* libharu's public API: opaque handles, no internals */
#include "pdf.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
/* HPDF_STREAM_EOF of hpdf_error.h, which clashes with the public handles. */
#define HPDF_STREAM_EOF 0x1058

#include "../base/fileio.h"
#include "../base/grow.h"
#include "../base/utf8.h"
#include "../display/glyphs.h"
#include "pdf_priv.h"

typedef pdf_buf buf;
#define bput pdf_bput
#define bputs pdf_bputs
#define bnum pdf_bnum
#define bhex4 pdf_bhex4

/* ---- the structure tree -------------------------------------------------- */

/* A structure element; kids are kept as a list of kid records. */
typedef struct s_elem {
    const char *type;
    long parent;      /* element index, -1 for the root's children */
    size_t page;      /* the page of its first content */
    unsigned num;     /* object number, given at the end */
} s_elem;

/* A kid of an element in reading order: a child element or a
 * marked-content sequence (page, mcid). */
typedef struct s_kid {
    size_t elem;
    int is_elem;
    size_t child;     /* element index, or the page */
    unsigned mcid;
} s_kid;

/* What the writer is inside while tagging, in reading order. */
enum { G_NONE, G_MASTHEAD, G_TOC, G_LIST, G_FOOTER };

typedef struct tagger {
    s_elem *elems;
    size_t nelems, cap_elems;
    s_kid *kids;
    size_t nkids, cap_kids;
    int group;        /* G_* */
    long group_elem;  /* the Div / TOC / L element, or -1 */
    long item_elem;   /* the LBody of the list item, or the TOCI, or -1 */
    uint32_t para;    /* the paragraph of the last element made */
    long para_elem;
} tagger;

/* ---- the writer's state ---------------------------------------------------- */

typedef struct page_out {
    unsigned char *content; /* the page's content stream, compressed */
    size_t len;
    unsigned char *fonts;   /* one byte per font known when the page was written: used here */
    size_t nfonts;
    long *mcid_elem;        /* per MCID, its structure element */
    size_t nmcid, cap_mcid;
} page_out;

typedef struct render {
    HPDF_Doc pdf;
    HPDF_STATUS hpdf_error, hpdf_detail;
    const char *failed; /* the first libharu call that failed, for the message */
    const bl_display *d;
    bl_glyph_usage *usage;
    size_t nfonts;
    page_out *pages;
    size_t npages, cap_pages; /* written so far */
    bl_shaper *shaper;
    int pdfa;
    const char *icc;
    tagger tg;
    struct libdeflate_compressor *z; /* for the pages' content streams */
    bl_error *err;
} render;

/* Calls libharu's fn, remembering its name when it fails, so the error says
 * which call it was. */
#define HCALL(r, fn, ...) hcall((r), fn(__VA_ARGS__), #fn)

static HPDF_STATUS hcall(render *r, HPDF_STATUS hs, const char *fn)
{
    if (hs != HPDF_OK && !r->failed)
        r->failed = fn;
    return hs;
}

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
    if (r->failed)
        return bl_error_set(r->err, BL_ERR_PDF, NULL, 0, 0,
                            "libharu failed %s: %s returned error 0x%04X (detail %u)", what,
                            r->failed, (unsigned)r->hpdf_error, (unsigned)r->hpdf_detail);
    return bl_error_set(r->err, BL_ERR_PDF, NULL, 0, 0,
                        "libharu failed %s (error 0x%04X, detail %u)", what,
                        (unsigned)r->hpdf_error, (unsigned)r->hpdf_detail);
}

static bl_status nomem(render *r)
{
    return bl_error_set(r->err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory writing the PDF");
}

/* A glyph's width as /W states it, 1/1000 em rounded to 3 decimals: the
 * same number the TJ displacements are computed from, so they cancel. */
static double width1000(const bl_font *f, uint32_t gid)
{
    const bl_font_info *in = bl_font_get_info(f);
    double w = (double)bl_font_glyph_advance(f, gid) * 1000.0 / in->units_per_em;
    return round(w * 1000.0) / 1000.0;
}

/* ---- tagging: from elements to structure types ---------------------------- */

/* The structure type of a run's element, and the group it belongs to.
 * NULL: an artifact (leaders, page numbers). */
static const char *struct_type(const char *element, int *group)
{
    static const struct {
        const char *element, *type;
        int group;
    } map[] = {
        {"classification", "P", G_MASTHEAD}, {"masthead", "P", G_MASTHEAD},
        {"name", "P", G_MASTHEAD},           {"issue", "P", G_MASTHEAD},
        {"date", "P", G_MASTHEAD},           {"issuer", "P", G_MASTHEAD},
        {"toc-title", "P", G_NONE},          {"toc", "TOCI", G_TOC},
        {"toc-entry", "TOCI", G_TOC},        {"toc-item", "TOCI", G_TOC},
        {"toc-source", "P", G_TOC},          {"toc-page", "P", G_TOC},
        {"title", "H1", G_NONE},             {"section", "H1", G_NONE},
        {"heading1", "H2", G_NONE},          {"heading2", "H3", G_NONE},
        {"heading3", "H4", G_NONE},          {"item-title", "H2", G_LIST},
        {"item-source", "P", G_LIST},        {"footer", "P", G_FOOTER},
        {"toc-leader", NULL, G_NONE},        {"folio", NULL, G_NONE},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (element && strcmp(element, map[i].element) == 0) {
            *group = map[i].group;
            return map[i].type;
        }
    *group = -1; /* body, note, source...: a paragraph where it stands */
    return "P";
}

/* Room for one more kid; 0 when out of memory. */
static int kid_room(tagger *t)
{
    s_kid *k = bl_reserve(t->kids, &t->cap_kids, t->nkids, 1, sizeof *k, 128);
    if (!k)
        return 0;
    t->kids = k;
    return 1;
}

static long new_elem(tagger *t, const char *type, long parent, size_t page)
{
    s_elem *e = bl_reserve(t->elems, &t->cap_elems, t->nelems, 1, sizeof *e, 64);
    if (!e)
        return -2;
    t->elems = e;
    if (!kid_room(t))
        return -2;
    long i = (long)t->nelems++;
    t->elems[i] = (s_elem){type, parent, page, 0};
    if (parent >= 0)
        t->kids[t->nkids++] = (s_kid){(size_t)parent, 1, (size_t)i, 0};
    return i;
}

static int add_mcr(tagger *t, long elem, size_t page, unsigned mcid)
{
    if (!kid_room(t))
        return 0;
    t->kids[t->nkids++] = (s_kid){(size_t)elem, 0, page, mcid};
    return 1;
}

/* Whether the paragraph of item i of pg has a body run after a heading
 * run: a heading run in (its runs follow one another on the page). */
static int run_in(const bl_dl_page *pg, size_t i)
{
    const bl_dl_text *t = &pg->items[i].u.text;
    if (!t->para || !t->element || strncmp(t->element, "heading", 7) != 0)
        return 0;
    for (size_t k = i + 1; k < pg->nitems; k++) {
        const bl_dl_item *it = &pg->items[k];
        switch (it->kind) {
        case BL_DL_TEXT:
            if (it->u.text.para != t->para)
                return 0;
            if (it->u.text.element && strcmp(it->u.text.element, "body") == 0)
                return 1;
            break;
        case BL_DL_RULE:
            break;
        }
    }
    return 0;
}

/* The element a text run's content belongs to, made as reading order
 * demands: the groups (masthead, table of contents, a list of 工作信息
 * items, 版记) open and close around their paragraphs. -2 when out of
 * memory. Element 0 is the Document. */
static long run_elem(tagger *t, const bl_dl_text *run, int run_in, size_t page)
{
    if (run->para && run->para == t->para && t->para_elem >= 0)
        return t->para_elem;
    int group;
    /* A heading run in at the start of a paragraph (一、严密组织督查。)
     * is part of the paragraph. */
    const char *type = struct_type(run_in ? "body" : run->element, &group);
    if (group == -1) /* a plain paragraph stays in a list item, if in one */
        group = t->group == G_LIST ? G_LIST : G_NONE;
    int starts_item = strcmp(type, "TOCI") == 0 || (group == G_LIST && strcmp(type, "H2") == 0);
    if (group != t->group) {
        t->group = group;
        t->group_elem = -1;
        t->item_elem = -1;
        static const char *const gtype[] = {NULL, "Div", "TOC", "L", "Div"};
        if (gtype[group] && (t->group_elem = new_elem(t, gtype[group], 0, page)) == -2)
            return -2;
    }
    long parent = t->group_elem >= 0 ? t->group_elem : 0;
    long e;
    if (group == G_TOC) {
        if (starts_item || t->item_elem < 0)
            t->item_elem = new_elem(t, "TOCI", parent, page);
        if (t->item_elem == -2)
            return -2;
        /* The entry's text is the TOCI's own; its source and page number
         * are paragraphs inside it. */
        e = starts_item ? t->item_elem : new_elem(t, type, t->item_elem, page);
    } else if (group == G_LIST) {
        if (starts_item || t->item_elem < 0) {
            long li = new_elem(t, "LI", parent, page);
            t->item_elem = li < 0 ? li : new_elem(t, "LBody", li, page);
        }
        if (t->item_elem == -2)
            return -2;
        e = new_elem(t, type, t->item_elem, page);
    } else {
        e = new_elem(t, type, parent, page);
    }
    t->para = run->para;
    t->para_elem = e;
    return e;
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

/* A rule: decoration, so an artifact of the layout. */
static void put_rule(buf *b, const bl_dl_rule *ru)
{
    bputs(b, "/Artifact <</Type /Layout>> BDC\nq\n");
    bnum(b, ru->width, 3);
    bputs(b, "w\n");
    put_color(b, &ru->color, 1);
    bnum(b, ru->x0, 3);
    bnum(b, ru->y0, 3);
    bputs(b, "m\n");
    bnum(b, ru->x1, 3);
    bnum(b, ru->y1, 3);
    bputs(b, "l\nS\nQ\nEMC\n");
}

/* Whether the pen moves from glyph k of t to the next by visibly more or
 * less than the glyph's width where the source has no space: a gap (letter-
 * spacing, a proportional mark in a full cell) that poppler and MuPDF would
 * read as a space (both start a word at 0.1 em), or the overlap of a
 * compressed mark, where poppler starts a new line (at 0.2 em of overlap).
 * 0.05 em stays clear of both. */
static int misfit_after(const bl_dl_text *t, size_t k, double size)
{
    const bl_dl_glyph *g = &t->glyphs[k];
    if (k + 1 >= t->nglyphs || (g->flags & BL_DLG_SPACE_AFTER) ||
        bl_dl_glyph_y(t, k + 1) != bl_dl_glyph_y(t, k))
        return 0;
    double step = ((double)t->glyphs[k + 1].x - g->x) * 1000.0 / size;
    return fabs(step - width1000(t->font, g->gid)) > 50.0;
}

/* UTF-8 s[0..len) as UTF-16BE hex digits; a byte that is not UTF-8 is U+FFFD. */
static void put_utf16(buf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = bl_utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            n = 1;
            cp = 0xFFFD;
        }
        i += n;
        pdf_butf16(b, cp);
    }
}

/* The text t's glyphs show, as a PDF text string in hex (UTF-16BE with a
 * byte-order mark): .notdef shows none, as in the ToUnicode map, and a
 * space of the source set as a gap is a space. */
static void put_actual_text(buf *b, const bl_dl_text *t)
{
    bputs(b, "<FEFF");
    for (size_t k = 0; k < t->nglyphs; k++) {
        const bl_dl_glyph *g = &t->glyphs[k];
        if (g->gid != 0) {
            const char *s;
            size_t len = bl_dl_glyph_text(t, k, &s);
            put_utf16(b, s, len);
        }
        if ((g->flags & BL_DLG_SPACE_AFTER) && k + 1 < t->nglyphs)
            pdf_butf16(b, ' ');
    }
    bput(b, ">", 1);
}

static int mark(render *r, buf *b, size_t page, long elem, const char *props);

/* A text run, in the widths its font program has: glyphs on one baseline
 * share a TJ whose displacements put each glyph exactly at its display-list
 * x (after glyph g the pen has moved by W[g]; the displacement takes back
 * the difference to the next glyph's x). A run where some glyph and the
 * next do not sit edge to edge without a space of the source between them
 * (a compressed mark, letter-spacing) is marked with its /ActualText, which
 * poppler spreads evenly over the run: no space read into a gap, no line
 * broken at an overlap. elem: the structure element the run's text belongs
 * to (one marked-content sequence with an MCID), or -1 for an artifact
 * (the caller marks it). 0 when out of memory. */
static int put_text(render *r, buf *b, const bl_dl_text *t, size_t font, size_t page, long elem)
{
    double size = t->size > 0 ? t->size : 1;
    int actual = 0;
    for (size_t k = 0; k + 1 < t->nglyphs && !actual; k++)
        actual = misfit_after(t, k, size);
    if (actual || elem >= 0) {
        buf props = {0};
        if (actual) {
            bputs(&props, "/ActualText ");
            put_actual_text(&props, t);
        }
        bput(&props, "", 1); /* a C string */
        int ok = !props.oom && mark(r, b, page, elem, props.p);
        free(props.p);
        if (!ok)
            return 0;
    }
    bputs(b, "BT\n");
    put_color(b, &t->color, 0);
    char name[24];
    snprintf(name, sizeof name, "/F%zu ", font + 1);
    bputs(b, name);
    bnum(b, t->size, 3);
    bputs(b, "Tf\n");
    for (size_t i = 0; i < t->nglyphs;) {
        /* A group: consecutive glyphs on the same y. */
        const bl_dl_glyph *g0 = &t->glyphs[i];
        float y0 = bl_dl_glyph_y(t, i);
        bputs(b, "1 0 0 1 ");
        bnum(b, (double)t->x + g0->x, 3);
        bnum(b, (double)t->y + y0, 3);
        bputs(b, "Tm\n[<");
        bhex4(b, g0->gid);
        size_t j = i + 1;
        for (; j < t->nglyphs && bl_dl_glyph_y(t, j) == y0; j++) {
            const bl_dl_glyph *p = &t->glyphs[j - 1], *g = &t->glyphs[j];
            double adj = width1000(t->font, p->gid) - ((double)g->x - p->x) * 1000.0 / size;
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
    if (actual || elem >= 0)
        bputs(b, "EMC\n");
    return 1;
}

/* Opens a marked-content sequence for structure element elem (a new MCID
 * on the page), or, with elem -1, a span with only props. 0 when out of
 * memory. */
static int mark(render *r, buf *b, size_t page, long elem, const char *props)
{
    if (elem < 0) {
        bputs(b, "/Span <<");
        bputs(b, props);
        bputs(b, ">> BDC\n");
        return 1;
    }
    page_out *po = &r->pages[page];
    long *m = bl_reserve(po->mcid_elem, &po->cap_mcid, po->nmcid, 1, sizeof *m, 64);
    if (!m)
        return 0;
    po->mcid_elem = m;
    if (!add_mcr(&r->tg, elem, page, po->nmcid))
        return 0;
    po->mcid_elem[po->nmcid] = elem;
    /* The tag names the element's type, but poppler takes /ActualText
     * only from a /Span. */
    pdf_bprintf(b, "/%s <</MCID %zu", *props ? "Span" : r->tg.elems[elem].type, po->nmcid++);
    if (*props) {
        bput(b, " ", 1);
        bputs(b, props);
    }
    bputs(b, ">> BDC\n");
    return 1;
}

static bl_status write_page(render *r, size_t index)
{
    const bl_dl_page *pg = &r->d->pages[index];
    page_out *po = &r->pages[index];
    HPDF_Page page = HPDF_AddPage(r->pdf);
    if (!page && !r->failed)
        r->failed = "HPDF_AddPage";
    if (!page || HCALL(r, HPDF_Page_SetWidth, page, pg->width) != HPDF_OK ||
        HCALL(r, HPDF_Page_SetHeight, page, pg->height) != HPDF_OK)
        return hpdf_fail(r, "adding a page");
    po->fonts = calloc(r->nfonts ? r->nfonts : 1, 1);
    po->nfonts = r->nfonts;
    if (!po->fonts)
        return nomem(r);
    buf b = {0};
    for (size_t i = 0; i < pg->nitems; i++) {
        const bl_dl_item *it = &pg->items[i];
        switch (it->kind) {
        case BL_DL_RULE:
            put_rule(&b, &it->u.rule);
            break;
        case BL_DL_TEXT: {
            const bl_dl_text *t = &it->u.text;
            long fi = t->font && t->nglyphs ? bl_glyph_usage_index(r->usage, t->font) : -1;
            if (fi < 0)
                break;
            po->fonts[fi] = 1;
            int group;
            const char *type = struct_type(t->element, &group);
            if (!type) {
                /* Page numbers and leaders: pagination and decoration. */
                bputs(&b, "/Artifact <</Type /Pagination>> BDC\n");
                put_text(r, &b, t, (size_t)fi, index, -1);
                bputs(&b, "EMC\n");
                break;
            }
            long e = run_elem(&r->tg, t, run_in(pg, i), index);
            if (e == -2 || !put_text(r, &b, t, (size_t)fi, index, e)) {
                free(b.p);
                return nomem(r);
            }
            break;
        }
        }
    }
    int ok = !b.oom && pdf_deflate(&r->z, b.p ? b.p : "", b.n, &po->content, &po->len);
    free(b.p);
    return ok ? BL_OK : nomem(r);
}

/* ---- text strings ---------------------------------------------------------- */

/* libharu's limit for strings, and PDF/A-1's (ISO 19005-1 6.1.12). */
#define MAX_STRING_BYTES 65535u

/* s cut so that as a UTF-16 text string (with its byte-order mark) it takes
 * at most MAX_STRING_BYTES: at a character boundary, ending with "…"
 * (malloc'd; a subject made of every title of 3,000 articles). */
static char *bounded(const char *s)
{
    size_t len = strlen(s), bytes = 2, i = 0, cut = len;
    while (i < len) {
        uint32_t cp;
        size_t k = bl_utf8_decode(s + i, len - i, &cp);
        if (k == 0)
            k = 1;
        size_t units = cp >= 0x10000 ? 4 : 2;
        /* Room for this character and, unless it is the last, the "…". */
        if (bytes + units + (i + k < len ? 2 : 0) > MAX_STRING_BYTES) {
            cut = i;
            break;
        }
        bytes += units;
        i += k;
    }
    char *out = malloc(cut + 4);
    if (!out)
        return NULL;
    memcpy(out, s, cut);
    if (cut < len)
        memcpy(out + cut, "\xE2\x80\xA6", 3);
    out[cut < len ? cut + 3 : cut] = '\0';
    return out;
}

/* A PDF text string: literal when printable ASCII, else UTF-16BE hex with
 * a byte-order mark. s must be bounded already. */
static void put_string(buf *b, const char *s)
{
    int ascii = 1;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p >= 0x7F)
            ascii = 0;
    if (ascii) {
        bput(b, "(", 1);
        for (const char *p = s; *p; p++) {
            if (*p == '(' || *p == ')' || *p == '\\')
                bput(b, "\\", 1);
            bput(b, p, 1);
        }
        bput(b, ")", 1);
        return;
    }
    bputs(b, "<FEFF");
    put_utf16(b, s, strlen(s));
    bput(b, ">", 1);
}

/* ---- fonts --------------------------------------------------------------- */

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

/* The /ToUnicode CMap: bfchar blocks of at most 100 entries (the limit of
 * the CMap format), one per glyph that shows text. */
static void tounicode(buf *b, const render *r, size_t font, const uint32_t *gids, size_t n)
{
    bputs(b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
             "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
             "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    size_t total = 0, ncp;
    for (size_t i = 0; i < n; i++)
        total += bl_glyph_usage_text(r->usage, font, gids[i], &ncp) != NULL;
    size_t i = 0;
    while (total > 0) {
        size_t block = total < 100 ? total : 100;
        pdf_bprintf(b, "%zu beginbfchar\n", block);
        for (size_t k = 0; k < block; i++) {
            uint32_t g = gids[i];
            const uint32_t *cp = bl_glyph_usage_text(r->usage, font, g, &ncp);
            if (!cp)
                continue;
            bput(b, "<", 1);
            bhex4(b, g);
            bputs(b, "> <");
            for (size_t c = 0; c < ncp; c++)
                pdf_butf16(b, cp[c]);
            bputs(b, ">\n");
            k++;
        }
        bputs(b, "endbfchar\n");
        total -= block;
    }
    bputs(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
}

/* /W: only widths that differ from /DW 1000, as `c [w1 w2 ...]` runs of
 * consecutive glyph ids, each the width the font program has. */
static void widths(buf *b, const bl_font *f, const uint32_t *gids, size_t n)
{
    bputs(b, "[");
    int open = 0;
    uint32_t next = 0;
    for (size_t i = 0; i < n; i++) {
        double wd = width1000(f, gids[i]);
        if (wd == 1000) {
            if (open)
                bputs(b, "]");
            open = 0;
            continue;
        }
        if (!open || gids[i] != next) {
            if (open)
                bputs(b, "]");
            pdf_bprintf(b, " %u [", (unsigned)gids[i]);
            open = 1;
        } else {
            bput(b, " ", 1);
        }
        char t[32];
        bputs(b, bl_fmt_num(t, wd, 3));
        next = gids[i] + 1;
    }
    bputs(b, open ? "]]" : "]");
}

/* Font i: subset, descriptor (with a CIDSet for PDF/A-1), descendant
 * CIDFont, /W, ToUnicode, all as new objects; the Type0 is number type0. */
static bl_status write_font(render *r, pdf_objs *o, size_t i, unsigned type0)
{
    const bl_font *font = bl_glyph_usage_font(r->usage, i);
    const bl_font_info *in = bl_font_get_info(font);
    size_t n;
    const uint32_t *gids = bl_glyph_usage_gids(r->usage, i, &n);
    unsigned char *data = NULL;
    size_t len = 0;
    uint32_t *sub_gids = malloc((n ? n : 1) * sizeof *sub_gids);
    if (!sub_gids)
        return nomem(r);
    bl_status st = bl_shape_subset(r->shaper, font, gids, n, sub_gids, &data, &len, r->err);
    if (st != BL_OK) {
        free(sub_gids);
        return st;
    }
    char tag[7], fontname[128 + 8];
    subset_tag(in, gids, n, tag);
    snprintf(fontname, sizeof fontname, "%s+%.100s", tag, in->postscript_name);

    unsigned file = pdf_obj_new(o), tu = pdf_obj_new(o), desc = pdf_obj_new(o);
    unsigned cid = pdf_obj_new(o), cidset = r->pdfa == 1 ? pdf_obj_new(o) : 0;
    unsigned cidmap = in->is_cff ? 0 : pdf_obj_new(o);
    char extra[64];
    if (in->is_cff)
        snprintf(extra, sizeof extra, "/Subtype /CIDFontType0C");
    else
        snprintf(extra, sizeof extra, "/Length1 %zu", len);
    pdf_obj_stream(o, file, extra, data, len, 1);
    free(data);
    if (cidmap) {
        /* TrueType subsets are renumbered compactly: the codes (the full
         * font's glyph ids) map to the subset's glyphs, two bytes a code up
         * to the largest used. */
        uint32_t maxcid = 0;
        for (size_t k = 0; k < n; k++)
            maxcid = gids[k] > maxcid ? gids[k] : maxcid;
        size_t maplen = 2 * ((size_t)maxcid + 1);
        unsigned char *map = calloc(maplen, 1);
        if (!map) {
            free(sub_gids);
            return nomem(r);
        }
        for (size_t k = 0; k < n; k++) {
            map[2 * gids[k]] = (unsigned char)(sub_gids[k] >> 8);
            map[2 * gids[k] + 1] = (unsigned char)(sub_gids[k] & 0xFF);
        }
        pdf_obj_stream(o, cidmap, NULL, map, maplen, 1);
        free(map);
    }
    free(sub_gids);
    buf cmap = {0};
    tounicode(&cmap, r, i, gids, n);
    if (cmap.oom)
        return nomem(r);
    pdf_obj_stream(o, tu, NULL, cmap.p, cmap.n, 1);
    free(cmap.p);
    if (cidset) {
        /* PDF/A-1 6.3.5: the CIDs the subset holds, one bit each, .notdef
         * (CID 0) always. CIDs are glyph ids of the full font here. */
        uint32_t max = 0;
        for (size_t k = 0; k < n; k++)
            if (gids[k] > max)
                max = gids[k];
        size_t bytes = max / 8 + 1;
        unsigned char *bits = calloc(bytes, 1);
        if (!bits)
            return nomem(r);
        bits[0] |= 0x80;
        for (size_t k = 0; k < n; k++)
            bits[gids[k] / 8] |= (unsigned char)(0x80 >> (gids[k] % 8));
        pdf_obj_stream(o, cidset, NULL, bits, bytes, 1);
        free(bits);
    }

    /* FontDescriptor with the face's real metrics, in 1/1000 em. */
    double k = 1000.0 / in->units_per_em;
    /* Symbolic (4): the glyphs lie outside the Latin standard set; Serif (2)
     * and Italic (64) as the face is. */
    int flags = 4 | (strstr(in->family, "Serif") ? 2 : 0) | (in->italic_angle ? 64 : 0);
    /* No stem width in OpenType: estimate it from the weight class. */
    int stemv = (int)lround(10 + 220.0 * (in->weight > 50 ? in->weight - 50 : 0) / 900.0);
    buf *b = pdf_obj_begin(o, desc);
    pdf_bprintf(b, "<< /Type /FontDescriptor /FontName /%s /Flags %d /FontBBox [%ld %ld %ld %ld]",
                fontname, flags, lround(in->bbox[0] * k), lround(in->bbox[1] * k),
                lround(in->bbox[2] * k), lround(in->bbox[3] * k));
    pdf_bprintf(b, " /ItalicAngle %d /Ascent %ld /Descent %ld /CapHeight %ld /StemV %d",
                (int)in->italic_angle, lround(in->ascender * k), lround(in->descender * k),
                lround(in->cap_height * k), stemv);
    pdf_bprintf(b, " /%s %u 0 R", in->is_cff ? "FontFile3" : "FontFile2", file);
    if (cidset)
        pdf_bprintf(b, " /CIDSet %u 0 R", cidset);
    bputs(b, " >>");
    pdf_obj_end(o);

    b = pdf_obj_begin(o, cid);
    pdf_bprintf(b, "<< /Type /Font /Subtype /%s /BaseFont /%s",
                in->is_cff ? "CIDFontType0" : "CIDFontType2", fontname);
    pdf_bprintf(b, " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
                   " /FontDescriptor %u 0 R /DW 1000 /W ",
                desc);
    widths(b, font, gids, n);
    if (cidmap)
        pdf_bprintf(b, " /CIDToGIDMap %u 0 R", cidmap);
    bputs(b, " >>");
    pdf_obj_end(o);

    b = pdf_obj_begin(o, type0);
    /* A Type0 over a CIDFontType0 is named font-CMap (PDF 32000 9.7.6.1). */
    pdf_bprintf(b, "<< /Type /Font /Subtype /Type0 /BaseFont /%s%s /Encoding /Identity-H"
                   " /DescendantFonts [%u 0 R] /ToUnicode %u 0 R >>",
                fontname, in->is_cff ? "-Identity-H" : "", cid, tu);
    pdf_obj_end(o);
    return o->body.oom ? nomem(r) : BL_OK;
}

/* ---- document-level objects --------------------------------------------- */

/* The Info strings, bounded, shared by Info and XMP so they match. */
typedef struct doc_info {
    char *title, *author, *subject, *keywords, *creator;
    char pdf_date[40], xmp_date[40];
} doc_info;

static void doc_info_free(doc_info *di)
{
    free(di->title);
    free(di->author);
    free(di->subject);
    free(di->keywords);
    free(di->creator);
}

static int doc_info_make(doc_info *di, const bl_dl_info *in)
{
    memset(di, 0, sizeof *di);
    const char *src[] = {in->title, in->author, in->subject, in->keywords,
                         in->creator ? in->creator : "bulletin"};
    char **dst[] = {&di->title, &di->author, &di->subject, &di->keywords, &di->creator};
    for (int i = 0; i < 5; i++)
        if (src[i] && !(*dst[i] = bounded(src[i])))
            return 0;
    if (in->year != 0) {
        /* From the document's own date, never the clock (determinism). */
        snprintf(di->pdf_date, sizeof di->pdf_date, "D:%04d%02d%02d%02d%02d%02d+00'00'",
                 in->year, in->month, in->day, in->hour, in->minute, in->second);
        snprintf(di->xmp_date, sizeof di->xmp_date, "%04d-%02d-%02dT%02d:%02d:%02d+00:00",
                 in->year, in->month, in->day, in->hour, in->minute, in->second);
    }
    return 1;
}

static const char PRODUCER[] = "bulletin with libharu";

static void write_info(pdf_objs *o, unsigned num, const doc_info *di)
{
    buf *b = pdf_obj_begin(o, num);
    bputs(b, "<<");
    const struct {
        const char *key, *value;
    } f[] = {{"Title", di->title},       {"Author", di->author},
             {"Subject", di->subject},   {"Keywords", di->keywords},
             {"Creator", di->creator},   {"Producer", PRODUCER}};
    for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
        if (!f[i].value)
            continue;
        pdf_bprintf(b, " /%s ", f[i].key);
        put_string(b, f[i].value);
    }
    if (*di->pdf_date)
        pdf_bprintf(b, " /CreationDate (%s) /ModDate (%s)", di->pdf_date, di->pdf_date);
    bputs(b, " >>");
    pdf_obj_end(o);
}

static void xml_text(buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '&')
            bputs(b, "&amp;");
        else if (c == '<')
            bputs(b, "&lt;");
        else if (c == '>')
            bputs(b, "&gt;");
        else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            bput(b, " ", 1); /* not a character XML allows */
        else
            bput(b, s, 1);
    }
}

/* XMP metadata that says what Info says (ISO 19005-1 6.7.3), with the
 * PDF/A identification; uncompressed, as PDF/A-1 wants it readable. */
static void write_xmp(pdf_objs *o, unsigned num, const doc_info *di, int part)
{
    buf x = {0};
    bputs(&x, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
              "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
              "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
              "<rdf:Description rdf:about=\"\""
              " xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
              " xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\""
              " xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\""
              " xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
              "<dc:format>application/pdf</dc:format>\n");
    if (di->title) {
        bputs(&x, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
        xml_text(&x, di->title);
        bputs(&x, "</rdf:li></rdf:Alt></dc:title>\n");
    }
    if (di->author) {
        bputs(&x, "<dc:creator><rdf:Seq><rdf:li>");
        xml_text(&x, di->author);
        bputs(&x, "</rdf:li></rdf:Seq></dc:creator>\n");
    }
    if (di->subject) {
        bputs(&x, "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">");
        xml_text(&x, di->subject);
        bputs(&x, "</rdf:li></rdf:Alt></dc:description>\n");
    }
    if (di->keywords) {
        bputs(&x, "<pdf:Keywords>");
        xml_text(&x, di->keywords);
        bputs(&x, "</pdf:Keywords>\n");
    }
    bputs(&x, "<pdf:Producer>");
    xml_text(&x, PRODUCER);
    bputs(&x, "</pdf:Producer>\n<xmp:CreatorTool>");
    xml_text(&x, di->creator ? di->creator : "");
    bputs(&x, "</xmp:CreatorTool>\n");
    if (*di->xmp_date)
        pdf_bprintf(&x,
                    "<xmp:CreateDate>%s</xmp:CreateDate>\n"
                    "<xmp:ModifyDate>%s</xmp:ModifyDate>\n",
                    di->xmp_date, di->xmp_date);
    pdf_bprintf(&x, "<pdfaid:part>%d</pdfaid:part>\n<pdfaid:conformance>B</pdfaid:conformance>\n",
                part);
    bputs(&x, "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
    if (x.oom) {
        o->body.oom = 1;
        return;
    }
    pdf_obj_stream(o, num, "/Type /Metadata /Subtype /XML", x.p, x.n, 0);
    free(x.p);
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
static void put_labels(buf *b, const bl_display *d)
{
    bputs(b, " /PageLabels << /Nums [");
    long prev = -2;
    int prev_null = 0;
    for (size_t i = 0; i < d->npages; i++) {
        const char *lab = d->pages[i].label;
        long num = label_number(lab);
        if (num > 0) {
            if (num != prev + 1)
                pdf_bprintf(b, " %zu << /S /D /St %ld >>", i, num);
            prev = num;
            prev_null = 0;
        } else {
            if (lab || !prev_null || i == 0) {
                pdf_bprintf(b, " %zu << /St 1", i);
                if (lab) {
                    char *s = bounded(lab);
                    if (!s) {
                        b->oom = 1;
                        return;
                    }
                    bputs(b, " /P ");
                    put_string(b, s);
                    free(s);
                }
                bputs(b, " >>");
            }
            prev = -2;
            prev_null = lab == NULL;
        }
    }
    bputs(b, " ] >>");
}

/* The outline: a root (the only /Type /Outlines) and entries whose level 1
 * nests under the level-0 entry before it; each goes to its entry's top,
 * [page /XYZ null top null], keeping the reader's left and zoom. Returns the
 * root's number, 0 when there is none. */
static unsigned write_outlines(render *r, pdf_objs *o, const pdf_haru *h)
{
    const bl_display *d = r->d;
    size_t n = 0;
    for (size_t i = 0; i < d->noutlines; i++)
        n += d->outlines[i].page < d->npages;
    if (n == 0)
        return 0;
    unsigned root = pdf_obj_new(o);
    unsigned *num = calloc(d->noutlines, sizeof *num);
    long *parent = calloc(d->noutlines, sizeof *parent);
    if (!num || !parent) {
        free(num);
        free(parent);
        o->body.oom = 1;
        return 0;
    }
    long top = -1;
    for (size_t i = 0; i < d->noutlines; i++) {
        const bl_dl_outline *ol = &d->outlines[i];
        if (ol->page >= d->npages)
            continue;
        num[i] = pdf_obj_new(o);
        parent[i] = ol->level > 0 && top >= 0 ? top : -1;
        if (ol->level == 0 || top < 0)
            top = (long)i;
    }
    /* Siblings, first and last children, counts (top level open). */
    for (size_t i = 0; i < d->noutlines; i++) {
        if (!num[i])
            continue;
        long prev = -1, next = -1, first = -1, last = -1;
        size_t kids = 0;
        for (size_t j = 0; j < d->noutlines; j++) {
            if (!num[j])
                continue;
            if (parent[j] == parent[i] && j < i)
                prev = (long)j;
            if (parent[j] == parent[i] && j > i && next < 0)
                next = (long)j;
            if (parent[j] == (long)i) {
                if (first < 0)
                    first = (long)j;
                last = (long)j;
                kids++;
            }
        }
        char *title = bounded(d->outlines[i].title ? d->outlines[i].title : "");
        if (!title) {
            o->body.oom = 1;
            break;
        }
        buf *b = pdf_obj_begin(o, num[i]);
        bputs(b, "<< /Title ");
        put_string(b, title);
        free(title);
        pdf_bprintf(b, " /Parent %u 0 R", parent[i] >= 0 ? num[parent[i]] : root);
        if (prev >= 0)
            pdf_bprintf(b, " /Prev %u 0 R", num[prev]);
        if (next >= 0)
            pdf_bprintf(b, " /Next %u 0 R", num[next]);
        if (first >= 0)
            pdf_bprintf(b, " /First %u 0 R /Last %u 0 R /Count %zu", num[first], num[last],
                        kids);
        pdf_bprintf(b, " /Dest [%u 0 R /XYZ null ", h->page[d->outlines[i].page]);
        bnum(b, d->outlines[i].y, 2);
        bputs(b, "null] >>");
        pdf_obj_end(o);
    }
    long first = -1, last = -1;
    size_t count = 0;
    for (size_t i = 0; i < d->noutlines; i++)
        if (num[i]) {
            count++; /* top-level entries are open: all count */
            if (parent[i] < 0) {
                if (first < 0)
                    first = (long)i;
                last = (long)i;
            }
        }
    buf *b = pdf_obj_begin(o, root);
    pdf_bprintf(b, "<< /Type /Outlines /First %u 0 R /Last %u 0 R /Count %zu >>", num[first],
                num[last], count);
    pdf_obj_end(o);
    free(num);
    free(parent);
    return root;
}

/* The structure tree: the root, the Document and every element, kids in
 * reading order; the parent tree maps each page's MCIDs to their elements. */
static unsigned write_struct(render *r, pdf_objs *o, const pdf_haru *h)
{
    tagger *t = &r->tg;
    unsigned root = pdf_obj_new(o), ptree = pdf_obj_new(o);
    for (size_t i = 0; i < t->nelems; i++)
        t->elems[i].num = pdf_obj_new(o);
    /* Kids grouped by element, order kept (a counting sort). */
    size_t *start = calloc(t->nelems + 1, sizeof *start);
    size_t *order = malloc((t->nkids ? t->nkids : 1) * sizeof *order);
    if (!start || !order) {
        free(start);
        free(order);
        o->body.oom = 1;
        return 0;
    }
    for (size_t k = 0; k < t->nkids; k++)
        start[t->kids[k].elem + 1]++;
    for (size_t i = 0; i < t->nelems; i++)
        start[i + 1] += start[i];
    size_t *fill = calloc(t->nelems + 1, sizeof *fill);
    if (!fill) {
        free(start);
        free(order);
        o->body.oom = 1;
        return 0;
    }
    for (size_t k = 0; k < t->nkids; k++) {
        size_t e = t->kids[k].elem;
        order[start[e] + fill[e]++] = k;
    }
    free(fill);
    for (size_t i = 0; i < t->nelems; i++) {
        const s_elem *e = &t->elems[i];
        buf *b = pdf_obj_begin(o, e->num);
        /* /Type /StructElem is optional: left out, as there are many. */
        pdf_bprintf(b, "<< /S /%s /P %u 0 R", e->type,
                    e->parent >= 0 ? t->elems[e->parent].num : root);
        if (e->page < r->d->npages) /* a document without pages has none */
            pdf_bprintf(b, " /Pg %u 0 R", h->page[e->page]);
        bputs(b, " /K [");
        for (size_t q = start[i]; q < start[i + 1]; q++) {
            const s_kid *k = &t->kids[order[q]];
            if (k->is_elem)
                pdf_bprintf(b, " %u 0 R", t->elems[k->child].num);
            else if (k->child == e->page)
                pdf_bprintf(b, " %u", k->mcid);
            else
                pdf_bprintf(b, " << /Type /MCR /Pg %u 0 R /MCID %u >>", h->page[k->child],
                            k->mcid);
        }
        bputs(b, " ] >>");
        pdf_obj_end(o);
    }
    free(start);
    free(order);
    buf *b = pdf_obj_begin(o, ptree);
    bputs(b, "<< /Nums [");
    for (size_t p = 0; p < r->d->npages; p++) {
        pdf_bprintf(b, " %zu [", p);
        for (size_t m = 0; m < r->pages[p].nmcid; m++)
            pdf_bprintf(b, " %u 0 R", t->elems[r->pages[p].mcid_elem[m]].num);
        bputs(b, " ]");
    }
    bputs(b, " ] >>");
    pdf_obj_end(o);
    b = pdf_obj_begin(o, root);
    pdf_bprintf(b,
                "<< /Type /StructTreeRoot /K [%u 0 R] /ParentTree %u 0 R"
                " /ParentTreeNextKey %zu >>",
                t->elems[0].num, ptree, r->d->npages);
    pdf_obj_end(o);
    return root;
}

/* The PDF/A output intent: the CMYK profile the colours are meant for. */
static bl_status write_intent(render *r, pdf_objs *o, unsigned *intent)
{
    char *icc = NULL;
    size_t len = 0;
    const char *path = r->icc ? r->icc : BL_PDFA_ICC;
    bl_status st = bl_read_file(path, 16u << 20, &icc, &len, r->err);
    if (st != BL_OK)
        return st;
    if (len < 132 || memcmp(icc + 16, "CMYK", 4) != 0 || memcmp(icc + 36, "acsp", 4) != 0) {
        free(icc);
        return bl_error_set(r->err, BL_ERR_PDF, path, 0, 0,
                            "not a CMYK ICC profile: the PDF/A output intent needs one");
    }
    unsigned prof = pdf_obj_new(o);
    *intent = pdf_obj_new(o);
    pdf_obj_stream(o, prof, "/N 4", icc, len, 1);
    free(icc);
    buf *b = pdf_obj_begin(o, *intent);
    pdf_bprintf(b, "<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (CGATS TR 001)"
                   " /RegistryName (http://www.color.org) /Info (SWOP CMYK, Artifex)"
                   " /DestOutputProfile %u 0 R >>",
                prof);
    pdf_obj_end(o);
    return o->body.oom ? nomem(r) : BL_OK;
}

/* ---- the writer: begin, pages, end --------------------------------------- */

static void pdf_drop(void *w)
{
    render *r = w;
    if (!r)
        return;
    if (r->pages)
        for (size_t i = 0; i < r->npages; i++) {
            free(r->pages[i].content);
            free(r->pages[i].fonts);
            free(r->pages[i].mcid_elem);
        }
    free(r->pages);
    free(r->tg.elems);
    free(r->tg.kids);
    pdf_deflate_free(r->z);
    bl_glyph_usage_free(r->usage);
    if (r->pdf)
        HPDF_Free(r->pdf);
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
    r->pdfa = o->pdfa;
    r->icc = o->icc;
    r->err = err;
    r->tg.group_elem = r->tg.item_elem = r->tg.para_elem = -1;
    /* Pages may come as they are laid out: the glyph usage grows with them
     * and is finished at the end, when the fonts are written. */
    r->usage = bl_glyph_usage_begin();
    if (!r->usage || new_elem(&r->tg, "Document", -1, 0) != 0)
        return nomem(r);
    r->pdf = HPDF_New(on_hpdf_error, r);
    if (!r->pdf)
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "libharu cannot create a document");
    return BL_OK;
}

static bl_status pdf_page(void *w, size_t index, bl_error *err)
{
    render *r = w;
    r->err = err;
    if (index != r->npages)
        return bl_error_set(err, BL_ERR_PDF, NULL, 0, 0, "PDF pages must come in order");
    page_out *pages = bl_reserve(r->pages, &r->cap_pages, index, 1, sizeof *pages, 16);
    if (!pages)
        return nomem(r);
    r->pages = pages;
    memset(&pages[index], 0, sizeof pages[index]);
    r->npages = index + 1;
    bl_status st = bl_glyph_usage_add_page(r->usage, &r->d->pages[index], err);
    if (st != BL_OK)
        return st;
    r->nfonts = bl_glyph_usage_nfonts(r->usage);
    return write_page(r, index);
}

/* libharu's document, saved into memory. */
static bl_status save_haru(render *r, unsigned char **data, size_t *size)
{
    if (HCALL(r, HPDF_SaveToStream, r->pdf) != HPDF_OK)
        return hpdf_fail(r, "saving the document");
    HPDF_UINT32 n = HPDF_GetStreamSize(r->pdf);
    unsigned char *p = malloc((size_t)n + 1);
    if (!p)
        return nomem(r);
    HPDF_UINT32 got = 0;
    while (got < n) {
        HPDF_UINT32 chunk = n - got;
        HPDF_STATUS hs = HPDF_ReadFromStream(r->pdf, p + got, &chunk);
        got += chunk;
        if (chunk == 0 || (hs != HPDF_OK && hs != HPDF_STREAM_EOF))
            break;
    }
    if (got != n) {
        free(p);
        r->failed = r->failed ? r->failed : "HPDF_ReadFromStream";
        return hpdf_fail(r, "reading the saved document");
    }
    p[n] = '\0'; /* for pdf_haru_parse */
    *data = p;
    *size = n;
    /* Its objects and its saved stream are done with: the rest is ours. */
    HPDF_Free(r->pdf);
    r->pdf = NULL;
    return BL_OK;
}

/* What the file's pieces point into, handed over with them. */
typedef struct file_keep {
    pdf_file file; /* its pieces, glue and trailer */
    unsigned char *haru;
    char *body;
    unsigned char **contents; /* each page's compressed content stream */
    size_t ncontents;
} file_keep;

static void file_keep_free(void *p)
{
    file_keep *k = p;
    if (!k)
        return;
    free(k->file.glue);
    free(k->file.trailer);
    free(k->haru);
    free(k->body);
    for (size_t i = 0; i < k->ncontents; i++)
        free(k->contents[i]);
    free(k->contents);
    free(k);
}

static bl_status pdf_end(void *w, bl_writer_output *out, bl_error *err)
{
    render *r = w;
    r->err = err;
    const bl_display *d = r->d;
    unsigned char *haru_data = NULL;
    size_t haru_len = 0;
    bl_status st = save_haru(r, &haru_data, &haru_len);
    if (st != BL_OK)
        return st;
    pdf_haru h;
    pdf_objs o;
    doc_info di;
    memset(&h, 0, sizeof h);
    memset(&o, 0, sizeof o);
    memset(&di, 0, sizeof di);
    if (st == BL_OK && r->npages != d->npages)
        st = bl_error_set(err, BL_ERR_PDF, NULL, 0, 0, "a PDF page was not written");
    if (st == BL_OK)
        st = bl_glyph_usage_finish(r->usage, err);
    if (st == BL_OK)
        st = pdf_haru_parse(&h, haru_data, haru_len, d->npages, err);
    if (st == BL_OK && pdf_objs_init(&o, h.size) != BL_OK)
        st = nomem(r);
    if (st == BL_OK && !doc_info_make(&di, &d->info))
        st = nomem(r);
    /* Fonts, after all pages: the glyph set is complete only now. */
    unsigned *type0 = calloc(r->nfonts + 1, sizeof *type0);
    if (st == BL_OK && !type0)
        st = nomem(r);
    for (size_t i = 0; i < r->nfonts && st == BL_OK; i++)
        if ((type0[i] = pdf_obj_new(&o)) != 0)
            st = write_font(r, &o, i, type0[i]);
    unsigned info = 0, xmp = 0, intent = 0, outlines = 0, stroot = 0;
    if (st == BL_OK && r->pdfa)
        st = write_intent(r, &o, &intent);
    if (st == BL_OK) {
        info = pdf_obj_new(&o);
        write_info(&o, info, &di);
        if (r->pdfa) {
            xmp = pdf_obj_new(&o);
            write_xmp(&o, xmp, &di, r->pdfa);
        }
        outlines = write_outlines(r, &o, &h);
        stroot = write_struct(r, &o, &h);
        /* Each page: libharu's page object and content stream replaced. */
        for (size_t p = 0; p < d->npages; p++) {
            const bl_dl_page *pg = &d->pages[p];
            page_out *po = &r->pages[p];
            /* The content, compressed when the page was written. */
            char dict[64];
            snprintf(dict, sizeof dict, "<< /Length %zu /Filter /FlateDecode >>", po->len);
            pdf_obj_stream_ext(&o, h.content[p], dict, po->content, po->len);
            buf *b = pdf_obj_begin(&o, h.page[p]);
            pdf_bprintf(b, "<< /Type /Page /Parent %u 0 R /MediaBox [0 0 ", h.pages);
            bnum(b, pg->width, 3);
            bnum(b, pg->height, 3);
            bputs(b, "] /Resources << /ProcSet [/PDF /Text] /Font <<");
            for (size_t f = 0; f < po->nfonts; f++)
                if (po->fonts && po->fonts[f])
                    pdf_bprintf(b, " /F%zu %u 0 R", f + 1, type0[f]);
            pdf_bprintf(b, " >> >> /Contents %u 0 R /StructParents %zu /Tabs /S >>",
                        h.content[p], p);
            pdf_obj_end(&o);
        }
        buf *b = pdf_obj_begin(&o, h.root);
        pdf_bprintf(b, "<< /Type /Catalog /Pages %u 0 R", h.pages);
        put_labels(b, d);
        if (outlines)
            pdf_bprintf(b, " /Outlines %u 0 R /PageMode /UseOutlines", outlines);
        pdf_bprintf(b, " /StructTreeRoot %u 0 R /MarkInfo << /Marked true >> /Lang (zh-CN)"
                       " /ViewerPreferences << /DisplayDocTitle true >>",
                    stroot);
        if (xmp)
            pdf_bprintf(b, " /Metadata %u 0 R", xmp);
        if (intent)
            pdf_bprintf(b, " /OutputIntents [%u 0 R]", intent);
        bputs(b, " >>");
        pdf_obj_end(&o);
        if (o.body.oom)
            st = nomem(r);
    }
    /* PDF 1.4 for PDF/A-1 (and plain files: CIDFontType0C needs 1.3);
     * PDF/A-2 is based on PDF 1.7. */
    file_keep *keep = st == BL_OK ? calloc(1, sizeof *keep) : NULL;
    if (st == BL_OK && keep)
        keep->contents = calloc(d->npages + 1, sizeof *keep->contents);
    if (st == BL_OK && (!keep || !keep->contents))
        st = nomem(r);
    if (st == BL_OK)
        st = pdf_assemble(&h, &o, r->pdfa == 2 ? "1.7" : "1.4", h.root, info, &keep->file,
                          err);
    bl_io_piece *pieces = NULL;
    size_t npieces = 0, len = 0;
    if (st == BL_OK) {
        /* The file is handed over as its pieces, with what they point into:
         * 10 MB of text makes a 25 MB file, not copied once more. */
        pieces = keep->file.pieces;
        npieces = keep->file.npieces;
        len = keep->file.len;
        keep->file.pieces = NULL;
        keep->haru = haru_data;
        haru_data = NULL;
        keep->body = o.body.p;
        o.body.p = NULL;
        for (size_t p = 0; p < d->npages; p++) {
            keep->contents[p] = r->pages[p].content;
            r->pages[p].content = NULL;
        }
        keep->ncontents = d->npages;
    }
    free(type0);
    doc_info_free(&di);
    pdf_objs_free(&o);
    pdf_haru_free(&h);
    free(haru_data);
    if (st != BL_OK) {
        file_keep_free(keep);
        return st;
    }
    return bl_writer_output_add_pieces(out, "", pieces, npieces, len, keep, file_keep_free, err);
}

const bl_writer bl_pdf_writer = {
    "pdf", ".pdf", "tagged PDF with the used glyphs of every font subset and embedded",
    pdf_begin, pdf_page, pdf_end, pdf_drop, 1,
};

bl_status bl_pdf_render(const bl_display *d, bl_shaper *shaper, unsigned char **out,
                        size_t *out_len, bl_error *err)
{
    *out = NULL;
    *out_len = 0;
    bl_writer_opts o = {shaper, 0, NULL};
    bl_writer_output files = {0};
    bl_status st = bl_writer_run(&bl_pdf_writer, d, &o, &files, err);
    if (st == BL_OK)
        st = bl_writer_output_flatten(&files, err);
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
