/* font.c - the font cache: fontconfig finds faces, their facts (metrics,
 * names, coverage, advances) are read straight from the font tables, once,
 * so that several threads can read them (coverage page by page as asked
 * for, each page published atomically); FreeType only draws outlines
 * (bl_outliner). */
#define _XOPEN_SOURCE 700

#include "font.h"
#include "font_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H

/* The fallbacks every chain ends with: the two Noto CJK SC families, then
 * whatever installed face covers rare characters (CJK Ext. B 𠮷 U+20BB7,
 * Ext. A 䶮 U+4DAE) that a document may carry in personal names. */
static const char *const fallback_families[] = {"Noto Serif CJK SC", "Noto Sans CJK SC"};
static const uint32_t fallback_rare_chars[] = {0x20BB7, 0x4DAE};

enum { CMAP_PAGES = 0x110000 / 256 };

/* A font file mapped into memory; a .ttc's faces share one mapping. */
typedef struct mapped_file {
    char *path;
    const unsigned char *data;
    size_t size;
} mapped_file;

/* The Unicode subtable a face's coverage is read from. */
typedef struct cmap_sub {
    const unsigned char *t; /* in the mapped file */
    size_t len;
    int format;             /* 12 or 4; 0: none (the face covers nothing) */
    size_t n;               /* its groups (12) or segments (4) */
    int ordered;            /* ascending, not overlapping (cmap_ordered) */
} cmap_sub;

struct bl_font {
    bl_font_info info;
    char *family, *style, *psname;
    /* Code point -> glyph id, 256 per page, each page made from the
     * subtable when first asked for (a document asks for a few dozen of a
     * CJK face's 200): building all at open was a tenth of a render. A
     * page is published once, atomically; threads that race build it
     * twice and keep one. NULL: not made yet. */
    _Atomic(uint16_t *) cmap[CMAP_PAGES];
    cmap_sub sub;
    const unsigned char *hmtx;  /* the face's hmtx table in the mapped file, or NULL */
    size_t nhmetrics;           /* its longHorMetric records (at least 1 when hmtx) */
};

/* What one pattern resolved to (negative results are cached too). */
typedef struct resolved {
    char *pattern;
    bl_font *font; /* NULL: no installed font of that family */
} resolved;

typedef struct chain_ent {
    char *key; /* the patterns joined with '\n' */
    bl_fontchain chain;
    const bl_font **fonts;
} chain_ent;

struct bl_fontcache {
    pthread_mutex_t lock;
    FcConfig *config; /* NULL until an answer is not on disk (load_config) */
    char *conf;       /* the project's fonts.conf, or NULL: the system's */
    char *app_dir;    /* the project's font folder (application fonts), or NULL */
    bl_fcdisk *disk;  /* fontconfig's recorded answers, or NULL */
    mapped_file **files;
    size_t nfiles;
    bl_font **fonts;
    size_t nfonts;
    resolved *res;
    size_t nres;
    chain_ent **chains;
    size_t nchains;
    bl_font **fallbacks;
    size_t nfallbacks;
    int fallbacks_done;
};

/* ---- small helpers ------------------------------------------------------ */

/* Room for element n of an array of n: the capacity doubles at powers of
 * two (4, 8, 16, ...), so n appends cost O(n) and no capacity is stored. */
static void *grow(void *p, size_t n, size_t elem)
{
    if (n != 0 && (n < 4 || (n & (n - 1)) != 0))
        return p;
    size_t cap = n ? n * 2 : 4;
    return realloc(p, cap * elem);
}

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static uint32_t rd16(const unsigned char *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The offset of face `index`'s table directory in an sfnt or collection, or
 * 0 with *ok = 0 when the data is not one. */
static size_t face_offset(const unsigned char *d, size_t size, int index, int *ok)
{
    *ok = 0;
    if (size < 12)
        return 0;
    if (memcmp(d, "ttcf", 4) == 0) {
        uint32_t n = rd32(d + 8);
        if (index < 0 || (uint32_t)index >= n || 12 + 4 * (size_t)n > size)
            return 0;
        size_t off = rd32(d + 12 + 4 * (size_t)index);
        if (off + 12 > size)
            return 0;
        *ok = 1;
        return off;
    }
    if (index != 0)
        return 0;
    *ok = 1;
    return 0;
}

/* Finds a table of the face whose directory is at `dir`; NULL if absent. */
static const unsigned char *find_table(const unsigned char *d, size_t size, size_t dir,
                                       const char *tag, size_t *len)
{
    if (dir + 12 > size)
        return NULL;
    size_t n = rd16(d + dir + 4);
    if (dir + 12 + 16 * n > size)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *rec = d + dir + 12 + 16 * i;
        if (memcmp(rec, tag, 4) == 0) {
            size_t off = rd32(rec + 8), l = rd32(rec + 12);
            if (off > size || l > size - off)
                return NULL;
            *len = l;
            return d + off;
        }
    }
    return NULL;
}

/* Reads an English (Windows, U.S.) name of the face into out as ASCII-ish
 * UTF-8 (non-ASCII UTF-16 units are encoded as UTF-8; no surrogates in the
 * names we read). Returns 1 if found. */
