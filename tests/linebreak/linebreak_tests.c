/* linebreak_tests.c - the Chinese paragraph composer: kinsoku, unsplittable
 * marks and numbers, punctuation compression, Han/Latin gaps, grid pitch,
 * justification, 孤字 avoidance, alignment, balanced titles, errors and
 * linear running time. Items get synthetic widths: CJK characters and
 * full-width marks (also — … “ ” ‘ ’ ·) one em, everything else half an em. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>

#include "base/utf8.h"
#include "check.h"
#include "linebreak/linebreak.h"

static bl_arena *arena;

typedef struct composed {
    bl_status st;
    bl_lb_result res;
    bl_lb_item *items;
    size_t n;
    const char *text;
    const char *lines; /* visible text of each line, joined by '|' */
    bl_error err;
} composed;

static float synthetic_width(uint32_t cp, float em)
{
    if (cp < 0x80)
        return 0.5f * em;
    if (bl_display_width(cp) == 2 || cp == 0x00B7)
        return em;
    return 0.5f * em;
}

static bl_lb_params params(float measure_em, float em)
{
    bl_lb_params p = {measure_em * em, 0, 0, BL_ALIGN_JUSTIFY, 0, 0, 0};
    return p;
}

/* Composes s (one item per code point) and renders the lines as text. */
static composed compose(const char *s, float em, const bl_lb_params *p)
{
    composed c;
    memset(&c, 0, sizeof c);
    size_t len = strlen(s);
    c.text = s;
    c.items = bl_arena_calloc(arena, len + 1, sizeof *c.items);
    for (size_t off = 0; off < len;) {
        uint32_t cp;
        size_t k = bl_utf8_decode(s + off, len - off, &cp);
        c.items[c.n].text_off = (uint32_t)off;
        c.items[c.n].text_len = (uint32_t)k;
        c.items[c.n].width = synthetic_width(cp, em);
        c.items[c.n].em = em;
        c.n++;
        off += k;
    }
    bl_error_clear(&c.err);
    c.st = bl_lb_compose(s, len, c.items, c.n, p, arena, &c.res, &c.err);
    char *out = bl_arena_alloc(arena, 2 * len + c.res.nlines + 2);
    size_t o = 0;
    for (size_t l = 0; l < c.res.nlines; l++) {
        const bl_lb_line *ln = &c.res.lines[l];
        if (l)
            out[o++] = '|';
        for (size_t k = 0; k < ln->count; k++) {
            if (ln->hidden[k])
                continue;
            const bl_lb_item *it = &c.items[ln->first + k];
            memcpy(out + o, s + it->text_off, it->text_len);
            o += it->text_len;
        }
    }
    out[o] = '\0';
    c.lines = out;
    return c;
}

static const char *lines_of(const char *s, float measure_em)
{
    bl_lb_params p = params(measure_em, 16);
    return compose(s, 16, &p).lines;
}

/* x of item i of the paragraph (searching its line). */
static float xof(const composed *c, size_t i)
{
    for (size_t l = 0; l < c->res.nlines; l++) {
        const bl_lb_line *ln = &c->res.lines[l];
        if (i >= ln->first && i < ln->first + ln->count)
            return ln->x[i - ln->first];
    }
    return -1e9f;
}

static int hiddenof(const composed *c, size_t i)
{
    for (size_t l = 0; l < c->res.nlines; l++) {
        const bl_lb_line *ln = &c->res.lines[l];
        if (i >= ln->first && i < ln->first + ln->count)
            return ln->hidden[i - ln->first];
    }
    return -1;
}

/* Every line but the last ends exactly at the measure. */
static int justified(const composed *c, const bl_lb_params *p)
{
    for (size_t l = 0; l + 1 < c->res.nlines; l++) {
        const bl_lb_line *ln = &c->res.lines[l];
        if (fabsf(ln->left + ln->width - p->measure) > 0.01f) {
            fprintf(stderr, "line %zu ends at %g, measure %g\n", l,
                    (double)(ln->left + ln->width), (double)p->measure);
            return 0;
        }
    }
    return 1;
}

static void test_empty_and_one(void)
{
    bl_lb_params p = params(10, 16);
    composed c = compose("", 16, &p);
    CHECK_INT(c.st, BL_OK);
    CHECK_INT(c.res.nlines, 0);
    p.first_indent = 32;
    c = compose("字", 16, &p);
    CHECK_INT(c.st, BL_OK);
    CHECK_INT(c.res.nlines, 1);
    CHECK_STR(c.lines, "字");
    CHECK_NEAR(c.res.lines[0].x[0], 32, 0.01);
    CHECK_NEAR(c.res.lines[0].left, 32, 0.01);
    CHECK_NEAR(c.res.lines[0].width, 16, 0.01);
    /* Hanging indent: the first line at first_indent, the others at indent. */
    p = params(5, 16);
    p.indent = 32;
    c = compose("一二三四五六七八", 16, &p);
    CHECK_STR(c.lines, "一二三四五|六七八");
    CHECK_NEAR(c.res.lines[0].left, 0, 0.01);
    CHECK_NEAR(c.res.lines[1].left, 32, 0.01);
    CHECK_NEAR(c.res.lines[1].x[0], 32, 0.01);
}

/* A body paragraph of the sample bulletin (a CJK text with numbers, quotes,
 * brackets and a 2—3 range). */
static const char sample_para[] =
    "一、严密组织督查。2022年，河北省产业工人队伍建设改革督查由省推进产业工人队伍建设改革"
    "协调小组（以下简称“省协调小组”）组织实施，省总工会牵头制定督查考核指标体系和督查方案。"
    "督查采取省级自查、各市自查与实地督查相结合的方式进行，省协调小组各成员单位立足职责任务，"
    "各市严格对照督查考核指标，逐项对照自查。省协调小组组成6个督查组，分别由成员单位领导担任"
    "组长，各单位联络处室负责人共同参与，赴各市实地督查。在了解产改全面工作情况的同时，采取"
    "“四不两直”的形式实地随机抽查2—3家国有企业和1家以上非公企业。";

