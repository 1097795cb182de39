/* shape_test.c - shaping: Han on the em grid, full-width Chinese quotes,
 * proportional kerned Latin, fallback runs, missing characters, and subsets
 * whose glyphs are addressed by the full font's glyph ids. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "font/font.h"
#include "shape/shape.h"

static bl_fontcache *cache;
static bl_shaper *shaper;
static bl_arena *arena;

static const bl_fontchain *chain1(const char *a, const char *b)
{
    const char *p[2] = {a, b};
    const bl_fontchain *ch = NULL;
    bl_error err;
    bl_error_clear(&err);
    CHECK_INT(bl_fontcache_chain(cache, p, b ? 2 : 1, &ch, &err), BL_OK);
    return ch;
}

static size_t shape(const bl_fontchain *ch, float size, const char *s, bl_glyph **g)
{
    size_t n = 0;
    bl_error err;
    bl_error_clear(&err);
    *g = NULL;
    CHECK_INT(bl_shape_text(shaper, ch, size, s, strlen(s), arena, g, &n, &err), BL_OK);
    return n;
}

static void dump(const bl_glyph *g, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "  gid %u cl %u cp U+%04X adv %g dx %g fl %u %s\n", g[i].gid,
                g[i].cluster, g[i].cp, g[i].advance, g[i].dx, g[i].flags,
                bl_font_get_info(g[i].font)->family);
}


/* ---- reading subsets back (independently of the code under test) ---- */

static uint32_t be16(const unsigned char *p) { return (uint32_t)p[0] << 8 | p[1]; }
static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Skips a CFF INDEX at p; returns the end, and its count and data. */
static const unsigned char *cff_index(const unsigned char *p, uint32_t *count,
                                      const unsigned char **first, size_t *first_len)
{
    *count = be16(p);
    if (*count == 0)
        return p + 2;
    unsigned os = p[2];
    const unsigned char *offs = p + 3;
    uint32_t o[2] = {0, 0};
    for (int k = 0; k < 2; k++)
        for (unsigned b = 0; b < os; b++)
            o[k] = o[k] << 8 | offs[k * os + b];
    uint32_t last = 0;
    for (unsigned b = 0; b < os; b++)
        last = last << 8 | offs[*count * os + b];
    const unsigned char *data = offs + (*count + 1) * os - 1;
    if (first) {
        *first = data + o[0];
        *first_len = o[1] - o[0];
    }
    return data + last;
}

/* The CIDs of a CID-keyed CFF's glyphs (charset), into cids[]; returns the
 * glyph count, 0 when the data is not such a CFF. */
