/* linebreak.c - the Chinese paragraph composer: break opportunities (ICU's
 * line breaker under the Chinese tailoring of lb_table.c), punctuation
 * compression (GB/T 15834-2011 §5.1.10, CLREQ 3.1.2), the Han/Latin gap,
 * total-fit line breaking (after Knuth and Plass) and justification.
 *
 * The model of one line of items [a, e) (e excludes trailing spaces, which
 * are hidden at a break):
 *   natural width  = Σ widths − mandatory pair trims − end trim + Han/Latin gaps
 *   shrink         = optional punctuation blanks + ⅓ of each space + ½ of each gap
 *   slots          = boundaries where justification may add space
 * Each is a difference of prefix sums, so a candidate line costs O(1) and the
 * dynamic programme costs O(n · breakpoints per line). */
#include "linebreak.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include "../base/utf8.h"
#include "lb_table.h"

/* Tuning of the total-fit costs (units: badness as in Knuth–Plass). */
#define LINE_PENALTY 10.0     /* per line: favours fewer lines */
#define STRETCH_PER_SLOT 0.05 /* em of extra space per slot that gives badness 100 */
#define SHRINK_BADNESS 0.5    /* badness of using all the shrink a line has:
                                 cheap, so a character is squeezed in before a
                                 line is stretched (先挤进，后推出) */
#define UNJUSTIFIABLE 1e9     /* a non-last line with no slot to stretch: only when nothing else fits */
#define WIDOW_ONE 1e10       /* last line of one character (孤字) */
#define WIDOW_PUNCT 5e9      /* last line of one character and its punctuation */
#define BALANCE_NOT_SPACE 100.0 /* balanced titles: a break not at a space, in em² */
#define MAX_BALANCED_LINES 8
#define MAX_CANDIDATES 4096   /* breakpoints looked back from one break */
#define WORK_PER_BREAK 32     /* candidate lines measured per breakpoint on average
                                 before the look-back is narrowed (see look_back) */
#define WORK_BASE (1u << 20)  /* and that many in any case */
#define NARROW_WINDOW 16      /* candidates at each end of the look-back once
                                 the work budget is spent */
#define EPS 1e-3              /* pt: widths arrive as floats; a line that is full
                                 to within float rounding is full */

enum {
    IF_SPACE = 1,     /* a breaking space */
    IF_HAN = 2,       /* a CJK character without prohibitions: Han, kana, 　 */
    IF_CJK = 4,       /* set on the CJK grid (Han or a full-width Chinese mark) */
    IF_WESTERN = 8,   /* part of a Latin word, number or URL */
    IF_URL = 16,      /* in a run that is a URL */
    IF_TYPED = 32,    /* a typed space replaced by the Han/Latin gap */
    IF_FULL = 64,     /* advance about one em: its blank halves may be trimmed */
    IF_ALNUM = 128    /* a Western letter, digit or postfix: takes the Han gap */
};

typedef struct it_info {
    double w;          /* natural width (grid tracking included; 0 for a typed space) */
    double em;
    double lb, rb;     /* raw blank halves of a full-width mark */
    double optl, optr; /* blank left after the mandatory pair trims */
    double endl;       /* extra left trim when last on a line (centred marks) */
    uint32_t cp;       /* first code point */
    uint8_t cls, pos, flags;
} it_info;

typedef struct bd_info { /* boundary k: between items k-1 and k */
    double pta, ptb;     /* mandatory trims: right of k-1, left of k */
    double gap;          /* Han/Latin gap */
    uint8_t brk, adj;    /* a break is allowed; justification may add space */
} bd_info;

typedef struct comp {
    const char *text;
    size_t len;
    const bl_lb_item *items;
    size_t n;
    const bl_lb_params *p;
    it_info *it;
    bd_info *bd;
    /* item prefix sums over [0, k) */
    double *pw, *popt, *pss;
    size_t *pv, *pc; /* visible items, visible characters without prohibitions */
    /* boundary prefix sums over boundaries 1..k */
    double *qpt, *qg;
    size_t *qadj;
    size_t *vis_end; /* vis_end[p]: the line ending at break p shows items [.., vis_end[p]) */
    size_t *bp;      /* allowed breakpoints, bp[0] = 0 .. bp[nb-1] = n */
    size_t nb;
    double em;       /* the paragraph's em, for scaling costs */
    double indent0, indent1; /* the parameters' indents, made finite */
    double avail0, avail1; /* room on the first line, on the others */
    int has_space_breaks;
    size_t *measured; /* candidate lines measured: the composer's unit of work */
} comp;

