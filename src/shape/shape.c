/* shape.c - HarfBuzz shaping of Chinese text over a font chain, and
 * hb-subset of the glyphs a document uses. */
#define _DEFAULT_SOURCE /* madvise */

#include "shape.h"

#include <pthread.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>

#include <hb-subset.h>
#include <hb.h>

#include "../base/grow.h"
#include "../base/utf8.h"

/* One HarfBuzz face and font per bl_font, created on first use. HarfBuzz
 * objects are safe to share between threads once set up (shaping does not
 * modify them), so only their creation is locked. */
typedef struct hb_ent {
    hb_face_t *face;
    hb_font_t *font;
    int cid_keyed;      /* a CID-keyed CFF face (cid_keyed_cff) */
} hb_ent;

struct bl_shaper {
    pthread_mutex_t lock;
    hb_ent *ents; /* indexed by bl_font_info.id */
    size_t nents;
    /* Interned once here: HarfBuzz's lazy interning races when two
     * workers ask for a language first at the same time (TSan). */
    hb_language_t lang;
    int keep_pages; /* bl_shaper_keep_pages */
};

/* Tables left out of embedded subsets: layout tables are only needed for
 * shaping, which uses the full font; vertical metrics and signatures are
 * unused by PDF readers. Dropping GSUB also keeps its closure from pulling
 * unused glyphs into the subset. */
static const char *const drop_tables[] = {"GSUB", "GPOS", "GDEF", "BASE", "JSTF",
                                          "MATH", "VORG", "vhea", "vmtx", "DSIG"};

/* The only tables the PDF embedding reads of a subset: the bare CFF table
 * for /FontFile3, and for /FontFile2 the TrueType tables PDF 32000 9.9
 * lists for a CIDFontType2 program (no cmap: glyphs are addressed by id). */
static const char *const keep_cff[] = {"CFF "};
static const char *const keep_ttf[] = {"head", "hhea", "loca", "maxp", "cvt ",
                                       "prep", "glyf", "hmtx", "fpgm"};

/* Tables bl_shape_subset's planning face hides from hb-subset. Without a
 * cmap the plan skips walking the whole cmap (some 45,000 entries of a CJK
 * face, for every subset: over half the planning of a 500-glyph subset of
 * Noto Serif CJK) and the cmap's variation-selector closure, which only
 * added unused glyphs; without the layout tables it has no closures to do. */
static int hidden_from_subset(hb_tag_t tag)
{
    switch (tag) {
    case HB_TAG('c', 'm', 'a', 'p'):
    case HB_TAG('G', 'S', 'U', 'B'):
    case HB_TAG('G', 'P', 'O', 'S'):
    case HB_TAG('G', 'D', 'E', 'F'):
    case HB_TAG('B', 'A', 'S', 'E'):
    case HB_TAG('J', 'S', 'T', 'F'):
    case HB_TAG('M', 'A', 'T', 'H'):
    case HB_TAG('C', 'O', 'L', 'R'):
    case HB_TAG('C', 'P', 'A', 'L'):
    case HB_TAG('V', 'O', 'R', 'G'):
    case HB_TAG('v', 'h', 'e', 'a'):
    case HB_TAG('v', 'm', 't', 'x'):
        return 1;
    default:
        return 0;
    }
}

/* The view of a face bl_shape_subset works on: while the plan is made it
 * also hides the CFF of a CID-keyed face, where hb-subset would otherwise
 * run every glyph's charstring (subroutines and all) looking for seac
 * accents, which CIDFonts cannot have (they have no standard encoding for
 * seac's codes to name): 30 % of a 534-glyph subset of Noto Serif CJK SC.
 * Writing the subset then sees the CFF; the output is byte for byte the
 * same. */
typedef struct subset_view {
    hb_face_t *full;
    int hide_cff; /* set while planning */
} subset_view;

