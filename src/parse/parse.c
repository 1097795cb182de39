/* parse.c - the issue description (docs/format.md) read into a document
 * tree: header fields, articles with their paragraphs and numbered headings,
 * sections of items, and the 版记 fields. First error wins and stops. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/grow.h"
#include "../base/fileio.h"
#include "../base/utf8.h"
#include "parse.h"
#include "parse_priv.h"

struct bl_doc {
    bl_arena *arena;
    char *source; /* decoded input (malloc'd) */
    size_t source_len;
    bl_doc_view view;
};

/* ---- header keys --------------------------------------------------------- */

enum hkey {
    H_MASTHEAD, H_NAME, H_ISSUE, H_SERIAL, H_ISSUER, H_DATE, H_CLASS, H_LAYOUT,
    /* the header of a 公文 (GB/T 9704 7.2) */
    H_NUMBER, H_COPY, H_TERM, H_URGENCY, H_SIGNER, H_COUNT
};

static const struct {
    const char *zh, *en;
    int required, repeatable;
} header_keys[H_COUNT] = {
    [H_MASTHEAD] = {"报头", "masthead", 1, 1}, [H_NAME] = {"刊名", "name", 0, 0},
    [H_ISSUE] = {"期号", "issue", 1, 0},       [H_SERIAL] = {"总期号", "serial", 0, 0},
    [H_ISSUER] = {"编印", "issuer", 0, 0},     [H_DATE] = {"日期", "date", 1, 0},
    [H_CLASS] = {"密级", "classification", 0, 0}, [H_LAYOUT] = {"版式", "layout", 0, 0},
    [H_NUMBER] = {"发文字号", "number", 0, 0},  [H_COPY] = {"份号", "copy", 0, 0},
    [H_TERM] = {"保密期限", "term", 0, 0},      [H_URGENCY] = {"紧急程度", "urgency", 0, 0},
    [H_SIGNER] = {"签发人", "signer", 0, 1},
};

/* The fields at the end of a 公文's body, in the order GB/T 9704 7.3.4-7.3.6
 * prints them: 附件说明, 署名, 成文日期, 附注. */
enum ckey { C_ATTACH, C_SIGN, C_DATE, C_NOTE, C_COUNT };

static const struct {
    const char *zh, *en;
    int repeatable;
} closing_keys[C_COUNT] = {
    [C_ATTACH] = {"附件", "attachment", 1}, [C_SIGN] = {"署名", "signature", 1},
    [C_DATE] = {"成文日期", "signed", 0},  [C_NOTE] = {"附注", "annotation", 0},
};

static const struct {
    const char *zh, *en;
    bl_footer_kind kind;
} footer_keys[] = {
    {"报送", "to", BL_FOOT_BAOSONG},       {"抄送", "cc", BL_FOOT_CHAOSONG},
    {"发送", "distribution", BL_FOOT_FASONG}, {"印发", "printed", BL_FOOT_YINFA},
    {"印数", "copies", BL_FOOT_YINSHU},
};
#define NFOOTER_KEYS (sizeof footer_keys / sizeof footer_keys[0])

/* ---- parser state ------------------------------------------------------- */

typedef struct line {
    const char *s; /* start of the line in the decoded source */
    size_t len;    /* without the newline */
    int no;        /* 1-based */
} line;

typedef struct parser {
    bl_doc *doc;
    bl_arena *a;
    const char *file;
    bl_error *err;
    const bl_warner *warner;
    /* the paragraph being collected */
    char *pbuf;
    size_t plen, pcap;
    bl_srcspan *spans;
    size_t nspans, cap_spans;
    bl_srcpos pstart;
    /* the container receiving paragraphs */
    bl_para **cur_paras;
    size_t *cur_n, cur_cap;
    size_t nparts_items, nparas;
    bl_section *cur_section;
    size_t sec_cap;
    bl_part *parts;
    size_t cap_parts;
    bl_footer_field *footer;
    size_t cap_footer;
    bl_text *mastheads;
    size_t cap_mastheads;
    /* a 公文's repeatable fields, and the last end-of-body field read (-1: none) */
    bl_text *signers, *attachments, *signatures;
    size_t cap_signers, cap_attachments, cap_signatures;
    int closing_stage;
} parser;

static bl_status nomem(parser *p)
{
    return bl_error_set(p->err, BL_ERR_NOMEM, p->file, 0, 0, "out of memory parsing the input");
}

/* Grows an arena array by one element; NULL when out of memory. */
static void *push(bl_arena *a, void *arrp, size_t *n, size_t *cap, size_t elem)
{
    void **arr = arrp;
    void *g = bl_arena_reserve(a, *arr, cap, *n, 1, elem, 8);
    if (!g)
        return NULL;
    *arr = g;
    return (char *)*arr + (*n)++ * elem;
}

static int col_of(const line *l, const char *at)
{
    return (int)bl_utf8_count(l->s, (size_t)(at - l->s)) + 1;
}

static int is_space_cp(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0x3000 || cp == 0xA0;
}

/* Trims spaces (incl. U+3000) from both ends of [*s, *s+*len). */
static void trim(const char **s, size_t *len)
{
    const char *b = *s, *e = *s + *len;
    while (b < e) {
        uint32_t cp;
        size_t n = bl_utf8_decode(b, (size_t)(e - b), &cp);
        if (!n || !is_space_cp(cp))
            break;
        b += n;
    }
    while (e > b) {
        const char *q = e - 1;
        while (q > b && ((unsigned char)*q & 0xC0) == 0x80)
            q--;
        uint32_t cp;
        size_t n = bl_utf8_decode(q, (size_t)(e - q), &cp);
        if (!n || !is_space_cp(cp))
            break;
        e = q;
    }
    *s = b;
    *len = (size_t)(e - b);
}

/* Splits "key：value" / "key:value"; returns 0 when there is no colon. */
static int split_kv(const char *s, size_t len, const char **key, size_t *klen,
                    const char **val, size_t *vlen)
{
    const char *c1 = memchr(s, ':', len);
    const char *c2 = NULL;
    for (size_t i = 0; i + 2 < len; i++)
        if ((unsigned char)s[i] == 0xEF && (unsigned char)s[i + 1] == 0xBC &&
            (unsigned char)s[i + 2] == 0x9A) {
            c2 = s + i;
            break;
        }
    const char *c = c1 && (!c2 || c1 < c2) ? c1 : c2;
    if (!c)
        return 0;
    *key = s;
    *klen = (size_t)(c - s);
    *val = c + (c == c1 ? 1 : 3);
    *vlen = (size_t)(s + len - *val);
    trim(key, klen);
    trim(val, vlen);
    return 1;
}

static int key_is(const char *k, size_t klen, const char *zh, const char *en)
{
    if (strlen(zh) == klen && memcmp(k, zh, klen) == 0)
        return 1;
    if (strlen(en) != klen)
        return 0;
    for (size_t i = 0; i < klen; i++)
        if ((k[i] | 0x20) != en[i])
            return 0;
    return 1;
}


static const char *suggest_header_key(const char *k, size_t klen)
{
    const char *best = NULL;
    size_t bd = (size_t)-1;
    for (int i = 0; i < H_COUNT; i++) {
        const char *names[2] = {header_keys[i].zh, header_keys[i].en};
        for (int j = 0; j < 2; j++) {
            size_t d = (size_t)bl_utf8_distance(k, klen, names[j], strlen(names[j]));
            size_t n = bl_utf8_count(names[j], strlen(names[j]));
            if (d < bd && d <= (n + 1) / 2) {
                bd = d;
                best = names[j];
            }
        }
    }
    return best;
}

