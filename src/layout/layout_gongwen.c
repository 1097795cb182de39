/* layout_gongwen.c - the GB/T 9704-2012 公文 frame: the 版头 of a 公文 (份号,
 * 密级, 紧急程度, the red 发文机关标志, the 发文字号 and 签发人, the red rule),
 * its 主送 under the title, and the end of its body (附件说明, 署名, 成文日期,
 * 附注). Every figure comes from the layout's [document] and [closing]
 * sections (style.h); layout.c calls in here through the hooks declared in
 * layout_priv.h. A document is a 公文 when its header has 发文字号. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../base/utf8.h"
#include "layout_priv.h"

/* One 字 on the body's grid: the character pitch of a full line. */
static float gw_zi(const lay_ctx *c)
{
    return c->width / (float)c->st->grid_chars;
}

int lay_gw_is_gongwen(const lay_ctx *c)
{
    return c->st->gongwen && c->doc->doc_number.len > 0;
}

static bl_status gw_needs_frame(lay_ctx *c, const bl_text *t, const char *what)
{
    return bl_error_set(c->err, BL_ERR_LAYOUT, c->doc->file, t->pos.line, t->pos.col,
                        "%s is placed by a layout with the 公文 frame ([document] and "
                        "[closing]), such as 版式：gongwen; the layout '%s' has none",
                        what, c->st->name ? c->st->name : "");
}

bl_status lay_gw_check(lay_ctx *c)
{
    const bl_doc_view *v = c->doc;
    if (c->st->gongwen)
        return BL_OK;
    if (v->doc_number.len)
        return gw_needs_frame(c, &v->doc_number, "a 公文 (发文字号)");
    for (size_t i = 0; i < v->nparts; i++)
        if (v->parts[i].kind == BL_PART_ARTICLE && v->parts[i].article->recipients.len)
            return gw_needs_frame(c, &v->parts[i].article->recipients, "主送");
    if (v->nattachments)
        return gw_needs_frame(c, &v->attachments[0], "附件");
    if (v->nsignatures)
        return gw_needs_frame(c, &v->signatures[0], "署名");
    if (v->sign_date_text.len)
        return gw_needs_frame(c, &v->sign_date_text, "成文日期");
    if (v->annotation.len)
        return gw_needs_frame(c, &v->annotation, "附注");
    return BL_OK;
}

/* ---- fixed positions on page 1 ---------------------------------------- */

/* Sets spans on one line, x from the text block's left edge + left within
 * measure, baseline y; returns the line's width. */
static bl_status gw_put(lay_ctx *c, bl_dl_page *page, const lay_span *spans, size_t n,
                        bl_lb_align align, float tracking, float left, float measure, float y,
                        float *width)
{
    lay_para_opts po = {measure, left, 0, 0, align, 0, 0, tracking};
    lay_set set;
    bl_status st = lay_set_para(c, spans, n, &po, &set);
    if (st != BL_OK)
        return st;
    /* A fixed element is one line; a second would overprint what follows. */
    if (set.nlines > 1)
        return bl_error_set(c->err, BL_ERR_LAYOUT, c->doc->file,
                            spans[0].src ? spans[0].src->pos.line : 0,
                            spans[0].src ? spans[0].src->pos.col : 0,
                            "'%.*s' does not fit on one line of the 版头 (%.0f mm)",
                            (int)spans[0].len, spans[0].text, (double)(measure / 72 * 25.4f));
    if (width)
        *width = set.nlines ? set.line_width[0] : 0;
    return lay_emit_runs(c, page, set.line_first_run[0],
                         set.line_first_run[set.nlines] - set.line_first_run[0], 0, y);
}

static bl_status gw_rule(lay_ctx *c, bl_dl_page *page, float y, float w)
{
    bl_dl_rule r = {c->left, y, c->right, y, w, c->st->rule_color, "masthead-rule"};
    return bl_display_add_rule(c->d, page, &r, c->err);
}

/* The 发文机关标志 (GB/T 9704 7.2.4): each body's name and the word (刊名, or
 * the layout's mark-word) centred; a joint 标志 stacks the names, spread to one width,
 * with the word to their right centred on the stack. *bottom is the y of
 * its lowest em box edge. */
