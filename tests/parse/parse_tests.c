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
                 "cannot read the date '2024-02-29x': write it as 2023年3月28日, 2023-03-28, "
                 "2023.3.28 or 2023/3/28");
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
                      "\xC8\xD5\xC6\xDA\xA3\xBA" "2023-03-28\n\n# \xB1\xEA\xCC\xE2\n\n"
                      "\xD5\xFD\xCE\xC4\xA1\xA3\n";
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
    static const char *const heads[3] = {"一、严密组织督查。", "二、认真分析问题。",
                                         "三、推动成果运用。"};
    for (int i = 0; i < 3 && i + 1 < (int)a->nparas; i++) {
        CHECK_INT(a->paras[i + 1].heading_len, strlen(heads[i]));
        CHECK(strncmp(a->paras[i + 1].text.s, heads[i], strlen(heads[i])) == 0);
    }
    CHECK(strstr(a->paras[2].text.s, "各地跟随省里的安排亦步亦趋") != NULL); /* one paragraph */
    CHECK(strstr(a->paras[3].text.s, "省委常委会2023年工作要点") != NULL);   /* no typed spaces */
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
    CHECK_STR(v->footer[0].value.s,
              "中央全面深化改革委员会办公室，王东明。徐留平、马璐、齐家滨、胡祖才、孙尧、王江平、"
              "王东伟、汤涛、谭作钧，全国总工会党组、书记处各同志。"); /* continuation joined */
    CHECK_STR(v->footer[1].label.s, "抄送");
    CHECK_STR(v->footer[1].value.s,
              "协调小组各组成单位，各省、自治区、直辖市总工会，各全国产业工会，中央和国家机关工会"
              "联合会，全总各部门，中国劳动关系学院、工人日报社、中国工人出版社。");
    CHECK(strstr(s->items[3].paras[0].text.s, "13名县（市）委副书记") != NULL); /* full-width */
    CHECK(strstr(s->items[4].paras[0].text.s, "校企协同科技创新平台") != NULL); /* one paragraph */
    bl_doc_free(doc);
}

/* Parses s and returns its first article's first paragraph (NULL on error). */
static const bl_para *first_para(bl_doc *doc)
{
    if (!doc || !bl_doc_get(doc)->nparts || !article(doc, 0)->nparas)
        return NULL;
    return &article(doc, 0)->paras[0];
}