static hb_blob_t *subset_face_table(hb_face_t *face, hb_tag_t tag, void *user)
{
    (void)face;
    const subset_view *v = user;
    if (hidden_from_subset(tag) || (v->hide_cff && tag == HB_TAG('C', 'F', 'F', ' ')))
        return NULL;
    return hb_face_reference_table(v->full, tag);
}

/* Whether the face's CFF is CID-keyed: its Top DICT begins with ROS
 * (12 30), as CFF (Adobe TN 5176, 18) requires of a CIDFont. */
static int cid_keyed_cff(hb_face_t *face)
{
    hb_blob_t *b = hb_face_reference_table(face, HB_TAG('C', 'F', 'F', ' '));
    unsigned len = 0;
    const unsigned char *d = (const unsigned char *)hb_blob_get_data(b, &len);
    int cid = 0;
    size_t at = len >= 4 ? d[2] : len; /* hdrSize: the Name INDEX follows */
    /* Skips the Name INDEX, then reads the Top DICT INDEX's first offset. */
    for (int idx = 0; idx < 2 && at + 2 <= len; idx++) {
        size_t count = (size_t)d[at] << 8 | d[at + 1];
        if (count == 0) {
            at += 2;
            continue;
        }
        if (at + 3 > len)
            break;
        unsigned osz = d[at + 2];
        if (osz < 1 || osz > 4 || at + 3 + (count + 1) * osz > len)
            break;
        size_t data = at + 3 + (count + 1) * osz - 1;
        size_t first = 0, last = 0;
        for (unsigned k = 0; k < osz; k++) {
            first = first << 8 | d[at + 3 + k];
            last = last << 8 | d[at + 3 + count * osz + k];
        }
        if (idx == 0) {
            at = data + last;
            continue;
        }
        /* The first operator of the first Top DICT, past its operands. */
        size_t p = data + first, end = data + last < len ? data + last : len;
        while (p < end) {
            unsigned b0 = d[p];
            if (b0 == 12) {
                cid = p + 1 < end && d[p + 1] == 30;
                break;
            }
            if (b0 <= 21)
                break;
            if (b0 == 28)
                p += 3;
            else if (b0 == 29)
                p += 5;
            else if (b0 == 30) {
                for (p++; p < end && (d[p] & 0x0F) != 0x0F && (d[p] >> 4) != 0x0F; p++)
                    ;
                p++;
            } else if (b0 >= 247 && b0 <= 254)
                p += 2;
            else
                p += 1;
        }
        break;
    }
    hb_blob_destroy(b);
    return cid;
}

bl_status bl_shaper_new(bl_shaper **out, bl_error *err)
{
    *out = NULL;
    bl_shaper *s = calloc(1, sizeof *s);
    if (!s)
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory creating the shaper");
    if (pthread_mutex_init(&s->lock, NULL) != 0) {
        free(s);
        return bl_error_set(err, BL_ERR_FONT, NULL, 0, 0, "cannot create the shaper lock");
    }
    s->lang = hb_language_from_string("zh-Hans", -1);
    *out = s;
    return BL_OK;
}

void bl_shaper_free(bl_shaper *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nents; i++) {
        if (s->ents[i].font)
            hb_font_destroy(s->ents[i].font);
        if (s->ents[i].face)
            hb_face_destroy(s->ents[i].face);
    }
    free(s->ents);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

void bl_shaper_keep_pages(bl_shaper *s, int keep)
{
    s->keep_pages = keep != 0;
}

