/* layout.c - the bulletin page: masthead, 目录, articles, sections of items,
 * 版记 and page numbers on the GB/T 9704 grid (figures from the style).
 *
 * Page 1 opens with the masthead at fixed positions. Everything after it is a
 * flow of lines on the grid (lay_line), paginated with keep rules: a title or
 * heading stays with two lines of what follows, no paragraph leaves a single
 * line alone at a page's top or bottom. The 版记 is then set at the bottom of
 * the last page, which is made even for two-sided printing. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../base/utf8.h"
#include "layout_priv.h"

/* The em box of CJK faces: 0.88 em above the baseline, 0.12 below. */
#define CJK_ASCENT 0.88f
#define CJK_DESCENT 0.12f

static const bl_color BLACK = {BL_GRAY, {0, 0, 0, 0}};

static bl_status nomem(lay_ctx *c)
{
    return bl_error_set(c->err, BL_ERR_NOMEM, c->doc->file, 0, 0,
                        "out of memory laying out the pages");
}

/* The text of a bl_text, or "" */
static const char *str(const bl_text *t)
{
    return t->len ? t->s : "";
}

/* ---- flow building --------------------------------------------------- */

/* Sets spans as a paragraph and appends its lines to the flow.
 * keep_first: lines to keep with what follows (a heading's own lines);
 * Orphans and widows: the first two and the last two lines of a paragraph
 * stay together. */
typedef struct flow_opts {
    float space_before;
    int keep_all;      /* keep every line with the next (titles, headings) */
    int break_before;
    const char *outline;
    int outline_level;
} flow_opts;

static bl_status flow_para(lay_ctx *c, const lay_span *spans, size_t n,
                           const lay_para_opts *po, const flow_opts *fo)
{
    lay_set set;
    bl_status st = lay_set_para(c, spans, n, po, &set);
    if (st != BL_OK)
        return st;
    for (size_t l = 0; l < set.nlines; l++) {
        lay_line *ln = lay_add_line(c, set.line_first_run[l],
                                    set.line_first_run[l + 1] - set.line_first_run[l]);
        if (!ln)
            return nomem(c);
        if (l == 0) {
            ln->space_before = fo->space_before;
            ln->break_before = fo->break_before;
            ln->outline = fo->outline;
            ln->outline_level = fo->outline_level;
        }
        /* No single line of a paragraph alone at a page's bottom (orphan) or
         * top (widow). */
        ln->keep_next = fo->keep_all || (l == 0 && set.nlines > 1) ||
                        (set.nlines > 1 && l + 2 == set.nlines);
    }
    return BL_OK;
}

static lay_para_opts body_opts(lay_ctx *c)
{
    const bl_style *s = c->st;
    /* On the grid one 字 is the grid pitch, so a 2 字 indent is two cells. */
    float pitch = c->width / (float)s->grid_chars;
    lay_para_opts o = {c->width, 0, s->body_indent * pitch, 0, BL_ALIGN_JUSTIFY, 0, pitch, 0};
    return o;
}

static bl_role heading_role(const bl_style *s, int level)
{
    switch (level) {
    case 1: return (bl_role)s->h1_font;
    case 2: return (bl_role)s->h2_font;
    case 3: return (bl_role)s->h3_font;
    default: return (bl_role)s->h4_font;
    }
}

static const char *const heading_element[] = {"body", "heading1", "heading2", "heading3",
                                              "heading4"};

/* A paragraph of an article or item, with an optional trailing span (an
 * item's source in brackets). A stand-alone heading keeps with what follows. */
static bl_status flow_body_para(lay_ctx *c, const bl_para *p, const lay_span *tail)
{
    const bl_style *s = c->st;
    lay_span spans[3];
    size_t n = 0;
    int level = p->kind == BL_PARA_HEADING ? p->level : 0;
    if (level < 0 || level > 4)
        level = 4;
    size_t hl = level ? p->heading_len : 0;
    if (hl > p->text.len)
        hl = p->text.len;
    if (hl) {
        spans[n] = lay_span_text(c, &p->text, heading_role(s, level), s->body_size,
                                 s->body_color, heading_element[level]);
        spans[n++].len = hl;
    }
    if (hl < p->text.len) {
        spans[n] = lay_span_text(c, &p->text, (bl_role)s->body_font, s->body_size,
                                 s->body_color, "body");
        spans[n].text += hl;
        spans[n].len -= hl;
        spans[n++].src_off = hl;
    }
    if (tail)
        spans[n++] = *tail;
    lay_para_opts po = body_opts(c);
    flow_opts fo = {0, level && hl == p->text.len, 0, NULL, 0};
    return flow_para(c, spans, n, &po, &fo);
}

/* A single centred/left/right line (or a few, balanced) of one span. */
static bl_status flow_line(lay_ctx *c, lay_span sp, bl_lb_align align, float tracking,
                           const flow_opts *fo)
{
    lay_para_opts po = {c->width, 0, 0, 0, align, align == BL_ALIGN_CENTER, 0, tracking};
    return flow_para(c, &sp, 1, &po, fo);
}

/* A 目录 entry: with page numbers, the entry's last line gets a leader and
 * the number flush right (the measure leaves them room). */