static void test_header_more(void)
{
    /* English aliases in any case, both colons, comments and leading blank lines. */
    bl_doc *doc = parse("% 注释：不是字段\n\nMASTHEAD : 甲\nName：专报\nissue:1\nserial：总第1期\n"
                        "Date：2023/3/28\nclassification:内部\nLayout：zhuanbao\n\n# 标题\n\n正文。\n");
    CHECK(doc != NULL);
    if (doc) {
        const bl_doc_view *v = bl_doc_get(doc);
        CHECK_STR(v->mastheads[0].s, "甲");
        CHECK_INT(v->mastheads[0].pos.line, 3);
        CHECK_INT(v->mastheads[0].pos.col, 12);
        CHECK_STR(v->name.s, "专报");
        CHECK_STR(v->issue.s, "1");
        CHECK_STR(v->serial.s, "总第1期");
        CHECK_STR(v->date_text.s, "2023/3/28");
        CHECK_STR(v->classification.s, "内部");
        CHECK_STR(v->layout.s, "zhuanbao");
        CHECK_INT(v->issuer.len, 0);
        CHECK_STR(v->issuer.s, "");
        CHECK_INT(v->nparts, 1);
    }
    bl_doc_free(doc);
    /* The header may end at '#' without a blank line. */
    doc = parse("报头：甲\n期号：1\n日期：2023-03-28\n# 标题\n\n正文。\n");
    CHECK(doc != NULL);
    if (doc)
        CHECK_STR(article(doc, 0)->title.s, "标题");
    bl_doc_free(doc);
    /* Spaces typed around the digits of a date are not part of it. */
    doc = parse("报头：甲\n期号：1\n日期：2023 年 3 月 28 日\n\n# 标题\n\n正文。\n");
    CHECK(doc != NULL);
    if (doc) {
        CHECK_INT(bl_doc_get(doc)->date.year, 2023);
        CHECK_INT(bl_doc_get(doc)->date.day, 28);
    }
    bl_doc_free(doc);

    expect_error("报头：甲\n报送：中央办公室\n", 0, 2, 1,
                 "unknown header key '报送'; did you mean '报头'? (a 版记 field: it goes at the "
                 "end, after the articles)");
    expect_error("报头：甲\n来源：河北\n", 0, 2, 1,
                 "unknown header key '来源' (an article field: it goes under the '# title' "
                 "line)");
    expect_error("报头：甲\n  颜色：红\n", 0, 2, 3,
                 "unknown header key '颜色' (known: 报头 刊名 期号 总期号 编印 日期 密级 版式 "
                 "发文字号 份号 保密期限 紧急程度 签发人)");
    expect_error("报头：甲\n期号：1\n日期：1899-12-31\n\n# 标题\n", 0, 3, 4,
                 "impossible date '1899-12-31': there is no 1899-12-31");
    expect_error("报头：甲\n期号：1\n日期：2023年13月1日\n\n# 标题\n", 0, 3, 4,
                 "impossible date '2023年13月1日': there is no 2023-13-01");
    expect_error("报头：甲\n期号：1\n日期：2100-02-29\n\n# 标题\n", 0, 3, 4,
                 "impossible date '2100-02-29': there is no 2100-02-29");
    expect_error("报头：甲\n期号：1\n日期：23-3-28\n\n# 标题\n", 0, 3, 4,
                 "cannot read the date '23-3-28': write it as 2023年3月28日, 2023-03-28, "
                 "2023.3.28 or 2023/3/28");
    expect_error("报头：甲\n期号：1\n日期：2023-3/28\n\n# 标题\n", 0, 3, 4,
                 "cannot read the date '2023-3/28': write it as 2023年3月28日, 2023-03-28, "
                 "2023.3.28 or 2023/3/28");
    expect_error("报头：甲\n期号：1\ndate：2023-03-28\n日期：2023-03-29\n\n# 标题\n", 0, 4, 1,
                 "日期 (date) is given twice");
    /* A joint issue has its limit too. */
    char buf[1024] = "";
    for (int i = 0; i < 17; i++)
        strcat(buf, "报头：甲\n");
    expect_error(buf, 0, 17, 1, "more than 16 报头 (masthead) lines");
}

static void test_headings_more(void)
{
    bl_doc *doc = parse(HEAD "# 标题\n\n九十九、最后一项\n\n(二)半角括号\n\n2、顿号。后文\n\n"
                             "（12）全角！后文\n\n十十、不是编号\n\n一一、不是编号\n\n"
                             "2023、2024年两年。\n\n0. 不是编号\n\n一、是否如此？是的。\n\n"
                             "二、《关于“三做到。”的通知》印发。全文如下\n\n三、十二、嵌套\n");
    CHECK(doc != NULL);
    if (!doc)
        return;
    const bl_article *a = article(doc, 0);
    CHECK_INT(a->nparas, 11);
    static const int levels[] = {1, 2, 3, 4, 0, 0, 0, 0, 1, 1, 1};
    for (size_t i = 0; i < 11 && i < a->nparas; i++) {
        CHECK_INT(a->paras[i].level, levels[i]);
        CHECK_INT(a->paras[i].kind, levels[i] ? BL_PARA_HEADING : BL_PARA_BODY);
        if (!levels[i])
            CHECK_INT(a->paras[i].heading_len, 0);
    }
    CHECK_INT(a->paras[0].heading_len, a->paras[0].text.len); /* no 。: stand-alone */
    CHECK_INT(a->paras[2].heading_len, strlen("2、顿号。"));
    CHECK_INT(a->paras[3].heading_len, strlen("（12）全角！"));
    CHECK_INT(a->paras[8].heading_len, strlen("一、是否如此？"));
    CHECK_INT(a->paras[9].heading_len, strlen("二、《关于“三做到。”的通知》印发。"));
    bl_doc_free(doc);

    /* Headings in an item, and the heading run across joined lines. */
    doc = parse(HEAD "## 工作信息\n\n### 条目\n\n（一）第一\n点。后文\n");
    CHECK(doc != NULL);
    if (doc) {
        const bl_item *it = &bl_doc_get(doc)->parts[0].section->items[0];
        CHECK_INT(it->paras[0].level, 2);
        CHECK_STR(it->paras[0].text.s, "（一）第一点。后文");
        CHECK_INT(it->paras[0].heading_len, strlen("（一）第一点。"));
    }
    bl_doc_free(doc);
}