/* The HarfBuzz face and font of f, created from the mapped file data. */
static bl_status get_hb(bl_shaper *s, const bl_font *f, hb_ent *out, bl_error *err)
{
    const bl_font_info *in = bl_font_get_info(f);
    size_t id = (size_t)in->id;
    bl_status st = BL_OK;
    pthread_mutex_lock(&s->lock);
    if (id >= s->nents) {
        hb_ent *e = realloc(s->ents, (id + 1) * sizeof *e);
        if (!e) {
            st = bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory shaping text");
            goto out;
        }
        memset(e + s->nents, 0, (id + 1 - s->nents) * sizeof *e);
        s->ents = e;
        s->nents = id + 1;
    }
    hb_ent *e = &s->ents[id];
    if (!e->font) {
        hb_blob_t *blob = hb_blob_create((const char *)in->data, (unsigned)in->size,
                                         HB_MEMORY_MODE_READONLY, NULL, NULL);
        hb_face_t *face = hb_face_create(blob, (unsigned)in->index);
        hb_blob_destroy(blob);
        if (hb_face_get_glyph_count(face) == 0) {
            hb_face_destroy(face);
            st = bl_error_set(err, BL_ERR_FONT, in->path, 0, 0,
                              "HarfBuzz cannot read face %d of the font", in->index);
            goto out;
        }
        hb_font_t *font = hb_font_create(face);
        /* Unscaled: positions come out in font units, scaled to pt by us. */
        hb_font_set_scale(font, in->units_per_em, in->units_per_em);
        hb_font_make_immutable(font);
        e->face = face;
        e->font = font;
        e->cid_keyed = in->is_cff && cid_keyed_cff(face);
    }
    *out = *e;
out:
    pthread_mutex_unlock(&s->lock);
    return st;
}

/* Marks and joiners stay in the font of the character they attach to. */
static int attaches(uint32_t cp)
{
    return (cp >= 0x0300 && cp <= 0x036F) || cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F) ||
           (cp >= 0xE0100 && cp <= 0xE01EF) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
           (cp >= 0x20D0 && cp <= 0x20FF);
}

/* Format characters that HarfBuzz hides (zero advance, nothing drawn):
 * ZWSP, ZWNJ, ZWJ, the bidi marks, WJ and the invisible operators, ZWNBSP
 * (U+FEFF), CGJ, the Mongolian vowel separator. They are never "missing"
 * from a font: they have a meaning (a break opportunity, a joiner), not a
 * glyph; the composer gives them that meaning. */
static int is_format(uint32_t cp)
{
    return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2060 && cp <= 0x2064) || cp == 0xFEFF
        || cp == 0x034F || cp == 0x180E || (cp >= 0x202A && cp <= 0x202E)
        || (cp >= 0x2066 && cp <= 0x2069);
}

/* A base with this many combining marks is shaped in pieces: HarfBuzz's
 * mark handling is quadratic in the length of a mark run, and no script
 * stacks more than a few (UAX #15's stream-safe format allows 30). */
#define MAX_MARK_RUN 30

static int is_mark(uint32_t cp)
{
    hb_unicode_general_category_t gc =
        hb_unicode_general_category(hb_unicode_funcs_get_default(), cp);
    return gc == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK
        || gc == HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK
        || gc == HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK;
}

/* Chinese quotation marks, set full-width in Chinese text (GB/T 15834 4.1:
 * 引号 take a full character space, fwid); in a Latin passage they take the
 * proportional Western forms (pwid; see latin_quote). */
static int is_quote(uint32_t cp)
{
    return cp == 0x2018 || cp == 0x2019 || cp == 0x201C || cp == 0x201D;
}

/* The code point before byte i of text (0 at the start). */
static uint32_t cp_before(const char *text, size_t i)
{
    if (i == 0)
        return 0;
    size_t j = i - 1;
    while (j > 0 && ((unsigned char)text[j] & 0xC0) == 0x80)
        j--;
    uint32_t cp = 0;
    bl_utf8_decode(text + j, i - j, &cp);
    return cp;
}

/* A quotation mark of a Latin passage: the character it encloses (after an
 * opening mark, before a closing one) is a Latin letter or digit and the
 * one on its other side is not Chinese; a closing mark goes with its
 * opening one. It keeps its proportional Western glyph: Latin text in a
 * Chinese paragraph takes Latin quotes. */