static bl_status toc_entry(lay_ctx *c, const lay_span *spans, size_t n, lay_para_opts po,
                           const flow_opts *fo, bl_role role)
{
    const bl_style *s = c->st;
    if (!c->toc_pages)
        return flow_para(c, spans, n, &po, fo);
    size_t k = c->toc_next++;
    char num[24];
    snprintf(num, sizeof num, "%zu", k < c->ntoc_pages ? c->toc_pages[k] : (size_t)0);
    const char *nums = bl_display_strdup(c->d, num);
    if (!nums)
        return nomem(c);
    float size = spans[n - 1].size;
    lay_span ns = lay_span_str(c, nums, role, size, BLACK, "toc-page");
    lay_span ls = lay_span_str(c, s->toc_leader, role, size, BLACK, "toc-leader");
    float nw, lw;
    bl_status st;
    if ((st = lay_measure(c, &ns, 1, 0, &nw)) != BL_OK ||
        (st = lay_measure(c, &ls, 1, 0, &lw)) != BL_OK)
        return st;
    po.measure = c->width - nw - 2 * size;
    if ((st = flow_para(c, spans, n, &po, fo)) != BL_OK)
        return st;
    lay_line *last = &c->lines[c->nlines - 1];
    /* Where the entry's last line ends. */
    float end = c->left;
    for (size_t r = last->first_run; r < last->first_run + last->nruns; r++) {
        const bl_dl_text *t = &c->runs[r];
        if (!t->nglyphs)
            continue;
        const bl_dl_glyph *g = &t->glyphs[t->nglyphs - 1];
        const bl_font_info *in = bl_font_get_info(t->font);
        float x = t->x + g->x + (float)bl_font_glyph_advance(t->font, g->gid) * t->size /
                                    (float)in->units_per_em;
        if (x > end)
            end = x;
    }
    size_t mark = c->nruns;
    float room = c->right - nw - end - size * 0.5f;
    int count = lw > 0 ? (int)(room / lw) : 0;
    if (count > 0 && *s->toc_leader) {
        size_t ll = strlen(s->toc_leader);
        char *lead = bl_arena_alloc(c->arena, ll * (size_t)count + 1);
        if (!lead)
            return nomem(c);
        for (int i = 0; i < count; i++)
            memcpy(lead + ll * (size_t)i, s->toc_leader, ll);
        ls.text = lead;
        ls.len = ll * (size_t)count;
        /* flush right against the number */
        lay_para_opts lo = {c->width - nw - size * 0.25f, 0, 0, 0, BL_ALIGN_RIGHT, 0, 0, 0};
        lay_set set;
        if ((st = lay_set_para(c, &ls, 1, &lo, &set)) != BL_OK)
            return st;
    }
    lay_para_opts npo = {c->width, 0, 0, 0, BL_ALIGN_RIGHT, 0, 0, 0};
    lay_set set;
    if ((st = lay_set_para(c, &ns, 1, &npo, &set)) != BL_OK)
        return st;
    /* The new runs follow the line's own in ctx->runs: the line takes them. */
    c->lines[c->nlines - 1].nruns += c->nruns - mark;
    return BL_OK;
}

static bl_status flow_toc(lay_ctx *c)
{
    const bl_style *s = c->st;
    const bl_doc_view *v = c->doc;
    float size = s->toc_entry_size;
    bl_status st;
    flow_opts keep = {0, 1, 0, NULL, 0};
    st = flow_line(c, lay_span_str(c, s->toc_title, (bl_role)s->toc_title_font,
                                   s->toc_title_size, BLACK, "toc-title"),
                   BL_ALIGN_CENTER, 0, &keep);
    if (st != BL_OK)
        return st;
    char bullet[64];
    snprintf(bullet, sizeof bullet, "%s%s", s->toc_bullet, *s->toc_bullet ? " " : "");
    float bullet_w = 0;
    if (*s->toc_bullet) {
        lay_span b = lay_span_str(c, bullet, (bl_role)s->toc_entry_font, size, BLACK, "toc");
        if ((st = lay_measure(c, &b, 1, 0, &bullet_w)) != BL_OK)
            return st;
    }
    for (size_t i = 0; i < v->nparts; i++) {
        const bl_part *p = &v->parts[i];
        const bl_text *name = p->kind == BL_PART_ARTICLE ? &p->article->title
                              : p->section->toc_name.len ? &p->section->toc_name
                                                          : &p->section->name;
        lay_span spans[2] = {
            lay_span_str(c, bullet, (bl_role)s->toc_entry_font, size, BLACK, "toc-entry"),
            lay_span_text(c, name, (bl_role)s->toc_entry_font, size, BLACK, "toc-entry")};
        lay_para_opts po = {c->width, 0, 0, bullet_w, BL_ALIGN_LEFT, 1, 0, 0};
        flow_opts fo = {0, 1, 0, NULL, 0};
        if ((st = toc_entry(c, spans, 2, po, &fo, (bl_role)s->toc_entry_font)) != BL_OK)
            return st;
        if (p->kind == BL_PART_ARTICLE) {
            if (p->article->source.len) {
                const char *src = lay_format(c, "——{source}", "{source}",
                                             str(&p->article->source), NULL);
                if (!src)
                    return nomem(c);
                flow_opts f2 = {0, 0, 0, NULL, 0};
                lay_span ss = lay_span_str(c, src, (bl_role)s->toc_source_font, size, BLACK,
                                           "toc-source");
                ss.src = &p->article->source;
                ss.src_lead = strlen("——");
                st = flow_line(c, ss, BL_ALIGN_RIGHT, 0, &f2);
                if (st != BL_OK)
                    return st;
            }
            continue;
        }
        const bl_section *sec = p->section;
        for (size_t k = 0; k < sec->nitems; k++) {
            char num[24];
            snprintf(num, sizeof num, "%zu. ", k + 1);
            const char *nums = bl_display_strdup(c->d, num);
            lay_span is[2] = {
                lay_span_str(c, nums, (bl_role)s->toc_item_font, size, BLACK, "toc-item"),
                lay_span_text(c, &sec->items[k].title, (bl_role)s->toc_item_font, size, BLACK,
                              "toc-item")};
            float numw = 0;
            if ((st = lay_measure(c, is, 1, 0, &numw)) != BL_OK)
                return st;
            float ind = s->toc_item_indent * size;
            lay_para_opts ipo = {c->width, 0, ind, ind + numw, BL_ALIGN_LEFT, 1, 0, 0};
            flow_opts ifo = {0, k + 1 < sec->nitems, 0, NULL, 0};
            if ((st = toc_entry(c, is, 2, ipo, &ifo, (bl_role)s->toc_item_font)) != BL_OK)
                return st;
        }
    }
    return BL_OK;
}