static void test_joining_and_escapes(void)
{
    /* A space only where both sides are not CJK; U+3000 and tabs are trimmed. */
    bl_doc *doc = parse(HEAD "# 标题\n\n　　中文\nLatin\n中文\n\tword,\n2023\n“引号”\nend\n"
                             "% 段中注释不断段\n  % 缩进的百分号是正文\n\\% 转义\n\n"
                             "\\% 百分号开头的段落\n\n  # 缩进的井号是正文\n");
    CHECK(doc != NULL);
    if (doc) {
        const bl_article *a = article(doc, 0);
        CHECK_INT(a->nparas, 3);
        CHECK_STR(a->paras[0].text.s,
                  "中文Latin中文word, 2023“引号”end % 缩进的百分号是正文% 转义");
        CHECK_STR(a->paras[1].text.s, "% 百分号开头的段落");
        CHECK_STR(a->paras[2].text.s, "# 缩进的井号是正文");
        CHECK_INT(a->paras[0].text.pos.line, 7);
        CHECK_INT(a->paras[0].text.pos.col, 3);
        CHECK_INT(a->paras[0].text.nspans, 9);
        bl_srcpos pos = bl_text_pos(&a->paras[0].text, strlen("中文Latin中文word, "));
        CHECK_INT(pos.line, 11);
        CHECK_INT(pos.col, 1);
        pos = bl_text_pos(&a->paras[0].text, strlen("中文Latin中文wo"));
        CHECK_INT(pos.line, 10);
        CHECK_INT(pos.col, 4); /* after the tab and "wo" */
    }
    bl_doc_free(doc);
}

static void test_fields(void)
{
    bl_doc *doc = parse(HEAD "# 文章\nsource：甲\nnote：乙\n\n来源：这是正文\n\n"
                             "## 信息\ntoc：信息目录\n\n### 条目\nSource：丙\n条目正文\n\n# 第二篇\n\n正文。\n");
    CHECK(doc != NULL);
    if (doc) {
        const bl_doc_view *v = bl_doc_get(doc);
        CHECK_INT(v->nparts, 3);
        CHECK_STR(v->parts[0].article->source.s, "甲");
        CHECK_INT(v->parts[0].article->source.pos.line, 6);
        CHECK_INT(v->parts[0].article->source.pos.col, 8);
        CHECK_STR(v->parts[0].article->note.s, "乙");
        /* after the blank line a 来源： line is text */
        CHECK_STR(v->parts[0].article->paras[0].text.s, "来源：这是正文");
        CHECK_STR(v->parts[1].section->toc_name.s, "信息目录");
        CHECK_STR(v->parts[1].section->items[0].source.s, "丙");
        /* text right under the fields (no blank line) is the first paragraph */
        CHECK_STR(v->parts[1].section->items[0].paras[0].text.s, "条目正文");
        CHECK_INT(v->parts[2].kind, BL_PART_ARTICLE);
        CHECK_INT(v->parts[2].article->source.len, 0);
        CHECK_INT(v->parts[2].article->source.pos.line, 0);
    }
    bl_doc_free(doc);

    expect_error(HEAD "# 文章\n来源：甲\n来源：乙\n", 0, 7, 1, "'来源' is given twice");
    expect_error(HEAD "# 文章\n来源：\n", 0, 6, 1, "'来源' without a value");
    expect_error(HEAD "# 文章\n目录名：甲\n", 0, 6, 1, "'目录名' belongs under a section ('## name')");
    expect_error(HEAD "## 信息\n\n### 条目\n按语：甲\n", 0, 8, 1,
                 "'按语' belongs under an article ('# title')");
    expect_error(HEAD "## 信息\n来源：甲\n", 0, 6, 1,
                 "'来源' belongs under an article ('# title') or an item ('### title')");
    expect_error(HEAD "## 信息\n\n正文\n", 0, 7, 1,
                 "text in a section before its first item: start an item with '### title'");
    expect_error(HEAD "## 信息\n\n###   \n", 0, 7, 1, "'###' without a title");
    char title[20000] = HEAD "# ";
    size_t off = strlen(title);
    memset(title + off, 'a', 16385);
    title[off + 16385] = '\0';
    expect_error(title, 0, 5, 3, "title is longer than the limit of 16384 bytes");
}

