/* parse_tests.c - the issue-description parser: every rule of docs/format.md
 * and every error, with the exact message and position. */
#include <stdlib.h>

#include "check.h"
#include "parse/parse.h"

#define HEAD "报头：测试小组\n期号：2023年第1期\n日期：2023年3月28日\n\n"

static bl_error err;
static int nwarnings;
static char last_warning[600];

static void on_warning(void *ctx, const bl_error *w)
{
    (void)ctx;
    nwarnings++;
    snprintf(last_warning, sizeof last_warning, "%d:%d: %s", w->line, w->col, w->message);
}

static const bl_warner warner = {on_warning, NULL};

/* Parses s (len bytes, or strlen when len is 0); NULL on error (err set). */
static bl_doc *parse_n(const char *s, size_t len)
{
    bl_error_clear(&err);
    bl_doc *doc = NULL;
    nwarnings = 0;
    bl_doc_parse(s, len ? len : strlen(s), "t.txt", &warner, &doc, &err);
    return doc;
}

static bl_doc *parse(const char *s)
{
    return parse_n(s, 0);
}

/* Expects s to fail at line:col with message. */
static void expect_error(const char *s, size_t len, int line, int col, const char *message)
{
    bl_doc *doc = parse_n(s, len);
    CHECK(doc == NULL);
    CHECK_INT(err.line, line);
    CHECK_INT(err.col, col);
    CHECK_STR(err.message, message);
    CHECK_STR(err.file, "t.txt");
    bl_doc_free(doc);
}

static const bl_article *article(const bl_doc *doc, size_t i)
{
    return bl_doc_get(doc)->parts[i].article;
}

static void test_header(void)
{
    bl_doc *doc = parse("报头：推进产业工人队伍建设改革协调小组\n刊名:专报\n期号： 2023年第8期 \n"
                        "总期号：总第112期\nissuer: 办公室\n日期：2023年3月28日\n密级：内部资料\n"
                        "版式：jianbao\n\n# 标题\n\n正文。\n");
    CHECK(doc != NULL);
    const bl_doc_view *v = bl_doc_get(doc);
    CHECK_INT(v->nmastheads, 1);
    CHECK_STR(v->mastheads[0].s, "推进产业工人队伍建设改革协调小组");
    CHECK_INT(v->mastheads[0].pos.line, 1);
    CHECK_INT(v->mastheads[0].pos.col, 4);
    CHECK_STR(v->name.s, "专报");
    CHECK_STR(v->issue.s, "2023年第8期"); /* value trimmed */
    CHECK_STR(v->serial.s, "总第112期");
    CHECK_STR(v->issuer.s, "办公室");
    CHECK_INT(v->date.year, 2023);
    CHECK_INT(v->date.month, 3);
    CHECK_INT(v->date.day, 28);
    CHECK_STR(v->classification.s, "内部资料");
    CHECK_STR(v->layout.s, "jianbao");
    CHECK_STR(v->file, "t.txt");
    bl_doc_free(doc);

    /* 刊名 defaults to 简报; a joint issue repeats 报头. */
    doc = parse("报头：甲\nmasthead：乙\n期号：1\ndate: 2023-03-28\n\n# 标题\n\n正文。\n");
    CHECK(doc != NULL);
    v = bl_doc_get(doc);
    CHECK_STR(v->name.s, "简报");
    CHECK_INT(v->nmastheads, 2);
    CHECK_STR(v->mastheads[1].s, "乙");
    bl_doc_free(doc);
}