static int latin_quote(const char *text, size_t len, size_t i, size_t k, uint32_t cp)
{
    int opening = cp == 0x201C || cp == 0x2018;
    if (!opening) {
        /* A closing mark follows its opening one (looked for nearby:
         * quotes are short), so a pair is one kind or the other. */
        uint32_t open = cp == 0x201D ? 0x201C : 0x2018;
        for (size_t j = i, steps = 0; j > 0 && steps < 256; steps++) {
            do
                j--;
            while (j > 0 && ((unsigned char)text[j] & 0xC0) == 0x80);
            uint32_t c = 0;
            bl_utf8_decode(text + j, len - j, &c);
            if (c == cp)
                break; /* an earlier pair: decide this one by its neighbours */
            if (c == open)
                return latin_quote(text, len, j, 3, open);
        }
    }
    uint32_t after = 0, before = cp_before(text, i);
    if (i + k < len)
        bl_utf8_decode(text + i + k, len - i - k, &after);
    uint32_t in = opening ? after : before, out = opening ? before : after;
    int in_latin = (in >= 'A' && in <= 'Z') || (in >= 'a' && in <= 'z') || (in >= '0' && in <= '9')
                || (in >= 0xC0 && in < 0x250);
    return in_latin && !bl_is_cjk(out) && !(out >= 0x3000 && out <= 0x303F)
        && !(out >= 0xFF00 && out <= 0xFFEF);
}

/* Latin letters are shaped as script Latin so the font's Latin kerning
 * applies; everything else (Han, CJK punctuation, digits) as Han. */
static int is_latin(uint32_t cp)
{
    hb_script_t sc = hb_unicode_script(hb_unicode_funcs_get_default(), cp);
    return sc == HB_SCRIPT_LATIN;
}

typedef struct seg {
    size_t start, end; /* bytes */
    int font;          /* index in the chain, -1: no font has it */
    int latin;
} seg;

