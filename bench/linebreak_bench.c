/* linebreak_bench.c - throughput of the paragraph composer: composes a set of
 * typical body paragraphs 10,000 times (synthetic widths, no fonts), prints
 * paragraphs per second and arena bytes per paragraph, then the time for one
 * paragraph at 1x, 10x and 100x its length to show the cost is linear.
 *
 * Usage: linebreak_bench [file]  - paragraphs are the lines of file that are
 * at least 60 bytes long (default samples/zhuanbao-2023-08.txt when it
 * exists, else a built-in paragraph). Not a test: timings vary by machine. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/utf8.h"
#include "linebreak/linebreak.h"

static const char builtin[] =
    "一、严密组织督查。2022年，河北省产业工人队伍建设改革督查由省推进产业工人队伍建设改革"
    "协调小组（以下简称“省协调小组”）组织实施，省总工会牵头制定督查考核指标体系和督查方案。"
    "督查采取省级自查、各市自查与实地督查相结合的方式进行，省协调小组各成员单位立足职责任务，"
    "各市严格对照督查考核指标，逐项对照自查。省协调小组组成6个督查组，分别由成员单位领导担任"
    "组长，各单位联络处室负责人共同参与，赴各市实地督查。在了解产改全面工作情况的同时，采取"
    "“四不两直”的形式实地随机抽查2—3家国有企业和1家以上非公企业。";

typedef struct para {
    const char *text;
    size_t len;
    bl_lb_item *items;
    size_t n;
} para;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One item per code point: CJK one em, the rest half an em (16 pt body). */
static int make_items(para *p)
{
    p->items = malloc((p->len + 1) * sizeof *p->items);
    if (!p->items)
        return 0;
    p->n = 0;
    for (size_t off = 0; off < p->len;) {
        uint32_t cp;
        size_t k = bl_utf8_decode(p->text + off, p->len - off, &cp);
        if (k == 0)
            k = 1;
        bl_lb_item *it = &p->items[p->n++];
        it->text_off = (uint32_t)off;
        it->text_len = (uint32_t)k;
        it->em = 16;
        it->width = (bl_display_width(cp) == 2 || cp == 0xB7) ? 16 : 8;
        off += k;
    }
    return 1;
}

static int compose(const para *p, bl_arena *a, size_t *lines)
{
    bl_lb_params prm = {442.2f, 2 * 442.2f / 28, 0, BL_ALIGN_JUSTIFY, 0, 442.2f / 28, 0};
    bl_lb_result r;
    bl_error err;
    bl_error_clear(&err);
    if (bl_lb_compose(p->text, p->len, p->items, p->n, &prm, a, &r, &err) != BL_OK) {
        fprintf(stderr, "linebreak_bench: %s\n", err.message);
        return 0;
    }
    *lines += r.nlines;
    return 1;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "samples/zhuanbao-2023-08.txt";
    para set[256];
    size_t nset = 0;
    char *file = NULL;
    size_t flen = 0;
    bl_error err;
    bl_error_clear(&err);
    if (bl_read_file(path, 64u << 20, &file, &flen, &err) == BL_OK) {
        for (char *s = file, *end = file + flen; s < end && nset < 256;) {
            char *nl = memchr(s, '\n', (size_t)(end - s));
            size_t l = nl ? (size_t)(nl - s) : (size_t)(end - s);
            if (l >= 60)
                set[nset++] = (para){s, l, NULL, 0};
            s += l + 1;
        }
    }
    if (nset == 0)
        set[nset++] = (para){builtin, strlen(builtin), NULL, 0};
    for (size_t i = 0; i < nset; i++)
        if (!make_items(&set[i]))
            return 1;
    printf("paragraphs: %zu from %s\n", nset, file && nset ? path : "the built-in text");

    const int reps = 10000;
    size_t lines = 0, bytes = 0, chars = 0;
    double t0 = now();
    bl_arena *a = bl_arena_new();
    for (int i = 0; i < reps; i++) {
        const para *p = &set[(size_t)i % nset];
        if (!compose(p, a, &lines))
            return 1;
        chars += p->n;
        if (i % 1000 == 999) { /* keep memory bounded: a fresh arena per batch */
            bytes += bl_arena_used(a);
            bl_arena_free(a);
            a = bl_arena_new();
        }
    }
    bytes += bl_arena_used(a);
    bl_arena_free(a);
    double t = now() - t0;
    printf("composed %d paragraphs (%zu characters, %zu lines) in %.3f s: "
           "%.0f paragraphs/s, %.0f characters/s\n",
           reps, chars, lines, t, reps / t, (double)chars / t);
    printf("arena: %zu bytes in all, %.0f bytes per paragraph, %.1f per character\n", bytes,
           (double)bytes / reps, (double)bytes / (double)chars);

    /* Linearity: the longest paragraph of the set repeated 1x, 10x, 100x. */
    const para *base = &set[0];
    for (size_t i = 1; i < nset; i++)
        if (set[i].len > base->len)
            base = &set[i];
    double t1 = 0;
    for (int k = 1; k <= 100; k *= 10) {
        char *s = malloc(base->len * (size_t)k);
        if (!s)
            return 1;
        for (int i = 0; i < k; i++)
            memcpy(s + base->len * (size_t)i, base->text, base->len);
        para big = {s, base->len * (size_t)k, NULL, 0};
        if (!make_items(&big))
            return 1;
        int runs = 1000 / k;
        size_t nl = 0;
        bl_arena *ba = bl_arena_new();
        double s0 = now();
        for (int r = 0; r < runs; r++)
            if (!compose(&big, ba, &nl))
                return 1;
        double per = (now() - s0) / runs;
        if (k == 1)
            t1 = per;
        printf("%3dx length: %6zu characters, %5zu lines, %8.1f us per paragraph "
               "(%.1fx the 1x time)\n",
               k, big.n, nl / (size_t)runs, per * 1e6, per / t1);
        bl_arena_free(ba);
        free(big.items);
        free(s);
    }
    for (size_t i = 0; i < nset; i++)
        free(set[i].items);
    free(file);
    return 0;
}
