/* pdf_sample.c - writes a hand-built display list as PDF for pdf.sh to read
 * back: two pages of Chinese lines in three fonts (CFF Regular and Black,
 * TrueType LXGW WenKai), “引号”, GB/T 9704—2012, 87.6%, a non-BMP 𠮷, a red
 * CMYK rule, Info, an outline and page labels.
 *
 * Usage: pdf_sample OUT.pdf [POSITIONS.txt]. The optional second file lists
 * every glyph's expected origin ("U+XXXX x y", pt, 2 decimals) so the script
 * can compare it with where a PDF reader finds the characters. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "display/display.h"
#include "font/font.h"
#include "pdf/pdf.h"
#include "shape/shape.h"

static bl_error err;
static FILE *positions;

static int fail(const char *what)
{
    fprintf(stderr, "pdf_sample: %s: %s\n", what, err.message);
    return 1;
}

/* Shapes text with chain and adds it to page as one run at (x, y). */
static int add_line(bl_display *d, bl_dl_page *page, bl_shaper *sh, const bl_fontchain *ch,
                    float size, bl_color color, float x, float y, const char *text)
{
    bl_glyph *g;
    size_t n;
    size_t len = strlen(text);
    if (bl_shape_text(sh, ch, size, text, len, d->arena, &g, &n, &err) != BL_OK)
        return fail("shape");
    /* Runs are per font: split where the glyphs' font changes. */
    size_t i = 0;
    float pen = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && g[j].font == g[i].font)
            j++;
        bl_dl_glyph *dg = bl_arena_calloc(d->arena, j - i, sizeof *dg);
        float *dy = bl_arena_calloc(d->arena, j - i, sizeof *dy);
        float run_x = pen;
        /* The run's text: its clusters' (a slice of the line), up to where
         * its last cluster ends. */
        size_t t0 = g[i].cluster, t1 = len;
        for (size_t m = j; m < n; m++)
            if (g[m].cluster != g[j - 1].cluster) {
                t1 = g[m].cluster;
                break;
            }
        for (size_t k = i; k < j; k++) {
            bl_dl_glyph *o = &dg[k - i];
            o->gid = g[k].gid;
            o->x = pen - run_x + g[k].dx;
            dy[k - i] = g[k].dy;
            o->advance = g[k].advance;
            o->text_off = (uint32_t)(g[k].cluster - t0);
            if (k > i && g[k - 1].cluster == g[k].cluster)
                o->flags = BL_DLG_CONT;
            if (positions)
                fprintf(positions, "U+%04X %.2f %.2f\n", (unsigned)g[k].cp,
                        x + run_x + o->x, y + dy[k - i]);
            pen += g[k].advance;
        }
        bl_dl_text t = {0};
        t.font = g[i].font;
        t.size = size;
        t.color = color;
        t.x = x + run_x;
        t.y = y;
        t.text = text + t0;
        t.text_len = t1 - t0;
        t.glyphs = dg;
        t.glyph_y = dy;
        t.nglyphs = j - i;
        t.role = "test";
        t.element = "line";
        if (bl_display_add_text(d, page, &t, &err) != BL_OK)
            return fail("add text");
        i = j;
    }
    return 0;
}