static bl_status gw_mark(lay_ctx *c, bl_dl_page *page, float *bottom)
{
    const bl_style *s = c->st;
    const bl_doc_view *v = c->doc;
    const char *word = v->name.pos.line ? v->name.s : s->gw_mark_word;
    size_t n = v->nmastheads;
    float size = s->gw_mark_size, zi0 = size;
    bl_status st;
    lay_span ws = lay_span_str(c, word, (bl_role)s->gw_mark_font, size, s->gw_mark_color, "mark");
    if (n == 1) {
        const char *all = lay_format(c, "{b}{w}", "{b}", v->mastheads[0].s, "{w}", word, NULL);
        if (!all)
            return lay_nomem(c);
        lay_span ms = lay_span_str(c, all, (bl_role)s->gw_mark_font, size, s->gw_mark_color,
                                   "mark");
        ms.src = &v->mastheads[0];
        float w;
        if ((st = lay_measure(c, &ms, 1, 0, &w)) != BL_OK)
            return st;
        if (w > c->width)
            size *= c->width / w * 0.999f;
        if (size < s->gw_mark_min_size)
            goto too_wide;
        ms.size = size;
        w *= size / zi0;
        size_t nch = bl_utf8_count(all, strlen(all));
        float track = nch > 1 ? fminf(s->gw_mark_spacing * size, (c->width - w) / (float)(nch - 1))
                              : 0;
        float y = c->top - s->gw_mark_top - LAY_CJK_ASCENT * size;
        if ((st = gw_put(c, page, &ms, 1, BL_ALIGN_CENTER, track, 0, c->width, y, NULL)) !=
            BL_OK)
            return st;
        *bottom = y - LAY_CJK_DESCENT * size;
        return BL_OK;
    }
    /* Joint: the longest name sets the width of all. */
    float maxw = 0, wordw;
    for (size_t i = 0; i < n; i++) {
        lay_span ms = lay_span_text(c, &v->mastheads[i], (bl_role)s->gw_mark_font, size,
                                    s->gw_mark_color, "mark");
        float w;
        if ((st = lay_measure(c, &ms, 1, 0, &w)) != BL_OK)
            return st;
        maxw = fmaxf(maxw, w);
    }
    if ((st = lay_measure(c, &ws, 1, 0, &wordw)) != BL_OK)
        return st;
    float total = maxw + wordw + s->gw_mark_gap * size;
    if (total > c->width)
        size *= c->width / total * 0.999f;
    if (size < s->gw_mark_min_size)
        goto too_wide;
    float k = size / zi0;
    maxw *= k;
    wordw *= k;
    float gap = s->gw_mark_gap * size, pitch = s->gw_mark_pitch * k;
    float x0 = (c->width - (maxw + gap + wordw)) / 2;
    float y0 = c->top - s->gw_mark_top - LAY_CJK_ASCENT * size;
    for (size_t i = 0; i < n; i++) {
        lay_span ms = lay_span_text(c, &v->mastheads[i], (bl_role)s->gw_mark_font, size,
                                    s->gw_mark_color, "mark");
        float w;
        if ((st = lay_measure(c, &ms, 1, 0, &w)) != BL_OK)
            return st;
        size_t nch = bl_utf8_count(ms.text, ms.len);
        float track = nch > 1 ? (maxw - w) / (float)(nch - 1) : 0;
        if ((st = gw_put(c, page, &ms, 1, BL_ALIGN_LEFT, track, x0, c->width - x0,
                         y0 - pitch * (float)i, NULL)) != BL_OK)
            return st;
    }
    float top = y0 + LAY_CJK_ASCENT * size, low = y0 - pitch * (float)(n - 1) - LAY_CJK_DESCENT * size;
    ws.size = size;
    float wy = (top + low) / 2 - (LAY_CJK_ASCENT - LAY_CJK_DESCENT) / 2 * size;
    if ((st = gw_put(c, page, &ws, 1, BL_ALIGN_LEFT, 0, x0 + maxw + gap, c->width, wy, NULL)) !=
        BL_OK)
        return st;
    *bottom = low;
    return BL_OK;
too_wide:
    return bl_error_set(c->err, BL_ERR_LAYOUT, v->file, v->mastheads[0].pos.line,
                        v->mastheads[0].pos.col,
                        "the 发文机关标志 does not fit the text block's width at %.0f pt "
                        "([document] mark-min-size): use the body's short name (规范化简称, "
                        "GB/T 9704 7.2.4)",
                        (double)s->gw_mark_min_size);
}