/* GB/T 15834 5.1: marks that never start a line, compressed in first. */
static void test_kinsoku_start(void)
{
    /* ， cannot start line 2 and cannot be squeezed in (no other mark to
     * compress): 五 goes down with it (后推出). */
    CHECK_STR(lines_of("一二三四五，六七", 5), "一二三四|五，六七");
    /* With a 、 to compress, the ， is squeezed in instead (先挤进). */
    bl_lb_params p = params(5, 16);
    composed c = compose("一、三四五，六七", 16, &p);
    CHECK_STR(c.lines, "一、三四五，|六七");
    CHECK_NEAR(xof(&c, 1), 16, 0.01); /* 、 keeps its left half, loses the right */
    CHECK_NEAR(xof(&c, 2), 24, 0.01);
    CHECK_NEAR(xof(&c, 5), 72, 0.01); /* ， at the end takes ½ 字: 72 + 8 = 80 */
    CHECK(justified(&c, &p));
    CHECK_STR(lines_of("一二三四五。”六七", 5), "一二三四|五。”六七");
    CHECK_STR(lines_of("一二三四五）六七", 5), "一二三四|五）六七");
    CHECK_STR(lines_of("一二三四五》六七", 5), "一二三四|五》六七");
    CHECK_STR(lines_of("一二三四五·六七", 5), "一二三四|五·六七");
    CHECK_STR(lines_of("一二三四五%六七", 5), "一二三四|五%六七");
    CHECK_STR(lines_of("一二三四五‰六七", 5), "一二三四|五‰六七");
    CHECK_STR(lines_of("一二三四五?六七", 5), "一二三四|五?六七"); /* half-width ? too */
}

/* GB/T 15834 5.1: opening marks never end a line. */
static void test_kinsoku_end(void)
{
    CHECK_STR(lines_of("一二三四“五六”七", 5), "一二三四|“五六”七");
    CHECK_STR(lines_of("一二三四《五六》七", 5), "一二三四|《五六》七");
    CHECK_STR(lines_of("一二三四（五六）七", 5), "一二三四|（五六）七");
    CHECK_STR(lines_of("一二三四(五六)七", 5), "一二三四|(五六)七");
    bl_lb_params p = params(5, 16);
    composed c = compose("一二三四“五六”七", 16, &p);
    CHECK_NEAR(xof(&c, 4), 0, 0.01); /* “ starts line 2 uncompressed */
    CHECK(justified(&c, &p));
}

/* GB/T 15834 5.1: —— and …… take 2 字 and never split. */
static void test_dash_ellipsis(void)
{
    CHECK_STR(lines_of("一二三四——五六", 5), "一二三四|——五六");
    CHECK_STR(lines_of("一二三四……五六", 5), "一二三四|……五六");
    CHECK_STR(lines_of("一二三——五六七", 5), "一二三——|五六七");
    CHECK_STR(lines_of("一二三……五六七", 5), "一二三……|五六七");
    /* Justification never opens the inside of —— or ……. */
    bl_lb_params p = params(5, 16);
    composed c = compose("一——二……三四五", 16, &p);
    CHECK_STR(c.lines, "一——二|……三四五");
    CHECK_NEAR(xof(&c, 2) - xof(&c, 1), 16, 0.01);
    CHECK(justified(&c, &p));
}

/* Numbers keep their decimal point, separators and %; 2023年 may break
 * after the number, never inside it. */
static void test_numbers(void)
{
    CHECK_STR(lines_of("一二三四五87.6%的", 6), "一二三四五|87.6%的");
    CHECK_STR(lines_of("一二三四五六1,280人", 7), "一二三四五六|1,280人");
    CHECK_STR(lines_of("一二三四五2023年六七", 8), "一二三四五2023|年六七");
    CHECK_STR(lines_of("一二三四五2023年", 6.5f), "一二三四五|2023年");
    /* A range 2—3 breaks only after the dash. */
    CHECK_STR(lines_of("按照GB/T 9704—2012执行", 8), "按照GB/T 9704—|2012执行");
    CHECK_STR(lines_of("抽查了一二2—3家", 7), "抽查了一二2—|3家");
    CHECK_STR(lines_of("抽查了一二三2—3家", 7), "抽查了一二三|2—3家");
    /* Justification does not open the range either. */
    bl_lb_params p = params(7, 16);
    composed c = compose("抽查了一二2—3家", 16, &p);
    CHECK_NEAR(xof(&c, 6) - xof(&c, 5), 8, 0.01);
    CHECK(justified(&c, &p));
}

/* Scripts the Chinese table does not decide go to ICU's line breaker (here
 * Hangul syllables, which break between any two). */
static void test_icu_fallback(void)
{
    CHECK_STR(lines_of("가나다라마바", 3), "가나다|라마바");
    CHECK_STR(lines_of("中文가나다", 3), "中文가|나다");
}

static void test_url(void)
{
    CHECK_STR(lines_of("访问https://www.example.com/path/to/page了解", 15),
              "访问https://www.example.com/|path/to/page了解");
    /* After a slash, before . ? & = -, never in the scheme, no hyphen. */
    CHECK_STR(lines_of("见https://www.example.com.cn/a?id=12&x=y-z文", 9),
              "见https://www|.example.com.cn/a|?id=12&x=y-z文");
    CHECK_STR(lines_of("见https://www.example.com.cn/a?id=12&x=y-z文", 6),
              "见|https://www|.example.com|.cn/a?id=12|&x=y-z文");
    /* Outside a URL a slash does not break: GB/T stays whole. */
    CHECK_STR(lines_of("依照GB/T标准", 4.5f), "依照GB/T|标准");
    CHECK(strstr(lines_of("依照GB/T标准", 3.5f), "GB/T") != NULL);
    /* Latin words break at spaces; the space at the break is hidden and
     * the space inside a justified line stretches. */
    bl_lb_params p = params(6, 16);
    composed c = compose("hello world again", 16, &p);
    CHECK_STR(c.lines, "hello world|again");
    CHECK_INT(hiddenof(&c, 11), 1);
    CHECK_INT(hiddenof(&c, 5), 0);
    CHECK_NEAR(xof(&c, 6), 56, 0.01); /* w: 40 + 8 space + 8 stretch */
    CHECK(justified(&c, &p));
}

/* A line of nothing but URL cannot be justified: it is set ragged, and
 * its blank must not outweigh the other lines, or the composer spreads the
 * Chinese lines before the URL to fill the URL's line to the last point (it
 * did: 21-23 characters in 28 cells before this URL in FandolFang). */
