/* layout_text.c - setting styled text: shaping spans, handing the clusters to
 * the paragraph composer, and turning its lines into positioned glyph runs. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/grow.h"
#include "../base/utf8.h"
#include "layout_priv.h"

lay_span lay_span_text(lay_ctx *c, const bl_text *t, bl_role role, float size,
                       bl_color color, const char *element)
{
    (void)c;
    lay_span s = {t->s, t->len, role, size, color, element, t, 0, 0};
    return s;
}

lay_span lay_span_str(lay_ctx *c, const char *str, bl_role role, float size, bl_color color,
                      const char *element)
{
    (void)c;
    lay_span s = {str, strlen(str), role, size, color, element, NULL, 0, 0};
    return s;
}

const char *lay_format(lay_ctx *c, const char *fmt, ...)
{
    /* Collect the key/value pairs first. */
    const char *keys[8], *vals[8];
    size_t nkv = 0;
    va_list ap;
    va_start(ap, fmt);
    for (const char *k; nkv < 8 && (k = va_arg(ap, const char *)) != NULL; nkv++) {
        keys[nkv] = k;
        vals[nkv] = va_arg(ap, const char *);
    }
    va_end(ap);
    size_t cap = strlen(fmt) + 1;
    for (size_t i = 0; i < nkv; i++)
        for (const char *p = fmt; (p = strstr(p, keys[i])) != NULL; p++)
            cap += strlen(vals[i]);
    char *out = bl_arena_alloc(c->arena, cap);
    if (!out)
        return NULL;
    size_t n = 0;
    for (const char *p = fmt; *p;) {
        size_t i = 0;
        for (; i < nkv; i++) {
            size_t kl = strlen(keys[i]);
            if (strncmp(p, keys[i], kl) == 0) {
                size_t vl = strlen(vals[i]);
                memcpy(out + n, vals[i], vl);
                n += vl;
                p += kl;
                break;
            }
        }
        if (i == nkv)
            out[n++] = *p++;
    }
    out[n] = '\0';
    return out;
}

lay_line *lay_add_line(lay_ctx *c, size_t first_run, size_t nruns)
{
    lay_line *all = bl_reserve(c->lines, &c->cap_lines, c->nlines, 1, sizeof *all, 64);
    if (!all)
        return NULL;
    c->lines = all; /* freed by layout_pass */
    lay_line *l = &c->lines[c->nlines++];
    memset(l, 0, sizeof *l);
    l->first_run = first_run;
    l->nruns = nruns;
    return l;
}

static bl_dl_text *new_run(lay_ctx *c)
{
    bl_dl_text *all = bl_reserve(c->runs, &c->cap_runs, c->nruns, 1, sizeof *all, 128);
    if (!all)
        return NULL;
    c->runs = all; /* freed by layout_pass */
    if (c->stream && c->nruns == c->cap_emitted) {
        size_t cap = c->cap_runs;
        unsigned char *e = realloc(c->emitted, cap); /* freed by lay_free_runs */
        if (!e)
            return NULL;
        c->emitted = e;
        c->cap_emitted = cap;
    }
    if (c->stream)
        c->emitted[c->nruns] = 0;
    bl_dl_text *r = &c->runs[c->nruns++];
    memset(r, 0, sizeof *r);
    return r;
}

/* A run's glyphs, glyph_y (when y) and text in one block: from the
 * document's arena, as the display is, or, when pages are handed over as they
 * are laid out, malloc'd, so that the page, once handed over, lets it go. */
static bl_status run_arrays(lay_ctx *c, bl_dl_text *run, const bl_dl_glyph *g, const float *y,
                            size_t gn, const char *text, size_t tn)
{
    size_t gb = gn * sizeof *g, yb = y ? gn * sizeof *y : 0;
    unsigned char *m = c->stream ? malloc(gb + yb + tn + 1)
                                 : bl_arena_alloc(c->arena, gb + yb + tn + 1);
    if (!m)
        return BL_ERR_NOMEM;
    memcpy(m, g, gb);
    if (y)
        memcpy(m + gb, y, yb);
    memcpy(m + gb + yb, text, tn);
    m[gb + yb + tn] = '\0';
    run->glyphs = (const bl_dl_glyph *)m;
    run->glyph_y = y ? (const float *)(m + gb) : NULL;
    run->text = (const char *)(m + gb + yb);
    run->text_len = tn;
    run->nglyphs = gn;
    return BL_OK;
}