static int read_name(const unsigned char *d, size_t size, size_t dir, unsigned name_id,
                     char *out, size_t cap)
{
    size_t len;
    const unsigned char *t = find_table(d, size, dir, "name", &len);
    if (!t || len < 6)
        return 0;
    size_t count = rd16(t + 2), strings = rd16(t + 4);
    if (6 + 12 * count > len)
        return 0;
    for (size_t i = 0; i < count; i++) {
        const unsigned char *r = t + 6 + 12 * i;
        if (rd16(r) != 3 || rd16(r + 2) != 1 || rd16(r + 4) != 0x409 || rd16(r + 6) != name_id)
            continue;
        size_t l = rd16(r + 8), o = strings + rd16(r + 10);
        if (o > len || l > len - o)
            return 0;
        size_t n = 0;
        for (size_t k = 0; k + 1 < l; k += 2) {
            uint32_t u = rd16(t + o + k);
            if (u < 0x80 && n + 1 < cap) {
                out[n++] = (char)u;
            } else if (u < 0x800 && n + 2 < cap) {
                out[n++] = (char)(0xC0 | u >> 6);
                out[n++] = (char)(0x80 | (u & 0x3F));
            } else if (u >= 0x800 && n + 3 < cap) {
                out[n++] = (char)(0xE0 | u >> 12);
                out[n++] = (char)(0x80 | ((u >> 6) & 0x3F));
                out[n++] = (char)(0x80 | (u & 0x3F));
            }
        }
        out[n] = '\0';
        return 1;
    }
    return 0;
}

/* The typographic family (name ID 16), else the family (ID 1). */
static int face_family(const unsigned char *d, size_t size, size_t dir, char *out, size_t cap)
{
    return read_name(d, size, dir, 16, out, cap) || read_name(d, size, dir, 1, out, cap);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* In a collection, the face whose typographic family ends in " SC" (the
 * Simplified Chinese face of Noto CJK); -1 if none. Reading the name tables
 * directly costs far less than asking fontconfig or FreeType per face. */
static int find_sc_face(const unsigned char *d, size_t size)
{
    if (size < 12 || memcmp(d, "ttcf", 4) != 0)
        return -1;
    uint32_t n = rd32(d + 8);
    for (uint32_t i = 0; i < n && i < 64; i++) {
        int ok;
        size_t dir = face_offset(d, size, (int)i, &ok);
        char fam[256];
        if (ok && face_family(d, size, dir, fam, sizeof fam) && ends_with(fam, " SC"))
            return (int)i;
    }
    return -1;
}

/* ---- opening fonts ------------------------------------------------------ */

static mapped_file *map_file(bl_fontcache *c, const char *path, bl_error *err)
{
    for (size_t i = 0; i < c->nfiles; i++)
        if (strcmp(c->files[i]->path, path) == 0)
            return c->files[i];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        bl_error_set(err, BL_ERR_FONT, path, 0, 0, "cannot open font file: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size <= 0) {
        close(fd);
        bl_error_set(err, BL_ERR_FONT, path, 0, 0, "font file is empty or unreadable");
        return NULL;
    }
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        bl_error_set(err, BL_ERR_FONT, path, 0, 0, "cannot map font file: %s", strerror(errno));
        return NULL;
    }
    mapped_file *m = calloc(1, sizeof *m);
    mapped_file **files = grow(c->files, c->nfiles, sizeof *files);
    char *pc = dupstr(path);
    if (!m || !files || !pc) {
        munmap(p, (size_t)st.st_size);
        free(m);
        free(pc);
        if (files)
            c->files = files;
        bl_error_set(err, BL_ERR_NOMEM, path, 0, 0, "out of memory opening a font");
        return NULL;
    }
    m->path = pc;
    m->data = p;
    m->size = (size_t)st.st_size;
    c->files = files;
    c->files[c->nfiles++] = m;
    return m;
}

/* The page every code point of a page without mappings shares; never
 * written. */
static uint16_t empty_page[256];

static void font_free(bl_font *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < CMAP_PAGES; i++) {
        uint16_t *pg = atomic_load_explicit(&f->cmap[i], memory_order_relaxed);
        if (pg != empty_page)
            free(pg);
    }
    free(f->family);
    free(f->style);
    free(f->psname);
    free(f);
}

/* The start and end of group (format 12) or segment (format 4) i. */
static inline uint32_t sub_lo(const cmap_sub *s, size_t i)
{
    return s->format == 12 ? rd32(s->t + 16 + 12 * i) : rd16(s->t + 16 + 2 * s->n + 2 * i);
}

static inline uint32_t sub_hi(const cmap_sub *s, size_t i)
{
    return s->format == 12 ? rd32(s->t + 16 + 12 * i + 4) : rd16(s->t + 14 + 2 * i);
}

/* 1 when the groups or segments of s ascend without overlapping, as the
 * OpenType specification requires: then the ones that cover a page are
 * found by bisection, else every one is looked at for each page. */
static int cmap_ordered(const cmap_sub *s)
{
    for (size_t i = 0, prev_hi = 0; i < s->n; i++) {
        uint32_t lo = sub_lo(s, i), hi = sub_hi(s, i);
        if (lo > hi || (i > 0 && lo <= prev_hi))
            return 0;
        prev_hi = hi;
    }
    return 1;
}

/* Fills pg[0..256) (zeroed) with page page_no of s, as FreeType's Unicode
 * charmap reads it: glyph 0 and ids past the face's glyphs map nothing,
 * and the first mapping of a character in table order wins. 1 when any
 * code point maps. */
