/* style_tests.c - layout files: the shipped layouts, every value type good and
 * bad, every error with its message and position, base chains and cycles,
 * and docs/layouts.md covering every schema key. Run from the repository root. */
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/fileio.h"
#include "check.h"
#include "layout/style.h"

static bl_arena *arena;

/* Parses text as "t.layout" with the shipped layouts as bases. */
static const bl_style *parse(const char *text, bl_error *e)
{
    const bl_style *s = NULL;
    bl_error_clear(e);
    bl_status st = bl_style_parse(text, strlen(text), "t.layout", "layouts", arena, &s, e);
    if (st != BL_OK)
        CHECK(s == NULL); /* no half-made style on failure */
    else
        CHECK(s != NULL && e->code == BL_OK);
    return s;
}

/* Parses "base = zhuanbao" + a section + one line: for single values. */
static const bl_style *parse1(const char *section, const char *line, bl_error *e)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "base = zhuanbao\n[%s]\n%s\n", section, line);
    return parse(buf, e);
}

#define CHECK_ERR(e, l, c, msg)                   \
    do {                                          \
        CHECK_INT((e).code, BL_ERR_SYNTAX);       \
        CHECK_INT((e).line, (l));                 \
        CHECK_INT((e).col, (c));                  \
        CHECK_STR((e).message, (msg));            \
    } while (0)

/* A one-line value error on line 3 of parse1's text. */
#define CHECK_VALUE_ERR(section, line, c, msg)           \
    do {                                                 \
        bl_error e_;                                     \
        CHECK(parse1((section), (line), &e_) == NULL);   \
        CHECK_ERR(e_, 3, (c), (msg));                    \
        CHECK_STR(e_.file, "t.layout");                  \
    } while (0)

static int color_is(bl_color c, bl_colorspace sp, float a, float b, float cc, float d)
{
    const float eps = 1e-4f;
    return c.space == sp && fabsf(c.v[0] - a) < eps && fabsf(c.v[1] - b) < eps &&
           fabsf(c.v[2] - cc) < eps && fabsf(c.v[3] - d) < eps;
}

static const bl_style *load(const char *name, bl_error *e)
{
    const bl_style *s = NULL;
    bl_error_clear(e);
    bl_style_load(name, "layouts", arena, &s, e);
    return s;
}

