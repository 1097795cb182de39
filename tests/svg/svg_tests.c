/* svg_tests.c - the pieces of the SVG writer that can be checked exactly:
 * colours (CMYK mapped to the RGB look poppler shows), glyph outlines read
 * from the font (closed contours in font units), and a small display list
 * written as SVG (one file per page, glyphs defined once per page and
 * reused, rules as lines, the text laid over). */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "font/font.h"
#include "svg/svg.h"

static void rgb_is(bl_color c, int r, int g, int b)
{
    unsigned char v[3];
    bl_svg_rgb(&c, v);
    CHECK_INT(v[0], r);
    CHECK_INT(v[1], g);
    CHECK_INT(v[2], b);
}

static void test_colors(void)
{
    rgb_is((bl_color){BL_CMYK, {0, 1, 1, 0}}, 237, 28, 36); /* 红头 red: #ED1C24 */
    rgb_is((bl_color){BL_CMYK, {0, 0, 0, 0}}, 255, 255, 255);
    rgb_is((bl_color){BL_CMYK, {1, 1, 1, 1}}, 0, 0, 0);
    rgb_is((bl_color){BL_CMYK, {0, 0.5f, 0.5f, 0}}, 246, 131, 108); /* as poppler shows it */
    rgb_is((bl_color){BL_GRAY, {0}}, 0, 0, 0); /* gray(100) in a layout: black */
    rgb_is((bl_color){BL_GRAY, {0.5f}}, 128, 128, 128);
    rgb_is((bl_color){BL_RGB, {1, 0, 0.2f}}, 255, 0, 51);
}

typedef struct counts {
    int moves, lines, quads, cubics, closes, open;
    double xmin, xmax, ymin, ymax;
} counts;

static void see(counts *c, double x, double y)
{
    if (x < c->xmin) c->xmin = x;
    if (x > c->xmax) c->xmax = x;
    if (y < c->ymin) c->ymin = y;
    if (y > c->ymax) c->ymax = y;
}
static void c_move(void *p, double x, double y)
{
    counts *c = p;
    CHECK(!c->open); /* the previous contour was closed first */
    c->open = 1;
    c->moves++;
    see(c, x, y);
}
static void c_line(void *p, double x, double y)
{
    ((counts *)p)->lines++;
    see(p, x, y);
}
static void c_quad(void *p, double cx, double cy, double x, double y)
{
    ((counts *)p)->quads++;
    see(p, cx, cy);
    see(p, x, y);
}
static void c_cubic(void *p, double ax, double ay, double bx, double by, double x, double y)
{
    ((counts *)p)->cubics++;
    see(p, ax, ay);
    see(p, bx, by);
    see(p, x, y);
}
static void c_close(void *p)
{
    counts *c = p;
    CHECK(c->open);
    c->open = 0;
    c->closes++;
}

/* The project's Noto Serif CJK SC (a CFF font), from a new cache in *fc;
 * NULL (the failure recorded) when it cannot be had. */
static const bl_fontchain *serif(bl_fontcache **fc)
{
    bl_error err;
    bl_error_clear(&err);
    const char *pat[] = {"Noto Serif CJK SC"};
    const bl_fontchain *ch = NULL;
    CHECK_INT(bl_fontcache_new("fonts", fc, &err), BL_OK);
    if (!*fc || bl_fontcache_chain(*fc, pat, 1, &ch, &err) != BL_OK) {
        CHECK(0);
        bl_fontcache_free(*fc);
        *fc = NULL;
        return NULL;
    }
    return ch;
}

static void test_outlines(void)
{
    bl_error err;
    bl_error_clear(&err);
    bl_fontcache *fc = NULL;
    const bl_fontchain *ch = serif(&fc);
    if (!ch)
        return;
    const bl_font *f = ch->fonts[0];
    bl_outliner *o = NULL;
    CHECK_INT(bl_outliner_new(&o, &err), BL_OK);
    counts c = {0, 0, 0, 0, 0, 0, 1e9, -1e9, 1e9, -1e9};
    bl_outline_sink sink = {&c, c_move, c_line, c_quad, c_cubic, c_close};
    const bl_font_info *in = bl_font_get_info(f);
    CHECK(in->is_cff);
    /* Glyph 0 (.notdef) of Noto CJK: a box, closed contours, cubic (CFF). */
    CHECK_INT(bl_font_glyph_outline(o, f, 0, &sink, &err), BL_OK);
    CHECK(c.moves >= 1);
    CHECK_INT(c.moves, c.closes);
    CHECK_INT(c.quads, 0); /* CFF has no quadratic segments */
    CHECK(c.xmin >= in->bbox[0] && c.xmax <= in->bbox[2]);
    CHECK(c.ymin >= in->bbox[1] && c.ymax <= in->bbox[3]);
    CHECK(c.xmax - c.xmin > 100); /* font units (1000 per em), not pixels */
    /* An unknown glyph is an error naming the font. */
    bl_error_clear(&err);
    CHECK_INT(bl_font_glyph_outline(o, f, in->num_glyphs + 5, &sink, &err), BL_ERR_FONT);
    CHECK(strstr(err.message, in->postscript_name) != NULL);
    bl_outliner_free(o);
    bl_fontcache_free(fc);
}