/* A bl_text over a trimmed piece of one line, copied into the arena. */
static bl_status make_text(parser *p, const line *l, const char *s, size_t len, bl_text *out)
{
    char *c = bl_arena_strndup(p->a, s, len);
    bl_srcspan *sp = bl_arena_alloc(p->a, sizeof *sp);
    if (!c || !sp)
        return nomem(p);
    sp->offset = 0;
    sp->pos.line = l->no;
    sp->pos.col = col_of(l, s);
    out->s = c;
    out->len = len;
    out->pos = sp->pos;
    out->spans = sp;
    out->nspans = 1;
    return BL_OK;
}

static const bl_text empty_text = {"", 0, {0, 0}, NULL, 0};

/* ---- dates ------------------------------------------------------------- */

/* Reads up to 5 digits; returns the count read. */
static size_t digits(const char *s, size_t len, int *v)
{
    size_t i = 0;
    *v = 0;
    while (i < len && i < 5 && s[i] >= '0' && s[i] <= '9')
        *v = *v * 10 + (s[i++] - '0');
    return i;
}

enum { DATE_OK, DATE_UNREADABLE, DATE_IMPOSSIBLE };

/* Reads a date in one of the accepted forms: 2023年3月28日, 2023-03-28,
 * 2023.3.28, 2023/3/28 (month and day with one or two digits; spaces typed
 * around the digits, as in "2023 年 3 月 28 日", are ignored). Returns
 * DATE_OK and fills *d, or says why not. */
static int read_date(const char *in, size_t inlen, bl_date *d)
{
    char s[64];
    size_t len = 0;
    for (size_t i = 0; i < inlen; i++) {
        if (in[i] == ' ' || in[i] == '\t')
            continue;
        if (len == sizeof s)
            return DATE_UNREADABLE;
        s[len++] = in[i];
    }
    static const char *const seps[][3] = {{"年", "月", "日"}, {"-", "-", ""}, {".", ".", ""},
                                          {"/", "/", ""}};
    int v[3] = {0, 0, 0};
    int ok = 0;
    for (size_t k = 0; k < 4 && !ok; k++) {
        size_t i = 0;
        ok = 1;
        for (int f = 0; f < 3 && ok; f++) {
            size_t n = digits(s + i, len - i, &v[f]);
            size_t sl = strlen(seps[k][f]);
            int width_ok = f == 0 ? n == 4 : n >= 1 && n <= 2; /* year 4, month/day 1-2 */
            if (!width_ok || len - i - n < sl || memcmp(s + i + n, seps[k][f], sl) != 0)
                ok = 0;
            i += n + sl;
        }
        ok = ok && i == len;
    }
    if (!ok)
        return DATE_UNREADABLE;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = v[0], m = v[1], dd = v[2];
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    d->year = y;
    d->month = m;
    d->day = dd;
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || dd < 1 ||
        dd > mdays[m - 1] + (m == 2 && leap))
        return DATE_IMPOSSIBLE;
    return DATE_OK;
}

/* The date error for text t read by read_date (r != DATE_OK). */
static bl_status date_error(parser *p, const bl_text *t, int r, const bl_date *d)
{
    if (r == DATE_IMPOSSIBLE)
        return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, t->pos.line, t->pos.col,
                            "impossible date '%s': there is no %d-%02d-%02d", t->s, d->year,
                            d->month, d->day);
    return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, t->pos.line, t->pos.col,
                        "cannot read the date '%s': write it as 2023年3月28日, 2023-03-28, "
                        "2023.3.28 or 2023/3/28",
                        t->s);
}

static bl_status parse_date(parser *p, const bl_text *t, bl_date *d)
{
    int r = read_date(t->s, t->len, d);
    return r == DATE_OK ? BL_OK : date_error(p, t, r, d);
}

/* ---- paragraphs --------------------------------------------------------- */

static int is_cjk_at_end(const char *s, size_t len)
{
    if (!len)
        return 1;
    const char *q = s + len - 1;
    while (q > s && ((unsigned char)*q & 0xC0) == 0x80)
        q--;
    uint32_t cp;
    bl_utf8_decode(q, (size_t)(s + len - q), &cp);
    return bl_is_cjk(cp) || cp > 0x2000;
}

static int is_cjk_at_start(const char *s, size_t len)
{
    uint32_t cp;
    if (!len || !bl_utf8_decode(s, len, &cp))
        return 1;
    return bl_is_cjk(cp) || cp > 0x2000;
}

/* Appends one trimmed line to the paragraph being collected. */
static bl_status para_add(parser *p, const line *l, const char *s, size_t len)
{
    int need_space = p->plen && !is_cjk_at_end(p->pbuf, p->plen) && !is_cjk_at_start(s, len);
    size_t add = len + (size_t)need_space;
    if (p->plen + add > BL_MAX_PARA_BYTES)
        return bl_error_set(p->err, BL_ERR_LIMIT, p->file, p->pstart.line, p->pstart.col,
                            "paragraph is longer than the limit of %zu bytes",
                            BL_MAX_PARA_BYTES);
    if (p->plen == 0) {
        p->pstart.line = l->no;
        p->pstart.col = col_of(l, s);
    }
    if (p->plen + add + 1 > p->pcap) {
        size_t nc = (p->pcap ? p->pcap : 256);
        while (nc < p->plen + add + 1)
            nc *= 2;
        char *nb = realloc(p->pbuf, nc);
        if (!nb)
            return nomem(p);
        p->pbuf = nb;
        p->pcap = nc;
    }
    if (need_space)
        p->pbuf[p->plen++] = ' ';
    bl_srcspan *sp = push(p->a, &p->spans, &p->nspans, &p->cap_spans, sizeof *sp);
    if (!sp)
        return nomem(p);
    sp->offset = p->plen;
    sp->pos.line = l->no;
    sp->pos.col = col_of(l, s);
    memcpy(p->pbuf + p->plen, s, len);
    p->plen += len;
    return BL_OK;
}

/* The value of a Chinese numeral 一..九十九 at s (一, 十, 十二, 二十, 二十三), or
 * 0; *used is set to its length in bytes. */
