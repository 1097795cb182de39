/* display.h - the display list: laid-out pages of positioned glyph runs and
 * rules, the hand-over from layout to the PDF backend.
 *
 * Layout builds it; the PDF backend only draws it, and --dump-layout writes it
 * as JSON. All coordinates are PostScript points with the origin at the
 * bottom-left corner of the page (PDF's user space). Everything is allocated
 * from the arena given to bl_display_new and lives as long as it, except what
 * bl_display_add_text_shared is given (layout's runs: in that arena too, or,
 * when layout hands pages to a writer as it finishes them, freed with the
 * page once it is written: then the page's items are emptied). */
#ifndef BL_DISPLAY_H
#define BL_DISPLAY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../base/arena.h"
#include "../base/error.h"
#include "../font/font.h"

typedef enum bl_colorspace { BL_GRAY, BL_RGB, BL_CMYK } bl_colorspace;

typedef struct bl_color {
    bl_colorspace space;
    float v[4]; /* 0..1: gray in v[0]; r g b; c m y k */
} bl_color;

/* bl_dl_glyph.flags: what the composer did to the glyph's cluster. */
enum {
    BL_DLG_TRIM_LEFT = 1,   /* blank trimmed off its left (an opening mark set ½ 字):
                               its origin lies that much left of its room */
    BL_DLG_TRIM_RIGHT = 2,  /* blank trimmed off its right (a closing mark set ½ 字) */
    BL_DLG_SPACE_AFTER = 4, /* the gap after it stands for a space of the source
                               (a typed space set as a gap): readers should see a
                               word break there, and nowhere else on the line */
    BL_DLG_CONT = 8         /* the 2nd.. glyph of a cluster: shows no text of its own */
};

/* A run's text is exactly the concatenation of its clusters' texts in glyph
 * order, so a glyph needs only where its cluster's text starts: it ends where
 * the next cluster's starts (bl_dl_glyph_text). */
typedef struct bl_dl_glyph {
    /* Fields ordered and sized for a 16-byte record (there is one per glyph
     * of the document: 10 MB of Latin words is 10 million of them). */
    uint16_t gid;      /* glyph id in the full font (OpenType's are 16-bit) */
    uint8_t flags;     /* BL_DLG_* */
    float x;           /* origin relative to the run's origin, pt (y: the run's glyph_y) */
    uint32_t text_off; /* where its cluster's characters start: run text bytes */
    float advance;     /* set advance: from its origin to the end of the room it
                          takes on the line, pt (the composer's, after trims and
                          letter-spacing; justification space is not in it) */
} bl_dl_glyph;
_Static_assert(sizeof(bl_dl_glyph) == 16, "bl_dl_glyph grew: one per glyph of the document");

typedef struct bl_dl_text {
    const bl_font *font;
    float size;               /* pt */
    bl_color color;
    float x, y;               /* baseline origin of the run, pt */
    const char *text;         /* UTF-8 of what the run shows, NUL-terminated */
    size_t text_len;
    const bl_dl_glyph *glyphs;
    size_t nglyphs;
    const char *role;         /* the font role, for the dump ("正文", ...) */
    const char *element;      /* what it is, for the dump ("body", "title", ...);
                                 also what it is in a tagged PDF's structure */
    uint32_t para;            /* the paragraph it belongs to: runs set together
                                 (all lines of a paragraph, on any page) share a
                                 number, counted from 1 in reading order; 0 none */
    const float *glyph_y;     /* each glyph's origin above the run's baseline, pt
                                 (mark positioning): NULL when all are 0 */
} bl_dl_text;

/* The characters glyph k of t shows, *s set to them: its cluster's text for
 * the first glyph of a cluster, none (0) for the others; clamped to the run. */
size_t bl_dl_glyph_text(const bl_dl_text *t, size_t k, const char **s);

