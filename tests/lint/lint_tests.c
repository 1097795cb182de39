/* lint_tests.c - the proofreader's rules: what each finds (line and column),
 * what it leaves alone, what --fix writes, that a second --fix changes
 * nothing, and that the fixed text still parses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lint/lint.h"
#include "parse/parse.h"

/* Four header lines and a blank: an article body starts on line 5. */
#define HEAD "报头：某单位\n期号：2024年第1期\n日期：2024年3月1日\n\n"
#define ART HEAD "# 标题\n\n" /* a paragraph then starts on line 7 */

static bl_lint_result *run_lint(const char *text, int fix, unsigned rules)
{
    bl_lint_opts o = bl_lint_defaults();
    o.fix = fix;
    if (rules)
        o.rules = rules;
    bl_error err;
    bl_error_clear(&err);
    bl_lint_result *r = NULL;
    if (bl_lint_run(text, strlen(text), "t.txt", &o, &r, &err) != BL_OK) {
        fprintf(stderr, "lint failed: %d:%d: %s\n", err.line, err.col, err.message);
        return NULL;
    }
    return r;
}

/* The number of findings of rule at line:col (col 0: any column). */
static int count_at(const char *text, bl_lint_rule rule, int line, int col)
{
    bl_lint_result *r = run_lint(text, 0, 0);
    int n = 0;
    for (size_t i = 0; r && i < bl_lint_count(r); i++) {
        const bl_lint_finding *f = bl_lint_get(r, i);
        n += f->rule == rule && (line == 0 || f->line == line) && (col == 0 || f->col == col);
    }
    bl_lint_free(r);
    return n;
}

#define FINDS(text, rule, line, col) CHECK_INT(count_at(text, rule, line, col), 1)
#define LEAVES(text, rule) CHECK_INT(count_at(text, rule, 0, 0), 0)

/* Counts the Han characters of s (U+4E00..U+9FFF) as a string of them. */
static void han_of(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p >= 0xE4 && *p <= 0xE9 && n + 3 < cap) {
            memcpy(out + n, p, 3);
            n += 3;
            p += 2;
        }
    out[n] = '\0';
}

/* --fix on text gives want (NULL: nothing changed); the result parses, keeps
 * every Han character, and a second --fix changes nothing. */
static void fixes(const char *text, const char *want, int line)
{
    bl_lint_result *r = run_lint(text, 1, 0);
    size_t len = 0;
    const char *out = r ? bl_lint_output(r, &len) : NULL;
    if (!want) {
        if (out)
            fprintf(stderr, "lint_tests.c:%d: unexpected fix:\n%s\n", line, out);
        CHECK(r && out == NULL);
        bl_lint_free(r);
        return;
    }
    if (!out || strlen(want) != len || memcmp(out, want, len) != 0)
        fprintf(stderr, "lint_tests.c:%d: --fix wrote:\n%.*s\nexpected:\n%s\n", line,
                (int)len, out ? out : "(nothing)", want);
    CHECK(out && strlen(want) == len && memcmp(out, want, len) == 0);
    if (out) {
        bl_lint_result *again = run_lint(out, 1, 0);
        size_t l2;
        CHECK(again && bl_lint_output(again, &l2) == NULL);
        bl_lint_free(again);
        bl_doc *doc = NULL;
        bl_error err;
        bl_error_clear(&err);
        CHECK_INT(bl_doc_parse(out, len, "t.txt", NULL, &doc, &err), BL_OK);
        bl_doc_free(doc);
        char a[4096], b[4096];
        han_of(text, a, sizeof a);
        han_of(out, b, sizeof b);
        CHECK_STR(a, b);
    }
    bl_lint_free(r);
}

#define FIXES(text, want) fixes(text, want, __LINE__)