static int cn_numeral(const char *s, size_t len, size_t *used)
{
    static const char *const digit[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九"};
    int d[3];
    size_t n = 0, i = 0;
    while (n < 3 && len - i >= 3) {
        int v = 0;
        if (memcmp(s + i, "十", 3) == 0)
            v = 10;
        for (int k = 0; k < 9 && !v; k++)
            if (memcmp(s + i, digit[k], 3) == 0)
                v = k + 1;
        if (!v)
            break;
        d[n++] = v;
        i += 3;
    }
    int value = 0;
    /* Accept only the written forms: D, 十, 十D, D十, D十D (D = 一..九, tens D >= 二). */
    if (n == 1)
        value = d[0];
    else if (n == 2 && d[0] == 10 && d[1] < 10)
        value = 10 + d[1];
    else if (n == 2 && d[0] >= 2 && d[0] < 10 && d[1] == 10)
        value = d[0] * 10;
    else if (n == 3 && d[0] >= 2 && d[0] < 10 && d[1] == 10 && d[2] < 10)
        value = d[0] * 10 + d[2];
    *used = value ? n * 3 : 0;
    return value;
}

/* Matches a closing bracket (full- or half-width) at s; returns its length. */
static size_t close_bracket(const char *s, size_t len)
{
    if (len >= 3 && memcmp(s, "）", 3) == 0)
        return 3;
    return len >= 1 && s[0] == ')' ? 1 : 0;
}

/* The level of a paragraph's heading number, or 0 (GB/T 9704 7.3.3: 一、
 * then （一） then 1. then （1））. Levels 3 and 4 take one or two digits, so
 * "2023、2024年" and "1.5亿" stay body text. */
static int heading_level(const char *s, size_t len)
{
    size_t open = 0, i, n;
    if (len >= 3 && memcmp(s, "（", 3) == 0)
        open = 3;
    else if (len >= 1 && s[0] == '(')
        open = 1;
    i = open;
    if (cn_numeral(s + i, len - i, &n)) {
        i += n;
        if (!open)
            return len - i >= 3 && memcmp(s + i, "、", 3) == 0 ? 1 : 0;
        return close_bracket(s + i, len - i) ? 2 : 0;
    }
    size_t nd = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9' && nd < 3)
        i++, nd++;
    if (nd == 0 || nd > 2 || s[open] == '0')
        return 0;
    if (open)
        return close_bracket(s + i, len - i) ? 4 : 0;
    if (i < len && s[i] == '.')
        return i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '9' ? 0 : 3;
    if (len - i >= 3 && (memcmp(s + i, "．", 3) == 0 || memcmp(s + i, "、", 3) == 0))
        return 3;
    return 0;
}

/* Opening and closing brackets and quotes (GB/T 15834 4.4, 4.1): a 。 inside
 * them does not end a run-in heading. */
static int opens(uint32_t cp)
{
    return cp == 0xFF08 || cp == '(' || cp == 0x201C || cp == 0x2018 || cp == 0x300A ||
           cp == 0x3008 || cp == 0x300C || cp == 0x300E || cp == 0x3010 || cp == 0x3014 ||
           cp == 0xFF3B;
}

static int closes(uint32_t cp)
{
    return cp == 0xFF09 || cp == ')' || cp == 0x201D || cp == 0x2019 || cp == 0x300B ||
           cp == 0x3009 || cp == 0x300D || cp == 0x300F || cp == 0x3011 || cp == 0x3015 ||
           cp == 0xFF3D;
}

/* Bytes of a run-in heading: through the first 。！？ outside brackets and
 * quotes, when text follows; the whole paragraph otherwise. */
static size_t heading_length(const char *s, size_t len)
{
    int depth = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = bl_utf8_decode(s + i, len - i, &cp);
        if (!n)
            n = 1;
        if (opens(cp))
            depth++;
        else if (closes(cp) && depth > 0)
            depth--;
        else if (depth == 0 && (cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F))
            return i + n;
        i += n;
    }
    return len;
}

static bl_status para_end(parser *p)
{
    if (p->plen == 0)
        return BL_OK;
    if (!p->cur_paras)
        return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, p->pstart.line, p->pstart.col,
                            "text before the first article: start an article with '# title' "
                            "or a section with '## name'");
    if (++p->nparas > BL_MAX_PARAS)
        return bl_error_set(p->err, BL_ERR_LIMIT, p->file, p->pstart.line, p->pstart.col,
                            "more than %d paragraphs", BL_MAX_PARAS);
    bl_para *para = push(p->a, p->cur_paras, p->cur_n, &p->cur_cap, sizeof *para);
    char *text = para ? bl_arena_strndup(p->a, p->pbuf, p->plen) : NULL;
    if (!text)
        return nomem(p);
    para->text.s = text;
    para->text.len = p->plen;
    para->text.pos = p->pstart;
    para->text.spans = p->spans;
    para->text.nspans = p->nspans;
    int level = heading_level(text, p->plen);
    if (level) {
        para->kind = BL_PARA_HEADING;
        para->level = level;
        para->heading_len = heading_length(text, p->plen);
    }
    p->plen = 0;
    p->spans = NULL;
    p->nspans = p->cap_spans = 0;
    return BL_OK;
}

/* ---- the body ------------------------------------------------------------ */

static bl_status count_part(parser *p, const line *l)
{
    if (++p->nparts_items > BL_MAX_PARTS)
        return bl_error_set(p->err, BL_ERR_LIMIT, p->file, l->no, 1,
                            "more than %d articles and items", BL_MAX_PARTS);
    return BL_OK;
}

/* "# title", "## name", "### title": the title text after the marks. */
static bl_status title_of(parser *p, const line *l, size_t marks, bl_text *out)
{
    const char *s = l->s + marks;
    size_t len = l->len - marks;
    trim(&s, &len);
    if (!len)
        return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, 1,
                            "'%.*s' without a title", (int)marks, l->s);
    if (len > BL_MAX_TITLE_BYTES)
        return bl_error_set(p->err, BL_ERR_LIMIT, p->file, l->no, col_of(l, s),
                            "title is longer than the limit of %zu bytes", BL_MAX_TITLE_BYTES);
    return make_text(p, l, s, len, out);
}

static int footer_key(const char *k, size_t klen)
{
    for (size_t i = 0; i < NFOOTER_KEYS; i++)
        if (key_is(k, klen, footer_keys[i].zh, footer_keys[i].en))
            return (int)i;
    return -1;
}

static int indented(const line *l)
{
    uint32_t cp;
    return l->len && bl_utf8_decode(l->s, l->len, &cp) && is_space_cp(cp);
}

/* Replaces f's value with its first n (> 0) bytes followed by tail, keeping
 * the spans that start inside those n bytes and giving tail the position
 * tail_pos (where the tail was read from). */
static bl_status replace_tail(parser *p, bl_footer_field *f, size_t n, const char *tail,
                              bl_srcpos tail_pos)
{
    size_t tlen = strlen(tail);
    char *s = bl_arena_alloc(p->a, n + tlen + 1);
    bl_srcspan *sp = bl_arena_calloc(p->a, f->value.nspans + 1, sizeof *sp);
    if (!s || !sp)
        return nomem(p);
    memcpy(s, f->value.s, n);
    memcpy(s + n, tail, tlen + 1);
    size_t ns = 0; /* n > 0, and spans[0].offset is 0: at least one is kept */
    for (size_t i = 0; i < f->value.nspans && f->value.spans[i].offset < n; i++)
        sp[ns++] = f->value.spans[i];
    sp[ns].offset = n + (tail[0] == ' '); /* a separating space is not from the input */
    sp[ns++].pos = tail_pos;
    f->value.s = s;
    f->value.len = n + tlen;
    f->value.spans = sp;
    f->value.nspans = ns;
    return BL_OK;
}

/* 印发 (GB/T 9704 7.4.3): the printing office and the date it was printed.
 * The value is rewritten to "OFFICE Y年M月D日" (one space before the date,
 * which layout splits at): the date is read at the end of the value in any
 * form the header accepts, with or without a space before it; when none is
 * written, the header's 日期 is used. */
static bl_status finish_yinfa(parser *p, bl_footer_field *f)
{
    const char *s = f->value.s;
    size_t len = f->value.len, at = len;
    bl_date d = p->doc->view.date;
    int r = DATE_UNREADABLE;
    /* The leftmost run of digits from which the rest of the value is a date. */
    for (size_t i = 0; i < len && r == DATE_UNREADABLE; i++) {
        if (s[i] < '0' || s[i] > '9' || (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9'))
            continue;
        r = read_date(s + i, len - i, &d);
        at = i;
    }
    if (r == DATE_UNREADABLE) {
        /* No date. A value ending in a digit or 日 meant one: do not guess. */
        if (len && ((s[len - 1] >= '0' && s[len - 1] <= '9') ||
                    (len >= 3 && memcmp(s + len - 3, "日", 3) == 0)))
            return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, f->value.pos.line,
                                f->value.pos.col,
                                "cannot read the date at the end of 印发 '%s': write it as "
                                "2023年3月28日, 2023-03-28, 2023.3.28 or 2023/3/28",
                                s);
        at = len;
        d = p->doc->view.date;
    } else if (r == DATE_IMPOSSIBLE) {
        bl_srcpos pos = bl_text_pos(&f->value, at);
        return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, pos.line, pos.col,
                            "impossible date '%s' in 印发: there is no %d-%02d-%02d", s + at,
                            d.year, d.month, d.day);
    }
    const char *office = s;
    size_t olen = at;
    trim(&office, &olen);
    if (olen == 0)
        return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, f->value.pos.line,
                            f->value.pos.col,
                            "印发 needs the printing office before the date, e.g. "
                            "'印发：XX办公室 2023年3月28日'");
    char tail[64];
    snprintf(tail, sizeof tail, " %d年%d月%d日", d.year, d.month, d.day);
    bl_srcpos tail_pos = at < len ? bl_text_pos(&f->value, at) : p->doc->view.date_text.pos;
    return replace_tail(p, f, olen, tail, tail_pos);
}

