/* font_test.c - the font cache: the layouts' default roles resolve to the
 * right families, unavailable names are skipped, the SC face of a .ttc is
 * chosen, fallbacks cover rare characters, missing ones are reported; the
 * same again from the answers recorded on disk, and the record is dropped
 * when a file fontconfig read changes. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/fileio.h"

#include "check.h"
#include "font/font.h"

static const bl_fontchain *chain(bl_fontcache *c, const char *const *pats, size_t n)
{
    bl_error err;
    bl_error_clear(&err);
    const bl_fontchain *ch = NULL;
    bl_status st = bl_fontcache_chain(c, pats, n, &ch, &err);
    CHECK_INT(st, BL_OK);
    if (st != BL_OK)
        fprintf(stderr, "  %s\n", err.message);
    return ch;
}

static const bl_font_info *primary(const bl_fontchain *ch)
{
    return ch && ch->nfonts ? bl_font_get_info(ch->fonts[0]) : NULL;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static void check_chains(void)
{
    bl_error err;
    bl_error_clear(&err);
    bl_fontcache *c = NULL;
    CHECK_INT(bl_fontcache_new("fonts", &c, &err), BL_OK);
    if (!c)
        return;

    /* 标题: an unavailable 方正 name first, then Noto Serif CJK SC Black. */
    const char *title[] = {"方正小标宋简体", "Noto Serif CJK SC:weight=black"};
    const bl_fontchain *ch_title = chain(c, title, 2);
    const bl_font_info *in = primary(ch_title);
    if (in) {
        CHECK_STR(in->family, "Noto Serif CJK SC");
        CHECK_INT(in->weight, 900);
        CHECK_STR(in->postscript_name, "NotoSerifCJKsc-Black");
        CHECK(strstr(in->path, "NotoSerifCJK-Black.ttc") != NULL);
    }

    /* 正文: 仿宋_GB2312 is not installed and must be skipped. */
    const char *body[] = {"仿宋_GB2312", "Noto Serif CJK SC"};
    const bl_fontchain *ch_body = chain(c, body, 2);
    in = primary(ch_body);
    if (in) {
        CHECK_STR(in->family, "Noto Serif CJK SC");
        CHECK_STR(in->style, "Regular");
        CHECK_STR(in->postscript_name, "NotoSerifCJKsc-Regular");
        CHECK_INT(in->weight, 400);
        CHECK_INT(in->is_cff, 1);
        CHECK_INT(in->units_per_em, 1000);
        CHECK_INT(in->index, 2); /* the SC face of the Debian collection */
        CHECK(in->num_glyphs > 60000);
        CHECK_INT(in->ascender, 880);
        CHECK_INT(in->descender, -120);
        CHECK(in->cap_height > 600 && in->cap_height < 800);
        CHECK(in->bbox[0] < 0 && in->bbox[3] > 880);
        CHECK(in->data != NULL && in->size > 1000000);
        CHECK(memcmp(in->data, "ttcf", 4) == 0);
    }
    /* The same patterns give the same chain. */
    CHECK(chain(c, body, 2) == ch_body);

    /* 黑体. */
    const char *hei[] = {"Noto Sans CJK SC"};
    in = primary(chain(c, hei, 1));
    if (in) {
        CHECK_STR(in->family, "Noto Sans CJK SC");
        CHECK_STR(in->postscript_name, "NotoSansCJKsc-Regular");
        CHECK_INT(in->is_cff, 1);
    }

    /* 楷体: LXGW WenKai, a TrueType face. */
    const char *kai[] = {"LXGW WenKai", "Noto Serif CJK SC"};
    const bl_fontchain *ch_kai = chain(c, kai, 2);
    in = primary(ch_kai);
    if (in) {
        CHECK_STR(in->family, "LXGW WenKai");
        CHECK_INT(in->is_cff, 0);
        CHECK_INT(in->index, 0);
    }
    /* The chain goes on with the CJK fallbacks, without duplicates. */
    if (ch_kai) {
        CHECK(ch_kai->nfonts >= 3);
        CHECK_STR(bl_font_get_info(ch_kai->fonts[1])->family, "Noto Serif CJK SC");
        CHECK_STR(bl_font_get_info(ch_kai->fonts[2])->family, "Noto Sans CJK SC");
        for (size_t i = 0; i < ch_kai->nfonts; i++)
            for (size_t j = i + 1; j < ch_kai->nfonts; j++)
                CHECK(ch_kai->fonts[i] != ch_kai->fonts[j]);
    }
    if (ch_body) {
        /* Noto Serif CJK SC is primary and fallback: listed once, and the
         * font is the very same object as in the 楷体 chain (opened once). */
        CHECK_STR(bl_font_get_info(ch_body->fonts[1])->family, "Noto Sans CJK SC");
        if (ch_kai)
            CHECK(ch_body->fonts[0] == ch_kai->fonts[1]);
    }

    /* 页码. */
    const char *folio[] = {"Noto Serif CJK SC"};
    const bl_fontchain *ch_folio = chain(c, folio, 1);
    if (ch_folio && ch_body)
        CHECK(ch_folio->fonts[0] == ch_body->fonts[0]);

    /* Fallback: a Latin-only primary hands Han and rare characters on. */
    const char *latin[] = {"DejaVu Sans"};
    const bl_fontchain *ch_lat = chain(c, latin, 1);
    if (ch_lat) {
        CHECK_STR(primary(ch_lat)->family, "DejaVu Sans");
        CHECK(bl_fontchain_pick(ch_lat, 'A') == ch_lat->fonts[0]);
        const bl_font *f = bl_fontchain_pick(ch_lat, 0x4E2D); /* 中 */
        CHECK(f != NULL && strcmp(bl_font_get_info(f)->family, "Noto Serif CJK SC") == 0);
        f = bl_fontchain_pick(ch_lat, 0x20BB7); /* 𠮷, CJK Ext. B */
        CHECK(f != NULL && ends_with(bl_font_get_info(f)->family, " SC"));
        CHECK(f != NULL && bl_font_has_char(f, 0x20BB7));
        f = bl_fontchain_pick(ch_lat, 0x4DAE); /* 䶮, CJK Ext. A */
        CHECK(f != NULL && bl_font_has_char(f, 0x4DAE));
        /* Private use and a noncharacter-adjacent plane-16 code: no font. */
        CHECK(bl_fontchain_pick(ch_lat, 0xE000) == NULL);
        CHECK(bl_fontchain_pick(ch_lat, 0x10FFFD) == NULL);
        CHECK(bl_fontchain_pick(ch_lat, 0x110000) == NULL);
    }

    /* A collection matched without a family name: the SC face is chosen by
     * its name table, whatever face fontconfig returned (it prefers JP). */
    const char *rare[] = {":charset=20bb7"};
    in = primary(chain(c, rare, 1));
    if (in) {
        CHECK(ends_with(in->family, " SC"));
        CHECK_INT(in->index, 2);
    }

    /* Coverage and advances. */
    if (ch_body) {
        const bl_font *f = ch_body->fonts[0];
        CHECK(bl_font_has_char(f, 0x4E2D));
        CHECK(bl_font_has_char(f, 0x20BB7));
        CHECK(!bl_font_has_char(f, 0xE000));
        /* Coverage pages are made when first asked for: over every code
         * point they give what reading the whole cmap at open gave (counted
         * so with Debian 12's fonts-noto-cjk and fonts-dejavu-core). */
        unsigned long n = 0;
        for (uint32_t cp = 0; cp < 0x110000; cp++)
            n += (unsigned long)bl_font_has_char(f, cp);
        CHECK_INT(n, 44746);
        if (ch_lat) {
            n = 0;
            for (uint32_t cp = 0; cp < 0x110000; cp++)
                n += (unsigned long)bl_font_has_char(ch_lat->fonts[0], cp);
            CHECK_INT(n, 5918);
        }
        CHECK_INT(bl_font_glyph_advance(f, 0), 1000);
        CHECK_INT(bl_font_glyph_advance(f, bl_font_get_info(f)->num_glyphs), 0);
    }

    /* Nothing matches: an error naming the patterns. */
    const char *none[] = {"方正小标宋简体", "仿宋_GB2312"};
    const bl_fontchain *ch_none = NULL;
    bl_error_clear(&err);
    CHECK_INT(bl_fontcache_chain(c, none, 2, &ch_none, &err), BL_ERR_FONT);
    CHECK(ch_none == NULL);
    CHECK_STR(err.message,
              "no installed font matches any of the patterns \"方正小标宋简体\", \"仿宋_GB2312\"");

    bl_fontcache_free(c);

    /* A fonts folder without fonts.conf is not an error. */
    bl_error_clear(&err);
    c = NULL;
    CHECK_INT(bl_fontcache_new("tests/font", &c, &err), BL_OK);
    in = c ? primary(chain(c, body, 2)) : NULL;
    CHECK(in != NULL && strcmp(in->family, "Noto Serif CJK SC") == 0);
    bl_fontcache_free(c);
    bl_fontcache_free(NULL);
}