/* 签发人 (GB/T 9704 7.2.6): the label and the names, per-line names a line,
 * right with its indent; later lines start under the first name. The first
 * line's baseline is y; returns the last line's, and where its ink starts. */
static bl_status gw_signers(lay_ctx *c, bl_dl_page *page, float y, float *last_y, float *x_left)
{
    const bl_style *s = c->st;
    const bl_doc_view *v = c->doc;
    float size = s->gw_signer_size, zi = gw_zi(c);
    lay_span ls = lay_span_str(c, s->gw_signer_label, (bl_role)s->gw_signer_label_font, size,
                               LAY_BLACK, "signer-label");
    float lw, cw = 0;
    bl_status st = lay_measure(c, &ls, 1, 0, &lw);
    if (st != BL_OK)
        return st;
    for (size_t i = 0; i < v->nsigners; i++) {
        lay_span ns = lay_span_text(c, &v->signers[i], (bl_role)s->gw_signer_font, size,
                                    LAY_BLACK, "signer");
        float w;
        if ((st = lay_measure(c, &ns, 1, 0, &w)) != BL_OK)
            return st;
        cw = fmaxf(cw, w);
    }
    size_t per = (size_t)s->gw_signer_per_line;
    size_t cols = v->nsigners < per ? v->nsigners : per;
    float gap = s->gw_signer_gap * zi;
    float blockw = lw + (float)cols * cw + (float)(cols - 1) * gap;
    float x0 = c->width - s->gw_signer_indent * zi - blockw;
    if (x0 < 0)
        return bl_error_set(c->err, BL_ERR_LAYOUT, v->file, v->signers[0].pos.line,
                            v->signers[0].pos.col,
                            "the 签发人 names do not fit the line (%.0f mm): fewer names a line "
                            "([document] signer-per-line)",
                            (double)(blockw / 72 * 25.4f));
    /* The label is set with the first name, so its colon keeps its full
     * width (alone it would end a line and be compressed). */
    lay_span first[2] = {ls, lay_span_text(c, &v->signers[0], (bl_role)s->gw_signer_font, size,
                                           LAY_BLACK, "signer")};
    float both, one;
    if ((st = lay_measure(c, first, 2, 0, &both)) != BL_OK ||
        (st = lay_measure(c, &first[1], 1, 0, &one)) != BL_OK)
        return st;
    x0 += lw - (both - one);
    lw = both - one;
    if ((st = gw_put(c, page, first, 2, BL_ALIGN_LEFT, 0, x0, c->width - x0, y, NULL)) != BL_OK)
        return st;
    *last_y = y;
    for (size_t i = 1; i < v->nsigners; i++) {
        lay_span ns = lay_span_text(c, &v->signers[i], (bl_role)s->gw_signer_font, size,
                                    LAY_BLACK, "signer");
        float x = x0 + lw + (float)(i % per) * (cw + gap);
        float ly = y - c->pitch * (float)(i / per);
        if ((st = gw_put(c, page, &ns, 1, BL_ALIGN_LEFT, 0, x, c->width - x, ly, NULL)) != BL_OK)
            return st;
        *last_y = ly;
    }
    /* the last line's leftmost ink: the label on the first line, else a name */
    *x_left = v->nsigners <= per ? x0 : x0 + lw;
    return BL_OK;
}