static void test_url_lines_ragged(void)
{
    static const char *para =
        "各单位可登录门户网站查询本次督查的全部情况和有关政策文件的具体内容，也可以通过政务服务"
        "平台在线提交意见和建议，详情请访问https://www.example.gov.cn/zhengce/content/2023-03/28/"
        "content_5748933.htm?from=timeline&isappinstalled=0&share=weixin-friend了解。";
    size_t url = (size_t)(strstr(para, "https") - para);
    for (float measure = 26; measure <= 30; measure += 1) {
        bl_lb_params p = params(measure, 16);
        p.first_indent = 32;
        composed c = compose(para, 16, &p);
        CHECK_INT(c.st, BL_OK);
        int spread = 0, ragged = 0;
        for (size_t l = 0; l + 1 < c.res.nlines; l++) {
            const bl_lb_line *ln = &c.res.lines[l];
            const bl_lb_item *last = &c.items[ln->first + ln->count - 1];
            if (last->text_off + last->text_len <= url) {
                /* Before the URL: at most about two characters' room
                 * spread over the line (a tenth of a character a gap). */
                for (size_t k = 1; k < ln->count; k++)
                    if (ln->x[k] - ln->x[k - 1] > 1.1f * 16)
                        spread = 1;
            } else if (c.items[ln->first].text_off > url) {
                ragged += ln->left + ln->width < p.measure - 0.01f;
            }
        }
        if (spread)
            fprintf(stderr, "measure %g em: %s\n", (double)measure, c.lines);
        CHECK(!spread);
        CHECK(ragged <= 1); /* a line of URL short of the measure: set ragged */
    }
}

static void test_mixed_quotes(void)
{
    CHECK_STR(lines_of("他说：“请阅读《条例》（试行）。”", 8), "他说：“请阅读《条|例》（试行）。”");
    /* Nested and adjacent marks on one line: each pair takes 1.5 字. */
    bl_lb_params p = params(20, 16);
    p.align = BL_ALIGN_LEFT;
    composed c = compose("一二（三）。”四", 16, &p);
    CHECK_NEAR(xof(&c, 2), 32, 0.01);
    CHECK_NEAR(xof(&c, 4), 64, 0.01); /* ）。 = 1.5 字 */
    CHECK_NEAR(xof(&c, 5), 72, 0.01); /* 。” = 1.5 字 */
    CHECK_NEAR(xof(&c, 6), 80, 0.01);
    CHECK_NEAR(xof(&c, 7), 96, 0.01); /* ” before Han keeps its full width */
    CHECK_NEAR(c.res.lines[0].width, 112, 0.01);
    c = compose("一，“二”", 16, &p); /* ，“ = 1.5 字; ” at the end ½ 字 */
    CHECK_NEAR(xof(&c, 2), 24, 0.01);
    CHECK_NEAR(xof(&c, 3), 40, 0.01);
    CHECK_NEAR(c.res.lines[0].width, 64, 0.01);
    c = compose("一“《二", 16, &p); /* “《: the 《 loses its left half: moves left */
    CHECK_NEAR(xof(&c, 1), 16, 0.01);
    CHECK_NEAR(xof(&c, 2), 24, 0.01);
    CHECK_NEAR(xof(&c, 3), 40, 0.01);
    c = compose("一·二", 16, &p); /* · is not compressed inside a line */
    CHECK_NEAR(xof(&c, 2), 32, 0.01);
}

static void test_many_marks(void)
{
    bl_lb_params p = params(20, 16);
    p.align = BL_ALIGN_LEFT;
    composed c = compose("一？！”）。”二", 16, &p);
    static const float want[] = {0, 16, 24, 32, 40, 48, 56, 72};
    for (size_t i = 0; i < 8; i++)
        CHECK_NEAR(xof(&c, i), want[i], 0.01);
    CHECK_NEAR(c.res.lines[0].width, 88, 0.01);
    /* In a narrow measure the run never starts a line with a mark. */
    CHECK_STR(lines_of("一二三四？！”）。”二", 4), "一二三|四？！”）。”|二");
}

/* GB/T 15834 5.1.10 and CLREQ: ½ 字 at the line end, opening bracket at the
 * line start compressed only when needed, no hanging punctuation. */
static void test_compression(void)
{
    bl_lb_params p = params(5, 16);
    composed c = compose("一二三四。五六", 16, &p);
    CHECK_STR(c.lines, "一二三四。|五六");
    CHECK_NEAR(xof(&c, 1), 18, 0.01); /* 4 em + ½ 字 stretched by 2 pt a slot */
    CHECK_NEAR(xof(&c, 4), 72, 0.01); /* 72 + ½ 字 = 80: nothing hangs */
    CHECK(justified(&c, &p));
    /* One rule for an opening mark at a line's start: it keeps its whole
     * cell (the left edge stays straight); nothing else gives: 四 goes down. */
    p = params(5.5f, 16);
    c = compose("（一二三四）。五六", 16, &p);
    CHECK_STR(c.lines, "（一二三|四）。五六");
    CHECK_NEAR(xof(&c, 0), 0, 0.01);
    CHECK_NEAR(c.res.lines[0].trim_left[0], 0, 0.01);
    CHECK_NEAR(c.res.lines[0].advance[0], 16, 0.01);
    CHECK(justified(&c, &p));
    /* 先挤进: ½ 字 from each of two marks pulls one character in (here
     * rather than leave 四 alone on a line)... */
    p = params(5, 16);
    c = compose("一，二，三四", 16, &p);
    CHECK_STR(c.lines, "一，二，三四");
    static const float pulled[] = {0, 16, 24, 40, 48, 64};
    for (size_t i = 0; i < 6; i++)
        CHECK_NEAR(xof(&c, i), pulled[i], 0.01);
    CHECK(justified(&c, &p));
    /* ...but marks elsewhere in the line keep their cells: the two nearest
     * the end give, the first ， keeps its whole cell. */
    p = params(6, 16);
    c = compose("一，二，三，四五六七八", 16, &p);
    CHECK_STR(c.lines, "一，二，三，四|五六七八");
    CHECK_NEAR(xof(&c, 2) - xof(&c, 1), 16, 0.01);
    CHECK(justified(&c, &p));
    /* Never more than one character beyond the grid, and never a push of
     * three marks' worth: otherwise the line is spread (推出). */
    c = compose("一，二，三，四，五六七八", 16, &(bl_lb_params){80, 0, 0, BL_ALIGN_JUSTIFY, 0, 16, 0});
    for (size_t l = 0; l < c.res.nlines; l++) {
        size_t vis = 0;
        for (size_t k = 0; k < c.res.lines[l].count; k++)
            vis += !c.res.lines[l].hidden[k];
        CHECK(vis <= 6);
    }
    /* A paragraph's short last line keeps its marks whole. */
    p = params(10, 16);
    c = compose("一、二、三", 16, &p);
    CHECK_NEAR(xof(&c, 2), 32, 0.01);
    /* The set advance and left trim of each item are handed over: 《 gave
     * up its left half after “, 。 at the line end its right half; the last
     * item's cell ends where the line does. */
    p.align = BL_ALIGN_LEFT;
    c = compose("一“《二》。", 16, &p);
    const bl_lb_line *ln = &c.res.lines[0];
    CHECK_NEAR(ln->trim_left[2], 8, 0.01);
    CHECK_NEAR(ln->advance[2], 8, 0.01);
    CHECK_NEAR(ln->x[2], 24, 0.01);
    CHECK_NEAR(ln->trim_left[1], 0, 0.01);
    CHECK_NEAR(ln->advance[1], 16, 0.01);
    CHECK_NEAR(ln->advance[4], 8, 0.01); /* 》。: 1.5 字 */
    CHECK_NEAR(ln->advance[5], 8, 0.01);
    CHECK_NEAR(ln->x[5] + ln->trim_left[5] + ln->advance[5], ln->left + ln->width, 0.01);
}