/* 印数: "共印60份" as written; a bare count ("60" or "60份") gets the words. */
static bl_status finish_yinshu(parser *p, bl_footer_field *f)
{
    const char *s = f->value.s;
    size_t len = f->value.len, nd = 0;
    while (nd < len && s[nd] >= '0' && s[nd] <= '9')
        nd++;
    if (nd == 0 || nd > 9 || !(nd == len || (len - nd == 3 && memcmp(s + nd, "份", 3) == 0)))
        return BL_OK;
    char buf[32];
    snprintf(buf, sizeof buf, "共印%.*s份", (int)nd, s);
    char *c = bl_arena_strdup(p->a, buf);
    if (!c)
        return nomem(p);
    f->value.s = c;
    f->value.len = strlen(c);
    return BL_OK;
}

static bl_status footer_finish(parser *p, bl_footer_field *f)
{
    if (!f)
        return BL_OK;
    if (p->plen == 0)
        return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, f->label.pos.line,
                            f->label.pos.col, "%s has no value", f->label.s);
    char *v = bl_arena_strndup(p->a, p->pbuf, p->plen);
    if (!v)
        return nomem(p);
    f->value.s = v;
    f->value.len = p->plen;
    f->value.pos = p->spans[0].pos;
    f->value.spans = p->spans;
    f->value.nspans = p->nspans;
    p->plen = 0;
    p->spans = NULL;
    p->nspans = p->cap_spans = 0;
    if (f->kind == BL_FOOT_YINFA)
        return finish_yinfa(p, f);
    if (f->kind == BL_FOOT_YINSHU)
        return finish_yinshu(p, f);
    return BL_OK;
}

/* Warns about an article or item without text and a section without items:
 * legal (an editor may be drafting) but probably not meant for print. */
static void warn_empty(parser *p)
{
    const bl_doc_view *v = &p->doc->view;
    for (size_t i = 0; i < v->nparts; i++) {
        if (v->parts[i].kind == BL_PART_ARTICLE) {
            const bl_article *a = v->parts[i].article;
            if (!a->nparas)
                bl_warn(p->warner, BL_ERR_SYNTAX, p->file, a->title.pos.line, a->title.pos.col,
                        "article '%s' has no text", a->title.s);
            continue;
        }
        const bl_section *sec = v->parts[i].section;
        if (!sec->nitems)
            bl_warn(p->warner, BL_ERR_SYNTAX, p->file, sec->name.pos.line, sec->name.pos.col,
                    "section '%s' has no items ('### title')", sec->name.s);
        for (size_t j = 0; j < sec->nitems; j++)
            if (!sec->items[j].nparas)
                bl_warn(p->warner, BL_ERR_SYNTAX, p->file, sec->items[j].title.pos.line,
                        sec->items[j].title.pos.col, "item '%s' has no text",
                        sec->items[j].title.s);
    }
}

/* ---- the fields of a 公文 (GB/T 9704-2012) ------------------------------ */

static int closing_key(const char *k, size_t klen)
{
    for (int i = 0; i < C_COUNT; i++)
        if (key_is(k, klen, closing_keys[i].zh, closing_keys[i].en))
            return i;
    return -1;
}

/* The last character of t->s (its byte offset in *off), or 0. */
static uint32_t last_char(const bl_text *t, size_t *off)
{
    if (!t->len)
        return 0;
    size_t q = t->len - 1;
    while (q > 0 && ((unsigned char)t->s[q] & 0xC0) == 0x80)
        q--;
    uint32_t cp = 0;
    bl_utf8_decode(t->s + q, t->len - q, &cp);
    *off = q;
    return cp;
}

/* Marks that may not end a 主送 list or an attachment's name. */
static int is_end_punct(uint32_t cp)
{
    return cp == 0x3002 || cp == 0xFF0C || cp == 0xFF1B || cp == 0x3001 || cp == 0xFF1A ||
           cp == 0xFF0E || cp == '.' || cp == ',' || cp == ';' || cp == ':';
}

/* 主送 (GB/T 9704 7.3.2): the list of bodies; its final full-width colon is
 * printed by the layout, so a typed one is dropped and another mark refused. */
static bl_status finish_recipients(parser *p, bl_text *t)
{
    size_t off = 0;
    uint32_t cp = last_char(t, &off);
    if (cp == 0xFF1A || cp == ':') {
        t->len = off;
        ((char *)t->s)[off] = '\0';
        const char *b = t->s;
        size_t n = t->len;
        trim(&b, &n);
        t->len = n;
        ((char *)t->s)[n] = '\0';
        if (!n)
            return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, t->pos.line, t->pos.col,
                                "'主送' without a value");
        cp = last_char(t, &off);
    }
    if (is_end_punct(cp)) {
        bl_srcpos at = bl_text_pos(t, off);
        return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, at.line, at.col,
                            "主送 ends with '%.*s': the last body named is followed by a "
                            "full-width colon (GB/T 9704 7.3.2), which is printed for you",
                            (int)(t->len - off), t->s + off);
    }
    return BL_OK;
}

/* 附件 (GB/T 9704 7.3.4): a typed order number ("1." "2．" "3、") must be the
 * attachment's place and is dropped (the layout numbers several); the name
 * ends without punctuation. */
static bl_status finish_attachment(parser *p, bl_text *t, size_t index)
{
    size_t nd = 0;
    while (nd < t->len && nd < 3 && t->s[nd] >= '0' && t->s[nd] <= '9')
        nd++;
    size_t mark = nd < t->len && t->s[nd] == '.' ? 1
                  : nd + 3 <= t->len && (memcmp(t->s + nd, "．", 3) == 0 ||
                                         memcmp(t->s + nd, "、", 3) == 0)
                      ? 3
                      : 0;
    /* "1.2023年方案" is numbered; "2023.5方案" (a number that is not its
     * place, a digit after the point) is a name. */
    int n = nd && mark ? atoi(t->s) : 0;
    int digit_after = nd + mark < t->len && t->s[nd + mark] >= '0' && t->s[nd + mark] <= '9';
    if (nd && mark && (n == (int)index + 1 || !digit_after)) {
        if (n != (int)index + 1)
            return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, t->pos.line, t->pos.col,
                                "附件 number %d out of order: this is attachment %zu", n,
                                index + 1);
        size_t cut = nd + mark;
        const char *b = t->s + cut;
        size_t n2 = t->len - cut;
        trim(&b, &n2);
        if (!n2)
            return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, t->pos.line, t->pos.col,
                                "附件 %d has no name", n);
        bl_srcpos pos = bl_text_pos(t, (size_t)(b - t->s));
        bl_srcspan *sp = bl_arena_alloc(p->a, sizeof *sp);
        if (!sp)
            return nomem(p);
        sp->offset = 0;
        sp->pos = pos;
        t->s = b;
        t->len = n2;
        t->pos = pos;
        t->spans = sp;
        t->nspans = 1;
    }
    size_t off = 0;
    uint32_t cp = last_char(t, &off);
    if (is_end_punct(cp)) {
        bl_srcpos at = bl_text_pos(t, off);
        return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, at.line, at.col,
                            "附件 name ends with '%.*s': no punctuation follows an "
                            "attachment's name (GB/T 9704 7.3.4)",
                            (int)(t->len - off), t->s + off);
    }
    return BL_OK;
}