bl_status lay_gw_head(lay_ctx *c, bl_dl_page *page, float *bottom_y)
{
    const bl_style *s = c->st;
    const bl_doc_view *v = c->doc;
    bl_status st;
    /* 份号, 密级★保密期限, 紧急程度 flush left on grid lines 1, 2, 3, in order
     * (GB/T 9704 7.2.1-7.2.3). */
    const bl_text *corner[3] = {&v->copy_number, &v->classification, &v->urgency};
    static const char *const corner_el[3] = {"copy-number", "classification", "urgency"};
    int line = 0;
    for (int i = 0; i < 3; i++) {
        if (!corner[i]->len)
            continue;
        lay_span cs = lay_span_text(c, corner[i], (bl_role)s->gw_corner_font, s->gw_corner_size,
                                    LAY_BLACK, corner_el[i]);
        if (corner[i] == &v->classification && v->secrecy_term.len)
            cs.src = NULL; /* rebuilt from two fields */
        float y = c->top - c->ascent - c->pitch * (float)line++;
        if ((st = gw_put(c, page, &cs, 1, BL_ALIGN_LEFT, 0, 0, c->width, y, NULL)) != BL_OK)
            return st;
    }
    float mark_bottom = 0;
    if ((st = gw_mark(c, page, &mark_bottom)) != BL_OK)
        return st;
    /* 发文字号 (7.2.5) number-space lines below the 标志: centred, or in a
     * 上行文 left on the line of the last 签发人 (7.2.6). */
    float nsize = s->gw_number_size, zi = gw_zi(c);
    float y = mark_bottom - s->gw_number_space * c->pitch - LAY_CJK_ASCENT * nsize;
    lay_span ns = lay_span_text(c, &v->doc_number, (bl_role)s->gw_number_font, nsize, LAY_BLACK,
                                "doc-number");
    float ny = y;
    if (v->nsigners) {
        float sx = 0;
        if ((st = gw_signers(c, page, y, &ny, &sx)) != BL_OK)
            return st;
        float nw;
        if ((st = lay_measure(c, &ns, 1, 0, &nw)) != BL_OK)
            return st;
        float nx = s->gw_number_indent * zi;
        if (nx + nw + zi > sx)
            return bl_error_set(c->err, BL_ERR_LAYOUT, v->file, v->doc_number.pos.line,
                                v->doc_number.pos.col,
                                "the 发文字号 and the 签发人 do not fit on one line");
        if ((st = gw_put(c, page, &ns, 1, BL_ALIGN_LEFT, 0, nx, c->width - nx, ny, NULL)) !=
            BL_OK)
            return st;
    } else if ((st = gw_put(c, page, &ns, 1, BL_ALIGN_CENTER, 0, 0, c->width, y, NULL)) != BL_OK) {
        return st;
    }
    /* The red rule (7.2.7), as [masthead] draws it: rule-offset below. */
    float ry = ny - s->rule_offset;
    if ((st = gw_rule(c, page, ry, s->rule_width)) != BL_OK)
        return st;
    float low = ry - s->rule_width / 2;
    if (strcmp(s->rule_style, "single") != 0) {
        float w2 = strcmp(s->rule_style, "double") == 0 ? s->rule_width : s->rule_thin_width;
        float y2 = ry - s->rule_width / 2 - s->rule_gap - w2 / 2;
        if ((st = gw_rule(c, page, y2, w2)) != BL_OK)
            return st;
        low = y2 - w2 / 2;
    }
    /* GB/T 9704 7.3: the first page shows the title and text; a 版头 that
     * leaves no room for them (many joint bodies or 签发人) is refused. */
    if (low < c->bottom + 3 * c->pitch)
        return bl_error_set(c->err, BL_ERR_LAYOUT, v->file, v->mastheads[0].pos.line,
                            v->mastheads[0].pos.col,
                            "the 版头 of this 公文 (%zu 发文机关, %zu 签发人) reaches %.0f mm "
                            "down the text block, leaving page 1 no room for the title and "
                            "text (GB/T 9704 7.3)",
                            v->nmastheads, v->nsigners, (double)((c->top - low) / 72 * 25.4f));
    *bottom_y = low;
    return BL_OK;
}

/* ---- lines of the flow ------------------------------------------------- */

/* Sets spans as a paragraph and appends its lines, the first with
 * space_before grid lines above it; keep: every line stays with the next. */