static void test_empty_warnings(void)
{
    bl_doc *doc = parse(HEAD "# 空文章\n来源：甲\n\n## 空栏目\n\n## 栏目\n\n### 空条目\n\n### 条目\n\n正文。\n");
    CHECK(doc != NULL);
    CHECK_INT(nwarnings, 3);
    CHECK_STR(last_warning, "12:5: item '空条目' has no text");
    bl_doc_free(doc);
    doc = parse(HEAD "# 空文章\n");
    CHECK(doc != NULL);
    CHECK_INT(nwarnings, 1);
    CHECK_STR(last_warning, "5:3: article '空文章' has no text");
    bl_doc_free(doc);
    doc = parse(HEAD "## 空栏目\n");
    CHECK_INT(nwarnings, 1);
    CHECK_STR(last_warning, "5:4: section '空栏目' has no items ('### title')");
    bl_doc_free(doc);
}

static const bl_footer_field *footer_of(bl_doc *doc, size_t i)
{
    return doc && i < bl_doc_get(doc)->nfooter ? &bl_doc_get(doc)->footer[i] : NULL;
}

static void test_footer_more(void)
{
#define BODY HEAD "# 文章\n\n正文。\n\n"
    bl_doc *doc = parse(BODY "to：甲，\n\t乙，\n　　丙\n    Latin\n    words\ncc：丁\n\n% 注释\n"
                             "distribution：戊\nprinted：XX办公室2023-03-30\ncopies：60\n");
    CHECK(doc != NULL);
    const bl_footer_field *f = footer_of(doc, 0);
    if (f) {
        CHECK_STR(f->label.s, "报送");
        CHECK_INT(f->label.pos.line, 9);
        CHECK_STR(f->value.s, "甲，乙，丙Latin words");
        CHECK_INT(f->value.pos.col, 4);
        CHECK_INT(bl_doc_get(doc)->nfooter, 5);
        CHECK_STR(footer_of(doc, 1)->label.s, "抄送");
        CHECK_INT(footer_of(doc, 2)->kind, BL_FOOT_FASONG);
        CHECK_STR(footer_of(doc, 2)->label.s, "发送");
        CHECK_INT(footer_of(doc, 3)->kind, BL_FOOT_YINFA);
        CHECK_STR(footer_of(doc, 3)->label.s, "印发");
        CHECK_STR(footer_of(doc, 3)->value.s, "XX办公室 2023年3月30日"); /* date normalised */
        bl_srcpos pos = bl_text_pos(&footer_of(doc, 3)->value, strlen("XX办公室 "));
        CHECK_INT(pos.line, 18);
        CHECK_INT(pos.col, 14); /* the date as written */
        CHECK_INT(footer_of(doc, 4)->kind, BL_FOOT_YINSHU);
        CHECK_STR(footer_of(doc, 4)->value.s, "共印60份");
    }
    bl_doc_free(doc);

    /* 印发 without a date takes the header's 日期; 印数 forms. */
    doc = parse(BODY "印发：推进 小组 办公室\n印数：60份\n");
    CHECK(doc != NULL);
    if (doc) {
        CHECK_STR(footer_of(doc, 0)->value.s, "推进 小组 办公室 2023年3月28日");
        CHECK_STR(footer_of(doc, 1)->value.s, "共印60份");
    }
    bl_doc_free(doc);
    doc = parse(BODY "印发：办公室　2023 年 3 月 29 日\n印数：内部发行\n");
    CHECK(doc != NULL);
    if (doc) {
        CHECK_STR(footer_of(doc, 0)->value.s, "办公室 2023年3月29日");
        CHECK_STR(footer_of(doc, 1)->value.s, "内部发行"); /* not a count: as written */
    }
    bl_doc_free(doc);
    doc = parse(BODY "印发：第2办公室\n    2023.3.1\n");
    CHECK(doc != NULL);
    if (doc)
        CHECK_STR(footer_of(doc, 0)->value.s, "第2办公室 2023年3月1日");
    bl_doc_free(doc);

    expect_error(BODY "印发：办公室 2023年2月30日\n", 0, 9, 8,
                 "impossible date '2023年2月30日' in 印发: there is no 2023-02-30");
    expect_error(BODY "印发：办公室 2023年3月\n    28\n", 0, 9, 4,
                 "cannot read the date at the end of 印发 '办公室 2023年3月28': write it "
                 "as 2023年3月28日, 2023-03-28, 2023.3.28 or 2023/3/28");
    expect_error(BODY "印发：2023年3月28日\n", 0, 9, 4,
                 "印发 needs the printing office before the date, e.g. '印发：XX办公室 "
                 "2023年3月28日'");
    expect_error(BODY "报送：\n抄送：甲\n", 0, 9, 1, "报送 has no value");
    expect_error(BODY "抄送：甲\ncc：乙\n", 0, 10, 1, "抄送 is given twice");
    expect_error(BODY "抄送：甲\n\n    乙\n", 0, 11, 5,
                 "text after the 版记 (footer) fields: only 报送, 抄送, 发送, 印发 and 印数 may "
                 "follow them (indent a continuation line)");
    expect_error(BODY "抄送：甲\n\n# 又一篇\n", 0, 11, 1,
                 "text after the 版记 (footer) fields: only 报送, 抄送, 发送, 印发 and 印数 may "
                 "follow them (indent a continuation line)");
#undef BODY
}

