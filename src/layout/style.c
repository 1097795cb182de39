/* style.c - reading layout files (layouts/NAME.layout, docs/layouts.md) into a
 * bl_style: a line-oriented `key = value` format in [sections], typed by the
 * schema table BL_STYLE_FIELDS of style.h, with base layouts and precise
 * line:column errors. Numbers are parsed by hand so LC_NUMERIC never matters. */
#define _POSIX_C_SOURCE 200809L
#include "style.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/arena.h"
#include "../base/fileio.h"
#include "../base/grow.h"
#include "../base/utf8.h"

/* ---- the schema as data ------------------------------------------------ */

/* Every section, in the order docs/layouts.md and the shipped files use. */
#define SECTION_LIST(X) \
    X(page) X(fonts) X(masthead) X(toc) X(title) X(body) X(section) X(footer) X(folio) \
    X(document) X(closing)
#define SECTION_ENUM(name) SEC_##name,
enum { SECTION_LIST(SECTION_ENUM) NSECTIONS, FONTS_SECTION = SEC_fonts };
#undef SECTION_ENUM
#define SECTION_NAME(name) #name,
static const char *const sections[] = {SECTION_LIST(SECTION_NAME)};
#undef SECTION_NAME

typedef struct field_def {
    int sec; /* the section's index: compared for every key of a layout */
    const char *section;
    const char *key;
    bl_style_type type;
    size_t off;        /* offset of the member in bl_style */
    const char *vocab; /* "a|b|c" for STRING with a fixed vocabulary, else NULL */
} field_def;