/* One end-of-body field (附件, 署名, 成文日期, 附注) on line l. */
static bl_status closing_field(parser *p, const line *l, int ck, const char *k, size_t klen,
                               const char *val, size_t vlen)
{
    bl_doc_view *v = &p->doc->view;
    if (!v->nparts)
        return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, col_of(l, k),
                            "'%.*s' belongs at the end of the text, after the articles",
                            (int)klen, k);
    if (p->closing_stage > ck)
        return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, col_of(l, k),
                            "'%.*s' comes before '%s': the end of a 公文 reads 附件, 署名, "
                            "成文日期, 附注 (GB/T 9704 7.3.4-7.3.6)",
                            (int)klen, k, closing_keys[p->closing_stage].zh);
    int twice = ck == C_DATE ? v->sign_date_text.len > 0
                : ck == C_NOTE ? v->annotation.len > 0
                               : 0;
    if (twice)
        return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, col_of(l, k),
                            "'%.*s' is given twice", (int)klen, k);
    if (!vlen)
        return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, col_of(l, k),
                            "'%.*s' without a value", (int)klen, k);
    p->closing_stage = ck;
    bl_text t;
    bl_status st = make_text(p, l, val, vlen, &t);
    if (st != BL_OK)
        return st;
    bl_text *slot;
    switch (ck) {
    case C_ATTACH:
        if ((st = finish_attachment(p, &t, v->nattachments)) != BL_OK)
            return st;
        if (!(slot = push(p->a, &p->attachments, &v->nattachments, &p->cap_attachments,
                          sizeof *slot)))
            return nomem(p);
        *slot = t;
        v->attachments = p->attachments;
        break;
    case C_SIGN:
        if (!(slot = push(p->a, &p->signatures, &v->nsignatures, &p->cap_signatures,
                          sizeof *slot)))
            return nomem(p);
        *slot = t;
        v->signatures = p->signatures;
        break;
    case C_DATE:
        v->sign_date_text = t;
        return parse_date(p, &t, &v->sign_date);
    default:
        v->annotation = t;
        break;
    }
    return BL_OK;
}

static bl_status parse_body(parser *p, const line *lines, size_t nlines, size_t first)
{
    bl_doc_view *v = &p->doc->view;
    bl_article *art = NULL;
    bl_item *item = NULL;
    int fields_open = 0;   /* right after a title: 来源/按语/目录名 lines */
    bl_footer_field *foot = NULL;
    int foot_open = 0;     /* foot's value is still being read */
    int closing = 0;       /* the end-of-body fields (附件, 署名, ...) have begun */
    bl_status st;
    for (size_t i = first; i < nlines; i++) {
        const line *l = &lines[i];
        const char *s = l->s;
        size_t len = l->len;
        trim(&s, &len);
        if (len && s[0] == '%' && s == l->s)
            continue; /* comment */
        if (!len) {
            /* A blank line ends a paragraph, or the 版记 field being read. */
            if ((st = foot_open ? footer_finish(p, foot) : para_end(p)) != BL_OK)
                return st;
            foot_open = 0;
            fields_open = 0;
            continue;
        }
        const char *k, *val;
        size_t klen, vlen;
        int kv = split_kv(s, len, &k, &klen, &val, &vlen);
        int fk = kv && !indented(l) ? footer_key(k, klen) : -1;
        int ck = kv && s == l->s ? closing_key(k, klen) : -1;
        if (ck >= 0 && foot)
            return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, col_of(l, k),
                                "'%.*s' goes before the 版记 (footer) fields", (int)klen, k);
        if (ck >= 0) {
            if ((st = para_end(p)) != BL_OK ||
                (st = closing_field(p, l, ck, k, klen, val, vlen)) != BL_OK)
                return st;
            closing = 1;
            fields_open = 0;
            p->cur_paras = NULL;
            continue;
        }
        if (closing && fk < 0 && !foot)
            return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, col_of(l, s),
                                "text after the end of the body (附件, 署名, 成文日期, 附注): "
                                "only those fields and the 版记 (footer) fields may follow");
        if (kv && s == l->s && !fields_open && key_is(k, klen, "主送", "recipients"))
            return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, col_of(l, k),
                                "'主送' goes directly under the title ('# title'), before the "
                                "text (GB/T 9704 7.3.2)");
        if (foot && fk < 0) {
            if (indented(l) && foot_open) { /* continuation of the field */
                if ((st = para_add(p, l, s, len)) != BL_OK)
                    return st;
                continue;
            }
            return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, col_of(l, s),
                                "text after the 版记 (footer) fields: only 报送, 抄送, 发送, "
                                "印发 and 印数 may follow them (indent a continuation line)");
        }
        if (fk >= 0) {
            if ((st = foot_open ? footer_finish(p, foot) : para_end(p)) != BL_OK)
                return st;
            for (size_t f = 0; f < v->nfooter; f++)
                if (v->footer[f].kind == footer_keys[fk].kind)
                    return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, col_of(l, k),
                                        "%s is given twice", footer_keys[fk].zh);
            foot = push(p->a, &v->footer, &v->nfooter, &p->cap_footer, sizeof *foot);
            if (!foot)
                return nomem(p);
            foot->kind = footer_keys[fk].kind;
            if ((st = make_text(p, l, k, klen, &foot->label)) != BL_OK)
                return st;
            /* The printed label is the Chinese key, whichever alias was typed. */
            foot->label.s = footer_keys[fk].zh;
            foot->label.len = strlen(footer_keys[fk].zh);
            if (vlen && (st = para_add(p, l, val, vlen)) != BL_OK)
                return st;
            foot_open = 1;
            p->cur_paras = NULL;
            continue;
        }
        if (s == l->s && s[0] == '#') {
            size_t marks = 0;
            while (marks < len && s[marks] == '#')
                marks++;
            if (marks > 3)
                return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, 1,
                                    "'%.*s': use # for an article, ## for a section, ### for "
                                    "an item (write \\# for a literal #)",
                                    (int)marks, s);
            if ((st = para_end(p)) != BL_OK || (st = count_part(p, l)) != BL_OK)
                return st;
            bl_text title;
            if ((st = title_of(p, l, marks, &title)) != BL_OK)
                return st;
            fields_open = 1;
            if (marks == 3) {
                if (!p->cur_section)
                    return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, 1,
                                        "'### %s' outside a section: items belong to a "
                                        "section started with '## name'",
                                        title.s);
                bl_section *sec = p->cur_section;
                item = push(p->a, &sec->items, &sec->nitems, &p->sec_cap, sizeof *item);
                if (!item)
                    return nomem(p);
                item->title = title;
                item->source = empty_text;
                p->cur_paras = (bl_para **)&item->paras;
                p->cur_n = &item->nparas;
                p->cur_cap = 0;
                art = NULL;
                continue;
            }
            bl_part *part = push(p->a, &p->parts, &v->nparts, &p->cap_parts, sizeof *part);
            if (!part)
                return nomem(p);
            v->parts = p->parts;
            item = NULL;
            if (marks == 1) {
                art = bl_arena_alloc(p->a, sizeof *art);
                if (!art)
                    return nomem(p);
                art->title = title;
                art->source = art->note = art->recipients = empty_text;
                part->kind = BL_PART_ARTICLE;
                part->article = art;
                p->cur_paras = (bl_para **)&art->paras;
                p->cur_n = &art->nparas;
                p->cur_cap = 0;
                p->cur_section = NULL;
            } else {
                bl_section *sec = bl_arena_alloc(p->a, sizeof *sec);
                if (!sec)
                    return nomem(p);
                sec->name = title;
                sec->toc_name = empty_text;
                part->kind = BL_PART_SECTION;
                part->section = sec;
                p->cur_section = sec;
                p->sec_cap = 0;
                p->cur_paras = NULL;
                art = NULL;
            }
            continue;
        }
        if (fields_open && kv && p->plen == 0) {
            /* The fields under a title: 来源 (article, item), 按语 (article),
             * 目录名 (section). */
            int which = key_is(k, klen, "来源", "source")  ? 1
                        : key_is(k, klen, "按语", "note")  ? 2
                        : key_is(k, klen, "目录名", "toc") ? 3
                        : key_is(k, klen, "主送", "recipients") ? 4
                                                           : 0;
            if (which) {
                bl_text *target = which == 1   ? (art ? &art->source : item ? &item->source : NULL)
                                  : which == 2 || which == 4
                                      ? (art ? which == 2 ? &art->note : &art->recipients : NULL)
                                               : (!art && !item ? &p->cur_section->toc_name : NULL);
                static const char *const belongs[] = {
                    "", "an article ('# title') or an item ('### title')",
                    "an article ('# title')", "a section ('## name')", "an article ('# title')"};
                if (!target)
                    return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, col_of(l, k),
                                        "'%.*s' belongs under %s", (int)klen, k, belongs[which]);
                if (target->len)
                    return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, col_of(l, k),
                                        "'%.*s' is given twice", (int)klen, k);
                if (!vlen)
                    return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, col_of(l, k),
                                        "'%.*s' without a value", (int)klen, k);
                if ((st = make_text(p, l, val, vlen, target)) != BL_OK)
                    return st;
                if (which == 4 && (st = finish_recipients(p, target)) != BL_OK)
                    return st;
                continue;
            }
        }
        fields_open = 0;
        if (len >= 2 && s[0] == '\\' && (s[1] == '#' || s[1] == '%') && s == l->s) {
            s++;
            len--;
        }
        if (!p->cur_paras) {
            int col = col_of(l, s);
            return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, col,
                                p->cur_section ? "text in a section before its first item: "
                                                 "start an item with '### title'"
                                               : "text before the first article: start an "
                                                 "article with '# title' or a section with "
                                                 "'## name'");
        }
        if ((st = para_add(p, l, s, len)) != BL_OK)
            return st;
    }
    if ((st = foot_open ? footer_finish(p, foot) : para_end(p)) != BL_OK)
        return st;
    if (v->nparts == 0)
        return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, nlines ? lines[nlines - 1].no : 1, 1,
                            "no articles: an issue needs at least one '# title' or '## section'");
    warn_empty(p);
    return BL_OK;
}