static void test_punct_width(void)
{
    FINDS(ART "甲,乙。\n", BL_LINT_PUNCT_WIDTH, 7, 2);
    FINDS(ART "完成了.\n", BL_LINT_PUNCT_WIDTH, 7, 4);
    FINDS(ART "甲;乙：丙:丁？戊?己!\n", BL_LINT_PUNCT_WIDTH, 7, 2);
    FINDS(ART "甲;乙：丙:丁？戊?己!\n", BL_LINT_PUNCT_WIDTH, 7, 10);
    FINDS(ART "让主抓产改的13名县(市)委副书记。\n", BL_LINT_PUNCT_WIDTH, 7, 11);
    FINDS(ART "文件(PDF)格式。\n", BL_LINT_PUNCT_WIDTH, 7, 3);
    FINDS(HEAD "# 标题,副题\n\n正文。\n", BL_LINT_PUNCT_WIDTH, 5, 5);
    /* Latin text, numbers, URLs, GB/T, paths and formulas stay. */
    LEAVES(ART "他说 Hello, world. 然后离开。\n", BL_LINT_PUNCT_WIDTH);
    LEAVES(ART "增长3.5%，共1,280人，时间10:30。\n", BL_LINT_PUNCT_WIDTH);
    LEAVES(ART "详见http://example.com/a,b.html。\n", BL_LINT_PUNCT_WIDTH);
    LEAVES(ART "详见www.example.com。\n", BL_LINT_PUNCT_WIDTH);
    LEAVES(ART "依据GB/T 9704.\n", BL_LINT_PUNCT_WIDTH);
    LEAVES(ART "函数f(x)的值，Word (docx) 文件。\n", BL_LINT_PUNCT_WIDTH);
    LEAVES(ART "等等...\n", BL_LINT_PUNCT_WIDTH);
    FIXES(ART "甲, 乙.丙;丁:戊?己!\n", ART "甲，乙。丙；丁：戊？己！\n");
    FIXES(ART "县(市)委，文件 (PDF) 格式。\n", ART "县（市）委，文件（PDF）格式。\n");
    FIXES(ART "增长3.5%，共1,280人。\n", NULL);
    /* One conversion enables the next within a single pass (a chain longer
     * than --fix's rounds would otherwise be left half done). */
    FIXES(ART "甲(a),(b),(c),(d),(e),(f),(g),(h),(i),(j),(k),(l)。\n",
          ART "甲（a），（b），（c），（d），（e），（f），（g），（h），（i），（j），（k），（l）。\n");
    FIXES(ART "甲（（（（((((((((((((()))))))))))))））））乙.\n",
          ART "甲（（（（（（（（（（（（（（（（（）））））））））））））））））乙。\n");
}

static void test_quotes(void)
{
    FINDS(ART "采取\"四不两直\"的形式。\n", BL_LINT_QUOTES, 7, 3);
    FINDS(ART "获'优秀'等次。\n", BL_LINT_QUOTES, 7, 2);
    /* across a line break of the paragraph */
    FINDS(ART "采取\"四不\n两直\"的形式。\n", BL_LINT_QUOTES, 7, 3);
    LEAVES(ART "按\"OK\"键。\n", BL_LINT_QUOTES);
    LEAVES(ART "他说 don't 和 it's。\n", BL_LINT_QUOTES);
    LEAVES(ART "一个\"引号。\n", BL_LINT_QUOTES);
    FIXES(ART "采取\"四不\n两直\"的'形式'。\n", ART "采取“四不\n两直”的‘形式’。\n");
    FIXES(ART "大会以\"创新创效 聚智聚力\"为主题。\n", ART "大会以“创新创效 聚智聚力”为主题。\n");
}

static void test_alnum_width(void)
{
    FINDS(HEAD "# 第３期\n\n正文。\n", BL_LINT_ALNUM_WIDTH, 5, 4);
    FINDS(ART "来自１２０家企业。\n", BL_LINT_ALNUM_WIDTH, 7, 3);
    FINDS(ART "共1，280人。\n", BL_LINT_ALNUM_WIDTH, 7, 3);
    LEAVES(ART "1，2，3和2019，2020年。\n", BL_LINT_ALNUM_WIDTH);
    LEAVES(ART "1．页码位置。\n", BL_LINT_ALNUM_WIDTH);
    FIXES(ART "来自１２０家ＡＢＣ企业的１，２８０名，增长３．５％。\n",
          ART "来自120家ABC企业的1,280名，增长3.5％。\n");
    FIXES(HEAD "# 标题\n\n（１）小标题\n",
          HEAD "# 标题\n\n（1）小标题\n");
}