/* The one record file in dir (path into out), 1 if there is exactly one. */
static int record_path(const char *dir, char *out, size_t cap)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        if (strncmp(e->d_name, "fonts-", 6) == 0 && !strstr(e->d_name, ".tmp")) {
            snprintf(out, cap, "%s/%s", dir, e->d_name);
            n++;
        }
    if (d)
        closedir(d);
    return n == 1;
}

static char *slurp(const char *path)
{
    bl_error err;
    char *t = NULL;
    size_t n;
    bl_error_clear(&err);
    return bl_read_file(path, 1 << 22, &t, &n, &err) == BL_OK ? t : NULL;
}

static void spit(const char *path, const char *text)
{
    bl_error err;
    bl_error_clear(&err);
    CHECK_INT(bl_write_file_atomic(path, text, strlen(text), &err), BL_OK);
}

/* The primary family of one pattern through a new cache over fonts_dir. */
static char *family_of(const char *fonts_dir, const char *pattern)
{
    bl_error err;
    bl_error_clear(&err);
    bl_fontcache *c = NULL;
    CHECK_INT(bl_fontcache_new(fonts_dir, &c, &err), BL_OK);
    const bl_fontchain *ch = c ? chain(c, &pattern, 1) : NULL;
    const bl_font_info *in = primary(ch);
    char *fam = in ? strdup(in->family) : NULL;
    bl_fontcache_free(c);
    return fam;
}