/* ---- the header ---------------------------------------------------------- */

static bl_status field_error(parser *p, const bl_text *t, size_t off, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* An error at byte off of field value t. */
static bl_status field_error(parser *p, const bl_text *t, size_t off, const char *fmt, ...)
{
    char msg[BL_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    bl_srcpos at = bl_text_pos(t, off);
    return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, at.line, at.col, "%s", msg);
}

static int is_digit_at(const bl_text *t, size_t i)
{
    return i < t->len && t->s[i] >= '0' && t->s[i] <= '9';
}

/* 发文字号 (GB/T 9704 7.2.5): the year in full in 六角括号 〔〕, then the
 * number without 第 or leading zeros, then 号: 国办发〔2023〕5号. */
static bl_status check_doc_number(parser *p, const bl_text *t)
{
    static const char *const wrong[] = {"[", "［", "【", "（", "(", "〈", "{", "｛", "〖"};
    const char *s = t->s;
    const char *open = strstr(s, "〔");
    if (!open) {
        size_t at = 0;
        for (size_t i = 0; i < t->len && !at; i++)
            for (size_t w = 0; w < sizeof wrong / sizeof wrong[0]; w++)
                if (strncmp(s + i, wrong[w], strlen(wrong[w])) == 0 && i + strlen(wrong[w]) < t->len &&
                    is_digit_at(t, i + strlen(wrong[w]))) {
                    at = i + 1;
                    break;
                }
        return field_error(p, t, at ? at - 1 : 0,
                           "发文字号 '%s': put the year in 六角括号 〔〕, e.g. 国办发〔2023〕5号 "
                           "(GB/T 9704 7.2.5)",
                           s);
    }
    size_t i = (size_t)(open - s) + 3, y0 = i;
    while (is_digit_at(t, i))
        i++;
    if (i - y0 != 4)
        return field_error(p, t, y0, "发文字号 '%s': write the year in full, 〔2023〕 (GB/T 9704 7.2.5)", s);
    if (strncmp(s + i, "〕", 3) != 0)
        return field_error(p, t, i, "发文字号 '%s': close the year with 〕, e.g. 〔2023〕 (GB/T 9704 7.2.5)", s);
    i += 3;
    if (strncmp(s + i, "第", 3) == 0)
        return field_error(p, t, i, "发文字号 '%s': no 第 before the number: 〔2023〕5号 (GB/T 9704 7.2.5)", s);
    if (!is_digit_at(t, i))
        return field_error(p, t, i, "发文字号 '%s': the year is followed by the number and 号: 〔2023〕5号 "
                           "(GB/T 9704 7.2.5)", s);
    if (s[i] == '0')
        return field_error(p, t, i, "发文字号 '%s': no leading zeros in the number: 5号, not 05号 "
                           "(GB/T 9704 7.2.5)", s);
    while (is_digit_at(t, i))
        i++;
    if (strcmp(s + i, "号") != 0)
        return field_error(p, t, i, "发文字号 '%s': end it with 号 after the number: 〔2023〕5号 "
                           "(GB/T 9704 7.2.5)", s);
    return BL_OK;
}

/* 份号 (GB/T 9704 7.2.1): up to six Arabic digits, printed as six (000001). */
static bl_status check_copy_number(parser *p, bl_text *t)
{
    size_t i = 0;
    while (is_digit_at(t, i))
        i++;
    if (i < t->len || i > 6)
        return field_error(p, t, i < t->len ? i : 0,
                           "份号 '%s': the copy number is at most 6 Arabic digits, e.g. 000001 "
                           "(GB/T 9704 7.2.1)",
                           t->s);
    if (strspn(t->s, "0") == t->len)
        return field_error(p, t, 0, "份号 '%s': copies are numbered from 1 (000001)", t->s);
    char buf[8];
    snprintf(buf, sizeof buf, "%06d", atoi(t->s));
    char *c = bl_arena_strdup(p->a, buf);
    if (!c)
        return nomem(p);
    t->s = c;
    t->len = 6;
    return BL_OK;
}

/* 保密期限 (GB/T 9704 7.2.2): its number in Arabic digits (1年, 6个月, 长期). */
static bl_status check_term(parser *p, const bl_text *t)
{
    static const char *const cn = "一二三四五六七八九十两";
    for (size_t i = 0; i + 3 <= t->len; i++)
        for (size_t k = 0; cn[k]; k += 3)
            if (memcmp(t->s + i, cn + k, 3) == 0)
                return field_error(p, t, i,
                                   "保密期限 '%s': write its number in Arabic digits, e.g. 1年 "
                                   "(GB/T 9704 7.2.2)",
                                   t->s);
    return BL_OK;
}

/* The 公文 fields of the header: their forms, and which kind of document
 * they belong to (a 公文 has 发文字号, a bulletin 期号). */
static bl_status check_gongwen_header(parser *p, const int *seen, const bl_srcpos *keypos)
{
    bl_doc_view *v = &p->doc->view;
    bl_status st;
    if (seen[H_NUMBER] && seen[H_ISSUE]) {
        int later = keypos[H_NUMBER].line > keypos[H_ISSUE].line ? H_NUMBER : H_ISSUE;
        return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, keypos[later].line, keypos[later].col,
                            "a header has 期号 (a bulletin) or 发文字号 (a 公文), not both");
    }
    static const int gongwen_only[] = {H_COPY, H_URGENCY, H_SIGNER};
    static const int bulletin_only[] = {H_SERIAL, H_ISSUER};
    for (size_t i = 0; i < 3 && !seen[H_NUMBER]; i++) {
        int h = gongwen_only[i];
        if (seen[h])
            return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, keypos[h].line, keypos[h].col,
                                "%s (%s) belongs to a 公文, whose header has 发文字号 (number) "
                                "instead of 期号",
                                header_keys[h].zh, header_keys[h].en);
    }
    for (size_t i = 0; i < 2 && seen[H_NUMBER]; i++) {
        int h = bulletin_only[i];
        if (seen[h])
            return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, keypos[h].line, keypos[h].col,
                                "%s (%s) belongs to a bulletin: a 公文 has no %s (its printing "
                                "office goes in 印发, GB/T 9704 7.4.3)",
                                header_keys[h].zh, header_keys[h].en,
                                h == H_SERIAL ? "running number" : "issuer line");
    }
    if (seen[H_NUMBER] && (st = check_doc_number(p, &v->doc_number)) != BL_OK)
        return st;
    if (seen[H_COPY] && (st = check_copy_number(p, &v->copy_number)) != BL_OK)
        return st;
    if (seen[H_URGENCY]) {
        static const char *const ok[] = {"特急", "加急", "特提", "平急"};
        int found = 0;
        for (size_t i = 0; i < 4; i++)
            found |= strcmp(v->urgency.s, ok[i]) == 0;
        if (!found)
            return field_error(p, &v->urgency, 0,
                               "紧急程度 '%s': write 特急 or 加急 (a telegram: 特提, 特急, 加急 or "
                               "平急), GB/T 9704 7.2.3",
                               v->urgency.s);
    }
    /* 密级 with its 保密期限: "秘密★1年", or 密级 and 保密期限 on their own lines. */
    const bl_text *cls = &v->classification;
    const char *star = seen[H_CLASS] ? strstr(cls->s, "★") : NULL;
    if (seen[H_TERM] && !seen[H_CLASS])
        return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, keypos[H_TERM].line,
                            keypos[H_TERM].col, "保密期限 (term) without a 密级 (classification)");
    if (star && seen[H_TERM])
        return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, keypos[H_TERM].line,
                            keypos[H_TERM].col,
                            "保密期限 (term) is given twice: 密级 has one after ★");
    if (star || seen[H_TERM]) {
        size_t lvl = star ? (size_t)(star - cls->s) : cls->len;
        const char *b = cls->s;
        size_t n = lvl;
        trim(&b, &n);
        if (!((n == 6 && (memcmp(b, "绝密", 6) == 0 || memcmp(b, "机密", 6) == 0 ||
                          memcmp(b, "秘密", 6) == 0))))
            return field_error(p, cls, 0,
                               "密级 '%.*s': a 保密期限 goes with 绝密, 机密 or 秘密 (GB/T 9704 "
                               "7.2.2)",
                               (int)lvl, cls->s);
        if (star) {
            const char *ts = star + 3;
            size_t tn = cls->len - (size_t)(ts - cls->s);
            trim(&ts, &tn);
            if (!tn)
                return field_error(p, cls, (size_t)(star - cls->s),
                                   "密级 '%s': the 保密期限 after ★ is missing, e.g. 秘密★1年",
                                   cls->s);
            bl_text term = *cls;
            term.s = bl_arena_strndup(p->a, ts, tn);
            if (!term.s)
                return nomem(p);
            term.len = tn;
            term.pos = bl_text_pos(cls, (size_t)(ts - cls->s));
            term.nspans = 0;
            if ((st = check_term(p, &term)) != BL_OK)
                return st;
            v->secrecy_term = term;
        } else {
            if ((st = check_term(p, &v->secrecy_term)) != BL_OK)
                return st;
            /* The printed line joins them: 秘密★1年. */
            char *joined = bl_arena_alloc(p->a, n + 3 + v->secrecy_term.len + 1);
            if (!joined)
                return nomem(p);
            memcpy(joined, b, n);
            memcpy(joined + n, "★", 3);
            memcpy(joined + n + 3, v->secrecy_term.s, v->secrecy_term.len + 1);
            v->classification.s = joined;
            v->classification.len = n + 3 + v->secrecy_term.len;
        }
    }
    return BL_OK;
}