static int fill_page(const cmap_sub *s, uint32_t num_glyphs, uint32_t page_no, uint16_t *pg)
{
    uint32_t a = page_no << 8, b = a | 0xFF;
    size_t first = 0; /* ordered: the first group ending at or after a */
    for (size_t hi_i = s->ordered ? s->n : 0; first < hi_i;) {
        size_t mid = first + (hi_i - first) / 2;
        if (sub_hi(s, mid) < a)
            first = mid + 1;
        else
            hi_i = mid;
    }
    int any = 0;
    uint32_t limit = num_glyphs < 0x10000 ? num_glyphs : 0x10000;
    const unsigned char *t = s->t;
    for (size_t i = first; i < s->n; i++) {
        uint32_t lo = sub_lo(s, i), hi = sub_hi(s, i);
        if (lo > b) {
            if (s->ordered)
                break;
            continue;
        }
        if (s->format == 12) {
            uint32_t gid = rd32(t + 16 + 12 * i + 8);
            for (uint32_t cp = lo > a ? lo : a; cp <= hi && cp <= b; cp++) {
                uint64_t id = (uint64_t)gid + (cp - lo);
                if (id != 0 && id < limit && !pg[cp - a]) {
                    pg[cp - a] = (uint16_t)id;
                    any = 1;
                }
            }
        } else {
            size_t segs = s->n;
            const unsigned char *ranges = t + 16 + 6 * segs;
            uint32_t delta = rd16(t + 16 + 4 * segs + 2 * i), ro = rd16(ranges + 2 * i);
            for (uint32_t cp = lo > a ? lo : a; cp <= hi && cp <= b && cp != 0xFFFF; cp++) {
                uint32_t id;
                if (ro == 0) {
                    id = (cp + delta) & 0xFFFF;
                } else {
                    size_t at = (size_t)(ranges + 2 * i - t) + ro + 2 * (cp - lo);
                    if (at + 2 > s->len)
                        break;
                    id = rd16(t + at);
                    if (id)
                        id = (id + delta) & 0xFFFF;
                }
                if (id != 0 && id < num_glyphs && !pg[cp - a]) {
                    pg[cp - a] = (uint16_t)id;
                    any = 1;
                }
            }
        }
    }
    return any;
}

/* Page page_no of f, made from the subtable and published; tmp (256
 * entries) holds it instead when there is no memory to keep it. */
static const uint16_t *make_page(bl_font *f, uint32_t page_no, uint16_t *tmp)
{
    memset(tmp, 0, 256 * sizeof *tmp);
    uint16_t *made = empty_page;
    if (fill_page(&f->sub, f->info.num_glyphs, page_no, tmp)) {
        if (!(made = malloc(256 * sizeof *made)))
            return tmp;
        memcpy(made, tmp, 256 * sizeof *made);
    }
    uint16_t *expected = NULL;
    if (atomic_compare_exchange_strong_explicit(&f->cmap[page_no], &expected, made,
                                                memory_order_acq_rel, memory_order_acquire))
        return made;
    if (made != empty_page)
        free(made); /* another thread made it first */
    return expected;
}

/* Finds the face's Unicode cmap subtable in the file, which its coverage
 * pages are read from: the full-repertoire one (format 12) when there is
 * one, else the BMP one (format 4), as FreeType's Unicode charmap chooses.
 * Walking it through FreeType cost about 5 M instructions a CJK face. A
 * face without one covers nothing. */
static void find_cmap(bl_font *f, const unsigned char *d, size_t size, size_t dir)
{
    size_t len;
    const unsigned char *t = find_table(d, size, dir, "cmap", &len);
    if (!t || len < 4)
        return;
    size_t n = rd16(t + 2);
    if (4 + 8 * n > len)
        n = (len - 4) / 8;
    const unsigned char *best = NULL;
    size_t best_len = 0;
    int best_rank = 0;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *r = t + 4 + 8 * i;
        uint32_t plat = rd16(r), enc = rd16(r + 2), off = rd32(r + 4);
        if (off + 4 > len)
            continue;
        uint32_t fmt = rd16(t + off);
        int rank = 0;
        if (fmt == 12 && ((plat == 3 && enc == 10) || (plat == 0 && (enc == 4 || enc == 6))))
            rank = 2;
        else if (fmt == 4 && ((plat == 3 && enc == 1) || plat == 0))
            rank = 1;
        if (rank > best_rank) {
            best = t + off;
            best_len = len - off;
            best_rank = rank;
        }
    }
    if (best_rank == 0)
        return;
    cmap_sub sub = {best, best_len, best_rank == 2 ? 12 : 4, 0, 0};
    /* A count or length the file overstates is cut to the table. */
    if (best_rank == 2 && best_len >= 16) {
        sub.n = rd32(best + 12);
        if (sub.n > (best_len - 16) / 12)
            sub.n = (best_len - 16) / 12;
    } else if (best_rank == 1 && best_len >= 14) {
        size_t l = rd16(best + 2);
        if (l < best_len)
            sub.len = l < 14 ? 14 : l;
        sub.n = rd16(best + 6) / 2;
        if (16 + 8 * sub.n > sub.len)
            sub.n = 0;
    }
    sub.ordered = cmap_ordered(&sub);
    f->sub = sub; /* pages made when asked for */
}

