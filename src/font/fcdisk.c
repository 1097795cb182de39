/* fcdisk.c - the on-disk record of fontconfig's answers (font_priv.h).
 *
 * Starting fontconfig (parsing some fifty configuration files) and matching
 * a layout's dozen patterns was about a quarter of rendering one bulletin.
 * The answers only change when fontconfig's inputs do, so they are kept in
 * a small text file together with the state (modification time, size,
 * inode) of every configuration file, configuration folder and font folder
 * fontconfig read, and of the font files answered: the same test fontconfig
 * applies to its own caches (a folder's time changes when a font is added
 * or removed in it). One line a record, fields separated by tabs:
 *
 *   bulletin font cache 1
 *   key     <configuration and environment the answers belong to>
 *   watch   <mtime>:<size>:<inode> or absent    <path>
 *   font    <query>   <file>   <face index>   <family>   <style>
 *   none    <query>
 *   end
 */
#define _POSIX_C_SOURCE 200809L

#include "font_priv.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/fileio.h"
#include "../base/grow.h"

enum { MAX_FILE = 4 << 20 };

typedef struct answer {
    char *query, *file, *family, *style; /* file NULL: no font fits */
    int index;
} answer;

struct bl_fcdisk {
    char *path; /* the record's file */
    char *key;
    answer *ans;
    size_t nans, cap;
    int dirty;
};

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static int plain(const char *s)
{
    return s && !strpbrk(s, "\t\n\r");
}

/* The state of path as recorded: changes whenever the file or folder does. */
static void state_of(const char *path, char *out, size_t cap)
{
    struct stat st;
    if (stat(path, &st) != 0)
        snprintf(out, cap, "absent");
    else
        snprintf(out, cap, "%lld.%09ld:%lld:%llu", (long long)st.st_mtim.tv_sec,
                 (long)st.st_mtim.tv_nsec, (long long)st.st_size,
                 (unsigned long long)st.st_ino);
}

static void answers_free(bl_fcdisk *d)
{
    for (size_t i = 0; i < d->nans; i++) {
        free(d->ans[i].query);
        free(d->ans[i].file);
        free(d->ans[i].family);
        free(d->ans[i].style);
    }
    d->nans = 0;
}

static int add_answer(bl_fcdisk *d, const char *query, const char *file, int index,
                      const char *family, const char *style)
{
    answer *all = bl_reserve(d->ans, &d->cap, d->nans, 1, sizeof *all, 32);
    if (!all)
        return 0;
    d->ans = all;
    answer *a = &d->ans[d->nans];
    a->query = dupstr(query);
    a->file = file ? dupstr(file) : NULL;
    a->family = dupstr(family ? family : "");
    a->style = dupstr(style ? style : "");
    a->index = index;
    if (!a->query || (file && !a->file) || !a->family || !a->style) {
        free(a->query);
        free(a->file);
        free(a->family);
        free(a->style);
        return 0;
    }
    d->nans++;
    return 1;
}

/* Splits line at tabs into at most max fields; returns how many. */
static size_t fields(char *line, char **f, size_t max)
{
    size_t n = 0;
    while (n < max) {
        f[n++] = line;
        char *t = strchr(line, '\t');
        if (!t)
            break;
        *t = '\0';
        line = t + 1;
    }
    return n;
}

/* Reads the record at d->path; keeps its answers only when it is whole, of
 * d->key, and nothing it watches has changed. */
static void load(bl_fcdisk *d)
{
    bl_error err;
    bl_error_clear(&err);
    char *text = NULL;
    size_t len = 0;
    if (bl_read_file(d->path, MAX_FILE, &text, &len, &err) != BL_OK)
        return;
    int ok = 0, first = 1;
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (!nl)
            break; /* a record always ends with a newline */
        *nl = '\0';
        char *f[6];
        size_t n = fields(line, f, 6);
        line = nl + 1;
        if (first) {
            first = 0;
            if (strcmp(f[0], "bulletin font cache 1") != 0)
                break;
        } else if (n == 2 && strcmp(f[0], "key") == 0) {
            if (strcmp(f[1], d->key) != 0)
                break;
        } else if (n == 3 && strcmp(f[0], "watch") == 0) {
            char now[96];
            state_of(f[2], now, sizeof now);
            if (strcmp(now, f[1]) != 0)
                break;
        } else if (n == 6 && strcmp(f[0], "font") == 0) {
            char *end;
            long idx = strtol(f[3], &end, 10);
            if (*end || idx < 0 || idx > 0xFFFF || !add_answer(d, f[1], f[2], (int)idx, f[4], f[5]))
                break;
        } else if (n == 2 && strcmp(f[0], "none") == 0) {
            if (!add_answer(d, f[1], NULL, 0, NULL, NULL))
                break;
        } else if (n == 1 && strcmp(f[0], "end") == 0) {
            ok = 1;
            break;
        } else {
            break;
        }
    }
    free(text);
    if (!ok)
        answers_free(d);
}