static bl_status flow_article(lay_ctx *c, const bl_article *a, int first_content)
{
    const bl_style *s = c->st;
    bl_status st;
    flow_opts fo = {first_content ? 0 : s->title_space_before, 1,
                    s->title_new_page && !first_content, str(&a->title), 0};
    lay_span t = lay_span_text(c, &a->title, (bl_role)s->title_font, s->title_size,
                               s->title_color, "title");
    if ((st = flow_line(c, t, BL_ALIGN_CENTER, 0, &fo)) != BL_OK)
        return st;
    float after = s->title_space_after;
    if (a->note.len) {
        lay_span ns[2] = {
            lay_span_str(c, s->note_label, (bl_role)s->note_label_font, s->body_size,
                         s->body_color, "note-label"),
            lay_span_text(c, &a->note, (bl_role)s->note_font, s->body_size, s->body_color,
                          "note")};
        lay_para_opts po = body_opts(c);
        flow_opts nf = {after, 0, 0, NULL, 0};
        if ((st = flow_para(c, ns, 2, &po, &nf)) != BL_OK)
            return st;
        after = 0;
    }
    for (size_t i = 0; i < a->nparas; i++) {
        size_t mark = c->nlines;
        if ((st = flow_body_para(c, &a->paras[i], NULL)) != BL_OK)
            return st;
        if (i == 0 && c->nlines > mark)
            c->lines[mark].space_before = after;
    }
    if (a->source.len) {
        const char *src = lay_format(c, s->source_format, "{source}", str(&a->source), NULL);
        if (!src)
            return nomem(c);
        bl_lb_align al = strcmp(s->source_align, "left") == 0     ? BL_ALIGN_LEFT
                         : strcmp(s->source_align, "center") == 0 ? BL_ALIGN_CENTER
                                                                  : BL_ALIGN_RIGHT;
        /* The source stays with the paragraph's last line. */
        if (c->nlines)
            c->lines[c->nlines - 1].keep_next = 1;
        flow_opts sf = {0, 0, 0, NULL, 0};
        lay_span sp = lay_span_text(c, &a->source, (bl_role)s->source_font, s->body_size,
                                    s->body_color, "source");
        sp.text = src;
        sp.len = strlen(src);
        /* Positions in the source line map back past the format's prefix. */
        const char *key = strstr(s->source_format, "{source}");
        sp.src_lead = key ? (size_t)(key - s->source_format) : 0;
        if ((st = flow_line(c, sp, al, 0, &sf)) != BL_OK)
            return st;
    }
    return BL_OK;
}

static bl_status flow_section(lay_ctx *c, const bl_section *sec, int first_content)
{
    const bl_style *s = c->st;
    bl_status st;
    bl_lb_align al = strcmp(s->sec_align, "left") == 0    ? BL_ALIGN_LEFT
                     : strcmp(s->sec_align, "right") == 0 ? BL_ALIGN_RIGHT
                                                          : BL_ALIGN_CENTER;
    flow_opts fo = {first_content ? 0 : s->sec_space_before, 1,
                    s->sec_new_page && !first_content, str(&sec->name), 0};
    lay_span h = lay_span_text(c, &sec->name, (bl_role)s->sec_font, s->sec_size, s->sec_color,
                               "section");
    if ((st = flow_line(c, h, al, s->sec_spacing * s->sec_size, &fo)) != BL_OK)
        return st;
    float after = s->sec_space_after;
    char bullet[64];
    snprintf(bullet, sizeof bullet, "%s%s", s->item_bullet, *s->item_bullet ? " " : "");
    for (size_t i = 0; i < sec->nitems; i++) {
        const bl_item *it = &sec->items[i];
        lay_span ts[2] = {
            lay_span_str(c, bullet, (bl_role)s->item_font, s->item_size, s->body_color,
                         "item-title"),
            lay_span_text(c, &it->title, (bl_role)s->item_font, s->item_size, s->body_color,
                          "item-title")};
        float bw = 0;
        if (*s->item_bullet && (st = lay_measure(c, ts, 1, 0, &bw)) != BL_OK)
            return st;
        /* balanced: a heading that wraps breaks at words (GB/T 9704 7.3.1) */
        lay_para_opts po = {c->width, 0, 0, bw, BL_ALIGN_LEFT, 1, 0, 0};
        flow_opts tf = {i == 0 ? after : s->item_space_before, 1, 0, str(&it->title), 1};
        if ((st = flow_para(c, ts, 2, &po, &tf)) != BL_OK)
            return st;
        const char *src = it->source.len ? lay_format(c, s->item_source_format, "{source}",
                                                      str(&it->source), NULL)
                                         : NULL;
        lay_span tail;
        if (src) {
            tail = lay_span_str(c, src, (bl_role)s->item_source_font, s->body_size,
                                s->body_color, "item-source");
            const char *key = strstr(s->item_source_format, "{source}");
            tail.src = &it->source;
            tail.src_lead = key ? (size_t)(key - s->item_source_format) : 0;
        }
        for (size_t k = 0; k < it->nparas; k++) {
            int last = k + 1 == it->nparas;
            if ((st = flow_body_para(c, &it->paras[k], last && src ? &tail : NULL)) != BL_OK)
                return st;
        }
        if (!it->nparas && src) {
            lay_para_opts bo = body_opts(c);
            flow_opts sf = {0, 0, 0, NULL, 0};
            if ((st = flow_para(c, &tail, 1, &bo, &sf)) != BL_OK)
                return st;
        }
    }
    return BL_OK;
}

