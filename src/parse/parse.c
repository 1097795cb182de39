/* parse.c - the issue description (docs/format.md) read into a document
 * tree: header fields, articles with their paragraphs and numbered headings,
 * sections of items, and the 版记 fields. First error wins and stops. */
#include <stdlib.h>
#include <string.h>

#include "../base/arena.h"
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

enum hkey { H_MASTHEAD, H_NAME, H_ISSUE, H_SERIAL, H_ISSUER, H_DATE, H_CLASS, H_LAYOUT, H_COUNT };

static const struct {
    const char *zh, *en;
    int required, repeatable;
} header_keys[H_COUNT] = {
    [H_MASTHEAD] = {"报头", "masthead", 1, 1}, [H_NAME] = {"刊名", "name", 0, 0},
    [H_ISSUE] = {"期号", "issue", 1, 0},       [H_SERIAL] = {"总期号", "serial", 0, 0},
    [H_ISSUER] = {"编印", "issuer", 0, 0},     [H_DATE] = {"日期", "date", 1, 0},
    [H_CLASS] = {"密级", "classification", 0, 0}, [H_LAYOUT] = {"版式", "layout", 0, 0},
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
} parser;

static bl_status nomem(parser *p)
{
    return bl_error_set(p->err, BL_ERR_NOMEM, p->file, 0, 0, "out of memory parsing the input");
}

/* Grows an arena array by one element; NULL when out of memory. */
static void *push(bl_arena *a, void *arrp, size_t *n, size_t *cap, size_t elem)
{
    void **arr = arrp;
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        void *g = bl_arena_grow(a, *arr, *n, nc, elem);
        if (!g)
            return NULL;
        *arr = g;
        *cap = nc;
    }
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

