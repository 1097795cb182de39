/* lint.c - the proofreader's rules (docs/lint.md) and --fix.
 *
 * Each pass parses the text, runs the text rules over every string of the
 * tree (paragraphs as the parser joined them, so a mark doubled across a line
 * break is seen) and the structural rules over the tree, and turns each
 * fixable finding into byte edits of the source, found through the strings'
 * source spans and checked against the source bytes before they are trusted.
 * --fix applies the edits and runs again until a pass changes nothing, so a
 * second --fix has nothing to do; edits never touch a line end, and the new
 * text is written back with the input's line ends and encoding. */
#include "lint.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/utf8.h"
#include "../parse/parse.h"
#include "lint_priv.h"

static const bl_lint_rule_info rules[BL_LINT_NRULES] = {
    {"punct-width", "half-width , . ; : ? ! ( ) in Chinese text", 1},
    {"quotes", "straight quotes \"…\" '…' around Chinese text", 1},
    {"alnum-width", "full-width digits and Latin letters", 1},
    {"punct-doubled", "the same mark twice (，， 。。)", 1},
    {"cjk-space", "a typed space between Chinese characters in running text", 1},
    {"footer-period", "a 报送/抄送/发送 value that does not end with 。", 1},
    {"unbalanced", "a bracket, quote or 书名号 without its partner in a paragraph", 0},
    {"heading-order", "heading numbers out of sequence at one level", 0},
    {"heading-level", "a heading level that skips the one above it", 0},
    {"yinfa-date", "a 印发 date before the issue date", 0},
    {"item-source", "an item without 来源 when the others of its section have one", 0},
};

const bl_lint_rule_info *bl_lint_rules(void)
{
    return rules;
}

int bl_lint_rule_by_name(const char *name)
{
    for (int i = 0; i < BL_LINT_NRULES; i++)
        if (strcmp(rules[i].name, name) == 0)
            return i;
    return -1;
}

bl_lint_opts bl_lint_defaults(void)
{
    bl_lint_opts o = {(1u << BL_LINT_NRULES) - 1, 0};
    return o;
}

/* ---- character classes ------------------------------------------------- */

static int is_han(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF) || c == 0x3007;
}

static int is_close(uint32_t c)
{
    return c == 0xFF09 || c == 0x201D || c == 0x2019 || c == 0x300B || c == 0x3009 ||
           c == 0x300D || c == 0x300F || c == 0x3011 || c == 0x3015 || c == 0xFF3D;
}

/* The closing partner of an opening mark (full-width, and the ASCII '('). */
static uint32_t partner(uint32_t c)
{
    switch (c) {
    case 0xFF08: return 0xFF09;
    case '(': return ')';
    case 0x201C: return 0x201D;
    case 0x2018: return 0x2019;
    case 0x300A: return 0x300B;
    case 0x3008: return 0x3009;
    case 0x300C: return 0x300D;
    case 0x300E: return 0x300F;
    case 0x3010: return 0x3011;
    case 0x3014: return 0x3015;
    case 0xFF3B: return 0xFF3D;
    default: return 0;
    }
}

/* Punctuation set on the CJK em grid: CJK symbols, full-width marks (not
 * digits or letters), and the general punctuation of Chinese text. */
static int is_cjk_punct(uint32_t c)
{
    if (c >= 0x3001 && c <= 0x303F)
        return 1;
    if (c >= 0xFF01 && c <= 0xFF65)
        return !((c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) ||
                 (c >= 0xFF41 && c <= 0xFF5A));
    return c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019 || c == 0x2026 ||
           c == 0x2014 || c == 0x00B7;
}

static int is_cjk(uint32_t c)
{
    return is_han(c) || is_cjk_punct(c);
}

static int is_fw_alnum(uint32_t c)
{
    return (c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) ||
           (c >= 0xFF41 && c <= 0xFF5A);
}

static int is_digit_any(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
}

static int is_latin_alnum(uint32_t c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static int is_latin_letter(uint32_t c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static int is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == 0x3000 || c == 0xA0;
}

static int is_cn_digit(uint32_t c)
{
    static const uint32_t d[] = {0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94,
                                 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341};
    for (int i = 0; i < 10; i++)
        if (c == d[i])
            return i < 9 ? i + 1 : 10;
    return 0;
}

/* ---- growable arrays ---------------------------------------------------- */

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 1;
    size_t nc = *cap ? *cap : 64;
    while (nc < need)
        nc *= 2;
    void *np = realloc(*p, nc * size);
    if (!np)
        return 0;
    *p = np;
    *cap = nc;
    return 1;
}

/* One finding while a pass runs; its edits are edits[e0 .. e0+ne). */
typedef struct finding {
    bl_lint_rule rule;
    int line, col;
    size_t e0, ne;
    size_t seq; /* creation order: ties in position keep it */
    int fixable; /* every primary edit maps onto the source */
    char message[256];
} finding;

/* Replace src[off, off+len) by repl[roff, roff+rlen). An optional edit (a
 * space next to a replaced mark) is dropped when it cannot be made. */
typedef struct edit {
    size_t off, len, roff, rlen;
    int optional;
} edit;

enum { K_HEADER, K_TITLE, K_FIELD, K_NOTE, K_PARA, K_FOOTER };

typedef struct pass {
    const char *w; /* the text (UTF-8, LF) */
    size_t wlen;
    size_t *lines; /* byte offset of each line's start */
    size_t nlines, cap_lines;
    unsigned rules;
    finding *f;
    size_t nf, cap_f;
    edit *e;
    size_t ne, cap_e;
    char *repl;
    size_t nrepl, cap_repl;
    /* the text being looked at */
    const bl_text *t;
    int kind;
    uint32_t *cp;
    size_t *off; /* n + 1 entries: off[n] == t->len */
    unsigned char *mask; /* 1: inside a URL, e-mail address or path */
    size_t *han; /* n + 1 entries: Han characters before each code point */
    size_t n, cap_cp, cap_off, cap_mask, cap_han;
    size_t *span_src;
    size_t cap_span;
    int nomem;
} pass;

static int on(const pass *p, bl_lint_rule r)
{
    return (p->rules >> r) & 1u;
}