#define FIELD_ROW(sec, key, type, field, vocab) \
    {SEC_##sec, #sec, #key, BL_ST_##type, offsetof(bl_style, field), vocab},
static const field_def fields[] = {BL_STYLE_FIELDS(FIELD_ROW)};
#undef FIELD_ROW

enum { NFIELDS = sizeof fields / sizeof fields[0] };

/* BL_STYLE_FIELDS lists the 公文 group first. */
#define GW_ROW(sec, key, type, field, vocab) +1
enum { NFIELDS_GONGWEN = 0 BL_STYLE_GONGWEN_FIELDS(GW_ROW) };
#undef GW_ROW

/* Role names: the canonical Chinese key and the English alias. */
static const char *const role_zh[BL_ROLE_COUNT] = {"标题", "正文", "黑体", "楷体", "页码"};
static const char *const role_en[BL_ROLE_COUNT] = {"title", "body", "hei", "kai", "folio"};

/* Chinese type sizes (号数) in points, as printers and Word use them; 初号 to
 * 六号 are the sizes of docs/layouts.md, 小六..八号 complete the series. */
static const struct {
    const char *name;
    float pt;
} hao_sizes[] = {
    {"初号", 42}, {"小初", 36}, {"一号", 26}, {"小一", 24}, {"二号", 22},
    {"小二", 18}, {"三号", 16}, {"小三", 15}, {"四号", 14}, {"小四", 12},
    {"五号", 10.5f}, {"小五", 9}, {"六号", 7.5f}, {"小六", 6.5f}, {"七号", 5.5f},
    {"八号", 5},
};

/* Placeholders a format string may use (what the layout engine fills in). */
static const struct {
    const char *section, *key, *allowed;
} formats[] = {
    {"masthead", "issue-format", "{issue} {serial}"},
    {"body", "source-format", "{source}"},
    {"section", "item-source-format", "{source}"},
    {"folio", "format", "{n}"},
    {"closing", "attachment-number", "{n}"},
    {"closing", "note-format", "{text}"},
};

/* Fields of the optional 公文 group ([document], [closing]; style.h). */
static int in_gongwen_group(int i)
{
    return i < NFIELDS_GONGWEN;
}

/* Limits (docs/layouts.md "Ranges"). */
#define MAX_LEN_PT 14400.0   /* 200 in: the largest page a PDF may have */
#define MAX_SIZE_PT 500.0
#define MAX_EM 100.0
#define MAX_LINES 200.0
#define MAX_NUMBER 1e9       /* any figure past this is a typo; keeps floats finite */
enum { MAX_BASE_DEPTH = 16, MAX_LAYOUT_BYTES = 1 << 20, TOKEN_SHOW = 60 };
/* Font patterns per role: a fallback list, not a font catalogue; each one
 * may cost a fontconfig match. */
enum { MAX_ROLE_PATTERNS = 32 };
/* Characters per body line: below this the 2 字 indent and the 版记's
 * labels no longer fit a line. */
enum { MIN_GRID_CHARS = 10 };

/* ---- per-load state ---------------------------------------------------- */

/* The chain of files being loaded, innermost last: detects base cycles. */
typedef struct load_chain {
    const char *paths[MAX_BASE_DEPTH];
    int depth;
} load_chain;

typedef union value {
    float f;
    int i;
    bl_color color;
    const char *s;
} value;

/* The state of one file being read. */
typedef struct lx {
    bl_arena *arena;
    bl_error *err;
    const char *layouts_dir;
    load_chain *chain;
    const char *path; /* for error records */
    const char *ls;   /* start of the current line */
    const char *le;   /* end of its content (before CR LF) */
    const char *p;    /* cursor */
    int line;
    bl_style *st;
    /* have: set by the base or this file; set_line: line in this file, or 0 */
    unsigned char have[NFIELDS + BL_ROLE_COUNT];
    int set_line[NFIELDS + BL_ROLE_COUNT];
} lx;

static bl_status load_file(const char *path, const char *name, const char *layouts_dir,
                           load_chain *chain, bl_arena *arena, bl_style **out, bl_error *err);

/* The 1-based column (in characters) of position q on the current line. */
static int col_of(const lx *x, const char *q)
{
    return 1 + (int)bl_utf8_count(x->ls, (size_t)(q - x->ls));
}

static bl_status fail_at(lx *x, const char *q, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Records a syntax error at position q of the current line. */
static bl_status fail_at(lx *x, const char *q, const char *fmt, ...)
{
    char msg[BL_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return bl_error_set(x->err, BL_ERR_SYNTAX, x->path, x->line, col_of(x, q), "%s", msg);
}

static bl_status nomem(lx *x)
{
    return bl_error_set(x->err, BL_ERR_NOMEM, x->path, x->line, 0, "out of memory");
}

/* ---- lexing ------------------------------------------------------------ */

/* Bytes of whitespace at q (space, tab, U+3000 IDEOGRAPHIC SPACE), or 0. */
static size_t ws_len(const char *q, const char *end)
{
    if (q < end && (*q == ' ' || *q == '\t'))
        return 1;
    if (end - q >= 3 && memcmp(q, "\xE3\x80\x80", 3) == 0)
        return 3;
    return 0;
}

static void skip_ws(lx *x)
{
    size_t n;
    while ((n = ws_len(x->p, x->le)) > 0)
        x->p += n;
}

/* True at the end of the line's content or at a comment. */
static int at_end(const lx *x)
{
    return x->p >= x->le || *x->p == '#';
}

/* A word ends at whitespace, a comment, or punctuation of the format. */
static int is_word_byte(const char *q, const char *end)
{
    if (q >= end || ws_len(q, end))
        return 0;
    return strchr("#,()\"=[]", *q) == NULL;
}

static const char *word_end(const char *q, const char *end)
{
    while (is_word_byte(q, end))
        q++;
    return q;
}

/* A printable excerpt of [q, e) for messages: at most TOKEN_SHOW bytes, cut
 * at a character boundary. */
static const char *show(char *buf, size_t cap, const char *q, const char *e)
{
    size_t n = (size_t)(e - q);
    if (n > TOKEN_SHOW) {
        n = TOKEN_SHOW;
        while (n > 0 && ((unsigned char)q[n] & 0xC0) == 0x80)
            n--;
    }
    if (n >= cap)
        n = cap - 1;
    memcpy(buf, q, n);
    buf[n] = '\0';
    return buf;
}

/* The rest of the value on this line (up to a comment), for messages. */
static const char *show_rest(char *buf, size_t cap, const char *q, const lx *x)
{
    const char *e = q;
    while (e < x->le && *e != '#')
        e++;
    while (e > q && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    return show(buf, cap, q, e);
}

/* Parses an unsigned-or-negative decimal "12", "-0.5", ".5" at x->p without
 * strtod (locale-proof). Returns 1 and advances on success, 0 if there is no
 * number here (x->p unchanged). */
static int lex_number(lx *x, double *out)
{
    const char *q = x->p;
    int neg = 0;
    if (q < x->le && *q == '-') {
        neg = 1;
        q++;
    }
    double v = 0;
    int digits = 0;
    while (q < x->le && *q >= '0' && *q <= '9') {
        if (v < MAX_NUMBER * 10)
            v = v * 10 + (*q - '0');
        q++;
        digits++;
    }
    if (q < x->le && *q == '.' && q + 1 < x->le && q[1] >= '0' && q[1] <= '9') {
        double scale = 1;
        q++;
        while (q < x->le && *q >= '0' && *q <= '9') {
            if (scale < 1e12) {
                scale *= 10;
                v += (*q - '0') / scale;
            }
            q++;
            digits++;
        }
    }
    if (digits == 0)
        return 0;
    x->p = q;
    *out = neg ? -v : v;
    return 1;
}

/* After a number at v0: "3,5" is a decimal comma, which this format never
 * reads as a separator outside colour functions; say so rather than
 * complaining about a unit. */
static bl_status no_decimal_comma(lx *x, const char *v0)
{
    const char *q = x->p;
    if (q + 1 < x->le && *q == ',' && q[1] >= '0' && q[1] <= '9') {
        const char *e = q + 1;
        while (e < x->le && *e >= '0' && *e <= '9')
            e++;
        char b[80], d[80];
        show(b, sizeof b, v0, e);
        show(d, sizeof d, v0, e);
        /* show() may have shortened a long number: mend only what it kept
         * (a fuzzer found the write past the buffer). */
        if ((size_t)(q - v0) < strlen(d))
            d[q - v0] = '.';
        return fail_at(x, q, "decimal comma in '%s': write a decimal point (%s)", b, d);
    }
    return BL_OK;
}

/* Checks that only whitespace and a comment follow the value. */
static bl_status expect_end(lx *x)
{
    skip_ws(x);
    if (at_end(x))
        return BL_OK;
    char b[80];
    return fail_at(x, x->p, "unexpected text after the value: '%s'",
                   show_rest(b, sizeof b, x->p, x));
}

/* Parses a double-quoted string with \" and \\ escapes into the arena. */
static bl_status lex_string(lx *x, const char **out)
{
    const char *start = x->p;
    const char *q = x->p + 1;
    /* Find the closing quote first: the buffer is sized by the string, not
     * by the rest of the line (a line of 16,000 strings was quadratic). */
    for (;;) {
        if (q >= x->le)
            return fail_at(x, start, "unterminated string (missing the closing '\"')");
        if (*q == '"')
            break;
        if (*q == '\\') {
            if (q + 1 < x->le && (q[1] == '"' || q[1] == '\\')) {
                q += 2;
                continue;
            }
            char b[8];
            size_t el = 1;
            if (q + 1 < x->le) {
                uint32_t cp;
                el += bl_utf8_decode(q + 1, (size_t)(x->le - q - 1), &cp);
            }
            return fail_at(x, q, "unknown escape '%s' in a string (only \\\" and \\\\ are allowed)",
                           show(b, sizeof b, q, q + el));
        }
        q++;
    }
    const char *close = q;
    char *buf = bl_arena_alloc(x->arena, (size_t)(close - start));
    if (!buf)
        return nomem(x);
    size_t n = 0;
    for (q = start + 1; q < close; q++) {
        if (*q == '\\')
            q++; /* an escape checked above: the next byte is literal */
        buf[n++] = *q;
    }
    buf[n] = '\0';
    x->p = close + 1;
    *out = buf;
    return BL_OK;
}

/* ---- values ------------------------------------------------------------ */

/* A length unit at q..e, as points per unit; 0 if unknown. */
static double unit_pt(const char *q, const char *e)
{
    size_t n = (size_t)(e - q);
    if (n == 2 && memcmp(q, "mm", 2) == 0)
        return 72.0 / 25.4;
    if (n == 2 && memcmp(q, "cm", 2) == 0)
        return 720.0 / 25.4;
    if (n == 2 && memcmp(q, "pt", 2) == 0)
        return 1.0;
    if (n == 2 && memcmp(q, "in", 2) == 0)
        return 72.0;
    return 0;
}

/* Reads the suffix after a number (the unit or 字), allowing a space before it. */
static void lex_suffix(lx *x, const char **s, const char **e)
{
    skip_ws(x);
    *s = x->p;
    x->p = word_end(x->p, x->le);
    *e = x->p;
}

/* The value as written (from `from` to the cursor), for messages. */
static const char *written(char *buf, size_t cap, const char *from, const lx *x)
{
    return show(buf, cap, from, x->p);
}

static bl_status parse_len(lx *x, double *pt)
{
    bl_status st;
    const char *v0 = x->p;
    char b[80], u[80];
    double num;
    if (!lex_number(x, &num))
        return fail_at(x, v0, "expected a length such as 37mm, got '%s'",
                       show_rest(b, sizeof b, v0, x));
    if ((st = no_decimal_comma(x, v0)) != BL_OK)
        return st;
    const char *us, *ue;
    lex_suffix(x, &us, &ue);
    if (us == ue)
        return fail_at(x, v0, "length '%s' needs a unit (mm, cm, pt or in)",
                       written(b, sizeof b, v0, x));
    double k = unit_pt(us, ue);
    if (k == 0)
        return fail_at(x, us, "unknown unit '%s' in '%s' (use mm, cm, pt or in)",
                       show(u, sizeof u, us, ue), written(b, sizeof b, v0, x));
    if (num < 0)
        return fail_at(x, v0, "'%s' is out of range: a length cannot be negative",
                       written(b, sizeof b, v0, x));
    if (num * k > MAX_LEN_PT)
        return fail_at(x, v0, "'%s' is out of range: lengths are at most 5080mm (14400pt)",
                       written(b, sizeof b, v0, x));
    *pt = num * k;
    return BL_OK;
}

static bl_status parse_size(lx *x, double *pt)
{
    bl_status st;
    const char *v0 = x->p;
    char b[80], u[80];
    double num, k;
    if (lex_number(x, &num)) {
        if ((st = no_decimal_comma(x, v0)) != BL_OK)
            return st;
        const char *us, *ue;
        lex_suffix(x, &us, &ue);
        if (us == ue)
            return fail_at(x, v0, "size '%s' needs a unit (pt) or a 号 name such as 三号",
                           written(b, sizeof b, v0, x));
        if ((k = unit_pt(us, ue)) == 0)
            return fail_at(x, us, "unknown unit '%s' in '%s' (use pt, or a 号 name such as 三号)",
                           show(u, sizeof u, us, ue), written(b, sizeof b, v0, x));
        num *= k;
    } else {
        const char *e = word_end(x->p, x->le);
        if (e == x->p)
            return fail_at(x, v0, "expected a type size such as 16pt or 三号, got '%s'",
                           show_rest(b, sizeof b, v0, x));
        show(u, sizeof u, x->p, e);
        num = bl_size_by_name(u);
        if (num == 0)
            return fail_at(x, v0, "unknown type size '%s' (use pt, or 初号 小初 一号 小一 二号 "
                                  "小二 三号 小三 四号 小四 五号 小五 六号 小六 七号 八号)", u);
        x->p = e;
    }
    if (num <= 0 || num > MAX_SIZE_PT)
        return fail_at(x, v0,
                       "'%s' is out of range: a type size must be more than 0pt and at most 500pt",
                       written(b, sizeof b, v0, x));
    *pt = num;
    return BL_OK;
}

/* EM and LINES: a number with an optional unit word (字 / 行). */
static bl_status parse_count(lx *x, bl_style_type t, double *out)
{
    bl_status st;
    const char *v0 = x->p;
    char b[80], u[80];
    const int em = t == BL_ST_EM;
    double num;
    if (!lex_number(x, &num))
        return fail_at(x, v0, em ? "expected a number of 字 (ems) such as 2 or 2字, got '%s'"
                                 : "expected a number of lines such as 1 or 0.5, got '%s'",
                       show_rest(b, sizeof b, v0, x));
    if ((st = no_decimal_comma(x, v0)) != BL_OK)
        return st;
    const char *us, *ue;
    lex_suffix(x, &us, &ue);
    const char *unit = em ? "字" : "行";
    if (us != ue && ((size_t)(ue - us) != strlen(unit) || memcmp(us, unit, strlen(unit)) != 0))
        return fail_at(x, us, "unknown unit '%s' in '%s' (a bare number, or %s)",
                       show(u, sizeof u, us, ue), written(b, sizeof b, v0, x), unit);
    double max = em ? MAX_EM : MAX_LINES;
    if (num < 0 || num > max)
        return fail_at(x, v0, "'%s' is out of range: must be between 0 and %d %s",
                       written(b, sizeof b, v0, x), (int)max, em ? "字" : "lines");
    *out = num;
    return BL_OK;
}

static bl_status parse_int(lx *x, int *out)
{
    bl_status st;
    const char *v0 = x->p;
    char b[80];
    double num;
    int ok = lex_number(x, &num);
    if (ok && (st = no_decimal_comma(x, v0)) != BL_OK)
        return st;
    if (!ok || is_word_byte(x->p, x->le) || num != (double)(long long)num) {
        x->p = v0;
        return fail_at(x, v0, "expected a whole number, got '%s'", show_rest(b, sizeof b, v0, x));
    }
    /* The only INT settings are the grid (GB/T 9704 5.2.3: 22 × 28). */
    if (num < 1 || num > MAX_LINES)
        return fail_at(x, v0, "'%s' is out of range: must be between 1 and 200",
                       written(b, sizeof b, v0, x));
    *out = (int)num;
    return BL_OK;
}

/* Case-insensitive (ASCII) comparison of [q, e) with a word. */
static int word_is(const char *q, const char *e, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(e - q) != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = q[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != w[i])
            return 0;
    }
    return 1;
}

static bl_status parse_bool(lx *x, int *out)
{
    static const char *const yes[] = {"yes", "true", "on", "是"};
    static const char *const no[] = {"no", "false", "off", "否"};
    const char *e = word_end(x->p, x->le);
    for (int i = 0; i < 4; i++) {
        if (word_is(x->p, e, yes[i]) || word_is(x->p, e, no[i])) {
            *out = word_is(x->p, e, yes[i]);
            x->p = e;
            return BL_OK;
        }
    }
    char b[80];
    return fail_at(x, x->p, "expected yes or no (or true/false, on/off, 是/否), got '%s'",
                   show_rest(b, sizeof b, x->p, x));
}

static bl_status parse_color(lx *x, bl_color *out)
{
    static const struct {
        const char *fn;
        bl_colorspace space;
        int n;
        double max;
    } kinds[] = {{"cmyk", BL_CMYK, 4, 100}, {"gray", BL_GRAY, 1, 100}, {"grey", BL_GRAY, 1, 100},
                 {"rgb", BL_RGB, 3, 255}};
    const char *v0 = x->p;
    char b[80];
    const char *e = word_end(x->p, x->le);
    int k = -1;
    for (int i = 0; i < 4; i++)
        if (word_is(x->p, e, kinds[i].fn))
            k = i;
    if (k < 0)
        return fail_at(x, v0,
                       "expected a colour: cmyk(C, M, Y, K), gray(G) or rgb(R, G, B), got '%s'",
                       show_rest(b, sizeof b, v0, x));
    x->p = e;
    skip_ws(x);
    if (x->p >= x->le || *x->p != '(')
        return fail_at(x, x->p, "expected '(' after '%s'", kinds[k].fn);
    x->p++;
    double v[4] = {0, 0, 0, 0};
    int n = 0;
    for (;;) {
        skip_ws(x);
        const char *n0 = x->p;
        double num;
        if (!lex_number(x, &num))
            return fail_at(x, n0, "expected a number in %s(), got '%s'", kinds[k].fn,
                           show_rest(b, sizeof b, n0, x));
        if (kinds[k].max == 100 && x->p < x->le && *x->p == '%')
            x->p++;
        if (num < 0 || num > kinds[k].max)
            return fail_at(x, n0, "%s value %s is out of range: must be between 0 and %d",
                           kinds[k].fn, written(b, sizeof b, n0, x), (int)kinds[k].max);
        if (n < 4)
            v[n] = num;
        n++;
        skip_ws(x);
        if (x->p < x->le && *x->p == ',') {
            x->p++;
            continue;
        }
        if (x->p < x->le && *x->p == ')') {
            x->p++;
            break;
        }
        return fail_at(x, x->p, "expected ',' or ')' in %s()", kinds[k].fn);
    }
    if (n != kinds[k].n)
        return fail_at(x, v0, "%s() takes %d value%s, got %d", kinds[k].fn, kinds[k].n,
                       kinds[k].n == 1 ? "" : "s", n);
    bl_color c = {kinds[k].space, {0, 0, 0, 0}};
    if (c.space == BL_GRAY)
        c.v[0] = (float)(1.0 - v[0] / 100.0); /* percent black -> DeviceGray level */
    else
        for (int i = 0; i < n; i++)
            c.v[i] = (float)(v[i] / kinds[k].max);
    *out = c;
    return BL_OK;
}

/* A role name (Chinese or English alias) at [q, e); -1 if none. */
static int role_lookup(const char *q, const char *e)
{
    for (int r = 0; r < BL_ROLE_COUNT; r++)
        if (word_is(q, e, role_zh[r]) || word_is(q, e, role_en[r]))
            return r;
    return -1;
}

static bl_status parse_role(lx *x, int *out)
{
    const char *v0 = x->p, *q, *e;
    const char *s = NULL;
    bl_status st;
    if (*x->p == '"') {
        if ((st = lex_string(x, &s)) != BL_OK)
            return st;
        q = s;
        e = s + strlen(s);
    } else {
        q = x->p;
        e = word_end(x->p, x->le);
        x->p = e;
    }
    int r = role_lookup(q, e);
    if (r < 0) {
        char b[80];
        x->p = v0;
        return fail_at(x, v0, "unknown font role '%s' (use 标题, 正文, 黑体, 楷体, 页码 or title, "
                              "body, hei, kai, folio)",
                       s ? show(b, sizeof b, q, e) : show_rest(b, sizeof b, v0, x));
    }
    *out = r;
    return BL_OK;
}

/* Checks the {placeholders} of a format string against the allowed list. */
static bl_status check_format(lx *x, const char *v0, const char *s, const char *allowed)
{
    for (const char *q = strchr(s, '{'); q; q = strchr(q + 1, '{')) {
        const char *close = strchr(q, '}');
        char b[80];
        size_t n = close ? (size_t)(close - q + 1) : 0;
        int ok = 0;
        for (const char *a = allowed; n && *a;) {
            const char *sp = strchr(a, ' ');
            size_t al = sp ? (size_t)(sp - a) : strlen(a);
            if (al == n && memcmp(a, q, n) == 0)
                ok = 1;
            a += al + (sp != NULL);
        }
        if (!ok)
            return fail_at(x, v0, "unknown placeholder '%s' (this format may use %s)",
                           close ? show(b, sizeof b, q, close + 1) : show(b, sizeof b, q, q + 1),
                           allowed);
    }
    return BL_OK;
}

static bl_status parse_string(lx *x, const field_def *f, const char **out)
{
    const char *v0 = x->p;
    char b[80];
    bl_status st;
    if (*x->p == '"') {
        if ((st = lex_string(x, out)) != BL_OK)
            return st;
    } else if (f->vocab) {
        const char *e = word_end(x->p, x->le);
        char *w = bl_arena_strndup(x->arena, x->p, (size_t)(e - x->p));
        if (!w)
            return nomem(x);
        *out = w;
        x->p = e;
    } else {
        return fail_at(x, v0, "expected a quoted string (\"...\"), got '%s'",
                       show_rest(b, sizeof b, v0, x));
    }
    if (f->vocab) {
        size_t n = strlen(*out);
        for (const char *a = f->vocab; *a;) {
            const char *bar = strchr(a, '|');
            size_t al = bar ? (size_t)(bar - a) : strlen(a);
            if (al == n && memcmp(a, *out, n) == 0)
                return BL_OK;
            a += al + (bar != NULL);
        }
        char words[160];
        size_t wl = 0;
        for (const char *a = f->vocab; *a && wl + 3 < sizeof words; a++) {
            if (*a == '|') {
                words[wl++] = ',';
                words[wl++] = ' ';
            } else {
                words[wl++] = *a;
            }
        }
        words[wl] = '\0';
        return fail_at(x, v0, "expected one of %s; got '%s'", words,
                       show(b, sizeof b, *out, *out + n));
    }
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(formats[i].section, f->section) == 0 && strcmp(formats[i].key, f->key) == 0)
            return check_format(x, v0, *out, formats[i].allowed);
    return BL_OK;
}

/* Parses the value of field f at x->p (non-empty) up to the end of the line. */
static bl_status parse_value(lx *x, const field_def *f, value *v)
{
    double d = 0;
    bl_status st;
    switch (f->type) {
    case BL_ST_LEN:
        st = parse_len(x, &d);
        v->f = (float)d;
        break;
    case BL_ST_SIZE:
        st = parse_size(x, &d);
        v->f = (float)d;
        break;
    case BL_ST_EM:
    case BL_ST_LINES:
        st = parse_count(x, f->type, &d);
        v->f = (float)d;
        break;
    case BL_ST_INT: st = parse_int(x, &v->i); break;
    case BL_ST_BOOL: st = parse_bool(x, &v->i); break;
    case BL_ST_COLOR: st = parse_color(x, &v->color); break;
    case BL_ST_STRING: st = parse_string(x, f, &v->s); break;
    case BL_ST_ROLE: st = parse_role(x, &v->i); break;
    default: st = fail_at(x, x->p, "internal: unknown value type");
    }
    if (st != BL_OK)
        return st;
    return expect_end(x);
}

static void store(bl_style *s, const field_def *f, const value *v)
{
    char *at = (char *)s + f->off;
    switch (f->type) {
    case BL_ST_LEN:
    case BL_ST_SIZE:
    case BL_ST_EM:
    case BL_ST_LINES: memcpy(at, &v->f, sizeof v->f); break;
    case BL_ST_INT:
    case BL_ST_BOOL:
    case BL_ST_ROLE: memcpy(at, &v->i, sizeof v->i); break;
    case BL_ST_COLOR: memcpy(at, &v->color, sizeof v->color); break;
    case BL_ST_STRING: memcpy(at, &v->s, sizeof v->s); break;
    }
}

/* [fonts] ROLE = "pattern", "pattern", ... (replaces the base's list). */
static bl_status parse_patterns(lx *x, int role)
{
    const char **list = NULL;
    size_t n = 0, cap = 0;
    bl_status st;
    for (;;) {
        skip_ws(x);
        if (at_end(x)) {
            if (n == 0)
                return fail_at(x, x->p, "role %s has no font patterns (give at least one, "
                                        "e.g. \"Noto Serif CJK SC\")", role_zh[role]);
            return fail_at(x, x->p, "expected a quoted font pattern after ','");
        }
        if (*x->p != '"') {
            char b[80];
            return fail_at(x, x->p, "expected a quoted font pattern, got '%s'",
                           show_rest(b, sizeof b, x->p, x));
        }
        const char *p0 = x->p, *s;
        if ((st = lex_string(x, &s)) != BL_OK)
            return st;
        if (!*s)
            return fail_at(x, p0, "empty font pattern");
        if (n == MAX_ROLE_PATTERNS)
            return fail_at(x, p0, "role %s has more than %d font patterns", role_zh[role],
                           MAX_ROLE_PATTERNS);
        if (!(list = bl_arena_reserve(x->arena, list, &cap, n, 1, sizeof *list, 4)))
            return nomem(x);
        list[n++] = s;
        skip_ws(x);
        if (x->p < x->le && *x->p == ',') {
            x->p++;
            continue;
        }
        if ((st = expect_end(x)) != BL_OK)
            return st;
        break;
    }
    x->st->role_patterns[role] = list;
    x->st->role_npatterns[role] = n;
    x->st->role_path[role] = x->chain->paths[x->chain->depth - 1]; /* arena copy */
    x->st->role_line[role] = x->line;
    return BL_OK;
}

/* ---- suggestions ------------------------------------------------------- */

/* The known key of section sec nearest to [q, e) (first of equals, in schema order). */
static const char *nearest_key(int sec, const char *q, const char *e)
{
    const char *best = NULL;
    int bd = 1 << 30;
    if (sec == FONTS_SECTION) {
        for (int r = 0; r < BL_ROLE_COUNT; r++) {
            const char *cand[2] = {role_zh[r], role_en[r]};
            for (int i = 0; i < 2; i++) {
                int d = bl_utf8_distance(q, (size_t)(e - q), cand[i], strlen(cand[i]));
                if (d < bd)
                    bd = d, best = cand[i];
            }
        }
        return best;
    }
    for (int i = 0; i < NFIELDS; i++) {
        if (fields[i].sec != sec)
            continue;
        int d = bl_utf8_distance(q, (size_t)(e - q), fields[i].key, strlen(fields[i].key));
        if (d < bd)
            bd = d, best = fields[i].key;
    }
    return best;
}

static const char *nearest_section(const char *q, const char *e)
{
    const char *best = sections[0];
    int bd = 1 << 30;
    for (int i = 0; i < NSECTIONS; i++) {
        int d = bl_utf8_distance(q, (size_t)(e - q), sections[i], strlen(sections[i]));
        if (d < bd)
            bd = d, best = sections[i];
    }
    return best;
}

/* ---- layouts directory ------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "gongwen, jianbao, zhuanbao": the layouts in dir, sorted, into buf. */
static const char *shipped_list(const char *dir, char *buf, size_t cap)
{
    enum { MAXN = 64 };
    char *names[MAXN];
    size_t n = 0;
    buf[0] = '\0';
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *de;
        while ((de = readdir(d)) != NULL && n < MAXN) {
            size_t l = strlen(de->d_name);
            if (l > 7 && strcmp(de->d_name + l - 7, ".layout") == 0 && de->d_name[0] != '.') {
                names[n] = malloc(l - 6);
                if (!names[n])
                    break;
                memcpy(names[n], de->d_name, l - 7);
                names[n][l - 7] = '\0';
                n++;
            }
        }
        closedir(d);
    }
    qsort(names, n, sizeof names[0], cmp_str);
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", names[i]);
        if (w > 0 && (size_t)w < cap - used)
            used += (size_t)w;
        free(names[i]);
    }
    if (n == 0)
        snprintf(buf, cap, "none found in %s", dir);
    return buf;
}

