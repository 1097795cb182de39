/* pdf_bench.c - times the font, shape and pdf phases on a real text (by
 * default the seed bulletin: ~2,800 characters, ~500 distinct). Not a test:
 * run by hand, e.g. `build/tests/pdf/pdf_bench SEED.txt
 * /tmp/bench.pdf`; prints one line per phase and the peak RSS. Lines are
 * set naively (cut at the measure), which is enough to exercise the phases. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "base/fileio.h"
#include "display/display.h"
#include "font/font.h"
#include "pdf/pdf.h"
#include "shape/shape.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static bl_error err;

/* Resident set now, MiB (Linux). */
static double rss_mib(void)
{
    long pages = 0, res = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &res) != 2)
            res = 0;
        fclose(f);
    }
    return res * 4096.0 / (1024 * 1024);
}

static int die(const char *what)
{
    fprintf(stderr, "pdf_bench: %s: %s\n", what, err.message);
    return 1;
}

int main(int argc, char **argv)
{
    const char *in = argc > 1 ? argv[1] : "../shared/seed/000_06e05cac450ee838.txt";
    const char *out = argc > 2 ? argv[2] : "/tmp/pdf_bench.pdf";
    int one_font = argc > 3 && strcmp(argv[3], "one") == 0; /* every line in 正文 */
    char *text;
    size_t len;
    if (bl_read_file(in, 1 << 24, &text, &len, &err) != BL_OK)
        return die("read");
    double t0 = now_ms();
    bl_fontcache *fc;
    bl_shaper *sh;
    if (bl_fontcache_new("fonts", &fc, &err) != BL_OK || bl_shaper_new(&sh, &err) != BL_OK)
        return die("setup");
    double t1 = now_ms();
    double rss1 = rss_mib();
    const char *p_title[] = {"方正小标宋简体", "Noto Serif CJK SC:weight=black"};
    const char *p_body[] = {"仿宋_GB2312", "Noto Serif CJK SC"};
    const char *p_hei[] = {"Noto Sans CJK SC"};
    const char *p_kai[] = {"LXGW WenKai", "Noto Serif CJK SC"};
    const bl_fontchain *title, *body, *hei, *kai;
    if (bl_fontcache_chain(fc, p_title, 2, &title, &err) != BL_OK ||
        bl_fontcache_chain(fc, p_body, 2, &body, &err) != BL_OK ||
        bl_fontcache_chain(fc, p_hei, 1, &hei, &err) != BL_OK ||
        bl_fontcache_chain(fc, p_kai, 2, &kai, &err) != BL_OK)
        return die("chain");
    double t2 = now_ms();
    double rss2 = rss_mib();

    bl_arena *arena = bl_arena_new();
    bl_display *d = bl_display_new(arena);
    bl_color black = {BL_CMYK, {0, 0, 0, 1}};
    bl_dl_page *page = NULL;
    float y = 0, size = 16, measure = 482;
    size_t nlines = 0, nglyphs = 0;
    double shape_ms = 0;
    for (char *line = text; line < text + len;) {
        char *nl = memchr(line, '\n', (size_t)(text + len - line));
        size_t ll = nl ? (size_t)(nl - line) : (size_t)(text + len - line);
        if (ll > 0) {
            /* Every fourth line in another role, so all four fonts are used. */
            const bl_fontchain *ch = one_font ? body : nlines % 4 == 0 ? title : nlines % 4 == 1 ? body
                                     : nlines % 4 == 2 ? hei : kai;
            bl_glyph *g;
            size_t n;
            double s0 = now_ms();
            if (bl_shape_text(sh, ch, size, line, ll, arena, &g, &n, &err) != BL_OK)
                return die("shape");
            shape_ms += now_ms() - s0;
            nglyphs += n;
            size_t i = 0;
            while (i < n) {
                if (!page || y < 60) {
                    page = bl_display_add_page(d, 595.276f, 841.89f);
                    page->label = bl_display_strdup(d, d->npages == 1 ? "1" : "2");
                    y = 780;
                }
                /* One run per font up to the measure. */
                size_t j = i;
                float w = 0;
                while (j < n && g[j].font == g[i].font && w + g[j].advance <= measure)
                    w += g[j++].advance;
                if (j == i)
                    j = i + 1;
                bl_dl_glyph *dg = bl_arena_calloc(arena, j - i, sizeof *dg);
                float x = 0;
                /* The run's text: its clusters' (a slice of the line). */
                size_t c0 = g[i].cluster, c1 = j < n ? g[j].cluster : ll;
                for (size_t k = i; k < j; k++) {
                    dg[k - i].gid = g[k].gid;
                    dg[k - i].x = x + g[k].dx;
                    dg[k - i].advance = g[k].advance;
                    dg[k - i].text_off = (uint32_t)(g[k].cluster - c0);
                    if (k > i && g[k - 1].cluster == g[k].cluster)
                        dg[k - i].flags = BL_DLG_CONT;
                    x += g[k].advance;
                }
                bl_dl_text t = {g[i].font, size, black, 56.7f, y, line + c0, c1 - c0, dg, j - i,
                                "body", "line", 0, NULL};
                if (bl_display_add_text(d, page, &t, &err) != BL_OK)
                    return die("display");
                y -= 28;
                i = j;
            }
        }
        nlines++;
        line += ll + 1;
    }
    double t3 = now_ms();
    double rss3 = rss_mib();
    /* Subsetting alone, for the body font's glyph set. */
    size_t cap = bl_font_get_info(body->fonts[0])->num_glyphs;
    uint8_t *seen = calloc(cap, 1);
    uint32_t *gids = malloc(cap * sizeof *gids);
    size_t ng = 0;
    for (size_t pi = 0; pi < d->npages; pi++)
        for (size_t ii = 0; ii < d->pages[pi].nitems; ii++) {
            const bl_dl_text *t = &d->pages[pi].items[ii].u.text;
            if (t->font != body->fonts[0])
                continue;
            for (size_t k = 0; k < t->nglyphs; k++)
                if (!seen[t->glyphs[k].gid]++)
                    gids[ng++] = t->glyphs[k].gid;
        }
    unsigned char *sub;
    size_t sublen;
    double s0 = now_ms();
    uint32_t *sub_gids = malloc((ng ? ng : 1) * sizeof *sub_gids);
    if (!sub_gids || bl_shape_subset(sh, body->fonts[0], gids, ng, sub_gids, &sub, &sublen,
                                     &err) != BL_OK)
        return die("subset");
    free(sub_gids);
    double subset_ms = now_ms() - s0;
    free(sub);
    double t4 = now_ms();
    unsigned char *pdf;
    size_t pdflen;
    if (bl_pdf_render(d, sh, &pdf, &pdflen, &err) != BL_OK)
        return die("render");
    double t5 = now_ms();
    if (bl_write_file_atomic(out, pdf, pdflen, &err) != BL_OK)
        return die("write");
    double t6 = now_ms();
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("input: %zu lines, %zu glyphs, %zu pages\n", nlines, nglyphs, d->npages);
    printf("fontcache_new (fontconfig config):   %7.2f ms\n", t1 - t0);
    printf("4 chains (match, open, fallbacks):   %7.2f ms\n", t2 - t1);
    printf("shape (all lines):                   %7.2f ms\n", shape_ms);
    printf("display list build (incl. shaping):  %7.2f ms\n", t3 - t2);
    printf("subset of body font (%zu glyphs):    %7.2f ms, %zu bytes CFF\n", ng, subset_ms,
           sublen);
    printf("pdf render (4 subsets, doc, save):   %7.2f ms, %zu bytes\n", t5 - t4, pdflen);
    printf("atomic write:                        %7.2f ms\n", t6 - t5);
    printf("total without the extra subset:      %7.2f ms\n", (t6 - t0) - subset_ms);
    printf("RSS after cache %.1f, chains %.1f, shaping %.1f, render %.1f MiB\n", rss1, rss2,
           rss3, rss_mib());
    FILE *st = fopen("/proc/self/status", "r");
    char l[256];
    while (st && fgets(l, sizeof l, st))
        if (strncmp(l, "RssAnon", 7) == 0 || strncmp(l, "RssFile", 7) == 0)
            printf("%s", l);
    if (st)
        fclose(st);
    printf("peak RSS:                            %7.1f MiB\n", ru.ru_maxrss / 1024.0);
    free(pdf);
    free(seen);
    free(gids);
    free(text);
    bl_arena_free(arena);
    bl_shaper_free(sh);
    bl_fontcache_free(fc);
    return 0;
}