static void test_punct_doubled(void)
{
    FINDS(ART "参赛，，参赛率高。\n", BL_LINT_PUNCT_DOUBLED, 7, 4);
    FINDS(ART "结束。。\n", BL_LINT_PUNCT_DOUBLED, 7, 4);
    FINDS(ART "参赛，\n，参赛率高。\n", BL_LINT_PUNCT_DOUBLED, 8, 1);
    LEAVES(ART "等等……还有——破折号。\n", BL_LINT_PUNCT_DOUBLED);
    LEAVES(ART "结束。。。\n", BL_LINT_PUNCT_DOUBLED);
    FIXES(ART "参赛，，参赛率高！！\n", ART "参赛，参赛率高！\n");
    FIXES(ART "参赛，\n，参赛率高。\n", ART "参赛，\n参赛率高。\n");
}

static void test_cjk_space(void)
{
    FINDS(ART "共计 十二 个。\n", BL_LINT_CJK_SPACE, 7, 3);
    FINDS(ART "为主题 。\n", BL_LINT_CJK_SPACE, 7, 4);
    FINDS(ART "一、 总体情况\n", BL_LINT_CJK_SPACE, 7, 3);
    LEAVES(HEAD "# 强化问题导向 抓实督导检查\n\n正文。\n", BL_LINT_CJK_SPACE);
    LEAVES(ART "以“创新创效 聚智聚力”和《甲 乙》为题。\n", BL_LINT_CJK_SPACE);
    LEAVES(ART "使用 Word 软件，2023 年，156 mm×225 mm。\n", BL_LINT_CJK_SPACE);
    LEAVES(ART "报送：甲 乙。\n\n抄送：甲 乙。\n", BL_LINT_CJK_SPACE);
    FIXES(ART "共计 十二　个。\n", ART "共计十二个。\n");
}

static void test_footer_period(void)
{
    FINDS(ART "正文。\n\n抄送：各区总工会\n", BL_LINT_FOOTER_PERIOD, 9, 8);
    FINDS(ART "正文。\n\n报送：甲，\n      乙\n", BL_LINT_FOOTER_PERIOD, 10, 7);
    LEAVES(ART "正文。\n\n报送：甲。\n抄送：乙。\n发送：丙。\n印发：办公室 2024年3月1日\n",
           BL_LINT_FOOTER_PERIOD);
    FIXES(ART "正文。\n\n报送：甲\n抄送：乙，\n发送：丙,\n",
          ART "正文。\n\n报送：甲。\n抄送：乙。\n发送：丙。\n");
}

static void test_unbalanced(void)
{
    FINDS(ART "正文（没有关闭。\n", BL_LINT_UNBALANCED, 7, 3);
    FINDS(ART "正文没有打开）。\n", BL_LINT_UNBALANCED, 7, 7);
    FINDS(ART "他说：“《规定》要落实。\n", BL_LINT_UNBALANCED, 7, 4);
    FINDS(ART "引（“甲）乙。\n", BL_LINT_UNBALANCED, 7, 3);
    FINDS(HEAD "# 关于《格式的报告\n\n正文。\n", BL_LINT_UNBALANCED, 5, 5);
    LEAVES(ART "（“甲”）和《乙》及【丙】，〔2023〕1号，it’s。\n", BL_LINT_UNBALANCED);
    /* Deep nesting: an opening mark 40 levels down is out of reach (the
     * search is bounded so hostile input stays linear): the closer then
     * closes nothing and every opener is reported unclosed. */
    char deep[1024] = ART;
    for (int i = 0; i < 40; i++)
        strcat(deep, "（");
    strcat(deep, "》\n");
    CHECK_INT(count_at(deep, BL_LINT_UNBALANCED, 0, 0), 41);
    FINDS(deep, BL_LINT_UNBALANCED, 7, 41);
    /* a person's rule: --fix leaves it */
    FIXES(ART "正文（没有关闭。\n", NULL);
}