/* Advances are read from hhea/hmtx in the mapped file when asked for (font
 * units: the same numbers HarfBuzz uses for unscaled horizontal advances),
 * rather than copied for every glyph of a 65,535-glyph face up front. */
static void find_advances(bl_font *f, const unsigned char *d, size_t size, size_t dir)
{
    size_t hl, ml;
    const unsigned char *hhea = find_table(d, size, dir, "hhea", &hl);
    const unsigned char *hmtx = find_table(d, size, dir, "hmtx", &ml);
    if (!hhea || hl < 36 || !hmtx)
        return;
    size_t nh = rd16(hhea + 34);
    if (nh * 4 > ml)
        nh = ml / 4;
    if (nh == 0)
        return;
    f->hmtx = hmtx;
    f->nhmetrics = nh;
}

/* Opens face `index` of path (once per cache); NULL with err set on failure. */
static bl_font *open_font(bl_fontcache *c, const char *path, int index, const char *fc_family,
                          const char *fc_style, bl_error *err)
{
    for (size_t i = 0; i < c->nfonts; i++)
        if (c->fonts[i]->info.index == index && strcmp(c->fonts[i]->info.path, path) == 0)
            return c->fonts[i];
    mapped_file *m = map_file(c, path, err);
    if (!m)
        return NULL;
    bl_font **fonts = grow(c->fonts, c->nfonts, sizeof *fonts);
    if (!fonts) {
        bl_error_set(err, BL_ERR_NOMEM, path, 0, 0, "out of memory opening a font");
        return NULL;
    }
    c->fonts = fonts;
    bl_font *f = calloc(1, sizeof *f);
    if (!f) {
        bl_error_set(err, BL_ERR_NOMEM, path, 0, 0, "out of memory opening a font");
        return NULL;
    }
    /* The facts come from the tables themselves: FreeType's face loading
     * (it parses the whole CFF of a CJK face) cost more than the rest of
     * opening a font. */
    int ok;
    size_t dir = face_offset(m->data, m->size, index, &ok);
    size_t hl = 0, hhl = 0, ml = 0, ol = 0, pl = 0;
    const unsigned char *head = ok ? find_table(m->data, m->size, dir, "head", &hl) : NULL;
    const unsigned char *hhea = ok ? find_table(m->data, m->size, dir, "hhea", &hhl) : NULL;
    const unsigned char *maxp = ok ? find_table(m->data, m->size, dir, "maxp", &ml) : NULL;
    const unsigned char *os2 = ok ? find_table(m->data, m->size, dir, "OS/2", &ol) : NULL;
    const unsigned char *post = ok ? find_table(m->data, m->size, dir, "post", &pl) : NULL;
    size_t cl;
    int cff = ok && (find_table(m->data, m->size, dir, "CFF ", &cl) ||
                     find_table(m->data, m->size, dir, "CFF2", &cl));
    if (!head || hl < 54 || !hhea || hhl < 36 || !maxp || ml < 6 ||
        (!cff && !find_table(m->data, m->size, dir, "glyf", &cl))) {
        free(f);
        bl_error_set(err, BL_ERR_FONT, path, 0, 0, "cannot read face %d of the font", index);
        return NULL;
    }
    char fam[256] = "", sty[256] = "", ps[128] = "";
    if (!face_family(m->data, m->size, dir, fam, sizeof fam))
        snprintf(fam, sizeof fam, "%s", fc_family ? fc_family : "");
    if (!(read_name(m->data, m->size, dir, 17, sty, sizeof sty) ||
          read_name(m->data, m->size, dir, 2, sty, sizeof sty)))
        snprintf(sty, sizeof sty, "%s", fc_style ? fc_style : "");
    if (!read_name(m->data, m->size, dir, 6, ps, sizeof ps) || !ps[0])
        snprintf(ps, sizeof ps, "Unnamed");
    f->family = dupstr(fam);
    f->style = dupstr(sty);
    f->psname = dupstr(ps);

    bl_font_info *in = &f->info;
    in->id = (int)c->nfonts;
    in->path = m->path;
    in->index = index;
    in->family = f->family;
    in->style = f->style;
    in->postscript_name = f->psname;
    in->is_cff = cff;
    in->units_per_em = rd16(head + 18) ? (int)rd16(head + 18) : 1000;
    in->bbox[0] = (int16_t)rd16(head + 36);
    in->bbox[1] = (int16_t)rd16(head + 38);
    in->bbox[2] = (int16_t)rd16(head + 40);
    in->bbox[3] = (int16_t)rd16(head + 42);
    in->ascender = (int16_t)rd16(hhea + 4);
    in->descender = (int16_t)rd16(hhea + 6);
    in->cap_height = in->ascender * 7 / 10;
    in->weight = (rd16(head + 44) & 1) ? 700 : 400; /* macStyle bold */
    if (os2 && ol >= 78) {
        in->ascender = (int16_t)rd16(os2 + 68);
        in->descender = (int16_t)rd16(os2 + 70);
        in->weight = (int)rd16(os2 + 4);
        if (rd16(os2) >= 2 && ol >= 90 && (int16_t)rd16(os2 + 88) > 0)
            in->cap_height = (int16_t)rd16(os2 + 88);
    }
    if (post && pl >= 8)
        in->italic_angle = (int32_t)rd32(post + 4) / 65536;
    in->num_glyphs = rd16(maxp + 4);
    in->data = m->data;
    in->size = m->size;

    find_advances(f, m->data, m->size, dir);
    find_cmap(f, m->data, m->size, dir);
    if (!f->family || !f->style || !f->psname) {
        font_free(f);
        bl_error_set(err, BL_ERR_NOMEM, path, 0, 0, "out of memory opening a font");
        return NULL;
    }
    c->fonts[c->nfonts++] = f;
    return f;
}