static void test_zhuanbao(void)
{
    bl_error e;
    const bl_style *s = load("zhuanbao", &e);
    CHECK(s != NULL);
    if (!s) {
        fprintf(stderr, "zhuanbao: %s:%d:%d: %s\n", e.file, e.line, e.col, e.message);
        return;
    }
    CHECK_STR(s->name, "zhuanbao");
    CHECK_STR(s->path, "layouts/zhuanbao.layout");
    CHECK_NEAR(s->page_width, 595.28, 0.01);
    CHECK_NEAR(s->page_height, 841.89, 0.01);
    CHECK_NEAR(s->margin_top, 104.88, 0.01);
    CHECK_NEAR(s->margin_left, 79.37, 0.01);
    CHECK_NEAR(s->margin_right, 73.70, 0.01);
    CHECK_NEAR(s->margin_bottom, 99.21, 0.01);
    CHECK_INT(s->grid_lines, 22);
    CHECK_INT(s->grid_chars, 28);
    CHECK_INT(s->two_sided, 1);
    /* [fonts] */
    CHECK_INT(s->role_npatterns[BL_ROLE_TITLE], 3);
    CHECK_STR(s->role_patterns[BL_ROLE_TITLE][0], "方正小标宋简体");
    CHECK_STR(s->role_patterns[BL_ROLE_TITLE][2], "Noto Serif CJK SC:weight=black");
    CHECK_INT(s->role_npatterns[BL_ROLE_KAI], 5);
    CHECK_STR(s->role_patterns[BL_ROLE_KAI][2], "AR PL KaitiM GB");
    CHECK_STR(s->role_patterns[BL_ROLE_BODY][0], "仿宋_GB2312");
    CHECK_STR(s->role_patterns[BL_ROLE_HEI][2], "Noto Sans CJK SC");
    CHECK_STR(s->role_patterns[BL_ROLE_FOLIO][1], "SimSun");
    /* [masthead] */
    CHECK_INT(s->cls_font, BL_ROLE_HEI);
    CHECK_NEAR(s->cls_size, 16, 1e-6);
    CHECK_NEAR(s->cls_baseline, 17.01, 0.01);
    CHECK_INT(s->mh_font, BL_ROLE_TITLE);
    CHECK_NEAR(s->mh_size, 26, 1e-6);
    CHECK_NEAR(s->mh_min_size, 18, 1e-6);
    CHECK_NEAR(s->mh_spacing, 0.5, 1e-6);
    CHECK(color_is(s->mh_color, BL_CMYK, 0, 1, 1, 0));
    CHECK_NEAR(s->mh_pitch, 34, 1e-6);
    CHECK_NEAR(s->name_size, 66, 1e-6);
    CHECK_NEAR(s->name_spacing, 1, 1e-6);
    CHECK_NEAR(s->name_baseline, 136.06, 0.01);
    CHECK_INT(s->issue_font, BL_ROLE_KAI);
    CHECK_STR(s->issue_format, "{issue}（{serial}）");
    CHECK_INT(s->issuer_font, BL_ROLE_BODY);
    CHECK_NEAR(s->issuer_indent, 1, 1e-6);
    CHECK_STR(s->issuer_suffix, "");
    CHECK_NEAR(s->rule_offset, 11.34, 0.01);
    CHECK_STR(s->rule_style, "thick-thin");
    CHECK_NEAR(s->rule_width, 1.5, 1e-6);
    CHECK_NEAR(s->rule_thin_width, 0.75, 1e-6);
    CHECK_NEAR(s->rule_gap, 1, 1e-6);
    CHECK(color_is(s->rule_color, BL_CMYK, 0, 1, 1, 0));
    CHECK_NEAR(s->mh_space_after, 1, 1e-6);
    /* [toc] */
    CHECK_INT(s->toc_enabled, 1);
    CHECK_STR(s->toc_title, "目　录");
    CHECK_INT(s->toc_item_font, BL_ROLE_KAI);
    CHECK_NEAR(s->toc_item_indent, 2, 1e-6);
    CHECK_STR(s->toc_bullet, "◆");
    CHECK_INT(s->toc_page_numbers, 0);
    CHECK_STR(s->toc_leader, "…");
    CHECK_INT(s->toc_new_page_after, 1);
    /* [title] [body] */
    CHECK_NEAR(s->title_size, 22, 1e-6);
    CHECK(color_is(s->title_color, BL_GRAY, 0, 0, 0, 0));
    CHECK_NEAR(s->title_space_before, 2, 1e-6);
    CHECK_INT(s->title_new_page, 0);
    CHECK_INT(s->body_font, BL_ROLE_BODY);
    CHECK_NEAR(s->body_size, 16, 1e-6);
    CHECK_NEAR(s->body_indent, 2, 1e-6);
    CHECK_INT(s->h1_font, BL_ROLE_HEI);
    CHECK_INT(s->h2_font, BL_ROLE_KAI);
    CHECK_INT(s->h3_font, BL_ROLE_BODY);
    CHECK_INT(s->h4_font, BL_ROLE_BODY);
    CHECK_STR(s->note_label, "编者按：");
    CHECK_STR(s->source_format, "（{source}）");
    CHECK_STR(s->source_align, "right");
    /* [section] */
    CHECK_INT(s->sec_font, BL_ROLE_TITLE);
    CHECK_NEAR(s->sec_size, 22, 1e-6);
    CHECK(color_is(s->sec_color, BL_CMYK, 0, 1, 1, 0));
    CHECK_STR(s->sec_align, "center");
    CHECK_NEAR(s->item_space_before, 0.5, 1e-6);
    CHECK_STR(s->item_bullet, "◆");
    /* [footer] [folio] */
    CHECK_NEAR(s->foot_size, 14, 1e-6);
    CHECK_NEAR(s->foot_pitch, 22.68, 0.01);
    CHECK_NEAR(s->foot_rule_thick, 0.99, 0.01);
    CHECK_NEAR(s->foot_rule_thin, 0.71, 0.01);
    CHECK_INT(s->foot_even_page, 1);
    CHECK_STR(s->foot_copies_align, "right");
    CHECK_INT(s->folio_enabled, 1);
    CHECK_INT(s->folio_font, BL_ROLE_FOLIO);
    CHECK_NEAR(s->folio_offset, 19.84, 0.01);
    CHECK_STR(s->folio_format, "— {n} —");
    CHECK_STR(s->folio_position, "outside");
}