static void test_headings(void)
{
    const char *order = ART "一、甲\n\n二、乙\n\n四、丁\n";
    FINDS(order, BL_LINT_HEADING_ORDER, 11, 1);
    CHECK_INT(count_at(order, BL_LINT_HEADING_ORDER, 0, 0), 1);
    FINDS(ART "二、乙\n", BL_LINT_HEADING_ORDER, 7, 1);
    FINDS(ART "一、甲\n\n（一）子\n\n（三）子\n", BL_LINT_HEADING_ORDER, 11, 1);
    LEAVES(ART "一、甲\n\n（一）子\n\n（二）子\n\n二、乙\n\n（一）子\n\n1.孙\n\n2．孙\n\n（1）曾\n",
           BL_LINT_HEADING_ORDER);
    FINDS(ART "一、甲\n\n（1）曾\n", BL_LINT_HEADING_LEVEL, 9, 1);
    FINDS(ART "一、甲\n\n1.孙\n", BL_LINT_HEADING_LEVEL, 9, 1);
    FINDS(ART "（一）子\n", BL_LINT_HEADING_LEVEL, 7, 1);
    FINDS(ART "（1）曾\n", BL_LINT_HEADING_LEVEL, 7, 1);
    LEAVES(ART "1.甲\n\n（1）曾\n\n2.乙\n", BL_LINT_HEADING_LEVEL); /* a plain list */
    LEAVES(ART "一、甲\n\n（一）子\n\n1.孙\n\n（1）曾\n\n二、乙\n\n（一）子\n",
           BL_LINT_HEADING_LEVEL);
    FIXES(order, NULL); /* a person's rules */
    FIXES(ART "一、甲\n\n（1）曾\n", NULL);
    /* each article and item numbers its own headings */
    LEAVES(ART "一、甲\n\n二、乙\n\n# 第二篇\n\n一、甲\n", BL_LINT_HEADING_ORDER);
}

static void test_yinfa_and_sources(void)
{
    FINDS(ART "正文。\n\n印发：办公室 2024年2月1日\n", BL_LINT_YINFA_DATE, 9, 8);
    FINDS(ART "正文。\n\n印发：办公室2024-02-01\n", BL_LINT_YINFA_DATE, 9, 7);
    LEAVES(ART "正文。\n\n印发：办公室 2024年3月1日\n", BL_LINT_YINFA_DATE);
    LEAVES(ART "正文。\n\n印发：办公室 2024年3月5日\n", BL_LINT_YINFA_DATE);
    LEAVES(ART "正文。\n\n印发：办公室\n", BL_LINT_YINFA_DATE);
    const char *items = HEAD "## 信息\n\n### 甲\n来源：A\n\n正文。\n\n### 乙\n\n正文。\n\n"
                             "### 丙\n来源：C\n\n正文。\n";
    FINDS(items, BL_LINT_ITEM_SOURCE, 12, 5);
    CHECK_INT(count_at(items, BL_LINT_ITEM_SOURCE, 0, 0), 1);
    FIXES(items, NULL);
    FIXES(ART "正文。\n\n印发：办公室 2024年2月1日\n", NULL);
    LEAVES(HEAD "## 信息\n\n### 甲\n\n正文。\n\n### 乙\n\n正文。\n", BL_LINT_ITEM_SOURCE);
    LEAVES(HEAD "## 信息\n\n### 甲\n来源：A\n\n正文。\n\n### 乙\n\n正文。\n\n### 丙\n\n正文。\n",
           BL_LINT_ITEM_SOURCE);
}