/* One candidate line, measured. */
typedef struct line_m {
    size_t a, e, p;
    double w, shrink, need;
    size_t slots;
} line_m;

/* v when it is a finite number, else d. */
static double finite_or(double v, double d)
{
    return isfinite(v) ? v : d;
}

/* A length parameter made usable: NaN is 0, infinities are clamped to huge. */
static double sane_length(double v)
{
    return isnan(v) ? 0 : fmin(fmax(v, -1e30), 1e30);
}

static int is_western_cp(uint32_t cp)
{
    /* Latin, Greek, Cyrillic and the general punctuation, currency, letterlike
     * and number-form blocks: text that is set as words, not on the grid. */
    return (cp > 0x20 && cp < 0x0530 && cp != 0x7F && !(cp >= 0x80 && cp < 0xA0))
        || (cp >= 0x1E00 && cp <= 0x1FFF) || (cp >= 0x2010 && cp <= 0x218F);
}

static void classify(comp *c)
{
    const bl_lb_params *p = c->p;
    for (size_t i = 0; i < c->n; i++) {
        it_info *t = &c->it[i];
        const bl_lb_item *src = &c->items[i];
        uint32_t cp = 0xFFFD;
        if (src->text_len)
            bl_utf8_decode(c->text + src->text_off, src->text_len, &cp);
        lb_info li = lb_lookup(cp);
        t->cp = cp;
        t->cls = li.cls;
        t->pos = li.pos;
        /* Garbage in (NaN, infinite or negative sizes) is set as zero width
         * rather than poisoning the prefix sums of the whole paragraph. */
        t->em = finite_or(src->em, 1.0);
        if (t->em <= 0)
            t->em = 1.0;
        t->w = fmax(0.0, finite_or(src->width, 0.0));
        uint8_t f = 0;
        if (li.cls == LBC_SPACE)
            f |= IF_SPACE;
        else if (bl_is_cjk(cp) || (li.flags & LBF_CJK))
            f |= IF_CJK | (li.cls == LBC_NONE ? IF_HAN : 0);
        else if (is_western_cp(cp))
            f |= IF_WESTERN
               | ((li.cls == LBC_NONE || li.cls == LBC_POSTFIX) ? IF_ALNUM : 0);
        if (t->w >= 0.75 * t->em)
            f |= IF_FULL;
        t->flags = f;
        /* CLREQ 3.1.2: the blank half of a full-width mark, by its position. */
        if ((f & IF_FULL) && li.cls != LBC_NONE) {
            double h = 0.5 * t->em;
            if (li.pos == LBP_LEFT)
                t->rb = h;
            else if (li.pos == LBP_RIGHT)
                t->lb = h;
            else if (li.pos == LBP_CENTRE)
                t->lb = t->rb = 0.5 * h;
        }
        /* Grid: CJK items advance by the pitch (tracking = grid - em), so a
         * full line of Han holds measure/grid characters (GB/T 9704 5.2.3).
         * A pitch far from the item's em is another size: left alone. */
        if (p->grid > 0 && isfinite(p->grid) && (f & IF_CJK) && (f & IF_FULL)
            && fabs(p->grid - t->em) <= 0.5 * t->em)
            t->w += p->grid - t->em;
    }
}

/* Finds needle in hay[0..n). */
static int contains(const char *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(hay + i, needle, m) == 0)
            return 1;
    return 0;
}

/* Marks runs of Western items that are URLs (a break is allowed after '/'). */
static void mark_urls(comp *c)
{
    for (size_t s = 0; s < c->n;) {
        if (!(c->it[s].flags & IF_WESTERN)) {
            s++;
            continue;
        }
        size_t t = s;
        while (t < c->n && (c->it[t].flags & IF_WESTERN))
            t++;
        const char *run = c->text + c->items[s].text_off;
        size_t rlen = c->items[t - 1].text_off + c->items[t - 1].text_len - c->items[s].text_off;
        if (contains(run, rlen, "://") || (rlen > 4 && memcmp(run, "www.", 4) == 0))
            for (size_t i = s; i < t; i++)
                c->it[i].flags |= IF_URL;
        s = t;
    }
}

/* Typed spaces between Han and a Western letter/digit become the ¼ 字 gap
 * (CLREQ 3.2.1; layout spec: `2023 年` sets as 2023¼年). */