/* ---- fontconfig --------------------------------------------------------- */

/* Family names compare as fontconfig does: ASCII case and blanks ignored. */
static int family_eq(const char *a, const char *b)
{
    for (;;) {
        while (*a == ' ')
            a++;
        while (*b == ' ')
            b++;
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return 0;
        if (!x)
            return 1;
        a++;
        b++;
    }
}

/* Whether the match really is of the requested family (fontconfig always
 * returns some font, substituting defaults for unknown names). */
static int family_matches(FcPattern *want, FcPattern *got)
{
    FcChar8 *req;
    if (FcPatternGetString(want, FC_FAMILY, 0, &req) != FcResultMatch)
        return 1; /* no family asked for (e.g. only a charset) */
    FcChar8 *fam;
    for (int i = 0; FcPatternGetString(got, FC_FAMILY, i, &fam) == FcResultMatch; i++)
        if (family_eq((const char *)req, (const char *)fam))
            return 1;
    return 0;
}

/* Keeps the answer for a pattern for the rest of the process (coverage
 * queries are asked once, by ensure_fallbacks). */
static bl_status remember(bl_fontcache *c, const char *pattern, const uint32_t *charset_cps,
                          bl_font *font, bl_error *err)
{
    if (charset_cps)
        return BL_OK;
    resolved *res = grow(c->res, c->nres, sizeof *res);
    char *p = dupstr(pattern);
    if (!res || !p) {
        free(p);
        if (res)
            c->res = res;
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory asking fontconfig");
    }
    c->res = res;
    c->res[c->nres].pattern = p;
    c->res[c->nres].font = font;
    c->nres++;
    return BL_OK;
}

/* Starts fontconfig with the project's configuration (or the system's),
 * once: only when an answer is not recorded on disk. */
static bl_status load_config(bl_fontcache *c, bl_error *err)
{
    if (c->config)
        return BL_OK;
    if (c->conf) {
        c->config = FcConfigCreate();
        if (c->config && (!FcConfigParseAndLoad(c->config, (const FcChar8 *)c->conf, FcTrue) ||
                          !FcConfigBuildFonts(c->config) ||
                          !FcConfigAppFontAddDir(c->config, (const FcChar8 *)c->app_dir))) {
            FcConfigDestroy(c->config);
            c->config = NULL;
            return bl_error_set(err, BL_ERR_FONT, c->conf, 0, 0,
                                "fontconfig cannot load this configuration");
        }
    } else {
        c->config = FcInitLoadConfigAndFonts();
    }
    if (!c->config)
        return bl_error_set(err, BL_ERR_FONT, NULL, 0, 0, "fontconfig cannot be initialised");
    return BL_OK;
}

/* Resolves one pattern to a font (cached, also when nothing matches).
 * Returns BL_OK with *out NULL when no installed font fits. charset_cps,
 * when given, must all be covered by the match. */