/* CLREQ 3.2.1: ¼ 字 between Han and Latin letters or digits. */
static void test_han_latin_gap(void)
{
    bl_lb_params p = params(20, 16);
    p.align = BL_ALIGN_LEFT;
    composed c = compose("中文ABC中文", 16, &p);
    CHECK_NEAR(xof(&c, 2), 36, 0.01);
    CHECK_NEAR(xof(&c, 5), 64, 0.01);
    CHECK_NEAR(c.res.lines[0].width, 96, 0.01);
    composed t = compose("中文 ABC 中文", 16, &p); /* typed spaces become the gap */
    CHECK_STR(t.lines, "中文ABC中文");
    CHECK_INT(hiddenof(&t, 2), 1);
    CHECK_INT(hiddenof(&t, 6), 1);
    CHECK_NEAR(xof(&t, 3), 36, 0.01);
    CHECK_NEAR(xof(&t, 7), 64, 0.01);
    CHECK_NEAR(t.res.lines[0].width, 96, 0.01);
    composed y = compose("2023 年第 8 期", 16, &p);
    CHECK_STR(y.lines, "2023年第8期");
    CHECK_NEAR(xof(&y, 5), 36, 0.01);  /* 年 */
    CHECK_NEAR(xof(&y, 8), 72, 0.01);  /* 8 after 第 + gap */
    CHECK_NEAR(xof(&y, 10), 84, 0.01); /* 期 after 8 + gap */
    c = compose("中，ABC", 16, &p); /* none beside Chinese punctuation */
    CHECK_NEAR(xof(&c, 2), 32, 0.01);
    /* Spaces between Latin words keep their width. */
    c = compose("用 PDF 格式", 16, &p);
    CHECK_NEAR(xof(&c, 2), 20, 0.01);
    /* None at a line's start or end. */
    p = params(5, 16);
    c = compose("一二三四ABCDEFGH", 16, &p);
    CHECK_STR(c.lines, "一二三四|ABCDEFGH");
    CHECK_NEAR(xof(&c, 4), 0, 0.01);
    CHECK_NEAR(c.res.lines[1].width, 64, 0.01);
}

/* The character grid: 28 characters a line at 3号 in a 156 mm measure. */
static void test_grid(void)
{
    bl_lb_params p = {442.2f, 0, 0, BL_ALIGN_JUSTIFY, 0, 442.2f / 28, 0};
    char s[60 * 3 + 1] = "";
    for (int i = 0; i < 60; i++)
        strcat(s, "字");
    composed c = compose(s, 16, &p);
    CHECK_INT(c.res.nlines, 3);
    CHECK_INT(c.res.lines[0].count, 28);
    CHECK_INT(c.res.lines[1].count, 28);
    CHECK_INT(c.res.lines[2].count, 4);
    CHECK_NEAR(xof(&c, 27), 27 * 442.2 / 28, 0.01);
    CHECK_NEAR(xof(&c, 29), 442.2 / 28, 0.01);
    CHECK(justified(&c, &p));
    /* Without the grid, 16 pt characters fit 27 to the line. */
    p.grid = 0;
    c = compose(s, 16, &p);
    CHECK_INT(c.res.lines[0].count, 27);
    CHECK(justified(&c, &p));
    /* The layout's numbers (float, as it passes them): with a 2-pitch
     * first-line indent the first line holds 26 characters, the others 28,
     * however the float rounding of 26 pitches + indent falls. */
    p.measure = 442.205f;
    p.grid = 442.205f / 28;
    p.first_indent = 2 * p.grid;
    c = compose(s, 16, &p);
    CHECK_INT(c.res.nlines, 3);
    CHECK_INT(c.res.lines[0].count, 26);
    CHECK_INT(c.res.lines[1].count, 28);
    CHECK(justified(&c, &p));
    p.measure = 442.2f;
    /* A body paragraph with the 2 字 first-line indent on the grid. */
    p.grid = 442.2f / 28;
    p.first_indent = 2 * p.grid;
    c = compose(sample_para, 16, &p);
    CHECK_INT(c.st, BL_OK);
    CHECK_NEAR(c.res.lines[0].left, 2 * 442.2 / 28, 0.01);
    CHECK_NEAR(c.res.lines[1].left, 0, 0.01);
    CHECK(justified(&c, &p));
}