/* ---- fixed-position lines -------------------------------------------- */

/* Sets spans as one or more lines in [left, left+measure) of the text block,
 * the last line's baseline at y (earlier lines above it by pitch). */
static bl_status place(lay_ctx *c, bl_dl_page *page, const lay_span *spans, size_t n,
                       bl_lb_align align, float tracking, float left, float measure, float y,
                       float pitch, size_t *nlines)
{
    lay_para_opts po = {measure, left, 0, 0, align, align == BL_ALIGN_CENTER, 0, tracking};
    lay_set set;
    bl_status st = lay_set_para(c, spans, n, &po, &set);
    if (st != BL_OK)
        return st;
    for (size_t l = 0; l < set.nlines; l++) {
        float base = y + pitch * (float)(set.nlines - 1 - l);
        st = lay_emit_runs(c, page, set.line_first_run[l],
                           set.line_first_run[l + 1] - set.line_first_run[l], 0, base);
        if (st != BL_OK)
            return st;
    }
    if (nlines)
        *nlines = set.nlines;
    return BL_OK;
}

static bl_status rule(lay_ctx *c, bl_dl_page *page, float y, float w, bl_color col,
                      const char *element)
{
    bl_dl_rule r = {c->left, y, c->right, y, w, col, element};
    return bl_display_add_rule(c->d, page, &r, c->err);
}

/* Shrinks size so that spans of text fit width (letter-spacing up to
 * max_track em when there is room); returns size and tracking. */
static bl_status fit(lay_ctx *c, lay_span *sp, float width, float min_size, float max_track,
                     float *tracking)
{
    float w;
    bl_status st = lay_measure(c, sp, 1, 0, &w);
    if (st != BL_OK)
        return st;
    size_t nchars = bl_utf8_count(sp->text, sp->len);
    *tracking = 0;
    if (w > width) {
        sp->size *= width / w * 0.999f;
        if (sp->size < min_size * 0.5f)
            sp->size = min_size * 0.5f; /* beyond that it wraps */
    } else if (nchars > 1 && max_track > 0) {
        float room = (width - w) / (float)(nchars - 1);
        *tracking = fminf(room, max_track * sp->size);
    }
    return BL_OK;
}

static const char *date_text(lay_ctx *c)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%d年%d月%d日", c->doc->date.year, c->doc->date.month,
             c->doc->date.day);
    return bl_display_strdup(c->d, buf);
}