static bl_status resolve(bl_fontcache *c, const char *pattern, const uint32_t *charset_cps,
                         size_t ncps, bl_font **out, bl_error *err)
{
    *out = NULL;
    if (!charset_cps) {
        for (size_t i = 0; i < c->nres; i++)
            if (strcmp(c->res[i].pattern, pattern) == 0) {
                *out = c->res[i].font;
                return BL_OK;
            }
    }
    /* The query as recorded on disk: the pattern, or for a coverage query
     * (no family) the characters. */
    char qbuf[160];
    const char *qkey = pattern;
    if (charset_cps) {
        int n = snprintf(qbuf, sizeof qbuf, "\001charset");
        for (size_t i = 0; i < ncps && n > 0 && (size_t)n < sizeof qbuf; i++)
            n += snprintf(qbuf + n, sizeof qbuf - (size_t)n, " %X", (unsigned)charset_cps[i]);
        qkey = n > 0 && (size_t)n < sizeof qbuf ? qbuf : NULL;
    }
    const char *dfile, *dfam, *dsty;
    int dindex;
    if (qkey && bl_fcdisk_get(c->disk, qkey, &dfile, &dindex, &dfam, &dsty)) {
        bl_error e2;
        bl_error_clear(&e2);
        bl_font *f = dfile ? open_font(c, dfile, dindex, dfam, dsty, &e2) : NULL;
        if (!dfile || f) {
            *out = f;
            return remember(c, pattern, charset_cps, *out, err);
        }
        /* The recorded file cannot be opened any more: ask fontconfig. */
    }
    bl_status cst = load_config(c, err);
    if (cst != BL_OK)
        return cst;
    FcPattern *want = FcNameParse((const FcChar8 *)pattern);
    if (!want)
        return BL_OK; /* not a pattern fontconfig can read: treated as unavailable */
    FcCharSet *cs = NULL;
    if (charset_cps) {
        cs = FcCharSetCreate();
        for (size_t i = 0; cs && i < ncps; i++)
            FcCharSetAddChar(cs, charset_cps[i]);
        if (cs)
            FcPatternAddCharSet(want, FC_CHARSET, cs);
        FcPatternAddString(want, FC_LANG, (const FcChar8 *)"zh-cn");
    }
    FcPattern *query = FcPatternDuplicate(want);
    bl_status st = BL_OK;
    if (!query) {
        st = bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory asking fontconfig");
        goto done;
    }
    FcConfigSubstitute(c->config, query, FcMatchPattern);
    FcDefaultSubstitute(query);
    FcResult r;
    FcPattern *got = FcFontMatch(c->config, query, &r);
    FcPatternDestroy(query);
    if (got && family_matches(want, got)) {
        FcChar8 *file = NULL, *fam = NULL, *sty = NULL;
        FcCharSet *have = NULL;
        int index = 0;
        int covers = 1;
        if (cs && FcPatternGetCharSet(got, FC_CHARSET, 0, &have) == FcResultMatch) {
            for (size_t i = 0; i < ncps; i++)
                covers &= FcCharSetHasChar(have, charset_cps[i]) ? 1 : 0;
        }
        if (covers && FcPatternGetString(got, FC_FILE, 0, &file) == FcResultMatch) {
            FcPatternGetInteger(got, FC_INDEX, 0, &index);
            FcPatternGetString(got, FC_FAMILY, 0, &fam);
            FcPatternGetString(got, FC_STYLE, 0, &sty);
            mapped_file *m = map_file(c, (const char *)file, err);
            if (!m) {
                st = err->code;
            } else {
                /* In a collection prefer the Simplified Chinese face unless
                 * the pattern named the matched face's family itself. */
                char famname[256];
                int ok;
                size_t dir = face_offset(m->data, m->size, index, &ok);
                FcChar8 *req = NULL;
                FcPatternGetString(want, FC_FAMILY, 0, &req);
                if (ok && face_family(m->data, m->size, dir, famname, sizeof famname) &&
                    !ends_with(famname, " SC") &&
                    !(req && family_eq((const char *)req, famname))) {
                    int sc = find_sc_face(m->data, m->size);
                    if (sc >= 0)
                        index = sc;
                }
                *out = open_font(c, (const char *)file, index, (const char *)fam,
                                 (const char *)sty, err);
                if (!*out)
                    st = err->code;
                else if (qkey && c->disk &&
                         !bl_fcdisk_put(c->disk, qkey, (const char *)file, index,
                                        (const char *)fam, (const char *)sty))
                    st = bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0,
                                      "out of memory asking fontconfig");
            }
        }
    }
    if (got)
        FcPatternDestroy(got);
    if (st == BL_OK && !*out && qkey && c->disk &&
        !bl_fcdisk_put(c->disk, qkey, NULL, 0, NULL, NULL))
        st = bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory asking fontconfig");
    if (st == BL_OK)
        st = remember(c, pattern, charset_cps, *out, err);
done:
    if (cs)
        FcCharSetDestroy(cs);
    FcPatternDestroy(want);
    return st;
}

static bl_status add_fallback(bl_fontcache *c, bl_font *f, bl_error *err)
{
    if (!f)
        return BL_OK;
    for (size_t i = 0; i < c->nfallbacks; i++)
        if (c->fallbacks[i] == f)
            return BL_OK;
    bl_font **fb = grow(c->fallbacks, c->nfallbacks, sizeof *fb);
    if (!fb)
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory finding fonts");
    c->fallbacks = fb;
    c->fallbacks[c->nfallbacks++] = f;
    return BL_OK;
}

static bl_status ensure_fallbacks(bl_fontcache *c, bl_error *err)
{
    if (c->fallbacks_done)
        return BL_OK;
    for (size_t i = 0; i < sizeof fallback_families / sizeof *fallback_families; i++) {
        bl_font *f;
        bl_status st = resolve(c, fallback_families[i], NULL, 0, &f, err);
        if (st == BL_OK)
            st = add_fallback(c, f, err);
        if (st != BL_OK)
            return st;
    }
    /* A face for the rare characters, unless the fallbacks so far have them. */
    size_t nrare = sizeof fallback_rare_chars / sizeof *fallback_rare_chars;
    for (size_t k = 0; k < nrare; k++) {
        int covered = 0;
        for (size_t i = 0; i < c->nfallbacks && !covered; i++)
            covered = bl_font_has_char(c->fallbacks[i], fallback_rare_chars[k]);
        if (covered)
            continue;
        bl_font *f;
        bl_status st = resolve(c, "", &fallback_rare_chars[k], 1, &f, err);
        if (st == BL_OK)
            st = add_fallback(c, f, err);
        if (st != BL_OK)
            return st;
    }
    c->fallbacks_done = 1;
    return BL_OK;
}

/* ---- public API --------------------------------------------------------- */