/* Edit distance over code points (small strings only). */
static size_t distance(const char *a, size_t alen, const char *b)
{
    uint32_t x[32], y[32];
    size_t nx = 0, ny = 0, blen = strlen(b);
    for (size_t i = 0; i < alen && nx < 32;) {
        size_t n = bl_utf8_decode(a + i, alen - i, &x[nx]);
        i += n ? n : 1;
        nx++;
    }
    for (size_t i = 0; i < blen && ny < 32;) {
        size_t n = bl_utf8_decode(b + i, blen - i, &y[ny]);
        i += n ? n : 1;
        ny++;
    }
    size_t row[33];
    for (size_t j = 0; j <= ny; j++)
        row[j] = j;
    for (size_t i = 1; i <= nx; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= ny; j++) {
            size_t cur = row[j];
            size_t best = prev + (x[i - 1] != y[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    return row[ny];
}

static const char *suggest_header_key(const char *k, size_t klen)
{
    const char *best = NULL;
    size_t bd = (size_t)-1;
    for (int i = 0; i < H_COUNT; i++) {
        const char *names[2] = {header_keys[i].zh, header_keys[i].en};
        for (int j = 0; j < 2; j++) {
            size_t d = distance(k, klen, names[j]);
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

/* Reads up to 4 digits; returns the count read. */
static size_t digits(const char *s, size_t len, int *v)
{
    size_t i = 0;
    *v = 0;
    while (i < len && i < 5 && s[i] >= '0' && s[i] <= '9')
        *v = *v * 10 + (s[i++] - '0');
    return i;
}

static bl_status parse_date(parser *p, const line *l, const bl_text *t, bl_date *d)
{
    const char *s = t->s;
    size_t len = t->len, i = 0, n;
    int y, m, dd;
    static const char *const seps[][3] = {{"年", "月", "日"}, {"-", "-", ""}, {".", ".", ""},
                                          {"/", "/", ""}};
    int ok = 0;
    for (size_t k = 0; k < 4 && !ok; k++) {
        i = 0;
        if ((n = digits(s, len, &y)) != 4)
            break;
        i += n;
        size_t sl = strlen(seps[k][0]);
        if (len - i < sl || memcmp(s + i, seps[k][0], sl) != 0)
            continue;
        i += sl;
        if ((n = digits(s + i, len - i, &m)) < 1 || n > 2)
            continue;
        i += n;
        sl = strlen(seps[k][1]);
        if (len - i < sl || memcmp(s + i, seps[k][1], sl) != 0)
            continue;
        i += sl;
        if ((n = digits(s + i, len - i, &dd)) < 1 || n > 2)
            continue;
        i += n;
        sl = strlen(seps[k][2]);
        if (len - i < sl || memcmp(s + i, seps[k][2], sl) != 0)
            continue;
        i += sl;
        ok = i == len;
    }
    if (!ok)
        return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, t->pos.col,
                            "cannot read the date '%s': write it as 2023年3月28日, 2023-03-28 "
                            "or 2023.3.28",
                            t->s);
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || dd < 1 ||
        dd > mdays[m - 1] + (m == 2 && leap))
        return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, t->pos.col,
                            "impossible date '%s': there is no %d-%02d-%02d", t->s, y, m, dd);
    d->year = y;
    d->month = m;
    d->day = dd;
    return BL_OK;
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

/* The numbering of a heading (GB/T 9704 7.3.3): its level, or 0. */
static int heading_level(const char *s, size_t len)
{
    static const char *const cn[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
    size_t i = 0, ncn = 0;
    /* 一、 (level 1) and （一） (level 2) */
    int open = 0;
    if (len >= 3 && memcmp(s, "（", 3) == 0)
        open = 3;
    else if (len >= 1 && s[0] == '(')
        open = 1;
    i = (size_t)open;
    for (;;) {
        size_t k = 0;
        for (; k < 10; k++)
            if (len - i >= 3 && memcmp(s + i, cn[k], 3) == 0)
                break;
        if (k == 10)
            break;
        i += 3;
        ncn++;
    }
    if (ncn && ncn <= 3) {
        if (!open && len - i >= 3 && memcmp(s + i, "、", 3) == 0)
            return 1;
        if (open && ((len - i >= 3 && memcmp(s + i, "）", 3) == 0) || (len > i && s[i] == ')')))
            return 2;
        return 0;
    }
    /* 1. 1． 1、 (level 3) and （1） (level 4) */
    size_t nd = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9' && nd < 4)
        i++, nd++;
    if (!nd)
        return 0;
    if (open)
        return ((len - i >= 3 && memcmp(s + i, "）", 3) == 0) || (len > i && s[i] == ')')) ? 4 : 0;
    if (len > i && s[i] == '.')
        return (len > i + 1 && s[i + 1] >= '0' && s[i + 1] <= '9') ? 0 : 3; /* 1.5 is a number */
    if (len - i >= 3 && (memcmp(s + i, "．", 3) == 0 || memcmp(s + i, "、", 3) == 0))
        return 3;
    return 0;
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
        if (cp == 0xFF08 || cp == 0x201C || cp == 0x300A || cp == 0x2018 || cp == '(')
            depth++;
        else if ((cp == 0xFF09 || cp == 0x201D || cp == 0x300B || cp == 0x2019 || cp == ')') &&
                 depth > 0)
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

/* Normalises 印发 "ISSUER   DATE" to "ISSUER DATE" (one space before the date). */
static void normalise_yinfa(bl_footer_field *f)
{
    char *s = (char *)f->value.s;
    size_t len = f->value.len;
    size_t k = len;
    while (k > 0 && s[k - 1] != ' ' && s[k - 1] != '\t')
        k--;
    if (k == 0)
        return;
    size_t j = k;
    while (j > 0 && (s[j - 1] == ' ' || s[j - 1] == '\t'))
        j--;
    memmove(s + j + 1, s + k, len - k + 1);
    s[j] = ' ';
    f->value.len = j + 1 + (len - k);
}

static bl_status footer_finish(parser *p, bl_footer_field *f)
{
    if (!f)
        return BL_OK;
    char *v = bl_arena_strndup(p->a, p->pbuf, p->plen);
    if (!v)
        return nomem(p);
    f->value.s = v;
    f->value.len = p->plen;
    f->value.pos = p->nspans ? p->spans[0].pos : f->label.pos;
    f->value.spans = p->spans;
    f->value.nspans = p->nspans;
    if (f->kind == BL_FOOT_YINFA)
        normalise_yinfa(f);
    p->plen = 0;
    p->spans = NULL;
    p->nspans = p->cap_spans = 0;
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
                art->source = art->note = empty_text;
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
            bl_text *target = NULL;
            if (key_is(k, klen, "来源", "source"))
                target = art ? &art->source : item ? &item->source : NULL;
            else if (key_is(k, klen, "按语", "note") && art)
                target = &art->note;
            else if (key_is(k, klen, "目录名", "toc") && p->cur_section && !item)
                target = &p->cur_section->toc_name;
            if (target) {
                if (!vlen)
                    return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, col_of(l, k),
                                        "'%.*s' without a value", (int)klen, k);
                if ((st = make_text(p, l, val, vlen, target)) != BL_OK)
                    return st;
                continue;
            }
        }
        fields_open = 0;
        if (len >= 2 && s[0] == '\\' && s[1] == '#' && s == l->s) {
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
    return BL_OK;
}

/* ---- the header ---------------------------------------------------------- */

static bl_status parse_header(parser *p, const line *lines, size_t nlines, size_t *body_start)
{
    bl_doc_view *v = &p->doc->view;
    int seen[H_COUNT] = {0};
    size_t i = 0;
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
            if (seen[H_MASTHEAD] + seen[H_ISSUE] + seen[H_DATE] + seen[H_NAME] > 0)
                break; /* the first blank line after fields ends the header */
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
            if (footer_key(k, klen) >= 0 || key_is(k, klen, "来源", "source"))
                return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, col_of(l, k),
                                    "'%.*s' does not belong in the header: leave a blank line "
                                    "after the header fields",
                                    (int)klen, k);
            const char *sug = suggest_header_key(k, klen);
            if (sug)
                return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, col_of(l, k),
                                    "unknown header key '%.*s'; did you mean '%s'?", (int)klen,
                                    k, sug);
            return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, col_of(l, k),
                                "unknown header key '%.*s' (known: 报头 刊名 期号 总期号 编印 "
                                "日期 密级 版式)",
                                (int)klen, k);
        }
        if (seen[h] && !header_keys[h].repeatable)
            return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, col_of(l, k),
                                "%s (%s) is given twice", header_keys[h].zh, header_keys[h].en);
        if (!vlen)
            return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, l->no, col_of(l, k),
                                "%s (%s) has no value", header_keys[h].zh, header_keys[h].en);
        seen[h]++;
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
            if ((st = parse_date(p, l, &t, &v->date)) != BL_OK)
                return st;
            break;
        case H_CLASS: v->classification = t; break;
        case H_LAYOUT: v->layout = t; break;
        }
        i++;
    }
    for (int h = 0; h < H_COUNT; h++)
        if (header_keys[h].required && !seen[h])
            return bl_error_set(p->err, BL_ERR_SYNTAX, p->file, 1, 1,
                                "missing %s (%s): the header needs 报头, 期号 and 日期",
                                header_keys[h].zh, header_keys[h].en);
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