/* Shapes text[start..end) (a segment of one font and script) into glyphs. */
static bl_status shape_seg(bl_shaper *s, const bl_font *f, float size, const char *text,
                           size_t len, const seg *g, bl_glyph **glyphs, size_t *n,
                           size_t *cap, bl_arena *arena, bl_error *err)
{
    hb_ent e;
    bl_status st = get_hb(s, f, &e, err);
    if (st != BL_OK)
        return st;
    hb_buffer_t *buf = hb_buffer_create();
    hb_buffer_add_utf8(buf, text, (int)len, (unsigned)g->start, (int)(g->end - g->start));
    hb_buffer_set_direction(buf, HB_DIRECTION_LTR);
    hb_buffer_set_script(buf, g->latin ? HB_SCRIPT_LATIN : HB_SCRIPT_HAN);
    hb_buffer_set_language(buf, s->lang);
    /* A piece of a long mark run starts with a mark: no dotted circle. */
    hb_buffer_set_flags(buf, HB_BUFFER_FLAG_DO_NOT_INSERT_DOTTED_CIRCLE);
    /* fwid on the quotation marks only: elsewhere it would widen Latin. */
    hb_feature_t feats[65];
    unsigned nf = 0;
    feats[nf++] = (hb_feature_t){HB_TAG('k', 'e', 'r', 'n'), 1, HB_FEATURE_GLOBAL_START,
                                 HB_FEATURE_GLOBAL_END};
    for (size_t i = g->start; i < g->end && nf < 65;) {
        uint32_t cp;
        size_t k = bl_utf8_decode(text + i, g->end - i, &cp);
        if (k == 0)
            k = 1;
        /* A Latin passage's quotes take the proportional forms (pwid): the
         * face's default ones for zh-Hans are full-width. */
        if (is_quote(cp))
            feats[nf++] = latin_quote(text, len, i, k, cp)
                              ? (hb_feature_t){HB_TAG('p', 'w', 'i', 'd'), 1, (unsigned)i,
                                               (unsigned)(i + k)}
                              : (hb_feature_t){HB_TAG('f', 'w', 'i', 'd'), 1, (unsigned)i,
                                               (unsigned)(i + k)};
        i += k;
    }
    hb_shape(e.font, buf, feats, nf);
    unsigned count;
    hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &count);
    hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, &count);
    bl_glyph *ng = bl_arena_reserve(arena, *glyphs, cap, *n, count, sizeof *ng, 64);
    if (!ng) {
        hb_buffer_destroy(buf);
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory shaping text");
    }
    *glyphs = ng;
    float scale = size / (float)bl_font_get_info(f)->units_per_em;
    for (unsigned i = 0; i < count; i++) {
        bl_glyph *o = &(*glyphs)[(*n)++];
        o->font = f;
        o->gid = info[i].codepoint;
        o->cluster = info[i].cluster;
        o->cp = 0xFFFD;
        bl_utf8_decode(text + o->cluster, len - o->cluster, &o->cp);
        o->advance = (float)pos[i].x_advance * scale;
        o->dx = (float)pos[i].x_offset * scale;
        o->dy = (float)pos[i].y_offset * scale;
        o->flags = 0;
        if (is_quote(o->cp) && o->advance < size * 0.99f &&
            !latin_quote(text, len, o->cluster, bl_utf8_decode(text + o->cluster, len - o->cluster,
                                                               &(uint32_t){0}), o->cp) &&
            (i + 1 == count || info[i + 1].cluster != info[i].cluster)) {
            /* The face has no full-width form (LXGW WenKai has no fwid):
             * set the proportional glyph in an em box, the opening mark on
             * its right half and the closing mark on its left, next to the
             * text it encloses (GB/T 15834 4.1, CLREQ 3.1). */
            if (o->cp == 0x201C || o->cp == 0x2018)
                o->dx += size - o->advance;
            o->advance = size;
        } else if (is_quote(o->cp) && o->advance >= size * 0.75f &&
                   (i + 1 == count || info[i + 1].cluster != info[i].cluster) &&
                   latin_quote(text, len, o->cluster,
                               bl_utf8_decode(text + o->cluster, len - o->cluster,
                                              &(uint32_t){0}), o->cp)) {
            /* The face has no proportional form (FandolFang, like
             * 仿宋_GB2312, has no pwid): its own curly quote, drawn for its
             * Latin (at cap height, in the weight of its letters), set in a
             * proportional box made from its ink, as pwid forms are
             * (Source Serif's: 0.08 em outside, 0.04 em next to the text it
             * encloses). A quote from a fallback face that has pwid (Noto
             * Serif CJK) sits 0.17 em above FandolFang's capitals and is
             * heavier than its letters. */
            hb_glyph_extents_t ext;
            if (hb_font_get_glyph_extents(e.font, info[i].codepoint, &ext) && ext.width > 0) {
                int opening = o->cp == 0x201C || o->cp == 0x2018;
                float outer = 0.08f * size, inner = 0.04f * size;
                o->dx += (opening ? outer : inner) - (float)ext.x_bearing * scale;
                o->advance = (float)ext.width * scale + outer + inner;
            }
        }
    }
    hb_buffer_destroy(buf);
    return BL_OK;
}

