/* layout.h - the bulletin page: the document tree set on pages.
 *
 * Turns a parsed issue into a display list (display.h) following a layout
 * (style.h): the red masthead, the 目录, the articles, the sections of items,
 * the 版记 and the page numbers, on the GB/T 9704 grid. Shapes text through
 * `shape`, composes paragraphs through `linebreak`; never draws. */
#ifndef BL_LAYOUT_H
#define BL_LAYOUT_H

#include "../base/arena.h"
#include "../base/error.h"
#include "../display/display.h"
#include "../font/font.h"
#include "../linebreak/linebreak.h"
#include "../parse/parse.h"
#include "../shape/shape.h"
#include "style.h"

typedef struct bl_layout_env {
    bl_fontcache *fonts;  /* process-wide font cache */
    bl_shaper *shaper;    /* process-wide shaper */
    const bl_warner *warner; /* warnings (missing glyphs, ...); may be NULL */
    const char *creator;  /* Info /Creator, e.g. "bulletin 0.1.0" */
    long long source_date_epoch; /* >= 0: the creation date; < 0: the issue date */
    /* When set, each page is handed over as soon as it is laid out (pages 0,
     * 1, ... in order, each once; the last ones at the end), and the text
     * and glyphs on it are let go after: the document's glyphs are never
     * all in memory at once. The display returned then has its pages (size,
     * label) without their items. NULL: the display keeps everything. */
    bl_status (*page_done)(void *ctx, const bl_display *d, size_t index, bl_error *err);
    void *page_ctx;
} bl_layout_env;

/* Lays out doc with style. The display list and everything in it are
 * allocated from arena (and borrow the fonts of env->fonts; with
 * env->page_done, the pages' text is handed over and let go instead of
 * kept). Errors carry the
 * input file and the position of the text that could not be placed (a word
 * wider than the measure, a missing font role). */
bl_status bl_layout_document(const bl_doc *doc, const bl_style *style,
                             const bl_layout_env *env, bl_arena *arena, bl_display **out,
                             bl_error *err);

#endif