static void test_structure(void)
{
    /* '##' ends an article; '#' ends a section. */
    bl_doc *doc = parse(HEAD "# 一\n\n甲。\n## 栏\n### 条\n乙。\n# 二\n丙。\n");
    CHECK(doc != NULL);
    if (doc) {
        const bl_doc_view *v = bl_doc_get(doc);
        CHECK_INT(v->nparts, 3);
        CHECK_INT(v->parts[0].kind, BL_PART_ARTICLE);
        CHECK_INT(v->parts[0].article->nparas, 1);
        CHECK_INT(v->parts[1].kind, BL_PART_SECTION);
        CHECK_INT(v->parts[1].section->nitems, 1);
        CHECK_STR(v->parts[1].section->toc_name.s, "");
        CHECK_STR(v->parts[1].section->items[0].paras[0].text.s, "乙。");
        CHECK_STR(v->parts[2].article->paras[0].text.s, "丙。");
    }
    bl_doc_free(doc);
}

static void test_encodings_more(void)
{
    /* CR-only line ends (old Mac); the decoded source has LF and no BOM. */
    bl_doc *doc = parse("\xEF\xBB\xBF报头：甲\r期号：1\r日期：2023-03-28\r\r# 标题\r\r正文。\r");
    CHECK(doc != NULL);
    if (doc) {
        size_t n = 0;
        const char *src = bl_doc_source(doc, &n);
        CHECK_INT(n, strlen("报头：甲\n期号：1\n日期：2023-03-28\n\n# 标题\n\n正文。\n"));
        CHECK_STR(src, "报头：甲\n期号：1\n日期：2023-03-28\n\n# 标题\n\n正文。\n");
        CHECK_INT(article(doc, 0)->paras[0].text.pos.line, 7);
    }
    bl_doc_free(doc);

    /* bl_decode_input alone. */
    char *out = NULL;
    size_t olen = 0;
    int gb = -1;
    bl_error_clear(&err);
    CHECK_INT(bl_decode_input("a\r\nb\rc", 6, "x.txt", &out, &olen, &gb, &err), BL_OK);
    CHECK_STR(out, "a\nb\nc");
    CHECK_INT(olen, 5);
    CHECK_INT(gb, 0);
    free(out);

    /* GB18030 whose first characters happen to be valid UTF-8 (诗 = CA AB). */
    const char gb2[] = "% \xCA\xAB\xB8\xE8\n\xB1\xA8\xCD\xB7\xA3\xBA\xBC\xD7\n"
                       "\xC6\xDA\xBA\xC5\xA3\xBA" "1\n\xC8\xD5\xC6\xDA\xA3\xBA" "2023-03-28\n\n"
                       "# \xB1\xEA\xCC\xE2\n\n\xD5\xFD\xCE\xC4\xA1\xA3\n";
    doc = parse_n(gb2, sizeof gb2 - 1);
    CHECK(doc != NULL);
    CHECK_INT(nwarnings, 1);
    if (doc) {
        CHECK_STR(bl_doc_source(doc, NULL), "% 诗歌\n报头：甲\n期号：1\n日期：2023-03-28\n\n# 标题\n\n正文。\n");
        CHECK_STR(first_para(doc)->text.s, "正文。");
    }
    bl_doc_free(doc);
    /* UTF-8 with one stray Latin-1 byte: an error at that byte, not GB18030. */
    expect_error(HEAD "# 标题\n\n正文caf\xE9t。\n", 0, 7, 6, "invalid UTF-8 byte 0xE9");
    CHECK_INT(nwarnings, 0);
    expect_error("报头：甲\n\x80\n", 0, 2, 1, "invalid UTF-8 byte 0x80");
    /* A NUL in UTF-16 text is reported where it is, after decoding. */
    const char le_nul[] = "\xFF\xFE" "a\0\n\0b\0\0\0";
    expect_error(le_nul, sizeof le_nul - 1, 2, 2, "NUL byte: is this a binary file?");
    const char be_odd[] = "\xFE\xFF\x00" "a\x00";
    expect_error(be_odd, sizeof be_odd - 1, 1, 1,
                 "invalid UTF-16: the file starts with a UTF-16 byte order mark but is not "
                 "valid UTF-16");
    const char be16[] = "\0#\0 \0a\0\n";
    expect_error(be16, sizeof be16 - 1, 1, 1,
                 "looks like UTF-16 without a byte order mark; save the file as UTF-8");
    expect_error("\xEF\xBB\xBF", 0, 1, 1, "empty input: the file has no text");
    expect_error("\r\n\xE3\x80\x80\r\n", 0, 1, 1, "empty input: the file has no text");
}