/* The masthead on page 1; returns the y of its lowest mark. */
static bl_status masthead(lay_ctx *c, bl_dl_page *page, float *bottom_y)
{
    const bl_style *s = c->st;
    const bl_doc_view *v = c->doc;
    bl_status st;
    if (v->classification.len) {
        lay_span cs = lay_span_text(c, &v->classification, (bl_role)s->cls_font, s->cls_size,
                                    BLACK, "classification");
        st = place(c, page, &cs, 1, BL_ALIGN_LEFT, 0, 0, c->width, c->top - s->cls_baseline,
                   0, NULL);
        if (st != BL_OK)
            return st;
    }
    /* 报头: one line per issuing body, stacked for a joint issue. */
    float shift = 0;
    for (size_t i = 0; i < v->nmastheads; i++) {
        lay_span ms = lay_span_text(c, &v->mastheads[i], (bl_role)s->mh_font, s->mh_size,
                                    s->mh_color, "masthead");
        float track;
        if ((st = fit(c, &ms, c->width, s->mh_min_size, s->mh_spacing, &track)) != BL_OK)
            return st;
        size_t nl = 1;
        st = place(c, page, &ms, 1, BL_ALIGN_CENTER, track, 0, c->width,
                   c->top - s->mh_baseline - shift, s->mh_pitch, &nl);
        if (st != BL_OK)
            return st;
        /* A name too long for one line wrapped upward; push what follows down
         * only for the stacked names. */
        if (i + 1 < v->nmastheads)
            shift += s->mh_pitch;
    }
    /* 刊名, letter-spaced. */
    lay_span ns = lay_span_text(c, &v->name, (bl_role)s->name_font, s->name_size,
                                s->name_color, "name");
    float nw;
    if ((st = lay_measure(c, &ns, 1, 0, &nw)) != BL_OK)
        return st;
    size_t nchars = bl_utf8_count(ns.text, ns.len);
    float track = s->name_spacing * s->name_size;
    if (nchars > 1 && nw + track * (float)(nchars - 1) > c->width)
        track = fmaxf(0, (c->width - nw) / (float)(nchars - 1));
    if (nw > c->width)
        ns.size *= c->width / nw * 0.999f;
    st = place(c, page, &ns, 1, BL_ALIGN_CENTER, track, 0, c->width,
               c->top - s->name_baseline - shift, 0, NULL);
    if (st != BL_OK)
        return st;
    /* Issue line: 2023年第8期（总第112期）. */
    const char *issue = v->serial.len
                            ? lay_format(c, s->issue_format, "{issue}", str(&v->issue),
                                         "{serial}", str(&v->serial), NULL)
                            : str(&v->issue);
    if (!issue)
        return nomem(c);
    lay_span is = lay_span_str(c, issue, (bl_role)s->issue_font, s->issue_size, BLACK, "issue");
    is.src = v->serial.len ? NULL : &v->issue;
    st = place(c, page, &is, 1, BL_ALIGN_CENTER, 0, 0, c->width,
               c->top - s->issue_baseline - shift, 0, NULL);
    if (st != BL_OK)
        return st;
    /* Issuer flush left and date flush right, both indented; a long issuer
     * wraps into balanced lines downward, the date on the last, and the rule
     * follows the last line. */
    float y = c->top - s->issuer_baseline - shift;
    float ind = s->issuer_indent * s->issuer_size;
    lay_span ds = lay_span_str(c, date_text(c), (bl_role)s->issuer_font, s->issuer_size, BLACK,
                               "date");
    float dw;
    if ((st = lay_measure(c, &ds, 1, 0, &dw)) != BL_OK)
        return st;
    if (v->issuer.len) {
        const char *issuer = lay_format(c, "{i}{s}", "{i}", str(&v->issuer), "{s}",
                                        s->issuer_suffix, NULL);
        if (!issuer)
            return nomem(c);
        lay_span us = lay_span_str(c, issuer, (bl_role)s->issuer_font, s->issuer_size, BLACK,
                                   "issuer");
        us.src = &v->issuer;
        float room = c->width - 2 * ind - dw - s->issuer_size;
        float pitch = c->pitch;
        lay_para_opts po = {room, ind, 0, 0, BL_ALIGN_LEFT, 1, 0, 0};
        lay_set set;
        if ((st = lay_set_para(c, &us, 1, &po, &set)) != BL_OK)
            return st;
        for (size_t l = 0; l < set.nlines; l++) {
            st = lay_emit_runs(c, page, set.line_first_run[l],
                               set.line_first_run[l + 1] - set.line_first_run[l], 0,
                               y - pitch * (float)l);
            if (st != BL_OK)
                return st;
        }
        if (set.nlines > 1)
            y -= pitch * (float)(set.nlines - 1);
    }
    st = place(c, page, &ds, 1, BL_ALIGN_RIGHT, 0, 0, c->width - ind, y, 0, NULL);
    if (st != BL_OK)
        return st;
    /* The red rule(s), GB/T 9704 7.2.7 by analogy: below the issuer line. */
    float ry = y - s->rule_offset;
    if ((st = rule(c, page, ry, s->rule_width, s->rule_color, "masthead-rule")) != BL_OK)
        return st;
    float low = ry - s->rule_width / 2;
    if (strcmp(s->rule_style, "single") != 0) {
        float w2 = strcmp(s->rule_style, "double") == 0 ? s->rule_width : s->rule_thin_width;
        float y2 = ry - s->rule_width / 2 - s->rule_gap - w2 / 2;
        if ((st = rule(c, page, y2, w2, s->rule_color, "masthead-rule")) != BL_OK)
            return st;
        low = y2 - w2 / 2;
    }
    *bottom_y = low;
    return BL_OK;
}

/* ---- pagination -------------------------------------------------------- */

static float baseline_of(const lay_ctx *c, float slot)
{
    return c->top - c->ascent - slot * c->pitch;
}

static bl_dl_page *new_page(lay_ctx *c)
{
    bl_dl_page *p = bl_display_add_page(c->d, c->st->page_width, c->st->page_height);
    if (!p)
        nomem(c);
    return p;
}

/* Places the flow on pages, page 1 starting at grid line first_slot.
 * *last_slot is the grid line after the last line of the last page. */
static bl_status paginate(lay_ctx *c, int first_slot, int *last_slot)
{
    const int G = c->st->grid_lines;
    int *slot = bl_arena_calloc(c->arena, c->nlines + 1, sizeof *slot);
    if (!slot)
        return nomem(c);
    size_t i = 0;
    int start = first_slot, end_slot = first_slot;
    size_t page_index = c->d->npages - 1;
    while (i < c->nlines) {
        bl_dl_page *page = &c->d->pages[page_index];
        size_t j = i;
        float pos = (float)start;
        while (j < c->nlines) {
            const lay_line *ln = &c->lines[j];
            if (j > i && ln->break_before)
                break;
            float sb = pos == 0 ? 0 : ln->space_before; /* no space at a page top */
            int s = (int)ceilf(pos + sb - 0.001f);
            if (s > G - 1)
                break;
            slot[j] = s;
            pos = (float)s + 1;
            j++;
        }
        if (j < c->nlines && j > i && !c->lines[j].break_before) {
            /* Full: break at the last place the keep rules allow. */
            size_t b = j;
            while (b > i && c->lines[b - 1].keep_next)
                b--;
            if (b > i)
                j = b;
        }
        if (j == i) {
            if (start == 0) {
                slot[j] = 0; /* cannot happen with >= 1 grid line; never loop */
                j++;
            }
        }
        for (size_t k = i; k < j; k++) {
            const lay_line *ln = &c->lines[k];
            float y = baseline_of(c, (float)slot[k]);
            bl_status st = lay_emit_runs(c, page, ln->first_run, ln->nruns, 0, y);
            if (st != BL_OK)
                return st;
            if (ln->outline) {
                float top = y + (ln->nruns ? c->runs[ln->first_run].size * CJK_ASCENT : 0);
                st = bl_display_add_outline(c->d, ln->outline, ln->outline_level, page_index,
                                            top, c->err);
                if (st != BL_OK)
                    return st;
            }
            end_slot = slot[k] + 1;
        }
        i = j;
        if (i < c->nlines) {
            if (!new_page(c))
                return BL_ERR_NOMEM;
            page_index = c->d->npages - 1;
            start = 0;
            end_slot = 0;
        }
    }
    *last_slot = end_slot;
    return BL_OK;
}