/* Every line but the last fills the measure; the last is flush left. */
static void test_justification(void)
{
    bl_lb_params p = {442.2f, 32, 0, BL_ALIGN_JUSTIFY, 0, 0, 0};
    composed c = compose(sample_para, 16, &p);
    CHECK_INT(c.st, BL_OK);
    CHECK(c.res.nlines >= 8);
    CHECK(justified(&c, &p));
    const bl_lb_line *last = &c.res.lines[c.res.nlines - 1];
    CHECK_NEAR(last->left, 0, 0.01);
    CHECK(last->width < p.measure);
    /* Positions rise within each line, and no line starts with a
     * no-start mark or ends with an opening one. */
    int order = 1, kinsoku = 1;
    for (size_t l = 0; l < c.res.nlines; l++) {
        const bl_lb_line *ln = &c.res.lines[l];
        for (size_t k = 1; k < ln->count; k++)
            if (!ln->hidden[k] && ln->x[k] + 8.01f < ln->x[k - 1])
                order = 0;
        const char *first = sample_para + c.items[ln->first].text_off;
        const char *lastc = sample_para + c.items[ln->first + ln->count - 1].text_off;
        if (strncmp(first, "，", 3) == 0 || strncmp(first, "。", 3) == 0
            || strncmp(first, "”", 3) == 0 || strncmp(first, "）", 3) == 0
            || strncmp(first, "、", 3) == 0)
            kinsoku = 0;
        if (strncmp(lastc, "“", 3) == 0 || strncmp(lastc, "（", 3) == 0)
            kinsoku = 0;
    }
    CHECK(order);
    CHECK(kinsoku);
    CHECK(strstr(c.lines, "2—|") != NULL || strstr(c.lines, "2—3") != NULL);
    CHECK(strstr(c.lines, "2|—") == NULL);
}

/* 孤字: never a last line of one character when the lines above can take
 * it or give one. */
static void test_widow(void)
{
    CHECK_STR(lines_of("一二三四五六七八九十字", 5), "一二三四五|六七八九|十字");
    /* Compressing the two ， pulls the last character up. */
    bl_lb_params p = params(7, 16);
    composed c = compose("一，二，三四五字", 16, &p);
    CHECK_STR(c.lines, "一，二，三四五字");
    CHECK_NEAR(c.res.lines[0].width, 112, 0.01);
    /* One character with its punctuation is avoided too. */
    CHECK_STR(lines_of("一二三四五六七八九十字。", 5), "一二三四五|六七八九|十字。");
}

static void test_alignment(void)
{
    bl_lb_params p = params(10, 16);
    p.align = BL_ALIGN_CENTER;
    composed c = compose("标题", 16, &p);
    CHECK_NEAR(c.res.lines[0].left, 64, 0.01);
    CHECK_NEAR(xof(&c, 0), 64, 0.01);
    CHECK_NEAR(xof(&c, 1), 80, 0.01);
    CHECK_NEAR(c.res.lines[0].width, 32, 0.01);
    p.align = BL_ALIGN_RIGHT;
    c = compose("标题", 16, &p);
    CHECK_NEAR(xof(&c, 0), 128, 0.01);
    p.align = BL_ALIGN_LEFT;
    c = compose("一二三四五六七八九十一二", 16, &p);
    CHECK_STR(c.lines, "一二三四五六七八九十|一二");
    CHECK_NEAR(c.res.lines[0].width, 160, 0.01);
    /* A centred line keeps the space inside it. */
    p.align = BL_ALIGN_CENTER;
    c = compose("专 报", 16, &p);
    CHECK_STR(c.lines, "专 报");
    CHECK_NEAR(c.res.lines[0].width, 40, 0.01);
    CHECK_NEAR(c.res.lines[0].left, 60, 0.01);
}

static void test_balanced(void)
{
    bl_lb_params p = {442.2f, 0, 0, BL_ALIGN_CENTER, 1, 0, 0};
    composed c = compose("强化问题导向 抓实督导检查 推动党委政府深化产业工人队伍建设改革", 22, &p);
    CHECK_INT(c.st, BL_OK);
    CHECK_STR(c.lines, "强化问题导向 抓实督导检查|推动党委政府深化产业工人队伍建设改革");
    CHECK_INT(hiddenof(&c, 13), 1); /* the space at the break */
    CHECK_INT(hiddenof(&c, 6), 0);
    CHECK_NEAR(c.res.lines[0].width, 12 * 22 + 11, 0.01);
    CHECK_NEAR(c.res.lines[0].left, (442.2 - 275) / 2, 0.01);
    CHECK_NEAR(c.res.lines[1].left, (442.2 - 18 * 22) / 2, 0.01);
    /* Without spaces: equal halves, not a full line and a short one. */
    c = compose("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十", 22, &p);
    CHECK_STR(c.lines, "一二三四五六七八九十一二三四五|六七八九十一二三四五六七八九十");
    /* Unbalanced centring fills the first line. */
    p.balance = 0;
    c = compose("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十", 22, &p);
    CHECK_INT(c.res.lines[0].count, 20);
    /* Balanced but never a last line of one character. */
    p.balance = 1;
    c = compose("一二三四五六七八九十一二三四五六七八九十一 字", 22, &p);
    CHECK(c.res.nlines == 2 && c.res.lines[1].count > 1);
}

/* Format characters have their Unicode meaning (UAX #14): ZWSP is a break
 * of no width, WJ and ZWNBSP glue, a tab is a breaking space; a combining
 * mark that is an item of its own never starts a line. The zero-width ones
 * are hidden. */