static void mark_typed_spaces(comp *c)
{
    for (size_t i = 1; i + 1 < c->n; i++) {
        it_info *t = &c->it[i];
        if (t->cp != 0x20 || c->items[i].text_len != 1)
            continue;
        uint8_t l = c->it[i - 1].flags, r = c->it[i + 1].flags;
        if (((l & IF_HAN) && (r & IF_ALNUM)) || ((l & IF_ALNUM) && (r & IF_HAN))) {
            t->flags |= IF_TYPED;
            t->w = 0;
        }
    }
}

static int is_no_start(const it_info *t)
{
    return t->cls == LBC_CLOSE || t->cls == LBC_STOP || t->cls == LBC_MIDDLE
        || t->cls == LBC_POSTFIX;
}

/* The tailoring: 1 allowed, 0 forbidden, -1 undecided (ICU decides). */
static int break_rule(const comp *c, size_t k)
{
    const it_info *A = &c->it[k - 1], *B = &c->it[k];
    if (B->cls == LBC_SPACE)
        return 0; /* UAX #14 LB7: spaces stay at the end of the line */
    if (A->cls == LBC_OPEN)
        return 0; /* GB/T 15834 5.1: the first half of a pair never ends a line */
    if (is_no_start(B))
        return 0; /* GB/T 15834 5.1, CLREQ 3.1.7: marks that never start a line */
    if ((A->cls == LBC_DASH && B->cls == LBC_DASH)
        || (A->cls == LBC_ELLIPSIS && B->cls == LBC_ELLIPSIS))
        return 0; /* GB/T 15834 5.1: —— and …… take 2 字 and never split */
    if (B->cls == LBC_DASH && !(k + 1 < c->n && c->it[k + 1].cls == LBC_DASH))
        return 0; /* a single dash is a 连接号 (2—3, 9704—2012): not at line start */
    if (A->cls == LBC_SPACE)
        return 1; /* UAX #14 LB18: break after spaces */
    if ((A->flags & IF_WESTERN) && (B->flags & IF_WESTERN)) {
        /* Latin words and numbers (87.6% 1,280) never split; a URL may
         * break after a slash. */
        return (A->flags & IF_URL) && A->cp == '/' && B->cp != '/';
    }
    if ((A->flags | B->flags) & IF_CJK)
        return 1; /* UAX #14 LB31 for ideographs: between any two, and Han/Latin */
    return -1;
}

static bl_status find_breaks(comp *c, bl_error *err)
{
    UBreakIterator *bi = NULL;
    UText *ut = NULL;
    int icu_failed = 0;
    for (size_t k = 1; k < c->n; k++) {
        int r = break_rule(c, k);
        if (r < 0) {
            /* Other scripts: ICU's line breaker, opened on first need. */
            if (!bi && !icu_failed) {
                UErrorCode st = U_ZERO_ERROR;
                ut = utext_openUTF8(NULL, c->text, (int64_t)c->len, &st);
                bi = ubrk_open(UBRK_LINE, "zh", NULL, 0, &st);
                if (U_SUCCESS(st))
                    ubrk_setUText(bi, ut, &st);
                if (U_FAILURE(st)) {
                    icu_failed = 1;
                    if (st == U_MEMORY_ALLOCATION_ERROR) {
                        ubrk_close(bi);
                        utext_close(ut);
                        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0,
                                            "out of memory opening the line breaker");
                    }
                }
            }
            /* Without ICU data, allow the break rather than fail the paragraph. */
            r = icu_failed ? 1 : ubrk_isBoundary(bi, (int32_t)c->items[k].text_off) != 0;
        }
        c->bd[k].brk = (uint8_t)r;
    }
    if (bi)
        ubrk_close(bi);
    if (ut)
        utext_close(ut);
    return BL_OK;
}