bl_status bl_fontcache_new(const char *fonts_dir, bl_fontcache **out, bl_error *err)
{
    *out = NULL;
    bl_fontcache *c = calloc(1, sizeof *c);
    if (!c)
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory creating the font cache");
    if (pthread_mutex_init(&c->lock, NULL) != 0) {
        free(c);
        return bl_error_set(err, BL_ERR_FONT, NULL, 0, 0, "cannot create the font cache lock");
    }
    char conf[4096] = "";
    struct stat st;
    char *dir = fonts_dir ? realpath(fonts_dir, NULL) : NULL;
    if (dir) {
        /* Absolute: fontconfig reads relative names from its own folder. */
        int n = snprintf(conf, sizeof conf, "%s/fonts.conf", dir);
        if (n < 0 || (size_t)n >= sizeof conf || stat(conf, &st) != 0)
            conf[0] = '\0'; /* no project configuration: the system's alone */
    }
    if (conf[0]) {
        c->conf = dupstr(conf);
        c->app_dir = dir;
        dir = NULL;
        if (!c->conf) {
            bl_fontcache_free(c);
            return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0,
                                "out of memory creating the font cache");
        }
    }
    free(dir);
    c->disk = bl_fcdisk_open(conf);
    /* With no answers on disk fontconfig is needed anyway: start it now,
     * so a broken configuration is reported here. */
    const char *f, *fam, *sty;
    int idx;
    bl_status ls = bl_fcdisk_get(c->disk, fallback_families[0], &f, &idx, &fam, &sty)
                       ? BL_OK
                       : load_config(c, err);
    if (ls != BL_OK) {
        bl_fontcache_free(c);
        return ls;
    }
    *out = c;
    return BL_OK;
}

void bl_fontcache_free(bl_fontcache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nchains; i++) {
        free(c->chains[i]->key);
        free(c->chains[i]->fonts);
        free(c->chains[i]);
    }
    free(c->chains);
    for (size_t i = 0; i < c->nres; i++)
        free(c->res[i].pattern);
    free(c->res);
    free(c->fallbacks);
    for (size_t i = 0; i < c->nfonts; i++)
        font_free(c->fonts[i]);
    free(c->fonts);
    for (size_t i = 0; i < c->nfiles; i++) {
        munmap((void *)c->files[i]->data, c->files[i]->size);
        free(c->files[i]->path);
        free(c->files[i]);
    }
    free(c->files);
    /* New answers are recorded for the next process. */
    bl_fcdisk_save(c->disk, c->config, c->app_dir);
    bl_fcdisk_free(c->disk);
    if (c->config)
        FcConfigDestroy(c->config);
    free(c->conf);
    free(c->app_dir);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

/* Builds the chain for patterns (lock held). */
static bl_status make_chain(bl_fontcache *c, const char *const *patterns, size_t npatterns,
                            const char *key, const bl_fontchain **out, bl_error *err)
{
    bl_font *primary = NULL;
    for (size_t i = 0; i < npatterns && !primary; i++) {
        bl_status st = resolve(c, patterns[i], NULL, 0, &primary, err);
        if (st != BL_OK)
            return st;
    }
    if (!primary) {
        char list[400] = "";
        size_t n = 0;
        for (size_t i = 0; i < npatterns && n < sizeof list - 1; i++) {
            int k = snprintf(list + n, sizeof list - n, "%s\"%s\"", i ? ", " : "", patterns[i]);
            if (k < 0)
                break;
            n += (size_t)k;
        }
        if (n >= sizeof list)
            n = sizeof list - 1;
        return bl_error_set(err, BL_ERR_FONT, NULL, 0, 0,
                            "no installed font matches any of the patterns %s", list);
    }
    bl_status st = ensure_fallbacks(c, err);
    if (st != BL_OK)
        return st;
    chain_ent *e = calloc(1, sizeof *e);
    chain_ent **chains = grow(c->chains, c->nchains, sizeof *chains);
    if (chains)
        c->chains = chains;
    if (e) {
        e->key = dupstr(key);
        e->fonts = calloc(1 + c->nfallbacks, sizeof *e->fonts);
    }
    if (!e || !chains || !e->key || !e->fonts) {
        if (e) {
            free(e->key);
            free(e->fonts);
            free(e);
        }
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory finding fonts");
    }
    size_t n = 0;
    e->fonts[n++] = primary;
    for (size_t i = 0; i < c->nfallbacks; i++) {
        size_t k = 0;
        while (k < n && e->fonts[k] != c->fallbacks[i])
            k++;
        if (k == n)
            e->fonts[n++] = c->fallbacks[i];
    }
    e->chain.fonts = (const bl_font *const *)e->fonts;
    e->chain.nfonts = n;
    c->chains[c->nchains++] = e;
    *out = &e->chain;
    return BL_OK;
}

bl_status bl_fontcache_chain(bl_fontcache *c, const char *const *patterns, size_t npatterns,
                             const bl_fontchain **out, bl_error *err)
{
    *out = NULL;
    size_t klen = 1;
    for (size_t i = 0; i < npatterns; i++)
        klen += strlen(patterns[i]) + 1;
    char *key = malloc(klen);
    if (!key)
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory finding fonts");
    size_t n = 0;
    for (size_t i = 0; i < npatterns; i++) {
        size_t l = strlen(patterns[i]);
        memcpy(key + n, patterns[i], l);
        n += l;
        key[n++] = '\n';
    }
    key[n] = '\0';
    pthread_mutex_lock(&c->lock);
    bl_status st = BL_OK;
    size_t i = 0;
    for (; i < c->nchains; i++)
        if (strcmp(c->chains[i]->key, key) == 0)
            break;
    if (i < c->nchains)
        *out = &c->chains[i]->chain;
    else
        st = make_chain(c, patterns, npatterns, key, out, err);
    pthread_mutex_unlock(&c->lock);
    free(key);
    return st;
}