static void test_jianbao_gongwen(void)
{
    bl_error e;
    const bl_style *j = load("jianbao", &e);
    CHECK(j != NULL);
    if (j) {
        CHECK_STR(j->name, "jianbao");
        CHECK_STR(j->rule_style, "single");
        CHECK_NEAR(j->rule_width, 1, 1e-6);
        CHECK_NEAR(j->name_size, 48, 1e-6);
        CHECK_NEAR(j->name_spacing, 0.5, 1e-6);
        CHECK_INT(j->toc_new_page_after, 0);
        CHECK_INT(j->sec_font, BL_ROLE_HEI);
        CHECK_NEAR(j->sec_size, 16, 1e-6);
        CHECK_STR(j->sec_align, "left");
        CHECK(color_is(j->sec_color, BL_GRAY, 0, 0, 0, 0));
        CHECK_NEAR(j->sec_spacing, 0, 1e-6);
        /* inherited from zhuanbao */
        CHECK_NEAR(j->margin_top, 104.88, 0.01);
        CHECK_STR(j->role_patterns[BL_ROLE_TITLE][0], "方正小标宋简体");
        CHECK_INT(j->toc_enabled, 1);
    }
    const bl_style *g = load("gongwen", &e);
    CHECK(g != NULL);
    if (g) {
        CHECK_STR(g->name, "gongwen");
        CHECK_NEAR(g->mh_baseline, 121.89, 0.01); /* 43mm: top edge at 35mm */
        CHECK_NEAR(g->issue_baseline, 209.76, 0.01);
        CHECK_NEAR(g->issuer_baseline, 249.45, 0.01);
        CHECK_NEAR(g->rule_offset, 11.34, 0.01);
        CHECK(color_is(g->mh_color, BL_CMYK, 0, 1, 1, 0));
        CHECK_INT(g->mh_font, BL_ROLE_TITLE);
        CHECK_NEAR(g->name_size, 16, 1e-6);
        CHECK(color_is(g->name_color, BL_GRAY, 0, 0, 0, 0));
        CHECK_STR(g->rule_style, "single");
        CHECK_NEAR(g->rule_width, 1, 1e-6);
        CHECK_INT(g->toc_enabled, 0);
        CHECK_NEAR(g->title_size, 22, 1e-6);
        CHECK_NEAR(g->mh_space_after, 2, 1e-6);
        CHECK_NEAR(g->body_size, 16, 1e-6);
    }
    /* A path works as well as a name. */
    const bl_style *p = load("layouts/jianbao.layout", &e);
    CHECK(p != NULL);
    if (p) {
        CHECK_STR(p->name, "jianbao");
        CHECK_STR(p->path, "layouts/jianbao.layout");
    }
}

static void test_unknown_layout(void)
{
    bl_error e;
    CHECK(load("foo", &e) == NULL);
    CHECK_INT(e.code, BL_ERR_SYNTAX);
    CHECK_INT(e.line, 0);
    CHECK_STR(e.file, "");
    CHECK_STR(e.message, "unknown layout 'foo' (shipped: gongwen, jianbao, zhuanbao)");
    /* A missing file given as a path is an I/O error on that file. */
    CHECK(load("no/such.layout", &e) == NULL);
    CHECK_INT(e.code, BL_ERR_IO);
    CHECK_STR(e.file, "no/such.layout");
    const bl_style *s = NULL;
    bl_error_clear(&e);
    CHECK_INT(bl_style_load(NULL, "layouts", arena, &s, &e), BL_ERR_USAGE);
}

static void test_base_override(void)
{
    bl_error e;
    const bl_style *s = parse("\xEF\xBB\xBF# my office\r\n"
                              "base = \"zhuanbao\"   # quoted works too\r\n"
                              "[page]\r\n"
                              "margin-top = 3.5cm\r\n"
                              "[fonts]\r\n"
                              "title = \"Noto Serif CJK SC:weight=bold\"\r\n"
                              "kai=\"A\",\"B \\\"q\\\" \\\\\"  # a comment, \"not a pattern\"\r\n"
                              "[page]\r\n"
                              "  lines\t=\t20\r\n",
                              &e);
    CHECK(s != NULL);
    if (!s) {
        fprintf(stderr, "override: %d:%d: %s\n", e.line, e.col, e.message);
        return;
    }
    CHECK_STR(s->name, "t");
    CHECK_STR(s->path, "t.layout");
    CHECK_NEAR(s->margin_top, 99.21, 0.01);
    CHECK_INT(s->grid_lines, 20);
    CHECK_INT(s->grid_chars, 28); /* from the base */
    /* A role's list is replaced as a whole. */
    CHECK_INT(s->role_npatterns[BL_ROLE_TITLE], 1);
    CHECK_STR(s->role_patterns[BL_ROLE_TITLE][0], "Noto Serif CJK SC:weight=bold");
    CHECK_INT(s->role_npatterns[BL_ROLE_KAI], 2);
    CHECK_STR(s->role_patterns[BL_ROLE_KAI][0], "A");
    CHECK_STR(s->role_patterns[BL_ROLE_KAI][1], "B \"q\" \\");
    CHECK_INT(s->role_npatterns[BL_ROLE_BODY], 4);
}