static int is_file(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* The layout name of a path: its file name without ".layout". */
static const char *name_of_path(bl_arena *arena, const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t n = strlen(b);
    if (n > 7 && strcmp(b + n - 7, ".layout") == 0)
        n -= 7;
    return bl_arena_strndup(arena, b, n);
}

static const char *layouts_dir_or_default(const char *dir)
{
    return dir && *dir ? dir : "layouts";
}

/* ---- statements -------------------------------------------------------- */

/* base = NAME: loads the base layout and takes its values. */
static bl_status do_base(lx *x, const char *key_at)
{
    const char *v0 = x->p;
    const char *name;
    char b[80];
    bl_status st;
    if (*x->p == '"') {
        if ((st = lex_string(x, &name)) != BL_OK)
            return st;
    } else {
        const char *e = word_end(x->p, x->le);
        name = bl_arena_strndup(x->arena, x->p, (size_t)(e - x->p));
        if (!name)
            return nomem(x);
        x->p = e;
    }
    if ((st = expect_end(x)) != BL_OK)
        return st;
    int ok = *name != '\0';
    for (const char *q = name; *q; q++)
        if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ||
              *q == '-' || *q == '_'))
            ok = 0;
    if (!ok)
        return fail_at(x, v0, "bad base layout name '%s' (a name such as zhuanbao: letters, "
                              "digits, '-' and '_')", show(b, sizeof b, name, name + strlen(name)));
    const char *dir = layouts_dir_or_default(x->layouts_dir);
    size_t pl = strlen(dir) + strlen(name) + 9;
    char *path = bl_arena_alloc(x->arena, pl);
    if (!path)
        return nomem(x);
    snprintf(path, pl, "%s/%s.layout", dir, name);
    if (!is_file(path)) {
        char list[512];
        return fail_at(x, v0, "unknown base layout '%s' (shipped: %s)", name,
                       shipped_list(dir, list, sizeof list));
    }
    load_chain *ch = x->chain;
    for (int i = 0; i < ch->depth; i++) {
        if (strcmp(ch->paths[i], path) != 0)
            continue;
        char msg[BL_ERROR_MSG_MAX];
        size_t used = 0;
        for (int j = i; j < ch->depth && used < sizeof msg; j++) {
            const char *nm = name_of_path(x->arena, ch->paths[j]);
            int w = snprintf(msg + used, sizeof msg - used, "%s -> ", nm ? nm : "?");
            if (w > 0)
                used += (size_t)w;
        }
        if (used >= sizeof msg)
            used = sizeof msg - 1;
        snprintf(msg + used, sizeof msg - used, "%s", name);
        return fail_at(x, key_at, "base layout cycle: %s", msg);
    }
    if (ch->depth >= MAX_BASE_DEPTH)
        return fail_at(x, key_at, "base layouts nested more than %d deep", MAX_BASE_DEPTH);
    bl_style *base = NULL;
    if ((st = load_file(path, name, x->layouts_dir, ch, x->arena, &base, x->err)) != BL_OK)
        return st;
    const char *my_name = x->st->name, *my_path = x->st->path;
    *x->st = *base;
    x->st->name = my_name;
    x->st->path = my_path;
    memset(x->have, 1, sizeof x->have);
    for (int i = 0; i < NFIELDS && !base->gongwen; i++)
        if (in_gongwen_group(i))
            x->have[i] = 0;
    return BL_OK;
}

