/* ofd.c - the OFD writer (ofd.h): begin subsets every font the pages use,
 * each page becomes its Content.xml (ofd_page.c), and end writes the
 * document-level parts and zips the package (ofd_zip.c).
 *
 * IDs (ST_ID, unique in the document): the fonts from 1 in the order of
 * first use, then the colour spaces, then per page the page, its layer and
 * its objects in order; MaxUnitID is the last one given. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/grow.h"
#include "../base/utf8.h"
#include "ofd.h"
#include "ofd_priv.h"

static bl_status nomem(ofd_writer *w)
{
    return bl_error_set(w->err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory writing the OFD");
}

/* ---- fonts --------------------------------------------------------------- */

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int add_cp(ofd_font *f, uint32_t cp)
{
    uint32_t *p = bl_reserve(f->cps, &f->cap_cps, f->ncps, 1, sizeof *p, 256);
    if (!p)
        return 0;
    f->cps = p;
    f->cps[f->ncps++] = cp;
    return 1;
}

/* Every character each font's runs set, sorted and unique: the cmap its
 * subset must have (the glyph usage keeps only one text per glyph, and two
 * characters may share a glyph). */
static bl_status collect_chars(ofd_writer *w)
{
    const bl_display *d = w->d;
    for (size_t p = 0; p < d->npages; p++)
        for (size_t i = 0; i < d->pages[p].nitems; i++) {
            const bl_dl_item *it = &d->pages[p].items[i];
            switch (it->kind) {
            case BL_DL_TEXT:
                break;
            case BL_DL_RULE:
                continue;
            }
            const bl_dl_text *t = &it->u.text;
            long fi = t->font ? bl_glyph_usage_index(w->usage, t->font) : -1;
            if (fi < 0)
                continue;
            for (size_t k = 0; k < t->nglyphs; k++) {
                const char *s;
                size_t len = bl_dl_glyph_text(t, k, &s);
                for (size_t j = 0; j < len;) {
                    uint32_t cp;
                    size_t n = bl_utf8_decode(s + j, len - j, &cp);
                    if (n == 0)
                        n = 1;
                    else if (!add_cp(&w->fonts[fi], cp))
                        return nomem(w);
                    j += n;
                }
            }
        }
    for (size_t i = 0; i < w->nfonts; i++) {
        ofd_font *f = &w->fonts[i];
        if (f->ncps == 0)
            continue;
        qsort(f->cps, f->ncps, sizeof *f->cps, cmp_u32);
        size_t u = 1;
        for (size_t k = 1; k < f->ncps; k++)
            if (f->cps[k] != f->cps[u - 1])
                f->cps[u++] = f->cps[k];
        f->ncps = u;
    }
    return BL_OK;
}

/* Subsets every font, with its cmap, into an OpenType file of its own. */
static bl_status subset_fonts(ofd_writer *w)
{
    for (size_t i = 0; i < w->nfonts; i++) {
        ofd_font *f = &w->fonts[i];
        f->new_gids = calloc(f->ngids ? f->ngids : 1, sizeof *f->new_gids);
        f->cp_gids = calloc(f->ncps ? f->ncps : 1, sizeof *f->cp_gids);
        if (!f->new_gids || !f->cp_gids)
            return nomem(w);
        bl_status st = bl_shape_subset_otf(w->shaper, f->font, f->gids, f->ngids, f->cps,
                                           f->ncps, f->new_gids, f->cp_gids, &f->file,
                                           &f->file_len, w->err);
        if (st != BL_OK)
            return st;
        snprintf(f->file_name, sizeof f->file_name, "font_%u.%s", f->id,
                 bl_font_get_info(f->font)->is_cff ? "otf" : "ttf");
    }
    return BL_OK;
}

/* ---- the document-level parts ------------------------------------------- */

static const char *const cs_names[3] = {"GRAY", "RGB", "CMYK"};

static void put_box(ofd_xml *x, const char *name, ofd_mm w, ofd_mm h)
{
    ox_open(x, name);
    ox_puts(x, ">0 0 ");
    ox_mm(x, w);
    ox_raw(x, " ", 1);
    ox_mm(x, h);
    ox_close(x, name);
}