static size_t cff_cids(const unsigned char *d, size_t len, uint32_t *cids, size_t cap)
{
    if (len < 4 || d[0] != 1)
        return 0;
    uint32_t cnt;
    const unsigned char *top;
    size_t top_len;
    const unsigned char *p = cff_index(d + d[2], &cnt, NULL, NULL); /* Name */
    cff_index(p, &cnt, &top, &top_len);                           /* Top DICT */
    long ops[48];
    int nops = 0, ros = 0;
    long charset = -1, charstrings = -1;
    for (const unsigned char *q = top; q < top + top_len;) {
        unsigned b = *q;
        if (b >= 32 && b <= 246) {
            ops[nops++ % 48] = (long)b - 139;
            q++;
        } else if (b >= 247 && b <= 250) {
            ops[nops++ % 48] = ((long)b - 247) * 256 + q[1] + 108;
            q += 2;
        } else if (b >= 251 && b <= 254) {
            ops[nops++ % 48] = -((long)b - 251) * 256 - q[1] - 108;
            q += 2;
        } else if (b == 28) {
            ops[nops++ % 48] = (int16_t)be16(q + 1);
            q += 3;
        } else if (b == 29) {
            ops[nops++ % 48] = (int32_t)be32(q + 1);
            q += 5;
        } else if (b == 30) {
            q++;
            while ((*q & 0x0F) != 0x0F && (*q >> 4) != 0x0F)
                q++;
            q++;
            ops[nops++ % 48] = 0;
        } else {
            int op = b == 12 ? 1200 + q[1] : (int)b;
            q += b == 12 ? 2 : 1;
            if (op == 15 && nops)
                charset = ops[nops - 1];
            if (op == 17 && nops)
                charstrings = ops[nops - 1];
            if (op == 1230)
                ros = 1;
            nops = 0;
        }
    }
    if (!ros || charset <= 0 || charstrings <= 0 || (size_t)charstrings >= len)
        return 0;
    uint32_t n;
    cff_index(d + charstrings, &n, NULL, NULL);
    if (n > cap)
        return 0;
    const unsigned char *cs = d + charset;
    cids[0] = 0;
    size_t g = 1;
    if (cs[0] == 0) {
        for (const unsigned char *q = cs + 1; g < n; q += 2)
            cids[g++] = be16(q);
    } else {
        int wide = cs[0] == 2;
        for (const unsigned char *q = cs + 1; g < n; q += wide ? 4 : 3) {
            uint32_t first = be16(q), left = wide ? be16(q + 2) : q[2];
            for (uint32_t k = 0; k <= left && g < n; k++)
                cids[g++] = first + k;
        }
    }
    return n;
}

/* A table of a TrueType file; NULL if absent. */
static const unsigned char *sfnt_table(const unsigned char *d, size_t len, const char *tag)
{
    size_t n = be16(d + 4);
    for (size_t i = 0; i < n && 12 + 16 * (i + 1) <= len; i++)
        if (memcmp(d + 12 + 16 * i, tag, 4) == 0)
            return d + be32(d + 12 + 16 * i + 8);
    return NULL;
}

/* The byte length of glyph gid's outline in a TrueType file. */
static long glyf_len(const unsigned char *d, size_t len, uint32_t gid)
{
    const unsigned char *head = sfnt_table(d, len, "head");
    const unsigned char *loca = sfnt_table(d, len, "loca");
    const unsigned char *maxp = sfnt_table(d, len, "maxp");
    if (!head || !loca || !maxp || gid >= be16(maxp + 4))
        return -1;
    if (be16(head + 50) == 0)
        return 2 * ((long)be16(loca + 2 * gid + 2) - (long)be16(loca + 2 * gid));
    return (long)be32(loca + 4 * gid + 4) - (long)be32(loca + 4 * gid);
}

/* ---- several threads at once (batch rendering) ---- */

static const char *thread_text = "“引号”GB/T 9704—2012，87.6%𠮷䶮\xEE\x80\x80";

typedef struct job {
    int fails;
    size_t n;
    uint32_t gids[64];
    float adv[64];
} job;

static void *worker(void *arg)
{
    job *j = arg;
    bl_arena *a = bl_arena_new();
    for (int round = 0; round < 50 && a; round++) {
        /* A chain not asked for before the threads start: its fonts are
         * found, opened and given HarfBuzz objects concurrently. */
        const char *p[] = {"Noto Sans CJK SC:weight=bold", "Noto Sans CJK SC"};
        const bl_fontchain *ch = NULL;
        bl_error e;
        bl_error_clear(&e);
        bl_glyph *g;
        size_t n;
        if (bl_fontcache_chain(cache, p, 2, &ch, &e) != BL_OK ||
            bl_shape_text(shaper, ch, 10, thread_text, strlen(thread_text), a, &g, &n, &e) !=
                BL_OK) {
            j->fails++;
            continue;
        }
        if (round == 0) {
            j->n = n < 64 ? n : 64;
            for (size_t i = 0; i < j->n; i++) {
                j->gids[i] = g[i].gid;
                j->adv[i] = g[i].advance;
            }
        } else {
            j->fails += n != j->n;
            for (size_t i = 0; i < j->n && i < n; i++)
                j->fails += g[i].gid != j->gids[i] || g[i].advance != j->adv[i];
        }
    }
    bl_arena_free(a);
    return NULL;
}