static void free_run(bl_dl_text *t)
{
    free((void *)t->glyphs); /* the block of run_arrays */
    t->glyphs = NULL;
    t->glyph_y = NULL;
    t->text = "";
    t->nglyphs = t->text_len = 0;
}

/* Run i's arrays, unless a page owns them. */
static void free_unowned(lay_ctx *c, size_t i)
{
    if (!c->emitted[i])
        free_run(&c->runs[i]);
}

void lay_drop_runs(lay_ctx *c, size_t mark)
{
    if (c->stream)
        for (size_t i = mark; i < c->nruns; i++)
            free_unowned(c, i);
    c->nruns = mark;
}

void lay_free_runs(lay_ctx *c)
{
    if (c->stream) {
        for (size_t i = 0; i < c->nruns; i++)
            free_unowned(c, i);
        for (size_t k = c->owned_head; k < c->nowned; k++)
            free(c->owned[k].block);
    }
    free(c->owned);
    free(c->emitted);
    c->owned = NULL;
    c->emitted = NULL;
    c->nowned = c->owned_head = c->cap_owned = c->cap_emitted = 0;
}

void lay_release_page(lay_ctx *c, size_t index)
{
    if (!c->stream)
        return;
    /* Runs are emitted page after page, so the page's are at the front. */
    while (c->owned_head < c->nowned && c->owned[c->owned_head].page <= index)
        free(c->owned[c->owned_head++].block);
    if (c->owned_head > c->nowned / 2) {
        memmove(c->owned, c->owned + c->owned_head,
                (c->nowned - c->owned_head) * sizeof *c->owned);
        c->nowned -= c->owned_head;
        c->owned_head = 0;
    }
    /* Its items point into what was let go. */
    c->d->pages[index].nitems = 0;
}

void lay_forget_placed(lay_ctx *c)
{
    size_t l = c->pag.i;
    /* Seldom: each time moves what is left, about a page of lines. */
    if (!c->stream || l < 4096 || l > c->nlines)
        return;
    size_t r = l < c->nlines ? c->lines[l].first_run : c->nruns;
    for (size_t i = 0; i < r; i++)
        free_unowned(c, i); /* set but never placed */
    memmove(c->runs, c->runs + r, (c->nruns - r) * sizeof *c->runs);
    memmove(c->emitted, c->emitted + r, c->nruns - r);
    c->nruns -= r;
    memmove(c->lines, c->lines + l, (c->nlines - l) * sizeof *c->lines);
    c->nlines -= l;
    for (size_t k = 0; k < c->nlines; k++)
        c->lines[k].first_run -= r;
    c->line_base += l;
    c->pag.i = 0;
}

bl_status lay_emit_runs(lay_ctx *c, bl_dl_page *page, size_t first, size_t n, float dx,
                        float dy)
{
    for (size_t i = first; i < first + n; i++) {
        bl_dl_text t = c->runs[i];
        t.x += dx;
        t.y += dy;
        /* The run's arrays are shared: in the document's arena, as the
         * display is, or owned by the page until it is handed over. */
        bl_status st = bl_display_add_text_shared(c->d, page, &t, c->err);
        if (st != BL_OK)
            return st;
        if (c->stream && t.glyphs && !c->emitted[i]) {
            lay_owned *o = bl_reserve(c->owned, &c->cap_owned, c->nowned, 1, sizeof *o, 256);
            if (!o)
                return lay_nomem(c);
            c->owned = o;
            c->owned[c->nowned++] = (lay_owned){(size_t)(page - c->d->pages), (void *)t.glyphs};
            c->emitted[i] = 1;
        }
    }
    return BL_OK;
}

/* Per-item bookkeeping beside the composer's bl_lb_item. */
typedef struct item_ref {
    uint32_t span;
    uint32_t glyph_first, glyph_count; /* in the glyph array of all spans
                                          (a paragraph is under 2^31 bytes) */
} item_ref;

bl_status lay_nomem(lay_ctx *c)
{
    return bl_error_set(c->err, BL_ERR_NOMEM, c->doc->file, 0, 0,
                        "out of memory laying out the pages");
}

