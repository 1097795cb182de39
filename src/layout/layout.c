/* layout.c - the bulletin page: masthead, 目录, articles, sections of items,
 * 版记 and page numbers on the GB/T 9704 grid (figures from the style).
 *
 * Page 1 opens with the masthead at fixed positions. Everything after it is a
 * flow of lines on the grid (lay_line), paginated with keep rules: a title or
 * heading stays with two lines of what follows, no paragraph leaves a single
 * line alone at a page's top or bottom; a page the rules end short says why
 * in the dump. A fractional space (half a line) is kept as it is and the next
 * line returns to the grid; nothing is printed above the text block. The 版记
 * is then set at the bottom of the last page, which is made even for
 * two-sided printing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/utf8.h"
#include "layout_priv.h"


static bl_status lay_progress(lay_ctx *c);

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
            return lay_nomem(c);
        if (l == 0) {
            ln->space_before = fo->space_before;
            ln->break_before = fo->break_before;
            ln->outline = fo->outline;
            ln->outline_level = fo->outline_level;
        }
        /* No single line of a paragraph alone at a page's bottom (orphan) or
         * top (widow). */
        ln->group = c->ngroups + 1;
        ln->keep_next = fo->keep_all || (l == 0 && set.nlines > 1) ||
                        (set.nlines > 1 && l + 2 == set.nlines);
        ln->keep_why = fo->keep_all               ? "a title or heading stays with what follows"
                       : l == 0 && set.nlines > 1 ? "no first line alone at a page's foot (orphan)"
                       : ln->keep_next            ? "no last line alone at a page's top (widow)"
                                                  : NULL;
    }
    c->ngroups++;
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
    lay_para_opts po = body_opts(c);
    flow_opts fo = {0, level && hl == p->text.len, 0, NULL, 0};
    if (tail) {
        /* A run-in source is one unit: set with the paragraph when all of it
         * fits after the text on the last line, else on a line of its own,
         * flush right, kept with that last line. */
        spans[n] = *tail;
        size_t mark = c->nruns;
        lay_set set;
        bl_status st = lay_set_para(c, spans, n + 1, &po, &set);
        if (st != BL_OK)
            return st;
        size_t tail_lines = 0;
        int text_on_tail_line = 0;
        for (size_t l = 0; l < set.nlines; l++) {
            int has_tail = 0, has_text = 0;
            for (size_t r = set.line_first_run[l]; r < set.line_first_run[l + 1]; r++) {
                if (c->runs[r].element == tail->element)
                    has_tail = 1;
                else
                    has_text = 1;
            }
            if (has_tail) {
                tail_lines++;
                text_on_tail_line = has_text;
            }
        }
        lay_drop_runs(c, mark);
        if (tail_lines == 1 && text_on_tail_line)
            return flow_para(c, spans, n + 1, &po, &fo);
        if (n && (st = flow_para(c, spans, n, &po, &fo)) != BL_OK)
            return st;
        if (c->nlines) {
            c->lines[c->nlines - 1].keep_next = 1;
            c->lines[c->nlines - 1].keep_why = "the source stays with the last line";
        }
        lay_para_opts ro = {c->width, 0, 0, 0, BL_ALIGN_RIGHT, 0, 0, 0};
        flow_opts sf = {0, 0, 0, NULL, 0};
        return flow_para(c, tail, 1, &ro, &sf);
    }
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
        return lay_nomem(c);
    float size = spans[n - 1].size;
    lay_span ns = lay_span_str(c, nums, role, size, LAY_BLACK, "toc-page");
    lay_span ls = lay_span_str(c, s->toc_leader, role, size, LAY_BLACK, "toc-leader");
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
        float x = bl_dl_text_end(t);
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
            return lay_nomem(c);
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
                                   s->toc_title_size, LAY_BLACK, "toc-title"),
                   BL_ALIGN_CENTER, 0, &keep);
    if (st != BL_OK)
        return st;
    char bullet[64];
    snprintf(bullet, sizeof bullet, "%s%s", s->toc_bullet, *s->toc_bullet ? " " : "");
    float bullet_w = 0;
    if (*s->toc_bullet) {
        lay_span b = lay_span_str(c, bullet, (bl_role)s->toc_entry_font, size, LAY_BLACK, "toc");
        if ((st = lay_measure(c, &b, 1, 0, &bullet_w)) != BL_OK)
            return st;
    }
    for (size_t i = 0; i < v->nparts; i++) {
        const bl_part *p = &v->parts[i];
        const bl_text *name = p->kind == BL_PART_ARTICLE ? &p->article->title
                              : p->section->toc_name.len ? &p->section->toc_name
                                                          : &p->section->name;
        lay_span spans[2] = {
            lay_span_str(c, bullet, (bl_role)s->toc_entry_font, size, LAY_BLACK, "toc-entry"),
            lay_span_text(c, name, (bl_role)s->toc_entry_font, size, LAY_BLACK, "toc-entry")};
        lay_para_opts po = {c->width, 0, 0, bullet_w, BL_ALIGN_LEFT, 1, 0, 0};
        flow_opts fo = {0, 1, 0, NULL, 0};
        if ((st = toc_entry(c, spans, 2, po, &fo, (bl_role)s->toc_entry_font)) != BL_OK)
            return st;
        if (p->kind == BL_PART_ARTICLE) {
            if (p->article->source.len) {
                const char *src = lay_format(c, "——{source}", "{source}",
                                             str(&p->article->source), NULL);
                if (!src)
                    return lay_nomem(c);
                flow_opts f2 = {0, 0, 0, NULL, 0};
                lay_span ss = lay_span_str(c, src, (bl_role)s->toc_source_font, size, LAY_BLACK,
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
                lay_span_str(c, nums, (bl_role)s->toc_item_font, size, LAY_BLACK, "toc-item"),
                lay_span_text(c, &sec->items[k].title, (bl_role)s->toc_item_font, size, LAY_BLACK,
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
    if (a->recipients.len) { /* 主送 (layout_gongwen.c) */
        if ((st = lay_gw_recipients(c, a)) != BL_OK)
            return st;
        after = 0;
    }
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
        if (c->early && (st = lay_progress(c)) != BL_OK)
            return st;
    }
    if (a->source.len) {
        const char *src = lay_format(c, s->source_format, "{source}", str(&a->source), NULL);
        if (!src)
            return lay_nomem(c);
        bl_lb_align al = strcmp(s->source_align, "left") == 0     ? BL_ALIGN_LEFT
                         : strcmp(s->source_align, "center") == 0 ? BL_ALIGN_CENTER
                                                                  : BL_ALIGN_RIGHT;
        /* The source stays with the paragraph's last line. */
        if (c->nlines) {
            c->lines[c->nlines - 1].keep_next = 1;
            c->lines[c->nlines - 1].keep_why = "the source stays with the last line";
        }
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

/* One line of the 报头 as it will be set: its text, natural width at the
 * masthead size, and its characters (for letter-spacing). */
typedef struct mh_line {
    const char *text;
    size_t len, nchars;
    float w;
} mh_line;

#define MH_MAX_LINES 32

/* Breaks sp into balanced lines no wider than width (the composer's balanced
 * break), appending them to lines[*n]; the runs made are discarded. */
static bl_status mh_split(lay_ctx *c, const lay_span *sp, float width, mh_line *lines,
                          size_t *n)
{
    size_t mark = c->nruns;
    lay_para_opts po = {width, 0, 0, 0, BL_ALIGN_CENTER, 1, 0, 0};
    lay_set set;
    bl_status st = lay_set_para(c, sp, 1, &po, &set);
    if (st != BL_OK)
        return st;
    if (*n + set.nlines > MH_MAX_LINES)
        return bl_error_set(c->err, BL_ERR_LAYOUT, c->doc->file, sp->src ? sp->src->pos.line : 0,
                            sp->src ? sp->src->pos.col : 0,
                            "the 报头 (masthead) needs more than %d lines at %.0f pt; "
                            "shorten it (body-min-size of the layout is %.0f pt)",
                            MH_MAX_LINES, (double)sp->size, (double)c->st->mh_min_size);
    for (size_t l = 0; l < set.nlines; l++) {
        size_t len = 0;
        for (size_t r = set.line_first_run[l]; r < set.line_first_run[l + 1]; r++)
            len += c->runs[r].text_len;
        char *t = bl_arena_alloc(c->arena, len + 1);
        if (!t)
            return lay_nomem(c);
        len = 0;
        for (size_t r = set.line_first_run[l]; r < set.line_first_run[l + 1]; r++) {
            memcpy(t + len, c->runs[r].text, c->runs[r].text_len);
            len += c->runs[r].text_len;
        }
        t[len] = '\0';
        mh_line *ml = &lines[(*n)++];
        ml->text = t;
        ml->len = len;
        ml->nchars = bl_utf8_count(t, len);
        ml->w = set.line_width[l];
    }
    lay_drop_runs(c, mark);
    return BL_OK;
}

/* The size a 报头 is set at alone: its largest size, shrunk to fit the
 * measure on one line but never below the minimum; at the minimum a name
 * still too long is wrapped into two balanced lines, as large as they fit
 * (more lines only when two do not fit at the minimum). */
static bl_status mh_size_of(lay_ctx *c, lay_span sp, float *size)
{
    const bl_style *s = c->st;
    float w;
    bl_status st = lay_measure(c, &sp, 1, 0, &w);
    if (st != BL_OK)
        return st;
    *size = s->mh_size;
    if (w <= c->width)
        return BL_OK;
    float one = s->mh_size * c->width / w * 0.999f;
    if (one >= s->mh_min_size) {
        *size = one;
        return BL_OK;
    }
    /* Two lines: start from the size at which half the name fills the
     * measure and shrink until the balanced break needs no third line. */
    float sz = fminf(s->mh_size, fmaxf(s->mh_min_size, one * 2 * 0.95f));
    for (int k = 0; k < 40; k++) {
        mh_line lines[MH_MAX_LINES];
        size_t n = 0;
        sp.size = sz;
        if ((st = mh_split(c, &sp, c->width, lines, &n)) != BL_OK)
            return st;
        if (n <= 2 || sz <= s->mh_min_size)
            break;
        sz = fmaxf(s->mh_min_size, sz * 0.97f);
    }
    *size = sz;
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
    /* What follows the classification moves down so that it has a line of
     * its own: the 报头's em box a grid line's gap below its em box. */
    float shift = 0;
    if (v->classification.len) {
        lay_span cs = lay_span_text(c, &v->classification, (bl_role)s->cls_font, s->cls_size,
                                    LAY_BLACK, "classification");
        float cy = c->top - s->cls_baseline;
        st = place(c, page, &cs, 1, BL_ALIGN_LEFT, 0, 0, c->width, cy, 0, NULL);
        if (st != BL_OK)
            return st;
        float below = cy - LAY_CJK_DESCENT * s->cls_size - (c->pitch - s->body_size);
        float mh_top = c->top - s->mh_baseline + LAY_CJK_ASCENT * s->mh_size;
        if (mh_top > below)
            shift = mh_top - below;
    }
    /* 报头: one or more issuing bodies, stacked for a joint issue, all at one
     * size (the smallest any of them needs), each wrapped into balanced lines
     * when it does not fit at the minimum size. The longest line sets the
     * letter-spacing; in a joint issue the others are spaced out to its
     * width, so the bodies align at both ends (GB/T 9704 7.2.4). */
    float msize = s->mh_size;
    for (size_t i = 0; i < v->nmastheads; i++) {
        float sz;
        lay_span ms = lay_span_text(c, &v->mastheads[i], (bl_role)s->mh_font, s->mh_size,
                                    s->mh_color, "masthead");
        if ((st = mh_size_of(c, ms, &sz)) != BL_OK)
            return st;
        msize = fminf(msize, sz);
    }
    mh_line lines[MH_MAX_LINES];
    size_t nl = 0;
    float wmax = 0;
    size_t nmax = 1;
    for (size_t i = 0; i < v->nmastheads && nl < MH_MAX_LINES; i++) {
        lay_span ms = lay_span_text(c, &v->mastheads[i], (bl_role)s->mh_font, msize,
                                    s->mh_color, "masthead");
        float w;
        if ((st = lay_measure(c, &ms, 1, 0, &w)) != BL_OK)
            return st;
        if (w <= c->width) {
            lines[nl].text = ms.text;
            lines[nl].len = ms.len;
            lines[nl].nchars = bl_utf8_count(ms.text, ms.len);
            lines[nl++].w = w;
        } else if ((st = mh_split(c, &ms, c->width, lines, &nl)) != BL_OK) {
            return st;
        }
    }
    for (size_t l = 0; l < nl; l++)
        if (lines[l].w > wmax) {
            wmax = lines[l].w;
            nmax = lines[l].nchars;
        }
    float mtrack = 0;
    if (nmax > 1)
        mtrack = fmaxf(0, fminf(s->mh_spacing * msize, (c->width - wmax) / (float)(nmax - 1)));
    float span = wmax + mtrack * (float)(nmax > 1 ? nmax - 1 : 0);
    for (size_t l = 0; l < nl; l++) {
        const mh_line *ml = &lines[l];
        lay_span ms = lay_span_str(c, "", (bl_role)s->mh_font, msize, s->mh_color, "masthead");
        ms.text = ml->text;
        ms.len = ml->len;
        if (l < v->nmastheads && ml->text >= v->mastheads[l].s &&
            ml->text < v->mastheads[l].s + v->mastheads[l].len)
            ms.src = &v->mastheads[l];
        float t = mtrack;
        if (v->nmastheads > 1 && ml->nchars > 1)
            t = (span - ml->w) / (float)(ml->nchars - 1) * 0.9999f;
        st = place(c, page, &ms, 1, BL_ALIGN_CENTER, t, 0, c->width,
                   c->top - s->mh_baseline - shift, 0, NULL);
        if (st != BL_OK)
            return st;
        if (l + 1 < nl)
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
        return lay_nomem(c);
    lay_span is = lay_span_str(c, issue, (bl_role)s->issue_font, s->issue_size, LAY_BLACK, "issue");
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
    lay_span ds = lay_span_str(c, date_text(c), (bl_role)s->issuer_font, s->issuer_size, LAY_BLACK,
                               "date");
    float dw;
    if ((st = lay_measure(c, &ds, 1, 0, &dw)) != BL_OK)
        return st;
    if (v->issuer.len) {
        const char *issuer = lay_format(c, "{i}{s}", "{i}", str(&v->issuer), "{s}",
                                        s->issuer_suffix, NULL);
        if (!issuer)
            return lay_nomem(c);
        lay_span us = lay_span_str(c, issuer, (bl_role)s->issuer_font, s->issuer_size, LAY_BLACK,
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
    if (ry < c->bottom + c->pitch)
        return bl_error_set(c->err, BL_ERR_LAYOUT, v->file, v->mastheads[0].pos.line,
                            v->mastheads[0].pos.col,
                            "the masthead does not fit on page 1: its %zu lines of 报头 at %.0f pt "
                            "push the red rule below the text block; shorten the 报头",
                            nl, (double)msize);
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
        lay_nomem(c);
    return p;
}

/* The text of a flow line, for the dump (arena string). */
static const char *line_text(lay_ctx *c, const lay_line *ln)
{
    size_t len = 0;
    for (size_t r = ln->first_run; r < ln->first_run + ln->nruns; r++)
        len += c->runs[r].text_len;
    char *t = bl_arena_alloc(c->arena, len + 1);
    if (!t)
        return NULL;
    len = 0;
    for (size_t r = ln->first_run; r < ln->first_run + ln->nruns; r++) {
        memcpy(t + len, c->runs[r].text, c->runs[r].text_len);
        len += c->runs[r].text_len;
    }
    t[len] = '\0';
    return t;
}

/* Why lines [b, j) went to the next page: the keep rules of the chain. */
static const char *short_note(lay_ctx *c, size_t b, size_t j)
{
    char buf[600];
    size_t n = 0;
    const char *seen[8];
    size_t nseen = 0;
    n += (size_t)snprintf(buf, sizeof buf, "%zu line%s moved to the next page by: ", j - b,
                          j - b == 1 ? "" : "s");
    for (size_t k = b; k < j && n < sizeof buf; k++) {
        const char *why = c->lines[k].keep_why;
        if (!why || !c->lines[k].keep_next)
            continue;
        size_t q = 0;
        while (q < nseen && seen[q] != why)
            q++;
        if (q < nseen || nseen == 8)
            continue;
        seen[nseen++] = why;
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", nseen > 1 ? "; " : "", why);
    }
    const char *first = line_text(c, &c->lines[b]);
    if (n < sizeof buf && first) {
        /* At most 120 bytes of it, cut between characters. */
        size_t fl = strlen(first);
        if (fl > 120) {
            fl = 120;
            while (fl > 0 && ((unsigned char)first[fl] & 0xC0) == 0x80)
                fl--;
        }
        snprintf(buf + n, sizeof buf - n, " (from '%.*s%s')", (int)fl, first,
                 fl < strlen(first) ? "…" : "");
    }
    return bl_display_strdup(c->d, buf);
}

static bl_status folio(lay_ctx *c, size_t p);

/* Page index is finished: handed over (env->page_done), then its runs' arrays
 * are let go. Pages go in order, each once. */
static bl_status page_done(lay_ctx *c, size_t index)
{
    for (; c->pages_done <= index; c->pages_done++) {
        if (c->env->page_done) {
            bl_status st = c->env->page_done(c->env->page_ctx, c->d, c->pages_done, c->err);
            if (st != BL_OK)
                return st;
        }
        lay_release_page(c, c->pages_done);
    }
    return BL_OK;
}

/* Pagination places the flow on pages, page 1 starting at line first_slot (a
 * grid line, or for a 公文 a fraction: the line just clear of the red rule).
 * A whole number of lines of space keeps the next line on the grid (on
 * page 1 of a 公文, the grid that starts at first_slot); a fraction
 * (item-space-before = 0.5) is kept as it is, and the line after such an
 * off-grid line goes back to the next grid line. */
static void paginate_start(lay_ctx *c, float first_slot)
{
    lay_pag *pg = &c->pag;
    pg->i = 0;
    pg->start = first_slot;
    /* The page's grid origin: 0, or page 1's fraction of a line. */
    pg->org = first_slot - floorf(first_slot + 0.001f);
    pg->end_slot = first_slot;
    pg->page_index = c->d->npages - 1;
}

/* Fills pages with the flow's lines [pag.i, limit), page after page. With
 * final 0 the lines from limit on may still change, so a page that would
 * need them waits (for more lines, or the final call, which takes all). */
static bl_status paginate_step(lay_ctx *c, size_t limit, int final)
{
    const int G = c->st->grid_lines;
    lay_pag *pg = &c->pag;
    size_t i = pg->i;
    float start = pg->start, org = pg->org, end_slot = pg->end_slot;
    size_t page_index = pg->page_index;
    bl_status st = BL_OK;
    while (i < limit) {
        if (pg->cap_slot < limit - i + 1) {
            size_t cap = (limit - i + 1) * 2;
            float *sl = realloc(pg->slot, cap * sizeof *sl); /* freed by layout_pass */
            if (!sl) {
                st = lay_nomem(c);
                break;
            }
            pg->slot = sl;
            pg->cap_slot = cap;
        }
        float *slot = pg->slot; /* slot[k - i] for the lines k of this page */
        bl_dl_page *page = &c->d->pages[page_index];
        size_t j = i;
        float pos = start;
        while (j < limit) {
            const lay_line *ln = &c->lines[j];
            if (j > i && ln->break_before)
                break;
            float sb = pos == 0 ? 0 : ln->space_before; /* no space at a page top */
            float s = pos + sb;
            if (fabsf(sb - roundf(sb)) < 0.001f)
                s = org + ceilf(s - org - 0.001f);
            if (s > (float)(G - 1) + 0.001f)
                break;
            slot[j - i] = s;
            pos = s + 1;
            j++;
        }
        if (!final && j == limit)
            break; /* the page is not full yet: it waits for more lines */
        if (j < c->nlines && j > i && !c->lines[j].break_before) {
            /* Full: break at the last place the keep rules allow. */
            size_t b = j;
            while (b > i && c->lines[b - 1].keep_next)
                b--;
            if (b > i && b < j) {
                page->short_note = short_note(c, b, j);
                if (!page->short_note) {
                    st = lay_nomem(c);
                    break;
                }
            }
            if (b > i)
                j = b;
        }
        if (j == i) {
            if (start == 0) {
                slot[j - i] = 0; /* cannot happen with >= 1 grid line; never loop */
                j++;
            }
        }
        /* Nothing above the text block: a paragraph larger than the body
         * (a 2号 title) on the page's first line moves down, all its lines
         * together, until its em box's top is the block's top. */
        float drop = 0;
        size_t drop_group = 0;
        if (j > i && slot[0] < 0.001f) {
            const lay_line *ln = &c->lines[i];
            float asc = 0;
            for (size_t r = ln->first_run; r < ln->first_run + ln->nruns; r++)
                asc = fmaxf(asc, c->runs[r].size * LAY_CJK_ASCENT);
            if (asc > c->ascent + 0.01f) {
                drop = asc - c->ascent;
                drop_group = ln->group;
            }
        }
        for (size_t k = i; k < j && st == BL_OK; k++) {
            const lay_line *ln = &c->lines[k];
            float y = baseline_of(c, slot[k - i]);
            if (drop_group && ln->group == drop_group)
                y -= drop;
            st = lay_emit_runs(c, page, ln->first_run, ln->nruns, 0, y);
            if (st == BL_OK && ln->outline) {
                float top = y + (ln->nruns ? c->runs[ln->first_run].size * LAY_CJK_ASCENT : 0);
                st = bl_display_add_outline(c->d, ln->outline, ln->outline_level, page_index,
                                            top, c->err);
            }
            end_slot = org + ceilf(slot[k - i] + 1 - org - 0.001f);
        }
        if (st != BL_OK)
            break;
        i = j;
        if (i < c->nlines) {
            /* Only the last content page can get more (the 版记): number the
             * others as they are left, and hand them over. */
            if ((st = folio(c, page_index)) != BL_OK || (st = page_done(c, page_index)) != BL_OK)
                break;
            if (!new_page(c)) {
                st = BL_ERR_NOMEM;
                break;
            }
            page_index = c->d->npages - 1;
            start = 0;
            end_slot = 0;
            org = 0;
        }
    }
    pg->i = i;
    pg->start = start;
    pg->org = org;
    pg->end_slot = end_slot;
    pg->page_index = page_index;
    return st;
}

/* While the flow grows: the pages whose lines can no longer change. The
 * last line can (a source kept with it, the 公文's closing), and so can
 * the lines from c->hold on. */
static bl_status lay_progress(lay_ctx *c)
{
    if (c->nlines < 2)
        return BL_OK;
    size_t limit = c->nlines - 1;
    if (c->hold != (size_t)-1 && c->hold - c->line_base < limit)
        limit = c->hold - c->line_base; /* (lines from hold on are all still here) */
    if (limit == 0)
        return BL_OK;
    if (!c->first_fixed) {
        /* What the flow's end does to the first line, done before it is placed. */
        c->lines[0].space_before = fmaxf(c->lines[0].space_before, c->st->mh_space_after);
        c->first_fixed = 1;
    }
    bl_status st = paginate_step(c, limit, 0);
    if (st == BL_OK)
        lay_forget_placed(c);
    return st;
}

/* Places the rest of the flow's lines; *last_slot is the grid line after the
 * last line of the last page. */
static bl_status paginate(lay_ctx *c, float *last_slot)
{
    bl_status st = paginate_step(c, c->nlines, 1);
    *last_slot = c->pag.end_slot;
    return st;
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
        return lay_nomem(c);
    bl_status st;
    for (size_t f = 0; f < v->nfooter; f++) {
        const bl_footer_field *ff = &v->footer[f];
        lay_set set;
        /* Rows of this field: [row_runs[k], row_runs[k+1]) of ctx->runs. */
        size_t row_cap = 8, nrw = 0;
        size_t *row_runs = bl_arena_calloc(c->arena, row_cap + 1, sizeof *row_runs);
        if (!row_runs)
            return lay_nomem(c);
        if (ff->kind == BL_FOOT_YINFA) {
            /* 印发: the office left, the date + 印发 right, on one row; a long
             * office wraps in the room the date leaves (balanced), the date on
             * its last row, so the two never overprint. */
            lay_span vs = lay_span_text(c, &ff->value, (bl_role)s->foot_font, size, LAY_BLACK,
                                        "footer");
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
                return lay_nomem(c);
            lay_span ds = lay_span_str(c, date, (bl_role)s->foot_font, size, LAY_BLACK, "footer");
            float dw = 0;
            if ((st = lay_measure(c, &ds, 1, 0, &dw)) != BL_OK)
                return st;
            float room = c->width - ind - dw - size;
            if (room < 4 * size)
                room = 4 * size;
            lay_para_opts po = {room, 0, ind, ind, BL_ALIGN_LEFT, 1, 0, 0};
            if ((st = lay_set_para(c, &vs, 1, &po, &set)) != BL_OK)
                return st;
            lay_para_opts dpo = {c->width - ind, 0, 0, 0, BL_ALIGN_RIGHT, 0, 0, 0};
            lay_set dset;
            if ((st = lay_set_para(c, &ds, 1, &dpo, &dset)) != BL_OK)
                return st;
            /* The date's runs follow the office's: its last row takes them. */
            set.line_first_run[set.nlines] = c->nruns;
        } else if (ff->kind == BL_FOOT_YINSHU) {
            lay_span vs = lay_span_text(c, &ff->value, (bl_role)s->foot_font, size, LAY_BLACK,
                                        "footer"); /* 共印60份: the value alone */
            bl_lb_align al =
                strcmp(s->foot_copies_align, "left") == 0 ? BL_ALIGN_LEFT : BL_ALIGN_RIGHT;
            lay_para_opts po = {c->width - ind, 0, ind, ind, al, 0, 0, 0};
            if ((st = lay_set_para(c, &vs, 1, &po, &set)) != BL_OK)
                return st;
        } else {
            /* 报送：… with hanging alignment (GB/T 9704 7.4.2): the label
             * alone at the indent, the text and its continuation lines all
             * from the label's full width on. The label's width is taken
             * before an ideograph, so its colon counts whole, as it prints.
             * Each line the author started anew (an indented continuation
             * line of the input) starts a new row. */
            const char *label = lay_format(c, "{l}：", "{l}", str(&ff->label), NULL);
            const char *probe = lay_format(c, "{l}：国", "{l}", str(&ff->label), NULL);
            if (!label || !probe)
                return lay_nomem(c);
            lay_span ls = lay_span_str(c, label, (bl_role)s->foot_font, size, LAY_BLACK, "footer");
            lay_span ps = lay_span_str(c, probe, (bl_role)s->foot_font, size, LAY_BLACK, "footer");
            lay_span gs = lay_span_str(c, "国", (bl_role)s->foot_font, size, LAY_BLACK, "footer");
            float pw = 0, gw = 0;
            if ((st = lay_measure(c, &ps, 1, 0, &pw)) != BL_OK ||
                (st = lay_measure(c, &gs, 1, 0, &gw)) != BL_OK)
                return st;
            float hang = ind + pw - gw;
            lay_para_opts lo = {c->width, ind, 0, 0, BL_ALIGN_LEFT, 0, 0, 0};
            size_t first = c->nruns;
            if ((st = lay_set_para(c, &ls, 1, &lo, &set)) != BL_OK)
                return st;
            size_t nseg = ff->value.nspans ? ff->value.nspans : 1;
            for (size_t k = 0; k < nseg; k++) {
                size_t a = ff->value.nspans ? ff->value.spans[k].offset : 0;
                size_t b = k + 1 < nseg ? ff->value.spans[k + 1].offset : ff->value.len;
                if (a > ff->value.len)
                    a = ff->value.len;
                if (b > ff->value.len)
                    b = ff->value.len;
                while (b > a && ff->value.s[b - 1] == ' ')
                    b--; /* the space joining Latin lines */
                if (b <= a)
                    continue;
                lay_span vs = lay_span_text(c, &ff->value, (bl_role)s->foot_font, size, LAY_BLACK,
                                            "footer");
                vs.text += a;
                vs.len = b - a;
                vs.src_off = a;
                lay_para_opts po = {c->width - ind, 0, hang, hang, BL_ALIGN_JUSTIFY, 0, 0, 0};
                lay_set vset;
                if ((st = lay_set_para(c, &vs, 1, &po, &vset)) != BL_OK)
                    return st;
                for (size_t l = 0; l < vset.nlines; l++) {
                    if (nrw + 1 >= row_cap) {
                        size_t *g = bl_arena_grow(c->arena, row_runs, row_cap + 1,
                                                  row_cap * 2 + 1, sizeof *g);
                        if (!g)
                            return lay_nomem(c);
                        row_runs = g;
                        row_cap *= 2;
                    }
                    /* The label's runs precede the first row's own. */
                    row_runs[nrw] = nrw == 0 ? first : vset.line_first_run[l];
                    nrw++;
                }
            }
            if (nrw == 0)
                row_runs[nrw++] = first;
            row_runs[nrw] = c->nruns;
            set.nlines = nrw;
            set.line_first_run = row_runs;
        }
        for (size_t l = 0; l < set.nlines; l++) {
            if (nrows == cap) {
                foot_row *nr = bl_arena_grow(c->arena, rows, nrows, cap * 2, sizeof *nr);
                if (!nr)
                    return lay_nomem(c);
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
        float base = band_bottom + (pitch - size) / 2 + size * LAY_CJK_DESCENT;
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

/* Page p's number. Layout adds it when it leaves the page, the last item, so
 * that the display can store the page's items at their exact size. */
static bl_status folio(lay_ctx *c, size_t p)
{
    const bl_style *s = c->st;
    if (!s->folio_enabled || p < c->folios_done)
        return BL_OK;
    c->folios_done = p + 1;
    char n[24];
    snprintf(n, sizeof n, "%zu", p + 1);
    const char *label = bl_display_strdup(c->d, n);
    const char *text = lay_format(c, s->folio_format, "{n}", n, NULL);
    if (!label || !text)
        return lay_nomem(c);
    bl_dl_page *page = &c->d->pages[p];
    page->label = label;
    lay_span sp = lay_span_str(c, text, (bl_role)s->folio_font, s->folio_size, LAY_BLACK,
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
    float base = c->bottom - s->folio_offset - (LAY_CJK_ASCENT - LAY_CJK_DESCENT) / 2 * s->folio_size;
    float left = al == BL_ALIGN_LEFT ? ind : 0;
    float measure = al == BL_ALIGN_RIGHT ? c->width - ind : c->width - left;
    return place(c, page, &sp, 1, al, 0, left, measure, base, 0, NULL);
}

/* The numbers of the pages not numbered yet, up to unnumbered_from. */
static bl_status folios(lay_ctx *c, size_t unnumbered_from)
{
    for (size_t p = c->folios_done; p < c->d->npages && p < unnumbered_from; p++) {
        bl_status st = folio(c, p);
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
        return lay_nomem(c);
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

static bl_status layout_ctx_pass(lay_ctx *c, const bl_doc *doc, const bl_style *style,
                                 const bl_layout_env *env, bl_arena *arena,
                                 const size_t *toc_pages, size_t ntoc_pages, bl_display **out,
                                 bl_error *err)
{
    *out = NULL;
    c->toc_pages = toc_pages;
    c->ntoc_pages = ntoc_pages;
    c->doc = bl_doc_get(doc);
    c->st = style;
    c->env = env;
    c->arena = arena;
    c->err = err;
    c->d = bl_display_new(arena);
    if (!c->d)
        return lay_nomem(c);
    c->stream = env->page_done != NULL;
    c->hold = (size_t)-1;
    const bl_style *s = style;
    for (int r = 0; r < BL_ROLE_COUNT; r++) {
        bl_status st = bl_fontcache_chain(env->fonts, s->role_patterns[r],
                                          s->role_npatterns[r], &c->chains[r], err);
        if (st == BL_ERR_FONT && !err->file[0] && s->role_path[r]) {
            /* The fix is in the layout: name its line and the role. */
            char msg[BL_ERROR_MSG_MAX];
            snprintf(msg, sizeof msg, "%s", err->message);
            bl_error_clear(err);
            bl_error_set(err, st, s->role_path[r], s->role_line[r], 1, "[fonts] %s: %s",
                         bl_role_name((bl_role)r), msg);
        }
        if (st != BL_OK)
            return st;
    }
    c->left = s->margin_left;
    c->right = s->page_width - s->margin_right;
    c->top = s->page_height - s->margin_top;
    c->bottom = s->margin_bottom;
    c->width = c->right - c->left;
    c->ascent = LAY_CJK_ASCENT * s->body_size;
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
    if ((st = lay_gw_check(c)) != BL_OK ||
        (st = lay_gw_is_gongwen(c) ? lay_gw_head(c, first, &mh_bottom)
                                   : masthead(c, first, &mh_bottom)) != BL_OK)
        return st;
    /* The flow starts on the first grid line whose em box clears the rule.
     * A 公文's 版头 is placed by GB/T 9704 7.2.4-7.2.7 in mm, off the grid:
     * its title is measured from the rule (7.3.1: 红色分隔线下空二行), so its
     * page 1 starts right below the rule, on a grid of its own. */
    float below = (c->top - mh_bottom) / c->pitch;
    float first_slot = lay_gw_is_gongwen(c) ? below : ceilf(below - 0.001f);
    paginate_start(c, first_slot);
    /* Pages go while the flow grows, but not a 公文's: its closing reaches
     * back into the flow. */
    c->early = c->stream && !lay_gw_is_gongwen(c);
    const bl_doc_view *v = c->doc;
    int first_content = 0;
    /* A 目录 lists articles and items; below min-entries it is left out and
     * the first article starts on page 1. */
    size_t entries = 0;
    for (size_t i = 0; i < v->nparts; i++)
        entries += v->parts[i].kind == BL_PART_ARTICLE ? 1 : v->parts[i].section->nitems;
    int toc = s->toc_enabled && v->nparts && entries >= (size_t)s->toc_min_entries;
    if (toc) {
        if ((st = flow_toc(c)) != BL_OK)
            return st;
        first_content = s->toc_new_page_after;
    }
    for (size_t i = 0; i < v->nparts; i++) {
        /* Counted from the flow's start: placed lines can be forgotten. */
        size_t mark = c->line_base + c->nlines;
        const bl_part *p = &v->parts[i];
        if (i == 0 && toc)
            c->hold = mark; /* its first line is changed below */
        if (p->kind == BL_PART_ARTICLE)
            st = flow_article(c, p->article, first_content);
        else
            st = flow_section(c, p->section, first_content);
        if (st != BL_OK)
            return st;
        if (i == 0 && toc && c->line_base + c->nlines > mark) {
            lay_line *head = &c->lines[mark - c->line_base]; /* held: still here */
            if (s->toc_new_page_after)
                head->break_before = 1;
            else
                head->space_before = fmaxf(head->space_before, s->toc_space_after);
        }
        c->hold = (size_t)-1;
        first_content = 0;
        if (c->early && (st = lay_progress(c)) != BL_OK)
            return st;
    }
    /* The space below the masthead and the space above the first line
     * collapse: the larger counts (gongwen: the title two lines below the
     * rule, not two plus two). */
    if (c->nlines && !c->first_fixed) /* (else done before line 1 was placed) */
        c->lines[0].space_before = fmaxf(c->lines[0].space_before, s->mh_space_after);
    if ((st = lay_gw_closing(c)) != BL_OK)
        return st;
    float last_slot = first_slot;
    if ((st = paginate(c, &last_slot)) != BL_OK)
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
        float last_bottom = baseline_of(c, last_slot - 1) - LAY_CJK_DESCENT * s->body_size;
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
    lay_warn_missing(c);
    lay_gw_info(c);
    if (c->d->npages && (st = page_done(c, c->d->npages - 1)) != BL_OK)
        return st;
    *out = c->d;
    return BL_OK;
}

/* One pass with its own context. The context's lines and runs are the
 * layout's scratch (pages keep copies of the runs), so they are malloc'd and
 * let go here rather than kept in the display's arena. */
static bl_status layout_pass(const bl_doc *doc, const bl_style *style,
                             const bl_layout_env *env, bl_arena *arena, const size_t *toc_pages,
                             size_t ntoc_pages, bl_display **out, bl_error *err)
{
    lay_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    bl_status st = layout_ctx_pass(&ctx, doc, style, env, arena, toc_pages, ntoc_pages, out, err);
    lay_free_runs(&ctx);
    free(ctx.runs);
    free(ctx.lines);
    free(ctx.pag.slot);
    return st;
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

/* env->page_done of the passes that only count pages: nothing to hand over. */
static bl_status discard_page(void *ctx, const bl_display *d, size_t index, bl_error *err)
{
    (void)ctx, (void)d, (void)index, (void)err;
    return BL_OK;
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
    /* Only the last pass warns: the others would repeat its warnings. */
    bl_layout_env quiet = *env;
    quiet.warner = NULL;
    /* Only the last pass's pages are the document's: the others are let go
     * as they are made (only their outlines' pages are read). */
    quiet.page_done = discard_page;
    for (int pass = 0; pass < 4; pass++) {
        bl_arena *tmp = bl_arena_new();
        bl_display *d = NULL;
        if (!tmp)
            return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory");
        st = layout_pass(doc, style, &quiet, tmp, pages, n, &d, err);
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