/* Mandatory trims, gaps and justification slots at every boundary. */
static void measure_boundaries(comp *c)
{
    for (size_t k = 1; k < c->n; k++) {
        const it_info *A = &c->it[k - 1], *B = &c->it[k];
        bd_info *b = &c->bd[k];
        /* GB/T 15834 5.1.10 / CLREQ 3.1.6: two adjacent full-width marks that
         * total 2 字 take 1.5 字: take the blank from the first mark's right,
         * then from the second's left (。” ）。 ，“ 》《). */
        double blank = A->rb + B->lb;
        if (blank > 0 && A->lb + A->rb > 0 && B->lb + B->rb > 0) {
            double t = fmin(0.5 * fmin(A->em, B->em), blank);
            b->pta = fmin(A->rb, t);
            b->ptb = t - b->pta;
        }
        /* CLREQ 3.2.1: ¼ 字 between Han and Western letters or digits, also
         * in place of a typed space there; none beside Chinese punctuation. */
        if (A->flags & IF_TYPED)
            b->gap = 0.25 * ((B->flags & IF_HAN) ? B->em : c->it[k - 2].em);
        else if ((A->flags & IF_HAN) && (B->flags & IF_ALNUM))
            b->gap = 0.25 * A->em;
        else if ((A->flags & IF_ALNUM) && (B->flags & IF_HAN))
            b->gap = 0.25 * B->em;
        /* CLREQ 3.8: justification spreads space between characters, never
         * inside a Latin word or number, —— or ……; between Latin words the
         * space (the boundary after it) is the glue. */
        b->adj = !(B->cls == LBC_SPACE)
              && !((A->flags & IF_WESTERN) && (B->flags & IF_WESTERN))
              && !(A->cls == LBC_DASH && B->cls == LBC_DASH)
              && !(A->cls == LBC_ELLIPSIS && B->cls == LBC_ELLIPSIS)
              /* nor around the 连接号 of a range such as 2—3 or 9704—2012 */
              && !((A->flags & IF_WESTERN) && B->cls == LBC_DASH)
              && !(A->cls == LBC_DASH && (B->flags & IF_WESTERN));
    }
    for (size_t i = 0; i < c->n; i++) {
        it_info *t = &c->it[i];
        t->optl = t->lb - (i > 0 ? c->bd[i].ptb : 0);
        t->optr = t->rb - (i + 1 < c->n ? c->bd[i + 1].pta : 0);
        t->endl = t->pos == LBP_CENTRE ? t->optl : 0;
    }
}

static void prefix_sums(comp *c)
{
    c->pw[0] = c->popt[0] = c->pss[0] = 0;
    c->pv[0] = c->pc[0] = 0;
    for (size_t i = 0; i < c->n; i++) {
        const it_info *t = &c->it[i];
        int space = (t->flags & (IF_SPACE | IF_TYPED)) != 0;
        c->pw[i + 1] = c->pw[i] + t->w;
        c->popt[i + 1] = c->popt[i] + t->optl + t->optr;
        c->pss[i + 1] = c->pss[i] + (space && !(t->flags & IF_TYPED) ? t->w / 3 : 0);
        c->pv[i + 1] = c->pv[i] + !space;
        c->pc[i + 1] = c->pc[i] + (!space && t->cls == LBC_NONE);
    }
    c->qpt[0] = c->qg[0] = 0;
    c->qadj[0] = 0;
    for (size_t k = 1; k <= c->n; k++) {
        const bd_info *b = &c->bd[k < c->n ? k : 0]; /* bd[0] is all zero */
        c->qpt[k] = c->qpt[k - 1] + b->pta + b->ptb;
        c->qg[k] = c->qg[k - 1] + b->gap;
        c->qadj[k] = c->qadj[k - 1] + b->adj;
    }
    c->vis_end[0] = 0;
    for (size_t p = 1; p <= c->n; p++)
        c->vis_end[p] = (c->it[p - 1].flags & (IF_SPACE | IF_TYPED)) ? c->vis_end[p - 1] : p;
}

/* Measures the line of items [a, p). Returns 0 when it shows nothing. */
static int measure_line(const comp *c, size_t a, size_t p, line_m *m)
{
    (*c->measured)++;
    size_t e = c->vis_end[p];
    m->a = a;
    m->p = p;
    m->e = e;
    if (e <= a) {
        m->w = m->shrink = 0;
        m->slots = 0;
        m->need = 0;
        return 0;
    }
    const it_info *last = &c->it[e - 1];
    m->w = c->pw[e] - c->pw[a] - (c->qpt[e - 1] - c->qpt[a]) + (c->qg[e - 1] - c->qg[a])
         - (last->rb + last->endl);
    m->shrink = c->popt[e - 1] - c->popt[a] + c->pss[e] - c->pss[a]
              + 0.5 * (c->qg[e - 1] - c->qg[a]);
    m->slots = c->qadj[e - 1] - c->qadj[a];
    m->need = m->w - (a == 0 ? c->avail0 : c->avail1);
    return 1;
}

/* Demerits of a last line that is one character (孤字) or one character with
 * its punctuation: the composer avoids them whenever the lines above can give
 * or take a character. */
static double widow_penalty(const comp *c, const line_m *m)
{
    if (m->a == 0 || m->p != c->n)
        return 0;
    size_t nv = c->pv[m->e] - c->pv[m->a], nc = c->pc[m->e] - c->pc[m->a];
    if (nc > 1)
        return 0;
    return nv <= 1 ? WIDOW_ONE : WIDOW_PUNCT;
}