static void test_lengths_and_sizes(void)
{
    bl_error e;
    const bl_style *s;
    s = parse1("page", "width = 1in", &e);
    CHECK(s && fabsf(s->page_width - 72) < 1e-4f);
    s = parse1("page", "width = 2.54cm", &e);
    CHECK(s && fabsf(s->page_width - 72) < 1e-3f);
    s = parse1("page", "width = 25.4 mm", &e);
    CHECK(s && fabsf(s->page_width - 72) < 1e-3f);
    s = parse1("page", "width = .5pt", &e);
    CHECK(s && fabsf(s->page_width - 0.5f) < 1e-6f);
    s = parse1("page", "width = 0mm", &e);
    CHECK(s && s->page_width == 0);
    CHECK_VALUE_ERR("page", "width = 37", 9, "length '37' needs a unit (mm, cm, pt or in)");
    CHECK_VALUE_ERR("page", "width = 37px", 11,
                    "unknown unit 'px' in '37px' (use mm, cm, pt or in)");
    CHECK_VALUE_ERR("page", "width = wide", 9, "expected a length such as 37mm, got 'wide'");
    CHECK_VALUE_ERR("page", "width = -3mm", 9,
                    "'-3mm' is out of range: a length cannot be negative");
    CHECK_VALUE_ERR("page", "width = 6000mm", 9,
                    "'6000mm' is out of range: lengths are at most 5080mm (14400pt)");
    CHECK_VALUE_ERR("page", "width = 37mm 2", 14, "unexpected text after the value: '2'");
    CHECK_VALUE_ERR("page", "width = 3,5mm", 10,
                    "decimal comma in '3,5': write a decimal point (3.5)");
    CHECK_VALUE_ERR("body", "indent = 1,5字", 11,
                    "decimal comma in '1,5': write a decimal point (1.5)");
    {
        /* Regression (found by fuzz_style): a decimal comma after a number
         * longer than the message's excerpt wrote past the excerpt buffer. */
        char line[300] = "height = 2";
        for (int i = 0; i < 150; i++)
            strcat(line, "3");
        strcat(line, ",3275758");
        CHECK(parse1("page", line, &e) == NULL);
        CHECK_INT(e.code, BL_ERR_SYNTAX);
        CHECK(strncmp(e.message, "decimal comma in '2333", 22) == 0);
    }

    s = parse1("body", "size = 10.5pt", &e);
    CHECK(s && fabsf(s->body_size - 10.5f) < 1e-6f);
    s = parse1("body", "size = 小初", &e);
    CHECK(s && s->body_size == 36);
    s = parse1("body", "size = 初号 # biggest", &e);
    CHECK(s && s->body_size == 42);
    s = parse1("body", "size = 5mm", &e);
    CHECK(s && fabsf(s->body_size - 14.173f) < 1e-3f);
    CHECK_VALUE_ERR("body", "size = 16", 8,
                    "size '16' needs a unit (pt) or a 号 name such as 三号");
    CHECK_VALUE_ERR("body", "size = 0pt", 8,
                    "'0pt' is out of range: a type size must be more than 0pt and at most 500pt");
    CHECK_VALUE_ERR("body", "size = 501pt", 8,
                    "'501pt' is out of range: a type size must be more than 0pt and at most 500pt");
    CHECK_VALUE_ERR("body", "size = 十号", 8,
                    "unknown type size '十号' (use pt, or 初号 小初 一号 小一 二号 小二 三号 小三 "
                    "四号 小四 五号 小五 六号 小六 七号 八号)");
    CHECK_VALUE_ERR("body", "size = 16em", 10,
                    "unknown unit 'em' in '16em' (use pt, or a 号 name such as 三号)");
}

static void test_numbers(void)
{
    bl_error e;
    const bl_style *s;
    /* EM */
    s = parse1("body", "indent = 2字", &e);
    CHECK(s && s->body_indent == 2);
    s = parse1("body", "indent = 1.5 字", &e);
    CHECK(s && s->body_indent == 1.5f);
    s = parse1("body", "indent = 0", &e);
    CHECK(s && s->body_indent == 0);
    CHECK_VALUE_ERR("body", "indent = 2mm", 11,
                    "unknown unit 'mm' in '2mm' (a bare number, or 字)");
    CHECK_VALUE_ERR("body", "indent = -1", 10,
                    "'-1' is out of range: must be between 0 and 100 字");
    CHECK_VALUE_ERR("body", "indent = two", 10,
                    "expected a number of 字 (ems) such as 2 or 2字, got 'two'");
    /* LINES */
    s = parse1("title", "space-after = 0.5", &e);
    CHECK(s && s->title_space_after == 0.5f);
    s = parse1("title", "space-after = 3行", &e);
    CHECK(s && s->title_space_after == 3);
    CHECK_VALUE_ERR("title", "space-after = 201", 15,
                    "'201' is out of range: must be between 0 and 200 lines");
    CHECK_VALUE_ERR("title", "space-after = x", 15,
                    "expected a number of lines such as 1 or 0.5, got 'x'");
    /* INT */
    s = parse1("page", "chars = 30", &e);
    CHECK(s && s->grid_chars == 30);
    CHECK_VALUE_ERR("page", "chars = 22.5", 9, "expected a whole number, got '22.5'");
    CHECK_VALUE_ERR("page", "chars = 0", 9, "'0' is out of range: must be between 1 and 200");
    CHECK_VALUE_ERR("page", "lines = 201", 9, "'201' is out of range: must be between 1 and 200");
    CHECK_VALUE_ERR("page", "lines = 22x", 9, "expected a whole number, got '22x'");
    /* BOOL */
    s = parse1("page", "two-sided = 否", &e);
    CHECK(s && s->two_sided == 0);
    s = parse1("page", "two-sided = On", &e);
    CHECK(s && s->two_sided == 1);
    s = parse1("page", "two-sided = false", &e);
    CHECK(s && s->two_sided == 0);
    CHECK_VALUE_ERR("page", "two-sided = maybe", 13,
                    "expected yes or no (or true/false, on/off, 是/否), got 'maybe'");
}