static void test_format_chars(void)
{
    bl_lb_params p = params(5, 16);
    /* Latin words joined by ZWSP break there, never inside a word. */
    composed c = compose("abcd\u200Befgh\u200Bijkl\u200Bmnop", 16, &p);
    CHECK_INT(c.st, BL_OK);
    CHECK_STR(c.lines, "abcdefgh|ijklmnop"); /* hidden items are not shown */
    CHECK_INT(c.res.lines[1].first, 10);
    CHECK_INT(hiddenof(&c, 4), 1);
    /* ZWSP takes no room; justification may open it (the only slot). */
    CHECK_NEAR(xof(&c, 5), 48, 0.01);
    /* WJ: no break on either side, even between Han. */
    CHECK_STR(lines_of("一二三四五六七", 5), "一二三四五|六七");
    c = compose("一二三四五\u2060六七", 16, &p);
    CHECK_STR(c.lines, "一二三四|五六七");
    CHECK_INT(hiddenof(&c, 5), 1);
    CHECK_NEAR(xof(&c, 6) - xof(&c, 4), 16, 0.01); /* no slot doubled around it */
    CHECK_STR(lines_of("一二三四五\uFEFF六七", 5), "一二三四|五六七");
    CHECK_STR(lines_of("一二三四五\u00A0六七", 5.5f), "一二三四|五\u00A0六七");
    /* A tab is a breaking space. */
    CHECK_STR(lines_of("abcdefgh\tijkl", 5), "abcdefgh|ijkl");
    /* A combining mark (an item of its own) stays with its base. */
    CHECK_STR(lines_of("一二三四五\u0301六七", 5), "一二三四|五\u0301六七");
    /* 50,000 ZWJ ZWSP WJ ZWNBSP: composed, linear, nothing drawn. */
    size_t len = 50000 * 12 + 3;
    char *s = bl_arena_alloc(arena, len + 1);
    memcpy(s, "文", 3);
    for (size_t i = 0; i < 50000; i++)
        memcpy(s + 3 + 12 * i, "\u200D\u200B\u2060\uFEFF", 12);
    s[len] = '\0';
    c = compose(s, 16, &p);
    CHECK_INT(c.st, BL_OK);
    CHECK_STR(c.lines, "文");
    CHECK(c.res.measured <= 100 * c.n + (1u << 20));
}

/* GB/T 9704 7.3.1: titles break at typed spaces, then at ICU's word
 * boundaries, never inside 《》 when another break works, as a trapezoid. */
static void test_title_words(void)
{
    bl_lb_params p = {20 * 22, 0, 0, BL_ALIGN_CENTER, 1, 0, 0};
    composed c = compose("中共中央办公厅国务院办公厅关于进一步推进政治建设和加强基层治理的实施意见",
                         22, &p);
    CHECK_STR(c.lines, "中共中央办公厅国务院办公厅关于进一步|推进政治建设和加强基层治理的实施意见");
    c = compose("关于推进产业工人队伍建设改革评价考核工作情况的通报", 22, &p);
    CHECK_STR(c.lines, "关于推进产业工人队伍建设改革|评价考核工作情况的通报");
    CHECK(c.res.lines[1].width <= c.res.lines[0].width); /* a trapezoid */
    /* 《》 stays whole, with a line more when two lines would split it. */
    p.measure = 12 * 22;
    c = compose("关于印发《党政机关公文格式》国家标准的通知", 22, &p);
    CHECK_STR(c.lines, "关于印发|《党政机关公文格式》|国家标准的通知");
    p.measure = 20 * 22;
    c = compose("依照GB/T 9704—2012《党政机关公文格式》国家标准编排的公文样式", 22, &p);
    CHECK(strstr(c.lines, "《党政机关公文格式》") != NULL);
}

/* Long Latin words are hyphenated (en-US patterns) where that beats
 * pushing the word down; the line's width includes the hyphen the caller
 * draws. Never in a URL, a short word or a title. */
static void test_hyphenation(void)
{
    bl_lb_params p = params(12, 16);
    p.hyphen = 0.33f;
    composed c = compose("会议采用了internationalization和standardization的方法", 16, &p);
    CHECK_INT(c.st, BL_OK);
    CHECK_STR(c.lines, "会议采用了internation|alization和standardiza|tion的方法");
    CHECK_NEAR(c.res.lines[0].hyphen, 0.33 * 16, 0.01);
    CHECK_NEAR(c.res.lines[2].hyphen, 0, 0.01);
    CHECK(justified(&c, &p));
    /* The last letter ends where the hyphen begins. */
    const bl_lb_line *ln = &c.res.lines[0];
    size_t k = ln->count - 1;
    CHECK_NEAR(ln->x[k] + ln->advance[k], ln->left + ln->width - ln->hyphen, 0.01);
    /* Without a hyphen width: no hyphenation, the word goes down whole. */
    p.hyphen = 0;
    c = compose("会议采用了internationalization和standardization的方法", 16, &p);
    CHECK(strstr(c.lines, "internationalization") != NULL);
    p.hyphen = 0.33f;
    /* Not in a URL, not in a word under six letters, not in a title. */
    c = compose("见https://example.com/internationalization/page", 16, &p);
    for (size_t l = 0; l < c.res.nlines; l++)
        CHECK_NEAR(c.res.lines[l].hyphen, 0, 0.01);
    CHECK_STR(lines_of("一二三四五六七八九十一二abcde", 13), "一二三四五六七八九十一二|abcde");
    bl_lb_params t = {12 * 16, 0, 0, BL_ALIGN_CENTER, 1, 0, 0.33f};
    c = compose("会议采用了internationalization和standardization的方法", 16, &t);
    for (size_t l = 0; l < c.res.nlines; l++)
        CHECK_NEAR(c.res.lines[l].hyphen, 0, 0.01);
}

static void test_errors(void)
{
    /* A unit wider than the measure gets emergency breaks, listed. */
    bl_lb_params p = params(5, 16);
    composed c = compose("一ABCDEFGHIJKLMNOP二", 16, &p);
    CHECK_INT(c.st, BL_OK);
    CHECK_STR(c.lines, "一ABCDEF|GHIJKLMNOP|二");
    CHECK_INT(c.res.nemergency, 1);
    CHECK_INT(c.res.emergency[0], 7); /* G starts a line after an emergency break */
    CHECK(justified(&c, &p));
    /* Only when needed: a word that fits keeps its break at the space. */
    CHECK_STR(lines_of("一二 ABCDEFGH", 5), "一二|ABCDEFGH");
    CHECK_INT(compose("一二 ABCDEFGH", 16, &p).res.nemergency, 0);
    /* The prohibitions hold even then: “三” in 30 pt cannot be set. */
    c = compose("一二“三”", 16, &(bl_lb_params){30, 0, 0, BL_ALIGN_JUSTIFY, 0, 0, 0});
    CHECK_INT(c.st, BL_ERR_LAYOUT);
    CHECK_INT(c.err.code, BL_ERR_LAYOUT);
    CHECK(strstr(c.err.message, "“三”") != NULL);
    CHECK_INT(c.res.error_item, 2); /* where the unit starts, for file:line:col */
    CHECK_INT(c.res.nlines, 0);
}

/* Generated paragraphs (a fixed LCG, so the run is reproducible): the lines
 * cover the items in order, no line starts with a no-start mark or ends with
 * an opening one, and every line but the last is justified. */