/* Badness of a line (0 = set at its natural width). */
static double badness(const comp *c, const line_m *m)
{
    int last = m->p == c->n;
    if (m->need > EPS)
        return SHRINK_BADNESS * (m->need / m->shrink) * (m->need / m->shrink);
    double excess = -m->need;
    if (last || excess <= EPS)
        return 0;
    if (c->p->align != BL_ALIGN_JUSTIFY)
        return (excess / c->em) * (excess / c->em); /* ragged: prefer full lines */
    if (m->slots == 0)
        return UNJUSTIFIABLE + (excess / c->em) * (excess / c->em);
    double r = excess / ((double)m->slots * STRETCH_PER_SLOT * c->em);
    return 100.0 * r * r * r;
}

/* A visitor of candidate line starts: considers the line from breakpoint i
 * to breakpoint j; returns 1 when the line is too wide, so that every earlier
 * start is too (widths never shrink as a line starts earlier). */
typedef int (*visit_fn)(const comp *c, size_t i, size_t j, void *ctx);

/* The earliest breakpoint index whose line to bp[j] fits the widest line
 * even fully compressed (bisection on that monotone width). */
static size_t earliest_start(const comp *c, size_t j)
{
    double maxavail = fmax(c->avail0, c->avail1);
    size_t lo = 0, hi = j - 1; /* the answer is in [lo, hi] */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        line_m m;
        measure_line(c, c->bp[mid], c->bp[j], &m);
        if (m.w - m.shrink > maxavail + EPS)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Offers visit() the candidate starts of a line ending at breakpoint j,
 * nearest first, and adds the number offered to *spent. Ordinary text has a
 * few dozen candidates per break; degenerate input (long runs of zero-width
 * items, a measure thousands of characters wide) could have thousands for
 * every break. While *spent is under budget every candidate is offered (up to
 * MAX_CANDIDATES); after that only the NARROW_WINDOW nearest starts and the
 * NARROW_WINDOW earliest that still fit, so the lines stay sensible (full
 * lines remain possible) and the running time stays linear. */
static void look_back(const comp *c, size_t j, size_t *spent, size_t budget, visit_fn visit,
                      void *ctx)
{
    size_t cap = *spent < budget ? MAX_CANDIDATES : NARROW_WINDOW;
    size_t i = j, seen = 0;
    while (i > 0 && seen < cap) {
        seen++;
        if (visit(c, --i, j, ctx)) {
            *spent += seen;
            return;
        }
    }
    if (i > 0 && cap == NARROW_WINDOW) {
        size_t lo = earliest_start(c, j);
        size_t hi = lo + NARROW_WINDOW < i ? lo + NARROW_WINDOW : i;
        for (size_t k = hi; k-- > lo;) {
            seen++;
            if (visit(c, k, j, ctx))
                break;
        }
    }
    *spent += seen;
}

typedef struct dp_ctx {
    int mode; /* 0: demerits, 1: line count */
    double *best;
    size_t *from;
} dp_ctx;

static int dp_visit(const comp *c, size_t i, size_t j, void *vctx)
{
    dp_ctx *x = vctx;
    size_t a = c->bp[i], p = c->bp[j];
    line_m m;
    if (!measure_line(c, a, p, &m) && !(a == 0 && p == c->n))
        return 0; /* a line of nothing but spaces */
    if (m.w - m.shrink > fmax(c->avail0, c->avail1) + EPS)
        return 1;
    if (m.need - m.shrink > EPS || x->best[i] == INFINITY)
        return 0;
    double d;
    if (x->mode == 1) {
        d = 1;
    } else {
        double b = badness(c, &m);
        d = (LINE_PENALTY + b) * (LINE_PENALTY + b) + widow_penalty(c, &m);
    }
    if (x->best[i] + d < x->best[j]) {
        x->best[j] = x->best[i] + d;
        x->from[j] = i;
    }
    return 0;
}

/* Total-fit over the breakpoints; mode 0 minimises demerits, mode 1 counts
 * lines. Fills from[] (index into bp of the previous break) and returns
 * 0 when the end is reachable, else the index of the first unreachable break. */
static size_t run_dp(const comp *c, int mode, double *best, size_t *from)
{
    dp_ctx x = {mode, best, from};
    best[0] = 0;
    size_t first_bad = 0;
    size_t spent = 0, budget = WORK_PER_BREAK * c->nb + WORK_BASE;
    for (size_t j = 1; j < c->nb; j++) {
        best[j] = INFINITY;
        from[j] = 0;
        look_back(c, j, &spent, budget, dp_visit, &x);
        if (best[j] == INFINITY && !first_bad)
            first_bad = j;
    }
    return best[c->nb - 1] == INFINITY ? (first_bad ? first_bad : c->nb - 1) : 0;
}

typedef struct bal_ctx {
    size_t q;     /* the line being placed, 1-based */
    double *cost; /* cost[q * nb + j]: best cost of q lines ending at break j */
    size_t *from;
} bal_ctx;

static int bal_visit(const comp *c, size_t i, size_t j, void *vctx)
{
    bal_ctx *x = vctx;
    size_t nb = c->nb, a = c->bp[i], p = c->bp[j];
    line_m m;
    if (!measure_line(c, a, p, &m))
        return 0;
    if (m.w - m.shrink > fmax(c->avail0, c->avail1) + EPS)
        return 1;
    double prev = x->cost[(x->q - 1) * nb + i];
    if (m.need - m.shrink > EPS || prev == INFINITY)
        return 0;
    double slack = -m.need / c->em;
    double d = slack * slack + widow_penalty(c, &m);
    if (m.need > EPS)
        d += SHRINK_BADNESS * (m.need / m.shrink);
    /* A space between two Western words (GB/T 9704) is no sense unit:
     * breaking there is worse than anywhere else. */
    int at_space = (c->it[p - 1].flags & IF_SPACE) != 0;
    int in_latin = at_space && p >= 2 && p < c->n && (c->it[p - 2].flags & IF_WESTERN)
                && (c->it[p].flags & IF_WESTERN);
    if (p < c->n && c->has_space_breaks && (!at_space || in_latin))
        d += in_latin ? 2 * BALANCE_NOT_SPACE : BALANCE_NOT_SPACE;
    if (prev + d < x->cost[x->q * nb + j]) {
        x->cost[x->q * nb + j] = prev + d;
        x->from[x->q * nb + j] = i;
    }
    return 0;
}

/* Balanced lines for titles: exactly `lines` lines, minimising the sum of
 * squared slack (so the lengths are as equal as they can be), with a strong
 * preference for breaking at spaces (the title's sense units) and never a
 * last line of one character. Returns 0 when no such set exists. */
static int run_balanced(const comp *c, size_t lines, double *cost, size_t *from)
{
    size_t nb = c->nb;
    for (size_t q = 0; q <= lines; q++)
        for (size_t j = 0; j < nb; j++)
            cost[q * nb + j] = INFINITY;
    cost[0] = 0;
    size_t spent = 0, budget = WORK_PER_BREAK * nb * lines + WORK_BASE;
    for (size_t q = 1; q <= lines; q++) {
        bal_ctx x = {q, cost, from};
        for (size_t j = 1; j < nb; j++) {
            size_t p = c->bp[j];
            if ((q < lines) == (p == c->n))
                continue; /* only the last line ends the paragraph */
            look_back(c, j, &spent, budget, bal_visit, &x);
        }
    }
    return cost[lines * nb + nb - 1] != INFINITY;
}

/* Sets the items of one line: compression, gaps, stretch and alignment. */
static void set_line(const comp *c, const line_m *m, int last, bl_lb_line *ln, float *x,
                     unsigned char *hidden, float *adv, float *trim)
{
    const bl_lb_params *p = c->p;
    double avail = m->a == 0 ? c->avail0 : c->avail1;
    double indent = m->a == 0 ? c->indent0 : c->indent1;
    size_t a = m->a, e = m->e;
    /* 先挤进: punctuation first, then the glue (spaces, gaps), evenly. */
    double fp = 0, fg = 0, per_slot = 0;
    if (m->need > EPS) {
        double popt = c->popt[e - 1] - c->popt[a];
        double glue = m->shrink - popt;
        if (m->need <= popt + EPS) {
            fp = popt > 0 ? fmin(1.0, m->need / popt) : 0;
        } else {
            fp = 1;
            fg = glue > 0 ? fmin(1.0, (m->need - popt) / glue) : 0;
        }
    } else if (!last && p->align == BL_ALIGN_JUSTIFY && m->slots > 0 && m->need < -EPS) {
        per_slot = -m->need / (double)m->slots;
    }
    double pen = 0;
    for (size_t k = a; k < m->p; k++) {
        const it_info *t = &c->it[k];
        size_t o = k - a;
        if (k >= e || (t->flags & IF_TYPED) || e <= a) {
            hidden[o] = 1;
            x[o] = (float)pen; /* shifted by the line's left below */
            adv[o] = trim[o] = 0;
            continue;
        }
        if (k > a) {
            const bd_info *b = &c->bd[k];
            pen += b->gap * (1 - 0.5 * fg);
            if (b->adj)
                pen += per_slot;
        }
        double lt, rt, sw;
        if (k == e - 1) {
            /* GB/T 15834 5.1.10: a mark at the line end takes ½ 字; no
             * hanging punctuation (CLREQ 3.1.7). */
            lt = (k > a ? c->bd[k].ptb : 0) + t->endl;
            rt = t->rb;
        } else {
            lt = (k > a ? c->bd[k].ptb : 0) + fp * t->optl;
            rt = c->bd[k + 1].pta + fp * t->optr;
        }
        sw = t->w - lt - rt;
        if ((t->flags & IF_SPACE))
            sw -= fg * t->w / 3;
        x[o] = (float)(pen - lt); /* the glyph moves left by its trimmed left half */
        adv[o] = (float)sw;
        trim[o] = (float)lt;
        pen += sw;
    }
    double width = pen;
    double left = indent;
    if (p->align == BL_ALIGN_CENTER)
        left += (avail - width) / 2;
    else if (p->align == BL_ALIGN_RIGHT)
        left += avail - width;
    if (!last && p->align == BL_ALIGN_JUSTIFY && per_slot > 0)
        width = avail; /* exact, whatever rounding the sum carried */
    for (size_t o = 0; o < m->p - a; o++)
        x[o] = (float)(x[o] + left);
    ln->first = a;
    ln->count = m->p - a;
    ln->left = (float)left;
    ln->width = (float)width;
    ln->x = x;
    ln->hidden = hidden;
    ln->advance = adv;
    ln->trim_left = trim;
}

/* Writes the error for the unbreakable unit ending at breakpoint j. */
static bl_status unit_error(const comp *c, size_t j, bl_error *err)
{
    size_t a = c->bp[j - 1], p = c->bp[j];
    line_m m;
    measure_line(c, a, p, &m);
    size_t off = c->items[a].text_off;
    size_t end = c->items[p - 1].text_off + c->items[p - 1].text_len;
    size_t n = end - off;
    const char *more = "";
    if (n > 300) {
        n = 300;
        while (n > 0 && ((unsigned char)c->text[off + n] & 0xC0) == 0x80)
            n--; /* never cut a UTF-8 sequence */
        more = "...";
    }
    double avail = a == 0 ? c->avail0 : c->avail1;
    /* Tenths by hand: the message is the same in every locale (the program
     * calls setlocale, and printf's %f would write a decimal comma). */
    long w10 = lround((m.w - m.shrink) * 10), a10 = lround(avail * 10);
    return bl_error_set(err, BL_ERR_LAYOUT, NULL, 0, 0,
                        "'%.*s%s' cannot be broken and is wider than the measure "
                        "(%ld.%ld pt > %ld.%ld pt)",
                        (int)n, c->text + off, more, w10 / 10, labs(w10 % 10), a10 / 10,
                        labs(a10 % 10));
}

bl_status bl_lb_compose(const char *text, size_t len, const bl_lb_item *items, size_t n,
                        const bl_lb_params *params, bl_arena *arena, bl_lb_result *out,
                        bl_error *err)
{
    out->lines = NULL;
    out->nlines = 0;
    out->measured = 0;
    if (n == 0)
        return BL_OK;
    if (!text || !items || !params || len > INT32_MAX)
        return bl_error_set(err, BL_ERR_USAGE, NULL, 0, 0, "bad arguments to the composer");
    for (size_t i = 0; i < n; i++)
        if ((size_t)items[i].text_off + items[i].text_len > len)
            return bl_error_set(err, BL_ERR_USAGE, NULL, 0, 0,
                                "composer item %zu lies outside the paragraph text", i);

    bl_status st = BL_OK;
    comp c;
    memset(&c, 0, sizeof c);
    c.text = text;
    c.len = len;
    c.items = items;
    c.n = n;
    c.p = params;
    c.measured = &out->measured;
    /* A NaN measure or indent counts as 0 (every unit is then too wide:
     * an error, not a hang); an infinite one as merely huge. */
    double measure = sane_length(params->measure);
    c.indent0 = sane_length(params->first_indent);
    c.indent1 = sane_length(params->indent);
    /* In float, like every position the composer returns. */
    c.avail0 = (float)(measure - c.indent0);
    c.avail1 = (float)(measure - c.indent1);
    double *best = NULL, *bal = NULL;
    size_t *from = NULL, *bfrom = NULL;
    c.it = calloc(n, sizeof *c.it);
    c.bd = calloc(n + 1, sizeof *c.bd);
    double *dbl = calloc(5 * (n + 1), sizeof *dbl);
    size_t *sz = calloc(5 * (n + 1), sizeof *sz);
    if (!c.it || !c.bd || !dbl || !sz) {
        st = bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory composing a paragraph");
        goto cleanup;
    }
    c.pw = dbl;
    c.popt = dbl + (n + 1);
    c.pss = dbl + 2 * (n + 1);
    c.qpt = dbl + 3 * (n + 1);
    c.qg = dbl + 4 * (n + 1);
    c.pv = sz;
    c.pc = sz + (n + 1);
    c.qadj = sz + 2 * (n + 1);
    c.vis_end = sz + 3 * (n + 1);
    c.bp = sz + 4 * (n + 1);

    classify(&c);
    mark_urls(&c);
    mark_typed_spaces(&c);
    for (size_t i = 0; i < n; i++)
        if (c.it[i].em > c.em)
            c.em = c.it[i].em;
    st = find_breaks(&c, err);
    if (st != BL_OK)
        goto cleanup;
    measure_boundaries(&c);
    prefix_sums(&c);

    c.bp[c.nb++] = 0;
    for (size_t k = 1; k < n; k++)
        if (c.bd[k].brk) {
            c.bp[c.nb++] = k;
            if (c.it[k - 1].flags & IF_SPACE)
                c.has_space_breaks = 1;
        }
    c.bp[c.nb++] = n;

    best = malloc(c.nb * sizeof *best);
    from = malloc(c.nb * sizeof *from);
    if (!best || !from) {
        st = bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory composing a paragraph");
        goto cleanup;
    }
    int balanced = 0;
    size_t nlines = 0;
    line_m whole;
    measure_line(&c, 0, n, &whole);
    if (whole.need <= EPS) {
        /* The paragraph fits on one line at its natural width: one line is
         * the optimum in every mode (fewest lines, and a last line has no
         * badness), found without the search; this is how the layout
         * measures text (measure 1e6). */
        from[c.nb - 1] = 0;
        nlines = 1;
        balanced = 1; /* the chain is set: skip the search below */
    } else {
        size_t bad = run_dp(&c, params->balance && params->align != BL_ALIGN_JUSTIFY, best, from);
        if (bad) {
            st = unit_error(&c, bad, err);
            goto cleanup;
        }
    }
    if (!balanced && params->balance && params->align != BL_ALIGN_JUSTIFY) {
        size_t want = (size_t)best[c.nb - 1];
        if (want >= 2 && want <= MAX_BALANCED_LINES) {
            bal = malloc((want + 1) * c.nb * sizeof *bal);
            bfrom = calloc((want + 1) * c.nb, sizeof *bfrom);
            if (!bal || !bfrom) {
                st = bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0,
                                  "out of memory composing a paragraph");
                goto cleanup;
            }
            if (run_balanced(&c, want, bal, bfrom)) {
                balanced = 1;
                nlines = want;
                /* Copy the chosen chain into from[], which the setting loop walks. */
                size_t j = c.nb - 1;
                for (size_t q = want; q > 0; q--) {
                    size_t i = bfrom[q * c.nb + j];
                    from[j] = i;
                    j = i;
                }
            }
        }
        if (!balanced)
            run_dp(&c, 0, best, from);
    }
    if (!balanced)
        for (size_t j = c.nb - 1; j > 0; j = from[j])
            nlines++;

    bl_lb_line *lines = bl_arena_calloc(arena, nlines, sizeof *lines);
    float *xs = bl_arena_calloc(arena, n, sizeof *xs);
    unsigned char *hid = bl_arena_calloc(arena, n, 1);
    float *advs = bl_arena_calloc(arena, n, sizeof *advs);
    float *trims = bl_arena_calloc(arena, n, sizeof *trims);
    if (!lines || !xs || !hid || !advs || !trims) {
        st = bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory composing a paragraph");
        goto cleanup;
    }
    size_t l = nlines, j = c.nb - 1;
    while (l > 0) {
        size_t i = from[j];
        line_m m;
        measure_line(&c, c.bp[i], c.bp[j], &m);
        l--;
        set_line(&c, &m, l == nlines - 1, &lines[l], xs + m.a, hid + m.a, advs + m.a,
                 trims + m.a);
        j = i;
    }
    out->lines = lines;
    out->nlines = nlines;

cleanup:
    free(c.it);
    free(c.bd);
    free(dbl);
    free(sz);
    free(best);
    free(from);
    free(bal);
    free(bfrom);
    return st;
}