static void put_public_res(const ofd_writer *w, ofd_xml *x)
{
    ox_root(x, "Res");
    ox_attr(x, "BaseLoc", "Res");
    ox_gt(x);
    ox_raw(x, "\n", 1);
    if (w->cs[0] || w->cs[1] || w->cs[2]) {
        ox_open(x, "ColorSpaces");
        ox_gt(x);
        for (int c = 0; c < 3; c++) {
            if (!w->cs[c])
                continue;
            ox_open(x, "ColorSpace");
            ox_attr_uint(x, "ID", w->cs[c]);
            ox_attr(x, "Type", cs_names[c]);
            ox_empty(x);
        }
        ox_close(x, "ColorSpaces");
        ox_raw(x, "\n", 1);
    }
    if (w->nfonts) {
        ox_open(x, "Fonts");
        ox_gt(x);
        ox_raw(x, "\n", 1);
        for (size_t i = 0; i < w->nfonts; i++) {
            const ofd_font *f = &w->fonts[i];
            const bl_font_info *in = bl_font_get_info(f->font);
            ox_open(x, "Font");
            ox_attr_uint(x, "ID", f->id);
            ox_attr(x, "FontName", in->postscript_name);
            ox_attr(x, "FamilyName", in->family);
            /* What a reader that substitutes a system font goes by. */
            if (in->italic_angle)
                ox_attr(x, "Italic", "true");
            if (in->weight >= 600)
                ox_attr(x, "Bold", "true");
            if (strstr(in->family, "Serif"))
                ox_attr(x, "Serif", "true");
            ox_gt(x);
            ox_leaf(x, "FontFile", f->file_name);
            ox_close(x, "Font");
            ox_raw(x, "\n", 1);
        }
        ox_close(x, "Fonts");
        ox_raw(x, "\n", 1);
    }
    ox_close(x, "Res");
    ox_raw(x, "\n", 1);
}

/* The outline: an entry nests under the nearest entry before it of a lower
 * level; each jumps to its page at its top (XYZ, keeping left and zoom). */
static void put_outlines(const ofd_writer *w, ofd_xml *x)
{
    const bl_display *d = w->d;
    int open[64];
    size_t nopen = 0, written = 0;
    for (size_t i = 0; i < d->noutlines; i++) {
        const bl_dl_outline *o = &d->outlines[i];
        if (o->page >= d->npages)
            continue;
        if (written++ == 0) {
            ox_open(x, "Outlines");
            ox_gt(x);
            ox_raw(x, "\n", 1);
        }
        while (nopen > 0 && open[nopen - 1] >= o->level) {
            ox_close(x, "OutlineElem");
            ox_raw(x, "\n", 1);
            nopen--;
        }
        ox_open(x, "OutlineElem");
        ox_attr(x, "Title", o->title ? o->title : "");
        ox_gt(x);
        ox_puts(x, "<ofd:Actions><ofd:Action Event=\"CLICK\"><ofd:Goto><ofd:Dest Type=\"XYZ\"");
        ox_attr_uint(x, "PageID", w->page_ids[o->page]);
        ox_attr_mm(x, "Top", ofd_mm_from_pt((double)d->pages[o->page].height - o->y));
        ox_puts(x, "/></ofd:Goto></ofd:Action></ofd:Actions>");
        if (nopen < sizeof open / sizeof *open) {
            open[nopen++] = o->level;
        } else {
            ox_close(x, "OutlineElem"); /* deeper than any bulletin: kept flat */
        }
        ox_raw(x, "\n", 1);
    }
    while (nopen > 0) {
        ox_close(x, "OutlineElem");
        ox_raw(x, "\n", 1);
        nopen--;
    }
    if (written) {
        ox_close(x, "Outlines");
        ox_raw(x, "\n", 1);
        ox_puts(x, "<ofd:VPreferences><ofd:PageMode>UseOutlines</ofd:PageMode>"
                   "</ofd:VPreferences>\n");
    }
}

static void put_document(const ofd_writer *w, ofd_xml *x)
{
    const bl_display *d = w->d;
    ox_root(x, "Document");
    ox_gt(x);
    ox_puts(x, "\n<ofd:CommonData>");
    char b[24];
    snprintf(b, sizeof b, "%u", w->last_id);
    ox_leaf(x, "MaxUnitID", b);
    ox_open(x, "PageArea");
    ox_gt(x);
    put_box(x, "PhysicalBox", ofd_page_mm(d->pages[0].width), ofd_page_mm(d->pages[0].height));
    ox_close(x, "PageArea");
    ox_leaf(x, "PublicRes", "PublicRes.xml");
    ox_puts(x, "</ofd:CommonData>\n<ofd:Pages>\n");
    for (size_t i = 0; i < d->npages; i++) {
        char loc[64];
        snprintf(loc, sizeof loc, "Pages/Page_%zu/Content.xml", i);
        ox_open(x, "Page");
        ox_attr_uint(x, "ID", w->page_ids[i]);
        ox_attr(x, "BaseLoc", loc);
        ox_empty(x);
        ox_raw(x, "\n", 1);
    }
    ox_puts(x, "</ofd:Pages>\n");
    put_outlines(w, x);
    ox_close(x, "Document");
    ox_raw(x, "\n", 1);
}

