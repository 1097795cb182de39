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

#include <hyphen.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
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
#define BALANCE_NOT_WORD 400.0  /* ... not at a word boundary (ICU's dictionary) */
#define BALANCE_IN_QUOTES 400.0 /* ... inside 《》 or “” */
#define BALANCE_WIDER 30.0      /* ... a line wider than the one above (not a trapezoid);
                                   less than a break off the typed spaces */
#define BALANCE_SHORT 200.0     /* ... a line under 3/5 of the one above */
#define BALANCE_EXTRA_LINE 150.0 /* one line more than the fewest */
#define MAX_BALANCED_LINES 8
#define MAX_CANDIDATES 4096   /* breakpoints looked back from one break */
#define WORK_PER_BREAK 32     /* candidate lines measured per breakpoint on average
                                 before the look-back is narrowed (see look_back) */
#define WORK_BASE (1u << 20)  /* and that many in any case */
#define NARROW_WINDOW 16      /* candidates at each end of the look-back once
                                 the work budget is spent */
#define URL_BREAK 50.0        /* demerits of a break inside a URL */
#define HYPHEN_BREAK 2500.0   /* demerits of a hyphen (TeX's \\hyphenpenalty 50, squared) */
#define HYPHEN_MIN_WORD 6     /* letters a word needs to be hyphenated */
#define HYPHEN_DICT "/usr/share/hyphen/hyph_en_US.dic" /* Debian hyphen-en-us */
#define EMERGENCY 1e8         /* demerits of an emergency break: only when the
                                 unit has no other break and is too wide */
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
    IF_ALNUM = 128,   /* a Western letter, digit or postfix: takes the Han gap */
    IF_MARK = 256,    /* a combining mark of its own cluster: never starts a line */
    IF_HIDDEN = 512,  /* a format character (ZWSP, WJ, ZWNBSP, ZWJ...): no width,
                         not drawn */
    IF_SCHEME = 1024  /* the scheme of a URL and its "://" (never broken) */
};

typedef struct it_info {
    double w;          /* natural width (grid tracking included; 0 for a typed space) */
    /* Floats: halves and quarters of an em are exact in them, and a
     * paragraph of millions of items keeps its memory within bounds. */
    float em;
    float lb, rb;     /* raw blank halves of a full-width mark */
    float optl, optr; /* blank left after the mandatory pair trims */
    float endl;       /* extra left trim when last on a line (centred marks) */
    uint32_t cp;       /* first code point */
    uint8_t cls, pos;
    uint16_t flags;
} it_info;

typedef struct bd_info { /* boundary k: between items k-1 and k */
    float pta, ptb;      /* mandatory trims: right of k-1, left of k */
    float gap;           /* Han/Latin gap */
    uint8_t brk, adj;    /* a break is allowed (BRK_*); justification may add space */
    uint8_t word, inq;   /* titles: a word boundary (ICU); inside 《》 or “” */
} bd_info;

enum { BRK_NONE = 0, BRK_OK = 1, BRK_URL = 2, BRK_HYPHEN = 3, BRK_EMERGENCY = 4 };

/* What a candidate line start at a breakpoint reads, copied together so the
 * composer's inner loop reads one record, not eight arrays. */
typedef struct bp_info {
    double pw, qpt, qg, popt, pss; /* the prefix sums at the start a */
    float optl;                    /* it[a].optl */
    uint32_t qadj, a;
    uint16_t flags;                /* it[a].flags */
} bp_info;

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
    /* Indexes as uint32_t: n < 2^31 (the text's length is bounded). */
    uint32_t *pv, *pc; /* visible items, visible characters without prohibitions */
    /* boundary prefix sums over boundaries 1..k */
    double *qpt, *qg;
    uint32_t *qadj;
    uint32_t *vis_end; /* vis_end[p]: the line ending at break p shows items [.., vis_end[p]) */
    uint32_t *bp;    /* allowed breakpoints, bp[0] = 0 .. bp[nb-1] = n */
    size_t nb;
    bp_info *bpi;    /* per breakpoint: what a line starting there reads */
    int has_url;     /* some item is in a URL (a URL line has no stretch cost) */
    double em;       /* the paragraph's em, for scaling costs */
    double hyphen;   /* the hyphen's advance in em (0: no hyphenation) */
    double indent0, indent1; /* the parameters' indents, made finite */
    double avail0, avail1; /* room on the first line, on the others */
    double maxavail;       /* the larger of the two */
    int has_space_breaks;
    size_t *measured; /* candidate lines measured: the composer's unit of work */
} comp;