bl_status bl_shape_text(bl_shaper *s, const bl_fontchain *chain, float size, const char *text,
                        size_t len, bl_arena *arena, bl_glyph **out, size_t *nout,
                        bl_error *err)
{
    *out = NULL;
    *nout = 0;
    if (!chain || chain->nfonts == 0)
        return bl_error_set(err, BL_ERR_USAGE, NULL, 0, 0, "shaping needs a font chain");
    bl_glyph *glyphs = NULL;
    size_t n = 0, cap = 0;
    /* Room for one glyph per character up front: growing by doubling
     * inside an arena would keep every smaller copy (a megabyte paragraph
     * is a million glyphs). */
    for (size_t b = 0; b < len; b++)
        cap += ((unsigned char)text[b] & 0xC0) != 0x80;
    cap += 8;
    glyphs = bl_arena_alloc(arena, cap * sizeof *glyphs);
    if (!glyphs)
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory shaping text");
    const bl_font *primary = chain->fonts[0];
    /* A tab is white space (UAX #14 BA, a breaking space): shaped as a
     * space, byte for byte, so the clusters still index text. */
    if (memchr(text, '\t', len)) {
        char *copy = bl_arena_alloc(arena, len);
        if (!copy)
            return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory shaping text");
        for (size_t b = 0; b < len; b++)
            copy[b] = text[b] == '\t' ? ' ' : text[b];
        text = copy;
    }
    size_t i = 0, marks = 0;
    seg cur = {0, 0, 0, 0};
    int have = 0;
    while (i <= len) {
        uint32_t cp = 0;
        size_t k = 0;
        int fi = 0, latin = 0;
        if (i < len) {
            k = bl_utf8_decode(text + i, len - i, &cp);
            if (k == 0) {
                k = 1;
                cp = 0xFFFD;
            }
            fi = -1;
            for (size_t j = 0; j < chain->nfonts; j++)
                if (bl_font_has_char(chain->fonts[j], cp)) {
                    fi = (int)j;
                    break;
                }
            if (fi < 0 && is_format(cp))
                fi = have && cur.font >= 0 ? cur.font : 0;
            latin = is_latin(cp);
            /* Marks follow their base; neutral characters (digits, spaces,
             * Western punctuation) stay in the current segment's font and
             * script when that font has them. */
            int neutral = !latin && !bl_is_cjk(cp) && !is_quote(cp);
            if (have && cur.font >= 0 &&
                (attaches(cp) ||
                 (neutral && bl_font_has_char(chain->fonts[cur.font], cp)))) {
                fi = cur.font;
                latin = cur.latin;
            }
        }
        /* Missing characters are one segment each: one .notdef per character. */
        int brk = i == len || !have || fi != cur.font || latin != cur.latin || fi < 0;
        marks = i < len && is_mark(cp) ? marks + 1 : 0;
        if (marks > MAX_MARK_RUN) {
            brk = 1;
            marks = 1;
        }
        if (brk && have) {
            if (cur.font < 0) {
                bl_glyph *ng = bl_arena_reserve(arena, glyphs, &cap, n, 1, sizeof *ng, 64);
                if (!ng)
                    return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0,
                                        "out of memory shaping text");
                glyphs = ng;
                bl_glyph *o = &glyphs[n++];
                o->font = primary;
                o->gid = 0;
                o->cluster = (uint32_t)cur.start;
                bl_utf8_decode(text + cur.start, len - cur.start, &o->cp);
                o->advance = (float)bl_font_glyph_advance(primary, 0) * size /
                             (float)bl_font_get_info(primary)->units_per_em;
                o->dx = o->dy = 0;
                o->flags = BL_GLYPH_MISSING;
            } else {
                bl_status st = shape_seg(s, chain->fonts[cur.font], size, text, len, &cur,
                                         &glyphs, &n, &cap, arena, err);
                if (st != BL_OK)
                    return st;
            }
            have = 0;
        }
        if (i == len)
            break;
        if (!have) {
            cur.start = i;
            cur.font = fi;
            cur.latin = latin;
            have = 1;
        }
        cur.end = i + k;
        i += k;
    }
    *out = glyphs;
    *nout = n;
    return BL_OK;
}

/* The face of font and a subset input holding .notdef and the glyphs gids
 * (those the face has), for the two ways of subsetting below. */
static bl_status subset_input(bl_shaper *s, const bl_font *font, const uint32_t *gids,
                              size_t n, hb_ent *e, hb_subset_input_t **input, bl_error *err)
{
    bl_status st = get_hb(s, font, e, err);
    if (st != BL_OK)
        return st;
    if (!(*input = hb_subset_input_create_or_fail()))
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory subsetting a font");
    unsigned num_glyphs = bl_font_get_info(font)->num_glyphs;
    hb_set_t *glyphs = hb_subset_input_glyph_set(*input);
    hb_set_add(glyphs, 0);
    for (size_t i = 0; i < n; i++)
        if (gids[i] < num_glyphs)
            hb_set_add(glyphs, gids[i]);
    return BL_OK;
}