/* ---- 版记 (GB/T 9704 7.4) ---------------------------------------------- */

typedef struct foot_row {
    size_t first_run, nruns; /* runs relative to baseline */
    int rule_after;          /* 1: a thin rule below this row (end of a field) */
} foot_row;

/* Sets the footer fields into rows; returns the height they need. */
static bl_status footer_rows(lay_ctx *c, foot_row **rows_out, size_t *nrows_out,
                             float *height)
{
    const bl_style *s = c->st;
    const bl_doc_view *v = c->doc;
    float size = s->foot_size, ind = s->foot_indent * size;
    foot_row *rows = bl_arena_calloc(c->arena, 64, sizeof *rows);
    size_t nrows = 0, cap = 64;
    if (!rows)
        return nomem(c);
    bl_status st;
    for (size_t f = 0; f < v->nfooter; f++) {
        const bl_footer_field *ff = &v->footer[f];
        lay_set set;
        if (ff->kind == BL_FOOT_YINFA) {
            /* 印发: the issuer left, the date + 印发 right, on one row. */
            lay_span vs = lay_span_text(c, &ff->value, (bl_role)s->foot_font, size, BLACK,
                                        "footer");
            lay_para_opts po = {c->width - ind, 0, ind, ind, BL_ALIGN_LEFT, 0, 0, 0};
            const char *val = ff->value.s;
            const char *sp = strrchr(val, ' ');
            const char *date = NULL;
            if (sp && sp[1]) {
                date = lay_format(c, "{d}印发", "{d}", sp + 1, NULL);
                vs.len = (size_t)(sp - val);
            } else {
                date = lay_format(c, "{d}印发", "{d}", date_text(c), NULL);
            }
            if (!date)
                return nomem(c);
            if ((st = lay_set_para(c, &vs, 1, &po, &set)) != BL_OK)
                return st;
            lay_span ds = lay_span_str(c, date, (bl_role)s->foot_font, size, BLACK, "footer");
            lay_para_opts dpo = {c->width - ind, 0, 0, 0, BL_ALIGN_RIGHT, 0, 0, 0};
            lay_set dset;
            if ((st = lay_set_para(c, &ds, 1, &dpo, &dset)) != BL_OK)
                return st;
            /* The date's runs follow the issuer's: its last row takes them. */
            set.line_first_run[set.nlines] = c->nruns;
        } else {
            const char *label = lay_format(c, "{l}：", "{l}", str(&ff->label), NULL);
            if (!label)
                return nomem(c);
            lay_span ls = lay_span_str(c, label, (bl_role)s->foot_font, size, BLACK, "footer");
            float lw = 0;
            if ((st = lay_measure(c, &ls, 1, 0, &lw)) != BL_OK)
                return st;
            lay_span spans[2] = {ls, lay_span_text(c, &ff->value, (bl_role)s->foot_font, size,
                                                   BLACK, "footer")};
            bl_lb_align al = BL_ALIGN_JUSTIFY;
            if (ff->kind == BL_FOOT_YINSHU) {
                spans[0] = spans[1]; /* 共印60份: the value alone */
                al = strcmp(s->foot_copies_align, "left") == 0 ? BL_ALIGN_LEFT : BL_ALIGN_RIGHT;
            }
            lay_para_opts po = {c->width - ind, 0, ind, ind + lw, al, 0, 0, 0};
            if ((st = lay_set_para(c, spans, ff->kind == BL_FOOT_YINSHU ? 1 : 2, &po, &set)) !=
                BL_OK)
                return st;
        }
        for (size_t l = 0; l < set.nlines; l++) {
            if (nrows == cap) {
                foot_row *nr = bl_arena_grow(c->arena, rows, nrows, cap * 2, sizeof *nr);
                if (!nr)
                    return nomem(c);
                rows = nr;
                cap *= 2;
            }
            rows[nrows].first_run = set.line_first_run[l];
            rows[nrows].nruns = set.line_first_run[l + 1] - set.line_first_run[l];
            rows[nrows].rule_after = l + 1 == set.nlines && f + 1 < v->nfooter;
            nrows++;
        }
    }
    *rows_out = rows;
    *nrows_out = nrows;
    *height = (float)nrows * s->foot_pitch;
    return BL_OK;
}

/* Draws the footer rows on page so that its last rule lies on the bottom of
 * the text block. */
static bl_status footer_place(lay_ctx *c, bl_dl_page *page, const foot_row *rows,
                              size_t nrows)
{
    const bl_style *s = c->st;
    float pitch = s->foot_pitch, size = s->foot_size;
    bl_status st;
    /* Each row is a band of one pitch; its baseline sits so the em box is
     * centred in the band. */
    float y = c->bottom + (float)nrows * pitch;
    if ((st = rule(c, page, y, s->foot_rule_thick, s->foot_rule_color, "footer-rule")) != BL_OK)
        return st;
    for (size_t r = 0; r < nrows; r++) {
        float band_bottom = y - pitch;
        float base = band_bottom + (pitch - size) / 2 + size * CJK_DESCENT;
        if ((st = lay_emit_runs(c, page, rows[r].first_run, rows[r].nruns, 0, base)) != BL_OK)
            return st;
        y = band_bottom;
        if (rows[r].rule_after &&
            (st = rule(c, page, y, s->foot_rule_thin, s->foot_rule_color, "footer-rule")) !=
                BL_OK)
            return st;
    }
    return rule(c, page, c->bottom, s->foot_rule_thick, s->foot_rule_color, "footer-rule");
}