/* One candidate line, measured. */
typedef struct line_m {
    size_t a, e, p;
    double w, shrink, need;
    double hyph; /* the width of the hyphen added at its end, or 0 */
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

/* Format characters: their meaning is in the line-break class; they take
 * no room and are not drawn (the shaper gives them no advance either). */
static int is_format_cp(uint32_t cp)
{
    return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2060 && cp <= 0x2064) || cp == 0xFEFF
        || cp == 0x034F || cp == 0x180E || (cp >= 0x202A && cp <= 0x202E)
        || (cp >= 0x2066 && cp <= 0x2069);
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
        uint16_t f = 0;
        if (is_format_cp(cp)) {
            f |= IF_HIDDEN;
            t->w = 0;
        }
        if (u_getIntPropertyValue((UChar32)cp, UCHAR_LINE_BREAK) == U_LB_COMBINING_MARK)
            f |= IF_MARK; /* UAX #14 LB9: a mark stays with its base */
        if (li.cls == LBC_SPACE)
            f |= IF_SPACE;
        else if (bl_is_cjk(cp) || (li.flags & LBF_CJK))
            f |= IF_CJK | (li.cls == LBC_NONE ? IF_HAN : 0);
        else if (is_western_cp(cp))
            f |= IF_WESTERN
               | ((li.cls == LBC_NONE || li.cls == LBC_POSTFIX) ? IF_ALNUM : 0);
        if (t->w >= 0.75 * t->em)
            f |= IF_FULL;
        if (f & IF_HIDDEN)
            f &= (uint16_t)~(IF_WESTERN | IF_ALNUM | IF_CJK | IF_HAN);
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
        if (contains(run, rlen, "://") || (rlen > 4 && memcmp(run, "www.", 4) == 0)) {
            for (size_t i = s; i < t; i++)
                c->it[i].flags |= IF_URL;
            /* Up to the end of the first "://": the scheme stays whole. */
            size_t end = s;
            for (size_t i = s; i + 2 < t; i++)
                if (c->it[i].cp == ':' && c->it[i + 1].cp == '/' && c->it[i + 2].cp == '/') {
                    end = i + 3;
                    break;
                }
            for (size_t i = s; i < end; i++)
                c->it[i].flags |= IF_SCHEME;
        }
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
        uint16_t l = c->it[i - 1].flags, r = c->it[i + 1].flags;
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

/* Between two items of a URL: after a slash, before . ? & = - (the
 * Chicago Manual's rule, docs/layouts.md), no hyphen added, never inside the
 * scheme; these marks may start a line there. */
static int url_rule(const it_info *A, const it_info *B)
{
    if (A->flags & IF_SCHEME)
        return BRK_NONE;
    if (A->cp == '/' && B->cp != '/')
        return BRK_URL;
    if ((B->cp == '.' || B->cp == '?' || B->cp == '&' || B->cp == '=' || B->cp == '-')
        && A->cp != '/' && A->cp != '.' && A->cp != '-')
        return BRK_URL;
    return BRK_NONE;
}

/* The tailoring: BRK_* when decided, -1 undecided (ICU decides). */
static int break_rule(const comp *c, size_t k)
{
    const it_info *A = &c->it[k - 1], *B = &c->it[k];
    if (B->cls == LBC_SPACE)
        return 0; /* UAX #14 LB7: spaces stay at the end of the line */
    if (A->cls == LBC_GLUE || B->cls == LBC_GLUE)
        return 0; /* UAX #14 LB8a, LB11, LB12: WJ, ZWNBSP, ZWJ, no-break spaces */
    if (B->flags & IF_MARK)
        return 0; /* UAX #14 LB9: never before a combining mark */
    if ((A->flags & IF_URL) && (B->flags & IF_URL))
        return url_rule(A, B);
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
    if ((A->flags & IF_WESTERN) && (B->flags & IF_WESTERN))
        return 0; /* Latin words and numbers (87.6% 1,280) never split */
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
        b->adj = !(B->cls == LBC_SPACE) && !(B->flags & (IF_HIDDEN | IF_MARK))
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
        int space = (t->flags & (IF_SPACE | IF_TYPED | IF_HIDDEN)) != 0;
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

/* The punctuation blank a line [a, e) may give up to take one more
 * character (先挤进): the optional halves of its marks but the last (which
 * loses its blank half anyway, GB/T 15834 5.1.10) and but an opening mark
 * at the line's start (never compressed there, so the left edge stays
 * straight), at most 1 字 in all: ½ 字 from each of two marks. */
static double punct_shrink(const comp *c, size_t a, size_t e)
{
    if (e <= a + 1)
        return 0;
    double sum = c->popt[e - 1] - c->popt[a] - c->it[a].optl;
    /* comparisons, not fmin/fmax: this is on the composer's hot path */
    return sum < 0 ? 0 : sum > c->em ? c->em : sum;
}

/* Measures the line of items [a, p). Returns 0 when it shows nothing. */
static int measure_line(const comp *c, size_t a, size_t p, line_m *m)
{
    (*c->measured)++;
    size_t e = c->vis_end[p];
    m->a = a;
    m->p = p;
    m->e = e;
    m->hyph = 0;
    if (e <= a) {
        m->w = m->shrink = 0;
        m->slots = 0;
        m->need = 0;
        return 0;
    }
    const it_info *last = &c->it[e - 1];
    m->w = c->pw[e] - c->pw[a] - (c->qpt[e - 1] - c->qpt[a]) + (c->qg[e - 1] - c->qg[a])
         - (last->rb + last->endl);
    m->shrink = punct_shrink(c, a, e) + c->pss[e] - c->pss[a]
              + 0.5 * (c->qg[e - 1] - c->qg[a]);
    m->slots = c->qadj[e - 1] - c->qadj[a];
    if (c->hyphen > 0 && p < c->n && c->bd[p].brk == BRK_HYPHEN) {
        m->hyph = c->hyphen * c->it[p - 1].em;
        m->w += m->hyph; /* the added hyphen */
    }
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

/* Demerits of ending a line at item boundary p for the kind of break. */
static double break_cost(const comp *c, size_t p)
{
    if (p >= c->n)
        return 0;
    switch (c->bd[p].brk) {
    case BRK_EMERGENCY: return EMERGENCY;
    case BRK_HYPHEN: return HYPHEN_BREAK;
    case BRK_URL: return URL_BREAK;
    default: return 0;
    }
}

/* Whether line m is a piece of a URL and nothing else (a URL wider than the
 * measure leaves at least one such line). It has no slot to stretch and no
 * way to get one, so it is set ragged and weighs as a ragged line: as an
 * UNJUSTIFIABLE line, squared with the badness, the cross term of its blank
 * (2e9 · (blank/em)²) outweighed every other line, and the composer
 * letter-spaced the Chinese lines before a URL by several characters to fill
 * the URL's line to the last point. (A word broken by emergency breaks can
 * fill its lines to a character, and keeps the old weight.) */
static int url_only(const comp *c, const line_m *m)
{
    return (c->it[m->a].flags & IF_URL) && (c->it[m->e - 1].flags & IF_URL);
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
        return (url_only(c, m) ? 0 : UNJUSTIFIABLE) + (excess / c->em) * (excess / c->em);
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
    if (m.w - m.shrink > c->maxavail + EPS)
        return 1;
    if (m.need - m.shrink > EPS || x->best[i] == INFINITY)
        return 0;
    double d;
    if (x->mode == 1) {
        d = 1;
    } else {
        double b = badness(c, &m);
        d = (LINE_PENALTY + b) * (LINE_PENALTY + b) + widow_penalty(c, &m)
          + break_cost(c, p);
    }
    if (x->best[i] + d < x->best[j]) {
        x->best[j] = x->best[i] + d;
        x->from[j] = i;
    }
    return 0;
}

/* The demerits of the candidate line from start s to the end e (need as
 * measure_line computes it; qadje = qadj[e - 1]): badness, widow_penalty and
 * dp_visit's sum, the same operations in the same order. *badness_out, when
 * given, gets the badness. */
static inline double line_demerits(const comp *c, const bp_info *s, size_t e, double need,
                                   double shrink, uint32_t qadje, uint16_t last_flags,
                                   int last_line, int justify, double bcost,
                                   double *badness_out)
{
    const double em = c->em;
    const size_t a = s->a;
    double b;
    if (need > EPS) {
        b = SHRINK_BADNESS * (need / shrink) * (need / shrink);
    } else {
        double excess = -need;
        if (last_line || excess <= EPS) {
            b = 0;
        } else if (!justify) {
            b = (excess / em) * (excess / em);
        } else {
            uint32_t slots = qadje - s->qadj;
            if (slots == 0) {
                int url = (s->flags & IF_URL) && (last_flags & IF_URL);
                b = (url ? 0 : UNJUSTIFIABLE) + (excess / em) * (excess / em);
            } else {
                double r = excess / ((double)slots * STRETCH_PER_SLOT * em);
                b = 100.0 * r * r * r;
            }
        }
    }
    double widow = 0;
    if (a != 0 && last_line) {
        size_t nv = c->pv[e] - c->pv[a], nc = c->pc[e] - c->pc[a];
        widow = nc > 1 ? 0 : nv <= 1 ? WIDOW_ONE : WIDOW_PUNCT;
    }
    if (badness_out)
        *badness_out = b;
    return (LINE_PENALTY + b) * (LINE_PENALTY + b) + widow + bcost;
}

/* What the line ending at item e adds to its width and shrink, the same for
 * every start: dp_look_back computes it once per break. */
typedef struct line_end {
    double pw, qpt, qg, pss, popt; /* the prefix sums at the end */
    double em, hyph;               /* hyph: the hyphen's width, when hy */
    float endt;                    /* float, as in measure_line */
    size_t e;
    int hy;
} line_end;

/* The exact width and shrink of the line from start s to le's end, as
 * measure_line computes them (the same operations in the same order). */
static inline void line_w_shrink(const line_end *le, const bp_info *s, double *w,
                                 double *shrink)
{
    *w = le->pw - s->pw - (le->qpt - s->qpt) + (le->qg - s->qg) - le->endt;
    double ps = 0;
    if (le->e > s->a + 1) {
        double sum = le->popt - s->popt - s->optl;
        ps = sum < 0 ? 0 : sum > le->em ? le->em : sum;
    }
    *shrink = ps + le->pss - s->pss + 0.5 * (le->qg - s->qg);
    if (le->hy)
        *w += le->hyph;
}

/* look_back with dp_visit for the line ending at breakpoint j, with
 * measure_line, badness and widow_penalty written out and what depends only
 * on the line's end computed once: most of a paragraph's time is here (some
 * twenty candidate starts for every break). The same operations in the same
 * order as those functions, so the same numbers and the same lines. The
 * narrowed look-back and a line of nothing but spaces take the general path. */
static void dp_look_back(const comp *c, size_t j, size_t *spent, size_t budget, dp_ctx *x)
{
    const size_t p = c->bp[j], n = c->n, e = c->vis_end[p];
    if (*spent >= budget || e == 0) {
        look_back(c, j, spent, budget, dp_visit, x);
        return;
    }
    const double *best = x->best;
    const bp_info *bpi = c->bpi;
    const it_info *last = &c->it[e - 1];
    const uint32_t qadje = c->qadj[e - 1];
    const int hy = c->hyphen > 0 && p < n && c->bd[p].brk == BRK_HYPHEN;
    const line_end le = {c->pw[e], c->qpt[e - 1], c->qg[e - 1], c->pss[e], c->popt[e - 1],
                         c->em, hy ? c->hyphen * c->it[p - 1].em : 0,
                         last->rb + last->endl, e, hy};
    const double bcost = break_cost(c, p);
    const int last_line = p == n, justify = c->p->align == BL_ALIGN_JUSTIFY;
    const double lim = c->maxavail + EPS;
    double bj = best[j];
    size_t fj = x->from[j];
    size_t i = j, seen = 0, measured = 0;
    if (x->mode == 0 && !c->has_url) {
        /* First the too-wide test, nearest start first, up to the first
         * too wide (the candidates and the work counted are look_back's;
         * most starts pass on a bound, without the exact figures); then the
         * demerits, farthest start (the fullest line) first, so that the
         * best is found early: going nearer, the lines only get shorter
         * (an item taken off the start takes at least its width off: the
         * pair trim at its right is at most half its em), so once a line is
         * stretched the badness of every nearer one is at least its own
         * (less 0.1 % for rounding; a line with no slot costs
         * UNJUSTIFIABLE, and without URLs no line costs less), and when even
         * that cannot beat the best, the rest is skipped. Ties go to the
         * nearer start, as in look_back's order. */
        while (i > 0 && seen < MAX_CANDIDATES) {
            seen++;
            const bp_info *s = &bpi[--i];
            const size_t a = s->a;
            measured++;
            if (e <= a)
                continue;
            /* Rounding is monotone and the trims and the shrink are never
             * negative (the end term may be a float's rounding below zero),
             * so the computed width less shrink is at most this plus far
             * less than EPS: this far below the limit, the line is not too
             * wide, and its exact figures wait for the second pass. */
            double bound = le.pw - s->pw + (le.qg - s->qg);
            if (hy)
                bound += le.hyph;
            if (bound < lim - EPS)
                continue;
            double w, shrink;
            line_w_shrink(&le, s, &w, &shrink);
            if (w - shrink > lim) {
                i++; /* too wide: not a candidate, and so is every earlier start */
                break;
            }
        }
        /* Candidates: starts i .. j - 1. */
        for (size_t t = i; t < j; t++) {
            const bp_info *s = &bpi[t];
            const size_t a = s->a;
            if (e <= a)
                break; /* lines of spaces only, and every nearer start too */
            double w, shrink;
            line_w_shrink(&le, s, &w, &shrink);
            const double need = w - (a == 0 ? c->avail0 : c->avail1);
            if (need - shrink > EPS || best[t] == INFINITY)
                continue;
            if (best[t] + LINE_PENALTY * LINE_PENALTY > bj)
                continue;
            double b;
            const double d = line_demerits(c, s, e, need, shrink, qadje, last->flags, last_line,
                                           justify, bcost, &b);
            const double cand = best[t] + d;
            if (cand < bj || (cand == bj && cand != INFINITY)) {
                bj = cand;
                fj = t;
            }
            if (a != 0 && !last_line && need <= EPS && -need > EPS) {
                double lb = LINE_PENALTY + (b < UNJUSTIFIABLE ? b : UNJUSTIFIABLE) * 0.999;
                if (lb * lb > bj)
                    break; /* no nearer start can beat it */
            }
        }
        x->best[j] = bj;
        x->from[j] = fj;
        *c->measured += measured;
        *spent += seen;
        return;
    }
    while (i > 0 && seen < MAX_CANDIDATES) {
        seen++;
        const bp_info *s = &bpi[--i];
        const size_t a = s->a;
        measured++;
        if (e <= a)
            continue; /* a line of spaces only: nothing to set */
        double w, shrink;
        line_w_shrink(&le, s, &w, &shrink);
        const double need = w - (a == 0 ? c->avail0 : c->avail1);
        if (w - shrink > lim)
            break; /* too wide, and so is every earlier start */
        if (need - shrink > EPS || best[i] == INFINITY)
            continue;
        /* Demerits are at least LINE_PENALTY²: a start that cannot beat the
         * best so far even so needs no badness (rounding is monotone, so
         * the full sum would not beat it either). */
        if (x->mode == 0 && best[i] + LINE_PENALTY * LINE_PENALTY >= bj)
            continue;
        const double d = x->mode == 1 ? 1
                       : line_demerits(c, s, e, need, shrink, qadje, last->flags, last_line, justify,
                                       bcost, NULL);
        if (best[i] + d < bj) {
            bj = best[i] + d;
            fj = i;
        }
    }
    x->best[j] = bj;
    x->from[j] = fj;
    *c->measured += measured;
    *spent += seen;
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
        dp_look_back(c, j, &spent, budget, &x);
        if (best[j] == INFINITY && !first_bad)
            first_bad = j;
    }
    return best[c->nb - 1] == INFINITY ? (first_bad ? first_bad : c->nb - 1) : 0;
}

typedef struct bal_ctx {
    size_t q;     /* the line being placed, 1-based */
    double *cost; /* cost[q * nb + j]: best cost of q lines ending at break j */
    double *lastw; /* lastw[q * nb + j]: the width of that chain's last line */
    size_t *from;
} bal_ctx;

static int bal_visit(const comp *c, size_t i, size_t j, void *vctx)
{
    bal_ctx *x = vctx;
    size_t nb = c->nb, a = c->bp[i], p = c->bp[j];
    line_m m;
    if (!measure_line(c, a, p, &m))
        return 0;
    if (m.w - m.shrink > c->maxavail + EPS)
        return 1;
    double prev = x->cost[(x->q - 1) * nb + i];
    if (m.need - m.shrink > EPS || prev == INFINITY)
        return 0;
    double slack = -m.need / c->em;
    double d = slack * slack + widow_penalty(c, &m) + break_cost(c, p);
    if (m.need > EPS)
        d += SHRINK_BADNESS * (m.need / m.shrink);
    /* A space between two Western words (GB/T 9704) is no sense unit:
     * breaking there is worse than anywhere else. */
    int at_space = (c->it[p - 1].flags & IF_SPACE) != 0;
    int in_latin = at_space && p >= 2 && p < c->n && (c->it[p - 2].flags & IF_WESTERN)
                && (c->it[p].flags & IF_WESTERN);
    if (p < c->n && c->has_space_breaks && (!at_space || in_latin))
        d += in_latin ? 2 * BALANCE_NOT_SPACE : BALANCE_NOT_SPACE;
    /* Typed spaces first, then ICU's word boundaries; never inside 《》 or
     * “” when another break works. */
    if (p < c->n && !at_space && !c->bd[p].word)
        d += BALANCE_NOT_WORD;
    if (p < c->n && c->bd[p].inq)
        d += BALANCE_IN_QUOTES;
    /* The shape (GB/T 9704 7.3.1): a trapezoid, each line no wider than
     * the one above, and no line far shorter than its neighbour. */
    double w = m.w - (m.need > 0 ? m.need : 0), above = x->lastw[(x->q - 1) * nb + i];
    if (x->q > 1 && w > above + 0.05 * c->em) {
        double over = (w - above) / c->em;
        d += BALANCE_WIDER + 0.5 * over * over;
    }
    if (x->q > 1 && w < 0.6 * above)
        d += BALANCE_SHORT;
    if (prev + d < x->cost[x->q * nb + j]) {
        x->cost[x->q * nb + j] = prev + d;
        x->lastw[x->q * nb + j] = w;
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
    double *lastw = cost + (lines + 1) * nb;
    for (size_t q = 0; q <= lines; q++)
        for (size_t j = 0; j < nb; j++) {
            cost[q * nb + j] = INFINITY;
            lastw[q * nb + j] = INFINITY;
        }
    cost[0] = 0;
    size_t spent = 0, budget = WORK_PER_BREAK * nb * lines + WORK_BASE;
    for (size_t q = 1; q <= lines; q++) {
        bal_ctx x = {q, cost, lastw, from};
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
    /* 先挤进: punctuation first, from the fewest marks (the largest blanks,
     * the later of equals: ½ 字 from each of two marks in the usual case),
     * then the glue (spaces, gaps), evenly. take[] (in trim[] until the
     * loop below overwrites it) is the optional blank taken from each. */
    double fg = 0, per_slot = 0;
    for (size_t k = a; k < m->p; k++)
        trim[k - a] = 0;
    if (m->need > EPS) {
        double popt = punct_shrink(c, a, e);
        double glue = m->shrink - popt;
        double want = fmin(m->need, popt);
        for (int pick = 0; pick < 8 && want > EPS; pick++) {
            size_t best = SIZE_MAX;
            double bo = 0;
            for (size_t k = a; k + 1 < e; k++) {
                const it_info *t = &c->it[k];
                double o = (k == a ? 0 : t->optl) + t->optr - trim[k - a];
                if (o > EPS && o >= bo - EPS) {
                    bo = o;
                    best = k;
                }
            }
            if (best == SIZE_MAX)
                break;
            double t = fmin(bo, want);
            trim[best - a] += (float)t;
            want -= t;
        }
        if (m->need > popt + EPS)
            fg = glue > 0 ? fmin(1.0, (m->need - popt) / glue) : 0;
    } else if (!last && p->align == BL_ALIGN_JUSTIFY && m->slots > 0 && m->need < -EPS) {
        per_slot = -m->need / (double)m->slots;
    }
    double pen = 0;
    for (size_t k = a; k < m->p; k++) {
        const it_info *t = &c->it[k];
        size_t o = k - a;
        if (k >= e || (t->flags & (IF_TYPED | IF_HIDDEN)) || e <= a) {
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
            /* The blank taken, from the mark's blank sides in proportion
             * (a centred mark gives a quarter on each side). */
            double ol = k > a ? t->optl : 0, take = trim[o];
            double fl = ol + t->optr > 0 ? ol / (ol + t->optr) : 0;
            lt = (k > a ? c->bd[k].ptb : 0) + take * fl;
            rt = c->bd[k + 1].pta + take * (1 - fl);
        }
        sw = t->w - lt - rt;
        if ((t->flags & IF_SPACE))
            sw -= fg * t->w / 3;
        x[o] = (float)(pen - lt); /* the glyph moves left by its trimmed left half */
        adv[o] = (float)sw;
        trim[o] = (float)lt;
        pen += sw;
    }
    pen += m->hyph; /* room for the hyphen the caller draws */
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
    ln->hyphen = (float)m->hyph;
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

/* The en-US hyphenation patterns, loaded once per process (read-only
 * afterwards, so shared by threads); NULL when the file is missing. */
static HyphenDict *hyph_dict;
static pthread_once_t hyph_once = PTHREAD_ONCE_INIT;

static void hyph_load(void)
{
    hyph_dict = hnj_hyphen_load(HYPHEN_DICT);
}

static int is_ascii_letter(uint32_t cp)
{
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
}

/* Hyphenation points inside Latin words of HYPHEN_MIN_WORD letters or more
 * (never in a URL, never two letters from a word's start or three from its
 * end), where no other break is allowed. */
static void mark_hyphens(comp *c)
{
    pthread_once(&hyph_once, hyph_load);
    if (!hyph_dict)
        return;
    char word[64], hy[64 + 5];
    for (size_t s = 0; s < c->n;) {
        if (!is_ascii_letter(c->it[s].cp) || c->items[s].text_len != 1
            || (c->it[s].flags & IF_URL)) {
            s++;
            continue;
        }
        size_t t = s;
        while (t < c->n && is_ascii_letter(c->it[t].cp) && c->items[t].text_len == 1)
            t++;
        size_t len = t - s;
        /* A letter run that is part of a longer token (digits, _ or a dot
         * glued on) is no plain word: leave it whole. */
        int plain = !(s > 0 && (c->it[s - 1].flags & IF_WESTERN) && !(c->it[s - 1].flags & IF_SPACE)
                      && c->it[s - 1].cls != LBC_OPEN)
                 && !(t < c->n && (c->it[t].flags & IF_WESTERN) && c->it[t].cls == LBC_NONE);
        if (plain && len >= HYPHEN_MIN_WORD && len < sizeof word) {
            for (size_t i = 0; i < len; i++) {
                uint32_t cp = c->it[s + i].cp;
                word[i] = (char)(cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp);
            }
            word[len] = '\0';
            char **rep = NULL;
            int *pos = NULL, *cut = NULL;
            if (hnj_hyphen_hyphenate3(hyph_dict, word, (int)len, hy, NULL, &rep, &pos, &cut, 2,
                                      3, 2, 3) == 0 && !rep)
                for (size_t i = 0; i + 1 < len; i++)
                    if ((hy[i] & 1) && c->bd[s + i + 1].brk == BRK_NONE)
                        c->bd[s + i + 1].brk = BRK_HYPHEN;
            if (rep) { /* non-standard hyphenation: not for these patterns */
                for (size_t i = 0; i < len; i++)
                    free(rep[i]);
                free(rep);
            }
            free(pos);
            free(cut);
        }
        s = t;
    }
}

/* For titles: ICU's dictionary-based word boundaries for Chinese
 * (UBRK_WORD, locale zh) and the boundaries inside 《》 or “” (GB/T 9704
 * 7.3.1: a wrapped title keeps words and sense units whole). Without ICU
 * data every boundary counts as a word boundary. */
static bl_status mark_words(comp *c, bl_error *err)
{
    int depth = 0;
    for (size_t k = 1; k < c->n; k++) {
        uint32_t a = c->it[k - 1].cp;
        if (a == 0x300A || a == 0x201C || a == 0x3008 || a == 0x300C)
            depth++;
        else if ((a == 0x300B || a == 0x201D || a == 0x3009 || a == 0x300D) && depth > 0)
            depth--;
        c->bd[k].inq = depth > 0 && c->it[k].cp != 0x300B && c->it[k].cp != 0x201D
                    && c->it[k].cp != 0x3009 && c->it[k].cp != 0x300D;
    }
    UErrorCode st = U_ZERO_ERROR;
    UText *ut = utext_openUTF8(NULL, c->text, (int64_t)c->len, &st);
    UBreakIterator *bi = ubrk_open(UBRK_WORD, "zh", NULL, 0, &st);
    if (U_SUCCESS(st))
        ubrk_setUText(bi, ut, &st);
    if (U_FAILURE(st)) {
        ubrk_close(bi);
        utext_close(ut);
        if (st == U_MEMORY_ALLOCATION_ERROR)
            return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0,
                                "out of memory opening the word breaker");
        for (size_t k = 1; k < c->n; k++)
            c->bd[k].word = 1;
        return BL_OK;
    }
    size_t k = 1;
    for (int32_t b = ubrk_first(bi); b != UBRK_DONE && k < c->n; b = ubrk_next(bi)) {
        while (k < c->n && c->items[k].text_off < (uint32_t)b)
            k++;
        if (k < c->n && c->items[k].text_off == (uint32_t)b)
            c->bd[k].word = 1;
    }
    ubrk_close(bi);
    utext_close(ut);
    return BL_OK;
}

/* The allowed breakpoints, bp[0] = 0 .. bp[nb-1] = n. */
static void collect_breaks(comp *c)
{
    c->nb = 0;
    c->has_space_breaks = 0;
    c->bp[c->nb++] = 0;
    for (size_t k = 1; k < c->n; k++)
        if (c->bd[k].brk) {
            c->bp[c->nb++] = k;
            if (c->it[k - 1].flags & IF_SPACE)
                c->has_space_breaks = 1;
        }
    c->bp[c->nb++] = c->n;
}

/* A unit between two breakpoints that is wider than any line even fully
 * compressed (a long URL or word, a run of Latin without spaces) may break
 * between any two of its characters, but never before a mark, a joiner or
 * a space, and never against GB/T 15834's prohibitions (an opening mark
 * at a line end, a closing one at a start): one measure per unit, linear. Returns whether any opened. */
static int open_emergency_breaks(comp *c)
{
    double maxavail = fmax(c->avail0, c->avail1);
    int opened = 0;
    for (size_t i = 0; i + 1 < c->nb; i++) {
        size_t a = c->bp[i], p = c->bp[i + 1];
        if (p - a < 2)
            continue;
        line_m m;
        measure_line(c, a, p, &m);
        if (m.w - m.shrink <= maxavail + EPS)
            continue;
        for (size_t k = a + 1; k < p; k++) {
            const it_info *A = &c->it[k - 1], *B = &c->it[k];
            if (B->cls == LBC_SPACE || A->cls == LBC_GLUE || B->cls == LBC_GLUE
                || (B->flags & (IF_MARK | IF_HIDDEN)) || (A->flags & IF_HIDDEN)
                || A->cls == LBC_OPEN || is_no_start(B))
                continue; /* the prohibitions still hold */
            c->bd[k].brk = BRK_EMERGENCY;
            opened = 1;
        }
    }
    return opened;
}

bl_status bl_lb_compose(const char *text, size_t len, const bl_lb_item *items, size_t n,
                        const bl_lb_params *params, bl_arena *arena, bl_lb_result *out,
                        bl_error *err)
{
    out->lines = NULL;
    out->nlines = 0;
    out->measured = 0;
    out->emergency = NULL;
    out->nemergency = 0;
    out->error_item = 0;
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
    c.maxavail = c.avail0 > c.avail1 ? c.avail0 : c.avail1;
    double *best = NULL, *bal = NULL;
    size_t *from = NULL, *bfrom = NULL;
    c.it = calloc(n, sizeof *c.it);
    c.bd = calloc(n + 1, sizeof *c.bd);
    /* Not zeroed: prefix_sums and collect_breaks write every entry read. */
    double *dbl = malloc(5 * (n + 1) * sizeof *dbl);
    uint32_t *sz = malloc(5 * (n + 1) * sizeof *sz);
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
    if (st == BL_OK && params->balance && params->align != BL_ALIGN_JUSTIFY)
        st = mark_words(&c, err);
    c.hyphen = isfinite(params->hyphen) && params->hyphen > 0 && params->hyphen < 2 ? params->hyphen : 0;
    if (st == BL_OK && c.hyphen > 0 && !params->balance)
        mark_hyphens(&c);
    if (st != BL_OK)
        goto cleanup;
    measure_boundaries(&c);
    prefix_sums(&c);

    collect_breaks(&c);
    if (open_emergency_breaks(&c))
        collect_breaks(&c);

    best = malloc(c.nb * sizeof *best);
    from = malloc(c.nb * sizeof *from);
    c.bpi = malloc(c.nb * sizeof *c.bpi);
    if (!best || !from || !c.bpi) {
        st = bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory composing a paragraph");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++)
        c.has_url |= (c.it[i].flags & IF_URL) != 0;
    for (size_t i = 0; i < c.nb; i++) {
        size_t a = c.bp[i];
        c.bpi[i] = (bp_info){c.pw[a], c.qpt[a], c.qg[a], c.popt[a], c.pss[a],
                             a < n ? c.it[a].optl : 0, c.qadj[a], (uint32_t)a,
                             a < n ? c.it[a].flags : 0};
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
            out->error_item = c.bp[bad - 1];
            st = unit_error(&c, bad, err);
            goto cleanup;
        }
    }
    if (!balanced && params->balance && params->align != BL_ALIGN_JUSTIFY) {
        size_t want = (size_t)best[c.nb - 1];
        if (want >= 2 && want <= MAX_BALANCED_LINES) {
            bal = malloc(2 * (want + 1) * c.nb * sizeof *bal);
            bfrom = calloc((want + 1) * c.nb, sizeof *bfrom);
            if (!bal || !bfrom) {
                st = bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0,
                                  "out of memory composing a paragraph");
                goto cleanup;
            }
            if (run_balanced(&c, want, bal, bfrom)) {
                balanced = 1;
                nlines = want;
                /* A break inside 《》 or off the words may be avoided with
                 * one line more: take it when that is better by more than
                 * the line costs. */
                double got = bal[want * c.nb + c.nb - 1];
                if (got >= BALANCE_NOT_WORD && want < MAX_BALANCED_LINES) {
                    double *bal2 = malloc(2 * (want + 2) * c.nb * sizeof *bal2);
                    size_t *bfrom2 = calloc((want + 2) * c.nb, sizeof *bfrom2);
                    if (bal2 && bfrom2 && run_balanced(&c, want + 1, bal2, bfrom2)
                        && bal2[(want + 1) * c.nb + c.nb - 1] + BALANCE_EXTRA_LINE < got) {
                        free(bal);
                        free(bfrom);
                        bal = bal2;
                        bfrom = bfrom2;
                        bal2 = NULL;
                        bfrom2 = NULL;
                        want++;
                        nlines = want;
                    }
                    free(bal2);
                    free(bfrom2);
                }
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
    size_t nem = 0;
    for (size_t j = c.nb - 1; j > 0; j = from[j])
        nem += c.bd[c.bp[from[j]]].brk == BRK_EMERGENCY && from[j] > 0;
    size_t *em = nem ? bl_arena_calloc(arena, nem, sizeof *em) : NULL;
    if (nem && !em) {
        st = bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory composing a paragraph");
        goto cleanup;
    }
    out->emergency = em;
    out->nemergency = nem;
    size_t l = nlines, j = c.nb - 1;
    while (l > 0) {
        size_t i = from[j];
        line_m m;
        measure_line(&c, c.bp[i], c.bp[j], &m);
        if (i > 0 && c.bd[c.bp[i]].brk == BRK_EMERGENCY)
            em[--nem] = c.bp[i];
        l--;
        set_line(&c, &m, l == nlines - 1, &lines[l], xs + m.a, hid + m.a, advs + m.a,
                 trims + m.a);
        j = i;
    }
    out->lines = lines;
    out->nlines = nlines;
    /* One report per unit (a long URL is one warning, however many lines
     * it takes): drop an emergency break with no other break since the
     * previous one. */
    size_t kept = 0;
    for (size_t e = 0; e < out->nemergency; e++) {
        int first = e == 0;
        for (size_t b = e ? em[e - 1] + 1 : 0; !first && b < em[e]; b++)
            if (c.bd[b].brk && c.bd[b].brk != BRK_EMERGENCY)
                first = 1;
        if (first)
            em[kept++] = em[e];
    }
    out->nemergency = kept;

cleanup:
    free(c.bpi);
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