/* Reads one `key = value` line in section sec (-1: before any section). */
static bl_status do_assignment(lx *x, int sec, int *statements)
{
    const char *k0 = x->p;
    const char *ke = word_end(x->p, x->le);
    char b[80], c[80];
    if (ke == k0) {
        if (*x->p == '=')
            return fail_at(x, k0, "missing key before '='");
        return fail_at(x, k0, "expected 'key = value', got '%s'", show_rest(b, sizeof b, k0, x));
    }
    x->p = ke;
    skip_ws(x);
    if (x->p >= x->le || *x->p != '=')
        return fail_at(x, x->p, "expected '=' after '%s'", show(b, sizeof b, k0, ke));
    x->p++;
    skip_ws(x);
    const int first = (*statements)++ == 0;
    if (word_is(k0, ke, "base")) {
        if (!first || sec >= 0)
            return fail_at(x, k0, "'base' must be the first statement of the file, before any "
                                  "[section]");
        if (at_end(x))
            return fail_at(x, x->p, "missing value for 'base' (a layout name such as zhuanbao)");
        return do_base(x, k0);
    }
    if (sec < 0)
        return fail_at(x, k0, "key '%s' comes before any [section]", show(b, sizeof b, k0, ke));
    int idx = -1;
    if (sec == FONTS_SECTION) {
        int r = role_lookup(k0, ke);
        if (r >= 0)
            idx = NFIELDS + r;
    } else {
        for (int i = 0; i < NFIELDS; i++)
            if (fields[i].sec == sec && fields[i].key[0] == *k0 &&
                strlen(fields[i].key) == (size_t)(ke - k0) &&
                memcmp(fields[i].key, k0, (size_t)(ke - k0)) == 0)
                idx = i;
    }
    if (idx < 0)
        return fail_at(x, k0, "unknown key '%s' in [%s] (did you mean '%s'?)",
                       show(b, sizeof b, k0, ke), sections[sec], nearest_key(sec, k0, ke));
    if (x->set_line[idx])
        return fail_at(x, k0, "duplicate key '%s' in [%s] (already set on line %d)",
                       show(b, sizeof b, k0, ke), sections[sec], x->set_line[idx]);
    if (at_end(x)) {
        if (idx >= NFIELDS)
            return fail_at(x, x->p, "role %s has no font patterns (give at least one, e.g. "
                                    "\"Noto Serif CJK SC\")", role_zh[idx - NFIELDS]);
        return fail_at(x, x->p, "missing value for '%s'", show(c, sizeof c, k0, ke));
    }
    bl_status st;
    if (idx >= NFIELDS) {
        st = parse_patterns(x, idx - NFIELDS);
    } else {
        value v;
        memset(&v, 0, sizeof v);
        const char *v0 = x->p;
        st = parse_value(x, &fields[idx], &v);
        if (st == BL_OK && fields[idx].sec == SEC_page &&
            strcmp(fields[idx].key, "chars") == 0 && v.i < MIN_GRID_CHARS)
            st = fail_at(x, v0, "'%d' is out of range: a body line holds between %d and 200 "
                                "characters", v.i, MIN_GRID_CHARS);
        if (st == BL_OK)
            store(x->st, &fields[idx], &v);
    }
    if (st != BL_OK)
        return st;
    x->set_line[idx] = x->line;
    x->have[idx] = 1;
    return BL_OK;
}

