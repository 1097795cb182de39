/* glyphs.h - which glyphs of which fonts a display list uses, and the text
 * each glyph shows: the bookkeeping every output format needs to subset and
 * embed fonts (PDF, OFD) and to map glyphs back to text (a PDF's ToUnicode).
 *
 * Built once per document from the finished display list (or page by page as
 * pages are laid out), read-only after. */
#ifndef BL_GLYPHS_H
#define BL_GLYPHS_H

#include <stddef.h>
#include <stdint.h>

#include "../base/error.h"
#include "../font/font.h"
#include "display.h"

typedef struct bl_glyph_usage bl_glyph_usage;

/* Collects the fonts d's text runs use (in order of first use on the pages)
 * and, per font, the glyph ids used and the characters each glyph shows (the
 * first text seen for a glyph; .notdef shows none). Fails only with
 * BL_ERR_NOMEM. Free with bl_glyph_usage_free. */
bl_status bl_glyph_usage_new(const bl_display *d, bl_glyph_usage **out, bl_error *err);

/* The same, page by page, for a writer that gets the pages as they are laid
 * out: an empty usage (NULL when out of memory), each page added in order
 * (fonts keep their order of first use), then finished (the gids lists are
 * made; read them only after). */
bl_glyph_usage *bl_glyph_usage_begin(void);
bl_status bl_glyph_usage_add_page(bl_glyph_usage *u, const bl_dl_page *pg, bl_error *err);
bl_status bl_glyph_usage_finish(bl_glyph_usage *u, bl_error *err);

/* NULL is a no-op. */
void bl_glyph_usage_free(bl_glyph_usage *u);

/* The number of fonts used, and font i (0-based, order of first use). */
size_t bl_glyph_usage_nfonts(const bl_glyph_usage *u);
const bl_font *bl_glyph_usage_font(const bl_glyph_usage *u, size_t i);

/* The index of font f, or -1 when the document does not use it. */
long bl_glyph_usage_index(const bl_glyph_usage *u, const bl_font *f);

/* The glyph ids of font i that are used, ascending (borrowed), *n of them. */
const uint32_t *bl_glyph_usage_gids(const bl_glyph_usage *u, size_t i, size_t *n);

/* The code points glyph gid of font i shows (borrowed), *n of them; NULL and
 * 0 when it shows none (.notdef, or a glyph that is not the first of its
 * cluster). */
const uint32_t *bl_glyph_usage_text(const bl_glyph_usage *u, size_t i, uint32_t gid,
                                    size_t *n);

#endif