/* A 128-bit digest of the package's other parts (two FNV-1a), for DocID:
 * the same document gives the same ID, another document another. */
static void doc_id(const ofd_member *m, size_t n, char out[33])
{
    uint64_t h[2] = {14695981039346656037ull, 0x6c62272e07bb0142ull};
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 2; k++) {
            for (const char *p = m[i].name; *p; p++)
                h[k] = (h[k] ^ (unsigned char)*p) * 1099511628211ull;
            const unsigned char *b = m[i].data;
            for (size_t j = 0; j < m[i].len; j++)
                h[k] = (h[k] ^ b[j]) * 1099511628211ull;
        }
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)h[0], (unsigned long long)h[1]);
}

/* Keywords: the info's list split at commas, semicolons and 、. */
static void put_keywords(ofd_xml *x, const char *s)
{
    int open = 0;
    while (s && *s) {
        size_t n = 0, skip = 0;
        while (s[n]) {
            if (s[n] == ',' || s[n] == ';') {
                skip = 1;
                break;
            }
            if (!strncmp(s + n, "，", 3) || !strncmp(s + n, "；", 3) || !strncmp(s + n, "、", 3)) {
                skip = 3;
                break;
            }
            n++;
        }
        size_t a = 0, e = n;
        while (a < e && s[a] == ' ')
            a++;
        while (e > a && s[e - 1] == ' ')
            e--;
        if (e > a) {
            if (!open++)
                ox_puts(x, "<ofd:Keywords>");
            ox_puts(x, "<ofd:Keyword>");
            ox_text(x, s + a, e - a);
            ox_puts(x, "</ofd:Keyword>");
        }
        s += n + skip;
    }
    if (open)
        ox_puts(x, "</ofd:Keywords>");
}

static void put_ofd(const bl_dl_info *in, const char *id, ofd_xml *x)
{
    ox_root(x, "OFD");
    ox_attr(x, "Version", "1.0");
    ox_attr(x, "DocType", "OFD");
    ox_gt(x);
    ox_puts(x, "\n<ofd:DocBody>\n<ofd:DocInfo>");
    ox_leaf(x, "DocID", id);
    ox_leaf(x, "Title", in->title);
    ox_leaf(x, "Author", in->author);
    ox_leaf(x, "Subject", in->subject);
    if (in->year > 0 && in->year <= 9999) {
        /* The document's own date, never the clock. */
        char date[16];
        snprintf(date, sizeof date, "%04d-%02d-%02d", in->year, in->month, in->day);
        ox_leaf(x, "CreationDate", date);
        ox_leaf(x, "ModDate", date);
    }
    put_keywords(x, in->keywords);
    ox_leaf(x, "Creator", in->creator ? in->creator : "bulletin");
    ox_leaf(x, "CreatorVersion", BL_VERSION);
    ox_puts(x, "</ofd:DocInfo>\n");
    ox_leaf(x, "DocRoot", "Doc_0/Document.xml");
    ox_puts(x, "\n</ofd:DocBody>\n");
    ox_close(x, "OFD");
    ox_raw(x, "\n", 1);
}

/* ---- the writer: begin, pages, end --------------------------------------- */

static void ofd_drop(void *state)
{
    ofd_writer *w = state;
    if (!w)
        return;
    for (size_t i = 0; i < w->nfonts; i++) {
        free(w->fonts[i].new_gids);
        free(w->fonts[i].cps);
        free(w->fonts[i].cp_gids);
        free(w->fonts[i].file);
    }
    free(w->fonts);
    for (size_t i = 0; w->pages && i < w->d->npages; i++)
        free(w->pages[i].p);
    free(w->pages);
    free(w->page_ids);
    bl_glyph_usage_free(w->usage);
    free(w);
}