bl_status bl_shape_subset(bl_shaper *s, const bl_font *font, const uint32_t *gids, size_t n,
                          uint32_t *new_gids, unsigned char **data, size_t *len, bl_error *err)
{
    *data = NULL;
    *len = 0;
    const bl_font_info *in = bl_font_get_info(font);
    hb_ent e;
    hb_subset_input_t *input;
    bl_status st = subset_input(s, font, gids, n, &e, &input, err);
    if (st != BL_OK)
        return st;
    /* Every table but those the embedding reads: the others would only be
     * subset to be thrown away. */
    hb_set_t *drop = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
    hb_set_clear(drop);
    hb_tag_t tags[64];
    unsigned ntags = 64;
    hb_face_get_table_tags(e.face, 0, &ntags, tags);
    const char *const *keep = in->is_cff ? keep_cff : keep_ttf;
    size_t nkeep = in->is_cff ? sizeof keep_cff / sizeof *keep_cff
                              : sizeof keep_ttf / sizeof *keep_ttf;
    for (unsigned t = 0; t < ntags; t++) {
        size_t k = 0;
        while (k < nkeep && hb_tag_from_string(keep[k], 4) != tags[t])
            k++;
        if (k == nkeep)
            hb_set_add(drop, tags[t]);
    }
    /* Nothing should be kept for characters: the subset is addressed by
     * glyph ids only. */
    hb_set_clear(hb_subset_input_unicode_set(input));
    /* CFF: the charset keeps the original CIDs, so codes stay the full font's
     * glyph ids. TrueType has no CIDs: the glyphs are renumbered and the
     * caller maps codes to them (/CIDToGIDMap). Retaining the ids instead
     * left LXGW WenKai's 91 glyphs in a 29,000-slot font of 190 KB, most of
     * it loca and hmtx entries of empty glyphs, written and deflated for
     * every document. */
    hb_subset_input_set_flags(input,
                              HB_SUBSET_FLAGS_DESUBROUTINIZE | HB_SUBSET_FLAGS_NOTDEF_OUTLINE);
    /* A view of this call's own, so hiding the CFF while planning is not
     * seen by other threads; the full face outlives it. */
    subset_view view = {e.face, e.cid_keyed};
    hb_face_t *vf = hb_face_create_for_tables(subset_face_table, &view, NULL);
    hb_face_set_index(vf, (unsigned)in->index);
    hb_face_set_upem(vf, hb_face_get_upem(e.face));
    hb_face_set_glyph_count(vf, hb_face_get_glyph_count(e.face));
    hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(vf, input);
    hb_subset_input_destroy(input);
    view.hide_cff = 0;
    if (!plan) {
        hb_face_destroy(vf);
        return bl_error_set(err, BL_ERR_FONT, in->path, 0, 0,
                            "HarfBuzz cannot plan a subset of face %d of the font", in->index);
    }
    const hb_map_t *old_to_new = hb_subset_plan_old_to_new_glyph_mapping(plan);
    for (size_t i = 0; i < n; i++) {
        hb_codepoint_t g = hb_map_get(old_to_new, gids[i]);
        new_gids[i] = in->is_cff ? gids[i] : g == HB_MAP_VALUE_INVALID ? 0 : g;
    }
    hb_face_t *sub = hb_subset_plan_execute_or_fail(plan);
    hb_subset_plan_destroy(plan);
    hb_face_destroy(vf);
    if (!sub)
        return bl_error_set(err, BL_ERR_FONT, in->path, 0, 0,
                            "HarfBuzz cannot subset face %d of the font", in->index);
    hb_blob_t *blob = in->is_cff ? hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' '))
                                 : hb_face_reference_blob(sub);
    unsigned bl = 0;
    const char *bd = hb_blob_get_data(blob, &bl);
    if (bl == 0) {
        hb_blob_destroy(blob);
        hb_face_destroy(sub);
        return bl_error_set(err, BL_ERR_FONT, in->path, 0, 0,
                            "the subset of face %d has no %s outlines", in->index,
                            in->is_cff ? "CFF" : "TrueType");
    }
    unsigned char *copy = malloc(bl);
    if (copy)
        memcpy(copy, bd, bl);
    hb_blob_destroy(blob);
    hb_face_destroy(sub);
    /* Subsetting reads outlines and subroutines all over a CJK face: about
     * half of the pages of Noto Serif CJK's 15 MB CFF end up mapped (the
     * kernel maps 64 KB around each fault). They are clean pages of the
     * font file, mapped again from the page cache when next needed, so one
     * document lets them go rather than hold every font's until the end
     * (sample: 38.5 -> 26.6 MiB peak). A batch keeps them: mapping them
     * again for every document cost it 7 % more CPU time. */
    if (!s->keep_pages)
        madvise((void *)in->data, in->size, MADV_DONTNEED);
    if (!copy)
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory subsetting a font");
    *data = copy;
    *len = bl;
    return BL_OK;
}