/* Distinct missing characters warned about by name; the rest are counted. */
enum { MISSING_WARNINGS_MAX = 20 };

static size_t missing_hash(uint32_t cp, bl_role role)
{
    return (size_t)((cp * 2654435761u) ^ ((uint32_t)role * 40503u));
}

bl_status lay_note_missing(lay_ctx *c, uint32_t cp, bl_role role, int line, int col)
{
    if (c->cap_index) {
        size_t mask = c->cap_index - 1;
        for (size_t h = missing_hash(cp, role) & mask; c->missing_index[h]; h = (h + 1) & mask) {
            lay_missing *m = &c->missing[c->missing_index[h] - 1];
            if (m->cp == cp && m->role == role) {
                m->count++;
                return BL_OK;
            }
        }
    }
    lay_missing *m = bl_arena_reserve(c->arena, c->missing, &c->cap_missing, c->nmissing, 1,
                                      sizeof *m, 16);
    if (!m)
        return lay_nomem(c);
    c->missing = m;
    c->missing[c->nmissing++] = (lay_missing){cp, role, line, col, 1};
    if (c->nmissing * 2 > c->cap_index) { /* rebuild the index at half load */
        size_t cap = c->cap_index ? c->cap_index * 2 : 64;
        size_t *ix = bl_arena_calloc(c->arena, cap, sizeof *ix);
        if (!ix)
            return lay_nomem(c);
        for (size_t i = 0; i < c->nmissing; i++) {
            size_t h = missing_hash(c->missing[i].cp, c->missing[i].role) & (cap - 1);
            while (ix[h])
                h = (h + 1) & (cap - 1);
            ix[h] = i + 1;
        }
        c->missing_index = ix;
        c->cap_index = cap;
    } else {
        size_t mask = c->cap_index - 1, h = missing_hash(cp, role) & mask;
        while (c->missing_index[h])
            h = (h + 1) & mask;
        c->missing_index[h] = c->nmissing;
    }
    return BL_OK;
}

void lay_warn_missing(lay_ctx *c)
{
    size_t shown = c->nmissing < MISSING_WARNINGS_MAX ? c->nmissing : MISSING_WARNINGS_MAX;
    for (size_t i = 0; i < shown; i++) {
        const lay_missing *m = &c->missing[i];
        char ch[5] = "", times[48] = "";
        size_t n = bl_utf8_encode(m->cp, ch);
        ch[n] = '\0';
        if (m->count > 1)
            snprintf(times, sizeof times, " (%zu times, the first here)", m->count);
        bl_warn(c->env->warner, BL_ERR_FONT, c->doc->file, m->line, m->col,
                "character '%s' (U+%04X) is in no font of role %s; it prints as a blank box%s",
                ch, (unsigned)m->cp, bl_role_name(m->role), times);
    }
    if (c->nmissing > shown) {
        size_t uses = 0;
        for (size_t i = shown; i < c->nmissing; i++)
            uses += c->missing[i].count;
        bl_warn(c->env->warner, BL_ERR_FONT, c->doc->file, 0, 0,
                "%zu more characters are in no font (%zu uses); they print as blank boxes",
                c->nmissing - shown, uses);
    }
}

/* Where byte off of the paragraph text (the spans joined) is in the input:
 * {0, 0} for text made for the page. */
static bl_srcpos para_pos(const lay_span *spans, size_t nspans, const size_t *span_off,
                          size_t off)
{
    bl_srcpos none = {0, 0};
    size_t s = 0;
    while (s + 1 < nspans && span_off[s + 1] <= off)
        s++;
    const lay_span *sp = &spans[s];
    if (!sp->src)
        return none;
    size_t k = off - span_off[s];
    k = k > sp->src_lead ? k - sp->src_lead : 0;
    k += sp->src_off;
    return bl_text_pos(sp->src, k < sp->src->len ? k : sp->src->len);
}

static bl_status note_missing(lay_ctx *c, const lay_span *sp, const bl_glyph *g)
{
    bl_srcpos pos = {0, 0};
    if (sp->src)
        pos = bl_text_pos(sp->src, sp->src_off + g->cluster);
    return lay_note_missing(c, g->cp, sp->role, pos.line, pos.col);
}