static bl_status parse_header(parser *p, const line *lines, size_t nlines, size_t *body_start)
{
    bl_doc_view *v = &p->doc->view;
    int seen[H_COUNT] = {0};
    size_t i = 0, nfields = 0;
    /* Absent fields read as "" (parse.h). */
    v->serial = v->issuer = v->classification = v->layout = empty_text;
    v->doc_number = v->copy_number = v->secrecy_term = v->urgency = empty_text;
    v->sign_date_text = v->annotation = empty_text;
    bl_srcpos keypos[H_COUNT];
    memset(keypos, 0, sizeof keypos);
    bl_status st;
    while (i < nlines) {
        const line *l = &lines[i];
        const char *s = l->s;
        size_t len = l->len;
        trim(&s, &len);
        if (len && s[0] == '%' && s == l->s) {
            i++;
            continue;
        }
        if (!len) {
            i++;
            if (nfields > 0)
                break; /* the first blank line after a field ends the header */
            continue;
        }
        if (s[0] == '#' && s == l->s)
            break;
        const char *k, *val;
        size_t klen, vlen;
        if (!split_kv(s, len, &k, &klen, &val, &vlen))
            return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, col_of(l, s),
                                "expected a header field 'key：value' (or a blank line "
                                "before the first article)");
        int h = 0;
        for (; h < H_COUNT; h++)
            if (key_is(k, klen, header_keys[h].zh, header_keys[h].en))
                break;
        if (h == H_COUNT) {
            const char *sug = suggest_header_key(k, klen);
            /* A 版记 or article field typed at the top: say where it belongs. */
            const char *where = footer_key(k, klen) >= 0
                                    ? " (a 版记 field: it goes at the end, after the articles)"
                                : key_is(k, klen, "来源", "source") || key_is(k, klen, "按语", "note") ||
                                        key_is(k, klen, "主送", "recipients")
                                    ? " (an article field: it goes under the '# title' line)"
                                : closing_key(k, klen) >= 0
                                    ? " (the end of a 公文: it goes after the text)"
                                    : "";
            if (sug)
                return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, col_of(l, k),
                                    "unknown header key '%.*s'; did you mean '%s'?%s",
                                    (int)klen, k, sug, where);
            if (*where)
                return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, col_of(l, k),
                                    "unknown header key '%.*s'%s", (int)klen, k, where);
            return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, col_of(l, k),
                                "unknown header key '%.*s' (known: 报头 刊名 期号 总期号 编印 "
                                "日期 密级 版式 发文字号 份号 保密期限 紧急程度 签发人)",
                                (int)klen, k);
        }
        if (seen[h] && !header_keys[h].repeatable)
            return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, col_of(l, k),
                                "%s (%s) is given twice", header_keys[h].zh, header_keys[h].en);
        if (!vlen)
            return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, col_of(l, k),
                                "%s (%s) has no value", header_keys[h].zh, header_keys[h].en);
        if (!seen[h]) {
            keypos[h].line = l->no;
            keypos[h].col = col_of(l, k);
        }
        seen[h]++;
        nfields++;
        if (h == H_MASTHEAD && seen[h] > BL_MAX_MASTHEADS)
            return bl_error_set(p->err, BL_ERR_LIMIT, p->file, l->no, col_of(l, k),
                                "more than %d 报头 (masthead) lines", BL_MAX_MASTHEADS);
        bl_text t;
        if ((st = make_text(p, l, val, vlen, &t)) != BL_OK)
            return st;
        switch (h) {
        case H_MASTHEAD: {
            bl_text *m = push(p->a, &p->mastheads, &v->nmastheads, &p->cap_mastheads, sizeof *m);
            if (!m)
                return nomem(p);
            *m = t;
            v->mastheads = p->mastheads;
            break;
        }
        case H_NAME: v->name = t; break;
        case H_ISSUE: v->issue = t; break;
        case H_SERIAL: v->serial = t; break;
        case H_ISSUER: v->issuer = t; break;
        case H_DATE:
            v->date_text = t;
            if ((st = parse_date(p, &t, &v->date)) != BL_OK)
                return st;
            break;
        case H_CLASS: v->classification = t; break;
        case H_LAYOUT: v->layout = t; break;
        case H_NUMBER: v->doc_number = t; break;
        case H_COPY: v->copy_number = t; break;
        case H_TERM: v->secrecy_term = t; break;
        case H_URGENCY: v->urgency = t; break;
        case H_SIGNER: {
            bl_text *m = push(p->a, &p->signers, &v->nsigners, &p->cap_signers, sizeof *m);
            if (!m)
                return nomem(p);
            *m = t;
            v->signers = p->signers;
            break;
        }
        }
        i++;
    }
    if ((st = check_gongwen_header(p, seen, keypos)) != BL_OK)
        return st;
    for (int h = 0; h < H_COUNT; h++)
        if (header_keys[h].required && !seen[h] && !(h == H_ISSUE && seen[H_NUMBER]))
            return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, 1, 1,
                                "missing %s (%s): the header needs 报头, 期号 and 日期",
                                header_keys[h].zh, header_keys[h].en);
    v->sign_date = v->date;
    if (!seen[H_NAME]) {
        v->name = empty_text;
        v->name.s = "简报";
        v->name.len = strlen("简报");
    }
    *body_start = i;
    return BL_OK;
}