static void test_dates(void)
{
    const char *forms[] = {"2023年3月28日", "2023-03-28", "2023.3.28", "2023/3/28"};
    for (int i = 0; i < 4; i++) {
        char buf[256];
        snprintf(buf, sizeof buf, "报头：甲\n期号：1\n日期：%s\n\n# 标题\n\n正文。\n", forms[i]);
        bl_doc *doc = parse(buf);
        CHECK(doc != NULL);
        if (doc) {
            CHECK_INT(bl_doc_get(doc)->date.month, 3);
            CHECK_INT(bl_doc_get(doc)->date.day, 28);
        }
        bl_doc_free(doc);
    }
    expect_error("报头：甲\n期号：1\n日期：2023年2月30日\n\n# 标题\n", 0, 3, 4,
                 "impossible date '2023年2月30日': there is no 2023-02-30");
    expect_error("报头：甲\n期号：1\n日期：2024-02-29x\n\n# 标题\n", 0, 3, 4,
                 "cannot read the date '2024-02-29x': write it as 2023年3月28日, 2023-03-28 "
                 "or 2023.3.28");
    bl_doc *leap = parse("报头：甲\n期号：1\n日期：2024-02-29\n\n# 标题\n\n正文。\n");
    CHECK(leap != NULL); /* 2024 is a leap year */
    bl_doc_free(leap);
}

static void test_header_errors(void)
{
    expect_error("报头：甲\n刊号：专报\n期号：1\n日期：2023-03-28\n\n# 标题\n", 0, 2, 1,
                 "unknown header key '刊号'; did you mean '刊名'?");
    expect_error("报头：甲\nisue：1\n日期：2023-03-28\n\n# 标题\n", 0, 2, 1,
                 "unknown header key 'isue'; did you mean 'issue'?");
    expect_error("期号：1\n日期：2023-03-28\n\n# 标题\n", 0, 1, 1,
                 "missing 报头 (masthead): the header needs 报头, 期号 and 日期");
    expect_error("报头：甲\n日期：2023-03-28\n\n# 标题\n", 0, 1, 1,
                 "missing 期号 (issue): the header needs 报头, 期号 and 日期");
    expect_error("报头：甲\n期号：1\n\n# 标题\n", 0, 1, 1,
                 "missing 日期 (date): the header needs 报头, 期号 and 日期");
    expect_error("报头：甲\n期号：1\n期号：2\n日期：2023-03-28\n\n# 标题\n", 0, 3, 1,
                 "期号 (issue) is given twice");
    expect_error("报头：甲\n期号：\n日期：2023-03-28\n\n# 标题\n", 0, 2, 1,
                 "期号 (issue) has no value");
    expect_error("报头：甲\n这不是字段\n", 0, 2, 1,
                 "expected a header field 'key：value' (or a blank line before the first "
                 "article)");
    expect_error(HEAD "正文。\n", 0, 5, 1,
                 "text before the first article: start an article with '# title' or a "
                 "section with '## name'");
    expect_error("报头：甲\n期号：1\n日期：2023-03-28\n\n", 0, 5, 1,
                 "no articles: an issue needs at least one '# title' or '## section'");
}

static void test_paragraphs(void)
{
    bl_doc *doc = parse(HEAD "# 标题\n来源：河北省总工会\n按语：请阅。\n\n"
                             "第一行\n　　第二行，GB/T\n9704 and\nmore。\n\n\\# 不是标题\n");
    CHECK(doc != NULL);
    const bl_article *a = article(doc, 0);
    CHECK_STR(a->title.s, "标题");
    CHECK_STR(a->source.s, "河北省总工会");
    CHECK_STR(a->note.s, "请阅。");
    CHECK_INT(a->nparas, 2);
    /* No space between CJK joins, one between Latin ones. */
    CHECK_STR(a->paras[0].text.s, "第一行第二行，GB/T 9704 and more。");
    CHECK_INT(a->paras[0].kind, BL_PARA_BODY);
    CHECK_STR(a->paras[1].text.s, "# 不是标题");
    /* Source positions survive the joins. */
    bl_srcpos pos = bl_text_pos(&a->paras[0].text, strlen("第一行第二"));
    CHECK_INT(pos.line, 10);
    CHECK_INT(pos.col, 5); /* after the two U+3000 and 第二 */
    pos = bl_text_pos(&a->paras[0].text, strlen("第一行第二行，GB/T 9"));
    CHECK_INT(pos.line, 11);
    CHECK_INT(pos.col, 2);
    bl_doc_free(doc);
}