bl_fcdisk *bl_fcdisk_open(const char *key)
{
    const char *off = getenv("BULLETIN_FONT_CACHE");
    if (off && strcmp(off, "off") == 0)
        return NULL;
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    char dir[4096];
    if (xdg && xdg[0] == '/')
        snprintf(dir, sizeof dir, "%s/bulletin", xdg);
    else if (home && home[0] == '/')
        snprintf(dir, sizeof dir, "%s/.cache/bulletin", home);
    else
        return NULL;
    /* The answers depend on the configuration, fontconfig's environment and
     * its version; the file name is a hash of them, the key line the whole. */
    const char *env[] = {"FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT"};
    char k[8192];
    int kn = snprintf(k, sizeof k, "fontconfig %d|%s", FcGetVersion(), key);
    for (size_t i = 0; i < sizeof env / sizeof *env && kn > 0 && (size_t)kn < sizeof k; i++) {
        const char *v = getenv(env[i]);
        kn += snprintf(k + kn, sizeof k - (size_t)kn, "|%s", v ? v : "");
    }
    if (kn < 0 || (size_t)kn >= sizeof k || !plain(k))
        return NULL;
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (const char *p = k; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    bl_fcdisk *d = calloc(1, sizeof *d);
    size_t plen = strlen(dir) + 40;
    if (d)
        d->path = malloc(plen);
    if (d && d->path)
        d->key = dupstr(k);
    if (!d || !d->path || !d->key) {
        bl_fcdisk_free(d);
        return NULL;
    }
    snprintf(d->path, plen, "%s/fonts-%016llx", dir, (unsigned long long)h);
    load(d);
    return d;
}

int bl_fcdisk_get(const bl_fcdisk *d, const char *query, const char **file, int *index,
                  const char **family, const char **style)
{
    for (size_t i = 0; d && i < d->nans; i++)
        if (strcmp(d->ans[i].query, query) == 0) {
            *file = d->ans[i].file;
            *index = d->ans[i].index;
            *family = d->ans[i].family;
            *style = d->ans[i].style;
            return 1;
        }
    return 0;
}

int bl_fcdisk_put(bl_fcdisk *d, const char *query, const char *file, int index,
                  const char *family, const char *style)
{
    if (!plain(query) || (file && !plain(file)))
        return 1; /* not recordable: asked of fontconfig each time */
    if (!plain(family))
        family = "";
    if (!plain(style))
        style = "";
    for (size_t i = 0; i < d->nans; i++)
        if (strcmp(d->ans[i].query, query) == 0)
            return 1;
    if (!add_answer(d, query, file, index, family, style))
        return 0;
    d->dirty = 1;
    return 1;
}

/* A growable text. */
typedef struct text {
    char *p;
    size_t n, cap;
    int oom;
} text;

static void put(text *t, const char *s)
{
    size_t l = strlen(s);
    if (t->oom)
        return;
    char *p = bl_reserve(t->p, &t->cap, t->n, l + 1, 1, 4096);
    if (!p) {
        t->oom = 1;
        return;
    }
    t->p = p;
    memcpy(t->p + t->n, s, l + 1);
    t->n += l;
}

/* One watch line for path (and, with parent, one for its folder); paths
 * already watched are skipped. */
static void watch(text *t, char ***seen, size_t *nseen, const char *path, int parent)
{
    if (!plain(path) || path[0] != '/')
        return;
    for (size_t i = 0; i < *nseen; i++)
        if (strcmp((*seen)[i], path) == 0)
            goto folder;
    char **s = realloc(*seen, (*nseen + 1) * sizeof *s);
    if (!s || !(s[*nseen] = dupstr(path))) {
        if (s)
            *seen = s;
        t->oom = 1;
        return;
    }
    *seen = s;
    (*nseen)++;
    char st[96];
    state_of(path, st, sizeof st);
    put(t, "watch\t");
    put(t, st);
    put(t, "\t");
    put(t, path);
    put(t, "\n");
folder:
    if (parent) {
        char *dir = dupstr(path);
        char *slash = dir ? strrchr(dir, '/') : NULL;
        if (slash && slash != dir) {
            *slash = '\0';
            watch(t, seen, nseen, dir, 0);
        }
        free(dir);
    }
}

void bl_fcdisk_save(bl_fcdisk *d, FcConfig *config, const char *extra_dir)
{
    if (!d || !d->dirty || !config)
        return;
    text t = {0};
    char **seen = NULL;
    size_t nseen = 0;
    put(&t, "bulletin font cache 1\nkey\t");
    put(&t, d->key);
    put(&t, "\n");
    FcStrList *l = FcConfigGetConfigFiles(config);
    for (FcChar8 *s; l && (s = FcStrListNext(l));)
        watch(&t, &seen, &nseen, (const char *)s, 1);
    if (l)
        FcStrListDone(l);
    l = FcConfigGetFontDirs(config);
    for (FcChar8 *s; l && (s = FcStrListNext(l));)
        watch(&t, &seen, &nseen, (const char *)s, 0);
    if (l)
        FcStrListDone(l);
    if (extra_dir)
        watch(&t, &seen, &nseen, extra_dir, 0);
    /* Where a user's own configuration and fonts would appear later. */
    const char *home = getenv("HOME"), *xdg = getenv("XDG_CONFIG_HOME");
    char p[4096];
    if (xdg && xdg[0] == '/') {
        snprintf(p, sizeof p, "%s/fontconfig/fonts.conf", xdg);
        watch(&t, &seen, &nseen, p, 1);
    }
    if (home && home[0] == '/') {
        const char *user[] = {".config/fontconfig/fonts.conf", ".fonts.conf", ".fonts",
                              ".local/share/fonts"};
        for (size_t i = 0; i < sizeof user / sizeof *user; i++) {
            snprintf(p, sizeof p, "%s/%s", home, user[i]);
            watch(&t, &seen, &nseen, p, i == 0);
        }
    }
    for (size_t i = 0; i < d->nans; i++)
        if (d->ans[i].file)
            watch(&t, &seen, &nseen, d->ans[i].file, 0);
    for (size_t i = 0; i < d->nans; i++) {
        const answer *a = &d->ans[i];
        if (a->file) {
            char idx[16];
            snprintf(idx, sizeof idx, "%d", a->index);
            put(&t, "font\t");
            put(&t, a->query);
            put(&t, "\t");
            put(&t, a->file);
            put(&t, "\t");
            put(&t, idx);
            put(&t, "\t");
            put(&t, a->family);
            put(&t, "\t");
            put(&t, a->style);
            put(&t, "\n");
        } else {
            put(&t, "none\t");
            put(&t, a->query);
            put(&t, "\n");
        }
    }
    put(&t, "end\n");
    for (size_t i = 0; i < nseen; i++)
        free(seen[i]);
    free(seen);
    if (!t.oom) {
        /* The folders, then the file; nothing is reported (font_priv.h). */
        char *dir = dupstr(d->path);
        for (char *s = dir ? dir + 1 : NULL; s && *s; s++) {
            if (*s != '/')
                continue;
            *s = '\0';
            if (mkdir(dir, 0700) != 0 && errno != EEXIST)
                break;
            *s = '/';
        }
        free(dir);
        bl_error err;
        bl_error_clear(&err);
        if (bl_write_file_atomic(d->path, t.p, t.n, &err) == BL_OK)
            d->dirty = 0;
    }
    free(t.p);
}

void bl_fcdisk_free(bl_fcdisk *d)
{
    if (!d)
        return;
    answers_free(d);
    free(d->ans);
    free(d->path);
    free(d->key);
    free(d);
}