/* Index of the code point starting at byte o of the current text. */
static size_t cp_index(const pass *p, size_t o)
{
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (p->off[mid] < o)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static size_t span_of(const bl_text *t, size_t o)
{
    size_t lo = 0, hi = t->nspans;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (t->spans[mid].offset <= o)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Source byte offset where span s of the current text starts. */
static size_t span_source(pass *p, size_t s)
{
    if (p->span_src[s] != SIZE_MAX)
        return p->span_src[s];
    const bl_srcpos *pos = &p->t->spans[s].pos;
    size_t at = SIZE_MAX;
    if (pos->line >= 1 && (size_t)pos->line <= p->nlines) {
        at = p->lines[pos->line - 1];
        for (int c = 1; c < pos->col && at < p->wlen && p->w[at] != '\n'; c++) {
            uint32_t cp;
            size_t k = bl_utf8_decode(p->w + at, p->wlen - at, &cp);
            at += k ? k : 1;
        }
    }
    return p->span_src[s] = at;
}

/* The source offset of bytes [o, o+len) of the current text, or SIZE_MAX when
 * they were not read verbatim from one line (a space the join inserted, the
 * date 印发 was rewritten to). */
static size_t source_of(pass *p, size_t o, size_t len)
{
    const bl_text *t = p->t;
    if (!t->nspans)
        return SIZE_MAX;
    size_t s = span_of(t, o);
    size_t end = s + 1 < t->nspans ? t->spans[s + 1].offset : t->len;
    if (o < t->spans[s].offset || o + len > end)
        return SIZE_MAX;
    size_t base = span_source(p, s);
    if (base == SIZE_MAX)
        return SIZE_MAX;
    size_t so = base + (o - t->spans[s].offset);
    if (so + len > p->wlen || memcmp(p->w + so, t->s + o, len) != 0 ||
        memchr(p->w + so, '\n', len))
        return SIZE_MAX;
    return so;
}

static void vfind(pass *p, bl_lint_rule rule, size_t o, const char *fmt, va_list ap)
{
    if (!grow((void **)&p->f, &p->cap_f, p->nf + 1, sizeof *p->f)) {
        p->nomem = 1;
        return;
    }
    finding *f = &p->f[p->nf++];
    memset(f, 0, sizeof *f);
    f->rule = rule;
    bl_srcpos pos = p->t->pos;
    if (p->t->nspans) {
        size_t s = span_of(p->t, o);
        pos = p->t->spans[s].pos;
        if (o > p->t->spans[s].offset)
            pos.col += (int)(cp_index(p, o) - cp_index(p, p->t->spans[s].offset));
    }
    f->line = pos.line;
    f->col = pos.col;
    f->e0 = p->ne;
    f->seq = p->nf - 1;
    f->fixable = rules[rule].fixable;
    vsnprintf(f->message, sizeof f->message, fmt, ap);
}

/* A finding at byte o of the current text. */
static void find(pass *p, bl_lint_rule rule, size_t o, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static void find(pass *p, bl_lint_rule rule, size_t o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfind(p, rule, o, fmt, ap);
    va_end(ap);
}

/* A finding not about a place in one text (structural rules). */
static void find_at(pass *p, bl_lint_rule rule, bl_srcpos pos, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static void find_at(pass *p, bl_lint_rule rule, bl_srcpos pos, const char *fmt, ...)
{
    static const bl_text none = {"", 0, {0, 0}, NULL, 0};
    bl_text t = none;
    t.pos = pos;
    const bl_text *saved = p->t;
    p->t = &t;
    va_list ap;
    va_start(ap, fmt);
    vfind(p, rule, 0, fmt, ap);
    va_end(ap);
    p->t = saved;
}

/* An edit of the last finding: bytes [o, o+len) of the current text become
 * repl. A primary edit that does not map onto the source makes the finding
 * one for a person. */
static void edit_text(pass *p, size_t o, size_t len, const char *repl, size_t rlen,
                      int optional)
{
    if (!p->nf || p->nomem)
        return;
    finding *f = &p->f[p->nf - 1];
    size_t so = source_of(p, o, len);
    if (so == SIZE_MAX) {
        if (!optional)
            f->fixable = 0;
        return;
    }
    if (!grow((void **)&p->e, &p->cap_e, p->ne + 1, sizeof *p->e) ||
        !grow((void **)&p->repl, &p->cap_repl, p->nrepl + rlen + 1, 1)) {
        p->nomem = 1;
        return;
    }
    memcpy(p->repl + p->nrepl, repl, rlen);
    edit *e = &p->e[p->ne++];
    e->off = so;
    e->len = len;
    e->roff = p->nrepl;
    e->rlen = rlen;
    e->optional = optional;
    p->nrepl += rlen;
    f->ne = p->ne - f->e0;
}

/* Replaces code point i of the current text by the UTF-8 of c. */
static void edit_cp(pass *p, size_t i, uint32_t c)
{
    char b[4];
    size_t k = bl_utf8_encode(c, b);
    edit_text(p, p->off[i], p->off[i + 1] - p->off[i], b, k, 0);
}

/* Deletes code points [i, j) (optional: spaces next to a replaced mark). */
static void delete_cps(pass *p, size_t i, size_t j, int optional)
{
    edit_text(p, p->off[i], p->off[j] - p->off[i], "", 0, optional);
}

/* The UTF-8 of code points [i, j) for a message, at most about 60 bytes. */
static int excerpt(const pass *p, size_t i, size_t j, const char **s)
{
    size_t end = i; /* walked from the start: a pair may span the whole text */
    while (end < j && p->off[end + 1] - p->off[i] <= 60)
        end++;
    *s = p->t->s + p->off[i];
    return (int)(p->off[end] - p->off[i]);
}

static uint32_t at(const pass *p, size_t i)
{
    return i < p->n ? p->cp[i] : 0;
}

/* ---- the text rules ---------------------------------------------------- */

/* Marks the ASCII words that are URLs, e-mail addresses or paths (GB/T,
 * a/b/c): their punctuation is not Chinese punctuation. */
static void mark_urls(pass *p)
{
    memset(p->mask, 0, p->n);
    for (size_t i = 0; i < p->n;) {
        if (p->cp[i] >= 0x80 || p->cp[i] <= ' ') {
            i++;
            continue;
        }
        size_t j = i;
        while (j < p->n && p->cp[j] < 0x80 && p->cp[j] > ' ')
            j++;
        const char *s = p->t->s + p->off[i];
        size_t len = p->off[j] - p->off[i];
        int url = 0;
        for (size_t k = 0; k < len && !url; k++)
            url = s[k] == '/' || s[k] == '@' || s[k] == '\\' ||
                  (k + 4 <= len && memcmp(s + k, "www.", 4) == 0);
        if (url)
            memset(p->mask + i, 1, j - i);
        i = j;
    }
}

/* Code points [0, i) are a Chinese numeral: "一." is a mistyped heading
 * number, not the end of a sentence. */
static int numeral_prefix(const pass *p, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (!is_cn_digit(p->cp[k]))
            return 0;
    return i > 0;
}

static const char pw_marks[] = ",;:?!.";
static const uint32_t pw_full[] = {0xFF0C, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, 0x3002};

/* The state of punct-width over one text: v is the text as it will be once
 * the marks decided so far are full-width, so that one conversion can enable
 * the next within a single pass (县(市),(区) -> 县（市），（区）); each mark
 * converts at most once, so the work list keeps it linear. */
typedef struct pw_state {
    uint32_t *v;
    size_t *match;       /* the partner of a matched half-width bracket, or SIZE_MAX */
    size_t *before;      /* index of the last non-space before i, or SIZE_MAX */
    size_t *after;       /* index of the first non-space after i, or n */
    unsigned char *done; /* converted */
    size_t *queue;
    size_t nq, cap_q;
} pw_state;

static uint32_t pw_at(const pass *p, const pw_state *s, size_t i)
{
    return i < p->n ? s->v[i] : 0;
}

/* Should the half-width mark or bracket pair at i be full-width, given v? */
static int pw_decide(const pass *p, const pw_state *s, size_t i)
{
    uint32_t c = s->v[i];
    if (s->done[i] || p->mask[i])
        return 0;
    if (c == '(' || c == ')') {
        if (s->match[i] == SIZE_MAX)
            return 0;
        size_t a = c == '(' ? i : s->match[i], b = c == '(' ? s->match[i] : i;
        int han = p->han[b] > p->han[a + 1];
        /* The context past any spaces: "文件 (PDF) 格式" is Chinese text too. */
        uint32_t prev = s->before[a] == SIZE_MAX ? 0 : s->v[s->before[a]];
        uint32_t next = pw_at(p, s, s->after[b]);
        return han || (is_cjk(prev) && !is_latin_alnum(next)) ||
               (is_cjk(next) && !is_latin_alnum(prev));
    }
    const char *m = c && c < 0x80 ? strchr(pw_marks, (int)c) : NULL;
    if (!m)
        return 0;
    uint32_t prev = i ? s->v[i - 1] : 0, next = pw_at(p, s, i + 1);
    if (!(is_han(prev) || is_close(prev)))
        return 0;
    if (p->kind == K_FOOTER && i + 1 == p->n && on(p, BL_LINT_FOOTER_PERIOD))
        return 0; /* the last mark of a 报送 is footer-period's */
    if (c == '.' && (next == '.' || !(next == 0 || is_cjk(next) || next == ' ') ||
                     numeral_prefix(p, i)))
        return 0;
    return 1;
}

static int pw_push(pass *p, pw_state *s, size_t i)
{
    if (i >= p->n)
        return 1;
    if (!grow((void **)&s->queue, &s->cap_q, s->nq + 1, sizeof *s->queue))
        return 0;
    s->queue[s->nq++] = i;
    return 1;
}

/* Converts i (a mark, or both brackets of a pair) in v and queues the
 * neighbours whose decision may change. */
static int pw_convert(pass *p, pw_state *s, size_t i)
{
    size_t at2[2] = {i, SIZE_MAX};
    uint32_t c = s->v[i];
    if (c == '(' || c == ')') {
        size_t a = c == '(' ? i : s->match[i], b = s->match[a];
        at2[0] = a;
        at2[1] = b;
        s->v[a] = 0xFF08;
        s->v[b] = 0xFF09;
    } else {
        s->v[i] = pw_full[strchr(pw_marks, (int)c) - pw_marks];
    }
    for (int k = 0; k < 2 && at2[k] != SIZE_MAX; k++) {
        size_t j = at2[k];
        s->done[j] = 1;
        if (!pw_push(p, s, j + 1) || (j > 0 && !pw_push(p, s, j - 1)) ||
            !pw_push(p, s, s->after[j]) ||
            (s->before[j] != SIZE_MAX && !pw_push(p, s, s->before[j])))
            return 0;
    }
    return 1;
}

static void rule_punct_width(pass *p)
{
    size_t n = p->n;
    pw_state s;
    memset(&s, 0, sizeof s);
    s.v = malloc((n + 1) * sizeof *s.v);
    s.match = malloc((n + 1) * sizeof *s.match);
    s.before = malloc((n + 1) * sizeof *s.before);
    s.after = malloc((n + 1) * sizeof *s.after);
    s.done = calloc(n + 1, 1);
    size_t *stack = malloc((n + 1) * sizeof *stack), depth = 0;
    int ok = s.v && s.match && s.before && s.after && s.done && stack;
    for (size_t i = 0; ok && i < n; i++) {
        s.v[i] = p->cp[i];
        s.match[i] = SIZE_MAX;
        s.before[i] = i == 0 ? SIZE_MAX : p->cp[i - 1] == ' ' ? s.before[i - 1] : i - 1;
        if (p->mask[i])
            continue;
        if (p->cp[i] == '(')
            stack[depth++] = i;
        else if (p->cp[i] == ')' && depth) {
            size_t a = stack[--depth];
            s.match[a] = i;
            s.match[i] = a;
        }
    }
    for (size_t i = n; ok && i-- > 0;)
        s.after[i] = i + 1 >= n ? n : p->cp[i + 1] == ' ' ? s.after[i + 1] : i + 1;
    for (size_t i = 0; ok && i < n; i++) {
        if (!pw_decide(p, &s, i))
            continue;
        ok = pw_convert(p, &s, i);
        while (ok && s.nq) {
            size_t j = s.queue[--s.nq];
            if (pw_decide(p, &s, j))
                ok = pw_convert(p, &s, j);
        }
    }
    /* The findings, in text order. */
    for (size_t i = 0; ok && i < n; i++) {
        if (!s.done[i])
            continue;
        uint32_t c = p->cp[i];
        if (c == ')')
            continue;
        if (c == '(') {
            size_t a = i, b = s.match[i];
            const char *ex;
            int el = excerpt(p, a, b + 1, &ex);
            find(p, BL_LINT_PUNCT_WIDTH, p->off[a],
                 "half-width brackets '%.*s' in Chinese text (use '（' and '）')", el, ex);
            edit_cp(p, a, 0xFF08);
            edit_cp(p, b, 0xFF09);
            size_t k = a;
            while (k > 0 && p->cp[k - 1] == ' ')
                k--;
            if (k < a && k > 0)
                delete_cps(p, k, a, 1);
            k = b + 1;
            while (k < n && p->cp[k] == ' ')
                k++;
            if (k > b + 1 && k < n)
                delete_cps(p, b + 1, k, 1);
            continue;
        }
        uint32_t fw = s.v[i];
        char fb[4];
        size_t fl = bl_utf8_encode(fw, fb);
        find(p, BL_LINT_PUNCT_WIDTH, p->off[i], "half-width '%c' in Chinese text (use '%.*s')",
             (int)c, (int)fl, fb);
        edit_cp(p, i, fw);
        size_t j = i + 1;
        while (j < n && p->cp[j] == ' ')
            j++;
        if (j > i + 1 && j < n)
            delete_cps(p, i + 1, j, 1); /* a full-width mark brings its own space */
    }
    if (!ok)
        p->nomem = 1;
    free(s.v);
    free(s.match);
    free(s.before);
    free(s.after);
    free(s.done);
    free(s.queue);
    free(stack);
}

/* Straight quotes: "…" and '…' pairs (in order) whose text has a Han
 * character become “…” and ‘…’. An odd count is left to `unbalanced`. */
static void rule_quotes(pass *p)
{
    for (int q = 0; q < 2; q++) {
        uint32_t qc = q ? '\'' : '"';
        size_t count = 0;
        for (size_t i = 0; i < p->n; i++)
            count += p->cp[i] == qc && !p->mask[i] &&
                     !(qc == '\'' && i > 0 && is_latin_letter(p->cp[i - 1]) &&
                       is_latin_letter(at(p, i + 1)));
        if (count % 2)
            continue;
        size_t open = SIZE_MAX;
        for (size_t i = 0; i < p->n; i++) {
            if (p->cp[i] != qc || p->mask[i] ||
                (qc == '\'' && i > 0 && is_latin_letter(p->cp[i - 1]) &&
                 is_latin_letter(at(p, i + 1))))
                continue;
            if (open == SIZE_MAX) {
                open = i;
                continue;
            }
            if (p->han[i] > p->han[open + 1]) {
                const char *ex;
                int el = excerpt(p, open, i + 1, &ex);
                find(p, BL_LINT_QUOTES, p->off[open], "straight quotes %.*s (use %s)", el, ex,
                     q ? "‘…’" : "“…”");
                edit_cp(p, open, q ? 0x2018 : 0x201C);
                edit_cp(p, i, q ? 0x2019 : 0x201D);
            }
            open = SIZE_MAX;
        }
    }
}

/* A full-width ， or ． inside a number (1，280 or 3．5) is a separator. */
static int number_sep(const pass *p, size_t i)
{
    uint32_t c = p->cp[i];
    if ((c != 0xFF0C && c != 0xFF0E) || i == 0 || !is_digit_any(p->cp[i - 1]) ||
        !is_digit_any(at(p, i + 1)))
        return 0;
    if (c == 0xFF0E)
        return 1;
    size_t k = i + 1;
    while (k < p->n && is_digit_any(p->cp[k]))
        k++;
    return k - i - 1 == 3; /* thousands: exactly three digits follow */
}

static void rule_alnum_width(pass *p)
{
    for (size_t i = 0; i < p->n; i++) {
        if (!is_fw_alnum(p->cp[i]) && !number_sep(p, i))
            continue;
        size_t j = i;
        char buf[64];
        size_t bl = 0;
        char *big = NULL;
        while (j < p->n && (is_fw_alnum(p->cp[j]) || number_sep(p, j))) {
            uint32_t c = p->cp[j];
            char o = c == 0xFF0C ? ',' : c == 0xFF0E ? '.' : (char)(c - 0xFEE0);
            if (bl < sizeof buf)
                buf[bl] = o;
            bl++;
            j++;
        }
        if (bl > sizeof buf) { /* a long run: build it again in the heap */
            big = malloc(bl);
            if (!big) {
                p->nomem = 1;
                return;
            }
            for (size_t k = i; k < j; k++) {
                uint32_t c = p->cp[k];
                big[k - i] = c == 0xFF0C ? ',' : c == 0xFF0E ? '.' : (char)(c - 0xFEE0);
            }
        }
        const char *ex;
        int el = excerpt(p, i, j, &ex);
        find(p, BL_LINT_ALNUM_WIDTH, p->off[i], "full-width '%.*s' (use '%.*s')", el, ex,
             (int)(bl < 40 ? bl : 40), big ? big : buf);
        edit_text(p, p->off[i], p->off[j] - p->off[i], big ? big : buf, bl, 0);
        free(big);
        i = j - 1;
    }
}

static void rule_punct_doubled(pass *p)
{
    static const uint32_t marks[] = {0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01};
    for (size_t i = 0; i < p->n; i++) {
        uint32_t c = p->cp[i];
        int m = 0;
        for (size_t k = 0; k < sizeof marks / sizeof *marks; k++)
            m |= c == marks[k];
        if (!m || (i > 0 && p->cp[i - 1] == c))
            continue;
        size_t j = i + 1;
        while (j < p->n && p->cp[j] == c)
            j++;
        if (j - i < 2 || (c == 0x3002 && j - i > 2)) /* 。。。 meant …… */
            continue;
        find(p, BL_LINT_PUNCT_DOUBLED, p->off[i + 1], "doubled '%.*s'",
             (int)(p->off[i + 1] - p->off[i]), p->t->s + p->off[i]);
        delete_cps(p, i + 1, j, 0);
        i = j - 1;
    }
}

/* Spaces between Chinese characters in running text; not inside quotes and
 * 书名号, where a quoted slogan or title keeps its sense-unit spaces. */
static void rule_cjk_space(pass *p)
{
    int quoted = 0, straight = 0;
    for (size_t i = 0; i < p->n; i++) {
        uint32_t c = p->cp[i];
        if (c == '"')
            straight = !straight; /* "…" is a quote too, until quotes makes it “…” */
        else if (c == 0x201C || c == 0x2018 || c == 0x300A || c == 0x3008)
            quoted++;
        else if ((c == 0x201D || c == 0x2019 || c == 0x300B || c == 0x3009) && quoted > 0)
            quoted--;
        if (!is_space(c) || i == 0)
            continue;
        size_t j = i;
        while (j < p->n && is_space(p->cp[j]))
            j++;
        if (!quoted && !straight && j < p->n && is_cjk(p->cp[i - 1]) && is_cjk(p->cp[j])) {
            find(p, BL_LINT_CJK_SPACE, p->off[i], "space between Chinese characters");
            delete_cps(p, i, j, 0);
        }
        i = j - 1;
    }
}

static void rule_footer_period(pass *p, const char *label)
{
    if (!p->n || p->cp[p->n - 1] == 0x3002)
        return;
    size_t i = p->n - 1;
    uint32_t c = p->cp[i];
    int swap = c == 0xFF0C || c == 0x3001 || c == 0xFF1B || c == 0xFF1A || c == ',' ||
               c == ';' || c == ':' || c == '.';
    find(p, BL_LINT_FOOTER_PERIOD, p->off[i], "%s does not end with '。'", label);
    if (swap) {
        edit_cp(p, i, 0x3002);
    } else {
        char b[8];
        size_t k = p->off[i + 1] - p->off[i];
        memcpy(b, p->t->s + p->off[i], k);
        memcpy(b + k, "。", 3);
        edit_text(p, p->off[i], k, b, k + 3, 0);
    }
}

static void rule_unbalanced(pass *p)
{
    size_t *stack = NULL, depth = 0, cap = 0;
    for (size_t i = 0; i < p->n; i++) {
        uint32_t c = p->cp[i];
        if (p->mask[i])
            continue;
        int apostrophe = c == 0x2019 && i > 0 && is_latin_letter(p->cp[i - 1]) &&
                         is_latin_letter(at(p, i + 1));
        if (partner(c)) {
            if (!grow((void **)&stack, &cap, depth + 1, sizeof *stack)) {
                p->nomem = 1;
                break;
            }
            stack[depth++] = i;
        } else if ((is_close(c) || c == ')') && !apostrophe) {
            /* The opening partner is looked for a few levels down only:
             * a real paragraph nests three deep, and a hostile one must
             * not make this quadratic. */
            size_t k = depth, floor = depth > 32 ? depth - 32 : 0;
            while (k > floor && partner(p->cp[stack[k - 1]]) != c)
                k--;
            if (k == floor) {
                find(p, BL_LINT_UNBALANCED, p->off[i], "'%.*s' closes nothing",
                     (int)(p->off[i + 1] - p->off[i]), p->t->s + p->off[i]);
                continue;
            }
            for (size_t d = k; d < depth; d++) {
                size_t o = stack[d];
                find(p, BL_LINT_UNBALANCED, p->off[o], "'%.*s' is not closed before '%.*s'",
                     (int)(p->off[o + 1] - p->off[o]), p->t->s + p->off[o],
                     (int)(p->off[i + 1] - p->off[i]), p->t->s + p->off[i]);
            }
            depth = k - 1;
        }
    }
    for (size_t d = 0; d < depth; d++) {
        size_t o = stack[d];
        find(p, BL_LINT_UNBALANCED, p->off[o], "'%.*s' is not closed in this %s",
             (int)(p->off[o + 1] - p->off[o]), p->t->s + p->off[o],
             p->kind == K_PARA ? "paragraph" : "text");
    }
    free(stack);
    size_t count = 0, last = 0;
    for (size_t i = 0; i < p->n; i++)
        if (p->cp[i] == '"' && !p->mask[i])
            count++, last = i;
    if (count % 2)
        find(p, BL_LINT_UNBALANCED, p->off[last], "straight quote '\"' without its partner");
}

/* Runs the text rules that apply to a kind of text over t. */
static void lint_text(pass *p, const bl_text *t, int kind, const char *label)
{
    if (!t->len || p->nomem)
        return;
    p->t = t;
    p->kind = kind;
    /* Decode into code points and offsets. */
    size_t n = 0;
    if (!grow((void **)&p->cp, &p->cap_cp, t->len + 1, sizeof *p->cp) ||
        !grow((void **)&p->off, &p->cap_off, t->len + 1, sizeof *p->off) ||
        !grow((void **)&p->mask, &p->cap_mask, t->len + 1, 1) ||
        !grow((void **)&p->han, &p->cap_han, t->len + 2, sizeof *p->han) ||
        !grow((void **)&p->span_src, &p->cap_span, t->nspans + 1, sizeof *p->span_src)) {
        p->nomem = 1;
        return;
    }
    for (size_t o = 0; o < t->len;) {
        uint32_t c;
        size_t k = bl_utf8_decode(t->s + o, t->len - o, &c);
        if (!k)
            k = 1, c = 0xFFFD;
        p->cp[n] = c;
        p->off[n++] = o;
        o += k;
    }
    p->off[n] = t->len;
    p->n = n;
    p->han[0] = 0;
    for (size_t i = 0; i < n; i++)
        p->han[i + 1] = p->han[i] + (size_t)is_han(p->cp[i]);
    for (size_t s = 0; s < t->nspans; s++)
        p->span_src[s] = SIZE_MAX;
    mark_urls(p);
    if (on(p, BL_LINT_PUNCT_WIDTH))
        rule_punct_width(p);
    if (on(p, BL_LINT_QUOTES))
        rule_quotes(p);
    if (on(p, BL_LINT_ALNUM_WIDTH))
        rule_alnum_width(p);
    if (on(p, BL_LINT_PUNCT_DOUBLED))
        rule_punct_doubled(p);
    if (on(p, BL_LINT_CJK_SPACE) && (kind == K_PARA || kind == K_NOTE))
        rule_cjk_space(p);
    if (on(p, BL_LINT_FOOTER_PERIOD) && kind == K_FOOTER)
        rule_footer_period(p, label);
    if (on(p, BL_LINT_UNBALANCED) && kind != K_HEADER)
        rule_unbalanced(p);
}

/* ---- the structural rules ---------------------------------------------- */

/* The number of a heading paragraph of level 1..4: its value, and the bytes
 * of the number with its mark (一、 （一） 1. （1）). */
static int heading_number(const char *s, size_t len, int level, size_t *mlen)
{
    size_t i = 0;
    int v = 0;
    if (level == 2 || level == 4)
        i = s[0] == '(' ? 1 : 3;
    if (level <= 2) {
        int d[3], nd = 0;
        while (nd < 3 && i < len) {
            uint32_t c;
            size_t k = bl_utf8_decode(s + i, len - i, &c);
            int x = k ? is_cn_digit(c) : 0;
            if (!x)
                break;
            d[nd++] = x;
            i += k;
        }
        if (nd == 1)
            v = d[0];
        else if (nd == 2)
            v = d[0] == 10 ? 10 + d[1] : d[0] * 10;
        else if (nd == 3)
            v = d[0] * 10 + d[2];
    } else {
        while (i < len && s[i] >= '0' && s[i] <= '9')
            v = v * 10 + (s[i++] - '0');
    }
    if (i < len) { /* the mark after the number */
        uint32_t c;
        size_t k = bl_utf8_decode(s + i, len - i, &c);
        i += k ? k : 1;
    }
    *mlen = i;
    return v;
}

/* The heading number n of a level written the canonical way. */
static void format_number(int level, int n, char *out, size_t cap)
{
    static const char *const d[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    char cn[16];
    if (n < 1 || n > 99)
        snprintf(cn, sizeof cn, "%d", n);
    else if (n < 10)
        snprintf(cn, sizeof cn, "%s", d[n]);
    else
        snprintf(cn, sizeof cn, "%s十%s", n >= 20 ? d[n / 10] : "", d[n % 10]);
    if (level == 1)
        snprintf(out, cap, "%s、", cn);
    else if (level == 2)
        snprintf(out, cap, "（%s）", cn);
    else if (level == 3)
        snprintf(out, cap, "%d.", n);
    else
        snprintf(out, cap, "（%d）", n);
}

static void lint_headings(pass *p, const bl_para *paras, size_t n)
{
    int last[5] = {0, 0, 0, 0, 0}, cur = 0;
    for (size_t i = 0; i < n; i++) {
        const bl_para *pa = &paras[i];
        if (pa->kind != BL_PARA_HEADING || pa->level < 1 || pa->level > 4)
            continue;
        int L = pa->level;
        size_t ml;
        int v = heading_number(pa->text.s, pa->text.len, L, &ml);
        char want[48], above[48];
        /* A piece may start at 一、 or, when it is a plain list, at 1.; the
         * bracketed levels are sub-levels of the one before them. */
        int skips = cur == 0 ? L == 2 || L == 4 : L > cur + 1;
        if (on(p, BL_LINT_HEADING_LEVEL) && skips) {
            format_number(L - 1, 1, above, sizeof above);
            find_at(p, BL_LINT_HEADING_LEVEL, pa->text.pos,
                    "heading '%.*s' (level %d) has no level-%d heading ('%s') above it",
                    (int)ml, pa->text.s, L, L - 1, above);
        }
        if (on(p, BL_LINT_HEADING_ORDER) && v != last[L] + 1) {
            format_number(L, last[L] + 1, want, sizeof want);
            find_at(p, BL_LINT_HEADING_ORDER, pa->text.pos,
                    "heading number '%.*s' out of sequence (expected '%s')", (int)ml,
                    pa->text.s, want);
        }
        last[L] = v;
        for (int k = L + 1; k <= 4; k++)
            last[k] = 0;
        cur = L;
    }
}

static void lint_structure(pass *p, const bl_doc_view *v)
{
    for (size_t i = 0; i < v->nparts; i++) {
        const bl_part *pt = &v->parts[i];
        if (pt->kind == BL_PART_ARTICLE) {
            lint_headings(p, pt->article->paras, pt->article->nparas);
            continue;
        }
        const bl_section *s = pt->section;
        size_t with = 0;
        for (size_t k = 0; k < s->nitems; k++) {
            lint_headings(p, s->items[k].paras, s->items[k].nparas);
            with += s->items[k].source.len > 0;
        }
        if (!on(p, BL_LINT_ITEM_SOURCE) || with == 0 || 2 * with <= s->nitems - 1)
            continue;
        for (size_t k = 0; k < s->nitems; k++)
            if (!s->items[k].source.len)
                find_at(p, BL_LINT_ITEM_SOURCE, s->items[k].title.pos,
                        "item has no 来源 while %zu of the %zu other items of section '%s' "
                        "have one",
                        with, s->nitems - 1, s->name.s);
    }
    for (size_t i = 0; i < v->nfooter && on(p, BL_LINT_YINFA_DATE); i++) {
        const bl_footer_field *f = &v->footer[i];
        if (f->kind != BL_FOOT_YINFA)
            continue;
        const char *sp = strrchr(f->value.s, ' ');
        int y, m, d;
        if (!sp || sscanf(sp + 1, "%d年%d月%d日", &y, &m, &d) != 3)
            continue;
        long a = (long)y * 10000 + m * 100 + d;
        long b = (long)v->date.year * 10000 + v->date.month * 100 + v->date.day;
        if (a < b) {
            bl_srcpos pos = f->value.nspans ? f->value.spans[f->value.nspans - 1].pos
                                            : f->value.pos;
            find_at(p, BL_LINT_YINFA_DATE, pos,
                    "印发 date %d年%d月%d日 is before the issue date %d年%d月%d日 (日期)", y, m, d,
                    v->date.year, v->date.month, v->date.day);
        }
    }
}

static void lint_paras(pass *p, const bl_para *paras, size_t n)
{
    for (size_t i = 0; i < n; i++)
        lint_text(p, &paras[i].text, K_PARA, NULL);
}

/* One pass over the document: every text, then the structure. */
static void lint_doc(pass *p, const bl_doc_view *v)
{
    for (size_t i = 0; i < v->nmastheads; i++)
        lint_text(p, &v->mastheads[i], K_HEADER, NULL);
    if (v->name.nspans)
        lint_text(p, &v->name, K_HEADER, NULL);
    lint_text(p, &v->issue, K_HEADER, NULL);
    lint_text(p, &v->serial, K_HEADER, NULL);
    lint_text(p, &v->issuer, K_HEADER, NULL);
    lint_text(p, &v->classification, K_HEADER, NULL);
    for (size_t i = 0; i < v->nparts; i++) {
        const bl_part *pt = &v->parts[i];
        if (pt->kind == BL_PART_ARTICLE) {
            const bl_article *a = pt->article;
            lint_text(p, &a->title, K_TITLE, NULL);
            lint_text(p, &a->source, K_FIELD, NULL);
            lint_text(p, &a->note, K_NOTE, NULL);
            lint_paras(p, a->paras, a->nparas);
            continue;
        }
        const bl_section *s = pt->section;
        lint_text(p, &s->name, K_TITLE, NULL);
        lint_text(p, &s->toc_name, K_FIELD, NULL);
        for (size_t k = 0; k < s->nitems; k++) {
            lint_text(p, &s->items[k].title, K_TITLE, NULL);
            lint_text(p, &s->items[k].source, K_FIELD, NULL);
            lint_paras(p, s->items[k].paras, s->items[k].nparas);
        }
    }
    for (size_t i = 0; i < v->nfooter; i++) {
        const bl_footer_field *f = &v->footer[i];
        /* 印发 and 印数 are rewritten by the parser: not the input's bytes. */
        if (f->kind == BL_FOOT_BAOSONG || f->kind == BL_FOOT_CHAOSONG ||
            f->kind == BL_FOOT_FASONG)
            lint_text(p, &f->value, K_FOOTER, f->label.s);
    }
    lint_structure(p, v);
}

static int by_position(const void *a, const void *b)
{
    const finding *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    if (x->rule != y->rule)
        return x->rule < y->rule ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int by_offset(const void *a, const void *b)
{
    const edit *x = *(const edit *const *)a, *y = *(const edit *const *)b;
    return x->off < y->off ? -1 : x->off > y->off;
}

static void pass_reset(pass *p)
{
    p->nf = p->ne = p->nrepl = 0;
    p->nlines = 0;
}

static void pass_free(pass *p)
{
    free(p->lines);
    free(p->f);
    free(p->e);
    free(p->repl);
    free(p->cp);
    free(p->off);
    free(p->mask);
    free(p->han);
    free(p->span_src);
}

static int index_lines(pass *p)
{
    p->nlines = 0;
    for (size_t i = 0;; i++) {
        if (!grow((void **)&p->lines, &p->cap_lines, p->nlines + 1, sizeof *p->lines))
            return 0;
        p->lines[p->nlines++] = i;
        const char *nl = memchr(p->w + i, '\n', p->wlen - i);
        if (!nl)
            break;
        i = (size_t)(nl - p->w);
    }
    return 1;
}

static int clashes(const unsigned char *claimed, const edit *e)
{
    if (e->len == 0)
        return claimed[e->off];
    for (size_t b = e->off; b < e->off + e->len; b++)
        if (claimed[b])
            return 1;
    return 0;
}

/* Chooses the fixable findings whose edits do not overlap an earlier one's
 * and writes the text with them into *out. Returns the number applied. */
static size_t apply_edits(pass *p, char **out, size_t *out_len, int *nomem)
{
    *out = NULL;
    unsigned char *claimed = calloc(p->wlen + 1, 1);
    edit **list = malloc((p->ne + 1) * sizeof *list);
    if (!claimed || !list) {
        free(claimed);
        free(list);
        *nomem = 1;
        return 0;
    }
    size_t nl = 0, applied = 0, grow_by = 0;
    for (size_t i = 0; i < p->nf; i++) {
        finding *f = &p->f[i];
        if (!f->fixable || !f->ne) {
            f->fixable = 0;
            continue;
        }
        int clash = 0;
        for (size_t k = f->e0; k < f->e0 + f->ne && !clash; k++)
            clash = !p->e[k].optional && clashes(claimed, &p->e[k]);
        if (clash) {
            f->fixable = 0; /* found again by the next pass */
            continue;
        }
        for (size_t k = f->e0; k < f->e0 + f->ne; k++) {
            edit *e = &p->e[k];
            if (e->optional && clashes(claimed, e))
                continue; /* a space another fix already takes care of */
            memset(claimed + e->off, 1, e->len ? e->len : 1);
            list[nl++] = e;
            grow_by += e->rlen;
        }
        applied++;
    }
    free(claimed);
    if (!applied) {
        free(list);
        return 0;
    }
    qsort(list, nl, sizeof *list, by_offset);
    char *o = malloc(p->wlen + grow_by + 1);
    if (!o) {
        free(list);
        *nomem = 1;
        return 0;
    }
    size_t n = 0, from = 0;
    for (size_t i = 0; i < nl; i++) {
        memcpy(o + n, p->w + from, list[i]->off - from);
        n += list[i]->off - from;
        memcpy(o + n, p->repl + list[i]->roff, list[i]->rlen);
        n += list[i]->rlen;
        from = list[i]->off + list[i]->len;
    }
    memcpy(o + n, p->w + from, p->wlen - from);
    n += p->wlen - from;
    o[n] = '\0';
    free(list);
    *out = o;
    *out_len = n;
    return applied;
}

/* ---- the result -------------------------------------------------------- */

struct bl_lint_result {
    bl_lint_finding *left, *fixed;
    size_t nleft, nfixed, cap_fixed;
    char *text; /* the final text (UTF-8, LF) the left findings quote */
    size_t text_len;
    char *output; /* the rewritten file, or NULL */
    size_t output_len;
};

size_t bl_lint_count(const bl_lint_result *r)
{
    return r ? r->nleft : 0;
}

const bl_lint_finding *bl_lint_get(const bl_lint_result *r, size_t i)
{
    return r && i < r->nleft ? &r->left[i] : NULL;
}

size_t bl_lint_fixed_count(const bl_lint_result *r)
{
    return r ? r->nfixed : 0;
}

const bl_lint_finding *bl_lint_fixed_get(const bl_lint_result *r, size_t i)
{
    return r && i < r->nfixed ? &r->fixed[i] : NULL;
}

const char *bl_lint_output(const bl_lint_result *r, size_t *len)
{
    *len = r && r->output ? r->output_len : 0;
    return r ? r->output : NULL;
}

void bl_lint_free(bl_lint_result *r)
{
    if (!r)
        return;
    free(r->left);
    free(r->fixed);
    free(r->text);
    free(r->output);
    free(r);
}

static void to_public(const finding *f, bl_lint_finding *o)
{
    o->rule = f->rule;
    o->line = f->line;
    o->col = f->col;
    o->fixable = rules[f->rule].fixable;
    memcpy(o->message, f->message, sizeof o->message);
    o->src = NULL;
    o->src_len = 0;
}

/* The Han characters of a and b, in order, are the same: --fix may change
 * punctuation, digits and spaces, never the words. */
static int same_han(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t i = 0, j = 0;
    for (;;) {
        uint32_t ca = 0, cb = 0;
        while (i < alen) {
            size_t k = bl_utf8_decode(a + i, alen - i, &ca);
            i += k ? k : 1;
            if (is_han(ca))
                break;
            ca = 0;
        }
        while (j < blen) {
            size_t k = bl_utf8_decode(b + j, blen - j, &cb);
            j += k ? k : 1;
            if (is_han(cb))
                break;
            cb = 0;
        }
        if (ca != cb)
            return 0;
        if (!ca)
            return 1;
    }
}

/* ---- the entry point ----------------------------------------------------- */

enum { MAX_ROUNDS = 8 };

static bl_status nomem_error(bl_error *err, const char *file)
{
    return bl_error_set(err, BL_ERR_NOMEM, file, 0, 0, "out of memory linting the input");
}

bl_status bl_lint_run(const char *bytes, size_t len, const char *file,
                      const bl_lint_opts *opts, bl_lint_result **out, bl_error *err)
{
    *out = NULL;
    if (!file)
        file = "<input>";
    bl_doc *doc = NULL;
    bl_status st = bl_doc_parse(bytes, len, file, NULL, &doc, err);
    if (st != BL_OK)
        return st;
    bl_lint_result *r = calloc(1, sizeof *r);
    size_t wlen = 0;
    const char *src = bl_doc_source(doc, &wlen);
    char *w = malloc(wlen + 1);
    pass p;
    memset(&p, 0, sizeof p);
    p.rules = opts->rules;
    if (!r || !w) {
        free(r);
        free(w);
        bl_doc_free(doc);
        return nomem_error(err, file);
    }
    memcpy(w, src, wlen);
    w[wlen] = '\0';
    char *src0 = opts->fix ? malloc(wlen + 1) : NULL; /* the text before any fix */
    size_t src0_len = wlen;
    if (opts->fix && !src0) {
        free(r);
        free(w);
        bl_doc_free(doc);
        return nomem_error(err, file);
    }
    if (src0)
        memcpy(src0, w, wlen + 1);
    int changed = 0;
    for (int round = 0;; round++) {
        if (!doc && (st = bl_doc_parse(w, wlen, file, NULL, &doc, err)) != BL_OK) {
            /* A fix that breaks the parse is a bug in a rule: write nothing. */
            err->code = BL_ERR_IO;
            snprintf(err->message, sizeof err->message,
                     "internal error: --fix would leave a file that does not parse; nothing "
                     "written");
            st = BL_ERR_IO;
            break;
        }
        pass_reset(&p);
        p.w = w;
        p.wlen = wlen;
        if (!index_lines(&p))
            p.nomem = 1;
        else
            lint_doc(&p, bl_doc_get(doc));
        if (p.nomem) {
            st = nomem_error(err, file);
            break;
        }
        if (p.nf)
            qsort(p.f, p.nf, sizeof *p.f, by_position);
        char *nw = NULL;
        size_t nwlen = 0, applied = 0;
        int nomem = 0;
        if (opts->fix && round < MAX_ROUNDS)
            applied = apply_edits(&p, &nw, &nwlen, &nomem);
        if (nomem) {
            st = nomem_error(err, file);
            break;
        }
        if (!applied) {
            r->left = calloc(p.nf + 1, sizeof *r->left);
            if (!r->left) {
                st = nomem_error(err, file);
                break;
            }
            for (size_t i = 0; i < p.nf; i++) {
                bl_lint_finding *o = &r->left[r->nleft++];
                to_public(&p.f[i], o);
                o->fixable = p.f[i].fixable && p.f[i].ne;
                if (p.f[i].line >= 1 && (size_t)p.f[i].line <= p.nlines) {
                    size_t s = p.lines[p.f[i].line - 1];
                    const char *nl = memchr(w + s, '\n', wlen - s);
                    o->src = w + s;
                    o->src_len = nl ? (size_t)(nl - (w + s)) : wlen - s;
                }
            }
            break;
        }
        for (size_t i = 0; i < p.nf; i++) {
            if (!p.f[i].fixable)
                continue;
            if (!grow((void **)&r->fixed, &r->cap_fixed, r->nfixed + 1, sizeof *r->fixed)) {
                nomem = 1;
                break;
            }
            to_public(&p.f[i], &r->fixed[r->nfixed++]);
        }
        if (nomem) {
            free(nw);
            st = nomem_error(err, file);
            break;
        }
        free(w);
        w = nw;
        wlen = nwlen;
        changed = 1;
        bl_doc_free(doc);
        doc = NULL;
    }
    bl_doc_free(doc);
    pass_free(&p);
    r->text = w;
    r->text_len = wlen;
    if (st == BL_OK && changed && !same_han(src0, src0_len, w, wlen))
        st = bl_error_set(err, BL_ERR_IO, file, 0, 0,
                          "internal error: --fix would change a Han character; nothing written");
    free(src0);
    if (st == BL_OK && changed)
        st = lint_rebuild(bytes, len, w, wlen, file, &r->output, &r->output_len, err);
    if (st != BL_OK) {
        bl_lint_free(r);
        return st;
    }
    *out = r;
    return BL_OK;
}