static bl_status gw_flow(lay_ctx *c, const lay_span *spans, size_t n, const lay_para_opts *po,
                         float space_before, int keep)
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
        if (l == 0)
            ln->space_before = space_before;
        ln->keep_next = keep || (set.nlines > 1 && (l == 0 || l + 2 == set.nlines));
    }
    return BL_OK;
}

bl_status lay_gw_recipients(lay_ctx *c, const bl_article *a)
{
    const bl_style *s = c->st;
    /* GB/T 9704 7.3.2: flush left, wrapped lines flush left, a full-width
     * colon after the last body. */
    const char *t = lay_format(c, "{r}：", "{r}", a->recipients.s, NULL);
    if (!t)
        return lay_nomem(c);
    lay_span sp = lay_span_text(c, &a->recipients, (bl_role)s->gw_recipients_font, s->body_size,
                                s->body_color, "recipients");
    sp.text = t;
    sp.len = strlen(t);
    lay_para_opts po = {c->width, 0, 0, 0, BL_ALIGN_JUSTIFY, 0, gw_zi(c), 0};
    return gw_flow(c, &sp, 1, &po, s->gw_recipients_space, 1);
}

static const char *gw_date(lay_ctx *c, const bl_date *d)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%d年%d月%d日", d->year, d->month, d->day);
    return bl_display_strdup(c->d, buf);
}