/* Counts the occurrences of needle in hay[0..len). */
static int count(const char *hay, size_t len, const char *needle)
{
    int n = 0;
    size_t nl = strlen(needle);
    for (size_t i = 0; i + nl <= len; i++)
        n += memcmp(hay + i, needle, nl) == 0;
    return n;
}

static void test_pages(void)
{
    bl_error err;
    bl_error_clear(&err);
    bl_fontcache *fc = NULL;
    const bl_fontchain *ch = serif(&fc);
    if (!ch)
        return;
    bl_arena *a = bl_arena_new();
    bl_display *d = bl_display_new(a);
    /* Page 1: the same glyph (gid 0) three times in one run, and a rule. */
    bl_dl_page *p1 = bl_display_add_page(d, 595.2756f, 841.8898f);
    bl_dl_glyph g3[3] = {{.x = 0, .text_off = 0, .advance = 16},
                         {.x = 16, .text_off = 1, .advance = 16},
                         {.x = 32, .text_off = 2, .advance = 16}};
    bl_dl_text t = {ch->fonts[0], 16, {BL_CMYK, {0, 1, 1, 0}}, 100, 700, "a<&", 3, g3, 3,
                    "正文", "body", 0, NULL};
    CHECK_INT(bl_display_add_text(d, p1, &t, &err), BL_OK);
    bl_dl_rule r = {80, 600, 520, 600, 1.5f, {BL_CMYK, {0, 1, 1, 0}}, "rule"};
    CHECK_INT(bl_display_add_rule(d, p1, &r, &err), BL_OK);
    /* Page 2: the glyph again: defined again, since each page stands alone. */
    bl_dl_page *p2 = bl_display_add_page(d, 595.2756f, 841.8898f);
    bl_dl_text t2 = t;
    t2.nglyphs = 1;
    t2.text_len = 1; /* the text of its one glyph: "a" */
    t2.color = (bl_color){BL_GRAY, {0}};
    CHECK_INT(bl_display_add_text(d, p2, &t2, &err), BL_OK);
    bl_writer_output out = {0};
    CHECK_INT(bl_writer_run(&bl_svg_writer, d, &(bl_writer_opts){NULL}, &out, &err), BL_OK);
    CHECK_INT(out.nfiles, 2);
    if (out.nfiles == 2) {
        CHECK_STR(out.files[0].suffix, "-1");
        CHECK_STR(out.files[1].suffix, "-2");
        const char *s = (const char *)out.files[0].data;
        size_t n = out.files[0].len;
        CHECK_INT(count(s, n, "<path id=\"g0-0\""), 1); /* defined once */
        CHECK_INT(count(s, n, "xlink:href=\"#g0-0\""), 3); /* used three times */
        CHECK_INT(count(s, n, "fill=\"#ed1c24\""), 1);
        CHECK_INT(count(s, n, "<line x1=\"80\" y1=\"241.89\" x2=\"520\" y2=\"241.89\" "
                              "stroke=\"#ed1c24\" stroke-width=\"1.5\"/>"), 1);
        /* 16pt at 1000 units per em; the baseline y flipped: 841.8898 - 700. */
        CHECK_INT(count(s, n, "transform=\"matrix(0.016 0 0 -0.016 100 141.89)\""), 1);
        CHECK_INT(count(s, n, "x=\"1000\"/>"), 1); /* 16 pt = 1000 font units */
        /* The text, escaped, each character at its glyph's x. */
        CHECK_INT(count(s, n, "<text x=\"100 116 132\" y=\"141.89\" font-size=\"16\" "
                              "font-family=\"Noto Serif CJK SC\">a&lt;&amp;</text>"), 1);
        CHECK_INT(count(s, n, "width=\"595.27557pt\" height=\"841.88977pt\""), 1);
        CHECK_INT(count((const char *)out.files[1].data, out.files[1].len,
                        "<path id=\"g0-0\""), 1);
        CHECK_INT(count((const char *)out.files[1].data, out.files[1].len,
                        "fill=\"#000000\""), 1);
    }
    /* Same display list, same bytes. */
    bl_writer_output again = {0};
    CHECK_INT(bl_writer_run(&bl_svg_writer, d, &(bl_writer_opts){NULL}, &again, &err), BL_OK);
    CHECK_INT(again.nfiles, out.nfiles);
    for (size_t k = 0; k < out.nfiles && k < again.nfiles; k++)
        CHECK(out.files[k].len == again.files[k].len &&
              memcmp(out.files[k].data, again.files[k].data, out.files[k].len) == 0);
    bl_writer_output_free(&again);
    bl_writer_output_free(&out);
    CHECK(bl_writer_find("svg") == &bl_svg_writer);
    CHECK(bl_writer_for_path("out/x.SVG") == &bl_svg_writer);
    bl_arena_free(a);
    bl_fontcache_free(fc);
}

int main(void)
{
    test_colors();
    test_outlines();
    test_pages();
    return check_summary();
}