static void test_colors(void)
{
    bl_error e;
    const bl_style *s;
    s = parse1("title", "color = cmyk(0, 80%, 80, 0)", &e);
    CHECK(s && color_is(s->title_color, BL_CMYK, 0, 0.8f, 0.8f, 0));
    s = parse1("title", "color = gray(25)", &e);
    CHECK(s && color_is(s->title_color, BL_GRAY, 0.75f, 0, 0, 0));
    s = parse1("title", "color = grey(0)", &e);
    CHECK(s && color_is(s->title_color, BL_GRAY, 1, 0, 0, 0));
    s = parse1("title", "color = RGB( 255 ,0,51 )", &e);
    CHECK(s && color_is(s->title_color, BL_RGB, 1, 0, 0.2f, 0));
    CHECK_VALUE_ERR("title", "color = red", 9,
                    "expected a colour: cmyk(C, M, Y, K), gray(G) or rgb(R, G, B), got 'red'");
    CHECK_VALUE_ERR("title", "color = cmyk(0, 100, 100)", 9, "cmyk() takes 4 values, got 3");
    CHECK_VALUE_ERR("title", "color = cmyk(0, 120, 100, 0)", 17,
                    "cmyk value 120 is out of range: must be between 0 and 100");
    CHECK_VALUE_ERR("title", "color = rgb(0, 0, 256)", 19,
                    "rgb value 256 is out of range: must be between 0 and 255");
    CHECK_VALUE_ERR("title", "color = gray(-5)", 14,
                    "gray value -5 is out of range: must be between 0 and 100");
    CHECK_VALUE_ERR("title", "color = gray 50", 14, "expected '(' after 'gray'");
    CHECK_VALUE_ERR("title", "color = gray(50", 16, "expected ',' or ')' in gray()");
    CHECK_VALUE_ERR("title", "color = gray(x)", 14, "expected a number in gray(), got 'x)'");
}

static void test_strings_and_roles(void)
{
    bl_error e;
    const bl_style *s;
    s = parse1("masthead", "rule-style = double", &e);
    CHECK(s && strcmp(s->rule_style, "double") == 0);
    s = parse1("masthead", "rule-style = \"single\"", &e);
    CHECK(s && strcmp(s->rule_style, "single") == 0);
    s = parse1("toc", "title = \"目 # 录\"  # the # inside quotes is text", &e);
    CHECK(s && strcmp(s->toc_title, "目 # 录") == 0);
    s = parse1("folio", "format = \"第{n}页\"", &e);
    CHECK(s && strcmp(s->folio_format, "第{n}页") == 0);
    CHECK_VALUE_ERR("masthead", "rule-style = triple", 14,
                    "expected one of single, double, thick-thin; got 'triple'");
    CHECK_VALUE_ERR("folio", "position = \"left\"", 12,
                    "expected one of outside, center, right; got 'left'");
    CHECK_VALUE_ERR("toc", "title = 目录", 9, "expected a quoted string (\"...\"), got '目录'");
    CHECK_VALUE_ERR("toc", "title = \"目录", 9, "unterminated string (missing the closing '\"')");
    CHECK_VALUE_ERR("toc", "title = \"目\\n录\"", 11,
                    "unknown escape '\\n' in a string (only \\\" and \\\\ are allowed)");
    CHECK_VALUE_ERR("toc", "title = \"a\" \"b\"", 13, "unexpected text after the value: '\"b\"'");
    CHECK_VALUE_ERR("folio", "format = \"— {page} —\"", 10,
                    "unknown placeholder '{page}' (this format may use {n})");
    CHECK_VALUE_ERR("masthead", "issue-format = \"{issue}({n})\"", 16,
                    "unknown placeholder '{n}' (this format may use {issue} {serial})");
    /* ROLE */
    s = parse1("body", "font = kai", &e);
    CHECK(s && s->body_font == BL_ROLE_KAI);
    s = parse1("body", "font = \"页码\"", &e);
    CHECK(s && s->body_font == BL_ROLE_FOLIO);
    s = parse1("body", "font = Hei", &e);
    CHECK(s && s->body_font == BL_ROLE_HEI);
    CHECK_VALUE_ERR("body", "font = 宋体", 8,
                    "unknown font role '宋体' (use 标题, 正文, 黑体, 楷体, 页码 or title, body, "
                    "hei, kai, folio)");
    /* [fonts] */
    CHECK_VALUE_ERR("fonts", "标题 = ", 6,
                    "role 标题 has no font patterns (give at least one, "
                    "e.g. \"Noto Serif CJK SC\")");
    CHECK_VALUE_ERR("fonts", "title = # none", 9,
                    "role 标题 has no font patterns (give at least one, "
                    "e.g. \"Noto Serif CJK SC\")");
    CHECK_VALUE_ERR("fonts", "标题 = \"A\",", 10, "expected a quoted font pattern after ','");
    CHECK_VALUE_ERR("fonts", "标题 = Noto", 6, "expected a quoted font pattern, got 'Noto'");
    CHECK_VALUE_ERR("fonts", "标题 = \"A\", \"\"", 11, "empty font pattern");
    CHECK_VALUE_ERR("fonts", "标题 = \"A\" \"B\"", 10, "unexpected text after the value: '\"B\"'");
}

