/* ofd_tests.c - the OFD writer in-process, on a hand-built display list
 * with what the samples rarely have: XML specials in text and titles (& <
 * ]]>), a character beyond the BMP, two dashes the font sets as one glyph
 * (a CGTransform), a many-to-one and a one-to-many cluster, a glyph off the
 * baseline, a .notdef, gray, RGB and CMYK colours, a page of another size,
 * an empty page, a three-level outline, keywords and a date. It reads the
 * package back with libzip and checks the parts' exact text, the member
 * order and stamps, byte-identical reruns and the refusal of an empty
 * document.
 *
 * Usage: ofd_tests [OUT.ofd OUT.pdf]: with paths, it also writes the same
 * display list as OFD and PDF for ofd.sh to give to ofd-check and to
 * compare with each other. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zip.h>

#include "check.h"
#include "display/display.h"
#include "font/font.h"
#include "ofd/ofd.h"
#include "pdf/pdf.h"
#include "shape/shape.h"

static bl_error err;

/* Shapes text with chain and adds it at (x, y) as runs of one font each,
 * glyph origins at the shaped pen positions. */
static void add_line(bl_display *d, bl_dl_page *page, bl_shaper *sh, const bl_fontchain *ch,
                     float size, bl_color color, float x, float y, const char *text)
{
    bl_glyph *g = NULL;
    size_t n = 0, len = strlen(text);
    CHECK_INT(bl_shape_text(sh, ch, size, text, len, d->arena, &g, &n, &err), BL_OK);
    float pen = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && g[j].font == g[i].font)
            j++;
        bl_dl_glyph *dg = bl_arena_calloc(d->arena, j - i, sizeof *dg);
        float *dy = bl_arena_calloc(d->arena, j - i, sizeof *dy);
        float run_x = pen;
        /* The run's text: its clusters' (a slice of the line). */
        size_t t0 = g[i].cluster, t1 = j < n ? g[j].cluster : len;
        for (size_t k = i; k < j; k++) {
            int cont = k > i && g[k - 1].cluster == g[k].cluster;
            dg[k - i] = (bl_dl_glyph){.gid = (uint16_t)g[k].gid, .x = pen - run_x + g[k].dx,
                                      .text_off = (uint32_t)(g[k].cluster - t0),
                                      .advance = g[k].advance,
                                      .flags = cont ? BL_DLG_CONT : 0};
            dy[k - i] = g[k].dy;
            pen += g[k].advance;
        }
        bl_dl_text t = {g[i].font, size, color, x + run_x, y, text + t0, t1 - t0, dg, j - i,
                        "test", "line", 0, dy};
        CHECK_INT(bl_display_add_text(d, page, &t, &err), BL_OK);
        i = j;
    }
}

/* The glyph the chain's first font gives cp (shaped alone). */
static uint32_t glyph_of(bl_shaper *sh, const bl_fontchain *ch, bl_arena *a, const char *s)
{
    bl_glyph *g = NULL;
    size_t n = 0;
    CHECK_INT(bl_shape_text(sh, ch, 12, s, strlen(s), a, &g, &n, &err), BL_OK);
    return n ? g[0].gid : 0;
}

