/* font.h - finding and opening fonts: the only module that sees fontconfig
 * and FreeType.
 *
 * A bl_fontcache lives for the whole process (a batch renders many documents
 * with it). Layouts name fonts by role, each role a list of fontconfig
 * patterns tried in order; bl_fontcache_chain turns such a list into a
 * bl_fontchain: the fonts found, primary first, then fallbacks that cover
 * characters the primary lacks. Fonts are opened once and memory-mapped; all
 * query functions are read-only and safe to call from several threads once a
 * chain has been obtained (bl_fontcache_chain itself locks). */
#ifndef BL_FONT_H
#define BL_FONT_H

#include <stddef.h>
#include <stdint.h>

#include "../base/error.h"

typedef struct bl_fontcache bl_fontcache;
typedef struct bl_font bl_font;

/* An ordered list of fonts for one role: fonts[0] is the primary face. */
typedef struct bl_fontchain {
    const bl_font *const *fonts;
    size_t nfonts;
} bl_fontchain;

/* What the shaper and the PDF backend need to know about a face. */
typedef struct bl_font_info {
    int id;                    /* small integer, unique within the cache, from 0 */
    const char *path;          /* the font file */
    int index;                 /* face index in a collection (.ttc) */
    const char *family;        /* e.g. "Noto Serif CJK SC" */
    const char *style;         /* e.g. "Bold" */
    const char *postscript_name; /* e.g. "NotoSerifCJKsc-Bold" */
    int is_cff;                /* 1: CFF outlines (CIDFontType0), 0: TrueType */
    int units_per_em;
    int ascender, descender;   /* font units, typographic (OS/2 or hhea) */
    int cap_height;            /* font units */
    int bbox[4];               /* xMin yMin xMax yMax, font units */
    int italic_angle;          /* degrees */
    int weight;                /* OS/2 usWeightClass */
    unsigned num_glyphs;
    const unsigned char *data; /* the whole font file, mapped (shared by a .ttc's faces) */
    size_t size;
} bl_font_info;

/* Creates the cache. fonts_dir: the project's fonts/ folder holding its own
 * fontconfig configuration (fonts.conf) and pinned font files; NULL to use
 * the system configuration only. Fails with BL_ERR_FONT if fontconfig cannot
 * be initialised. Free with bl_fontcache_free. */
bl_status bl_fontcache_new(const char *fonts_dir, bl_fontcache **out, bl_error *err);

/* Releases the cache and every font it opened. NULL is a no-op. */
void bl_fontcache_free(bl_fontcache *cache);

/* The fonts for a role described by fontconfig patterns tried in order
 * (e.g. "方正小标宋简体", "Noto Serif CJK SC:weight=black"). The first pattern
 * that matches an installed font gives the primary face (a pattern that only
 * matches through fontconfig's generic substitution does not count); the
 * cache's CJK fallbacks follow. The chain is owned by the cache (borrowed
 * until bl_fontcache_free) and the same patterns give the same chain.
 * Fails with BL_ERR_FONT naming the patterns when none matches. */
bl_status bl_fontcache_chain(bl_fontcache *cache, const char *const *patterns,
                             size_t npatterns, const bl_fontchain **out, bl_error *err);

/* The first font of the chain that has a glyph for cp, or NULL if none has. */
const bl_font *bl_fontchain_pick(const bl_fontchain *chain, uint32_t cp);

/* Whether the face maps cp to a glyph. */
int bl_font_has_char(const bl_font *font, uint32_t cp);

/* Facts about the face (borrowed). */
const bl_font_info *bl_font_get_info(const bl_font *font);

/* Horizontal advance of glyph gid in font units (0 for an unknown gid). */
int bl_font_glyph_advance(const bl_font *font, uint32_t gid);

/* ---- glyph outlines (for writers that draw glyphs as paths, e.g. SVG) ----- */

/* Receives one glyph's outline in font units, y up, origin at the glyph's
 * origin: each contour is a move_to, segments, then close. Quadratic
 * (TrueType) and cubic (CFF) segments come as the font has them. */
typedef struct bl_outline_sink {
    void *ctx;
    void (*move_to)(void *ctx, double x, double y);
    void (*line_to)(void *ctx, double x, double y);
    void (*quad_to)(void *ctx, double cx, double cy, double x, double y);
    void (*cubic_to)(void *ctx, double c1x, double c1y, double c2x, double c2y, double x,
                     double y);
    void (*close)(void *ctx);
} bl_outline_sink;

/* Reads glyph outlines. It has its own FreeType instance and the faces it
 * opened, so each thread (each writer) uses its own outliner; fonts must
 * outlive it. Free with bl_outliner_free. */
typedef struct bl_outliner bl_outliner;

bl_status bl_outliner_new(bl_outliner **out, bl_error *err);

/* NULL is a no-op. */
void bl_outliner_free(bl_outliner *o);

/* Sends the unhinted outline of glyph gid of font to sink (nothing for an
 * empty glyph such as a space). Fails with BL_ERR_FONT naming the font when
 * the glyph cannot be loaded (an unknown gid included). */
bl_status bl_font_glyph_outline(bl_outliner *o, const bl_font *font, uint32_t gid,
                                const bl_outline_sink *sink, bl_error *err);

#endif