static void test_structure_errors(void)
{
    bl_error e;
    CHECK(parse("base = zhuanbao\n[pgae]\n", &e) == NULL);
    CHECK_ERR(e, 2, 2, "unknown section [pgae] (did you mean [page]?)");
    CHECK(parse("base = zhuanbao\n  [ fonts\n", &e) == NULL);
    CHECK_ERR(e, 2, 10, "expected ']' to close the section name");
    CHECK(parse("base = zhuanbao\n[]\n", &e) == NULL);
    CHECK_ERR(e, 2, 1, "missing section name between '[' and ']'");
    CHECK(parse("base = zhuanbao\n[page] x\n", &e) == NULL);
    CHECK_ERR(e, 2, 8, "unexpected text after the section name: 'x'");
    CHECK(parse("base = zhuanbao\n[page]\nwidht = 210mm\n", &e) == NULL);
    CHECK_ERR(e, 3, 1, "unknown key 'widht' in [page] (did you mean 'width'?)");
    CHECK(parse("base = zhuanbao\n[masthead]\n  rule-colour = gray(1)\n", &e) == NULL);
    CHECK_ERR(e, 3, 3, "unknown key 'rule-colour' in [masthead] (did you mean 'rule-color'?)");
    CHECK(parse("base = zhuanbao\n[fonts]\n楷書 = \"x\"\n", &e) == NULL);
    CHECK_ERR(e, 3, 1, "unknown key '楷書' in [fonts] (did you mean '楷体'?)");
    CHECK(parse("base = zhuanbao\n[fonts]\ntitel = \"x\"\n", &e) == NULL);
    CHECK_ERR(e, 3, 1, "unknown key 'titel' in [fonts] (did you mean 'title'?)");
    CHECK(parse("width = 210mm\n", &e) == NULL);
    CHECK_ERR(e, 1, 1, "key 'width' comes before any [section]");
    CHECK(parse("base = zhuanbao\n[page]\nwidth 210mm\n", &e) == NULL);
    CHECK_ERR(e, 3, 7, "expected '=' after 'width'");
    CHECK(parse("base = zhuanbao\n[page]\n= 210mm\n", &e) == NULL);
    CHECK_ERR(e, 3, 1, "missing key before '='");
    CHECK(parse("base = zhuanbao\n[page]\nwidth =   # nothing\n", &e) == NULL);
    CHECK_ERR(e, 3, 11, "missing value for 'width'");
    CHECK(parse("base = zhuanbao\n[page]\nwidth = 1in\n\n[page]\nwidth = 2in\n", &e) == NULL);
    CHECK_ERR(e, 6, 1, "duplicate key 'width' in [page] (already set on line 3)");
    CHECK(parse("base = zhuanbao\n[fonts]\n标题 = \"A\"\ntitle = \"B\"\n", &e) == NULL);
    CHECK_ERR(e, 4, 1, "duplicate key 'title' in [fonts] (already set on line 3)");
    CHECK(parse("# c\n[page]\nbase = zhuanbao\n", &e) == NULL);
    CHECK_ERR(e, 3, 1, "'base' must be the first statement of the file, before any [section]");
    CHECK(parse("base = zhuanbao\nbase = jianbao\n", &e) == NULL);
    CHECK_ERR(e, 2, 1, "'base' must be the first statement of the file, before any [section]");
    CHECK(parse("base =\n", &e) == NULL);
    CHECK_ERR(e, 1, 7, "missing value for 'base' (a layout name such as zhuanbao)");
    CHECK(parse("base = ../x\n", &e) == NULL);
    CHECK_ERR(e, 1, 8, "bad base layout name '../x' (a name such as zhuanbao: letters, digits, "
                       "'-' and '_')");
    CHECK(parse("# mine\nbase = nosuch\n", &e) == NULL);
    CHECK_ERR(e, 2, 8, "unknown base layout 'nosuch' (shipped: gongwen, jianbao, zhuanbao)");
    /* Columns count characters, not bytes. */
    CHECK(parse("base = zhuanbao\n[toc]\n  title = \"目录\" 目\n", &e) == NULL);
    CHECK_ERR(e, 3, 16, "unexpected text after the value: '目'");
    /* Bad encoding. */
    CHECK(parse("base = zhuanbao\n[toc]\ntitle = \"目\xff\"\n", &e) == NULL);
    CHECK_ERR(e, 3, 11, "invalid UTF-8 (layout files are UTF-8 text)");
    /* The first error wins. */
    CHECK(parse("base = zhuanbao\n[page]\nwidth = 1\nheight = 2\n", &e) == NULL);
    CHECK_ERR(e, 3, 9, "length '1' needs a unit (mm, cm, pt or in)");
}