static void test_headings(void)
{
    bl_doc *doc = parse(HEAD "# 标题\n\n一、严密组织督查。2022年，开展督查。\n\n（一）格式规范\n\n"
                             "1．页码位置。页码居中。\n\n(1)单页码居右。\n\n十二、第十二。\n\n"
                             "1.5亿元投入使用。\n\n一、（见附件。）说明\n");
    CHECK(doc != NULL);
    const bl_article *a = article(doc, 0);
    CHECK_INT(a->nparas, 7);
    CHECK_INT(a->paras[0].level, 1);
    CHECK_INT(a->paras[0].heading_len, strlen("一、严密组织督查。")); /* run-in */
    CHECK_INT(a->paras[1].level, 2);
    CHECK_INT(a->paras[1].heading_len, a->paras[1].text.len); /* stand-alone */
    CHECK_INT(a->paras[2].level, 3);
    CHECK_INT(a->paras[2].heading_len, strlen("1．页码位置。"));
    CHECK_INT(a->paras[3].level, 4);
    CHECK_INT(a->paras[4].level, 1);
    CHECK_INT(a->paras[4].heading_len, a->paras[4].text.len); /* 。 ends it: stand-alone */
    CHECK_INT(a->paras[5].kind, BL_PARA_BODY); /* 1.5 is a number */
    CHECK_INT(a->paras[6].heading_len, a->paras[6].text.len); /* 。 inside brackets */
    bl_doc_free(doc);
}

static void test_sections_and_footer(void)
{
    bl_doc *doc = parse(HEAD "# 文章\n\n正文。\n\n## 工作信息\n目录名：工作信息汇编\n\n"
                             "### 第一条\n来源：江苏省总工会\n\n条目正文。\n\n### 第二条\n\n第二条正文。\n\n"
                             "报送：中央办公室，\n      王东明。\n抄送：各单位。\n印发：办公室   2023年3月28日\n"
                             "印数：共印60份\n");
    CHECK(doc != NULL);
    const bl_doc_view *v = bl_doc_get(doc);
    CHECK_INT(v->nparts, 2);
    CHECK_INT(v->parts[1].kind, BL_PART_SECTION);
    const bl_section *s = v->parts[1].section;
    CHECK_STR(s->name.s, "工作信息");
    CHECK_STR(s->toc_name.s, "工作信息汇编");
    CHECK_INT(s->nitems, 2);
    CHECK_STR(s->items[0].title.s, "第一条");
    CHECK_STR(s->items[0].source.s, "江苏省总工会");
    CHECK_INT(s->items[0].nparas, 1);
    CHECK_STR(s->items[1].paras[0].text.s, "第二条正文。");
    CHECK_INT(s->items[1].source.len, 0);
    CHECK_INT(v->nfooter, 4);
    CHECK_INT(v->footer[0].kind, BL_FOOT_BAOSONG);
    CHECK_STR(v->footer[0].label.s, "报送");
    CHECK_STR(v->footer[0].value.s, "中央办公室，王东明。");
    CHECK_INT(v->footer[1].kind, BL_FOOT_CHAOSONG);
    CHECK_STR(v->footer[2].value.s, "办公室 2023年3月28日");
    CHECK_STR(v->footer[3].value.s, "共印60份");
    bl_doc_free(doc);

    expect_error(HEAD "# 文章\n\n正文。\n\n抄送：各单位。\n又一段正文。\n", 0, 10, 1,
                 "text after the 版记 (footer) fields: only 报送, 抄送, 发送, 印发 and 印数 may "
                 "follow them (indent a continuation line)");
    expect_error(HEAD "# 文章\n\n### 条目\n", 0, 7, 1,
                 "'### 条目' outside a section: items belong to a section started with '## "
                 "name'");
    expect_error(HEAD "#\n", 0, 5, 1, "'#' without a title");
    expect_error(HEAD "#### 四级\n", 0, 5, 1,
                 "'####': use # for an article, ## for a section, ### for an item (write \\# "
                 "for a literal #)");
}