static bl_status ofd_begin(const bl_display *d, const bl_writer_opts *o, void **state,
                           bl_error *err)
{
    *state = NULL;
    if (d->npages == 0)
        return bl_error_set(err, BL_ERR_USAGE, NULL, 0, 0,
                            "an OFD document needs at least one page");
    ofd_writer *w = calloc(1, sizeof *w);
    if (!w)
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory writing the OFD");
    *state = w;
    w->d = d;
    w->shaper = o->shaper;
    w->err = err;
    bl_status st = bl_glyph_usage_new(d, &w->usage, err);
    if (st != BL_OK)
        return st;
    w->nfonts = bl_glyph_usage_nfonts(w->usage);
    w->fonts = calloc(w->nfonts ? w->nfonts : 1, sizeof *w->fonts);
    w->pages = calloc(d->npages, sizeof *w->pages);
    w->page_ids = calloc(d->npages, sizeof *w->page_ids);
    if (!w->fonts || !w->pages || !w->page_ids)
        return nomem(w);
    for (size_t i = 0; i < w->nfonts; i++) {
        ofd_font *f = &w->fonts[i];
        f->font = bl_glyph_usage_font(w->usage, i);
        f->gids = bl_glyph_usage_gids(w->usage, i, &f->ngids);
        f->id = ++w->last_id;
    }
    /* The colour spaces the pages use, in a fixed order. */
    int used[3] = {0};
    for (size_t p = 0; p < d->npages; p++)
        for (size_t i = 0; i < d->pages[p].nitems; i++) {
            const bl_dl_item *it = &d->pages[p].items[i];
            const bl_color *c = NULL;
            switch (it->kind) {
            case BL_DL_TEXT:
                c = &it->u.text.color;
                break;
            case BL_DL_RULE:
                c = &it->u.rule.color;
                break;
            }
            if (c) /* gray is written as K (ofd_page.c) */
                used[c->space == BL_GRAY ? BL_CMYK : c->space] = 1;
        }
    for (int c = 0; c < 3; c++)
        if (used[c])
            w->cs[c] = ++w->last_id;
    if ((st = collect_chars(w)) != BL_OK)
        return st;
    return subset_fonts(w);
}

static bl_status ofd_page(void *state, size_t index, bl_error *err)
{
    ofd_writer *w = state;
    w->err = err;
    return ofd_write_page(w, index);
}

static bl_status ofd_end(void *state, bl_writer_output *out, bl_error *err)
{
    ofd_writer *w = state;
    w->err = err;
    const bl_display *d = w->d;
    size_t nm = 3 + w->nfonts + d->npages, k = 1;
    ofd_member *m = calloc(nm, sizeof *m);
    char *names = calloc(w->nfonts + d->npages, 64);
    ofd_xml ofd = {0}, doc = {0}, res = {0};
    bl_status st = BL_OK;
    if (!m || !names) {
        st = nomem(w);
        goto done;
    }
    put_document(w, &doc);
    put_public_res(w, &res);
    m[k++] = (ofd_member){"Doc_0/Document.xml", doc.p, doc.n};
    m[k++] = (ofd_member){"Doc_0/PublicRes.xml", res.p, res.n};
    char *name = names;
    for (size_t i = 0; i < w->nfonts; i++, name += 64) {
        snprintf(name, 64, "Doc_0/Res/%s", w->fonts[i].file_name);
        m[k++] = (ofd_member){name, w->fonts[i].file, w->fonts[i].file_len};
    }
    for (size_t i = 0; i < d->npages; i++, name += 64) {
        snprintf(name, 64, "Doc_0/Pages/Page_%zu/Content.xml", i);
        m[k++] = (ofd_member){name, w->pages[i].p, w->pages[i].n};
    }
    char id[33];
    doc_id(m + 1, nm - 1, id);
    put_ofd(&d->info, id, &ofd);
    m[0] = (ofd_member){"OFD.xml", ofd.p, ofd.n};
    if (ofd.oom || doc.oom || res.oom) {
        st = nomem(w);
        goto done;
    }
    unsigned char *zip = NULL;
    size_t len = 0;
    st = ofd_zip(m, nm, &d->info, &zip, &len, err);
    if (st == BL_OK)
        st = bl_writer_output_add(out, "", zip, len, err);
done:
    free(ofd.p);
    free(doc.p);
    free(res.p);
    free(names);
    free(m);
    return st;
}

const bl_writer bl_ofd_writer = {
    "ofd", ".ofd", "OFD (GB/T 33190-2016) with the used glyphs of every font embedded",
    ofd_begin, ofd_page, ofd_end, ofd_drop, 0,
};