static void test_limits_more(void)
{
    /* Input size. */
    size_t big = ((size_t)16 << 20) + 1;
    char *b = malloc(big);
    memset(b, 'a', big);
    bl_error_clear(&err);
    bl_doc *doc = (bl_doc *)1;
    CHECK_INT(bl_doc_parse(b, big, "t.txt", NULL, &doc, &err), BL_ERR_LIMIT);
    CHECK(doc == NULL);
    CHECK_STR(err.message, "input is 16777217 bytes; the limit is 16777216 bytes");
    free(b);

    /* 10,000 articles, sections and items. */
    size_t cap = 400000;
    char *s = malloc(cap);
    strcpy(s, HEAD);
    size_t len = strlen(s);
    for (int i = 0; i < 10001; i++) {
        memcpy(s + len, "# t\n", 4);
        len += 4;
    }
    s[len] = '\0';
    bl_error_clear(&err);
    doc = parse_n(s, len);
    CHECK(doc == NULL);
    CHECK_INT(err.code, BL_ERR_LIMIT);
    CHECK_INT(err.line, 10005);
    CHECK_STR(err.message, "more than 10000 articles and items");
    /* 100,000 paragraphs. */
    free(s);
    cap = 400000 + 100001 * 3;
    s = malloc(cap);
    strcpy(s, HEAD "# t\n\n");
    len = strlen(s);
    for (int i = 0; i < 100001; i++) {
        memcpy(s + len, "a\n\n", 3);
        len += 3;
    }
    doc = parse_n(s, len);
    CHECK(doc == NULL);
    CHECK_INT(err.code, BL_ERR_LIMIT);
    CHECK_INT(err.line, 200007);
    CHECK_INT(err.col, 1);
    CHECK_STR(err.message, "more than 100000 paragraphs");
    free(s);
}

static void test_files(void)
{
    bl_doc *doc = (bl_doc *)1;
    bl_error_clear(&err);
    CHECK_INT(bl_doc_parse_file("samples/no-such-file.txt", NULL, &doc, &err), BL_ERR_IO);
    CHECK(doc == NULL);
    CHECK_STR(err.file, "samples/no-such-file.txt");
    CHECK(strstr(err.message, "cannot open") != NULL);
    bl_doc_free(NULL); /* a no-op */
}

/* A 公文 (docs/format.md "A 公文"): the header of 发文字号, 份号, 密级 with
 * 保密期限, 紧急程度, 签发人; 主送 under the title; 附件, 署名, 成文日期, 附注
 * at the end; every malformed or misplaced field at its line and column. */