static void test_missing_keys(void)
{
    bl_error e;
    CHECK(parse("# nothing\n", &e) == NULL);
    CHECK_ERR(e, 1, 1, "missing key [page] width (and 110 more)");
    CHECK(parse("", &e) == NULL);
    CHECK_ERR(e, 1, 1, "missing key [page] width (and 110 more)");
    /* Everything but one key: take zhuanbao's text and drop a line. */
    char *text = NULL;
    size_t len = 0;
    bl_error_clear(&e);
    CHECK_INT(bl_read_file("layouts/zhuanbao.layout", 1 << 20, &text, &len, &e), BL_OK);
    if (text) {
        char *at = strstr(text, "\nrule-gap = 1pt");
        CHECK(at != NULL);
        if (at) {
            char *eol = strchr(at + 1, '\n');
            memmove(at, eol, strlen(eol) + 1);
            int lines = 0;
            for (char *q = text; *q; q++)
                lines += *q == '\n';
            const bl_style *s = NULL;
            bl_error_clear(&e);
            bl_style_parse(text, strlen(text), "z.layout", "layouts", arena, &s, &e);
            CHECK(s == NULL);
            CHECK_ERR(e, lines, 1, "missing key [masthead] rule-gap");
        }
        /* A role too. */
        free(text);
        text = NULL;
        bl_read_file("layouts/zhuanbao.layout", 1 << 20, &text, &len, &e);
        at = text ? strstr(text, "\n页码 =") : NULL;
        CHECK(at != NULL);
        if (at) {
            char *eol = strchr(at + 1, '\n');
            memmove(at, eol, strlen(eol) + 1);
            const bl_style *s = NULL;
            bl_error_clear(&e);
            bl_style_parse(text, strlen(text), "z.layout", "layouts", arena, &s, &e);
            CHECK(s == NULL);
            CHECK_STR(e.message, "missing key [fonts] 页码");
        }
        free(text);
    }
    /* No trailing newline: the last line is the one without it. */
    CHECK(parse("[page]\nwidth = 1mm\n\nheight = 1mm", &e) == NULL);
    CHECK_ERR(e, 4, 1, "missing key [page] margin-top (and 108 more)");
}

static void test_base_chains(void)
{
    const char *dir = "tests/style/data";
    bl_error e;
    const bl_style *s = NULL;
    bl_error_clear(&e);
    CHECK_INT(bl_style_load("cyc_a", dir, arena, &s, &e), BL_ERR_SYNTAX);
    CHECK(s == NULL);
    CHECK_STR(e.file, "tests/style/data/cyc_b.layout");
    CHECK_ERR(e, 2, 1, "base layout cycle: cyc_a -> cyc_b -> cyc_a");
    bl_error_clear(&e);
    CHECK_INT(bl_style_load("self", dir, arena, &s, &e), BL_ERR_SYNTAX);
    CHECK_STR(e.file, "tests/style/data/self.layout");
    CHECK_ERR(e, 1, 1, "base layout cycle: self -> self");
    /* An error in a base is reported in the base file. */
    bl_error_clear(&e);
    CHECK_INT(bl_style_load("uses_broken", dir, arena, &s, &e), BL_ERR_SYNTAX);
    CHECK_STR(e.file, "tests/style/data/broken.layout");
    CHECK_ERR(e, 3, 9, "length '210' needs a unit (mm, cm, pt or in)");
    /* A base must itself be complete. */
    bl_error_clear(&e);
    CHECK_INT(bl_style_load("uses_partial", dir, arena, &s, &e), BL_ERR_SYNTAX);
    CHECK_STR(e.file, "tests/style/data/partial.layout");
    CHECK_ERR(e, 3, 1, "missing key [page] height (and 109 more)");
    /* The shipped list comes from the directory. */
    bl_error_clear(&e);
    CHECK_INT(bl_style_load("zhuanbao", dir, arena, &s, &e), BL_ERR_SYNTAX);
    CHECK_STR(e.message, "unknown layout 'zhuanbao' (shipped: broken, cyc_a, cyc_b, partial, "
                         "self, uses_broken, uses_partial)");
}