static void test_encodings(void)
{
    /* BOM, CRLF, comments. */
    bl_doc *doc = parse("\xEF\xBB\xBF% 注释\r\n报头：甲\r\n期号：1\r\n日期：2023-03-28\r\n\r\n# 标题\r\n\r\n正文。\r\n");
    CHECK(doc != NULL);
    if (doc)
        CHECK_STR(article(doc, 0)->paras[0].text.s, "正文。");
    bl_doc_free(doc);
    /* UTF-16LE and BE with a BOM. */
    const char le[] = "\xFF\xFE\xA5\x62\x34\x59\x1A\xFF\x32\x75\n\x00\x1F\x67\xF7\x53\x1A\xFF\x31\x00\n\x00"
                      "\xE5\x65\x1F\x67\x1A\xFF\x32\x00\x30\x00\x32\x00\x33\x00\x2D\x00\x30\x00\x33\x00\x2D\x00\x32\x00\x38\x00\n\x00\n\x00"
                      "#\x00 \x00\x07\x68\x98\x98\n\x00";
    doc = parse_n(le, sizeof le - 1);
    CHECK(doc != NULL);
    if (doc)
        CHECK_STR(bl_doc_get(doc)->mastheads[0].s, "甲");
    bl_doc_free(doc);
    const char be[] = "\xFE\xFF\x62\xA5\x59\x34\xFF\x1A\x75\x32\x00\n\x67\x1F\x53\xF7\xFF\x1A\x00\x31\x00\n"
                      "\x65\xE5\x67\x1F\xFF\x1A\x00\x32\x00\x30\x00\x32\x00\x33\x00\x2D\x00\x30\x00\x33\x00\x2D\x00\x32\x00\x38\x00\n\x00\n"
                      "\x00#\x00 \x68\x07\x98\x98\x00\n";
    doc = parse_n(be, sizeof be - 1);
    CHECK(doc != NULL);
    if (doc)
        CHECK_STR(article(doc, 0)->title.s, "标题");
    bl_doc_free(doc);
    /* GB18030 (Notepad's "ANSI"): read with a warning. 报头：甲 期号：1 日期：2023-03-28 # 标题 */
    const char gb[] = "\xB1\xA8\xCD\xB7\xA3\xBA\xBC\xD7\n\xC6\xDA\xBA\xC5\xA3\xBA" "1\n"
                      "\xC8\xD5\xC6\xDA\xA3\xBA" "2023-03-28\n\n# \xB1\xEA\xCC\xE2\n";
    doc = parse_n(gb, sizeof gb - 1);
    CHECK(doc != NULL);
    CHECK_INT(nwarnings, 1);
    CHECK_STR(last_warning, "0:0: the file is not UTF-8; read it as GB18030 (save it as UTF-8 "
                            "to silence this)");
    if (doc) {
        CHECK_STR(bl_doc_get(doc)->mastheads[0].s, "甲");
        CHECK_STR(article(doc, 0)->title.s, "标题");
    }
    bl_doc_free(doc);
}

static void test_bad_bytes(void)
{
    expect_error("", 0, 1, 1, "empty input: the file has no text");
    expect_error("\xEF\xBB\xBF  \n\t\n", 0, 1, 1, "empty input: the file has no text");
    expect_error(HEAD "# 标题\n\n正文\xFF。\n", 0, 7, 3, "invalid UTF-8 byte 0xFF");
    const char nul[] = HEAD "# 标\0题\n";
    expect_error(nul, sizeof nul - 1, 5, 4, "NUL byte: is this a binary file?");
    const char u16[] = "#\0 \0a\0\n\0";
    expect_error(u16, sizeof u16 - 1, 1, 1,
                 "looks like UTF-16 without a byte order mark; save the file as UTF-8");
}