static const bl_fontchain *get_chain(bl_fontcache *c, const char *a, const char *b)
{
    const char *p[2] = {a, b};
    const bl_fontchain *ch = NULL;
    if (bl_fontcache_chain(c, p, b ? 2 : 1, &ch, &err) != BL_OK)
        fail("font");
    return ch;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, ""); /* the output must not depend on LC_NUMERIC */
    if (argc < 2) {
        fprintf(stderr, "usage: pdf_sample OUT.pdf [POSITIONS.txt]\n");
        return 2;
    }
    if (argc > 2 && !(positions = fopen(argv[2], "w"))) {
        perror(argv[2]);
        return 1;
    }
    bl_fontcache *fc;
    bl_shaper *sh;
    if (bl_fontcache_new("fonts", &fc, &err) != BL_OK || bl_shaper_new(&sh, &err) != BL_OK)
        return fail("setup");
    const bl_fontchain *title = get_chain(fc, "方正小标宋简体", "Noto Serif CJK SC:weight=black");
    const bl_fontchain *body = get_chain(fc, "仿宋_GB2312", "Noto Serif CJK SC");
    const bl_fontchain *kai = get_chain(fc, "LXGW WenKai", "Noto Serif CJK SC");
    if (!title || !body || !kai)
        return 1;
    bl_arena *arena = bl_arena_new();
    bl_display *d = bl_display_new(arena);
    bl_color black = {BL_CMYK, {0, 0, 0, 1}};
    bl_color red = {BL_CMYK, {0, 1, 1, 0}};
    bl_color gray = {BL_GRAY, {0.3f, 0, 0, 0}};
    bl_color blue = {BL_RGB, {0, 0, 0.8f, 0}};

    bl_dl_page *p1 = bl_display_add_page(d, 595.276f, 841.89f);
    p1->label = "1";
    int bad = 0;
    bad |= add_line(d, p1, sh, title, 22, red, 150, 760, "关于“引号”用法的通报");
    bl_dl_rule rule = {56.7f, 735, 538.6f, 735, 1.5f, red, "red-rule"};
    if (bl_display_add_rule(d, p1, &rule, &err) != BL_OK)
        return fail("rule");
    bad |= add_line(d, p1, sh, body, 16, black, 56.7f, 700,
                    "依据GB/T 9704—2012，完成率87.6%。");
    bad |= add_line(d, p1, sh, body, 16, black, 56.7f, 670, "吉祥的𠮷字与䶮字都要印出来。");
    bad |= add_line(d, p1, sh, kai, 16, gray, 56.7f, 640, "楷体的‘单引号’和“双引号”。");
    bad |= add_line(d, p1, sh, body, 12, blue, 56.7f, 610, "AVATAR To Wa, 100%");
    bl_dl_rule thin = {56.7f, 600, 538.6f, 600, 0.5f, black, "thin-rule"};
    if (bl_display_add_rule(d, p1, &thin, &err) != BL_OK)
        return fail("rule");

    bl_dl_page *p2 = bl_display_add_page(d, 595.276f, 841.89f);
    p2->label = "2";
    bad |= add_line(d, p2, sh, body, 16, black, 56.7f, 760, "第二页正文。");
    bad |= add_line(d, p2, sh, kai, 16, black, 56.7f, 730, "附件：楷体");
    /* An unnumbered page (label NULL), e.g. a distribution list. */
    bl_dl_page *p3 = bl_display_add_page(d, 595.276f, 841.89f);
    bl_dl_rule last = {56.7f, 100, 538.6f, 100, 0.75f, black, "rule"};
    if (!p3 || bl_display_add_rule(d, p3, &last, &err) != BL_OK)
        return fail("rule");
    if (bad)
        return 1;

    d->info.title = "关于“引号”用法的通报";
    d->info.author = "测试编辑部";
    d->info.subject = "bulletin PDF backend test";
    d->info.keywords = "引号, GB/T 9704";
    d->info.creator = "bulletin pdf_sample";
    d->info.year = 2024;
    d->info.month = 3;
    d->info.day = 15;
    d->info.hour = 9;
    if (bl_display_add_outline(d, "关于“引号”用法的通报", 0, 0, 790, &err) != BL_OK ||
        bl_display_add_outline(d, "正文", 1, 0, 716, &err) != BL_OK ||
        bl_display_add_outline(d, "第二页", 0, 1, 780, &err) != BL_OK)
        return fail("outline");

    if (bl_pdf_write(d, sh, argv[1], &err) != BL_OK)
        return fail("write");
    if (positions)
        fclose(positions);
    bl_arena_free(arena);
    bl_shaper_free(sh);
    bl_fontcache_free(fc);
    return 0;
}