/* ---- entry points ------------------------------------------------------- */

bl_srcpos bl_text_pos(const bl_text *t, size_t off)
{
    bl_srcpos none = {0, 0};
    if (!t || !t->nspans)
        return t ? t->pos : none;
    size_t lo = 0, hi = t->nspans;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (t->spans[mid].offset <= off)
            lo = mid;
        else
            hi = mid;
    }
    const bl_srcspan *sp = &t->spans[lo];
    bl_srcpos pos = sp->pos;
    if (off > sp->offset && off <= t->len)
        pos.col += (int)bl_utf8_count(t->s + sp->offset, off - sp->offset);
    return pos;
}

bl_status bl_doc_parse(const char *bytes, size_t len, const char *file,
                       const bl_warner *warner, bl_doc **out, bl_error *err)
{
    *out = NULL;
    if (!file)
        file = "<input>";
    if (len > BL_MAX_INPUT_BYTES)
        return bl_error_set(err, BL_ERR_LIMIT, file, 0, 0,
                            "input is %zu bytes; the limit is %zu bytes", len, BL_MAX_INPUT_BYTES);
    bl_doc *doc = calloc(1, sizeof *doc);
    if (!doc || !(doc->arena = bl_arena_new())) {
        free(doc);
        return bl_error_set(err, BL_ERR_NOMEM, file, 0, 0, "out of memory parsing the input");
    }
    parser p;
    memset(&p, 0, sizeof p);
    p.doc = doc;
    p.a = doc->arena;
    p.err = err;
    p.warner = warner;
    p.closing_stage = -1;
    p.file = doc->view.file = bl_arena_strdup(doc->arena, file);
    bl_status st;
    int gb = 0;
    line *lines = NULL;
    if (!p.file) {
        st = nomem(&p);
        goto fail;
    }
    st = bl_decode_input(bytes, len, file, &doc->source, &doc->source_len, &gb, err);
    if (st != BL_OK)
        goto fail;
    if (gb)
        bl_warn(warner, BL_ERR_SYNTAX, file, 0, 0,
                "the file is not UTF-8; read it as GB18030 (save it as UTF-8 to silence this)");
    /* Split into lines. */
    size_t nlines = 1, nonblank = 0;
    for (size_t i = 0; i < doc->source_len; i++)
        nlines += doc->source[i] == '\n';
    lines = calloc(nlines, sizeof *lines);
    if (!lines) {
        st = nomem(&p);
        goto fail;
    }
    size_t n = 0;
    for (const char *s = doc->source, *end = s + doc->source_len; s <= end && n < nlines; n++) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        if (!nl)
            nl = end;
        lines[n].s = s;
        lines[n].len = (size_t)(nl - s);
        lines[n].no = (int)n + 1;
        if (lines[n].len > BL_MAX_LINE_BYTES) {
            st = bl_error_set(err, BL_ERR_LIMIT, file, (int)n + 1, 1,
                              "line is longer than the limit of %zu bytes", BL_MAX_LINE_BYTES);
            goto fail;
        }
        const char *ts = lines[n].s;
        size_t tl = lines[n].len;
        trim(&ts, &tl);
        nonblank += tl > 0;
        s = nl + 1;
    }
    if (nonblank == 0) {
        st = bl_error_set(err, BL_ERR_SYNTAX, file, 1, 1, "empty input: the file has no text");
        goto fail;
    }
    size_t body = 0;
    if ((st = parse_header(&p, lines, n, &body)) != BL_OK ||
        (st = parse_body(&p, lines, n, body)) != BL_OK)
        goto fail;
    free(lines);
    free(p.pbuf);
    *out = doc;
    return BL_OK;
fail:
    free(lines);
    free(p.pbuf);
    bl_doc_free(doc);
    return st;
}

size_t bl_doc_input_limit(void)
{
    return BL_MAX_INPUT_BYTES;
}

bl_status bl_doc_parse_file(const char *path, const bl_warner *warner, bl_doc **out,
                            bl_error *err)
{
    char *data;
    size_t len;
    *out = NULL;
    bl_status st = bl_read_file(path, BL_MAX_INPUT_BYTES, &data, &len, err);
    if (st != BL_OK)
        return st;
    st = bl_doc_parse(data, len, path, warner, out, err);
    free(data);
    return st;
}

void bl_doc_free(bl_doc *doc)
{
    if (!doc)
        return;
    free(doc->source);
    bl_arena_free(doc->arena);
    free(doc);
}

const bl_doc_view *bl_doc_get(const bl_doc *doc)
{
    return &doc->view;
}

const char *bl_doc_source(const bl_doc *doc, size_t *len)
{
    if (len)
        *len = doc->source_len;
    return doc->source;
}