/* ---- page numbers (GB/T 9704 7.5) ------------------------------------- */

static bl_status folios(lay_ctx *c, size_t unnumbered_from)
{
    const bl_style *s = c->st;
    if (!s->folio_enabled)
        return BL_OK;
    for (size_t p = 0; p < c->d->npages && p < unnumbered_from; p++) {
        char n[24];
        snprintf(n, sizeof n, "%zu", p + 1);
        const char *label = bl_display_strdup(c->d, n);
        const char *text = lay_format(c, s->folio_format, "{n}", n, NULL);
        if (!label || !text)
            return nomem(c);
        bl_dl_page *page = &c->d->pages[p];
        page->label = label;
        lay_span sp = lay_span_str(c, text, (bl_role)s->folio_font, s->folio_size, BLACK,
                                   "folio");
        float ind = s->folio_indent * s->folio_size;
        int odd = (p + 1) % 2 == 1;
        bl_lb_align al = BL_ALIGN_CENTER;
        if (strcmp(s->folio_position, "right") == 0 ||
            (strcmp(s->folio_position, "outside") == 0 && (odd || !s->two_sided)))
            al = BL_ALIGN_RIGHT;
        else if (strcmp(s->folio_position, "outside") == 0)
            al = BL_ALIGN_LEFT;
        /* The 一字线 sit on the centre of the em box: 7 mm below the block. */
        float base = c->bottom - s->folio_offset - (CJK_ASCENT - CJK_DESCENT) / 2 * s->folio_size;
        float left = al == BL_ALIGN_LEFT ? ind : 0;
        float measure = al == BL_ALIGN_RIGHT ? c->width - ind : c->width - left;
        bl_status st = place(c, page, &sp, 1, al, 0, left, measure, base, 0, NULL);
        if (st != BL_OK)
            return st;
    }
    return BL_OK;
}

/* ---- the document ------------------------------------------------------ */