static void thread_check(void)
{
    enum { NT = 4 };
    pthread_t t[NT];
    job jobs[NT];
    memset(jobs, 0, sizeof jobs);
    for (int i = 0; i < NT; i++)
        CHECK_INT(pthread_create(&t[i], NULL, worker, &jobs[i]), 0);
    for (int i = 0; i < NT; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < NT; i++) {
        CHECK_INT(jobs[i].fails, 0);
        CHECK_INT(jobs[i].n, 27);
        CHECK_INT(jobs[i].n, jobs[0].n);
        CHECK(memcmp(jobs[i].gids, jobs[0].gids, sizeof jobs[0].gids) == 0);
    }
}

int main(int argc, char **argv)
{
    bl_error err;
    bl_error_clear(&err);
    CHECK_INT(bl_fontcache_new("fonts", &cache, &err), BL_OK);
    CHECK_INT(bl_shaper_new(&shaper, &err), BL_OK);
    arena = bl_arena_new();
    if (!cache || !shaper || !arena)
        return check_summary();
    const bl_fontchain *serif = chain1("Noto Serif CJK SC", NULL);
    const bl_fontchain *kai = chain1("LXGW WenKai", "Noto Serif CJK SC");
    const bl_fontchain *sans = chain1("Noto Sans CJK SC", NULL);
    const bl_fontchain *dejavu = chain1("DejaVu Sans", NULL);
    bl_glyph *g;
    size_t n;
    if (argc > 1) { /* diagnostics: shape argv[1] with each chain */
        const bl_fontchain *all[] = {serif, kai, sans, dejavu};
        for (int i = 0; i < 4; i++) {
            n = shape(all[i], 10, argv[1], &g);
            dump(g, n);
        }
        return 0;
    }
    /* Han and full-width quotes are one em; clusters are byte offsets. */
    const char *zh = "“引号”中文";
    n = shape(serif, 16, zh, &g);
    CHECK_INT(n, 6);
    if (n == 6) {
        static const uint32_t cps[] = {0x201C, 0x5F15, 0x53F7, 0x201D, 0x4E2D, 0x6587};
        for (size_t i = 0; i < 6; i++) {
            CHECK_INT(g[i].cluster, 3 * i);
            CHECK_INT(g[i].cp, cps[i]);
            CHECK_NEAR(g[i].advance, 16, 1e-4);
            CHECK(g[i].font == serif->fonts[0]);
            CHECK_INT(g[i].flags, 0);
        }
        /* The full-width quote is a different glyph from the default one. */
        CHECK(g[0].gid != 0 && g[0].dx == 0);
    }
    /* In a Latin passage the quotes take their proportional forms; one
     * beside Chinese stays full-width. */
    n = shape(serif, 16, "said “Build” 说“OK”", &g);
    for (size_t i = 0; i < n; i++) {
        if (g[i].cp != 0x201C && g[i].cp != 0x201D)
            continue;
        int latin_passage = g[i].cluster < 14;
        if (latin_passage)
            CHECK(g[i].advance < 0.6 * 16);
        else
            CHECK_NEAR(g[i].advance, 16, 1e-4);
    }
    /* FandolFang has no pwid: a Latin passage's quote is its own glyph (drawn
     * for its Latin) in a proportional box made from the ink, 0.08 em
     * outside and 0.04 em next to the text it encloses; Chinese ones stay
     * full-width. */
    const bl_fontchain *fang = chain1("FandolFang", "Noto Serif CJK SC");
    n = shape(fang, 16, "said “Build” ‘o’ 说“OK”", &g);
    int seen = 0;
    for (size_t i = 0; i < n; i++) {
        if (g[i].cp < 0x2018 || g[i].cp > 0x201D)
            continue;
        seen++;
        CHECK(g[i].font == fang->fonts[0]);
        if (g[i].cluster >= 22) {
            CHECK_NEAR(g[i].advance, 16, 1e-4);
            continue;
        }
        CHECK(g[i].advance < 0.6 * 16 && g[i].advance > 0.1 * 16);
        /* The ink lies inside the box: FandolFang's opening quote's ink is
         * at 0.585-0.915 em of its full-width box. */
        int opening = g[i].cp == 0x201C || g[i].cp == 0x2018;
        double ink0 = (g[i].cp == 0x201C ? 0.585 : g[i].cp == 0x2018 ? 0.690
                       : g[i].cp == 0x201D ? 0.085 : 0.190) * 16 + g[i].dx;
        CHECK_NEAR(ink0, (opening ? 0.08 : 0.04) * 16, 0.05);
    }
    CHECK_INT(seen, 6);
    /* A tab is shaped as a space; format characters are never missing
     * glyphs and take no room. */
    n = shape(serif, 16, "中\t文\u200B\u2060\uFEFF\u200D字", &g);
    for (size_t i = 0; i < n; i++) {
        CHECK_INT(g[i].flags & BL_GLYPH_MISSING, 0);
        if (g[i].cp >= 0x200B && g[i].cp <= 0xFEFF && g[i].cp < 0x3000)
            CHECK_NEAR(g[i].advance, 0, 1e-4);
        if (g[i].cp == '\t')
            CHECK(g[i].advance > 1 && g[i].advance < 8);
    }
    /* A base with 3,000 combining marks: every character covered, shaped
     * in pieces (linear; HarfBuzz alone is quadratic in a mark run). */
    {
        size_t marks = 3000, len = 1 + 2 * marks;
        char *s = bl_arena_alloc(arena, len + 1);
        s[0] = 'a';
        for (size_t i = 0; i < marks; i++)
            memcpy(s + 1 + 2 * i, "\xCC\x81", 2); /* U+0301 */
        s[len] = '\0';
        n = shape(serif, 16, s, &g);
        CHECK(n >= marks / 2); /* a + U+0301 may compose to á */
        CHECK_INT(g[0].cluster, 0);
        int ascending = 1;
        for (size_t i = 1; i < n; i++)
            if (g[i].cluster < g[i - 1].cluster)
                ascending = 0;
        CHECK(ascending);
    }
    /* ‘’ too, and in the sans face. */
    n = shape(sans, 10, "‘中’", &g);
    CHECK_INT(n, 3);
    for (size_t i = 0; i < n; i++)
        CHECK_NEAR(g[i].advance, 10, 1e-4);
    /* LXGW WenKai has no full-width quotes: set in an em box, the opening
     * mark to the right, the closing mark at the left. */
    n = shape(kai, 10, "“文”", &g);
    CHECK_INT(n, 3);
    if (n == 3) {
        const bl_font *kf = kai->fonts[0];
        double qw = bl_font_glyph_advance(kf, g[0].gid) * 10.0 /
                    bl_font_get_info(kf)->units_per_em;
        CHECK(qw < 6);
        CHECK_NEAR(g[0].advance, 10, 1e-4);
        CHECK_NEAR(g[0].dx, 10 - qw, 1e-3);
        CHECK_NEAR(g[2].advance, 10, 1e-4);
        CHECK_NEAR(g[2].dx, 0, 1e-6);
        CHECK(g[1].font == kf);
    }

    /* Latin is proportional and kerned: "AV" pulls together. */
    n = shape(serif, 10, "AVi M", &g);
    CHECK_INT(n, 5);
    if (n == 5) {
        const bl_font *f = serif->fonts[0];
        double upem = bl_font_get_info(f)->units_per_em;
        double a_nominal = bl_font_glyph_advance(f, g[0].gid) * 10.0 / upem;
        CHECK(g[0].advance < a_nominal - 0.1); /* kern pair A-V */
        CHECK(g[2].advance < g[4].advance - 3); /* i much narrower than M */
        CHECK_NEAR(g[2].advance, bl_font_glyph_advance(f, g[2].gid) * 10.0 / upem, 1e-4);
        CHECK_INT(g[3].cp, ' ');
        CHECK_INT(g[4].cluster, 4);
    }
    /* The standard number: digits and the dash stay in the Latin run. */
    const char *std = "GB/T 9704—2012，87.6%";
    n = shape(serif, 10, std, &g);
    CHECK_INT(n, 20);
    for (size_t i = 1; i < n; i++)
        CHECK(g[i].cluster > g[i - 1].cluster);
    if (n == 20) {
        CHECK_INT(g[9].cp, 0x2014);
        CHECK_NEAR(g[9].advance, 10, 1e-4); /* the dash is one em in Noto CJK */
        CHECK_INT(g[14].cp, 0xFF0C);
        CHECK_NEAR(g[14].advance, 10, 1e-4);
        CHECK(g[15].advance < 7); /* digits proportional */
    }

    /* Fallback: a Latin primary hands Han to Noto Serif CJK SC; 𠮷 (4
     * bytes) comes from a face that has it. */
    const char *mix = "A中𠮷b";
    n = shape(dejavu, 12, mix, &g);
    CHECK_INT(n, 4);
    if (n == 4) {
        CHECK(g[0].font == dejavu->fonts[0]);
        CHECK_STR(bl_font_get_info(g[1].font)->family, "Noto Serif CJK SC");
        CHECK(bl_font_has_char(g[2].font, 0x20BB7));
        CHECK_INT(g[2].cp, 0x20BB7);
        CHECK_INT(g[2].cluster, 4);
        CHECK_NEAR(g[2].advance, 12, 1e-4);
        CHECK_INT(g[3].cluster, 8);
        CHECK(g[3].font == dejavu->fonts[0]);
        CHECK_INT(g[1].flags | g[2].flags, 0);
    }
    /* 䶮 U+4DAE (Ext. A) in the 楷体 chain. */
    n = shape(kai, 10, "刘䶮", &g);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK(g[1].gid != 0);
        CHECK(bl_font_has_char(g[1].font, 0x4DAE));
    }

    /* Missing: no font has U+E000 or U+10FFFD; each gets .notdef of the
     * primary face, flagged, never dropped. */
    const char *pua = "中\xEE\x80\x80\xF4\x8F\xBF\xBD文";
    n = shape(serif, 10, pua, &g);
    CHECK_INT(n, 4);
    if (n == 4) {
        CHECK_INT(g[1].gid, 0);
        CHECK_INT(g[1].flags, BL_GLYPH_MISSING);
        CHECK_INT(g[1].cp, 0xE000);
        CHECK_INT(g[1].cluster, 3);
        CHECK(g[1].font == serif->fonts[0]);
        CHECK_NEAR(g[1].advance, 10, 1e-4);
        CHECK_INT(g[2].gid, 0);
        CHECK_INT(g[2].flags, BL_GLYPH_MISSING);
        CHECK_INT(g[2].cp, 0x10FFFD);
        CHECK_INT(g[2].cluster, 6);
        CHECK_INT(g[3].flags, 0);
        CHECK_INT(g[3].cluster, 10);
    }
    /* Empty text: no glyphs, no error. */
    n = shape(serif, 10, "", &g);
    CHECK_INT(n, 0);

    /* CFF subset: the bare CFF table, CID-keyed, its charset holding the
     * full font's glyph ids as CIDs (so content codes need no remapping). */
    n = shape(serif, 10, "中文引号𠮷", &g);
    uint32_t gids[8];
    for (size_t i = 0; i < n && i < 8; i++)
        gids[i] = g[i].gid;
    unsigned char *data = NULL;
    size_t len = 0;
    uint32_t sub_gids[8];
    CHECK_INT(bl_shape_subset(shaper, serif->fonts[0], gids, n, sub_gids, &data, &len, &err),
              BL_OK);
    for (size_t i = 0; i < n && i < 8; i++)
        CHECK_INT(sub_gids[i], gids[i]); /* CFF: codes are the CIDs */
    static uint32_t cids[70000];
    size_t ng = data ? cff_cids(data, len, cids, 70000) : 0;
    CHECK_INT(ng, n + 1);
    if (ng == n + 1) {
        CHECK_INT(cids[0], 0);
        for (size_t i = 0; i < n; i++) {
            int found = 0;
            for (size_t k = 1; k < ng; k++)
                found |= cids[k] == gids[i];
            CHECK(found);
        }
    }
    CHECK(len > 1000 && len < 20000);
    /* The shaper let the font's pages go after that subset (one document):
     * shaping and subsetting again read them back, to the same bytes; and
     * so does a shaper that keeps them (a batch). */
    bl_glyph *g2;
    size_t n2 = shape(serif, 10, "中文引号𠮷", &g2);
    CHECK_INT(n2, n);
    for (size_t i = 0; i < n2 && i < n; i++)
        CHECK_INT(g2[i].gid, g[i].gid);
    for (int keep = 0; keep < 2; keep++) {
        bl_shaper_keep_pages(shaper, keep);
        unsigned char *again = NULL;
        size_t alen = 0;
        CHECK_INT(bl_shape_subset(shaper, serif->fonts[0], gids, n, sub_gids, &again, &alen,
                                  &err),
                  BL_OK);
        CHECK(again && data && alen == len && memcmp(again, data, len) == 0);
        free(again);
    }
    bl_shaper_keep_pages(shaper, 0);
    free(data);

    /* TrueType subset: a TrueType file of .notdef and the glyphs used,
     * renumbered compactly in the order of their ids, with the map from
     * the original ids. */
    n = shape(kai, 10, "中文", &g);
    CHECK_INT(n, 2);
    data = NULL;
    if (n == 2) {
        gids[0] = g[0].gid;
        gids[1] = g[1].gid;
        CHECK_INT(bl_shape_subset(shaper, kai->fonts[0], gids, 2, sub_gids, &data, &len, &err),
                  BL_OK);
    }
    if (data) {
        CHECK_INT(be32(data), 0x00010000);
        const unsigned char *maxp = sfnt_table(data, len, "maxp");
        CHECK(maxp != NULL);
        if (maxp)
            CHECK_INT(be16(maxp + 4), 3); /* .notdef, 中, 文 */
        CHECK_INT(sub_gids[0], gids[0] < gids[1] ? 1 : 2);
        CHECK_INT(sub_gids[1], gids[0] < gids[1] ? 2 : 1);
        CHECK(glyf_len(data, len, 1) > 0);
        CHECK(glyf_len(data, len, 2) > 0);
        CHECK(glyf_len(data, len, 0) > 0); /* .notdef keeps its box */
        CHECK(sfnt_table(data, len, "GSUB") == NULL);
        /* Only the tables a CIDFontType2 program needs: no cmap, names,
         * OS/2 or post (the embedding addresses glyphs by id). */
        const char *kept[] = {"head", "hhea", "loca", "maxp", "glyf", "hmtx"};
        for (size_t i = 0; i < sizeof kept / sizeof *kept; i++)
            CHECK(sfnt_table(data, len, kept[i]) != NULL);
        const char *dropped[] = {"cmap", "name", "OS/2", "post", "GPOS", "vmtx"};
        for (size_t i = 0; i < sizeof dropped / sizeof *dropped; i++)
            CHECK(sfnt_table(data, len, dropped[i]) == NULL);
        CHECK(len < 10000);
    }
    free(data);

    thread_check();

    bl_arena_free(arena);
    bl_shaper_free(shaper);
    bl_fontcache_free(cache);
    bl_shaper_free(NULL);
    return check_summary();
}