const bl_font *bl_fontchain_pick(const bl_fontchain *chain, uint32_t cp)
{
    for (size_t i = 0; i < chain->nfonts; i++)
        if (bl_font_has_char(chain->fonts[i], cp))
            return chain->fonts[i];
    return NULL;
}

int bl_font_has_char(const bl_font *font, uint32_t cp)
{
    if (cp >= 0x110000)
        return 0;
    const uint16_t *page = atomic_load_explicit(&font->cmap[cp >> 8], memory_order_acquire);
    uint16_t tmp[256];
    if (!page && font->sub.format) /* the page cache is the only part that changes */
        page = make_page((bl_font *)font, cp >> 8, tmp);
    return page && page[cp & 0xFF] != 0;
}

const bl_font_info *bl_font_get_info(const bl_font *font)
{
    return &font->info;
}

int bl_font_glyph_advance(const bl_font *font, uint32_t gid)
{
    if (gid >= font->info.num_glyphs || !font->hmtx)
        return 0;
    /* Glyphs past numberOfHMetrics repeat the last advance. */
    size_t k = gid < font->nhmetrics ? gid : font->nhmetrics - 1;
    return (int)rd16(font->hmtx + 4 * k);
}

/* ---- glyph outlines ------------------------------------------------------ */

/* The cache has no FreeType library (facts come from the tables), so each
 * outliner has one of its own. */
struct bl_outliner {
    FT_Library ft;
    struct {
        const bl_font *font;
        FT_Face face;
    } *faces;
    size_t nfaces;
};

bl_status bl_outliner_new(bl_outliner **out, bl_error *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (FT_Init_FreeType(&(*out)->ft) != 0) {
        free(*out);
        *out = NULL;
        return bl_error_set(err, BL_ERR_FONT, NULL, 0, 0, "FreeType cannot be initialised");
    }
    return BL_OK;
}

void bl_outliner_free(bl_outliner *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->nfaces; i++)
        FT_Done_Face(o->faces[i].face);
    free(o->faces);
    FT_Done_FreeType(o->ft);
    free(o);
}

/* The outliner's face for font, opened on first use (NULL on failure). */
static FT_Face outliner_face(bl_outliner *o, const bl_font *font)
{
    for (size_t i = 0; i < o->nfaces; i++)
        if (o->faces[i].font == font)
            return o->faces[i].face;
    void *grown = grow(o->faces, o->nfaces, sizeof *o->faces);
    if (!grown)
        return NULL;
    o->faces = grown;
    FT_Face face = NULL;
    const bl_font_info *in = &font->info;
    if (FT_New_Memory_Face(o->ft, in->data, (FT_Long)in->size, in->index, &face) != 0)
        return NULL;
    o->faces[o->nfaces].font = font;
    o->faces[o->nfaces].face = face;
    o->nfaces++;
    return face;
}

/* FreeType's decomposer calls these; the sink's contours are closed here. */
typedef struct outline_walk {
    const bl_outline_sink *sink;
    int open;
} outline_walk;

static int walk_move(const FT_Vector *to, void *user)
{
    outline_walk *w = user;
    if (w->open)
        w->sink->close(w->sink->ctx);
    w->open = 1;
    w->sink->move_to(w->sink->ctx, (double)to->x, (double)to->y);
    return 0;
}

static int walk_line(const FT_Vector *to, void *user)
{
    outline_walk *w = user;
    w->sink->line_to(w->sink->ctx, (double)to->x, (double)to->y);
    return 0;
}

static int walk_conic(const FT_Vector *c, const FT_Vector *to, void *user)
{
    outline_walk *w = user;
    w->sink->quad_to(w->sink->ctx, (double)c->x, (double)c->y, (double)to->x, (double)to->y);
    return 0;
}

static int walk_cubic(const FT_Vector *c1, const FT_Vector *c2, const FT_Vector *to,
                      void *user)
{
    outline_walk *w = user;
    w->sink->cubic_to(w->sink->ctx, (double)c1->x, (double)c1->y, (double)c2->x,
                      (double)c2->y, (double)to->x, (double)to->y);
    return 0;
}

bl_status bl_font_glyph_outline(bl_outliner *o, const bl_font *font, uint32_t gid,
                                const bl_outline_sink *sink, bl_error *err)
{
    FT_Face face = outliner_face(o, font);
    if (!face)
        return bl_error_set(err, BL_ERR_FONT, font->info.path, 0, 0,
                            "FreeType cannot read face %d of the font", font->info.index);
    /* Font units, unhinted: the writer scales, so no grid fitting. */
    if (gid >= font->info.num_glyphs ||
        FT_Load_Glyph(face, gid, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP) != 0 ||
        face->glyph->format != FT_GLYPH_FORMAT_OUTLINE)
        return bl_error_set(err, BL_ERR_FONT, font->info.path, 0, 0,
                            "cannot load the outline of glyph %u of %s", (unsigned)gid,
                            font->info.postscript_name);
    static const FT_Outline_Funcs funcs = {walk_move, walk_line, walk_conic, walk_cubic, 0, 0};
    outline_walk w = {sink, 0};
    if (FT_Outline_Decompose(&face->glyph->outline, &funcs, &w) != 0)
        return bl_error_set(err, BL_ERR_FONT, font->info.path, 0, 0,
                            "cannot read the outline of glyph %u of %s", (unsigned)gid,
                            font->info.postscript_name);
    if (w.open)
        sink->close(sink->ctx);
    return BL_OK;
}