static void test_generated(void)
{
    static const char *const pool[] = {"中", "文", "排", "版", "，", "。", "、", "：", "“",
                                       "”", "《", "》", "（", "）", "——", "……", "2023",
                                       " ", "87.6%", "GB/T", "！", "·"};
    static const char *const no_start[] = {"，", "。", "、", "：", "”", "》", "）", "！", "·"};
    static const char *const no_end[] = {"“", "《", "（"};
    unsigned seed = 12345;
    int covered = 1, kinsoku = 1, just = 1, ok = 1;
    for (int round = 0; round < 300; round++) {
        char s[1024] = "";
        size_t parts = 5 + round % 60;
        for (size_t i = 0; i < parts; i++) {
            seed = seed * 1103515245u + 12345u;
            const char *piece = pool[(seed >> 16) % (sizeof pool / sizeof pool[0])];
            if (strlen(s) + strlen(piece) + 3 < sizeof s) {
                strcat(s, piece);
                if ((unsigned char)piece[0] < 0x80 && piece[0] != ' ')
                    strcat(s, "文"); /* Latin pieces never merge into a unit wider than the measure */
            }
        }
        bl_lb_params p = params(8 + (float)(round % 13), 16);
        p.first_indent = (round % 2) ? 32 : 0;
        p.grid = (round % 3) ? 0 : p.measure / (8 + (float)(round % 13));
        composed c = compose(s, 16, &p);
        if (c.st != BL_OK) {
            ok = 0;
            fprintf(stderr, "generated paragraph failed: %s: %s\n", s, c.err.message);
            continue;
        }
        size_t next = 0;
        for (size_t l = 0; l < c.res.nlines; l++) {
            const bl_lb_line *ln = &c.res.lines[l];
            if (ln->first != next || ln->count == 0)
                covered = 0;
            next = ln->first + ln->count;
            const char *first = s + c.items[ln->first].text_off;
            size_t lastk = ln->first + ln->count - 1;
            const char *lastc = s + c.items[lastk].text_off;
            for (size_t q = 0; q < sizeof no_start / sizeof no_start[0]; q++)
                if (l > 0 && strncmp(first, no_start[q], strlen(no_start[q])) == 0)
                    kinsoku = 0;
            for (size_t q = 0; q < sizeof no_end / sizeof no_end[0]; q++)
                if (l + 1 < c.res.nlines && strncmp(lastc, no_end[q], strlen(no_end[q])) == 0)
                    kinsoku = 0;
        }
        if (next != c.n)
            covered = 0;
        if (!justified(&c, &p)) {
            just = 0;
            fprintf(stderr, "not justified: %s -> %s\n", s, c.lines);
        }
    }
    CHECK(ok);
    CHECK(covered);
    CHECK(kinsoku);
    CHECK(just);
}

/* Composes the sample paragraph repeated k times; returns the candidate
 * lines the composer measured (its unit of work) and the line count. */
static size_t work_para(int k, size_t *nlines)
{
    size_t len = strlen(sample_para);
    char *s = bl_arena_alloc(arena, len * (size_t)k + 1);
    for (int i = 0; i < k; i++)
        memcpy(s + len * (size_t)i, sample_para, len);
    s[len * (size_t)k] = '\0';
    bl_lb_params p = {442.2f, 32, 0, BL_ALIGN_JUSTIFY, 0, 442.2f / 28, 0};
    composed c = compose(s, 16, &p);
    CHECK_INT(c.st, BL_OK);
    *nlines = c.res.nlines;
    if (k == 100)
        CHECK(justified(&c, &p));
    return c.res.measured;
}

/* Items for s with the synthetic widths (one per code point), from the arena. */
static bl_lb_item *items_of(const char *s, size_t len, float em, size_t *n)
{
    bl_lb_item *items = bl_arena_calloc(arena, len + 1, sizeof *items);
    *n = 0;
    for (size_t off = 0; off < len;) {
        uint32_t cp;
        size_t k = bl_utf8_decode(s + off, len - off, &cp);
        if (k == 0)
            k = 1;
        items[*n].text_off = (uint32_t)off;
        items[*n].text_len = (uint32_t)k;
        items[*n].width = synthetic_width(cp, em);
        items[*n].em = em;
        (*n)++;
        off += k;
    }
    return items;
}

/* The lead measures text with a huge measure: one line, natural width
 * (Han/Latin gaps in, the line-end mark at ½ 字). */
static void test_measuring(void)
{
    bl_lb_params p = {1e6f, 0, 0, BL_ALIGN_LEFT, 0, 0, 0};
    composed c = compose("中文ABC中文，", 16, &p);
    CHECK_INT(c.st, BL_OK);
    CHECK_INT(c.res.nlines, 1);
    CHECK_NEAR(c.res.lines[0].width, 32 + 4 + 24 + 4 + 32 + 8, 0.01);
    c = compose("强化问题导向 抓实督导检查", 22, &p);
    CHECK_INT(c.res.nlines, 1);
    CHECK_NEAR(c.res.lines[0].width, 12 * 22 + 11, 0.01);
    /* Justified text that fits is one flush-left line too. */
    p.align = BL_ALIGN_JUSTIFY;
    p.measure = 200;
    c = compose("一二三", 16, &p);
    CHECK_INT(c.res.nlines, 1);
    CHECK_NEAR(c.res.lines[0].width, 48, 0.01);
    CHECK_NEAR(xof(&c, 2), 32, 0.01);
}

/* NaN, infinite and negative sizes are set as zero width: no crash, no
 * hang, and the rest of the paragraph composes as before. */