static void test_names(void)
{
    CHECK_STR(bl_role_name(BL_ROLE_TITLE), "标题");
    CHECK_STR(bl_role_name(BL_ROLE_BODY), "正文");
    CHECK_STR(bl_role_name(BL_ROLE_HEI), "黑体");
    CHECK_STR(bl_role_name(BL_ROLE_KAI), "楷体");
    CHECK_STR(bl_role_name(BL_ROLE_FOLIO), "页码");
    CHECK_STR(bl_role_name(BL_ROLE_COUNT), "");
    CHECK(bl_size_by_name("初号") == 42);
    CHECK(bl_size_by_name("小初") == 36);
    CHECK(bl_size_by_name("一号") == 26);
    CHECK(bl_size_by_name("小一") == 24);
    CHECK(bl_size_by_name("二号") == 22);
    CHECK(bl_size_by_name("小二") == 18);
    CHECK(bl_size_by_name("三号") == 16);
    CHECK(bl_size_by_name("小三") == 15);
    CHECK(bl_size_by_name("四号") == 14);
    CHECK(bl_size_by_name("小四") == 12);
    CHECK(bl_size_by_name("五号") == 10.5f);
    CHECK(bl_size_by_name("小五") == 9);
    CHECK(bl_size_by_name("六号") == 7.5f);
    CHECK(bl_size_by_name("三") == 0);
    CHECK(bl_size_by_name("16pt") == 0);
    CHECK(bl_size_by_name(NULL) == 0);
}

/* docs/layouts.md documents every schema key: each appears as `key` in a
 * table under the "### [section]" heading of its section. */
static void test_doc_covers_schema(void)
{
    char *doc = NULL;
    size_t len = 0;
    bl_error e;
    bl_error_clear(&e);
    CHECK_INT(bl_read_file("docs/layouts.md", 1 << 20, &doc, &len, &e), BL_OK);
    if (!doc)
        return;
    int missing = 0;
#define DOC_KEY(sec, key, type, field, vocab)                                            \
    do {                                                                                 \
        const char *h = strstr(doc, "\n### [" #sec "]\n");                               \
        const char *next = h ? strstr(h + 1, "\n### ") : NULL;                           \
        const char *k = h ? strstr(h, "| `" #key "` | " #type " |") : NULL;              \
        if (!k || (next && k > next)) {                                                  \
            fprintf(stderr, "docs/layouts.md lacks [%s] %s (%s)\n", #sec, #key, #type);  \
            missing++;                                                                   \
        }                                                                                \
    } while (0);
    BL_STYLE_FIELDS(DOC_KEY)
#undef DOC_KEY
    const char *fh = strstr(doc, "\n### [fonts]\n");
    CHECK(fh != NULL);
    for (int r = 0; fh && r < BL_ROLE_COUNT; r++) {
        char want[64];
        snprintf(want, sizeof want, "| `%s` |", bl_role_name((bl_role)r));
        if (!strstr(fh, want)) {
            fprintf(stderr, "docs/layouts.md lacks [fonts] %s\n", bl_role_name((bl_role)r));
            missing++;
        }
    }
    CHECK_INT(missing, 0);
    free(doc);
}

/* The 公文 group ([document], [closing]): all keys or none; bases carry it. */
static void test_gongwen_group(void)
{
    bl_error e;
    const bl_style *z = load("zhuanbao", &e), *g = load("gongwen", &e);
    CHECK(z != NULL && g != NULL);
    if (z)
        CHECK_INT(z->gongwen, 0);
    if (g) {
        CHECK_INT(g->gongwen, 1);
        CHECK_NEAR(g->gw_mark_top, 99.21, 0.01); /* 35mm */
        CHECK_NEAR(g->gw_number_space, 2, 1e-6);
        CHECK_INT(g->gw_signer_per_line, 2);
        CHECK_STR(g->gw_attach_number, "{n}.");
        CHECK_STR(g->gw_note_format, "（{text}）");
    }
    const bl_style *j = load("jianbao", &e);
    if (j)
        CHECK_INT(j->gongwen, 0);
    /* based on gongwen, changing one figure: still a 公文 layout */
    const bl_style *m = parse("base = gongwen\n[closing]\nsignature-indent = 4\n", &e);
    CHECK(m != NULL);
    if (m) {
        CHECK_INT(m->gongwen, 1);
        CHECK_NEAR(m->gw_sign_indent, 4, 1e-6);
    }
    /* one key of the group on a bulletin layout: the rest are missing */
    CHECK(parse("base = zhuanbao\n[closing]\nsignature-indent = 4\n", &e) == NULL);
    CHECK_ERR(e, 3, 1, "missing key [document] corner-font (and 33 more)");
    CHECK_VALUE_ERR("closing", "note-format = \"（{note}）\"", 15,
                    "unknown placeholder '{note}' (this format may use {text})");
}

int main(void)
{
    arena = bl_arena_new();
    if (!arena)
        return 1;
    test_zhuanbao();
    test_jianbao_gongwen();
    test_unknown_layout();
    test_base_override();
    test_lengths_and_sizes();
    test_numbers();
    test_colors();
    test_strings_and_roles();
    test_structure_errors();
    test_missing_keys();
    test_base_chains();
    test_names();
    test_doc_covers_schema();
    test_gongwen_group();
    bl_arena_free(arena);
    return check_summary();
}