bl_status bl_shape_subset_otf(bl_shaper *s, const bl_font *font, const uint32_t *gids, size_t n,
                              const uint32_t *cps, size_t ncp, uint32_t *new_gids,
                              uint32_t *cp_gids, unsigned char **data, size_t *len,
                              bl_error *err)
{
    *data = NULL;
    *len = 0;
    const bl_font_info *in = bl_font_get_info(font);
    hb_ent e;
    hb_subset_input_t *input;
    bl_status st = subset_input(s, font, gids, n, &e, &input, err);
    if (st != BL_OK)
        return st;
    hb_set_t *unicodes = hb_subset_input_unicode_set(input);
    for (size_t i = 0; i < ncp; i++)
        hb_set_add(unicodes, cps[i]);
    hb_set_t *drop = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (size_t i = 0; i < sizeof drop_tables / sizeof *drop_tables; i++)
        hb_set_add(drop, hb_tag_from_string(drop_tables[i], 4));
    /* The readers draw what the file says, so keep .notdef's outline; keep
     * the subroutines (smaller, and any CFF reader handles them). */
    hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NOTDEF_OUTLINE);
    hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(e.face, input);
    hb_subset_input_destroy(input);
    if (!plan)
        return bl_error_set(err, BL_ERR_FONT, in->path, 0, 0,
                            "HarfBuzz cannot plan a subset of face %d of the font", in->index);
    const hb_map_t *old_to_new = hb_subset_plan_old_to_new_glyph_mapping(plan);
    const hb_map_t *cmap = hb_subset_plan_unicode_to_old_glyph_mapping(plan);
    for (size_t i = 0; i < n; i++) {
        hb_codepoint_t g = hb_map_get(old_to_new, gids[i]);
        new_gids[i] = g == HB_MAP_VALUE_INVALID ? 0 : g;
    }
    for (size_t i = 0; cp_gids && i < ncp; i++) {
        hb_codepoint_t old = hb_map_get(cmap, cps[i]);
        hb_codepoint_t g = old == HB_MAP_VALUE_INVALID ? HB_MAP_VALUE_INVALID
                                                       : hb_map_get(old_to_new, old);
        cp_gids[i] = g == HB_MAP_VALUE_INVALID ? 0 : g;
    }
    hb_face_t *sub = hb_subset_plan_execute_or_fail(plan);
    hb_subset_plan_destroy(plan);
    if (!sub)
        return bl_error_set(err, BL_ERR_FONT, in->path, 0, 0,
                            "HarfBuzz cannot subset face %d of the font", in->index);
    hb_blob_t *blob = hb_face_reference_blob(sub);
    unsigned bl = 0;
    const char *bd = hb_blob_get_data(blob, &bl);
    unsigned char *copy = bl ? malloc(bl) : NULL;
    if (copy)
        memcpy(copy, bd, bl);
    hb_blob_destroy(blob);
    hb_face_destroy(sub);
    if (bl == 0)
        return bl_error_set(err, BL_ERR_FONT, in->path, 0, 0,
                            "the OpenType subset of face %d is empty", in->index);
    if (!copy)
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory subsetting a font");
    *data = copy;
    *len = bl;
    return BL_OK;
}