/* The record is used while valid, and only then: a forged answer shows
 * which one the cache took. */
static void check_record(const char *tmp)
{
    char fonts[512], conf[600], cache[512], rec[1024];
    snprintf(fonts, sizeof fonts, "%s/fonts", tmp);
    snprintf(conf, sizeof conf, "%s/fonts.conf", fonts);
    snprintf(cache, sizeof cache, "%s/cache2", tmp);
    setenv("XDG_CACHE_HOME", cache, 1); /* a folder for this record alone */
    snprintf(cache, sizeof cache, "%s/cache2/bulletin", tmp);
    CHECK_INT(mkdir(fonts, 0700), 0);
    char *orig = slurp("fonts/fonts.conf");
    CHECK(orig != NULL);
    if (!orig)
        return;
    spit(conf, orig);
    free(orig);

    char *fam = family_of(fonts, "Noto Serif CJK SC");
    CHECK_STR(fam, "Noto Serif CJK SC");
    free(fam);
    CHECK(record_path(cache, rec, sizeof rec));
    char *text = slurp(rec);
    CHECK(text && strncmp(text, "bulletin font cache 1\n", 22) == 0);
    CHECK(text && strstr(text, "\nfont\tNoto Serif CJK SC\t/"));
    CHECK(text && strstr(text, "\nnone\t") == NULL); /* every pattern asked matched */
    CHECK(text && strstr(text, conf) != NULL);          /* watched */
    CHECK(text && strstr(text, "\nend\n") != NULL);

    /* Forge the answer: Noto Serif CJK SC -> the Sans collection. */
    const char *sans = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
    char *at = text ? strstr(text, "\nfont\tNoto Serif CJK SC\t/") : NULL;
    if (at && access(sans, R_OK) == 0) {
        char *eol = strchr(at + 1, '\n');
        size_t cap = strlen(text) + 512;
        char *forged = malloc(cap);
        snprintf(forged, cap, "%.*s\nfont\tNoto Serif CJK SC\t%s\t2\tNoto Sans CJK SC\tRegular%s",
                 (int)(at - text), text, sans, eol);
        spit(rec, forged);
        fam = family_of(fonts, "Noto Serif CJK SC");
        CHECK_STR(fam, "Noto Sans CJK SC"); /* the record was used */
        free(fam);

        /* A truncated record is ignored (and rewritten). */
        forged[strlen(forged) - 4] = '\0';
        spit(rec, forged);
        fam = family_of(fonts, "Noto Serif CJK SC");
        CHECK_STR(fam, "Noto Serif CJK SC");
        free(fam);

        /* A changed configuration file invalidates the record. */
        snprintf(forged, cap, "%.*s\nfont\tNoto Serif CJK SC\t%s\t2\tNoto Sans CJK SC\tRegular%s",
                 (int)(at - text), text, sans, eol);
        spit(rec, forged);
        char *c2 = slurp(conf);
        CHECK(c2 != NULL);
        if (c2) {
            spit(conf, c2); /* same bytes, a new file: another inode and time */
            free(c2);
        }
        fam = family_of(fonts, "Noto Serif CJK SC");
        CHECK_STR(fam, "Noto Serif CJK SC");
        free(fam);
        char *again = slurp(rec);
        char line[300];
        snprintf(line, sizeof line, "\nfont\tNoto Serif CJK SC\t%s\t", sans);
        CHECK(again && strstr(again, "\nfont\tNoto Serif CJK SC\t/"));
        CHECK(again && !strstr(again, line)); /* rewritten from fontconfig */
        free(again);
        free(forged);
    }
    free(text);

    /* BULLETIN_FONT_CACHE=off: nothing is read or written. */
    CHECK_INT(remove(rec), 0);
    setenv("BULLETIN_FONT_CACHE", "off", 1);
    fam = family_of(fonts, "Noto Serif CJK SC");
    CHECK_STR(fam, "Noto Serif CJK SC");
    free(fam);
    CHECK(!record_path(cache, rec, sizeof rec));
    unsetenv("BULLETIN_FONT_CACHE");
}

int main(void)
{
    /* A cache folder of our own: the first pass asks fontconfig and
     * records its answers, the second gets every answer from the record. */
    char tmp[] = "/tmp/bl-font-test-XXXXXX";
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    char xdg[64];
    snprintf(xdg, sizeof xdg, "%s/cache", tmp);
    setenv("XDG_CACHE_HOME", xdg, 1);
    unsetenv("BULLETIN_FONT_CACHE");
    check_chains();
    check_chains();
    check_record(tmp);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    CHECK_INT(system(cmd), 0);
    return check_summary();
}