static void test_hostile_numbers(void)
{
    const char *s = "一二三四五六七八九十";
    size_t len = strlen(s), n;
    bl_lb_params p = params(5, 16);
    bl_lb_result res;
    bl_error err;
    static const float bad[] = {NAN, INFINITY, -INFINITY, -16, 0};
    for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
        bl_lb_item *items = items_of(s, len, 16, &n);
        items[2].width = bad[b];
        bl_error_clear(&err);
        CHECK_INT(bl_lb_compose(s, len, items, n, &p, arena, &res, &err), BL_OK);
        /* 三 takes no room: six characters fit on the first line. */
        CHECK_INT(res.nlines, 2);
        CHECK_INT(res.lines[0].count, 6);
        CHECK_NEAR(res.lines[0].x[3], 32, 0.01);
    }
    /* A NaN em falls back to a usable one. */
    bl_lb_item *items = items_of(s, len, 16, &n);
    items[0].em = NAN;
    bl_error_clear(&err);
    CHECK_INT(bl_lb_compose(s, len, items, n, &p, arena, &res, &err), BL_OK);
    CHECK_INT(res.nlines, 2);
    /* A NaN measure: every unit is too wide, reported as such. */
    p.measure = NAN;
    bl_error_clear(&err);
    CHECK_INT(bl_lb_compose(s, len, items, n, &p, arena, &res, &err), BL_ERR_LAYOUT);
    CHECK(strstr(err.message, "一") != NULL);
    /* An infinite measure: one line. */
    p.measure = INFINITY;
    bl_error_clear(&err);
    CHECK_INT(bl_lb_compose(s, len, items, n, &p, arena, &res, &err), BL_OK);
    CHECK_INT(res.nlines, 1);
    /* Items outside the text are the caller's bug. */
    items[3].text_off = (uint32_t)len;
    bl_error_clear(&err);
    CHECK_INT(bl_lb_compose(s, len, items, n, &p, arena, &res, &err), BL_ERR_USAGE);
}

/* Composes piece repeated to about `bytes` bytes (zero_every > 0: all but
 * every zero_every-th item zero-width); returns the item count. */
static size_t compose_repeated(const char *piece, size_t bytes, const bl_lb_params *p,
                               float zero_every, bl_lb_result *res, bl_status *st)
{
    size_t pl = strlen(piece), reps = bytes / pl, len = pl * reps, n;
    char *s = bl_arena_alloc(arena, len + 1);
    for (size_t i = 0; i < reps; i++)
        memcpy(s + i * pl, piece, pl);
    s[len] = '\0';
    bl_lb_item *items = items_of(s, len, 16, &n);
    if (zero_every > 0)
        for (size_t i = 0; i < n; i++)
            if (i % (size_t)zero_every)
                items[i].width = 0;
    bl_error err;
    bl_error_clear(&err);
    *st = bl_lb_compose(s, len, items, n, p, arena, res, &err);
    return n;
}

/* The work of a paragraph of 1 MiB is linear in its items: at most a fixed
 * number of candidate lines per item (the look-back's budget of 32 a break,
 * its narrowed windows and bisection) plus a constant, and 4× the text costs
 * at most about 4× the work (quadratic would be 16×). Counted, never timed. */
static void check_linear_work(const char *what, const char *piece, const bl_lb_params *p,
                              float zero_every, size_t *nlines)
{
    bl_lb_result res;
    bl_status st;
    size_t n4 = compose_repeated(piece, 1u << 18, p, zero_every, &res, &st);
    CHECK_INT(st, BL_OK);
    size_t w4 = res.measured;
    size_t n1 = compose_repeated(piece, 1u << 20, p, zero_every, &res, &st);
    CHECK_INT(st, BL_OK);
    size_t w1 = res.measured;
    *nlines = res.nlines;
    int per_item = w1 <= 100 * n1 + (3u << 20);
    int ratio = w1 <= 5 * w4 + (2u << 20);
    if (getenv("LB_WORK") || !per_item || !ratio)
        fprintf(stderr, "%s: %zu items measured %zu lines, %zu items %zu\n", what, n4, w4,
                n1, w1);
    CHECK(per_item);
    CHECK(ratio);
}

/* 1 MiB paragraphs, also the degenerate ones (mostly zero-width items; a
 * measure thousands of characters wide) whose look-back is narrowed to keep
 * the work linear. */
static void test_mebibyte(void)
{
    bl_lb_params p = {442.2f, 32, 0, BL_ALIGN_JUSTIFY, 0, 442.2f / 28, 0};
    size_t nlines;
    check_linear_work("mixed", "一、严密组织督查。2022年，“省协调小组”（以下简称）抽查2—3家，87.6%……",
                      &p, 0, &nlines);
    CHECK(nlines > 10000);
    check_linear_work("latin", "hello world ", &p, 0, &nlines);
    check_linear_work("zero-width", "字", &p, 3, &nlines); /* two of every three zero-width */
    /* 6250 characters to the line: the narrowed look-back still fills the
     * lines (about 56 of them, each justified to the measure). */
    p.measure = 1e5f;
    p.first_indent = 0;
    p.grid = 0;
    check_linear_work("wide measure", "字", &p, 0, &nlines);
    CHECK(nlines >= 56 && nlines <= 58);
    bl_lb_result res;
    bl_status st;
    compose_repeated("字", 1u << 20, &p, 0, &res, &st);
    CHECK_INT(st, BL_OK);
    int just = 1;
    for (size_t l = 0; l + 1 < res.nlines; l++)
        if (fabsf(res.lines[l].left + res.lines[l].width - p.measure) > 0.05f) /* float spacing at 1e5 pt is 0.008 */
            just = 0;
    CHECK(just);
}

static void test_linear(void)
{
    size_t n1, n10, n100;
    size_t w1 = work_para(1, &n1);
    size_t w10 = work_para(10, &n10);
    size_t w100 = work_para(100, &n100);
    CHECK(n10 >= 9 * n1 && n10 <= 11 * n1);
    CHECK(n100 >= 9 * n10 && n100 <= 11 * n10);
    /* Linear: 10× the text is about 10× the work (quadratic would be 100×). */
    CHECK(w10 <= 12 * w1);
    CHECK(w100 <= 12 * w10);
    CHECK(w100 >= 8 * w10);
}

int main(void)
{
    arena = bl_arena_new();
    test_empty_and_one();
    test_kinsoku_start();
    test_kinsoku_end();
    test_dash_ellipsis();
    test_numbers();
    test_icu_fallback();
    test_url();
    test_url_lines_ragged();
    test_mixed_quotes();
    test_many_marks();
    test_compression();
    test_han_latin_gap();
    test_grid();
    test_justification();
    test_widow();
    test_alignment();
    test_balanced();
    test_format_chars();
    test_title_words();
    test_hyphenation();
    test_errors();
    test_generated();
    test_linear();
    test_measuring();
    test_hostile_numbers();
    test_mebibyte();
    bl_arena_free(arena);
    return check_summary();
}