/* The glyph of a hyphen in span sp's font and size. */
static bl_status shape_hyphen(lay_ctx *c, bl_arena *tmp, const lay_span *sp, bl_glyph *out)
{
    bl_glyph *g = NULL;
    size_t n = 0;
    bl_status st = bl_shape_text(c->env->shaper, c->chains[sp->role], sp->size, "-", 1, tmp,
                                 &g, &n, c->err);
    if (st != BL_OK)
        return st;
    if (n != 1 || (g[0].flags & BL_GLYPH_MISSING))
        return BL_ERR_FONT; /* no hyphen: the line is set without hyphenation */
    *out = g[0];
    return BL_OK;
}

/* Sets a paragraph; everything but the runs and the line tables is
 * scratch in tmp, so a long document does not keep each paragraph's shaping
 * and composition data to the end. */
static bl_status set_para(lay_ctx *c, bl_arena *tmp, const lay_span *spans, size_t nspans,
                          const lay_para_opts *o, lay_set *out)
{
    memset(out, 0, sizeof *out);
    size_t total = 0;
    for (size_t i = 0; i < nspans; i++)
        total += spans[i].len;
    char *text = bl_arena_alloc(tmp, total + 1);
    size_t *span_off = bl_arena_calloc(tmp, nspans + 1, sizeof *span_off);
    bl_glyph **sg = bl_arena_calloc(tmp, nspans + 1, sizeof *sg);
    size_t *sn = bl_arena_calloc(tmp, nspans + 1, sizeof *sn);
    if (!text || !span_off || !sg || !sn)
        return lay_nomem(c);
    size_t nglyphs = 0;
    for (size_t i = 0, off = 0; i < nspans; i++) {
        const lay_span *sp = &spans[i];
        memcpy(text + off, sp->text, sp->len);
        span_off[i] = off;
        off += sp->len;
        if (!sp->len)
            continue;
        bl_status st = bl_shape_text(c->env->shaper, c->chains[sp->role], sp->size, sp->text,
                                     sp->len, tmp, &sg[i], &sn[i], c->err);
        if (st != BL_OK)
            return st;
        nglyphs += sn[i];
        for (size_t g = 0; g < sn[i]; g++)
            if ((sg[i][g].flags & BL_GLYPH_MISSING) &&
                (st = note_missing(c, sp, &sg[i][g])) != BL_OK)
                return st;
    }
    span_off[nspans] = total;

    /* One composer item per cluster. */
    bl_lb_item *items = bl_arena_calloc(tmp, nglyphs + 1, sizeof *items);
    item_ref *refs = bl_arena_calloc(tmp, nglyphs + 1, sizeof *refs);
    const bl_glyph **glyphs = bl_arena_calloc(tmp, nglyphs + 1, sizeof *glyphs);
    if (!items || !refs || !glyphs)
        return lay_nomem(c);
    size_t nitems = 0, gi = 0;
    for (size_t s = 0; s < nspans; s++) {
        for (size_t g = 0; g < sn[s];) {
            size_t h = g;
            float w = 0;
            while (h < sn[s] && sg[s][h].cluster == sg[s][g].cluster) {
                w += sg[s][h].advance;
                glyphs[gi + (h - g)] = &sg[s][h];
                h++;
            }
            uint32_t start = sg[s][g].cluster;
            uint32_t end = h < sn[s] ? sg[s][h].cluster : (uint32_t)spans[s].len;
            bl_lb_item *it = &items[nitems];
            it->text_off = (uint32_t)(span_off[s] + start);
            it->text_len = end - start;
            it->width = w + o->tracking;
            it->em = spans[s].size;
            refs[nitems].span = (uint32_t)s;
            refs[nitems].glyph_first = (uint32_t)gi;
            refs[nitems].glyph_count = (uint32_t)(h - g);
            nitems++;
            gi += h - g;
            g = h;
        }
    }
    if (nitems && o->tracking)
        items[nitems - 1].width -= o->tracking; /* no letter-space after the last */

    /* Hyphenation for justified text with Latin words: the hyphen's
     * advance in em, from the first span's font. */
    float hyphen_em = 0;
    if (o->align == BL_ALIGN_JUSTIFY && !o->balance && nspans) {
        int letters = 0;
        for (size_t b = 0; b < total && !letters; b++)
            letters = (text[b] | 0x20) >= 'a' && (text[b] | 0x20) <= 'z';
        bl_glyph hg;
        if (letters && shape_hyphen(c, tmp, &spans[0], &hg) == BL_OK && spans[0].size > 0)
            hyphen_em = hg.advance / spans[0].size;
    }
    bl_lb_params p = {o->measure, o->first_indent, o->indent, o->align, o->balance, o->grid,
                      hyphen_em};
    bl_lb_result res;
    bl_status st = bl_lb_compose(text, total, items, nitems, &p, tmp, &res, c->err);
    if (st != BL_OK) {
        /* The composer names the text; add where it is in the input: the
         * unit that does not fit, else the paragraph. */
        if (c->err->line == 0 && nspans) {
            bl_srcpos pos = {0, 0};
            if (st == BL_ERR_LAYOUT && res.error_item < nitems)
                pos = para_pos(spans, nspans, span_off, items[res.error_item].text_off);
            if (pos.line == 0 && spans[0].src)
                pos = spans[0].src->pos;
            if (pos.line) {
                c->err->line = pos.line;
                c->err->col = pos.col;
                snprintf(c->err->file, sizeof c->err->file, "%s", c->doc->file);
            }
        }
        return st;
    }
    /* An emergency break inside a word or URL: say where, so the author can
     * add a break (a space, a ZWSP) or shorten it. */
    for (size_t e = 0; e < res.nemergency; e++) {
        const bl_lb_item *it = &items[res.emergency[e]];
        bl_srcpos pos = para_pos(spans, nspans, span_off, it->text_off);
        size_t from = res.emergency[e] >= 8 ? items[res.emergency[e] - 8].text_off : 0;
        while (from > 0 && ((unsigned char)text[from] & 0xC0) == 0x80)
            from++;
        size_t to = it->text_off + 24 < total ? it->text_off + 24 : total;
        while (to < total && ((unsigned char)text[to] & 0xC0) == 0x80)
            to++;
        bl_warn(c->env->warner, BL_ERR_LAYOUT, c->doc->file, pos.line, pos.col,
                "no break opportunity fits the line: '%.*s' broken inside a word "
                "(emergency break before '%.*s')",
                (int)(to - from), text + from, (int)it->text_len, text + it->text_off);
    }
    out->nlines = res.nlines;
    out->line_first_run = bl_arena_calloc(c->arena, res.nlines + 1, sizeof(size_t));
    out->line_width = bl_arena_calloc(c->arena, res.nlines + 1, sizeof(float));
    if (!out->line_first_run || !out->line_width)
        return lay_nomem(c);
    float base_x = c->left + o->left;
    uint32_t para = ++c->npara;
    /* Scratch for the line being cut into runs (reused across lines). */
    bl_dl_glyph *dg = bl_arena_calloc(tmp, nglyphs + 1, sizeof *dg);
    float *dy = bl_arena_calloc(tmp, nglyphs + 1, sizeof *dy);
    char *rt = bl_arena_alloc(tmp, total + 1);
    if (!dg || !dy || !rt)
        return lay_nomem(c);
    for (size_t l = 0; l < res.nlines; l++) {
        const bl_lb_line *ln = &res.lines[l];
        out->line_first_run[l] = c->nruns;
        out->line_width[l] = ln->width;
        /* A run is a stretch of glyphs of one span and one font. */
        size_t run_span = 0, gn = 0, tn = 0;
        int run_y = 0; /* some glyph of the run is off the baseline */
        const bl_font *run_font = NULL;
        float run_x = 0;
        for (size_t k = 0; k <= ln->count; k++) {
            const bl_lb_item *it = k < ln->count ? &items[ln->first + k] : NULL;
            const item_ref *r = k < ln->count ? &refs[ln->first + k] : NULL;
            if (it && ln->hidden[k])
                continue;
            float x = it ? base_x + ln->x[k] : 0;
            size_t nq = it ? r->glyph_count : 1;
            /* The cluster's room ends here; a hidden item before the next
             * drawn one is a space of the source set as a gap. */
            float room_end = it ? x + ln->trim_left[k] + ln->advance[k] : 0;
            uint32_t flags = 0;
            if (it) {
                float natural = it->width;
                if (ln->trim_left[k] > 0)
                    flags |= BL_DLG_TRIM_LEFT;
                if (natural - ln->trim_left[k] - ln->advance[k] > 0.001f * it->em &&
                    it->text_len && text[it->text_off] != ' ')
                    flags |= BL_DLG_TRIM_RIGHT;
                if (k + 1 < ln->count && ln->hidden[k + 1])
                    flags |= BL_DLG_SPACE_AFTER;
            }
            for (size_t q = 0; q < nq; q++) {
                const bl_glyph *g = it ? glyphs[r->glyph_first + q] : NULL;
                if (gn && (!g || r->span != run_span || g->font != run_font)) {
                    bl_dl_text *run = new_run(c);
                    if (!run || run_arrays(c, run, dg, run_y ? dy : NULL, gn, rt, tn) != BL_OK)
                        return lay_nomem(c);
                    const lay_span *sp = &spans[run_span];
                    run->font = run_font;
                    run->size = sp->size;
                    run->color = sp->color;
                    run->x = run_x;
                    run->role = bl_role_name(sp->role);
                    run->element = sp->element;
                    run->para = para;
                    gn = tn = 0;
                    run_y = 0;
                }
                if (!g)
                    break;
                if (gn == 0) {
                    run_span = r->span;
                    run_font = g->font;
                    run_x = x;
                }
                dg[gn].gid = g->gid;
                dg[gn].x = x - run_x + g->dx;
                dy[gn] = g->dy;
                run_y |= g->dy != 0;
                dg[gn].text_off = (uint32_t)tn;
                /* The last glyph of the cluster takes the rest of its room. */
                dg[gn].advance = q + 1 < nq ? g->advance : room_end - (x + g->dx);
                dg[gn].flags = (uint8_t)((q + 1 < nq ? 0 : flags) | (q > 0 ? BL_DLG_CONT : 0));
                if (q == 0) {
                    memcpy(rt + tn, text + it->text_off, it->text_len);
                    tn += it->text_len;
                }
                x += g->advance;
                gn++;
            }
        }
        if (ln->hyphen > 0 && ln->count) {
            /* The hyphen of a hyphenated word, a run of its own in the
             * span of the line's last item, at the line's end. */
            size_t last = ln->first + ln->count - 1;
            while (last > ln->first && ln->hidden[last - ln->first])
                last--;
            const lay_span *sp = &spans[refs[last].span];
            bl_glyph hg;
            if (shape_hyphen(c, tmp, sp, &hg) != BL_OK)
                continue; /* cannot happen: the composer was given its width */
            bl_dl_text *run = new_run(c);
            bl_dl_glyph rg = {0};
            rg.gid = (uint16_t)hg.gid;
            rg.advance = hg.advance;
            if (!run || run_arrays(c, run, &rg, NULL, 1, "-", 1) != BL_OK)
                return lay_nomem(c);
            run->font = hg.font;
            run->size = sp->size;
            run->color = sp->color;
            run->x = base_x + ln->left + ln->width - ln->hyphen;
            run->role = bl_role_name(sp->role);
            run->element = sp->element;
            run->para = para;
        }
    }
    out->line_first_run[res.nlines] = c->nruns;
    return BL_OK;
}

bl_status lay_set_para(lay_ctx *c, const lay_span *spans, size_t nspans,
                       const lay_para_opts *o, lay_set *out)
{
    bl_arena *tmp = bl_arena_new();
    if (!tmp)
        return lay_nomem(c);
    bl_status st = set_para(c, tmp, spans, nspans, o, out);
    bl_arena_free(tmp);
    return st;
}

bl_status lay_measure(lay_ctx *c, const lay_span *spans, size_t nspans, float tracking,
                      float *width)
{
    size_t mark = c->nruns;
    lay_para_opts o = {1e6f, 0, 0, 0, BL_ALIGN_LEFT, 0, 0, tracking};
    lay_set set;
    bl_status st = lay_set_para(c, spans, nspans, &o, &set);
    lay_drop_runs(c, mark);
    *width = st == BL_OK && set.nlines ? set.line_width[0] : 0;
    return st;
}