/* Civil date from days since 1970-01-01 (Howard Hinnant's algorithm). */
static void civil_from_days(long long z, int *y, int *m, int *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static bl_status set_info(lay_ctx *c)
{
    const bl_doc_view *v = c->doc;
    bl_dl_info *in = &c->d->info;
    in->title = lay_format(c, "{n} {i}", "{n}", str(&v->name), "{i}", str(&v->issue), NULL);
    in->author = v->issuer.len ? v->issuer.s : v->mastheads[0].s;
    size_t cap = 1;
    for (size_t i = 0; i < v->nparts; i++)
        cap += (v->parts[i].kind == BL_PART_ARTICLE ? v->parts[i].article->title.len
                                                     : v->parts[i].section->name.len) + 3;
    char *subj = bl_arena_alloc(c->arena, cap);
    if (!in->title || !subj)
        return nomem(c);
    for (size_t i = 0; i < v->nparts; i++) {
        const bl_text *t = v->parts[i].kind == BL_PART_ARTICLE ? &v->parts[i].article->title
                                                               : &v->parts[i].section->name;
        if (i)
            strcat(subj, "；");
        strncat(subj, t->s, t->len);
    }
    in->subject = subj;
    in->creator = c->env->creator;
    if (c->env->source_date_epoch >= 0) {
        long long t = c->env->source_date_epoch;
        civil_from_days(t / 86400, &in->year, &in->month, &in->day);
        in->hour = (int)(t % 86400 / 3600);
        in->minute = (int)(t % 3600 / 60);
        in->second = (int)(t % 60);
    } else {
        in->year = v->date.year;
        in->month = v->date.month;
        in->day = v->date.day;
    }
    return BL_OK;
}

static bl_status layout_pass(const bl_doc *doc, const bl_style *style,
                             const bl_layout_env *env, bl_arena *arena, const size_t *toc_pages,
                             size_t ntoc_pages, bl_display **out, bl_error *err)
{
    *out = NULL;
    lay_ctx ctx, *c = &ctx;
    memset(c, 0, sizeof *c);
    c->toc_pages = toc_pages;
    c->ntoc_pages = ntoc_pages;
    c->doc = bl_doc_get(doc);
    c->st = style;
    c->env = env;
    c->arena = arena;
    c->err = err;
    c->d = bl_display_new(arena);
    if (!c->d)
        return nomem(c);
    const bl_style *s = style;
    for (int r = 0; r < BL_ROLE_COUNT; r++) {
        bl_status st = bl_fontcache_chain(env->fonts, s->role_patterns[r],
                                          s->role_npatterns[r], &c->chains[r], err);
        if (st != BL_OK)
            return st;
    }
    c->left = s->margin_left;
    c->right = s->page_width - s->margin_right;
    c->top = s->page_height - s->margin_top;
    c->bottom = s->margin_bottom;
    c->width = c->right - c->left;
    c->ascent = CJK_ASCENT * s->body_size;
    /* GB/T 9704 5.2.3: the grid's lines fill the text block exactly, the
     * first em box at its top and the last at its bottom. */
    c->pitch = s->grid_lines > 1 ? (c->top - c->bottom - s->body_size) / (float)(s->grid_lines - 1)
                                 : s->body_size;
    if (c->width <= s->body_size * 2 || c->pitch < s->body_size * 0.8f)
        return bl_error_set(err, BL_ERR_LAYOUT, style->path, 0, 0,
                            "the text block (%.0f × %.0f pt) is too small for %d lines of %.0f pt",
                            (double)c->width, (double)(c->top - c->bottom), s->grid_lines,
                            (double)s->body_size);
    bl_status st;
    bl_dl_page *first = new_page(c);
    if (!first)
        return BL_ERR_NOMEM;
    float mh_bottom = c->top;
    if ((st = masthead(c, first, &mh_bottom)) != BL_OK)
        return st;
    /* The flow starts on the first grid line whose em box clears the rule. */
    int first_slot = (int)ceilf((c->top - mh_bottom) / c->pitch - 0.001f);
    first_slot += (int)ceilf(s->mh_space_after - 0.001f);
    const bl_doc_view *v = c->doc;
    int first_content = 0;
    if (s->toc_enabled && v->nparts) {
        if ((st = flow_toc(c)) != BL_OK)
            return st;
        first_content = s->toc_new_page_after;
    }
    for (size_t i = 0; i < v->nparts; i++) {
        size_t mark = c->nlines;
        const bl_part *p = &v->parts[i];
        if (p->kind == BL_PART_ARTICLE)
            st = flow_article(c, p->article, first_content);
        else
            st = flow_section(c, p->section, first_content);
        if (st != BL_OK)
            return st;
        if (c->nlines > mark) {
            if (i == 0 && s->toc_enabled && v->nparts) {
                if (s->toc_new_page_after)
                    c->lines[mark].break_before = 1;
                else
                    c->lines[mark].space_before = fmaxf(c->lines[mark].space_before,
                                                        s->toc_space_after);
            }
        }
        first_content = 0;
    }
    int last_slot = first_slot;
    if ((st = paginate(c, first_slot, &last_slot)) != BL_OK)
        return st;
    size_t unnumbered_from = (size_t)-1;
    if (v->nfooter) {
        foot_row *rows = NULL;
        size_t nrows = 0;
        float h = 0;
        if ((st = footer_rows(c, &rows, &nrows, &h)) != BL_OK)
            return st;
        if (h > c->top - c->bottom)
            return bl_error_set(err, BL_ERR_LAYOUT, v->file, v->footer[0].label.pos.line,
                                v->footer[0].label.pos.col,
                                "the 版记 (footer) needs %.0f mm, more than a page's text "
                                "block (%.0f mm)",
                                (double)(h / 72 * 25.4f),
                                (double)((c->top - c->bottom) / 72 * 25.4f));
        /* Room on the last page below its last line? */
        float last_bottom = baseline_of(c, (float)last_slot - 1) - CJK_DESCENT * s->body_size;
        int fits = c->bottom + h + s->body_size * 0.5f <= last_bottom;
        size_t content_pages = c->d->npages;
        size_t foot_page = fits ? content_pages - 1 : content_pages;
        int need_even = s->two_sided && s->foot_even_page;
        if (need_even && (foot_page + 1) % 2 == 1) {
            if (fits)
                foot_page++; /* the footer alone on the next, even page */
            else {
                foot_page++; /* a blank page first; neither is numbered (GB 7.5) */
                unnumbered_from = foot_page - 1;
            }
        }
        while (c->d->npages <= foot_page)
            if (!new_page(c))
                return BL_ERR_NOMEM;
        if ((st = footer_place(c, &c->d->pages[foot_page], rows, nrows)) != BL_OK)
            return st;
    }
    if ((st = folios(c, unnumbered_from)) != BL_OK)
        return st;
    if ((st = set_info(c)) != BL_OK)
        return st;
    *out = c->d;
    return BL_OK;
}

/* The page of every outline entry (articles, sections, items), 1-based. */
static size_t *entry_pages(const bl_display *d, bl_arena *arena)
{
    size_t *pages = bl_arena_calloc(arena, d->noutlines + 1, sizeof *pages);
    if (pages)
        for (size_t i = 0; i < d->noutlines; i++)
            pages[i] = d->outlines[i].page + 1;
    return pages;
}

bl_status bl_layout_document(const bl_doc *doc, const bl_style *style,
                             const bl_layout_env *env, bl_arena *arena, bl_display **out,
                             bl_error *err)
{
    if (!style->toc_enabled || !style->toc_page_numbers)
        return layout_pass(doc, style, env, arena, NULL, 0, out, err);
    /* The 目录 needs the final page numbers: lay out with the numbers of the
     * previous pass until they no longer change (the 目录 can grow a line). */
    size_t *pages = NULL, n = 0;
    bl_status st = BL_OK;
    for (int pass = 0; pass < 4; pass++) {
        bl_arena *tmp = bl_arena_new();
        bl_display *d = NULL;
        if (!tmp)
            return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory");
        st = layout_pass(doc, style, env, tmp, pages, n, &d, err);
        size_t *next = st == BL_OK ? entry_pages(d, arena) : NULL;
        int same = next && pages && d->noutlines == n &&
                   memcmp(next, pages, n * sizeof *pages) == 0;
        size_t nn = d ? d->noutlines : 0;
        bl_arena_free(tmp);
        if (st != BL_OK)
            return st;
        if (!next)
            return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory");
        if (same)
            break;
        pages = next;
        n = nn;
    }
    return layout_pass(doc, style, env, arena, pages, n, out, err);
}