/* The hand-built document (see the file comment). */
static bl_display *build(bl_arena *a, bl_fontcache *fc, bl_shaper *sh)
{
    const char *title_p[] = {"Noto Serif CJK SC:weight=black"};
    const char *body_p[] = {"Noto Serif CJK SC"};
    const bl_fontchain *title = NULL, *body = NULL;
    CHECK_INT(bl_fontcache_chain(fc, title_p, 1, &title, &err), BL_OK);
    CHECK_INT(bl_fontcache_chain(fc, body_p, 1, &body, &err), BL_OK);
    if (!title || !body)
        return NULL;
    bl_display *d = bl_display_new(a);
    bl_color red = {BL_CMYK, {0, 1, 1, 0}}, black = {BL_GRAY, {0, 0, 0, 0}};
    bl_color gray = {BL_GRAY, {0.5f, 0, 0, 0}}, blue = {BL_RGB, {0, 0, 0.8f, 0}};

    bl_dl_page *p1 = bl_display_add_page(d, 595.276f, 841.89f);
    p1->label = "1";
    add_line(d, p1, sh, title, 22, red, 100, 760, "关于“A&B<C>]]>”的通报");
    add_line(d, p1, sh, body, 16, black, 56.7f, 700, "吉祥的𠮷字——䶮字。");
    add_line(d, p1, sh, body, 12, blue, 56.7f, 670, "AVATAR To Wa, 100%");

    /* Hand-made clusters in the body font, 16 pt, at (56.7, 640):
     * "ffi" shown by one glyph (a ligature), "é" by two (e + a mark drawn
     * at the same place), "x" then "2" raised 5 pt (another baseline), and
     * a character no font has as .notdef, which is not drawn. */
    static const char text[] = "ffié" "x2" "\xF0\xAA\x9A\xA5" "z"; /* 𪚥 = F0 AA 9A A5 */
    uint32_t f = glyph_of(sh, body, a, "f"), e = glyph_of(sh, body, a, "e");
    uint32_t acute = glyph_of(sh, body, a, "\xC2\xB4"), x = glyph_of(sh, body, a, "x");
    uint32_t two = glyph_of(sh, body, a, "2"), z = glyph_of(sh, body, a, "z");
    bl_dl_glyph *dg = bl_arena_calloc(a, 7, sizeof *dg);
    dg[0] = (bl_dl_glyph){.gid = f, .x = 0, .text_off = 0, .advance = 16, .flags = 0};
    dg[1] = (bl_dl_glyph){.gid = e, .x = 16, .text_off = 3, .advance = 0, .flags = 0};
    dg[2] = (bl_dl_glyph){.gid = acute, .x = 16, .text_off = 5, .advance = 10, .flags = BL_DLG_CONT};
    dg[3] = (bl_dl_glyph){.gid = x, .x = 26, .text_off = 5, .advance = 8, .flags = 0};
    dg[4] = (bl_dl_glyph){.gid = two, .x = 34, .text_off = 6, .advance = 8, .flags = 0};
    dg[5] = (bl_dl_glyph){.gid = 0, .x = 42, .text_off = 7, .advance = 16, .flags = 0};
    dg[6] = (bl_dl_glyph){.gid = z, .x = 58, .text_off = 11, .advance = 8, .flags = 0};
    static const float dy[7] = {0, 0, 0, 0, 5, 0, 0}; /* "2" raised */
    bl_dl_text t = {body->fonts[0], 16, black, 56.7f, 640, text, strlen(text), dg, 7, "test",
                    "line", 0, dy};
    CHECK_INT(bl_display_add_text(d, p1, &t, &err), BL_OK);
    bl_dl_rule rule = {56.7f, 600, 538.6f, 600, 0.75f, gray, "rule"};
    CHECK_INT(bl_display_add_rule(d, p1, &rule, &err), BL_OK);

    /* A5 landscape, then an empty A4 page. */
    bl_dl_page *p2 = bl_display_add_page(d, 595.276f, 419.528f);
    p2->label = "2";
    add_line(d, p2, sh, body, 16, black, 56.7f, 360, "第二页：A5横向。");
    bl_display_add_page(d, 595.276f, 841.89f);

    d->info.title = "关于“A&B”的通报";
    d->info.author = "测试<编辑部>";
    d->info.subject = "OFD writer test";
    d->info.keywords = "引号, GB/T 9704；OFD、 测试 ,";
    d->info.creator = "bulletin ofd_tests";
    d->info.year = 2024;
    d->info.month = 3;
    d->info.day = 15;
    d->info.hour = 9;
    d->info.minute = 30;
    d->info.second = 10;
    CHECK_INT(bl_display_add_outline(d, "一、A&B “引”", 0, 0, 790, &err), BL_OK);
    CHECK_INT(bl_display_add_outline(d, "（一）", 1, 0, 716, &err), BL_OK);
    CHECK_INT(bl_display_add_outline(d, "1.", 2, 0, 700, &err), BL_OK);
    CHECK_INT(bl_display_add_outline(d, "二、", 0, 1, 380, &err), BL_OK);
    CHECK_INT(bl_display_add_outline(d, "beyond the last page", 0, 7, 380, &err), BL_OK);
    return d;
}

/* ---- reading the package back --------------------------------------------- */

typedef struct pkg {
    zip_t *z;
    zip_source_t *src;
} pkg;

static int pkg_open(pkg *p, const unsigned char *data, size_t len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    p->src = zip_source_buffer_create(data, len, 0, &ze);
    p->z = p->src ? zip_open_from_source(p->src, ZIP_RDONLY | ZIP_CHECKCONS, &ze) : NULL;
    zip_error_fini(&ze);
    return p->z != NULL;
}