/* [name] */
static bl_status do_section(lx *x, int *sec)
{
    const char *open = x->p;
    char b[80];
    x->p++;
    skip_ws(x);
    const char *n0 = x->p;
    const char *ne = word_end(x->p, x->le);
    x->p = ne;
    skip_ws(x);
    if (x->p >= x->le || *x->p != ']')
        return fail_at(x, x->p, "expected ']' to close the section name");
    if (ne == n0)
        return fail_at(x, open, "missing section name between '[' and ']'");
    x->p++;
    for (int i = 0; i < NSECTIONS; i++) {
        size_t nl = (size_t)(ne - n0);
        if (strlen(sections[i]) == nl && memcmp(sections[i], n0, nl) == 0) {
            *sec = i;
            skip_ws(x);
            if (at_end(x))
                return BL_OK;
            return fail_at(x, x->p, "unexpected text after the section name: '%s'",
                           show_rest(b, sizeof b, x->p, x));
        }
    }
    return fail_at(x, n0, "unknown section [%s] (did you mean [%s]?)", show(b, sizeof b, n0, ne),
                   nearest_section(n0, ne));
}

/* Checks the text is UTF-8 without NUL bytes; records the first offence. */
static bl_status check_encoding(lx *x, const char *text, size_t len)
{
    x->ls = text;
    x->line = 1;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = bl_utf8_decode(text + i, len - i, &cp);
        if (n == 0 || cp == 0) {
            x->p = text + i;
            return bl_error_set(x->err, BL_ERR_SYNTAX, x->path, x->line,
                                col_of(x, text + i),
                                n == 0 ? "invalid UTF-8 (layout files are UTF-8 text)"
                                       : "unexpected NUL byte");
        }
        i += n;
        if (cp == '\n') {
            x->line++;
            x->ls = text + i;
        }
    }
    return BL_OK;
}