static void test_options_and_errors(void)
{
    /* --rule: only the rules asked for run. */
    bl_lint_result *r = run_lint(ART "甲,乙 丙。\n", 0, 1u << BL_LINT_CJK_SPACE);
    CHECK(r && bl_lint_count(r) == 1 && bl_lint_get(r, 0)->rule == BL_LINT_CJK_SPACE);
    bl_lint_free(r);
    r = run_lint(ART "甲,乙 丙。\n", 1, 1u << BL_LINT_CJK_SPACE);
    size_t len;
    const char *out = r ? bl_lint_output(r, &len) : NULL;
    CHECK(out && strcmp(out, ART "甲,乙丙。\n") == 0);
    bl_lint_free(r);
    /* With footer-period off, punct-width takes the last mark of a 抄送. */
    r = run_lint(ART "正文。\n\n抄送：甲,\n", 0, ~(1u << BL_LINT_FOOTER_PERIOD));
    CHECK(r && bl_lint_count(r) == 1 && bl_lint_get(r, 0)->rule == BL_LINT_PUNCT_WIDTH);
    bl_lint_free(r);
    CHECK_INT(bl_lint_rule_by_name("punct-width"), BL_LINT_PUNCT_WIDTH);
    CHECK_INT(bl_lint_rule_by_name("item-source"), BL_LINT_ITEM_SOURCE);
    CHECK_INT(bl_lint_rule_by_name("nope"), -1);
    /* A file that does not parse: the parser's error. */
    bl_lint_opts o = bl_lint_defaults();
    bl_error err;
    bl_error_clear(&err);
    r = NULL;
    const char *bad = "报头：甲\n期号：1\n日期：2023年2月30日\n\n# 题\n";
    CHECK_INT(bl_lint_run(bad, strlen(bad), "t.txt", &o, &r, &err), BL_ERR_SYNTAX);
    CHECK(r == NULL);
    CHECK_INT(err.line, 3);
    CHECK(strstr(err.message, "impossible date") != NULL);
    /* CRLF line ends survive a fix; the finding's line is quoted without CR. */
    FIXES("报头：甲\r\n期号：1\r\n日期：2024年3月1日\r\n\r\n# 题\r\n\r\n甲,乙\r\n",
          "报头：甲\r\n期号：1\r\n日期：2024年3月1日\r\n\r\n# 题\r\n\r\n甲，乙\r\n");
    r = run_lint(ART "甲,乙\n", 0, 0);
    CHECK(r && bl_lint_count(r) == 1);
    if (r && bl_lint_count(r) == 1) {
        const bl_lint_finding *f = bl_lint_get(r, 0);
        CHECK(f->fixable);
        CHECK_INT(f->src_len, strlen("甲,乙"));
        CHECK(memcmp(f->src, "甲,乙", f->src_len) == 0);
    }
    bl_lint_free(r);
}

/* The shipped samples have nothing to find. */
static void test_samples(void)
{
    const char *names[] = {"samples/zhuanbao-2023-08.txt", "samples/jianbao-2024-03.txt",
                           "samples/gongwen-2023-09.txt"};
    for (size_t i = 0; i < 3; i++) {
        FILE *f = fopen(names[i], "rb");
        CHECK(f != NULL);
        if (!f)
            continue;
        static char buf[1 << 20];
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = '\0';
        bl_lint_result *r = run_lint(buf, 0, 0);
        CHECK(r != NULL);
        for (size_t k = 0; r && k < bl_lint_count(r); k++)
            fprintf(stderr, "%s:%d:%d: %s\n", names[i], bl_lint_get(r, k)->line,
                    bl_lint_get(r, k)->col, bl_lint_get(r, k)->message);
        CHECK_INT(bl_lint_count(r), 0);
        bl_lint_free(r);
    }
}

int main(void)
{
    test_punct_width();
    test_quotes();
    test_alnum_width();
    test_punct_doubled();
    test_cjk_space();
    test_footer_period();
    test_unbalanced();
    test_headings();
    test_yinfa_and_sources();
    test_options_and_errors();
    test_samples();
    return check_summary();
}