static void pkg_close(pkg *p)
{
    if (p->z)
        zip_discard(p->z);
    else if (p->src)
        zip_source_free(p->src);
}

/* The member's bytes, NUL-terminated (malloc'd), or NULL. */
static char *member(pkg *p, const char *name)
{
    zip_stat_t st;
    if (zip_stat(p->z, name, 0, &st) != 0)
        return NULL;
    zip_file_t *f = zip_fopen(p->z, name, 0);
    char *b = malloc(st.size + 1);
    if (!f || !b || zip_fread(f, b, st.size) != (zip_int64_t)st.size) {
        free(b);
        b = NULL;
    } else {
        b[st.size] = '\0';
    }
    if (f)
        zip_fclose(f);
    return b;
}

#define CHECK_HAS(hay, needle)                                                          \
    do {                                                                                \
        const char *h_ = (hay);                                                         \
        if (h_ && strstr(h_, (needle))) {                                               \
            check_passed++;                                                             \
        } else {                                                                        \
            check_failed++;                                                             \
            fprintf(stderr, "%s:%d: missing: %s\n", __FILE__, __LINE__, (needle));      \
        }                                                                               \
    } while (0)

static void test_package(const unsigned char *data, size_t len)
{
    pkg p = {0};
    CHECK(pkg_open(&p, data, len));
    if (!p.z)
        return;
    /* Members in a fixed order, each stamped 2024-03-15 09:30:10 (DOS: even
     * seconds), deflated, Unix mode 0644. */
    static const char *const names[] = {
        "OFD.xml", "Doc_0/Document.xml", "Doc_0/PublicRes.xml", "Doc_0/Res/font_1.otf",
        "Doc_0/Res/font_2.otf", "Doc_0/Pages/Page_0/Content.xml",
        "Doc_0/Pages/Page_1/Content.xml", "Doc_0/Pages/Page_2/Content.xml"};
    CHECK_INT(zip_get_num_entries(p.z, 0), 8);
    for (zip_uint64_t i = 0; i < 8; i++) {
        CHECK_STR(zip_get_name(p.z, i, 0), names[i]);
        zip_stat_t st;
        CHECK_INT(zip_stat_index(p.z, i, 0, &st), 0);
        CHECK_INT(st.comp_method, ZIP_CM_DEFLATE);
        zip_uint8_t os = 0;
        zip_uint32_t attr = 0;
        CHECK_INT(zip_file_get_external_attributes(p.z, i, 0, &os, &attr), 0);
        CHECK_INT(attr >> 16, 0100644);
    }
    zip_stat_t st;
    CHECK_INT(zip_stat_index(p.z, 0, 0, &st), 0);
    struct tm tm;
    localtime_r(&st.mtime, &tm); /* libzip reads DOS times as local time */
    CHECK_INT(tm.tm_year + 1900, 2024);
    CHECK_INT(tm.tm_mon + 1, 3);
    CHECK_INT(tm.tm_mday, 15);
    CHECK_INT(tm.tm_hour, 9);
    CHECK_INT(tm.tm_min, 30);
    CHECK_INT(tm.tm_sec, 10);

    char *ofd = member(&p, "OFD.xml");
    CHECK_HAS(ofd, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:OFD "
                   "xmlns:ofd=\"http://www.ofdspec.org/2016\" Version=\"1.0\" DocType=\"OFD\">");
    CHECK_HAS(ofd, "<ofd:Title><![CDATA[关于“A&B”的通报]]></ofd:Title>");
    CHECK_HAS(ofd, "<ofd:Author><![CDATA[测试<编辑部>]]></ofd:Author>");
    CHECK_HAS(ofd, "<ofd:CreationDate>2024-03-15</ofd:CreationDate>"
                   "<ofd:ModDate>2024-03-15</ofd:ModDate>");
    CHECK_HAS(ofd, "<ofd:Keywords><ofd:Keyword>引号</ofd:Keyword><ofd:Keyword>GB/T 9704"
                   "</ofd:Keyword><ofd:Keyword>OFD</ofd:Keyword><ofd:Keyword>测试</ofd:Keyword>"
                   "</ofd:Keywords>");
    CHECK_HAS(ofd, "<ofd:Creator>bulletin ofd_tests</ofd:Creator>");
    CHECK_HAS(ofd, "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>");
    CHECK(ofd && strstr(ofd, "<ofd:DocID>") && strlen(strstr(ofd, "<ofd:DocID>")) > 43 &&
          strstr(ofd, "<ofd:DocID>")[11 + 32] == '<');

    char *doc = member(&p, "Doc_0/Document.xml");
    /* IDs: fonts 1-2, the colour spaces 3-4 (RGB, CMYK), then the pages. */
    CHECK_HAS(doc, "<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
                   "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes>");
    CHECK_HAS(doc, "<ofd:Page ID=\"5\" BaseLoc=\"Pages/Page_0/Content.xml\"/>");
    CHECK_HAS(doc, "<ofd:OutlineElem Title=\"一、A&amp;B “引”\"><ofd:Actions><ofd:Action "
                   "Event=\"CLICK\"><ofd:Goto><ofd:Dest Type=\"XYZ\" PageID=\"5\" "
                   "Top=\"18.3056\"/></ofd:Goto></ofd:Action></ofd:Actions>\n"
                   "<ofd:OutlineElem Title=\"（一）\">");
    CHECK_HAS(doc, "<ofd:OutlineElem Title=\"1.\">");
    /* 1. and （一） close before 二、 opens, at the top level. */
    CHECK_HAS(doc, "</ofd:OutlineElem>\n</ofd:OutlineElem>\n</ofd:OutlineElem>\n"
                   "<ofd:OutlineElem Title=\"二、\">");
    CHECK(doc && !strstr(doc, "beyond the last page"));
    CHECK_HAS(doc, "<ofd:PageMode>UseOutlines</ofd:PageMode>");

    char *res = member(&p, "Doc_0/PublicRes.xml");
    CHECK_HAS(res, "<ofd:Res xmlns:ofd=\"http://www.ofdspec.org/2016\" BaseLoc=\"Res\">");
    CHECK_HAS(res, "<ofd:ColorSpaces><ofd:ColorSpace ID=\"3\" Type=\"RGB\"/>"
                   "<ofd:ColorSpace ID=\"4\" Type=\"CMYK\"/></ofd:ColorSpaces>");
    CHECK_HAS(res, "<ofd:Font ID=\"1\" FontName=\"NotoSerifCJKsc-Black\" FamilyName=\"Noto "
                   "Serif CJK SC\" Bold=\"true\" Serif=\"true\"><ofd:FontFile>font_1.otf"
                   "</ofd:FontFile></ofd:Font>");

    char *p0 = member(&p, "Doc_0/Pages/Page_0/Content.xml");
    /* Text with specials in one CDATA section, "]]>" split across two. */
    CHECK_HAS(p0, "<![CDATA[关于“A&B<C>]]]]><![CDATA[>”的通报]]></ofd:TextCode>");
    /* The two dashes are one glyph of the font's (a two-em dash). */
    CHECK_HAS(p0, ">吉祥的𠮷</ofd:TextCode><ofd:CGTransform CodePosition=\"1\" "
                  "CodeCount=\"2\" GlyphCount=\"1\">");
    CHECK_HAS(p0, "Font=\"1\" Size=\"7.7611\" Weight=\"900\"><ofd:FillColor ColorSpace=\"4\" "
                  "Value=\"0 255 255 0\"/>");
    /* 𠮷 ends its TextCode; the next starts at its own X. */
    CHECK_HAS(p0, "<ofd:TextCode X=\"5.6275\" Y=\"10.2108\" DeltaX=\"5.6444 5.6445 "
                  "5.6444\">吉祥的𠮷</ofd:TextCode>");
    /* Gray is K-only CMYK; RGB keeps its space. */
    CHECK_HAS(p0, "<ofd:FillColor ColorSpace=\"4\" Value=\"0 0 0 255\"/>");
    CHECK_HAS(p0, "<ofd:FillColor ColorSpace=\"3\" Value=\"0 0 204\"/>");
    CHECK_HAS(p0, "<ofd:StrokeColor ColorSpace=\"4\" Value=\"0 0 0 128\"/>");
    /* The hand-made clusters: ffi one glyph for three codes, spread over its
     * advance; é two glyphs; 2 on its own baseline 5 pt higher; no 𪚥. */
    CHECK_HAS(p0, "<ofd:CGTransform CodePosition=\"0\" CodeCount=\"3\" GlyphCount=\"1\">");
    CHECK_HAS(p0, "<ofd:CGTransform CodePosition=\"3\" CodeCount=\"1\" GlyphCount=\"2\">");
    CHECK_HAS(p0, ">ffiéx</ofd:TextCode><ofd:TextCode X=\"");
    CHECK_HAS(p0, ">2</ofd:TextCode><ofd:TextCode X=\"");
    CHECK_HAS(p0, ">z</ofd:TextCode></ofd:TextObject>");
    CHECK(p0 && !strstr(p0, "\xF0\xAA\x9A\xA5"));
    /* The rule: 0.75 pt wide at y 600 pt from 56.7 to 538.6 pt. */
    CHECK_HAS(p0, "<ofd:PathObject ID=\"");
    CHECK_HAS(p0, "Boundary=\"19.8702 85.2011 170.2682 0.2646\" LineWidth=\"0.2646\">");
    CHECK_HAS(p0, "<ofd:AbbreviatedData>M 0.1323 0.1323 L 170.1359 0.1323</ofd:AbbreviatedData>");

    char *p1 = member(&p, "Doc_0/Pages/Page_1/Content.xml");
    CHECK_HAS(p1, "<ofd:Area><ofd:PhysicalBox>0 0 210 148</ofd:PhysicalBox></ofd:Area>");
    char *p2 = member(&p, "Doc_0/Pages/Page_2/Content.xml");
    CHECK_HAS(p2, "<ofd:Content><ofd:Layer ID=\"");
    CHECK(p2 && !strstr(p2, "Area") && !strstr(p2, "Object"));
    free(ofd);
    free(doc);
    free(res);
    free(p0);
    free(p1);
    free(p2);
    pkg_close(&p);
}