/* Glyph k's origin above the run's baseline, pt. */
static inline float bl_dl_glyph_y(const bl_dl_text *t, size_t k)
{
    return t->glyph_y ? t->glyph_y[k] : 0.0f;
}

/* Where a run's last glyph ends its room (the run's right edge), pt, absolute. */
float bl_dl_text_end(const bl_dl_text *t);

typedef struct bl_dl_rule {
    float x0, y0, x1, y1; /* a stroked straight line, pt */
    float width;          /* line width, pt */
    bl_color color;
    const char *element;
} bl_dl_rule;

typedef enum bl_dl_kind { BL_DL_TEXT, BL_DL_RULE } bl_dl_kind;

typedef struct bl_dl_item {
    bl_dl_kind kind;
    union {
        bl_dl_text text;
        bl_dl_rule rule;
    } u;
} bl_dl_item;

typedef struct bl_dl_page {
    float width, height; /* pt */
    const char *label;   /* printed page number ("1") or NULL when unnumbered */
    const char *short_note; /* for the dump: why the page ends short (a keep rule), or NULL */
    bl_dl_item *items;
    size_t nitems, cap;
} bl_dl_page;

typedef struct bl_dl_outline {
    const char *title;
    int level;     /* 0 top level, 1 below the previous level-0 entry */
    size_t page;   /* 0-based page index */
    float y;       /* top of the target, pt */
} bl_dl_outline;

typedef struct bl_dl_info {
    const char *title, *author, *subject, *creator, *keywords;
    /* creation date; year 0 means none is written */
    int year, month, day, hour, minute, second;
} bl_dl_info;

typedef struct bl_display {
    bl_arena *arena;
    bl_dl_page *pages;
    size_t npages, cap_pages;
    bl_dl_item *open;         /* the newest page's item buffer, reused by the next */
    size_t open_cap;
    bl_dl_outline *outlines;
    size_t noutlines, cap_outlines;
    bl_dl_info info;
} bl_display;

/* A new empty display list allocated from arena (NULL when out of memory). */
bl_display *bl_display_new(bl_arena *arena);

/* Appends a page; returns it (NULL when out of memory). The previous page's
 * items are then moved to an array of their exact size: items are best added
 * to the newest page (adding to an older one copies its array). Pointers to
 * pages are invalidated. */
bl_dl_page *bl_display_add_page(bl_display *d, float width, float height);

/* Appends a copy of *t (its text, glyphs and glyph_y copied too) to page. */
bl_status bl_display_add_text(bl_display *d, bl_dl_page *page, const bl_dl_text *t,
                              bl_error *err);

/* Like bl_display_add_text, but keeps t's text and glyph arrays instead of
 * copying them: they must live as long as the display (layout allocates them
 * from the display's arena). */
bl_status bl_display_add_text_shared(bl_display *d, bl_dl_page *page, const bl_dl_text *t,
                                     bl_error *err);

/* Appends a copy of *r to page. */
bl_status bl_display_add_rule(bl_display *d, bl_dl_page *page, const bl_dl_rule *r,
                              bl_error *err);

/* Appends an outline entry (title copied). */
bl_status bl_display_add_outline(bl_display *d, const char *title, int level,
                                 size_t page, float y, bl_error *err);

/* Copies s into the display's arena (NULL when out of memory). */
const char *bl_display_strdup(bl_display *d, const char *s);

/* Writes the display list as JSON (pages, every text run with its text, font,
 * size, baseline and x extent, every rule), numbers locale-independent with
 * fixed precision so dumps diff cleanly. */
bl_status bl_display_dump_json(const bl_display *d, FILE *out, bl_error *err);

/* A device colour from a bl_color: "0 1 1 0" formatted etc. is the backend's
 * business; this helper formats a number with '.' whatever the locale, at
 * most `decimals` decimals, trailing zeros removed. buf needs 32 bytes. */
const char *bl_fmt_num(char *buf, double v, int decimals);

#endif
