/* shape.h - shaping text into glyphs and subsetting fonts: the only module
 * that sees HarfBuzz.
 *
 * A bl_shaper lives for the process, like the font cache, and keeps one
 * HarfBuzz face per bl_font. Shaping is per run of one role and size: the
 * text is split where the chain's fallback fonts must take over (a character
 * the primary face lacks), each piece shaped as script Han, language zh-Hans,
 * with Chinese quotation marks in their full-width forms. Safe to call from
 * several threads. */
#ifndef BL_SHAPE_H
#define BL_SHAPE_H

#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/error.h"
#include "../font/font.h"

typedef struct bl_shaper bl_shaper;

enum {
    BL_GLYPH_MISSING = 1 /* no font of the chain has the character: gid is .notdef */
};

typedef struct bl_glyph {
    const bl_font *font; /* the face the glyph comes from */
    uint32_t gid;        /* glyph id in the full font (= CID in Noto's CID-keyed CFF) */
    uint32_t cluster;    /* byte offset in the shaped text of the first character shown */
    uint32_t cp;         /* that character */
    float advance;       /* horizontal advance, pt at the shaped size */
    float dx, dy;        /* offsets, pt */
    unsigned flags;      /* BL_GLYPH_* */
} bl_glyph;

/* Creates a shaper. Free with bl_shaper_free after every use of its results. */
bl_status bl_shaper_new(bl_shaper **out, bl_error *err);

/* NULL is a no-op. */
void bl_shaper_free(bl_shaper *shaper);

/* Whether the fonts' file pages stay mapped after a subset, for the next
 * document to use (keep != 0: a batch), or are let go after each subset
 * (the default: one document, a lower peak of memory; subsetting maps
 * about half of a CJK face's outlines). */
void bl_shaper_keep_pages(bl_shaper *shaper, int keep);

/* Shapes text[0..len) (UTF-8, no newlines) with the chain's fonts at size pt.
 * Glyphs come in logical order in *out (allocated from arena), *nout of them;
 * every character of the text is covered by exactly one glyph's cluster range
 * (clusters ascend). A character that no font of the chain has gets the
 * primary font's .notdef with BL_GLYPH_MISSING set: never dropped. */
bl_status bl_shape_text(bl_shaper *shaper, const bl_fontchain *chain, float size,
                        const char *text, size_t len, bl_arena *arena, bl_glyph **out,
                        size_t *nout, bl_error *err);

/* Builds the embeddable subset of font holding gids[0..n) (and .notdef).
 * For a CFF face *data holds the bare CFF table (for /FontFile3
 * /CIDFontType0C), whose charset keeps the full font's CIDs, so content
 * streams use the original glyph ids as codes, and new_gids[i] = gids[i].
 * For a TrueType face it holds a TrueType file to embed as /FontFile2, its
 * glyphs renumbered compactly: new_gids[i] receives the subset's id of
 * gids[i] (0 for an id the face does not have), for a /CIDToGIDMap from
 * the original ids (the codes) to the subset's. *data is malloc'd; the
 * caller frees. */
bl_status bl_shape_subset(bl_shaper *shaper, const bl_font *font, const uint32_t *gids,
                          size_t n, uint32_t *new_gids, unsigned char **data, size_t *len,
                          bl_error *err);

/* Builds a standalone OpenType font file from font, for formats that embed
 * a font a reader loads by itself (OFD's FontFile): the glyphs gids[0..n)
 * and .notdef, their outlines (CFF-flavoured OpenType for a CFF face, glyf
 * for TrueType), horizontal metrics, names, and a cmap that maps every one
 * of cps[0..ncp) the face maps (the glyph the face's cmap gives it joins the
 * subset when it is not among gids). Glyphs are renumbered compactly, in
 * the order of their ids in the full font: new_gids[i] receives the
 * subset's id of gids[i] (0 when the face has no such glyph), and
 * cp_gids[i] the subset's glyph for cps[i] (0 when the face lacks it), so a
 * caller can tell where the shaped glyph is not the cmap's and say so.
 * *data is malloc'd; the caller frees. */
bl_status bl_shape_subset_otf(bl_shaper *shaper, const bl_font *font, const uint32_t *gids,
                              size_t n, const uint32_t *cps, size_t ncp, uint32_t *new_gids,
                              uint32_t *cp_gids, unsigned char **data, size_t *len,
                              bl_error *err);

#endif