static int write_file(const char *path, const unsigned char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(data, 1, len, f) == len;
    if (f && fclose(f) != 0)
        ok = 0;
    return ok;
}

int main(int argc, char **argv)
{
    setenv("TZ", "UTC", 1);
    bl_error_clear(&err);
    bl_fontcache *fc = NULL;
    bl_shaper *sh = NULL;
    CHECK_INT(bl_fontcache_new("fonts", &fc, &err), BL_OK);
    CHECK_INT(bl_shaper_new(&sh, &err), BL_OK);
    if (!fc || !sh)
        return check_summary();
    bl_writer_opts o = {sh, 0, NULL};

    /* Found by name and extension. */
    CHECK(bl_writer_find("ofd") == &bl_ofd_writer);
    CHECK(bl_writer_for_path("out/x.OFD") == &bl_ofd_writer);

    /* No pages: refused (an OFD document has at least one), nothing made. */
    bl_arena *a = bl_arena_new();
    bl_writer_output out = {0};
    CHECK_INT(bl_writer_run(&bl_ofd_writer, bl_display_new(a), &o, &out, &err), BL_ERR_USAGE);
    CHECK_STR(err.message, "an OFD document needs at least one page");
    CHECK_INT(out.nfiles, 0);
    bl_error_clear(&err);

    bl_display *d = build(a, fc, sh);
    if (!d)
        return check_summary();
    bl_writer_output again = {0};
    CHECK_INT(bl_writer_run(&bl_ofd_writer, d, &o, &out, &err), BL_OK);
    CHECK_INT(bl_writer_run(&bl_ofd_writer, d, &o, &again, &err), BL_OK);
    if (out.nfiles == 1 && again.nfiles == 1) {
        CHECK(out.files[0].len == again.files[0].len &&
              memcmp(out.files[0].data, again.files[0].data, out.files[0].len) == 0);
        CHECK_STR(out.files[0].suffix, "");
        test_package(out.files[0].data, out.files[0].len);
        if (argc > 2) {
            unsigned char *pdf = NULL;
            size_t len = 0;
            CHECK(write_file(argv[1], out.files[0].data, out.files[0].len));
            CHECK_INT(bl_pdf_render(d, sh, &pdf, &len, &err), BL_OK);
            CHECK(pdf && write_file(argv[2], pdf, len));
            free(pdf);
        }
    } else {
        CHECK(0);
    }
    bl_writer_output_free(&out);
    bl_writer_output_free(&again);
    bl_arena_free(a);
    bl_shaper_free(sh);
    bl_fontcache_free(fc);
    return check_summary();
}