static void test_limits(void)
{
    size_t n = (1u << 20) + 10;
    size_t cap = (size_t)3 << 20;
    char *big = malloc(cap);
    memcpy(big, HEAD "# 标题\n\n", strlen(HEAD "# 标题\n\n"));
    size_t off = strlen(HEAD "# 标题\n\n");
    memset(big + off, 'a', n);
    big[off + n] = '\n';
    expect_error(big, off + n + 1, 7, 1, "line is longer than the limit of 1048576 bytes");
    /* A paragraph over the limit, in lines of 1000 bytes. */
    size_t len = off;
    while (len < off + (1u << 20) + 2000) {
        memset(big + len, 'b', 999);
        big[len + 999] = '\n';
        len += 1000;
        if (len + 1000 > cap)
            break;
    }
    expect_error(big, len, 7, 1, "paragraph is longer than the limit of 1048576 bytes");
    free(big);
}

static void test_sample(void)
{
    bl_doc *doc = NULL;
    bl_error_clear(&err);
    CHECK_INT(bl_doc_parse_file("samples/zhuanbao-2023-08.txt", NULL, &doc, &err), BL_OK);
    if (!doc)
        return;
    const bl_doc_view *v = bl_doc_get(doc);
    CHECK_STR(v->mastheads[0].s, "推进产业工人队伍建设改革协调小组");
    CHECK_STR(v->name.s, "专报");
    CHECK_STR(v->issue.s, "2023年第8期");
    CHECK_STR(v->serial.s, "总第112期");
    CHECK_STR(v->issuer.s, "推进产业工人队伍建设改革协调小组办公室");
    CHECK_INT(v->date.year * 10000 + v->date.month * 100 + v->date.day, 20230328);
    CHECK_INT(v->nparts, 2);
    const bl_article *a = v->parts[0].article;
    CHECK_STR(a->title.s, "强化问题导向 抓实督导检查 推动党委政府深化产业工人队伍建设改革");
    CHECK_STR(a->source.s, "河北省总工会");
    CHECK_INT(a->nparas, 4);
    CHECK_INT(a->paras[0].kind, BL_PARA_BODY);
    for (int i = 1; i <= 3; i++) {
        CHECK_INT(a->paras[i].level, 1);
        CHECK(a->paras[i].heading_len > 0 && a->paras[i].heading_len < a->paras[i].text.len);
    }
    CHECK(strstr(a->paras[2].text.s, "各地跟随省里的安排亦步亦趋") != NULL); /* one paragraph */
    const bl_section *s = v->parts[1].section;
    CHECK_STR(s->name.s, "工作信息");
    CHECK_STR(s->toc_name.s, "产业工人队伍建设改革工作信息");
    CHECK_INT(s->nitems, 6);
    static const char *const titles[6] = {
        "江苏省委书记对产改评价考核情况作出批示", "山西省委书记对产改评价考核情况作出批示",
        "四川省举办职工创新大会", "云南省红河州建立产改述职评议制度",
        "校企“牵手”共建湘佳全产业链学院", "江苏镇江积极推进职工技协发挥枢纽型社会组织作用"};
    static const char *const sources[6] = {"江苏省总工会", "山西省总工会", "四川省总工会",
                                           "云南省总工会", "湖南省总工会", "江苏省总工会"};
    for (size_t i = 0; i < 6 && i < s->nitems; i++) {
        CHECK_STR(s->items[i].title.s, titles[i]);
        CHECK_STR(s->items[i].source.s, sources[i]);
        CHECK_INT(s->items[i].nparas, 1);
    }
    CHECK_INT(v->nfooter, 2);
    CHECK_STR(v->footer[0].label.s, "报送");
    CHECK(strstr(v->footer[0].value.s, "王东明。徐留平") != NULL); /* continuation joined */
    CHECK_STR(v->footer[1].label.s, "抄送");
    bl_doc_free(doc);
}

int main(void)
{
    test_header();
    test_dates();
    test_header_errors();
    test_paragraphs();
    test_headings();
    test_sections_and_footer();
    test_encodings();
    test_bad_bytes();
    test_limits();
    test_sample();
    return check_summary();
}