/* Parses text as the layout file at path; style name `name`. */
static bl_status parse_text(const char *text, size_t len, const char *path, const char *name,
                            const char *layouts_dir, load_chain *chain, bl_arena *arena,
                            bl_style **out, bl_error *err)
{
    lx state;
    lx *x = &state;
    memset(x, 0, sizeof *x);
    bl_status st = BL_OK;
    x->arena = arena;
    x->err = err;
    x->layouts_dir = layouts_dir;
    x->chain = chain;
    x->path = path;
    x->st = bl_arena_alloc(arena, sizeof *x->st);
    char *pathcopy = bl_arena_strdup(arena, path);
    char *namecopy = bl_arena_strdup(arena, name);
    if (!x->st || !pathcopy || !namecopy) {
        return bl_error_set(err, BL_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    x->st->path = pathcopy;
    x->st->name = namecopy;
    chain->paths[chain->depth++] = pathcopy;

    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) { /* a BOM is not content */
        text += 3;
        len -= 3;
    }
    if ((st = check_encoding(x, text, len)) != BL_OK)
        goto pop;

    const char *end = text + len;
    int sec = -1, statements = 0, last_line = 1;
    x->line = 0;
    for (const char *q = text; q < end;) {
        const char *nl = memchr(q, '\n', (size_t)(end - q));
        const char *le = nl ? nl : end;
        x->line++;
        last_line = x->line;
        x->ls = q;
        x->le = le > q && le[-1] == '\r' ? le - 1 : le;
        x->p = q;
        skip_ws(x);
        if (!at_end(x)) {
            st = *x->p == '[' ? do_section(x, &sec) : do_assignment(x, sec, &statements);
            if (st != BL_OK)
                goto pop;
        }
        q = nl ? nl + 1 : end;
    }
    /* Every key must be set, here or by the base (no defaults in C); the
     * 公文 group all or none. */
    int missing = 0, first = -1, gw_set = 0;
    for (int i = 0; i < NFIELDS; i++)
        gw_set += in_gongwen_group(i) && x->have[i];
    x->st->gongwen = gw_set > 0;
    for (int s = 0; s < NSECTIONS; s++) {
        for (int i = 0; i < NFIELDS + BL_ROLE_COUNT; i++) {
            int in_sec = i >= NFIELDS ? s == FONTS_SECTION
                                      : fields[i].sec == s;
            if (in_sec && !x->have[i] && (gw_set || i >= NFIELDS || !in_gongwen_group(i))) {
                if (first < 0)
                    first = i;
                missing++;
            }
        }
    }
    if (missing) {
        char more[48] = "";
        if (missing > 1)
            snprintf(more, sizeof more, " (and %d more)", missing - 1);
        st = bl_error_set(err, BL_ERR_SYNTAX, path, last_line, 1, "missing key [%s] %s%s",
                          first >= NFIELDS ? "fonts" : fields[first].section,
                          first >= NFIELDS ? role_zh[first - NFIELDS] : fields[first].key, more);
        goto pop;
    }
    *out = x->st;
pop:
    chain->depth--;
    return st;
}

static bl_status load_file(const char *path, const char *name, const char *layouts_dir,
                           load_chain *chain, bl_arena *arena, bl_style **out, bl_error *err)
{
    char *text = NULL;
    size_t len = 0;
    bl_status st = bl_read_file(path, MAX_LAYOUT_BYTES, &text, &len, err);
    if (st != BL_OK)
        return st;
    st = parse_text(text, len, path, name, layouts_dir, chain, arena, out, err);
    free(text);
    return st;
}

/* ---- public ------------------------------------------------------------ */

bl_status bl_style_load(const char *name_or_path, const char *layouts_dir, bl_arena *arena,
                        const bl_style **out, bl_error *err)
{
    if (out)
        *out = NULL;
    if (!name_or_path || !*name_or_path || !arena || !out)
        return bl_error_set(err, BL_ERR_USAGE, NULL, 0, 0, "bl_style_load: no layout given");
    const char *dir = layouts_dir_or_default(layouts_dir);
    size_t nl = strlen(name_or_path);
    int is_path = strchr(name_or_path, '/') != NULL ||
                  (nl >= 7 && strcmp(name_or_path + nl - 7, ".layout") == 0);
    const char *path = name_or_path, *name = name_or_path;
    if (is_path) {
        name = name_of_path(arena, name_or_path);
        if (!name)
            return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    } else {
        size_t pl = strlen(dir) + nl + 9;
        char *p = bl_arena_alloc(arena, pl);
        if (!p)
            return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory");
        snprintf(p, pl, "%s/%s.layout", dir, name_or_path);
        path = p;
        if (!is_file(path)) {
            char list[512];
            return bl_error_set(err, BL_ERR_SYNTAX, NULL, 0, 0, "unknown layout '%s' (shipped: %s)",
                                name_or_path, shipped_list(dir, list, sizeof list));
        }
    }
    load_chain chain = {{NULL}, 0};
    bl_style *st = NULL;
    bl_status rc = load_file(path, name, layouts_dir, &chain, arena, &st, err);
    if (rc == BL_OK)
        *out = st;
    return rc;
}

bl_status bl_style_parse(const char *text, size_t len, const char *path,
                         const char *layouts_dir, bl_arena *arena, const bl_style **out,
                         bl_error *err)
{
    if (out)
        *out = NULL;
    if ((!text && len) || !arena || !out)
        return bl_error_set(err, BL_ERR_USAGE, path, 0, 0, "bl_style_parse: bad arguments");
    if (!path)
        path = "";
    const char *name = name_of_path(arena, path);
    if (!name)
        return bl_error_set(err, BL_ERR_NOMEM, path, 0, 0, "out of memory");
    load_chain chain = {{NULL}, 0};
    bl_style *st = NULL;
    bl_status rc =
        parse_text(text ? text : "", len, path, name, layouts_dir, &chain, arena, &st, err);
    if (rc == BL_OK)
        *out = st;
    return rc;
}

const char *bl_role_name(bl_role role)
{
    return (int)role >= 0 && role < BL_ROLE_COUNT ? role_zh[role] : "";
}

float bl_size_by_name(const char *name)
{
    if (!name)
        return 0;
    for (size_t i = 0; i < sizeof hao_sizes / sizeof hao_sizes[0]; i++)
        if (strcmp(hao_sizes[i].name, name) == 0)
            return hao_sizes[i].pt;
    return 0;
}