bl_status lay_gw_closing(lay_ctx *c)
{
    const bl_style *s = c->st;
    const bl_doc_view *v = c->doc;
    if (!s->gongwen)
        return BL_OK;
    int gongwen = lay_gw_is_gongwen(c);
    float size = s->body_size, zi = gw_zi(c);
    bl_role role = (bl_role)s->gw_close_font;
    bl_status st;
    /* The end stays with the body's last line (GB/T 9704 7.3.5: no 署名 alone
     * on a page). */
    if (c->nlines && (v->nattachments || v->nsignatures || gongwen))
        c->lines[c->nlines - 1].keep_next = 1;
    /* 附件说明 (7.3.4). */
    float lw = 0, numw = 0;
    lay_span label = lay_span_str(c, s->gw_attach_label, role, size, s->body_color, "attachment");
    if (v->nattachments) {
        /* measured before a name: alone, its colon would end a line and be
         * compressed, and the next lines would not line up under the name */
        lay_span two[2] = {label, lay_span_text(c, &v->attachments[0], role, size,
                                                s->body_color, "attachment")};
        float both, one;
        if ((st = lay_measure(c, two, 2, 0, &both)) != BL_OK ||
            (st = lay_measure(c, &two[1], 1, 0, &one)) != BL_OK)
            return st;
        lw = both - one;
    }
    for (size_t i = 0; i < v->nattachments; i++) {
        char n[24];
        snprintf(n, sizeof n, "%zu", i + 1);
        const char *num = v->nattachments > 1 ? lay_format(c, s->gw_attach_number, "{n}", n, NULL)
                                              : "";
        if (!num)
            return lay_nomem(c);
        lay_span ns = lay_span_str(c, num, role, size, s->body_color, "attachment");
        if (*num && (st = lay_measure(c, &ns, 1, 0, &numw)) != BL_OK)
            return st;
        lay_span spans[3];
        size_t k = 0;
        if (i == 0)
            spans[k++] = label;
        if (*num)
            spans[k++] = ns;
        spans[k++] = lay_span_text(c, &v->attachments[i], role, size, s->body_color, "attachment");
        /* wrapped lines under the name's first character */
        float x = s->gw_attach_indent * zi + (i == 0 ? 0 : lw);
        float hang = s->gw_attach_indent * zi + lw + numw;
        lay_para_opts po = {c->width, 0, x, hang, BL_ALIGN_LEFT, 0, 0, 0};
        if ((st = gw_flow(c, spans, k, &po, i == 0 ? s->gw_attach_space : 0, 1)) != BL_OK)
            return st;
    }
    /* A page may break after the 附件说明 but never between a 署名 and its
     * date: when the body's page is full they move on together. */
    if (v->nattachments && c->nlines)
        c->lines[c->nlines - 1].keep_next = 0;
    /* 署名 and 成文日期 without a seal (7.3.5.2): each 署名 right with its
     * indent, the date on the next line starting date-shift right of the
     * last 署名's first character, never nearer the edge than date-indent
     * (then the 署名 move left with it). A 公文 always signs: by default
     * with the names of its 标志. */
    const bl_text *names = v->nsignatures ? v->signatures : v->mastheads;
    size_t nnames = v->nsignatures ? v->nsignatures : gongwen ? v->nmastheads : 0;
    int dated = gongwen || v->nsignatures || v->sign_date_text.len;
    if (dated) {
        const char *date = gw_date(c, &v->sign_date);
        if (!date)
            return lay_nomem(c);
        lay_span ds = lay_span_str(c, date, role, size, s->body_color, "sign-date");
        ds.src = v->sign_date_text.len ? &v->sign_date_text : NULL;
        float dw, lastw = 0;
        if ((st = lay_measure(c, &ds, 1, 0, &dw)) != BL_OK)
            return st;
        if (nnames) {
            lay_span ls = lay_span_text(c, &names[nnames - 1], role, size, s->body_color,
                                        "signature");
            if ((st = lay_measure(c, &ls, 1, 0, &lastw)) != BL_OK)
                return st;
        }
        float r = s->gw_sign_indent * zi;                    /* right space of the 署名 */
        float dx = c->width - r - lastw + s->gw_date_shift * zi; /* the date's left */
        if (!nnames || dx + dw > c->width - s->gw_date_indent * zi) {
            dx = c->width - s->gw_date_indent * zi - dw;
            if (nnames)
                r = c->width - (dx - s->gw_date_shift * zi) - lastw;
        }
        for (size_t i = 0; i < nnames; i++) {
            lay_span ns = lay_span_text(c, &names[i], role, size, s->body_color, "signature");
            lay_para_opts po = {c->width - r, 0, 0, 0, BL_ALIGN_RIGHT, 0, 0, 0};
            float before = i == 0 ? (v->nattachments || c->nlines ? s->gw_sign_space : 0) : 0;
            if ((st = gw_flow(c, &ns, 1, &po, before, 1)) != BL_OK)
                return st;
        }
        lay_para_opts po = {c->width - dx, dx, 0, 0, BL_ALIGN_LEFT, 0, 0, 0};
        if ((st = gw_flow(c, &ds, 1, &po, nnames ? 0 : s->gw_sign_space, 1)) != BL_OK)
            return st;
    }
    /* 附注 (7.3.6) on the next line, indented, in brackets. */
    if (v->annotation.len) {
        const char *t = v->annotation.s;
        size_t tl = v->annotation.len;
        int bracketed = tl >= 6 && strncmp(t, "（", 3) == 0 && strcmp(t + tl - 3, "）") == 0;
        const char *shown = bracketed ? t : lay_format(c, s->gw_note_format, "{text}", t, NULL);
        if (!shown)
            return lay_nomem(c);
        lay_span sp = lay_span_text(c, &v->annotation, role, size, s->body_color, "annotation");
        sp.text = shown;
        sp.len = strlen(shown);
        sp.src = bracketed ? &v->annotation : NULL;
        lay_para_opts po = {c->width, 0, s->gw_note_indent * zi, 0, BL_ALIGN_JUSTIFY, 0, zi, 0};
        if ((st = gw_flow(c, &sp, 1, &po, dated ? 0 : s->gw_sign_space, 0)) != BL_OK)
            return st;
    }
    return BL_OK;
}

void lay_gw_info(lay_ctx *c)
{
    const bl_doc_view *v = c->doc;
    if (!lay_gw_is_gongwen(c))
        return;
    /* A 公文's title names it; its 发文字号 is the subject. */
    for (size_t i = 0; i < v->nparts; i++)
        if (v->parts[i].kind == BL_PART_ARTICLE) {
            c->d->info.title = v->parts[i].article->title.s;
            break;
        }
    c->d->info.subject = v->doc_number.s;
}