#define GW "报头：某某省人民政府\n发文字号：某政发〔2023〕5号\n日期：2023年4月5日\n\n"
static void test_gongwen(void)
{
    bl_doc *doc = parse("份号：12\n密级：秘密★1年\n紧急程度：特急\n" GW
                        "# 通知\n主送：各市人民政府：\n\n正文。\n\n附件：1.方案\n附件：2. 统计表\n"
                        "署名：甲\n署名：乙\n成文日期：2023-04-03\n附注：此件公开发布。\n\n抄送：丙。\n");
    CHECK(doc != NULL);
    if (doc) {
        const bl_doc_view *v = bl_doc_get(doc);
        CHECK_STR(v->doc_number.s, "某政发〔2023〕5号");
        CHECK_STR(v->copy_number.s, "000012"); /* six digits */
        CHECK_STR(v->classification.s, "秘密★1年");
        CHECK_STR(v->secrecy_term.s, "1年");
        CHECK_STR(v->urgency.s, "特急");
        CHECK_INT(v->issue.len, 0);
        CHECK_STR(v->parts[0].article->recipients.s, "各市人民政府"); /* colon dropped */
        CHECK_INT(v->parts[0].article->recipients.pos.line, 9);
        CHECK_INT(v->parts[0].article->recipients.pos.col, 4);
        CHECK_INT(v->parts[0].article->nparas, 1);
        CHECK_INT(v->nattachments, 2);
        if (v->nattachments == 2) {
            CHECK_STR(v->attachments[0].s, "方案");
            CHECK_STR(v->attachments[1].s, "统计表");
            CHECK_INT(v->attachments[1].pos.col, 7); /* after "2. " */
        }
        CHECK_INT(v->nsignatures, 2);
        CHECK_STR(v->signatures[1].s, "乙");
        CHECK_INT(v->sign_date.day, 3);
        CHECK_STR(v->annotation.s, "此件公开发布。");
        CHECK_INT(v->nfooter, 1);
    }
    bl_doc_free(doc);
    /* 上行文: several 签发人; 保密期限 on its own line; 成文日期 defaults to 日期. */
    doc = parse("密级：机密\n保密期限：6个月\n签发人：张三\n签发人：李四\n" GW "# 报告\n\n正文。\n");
    CHECK(doc != NULL);
    if (doc) {
        const bl_doc_view *v = bl_doc_get(doc);
        CHECK_INT(v->nsigners, 2);
        CHECK_STR(v->signers[1].s, "李四");
        CHECK_STR(v->classification.s, "机密★6个月");
        CHECK_INT(v->sign_date.day, 5);
        CHECK_INT(v->sign_date_text.len, 0);
        CHECK_INT(v->nsignatures, 0);
    }
    bl_doc_free(doc);
    /* A bulletin may end with them too. */
    doc = parse(HEAD "# 文章\n\n正文。\n\n署名：办公室\n");
    CHECK(doc != NULL);
    bl_doc_free(doc);

    /* malformed header fields */
    expect_error("报头：甲\n发文字号：甲发[2023]5号\n日期：2023-04-05\n\n# 标题\n", 0, 2, 8,
                 "发文字号 '甲发[2023]5号': put the year in 六角括号 〔〕, e.g. 国办发〔2023〕5号 "
                 "(GB/T 9704 7.2.5)");
    expect_error("报头：甲\n发文字号：甲发〔23〕5号\n日期：2023-04-05\n\n# 标题\n", 0, 2, 9,
                 "发文字号 '甲发〔23〕5号': write the year in full, 〔2023〕 (GB/T 9704 7.2.5)");
    expect_error("报头：甲\n发文字号：甲发〔2023〕第5号\n日期：2023-04-05\n\n# 标题\n", 0, 2, 14,
                 "发文字号 '甲发〔2023〕第5号': no 第 before the number: 〔2023〕5号 (GB/T 9704 7.2.5)");
    expect_error("报头：甲\n发文字号：甲发〔2023〕05号\n日期：2023-04-05\n\n# 标题\n", 0, 2, 14,
                 "发文字号 '甲发〔2023〕05号': no leading zeros in the number: 5号, not 05号 "
                 "(GB/T 9704 7.2.5)");
    expect_error("报头：甲\n发文字号：甲发〔2023〕5\n日期：2023-04-05\n\n# 标题\n", 0, 2, 15,
                 "发文字号 '甲发〔2023〕5': end it with 号 after the number: 〔2023〕5号 "
                 "(GB/T 9704 7.2.5)");
    expect_error("份号：00A1\n" GW "# 标题\n", 0, 1, 6,
                 "份号 '00A1': the copy number is at most 6 Arabic digits, e.g. 000001 "
                 "(GB/T 9704 7.2.1)");
    expect_error("份号：1234567\n" GW "# 标题\n", 0, 1, 4,
                 "份号 '1234567': the copy number is at most 6 Arabic digits, e.g. 000001 "
                 "(GB/T 9704 7.2.1)");
    expect_error("紧急程度：很急\n" GW "# 标题\n", 0, 1, 6,
                 "紧急程度 '很急': write 特急 or 加急 (a telegram: 特提, 特急, 加急 or 平急), "
                 "GB/T 9704 7.2.3");
    expect_error("密级：秘密★一年\n" GW "# 标题\n", 0, 1, 7,
                 "保密期限 '一年': write its number in Arabic digits, e.g. 1年 (GB/T 9704 7.2.2)");
    expect_error("密级：内部★1年\n" GW "# 标题\n", 0, 1, 4,
                 "密级 '内部': a 保密期限 goes with 绝密, 机密 or 秘密 (GB/T 9704 7.2.2)");
    expect_error("保密期限：1年\n" GW "# 标题\n", 0, 1, 1,
                 "保密期限 (term) without a 密级 (classification)");
    expect_error("密级：秘密★1年\n保密期限：1年\n" GW "# 标题\n", 0, 2, 1,
                 "保密期限 (term) is given twice: 密级 has one after ★");
    /* which document a field belongs to */
    expect_error("报头：甲\n期号：1\n签发人：张三\n日期：2023-04-05\n\n# 标题\n", 0, 3, 1,
                 "签发人 (signer) belongs to a 公文, whose header has 发文字号 (number) instead of 期号");
    expect_error("编印：办公室\n" GW "# 标题\n", 0, 1, 1,
                 "编印 (issuer) belongs to a bulletin: a 公文 has no issuer line (its printing office "
                 "goes in 印发, GB/T 9704 7.4.3)");
    expect_error("报头：甲\n期号：1\n发文字号：甲发〔2023〕5号\n日期：2023-04-05\n\n# 标题\n", 0, 3, 1,
                 "a header has 期号 (a bulletin) or 发文字号 (a 公文), not both");
    expect_error("署名：甲\n" GW "# 标题\n", 0, 1, 1,
                 "unknown header key '署名'; did you mean '刊名'? (the end of a 公文: it goes after the text)");
    /* 主送 */
    expect_error(GW "# 标题\n主送：各市。\n", 0, 6, 6,
                 "主送 ends with '。': the last body named is followed by a full-width colon "
                 "(GB/T 9704 7.3.2), which is printed for you");
    expect_error(GW "# 标题\n\n正文。\n主送：各市\n", 0, 8, 1,
                 "'主送' goes directly under the title ('# title'), before the text (GB/T 9704 7.3.2)");
    expect_error(GW "## 信息\n主送：各市\n", 0, 6, 1, "'主送' belongs under an article ('# title')");
    expect_error(GW "# 标题\n主送：甲\n主送：乙\n", 0, 7, 1, "'主送' is given twice");
    /* the end of the body */
    expect_error(GW "# 标题\n\n正文。\n\n附件：方案。\n", 0, 9, 6,
                 "附件 name ends with '。': no punctuation follows an attachment's name (GB/T 9704 7.3.4)");
    expect_error(GW "# 标题\n\n正文。\n\n附件：1.方案\n附件：3.表\n", 0, 10, 4,
                 "附件 number 3 out of order: this is attachment 2");
    expect_error(GW "# 标题\n\n正文。\n\n署名：甲\n附件：方案\n", 0, 10, 1,
                 "'附件' comes before '署名': the end of a 公文 reads 附件, 署名, 成文日期, 附注 "
                 "(GB/T 9704 7.3.4-7.3.6)");
    expect_error(GW "# 标题\n\n正文。\n\n成文日期：2023年2月30日\n", 0, 9, 6,
                 "impossible date '2023年2月30日': there is no 2023-02-30");
    expect_error(GW "# 标题\n\n正文。\n\n附注：甲\n附注：乙\n", 0, 10, 1, "'附注' is given twice");
    expect_error(GW "# 标题\n\n正文。\n\n署名：\n", 0, 9, 1, "'署名' without a value");
    expect_error(GW "# 标题\n\n正文。\n\n署名：甲\n又一段。\n", 0, 10, 1,
                 "text after the end of the body (附件, 署名, 成文日期, 附注): only those fields and "
                 "the 版记 (footer) fields may follow");
    expect_error(GW "# 标题\n\n正文。\n\n署名：甲\n# 第二篇\n", 0, 10, 1,
                 "text after the end of the body (附件, 署名, 成文日期, 附注): only those fields and "
                 "the 版记 (footer) fields may follow");
    expect_error(GW "# 标题\n\n正文。\n\n抄送：甲。\n署名：甲\n", 0, 10, 1,
                 "'署名' goes before the 版记 (footer) fields");
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
    test_header_more();
    test_headings_more();
    test_joining_and_escapes();
    test_fields();
    test_gongwen();
    test_empty_warnings();
    test_footer_more();
    test_structure();
    test_encodings_more();
    test_limits_more();
    test_files();
    return check_summary();
}
