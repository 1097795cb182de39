/* linebreak.h - Chinese paragraph composition: breaking a shaped paragraph
 * into lines by the rules of GB/T 15834-2011 and W3C CLREQ, compressing
 * punctuation and justifying to the measure.
 *
 * Pure computation on caller data: it sees neither fonts, pages nor PDF. The
 * caller hands over the paragraph's UTF-8 text cut into items (one per
 * character cluster, in logical order) with their natural widths; the
 * composer returns lines with each item's final position. */
#ifndef BL_LINEBREAK_H
#define BL_LINEBREAK_H

#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/error.h"

typedef struct bl_lb_item {
    uint32_t text_off; /* the cluster's bytes in the paragraph text */
    uint32_t text_len;
    float width;       /* natural advance, pt */
    float em;          /* the font size, pt: one 字 for this item */
} bl_lb_item;

typedef enum bl_lb_align {
    BL_ALIGN_JUSTIFY, /* every line but the last fills the measure; last flush left */
    BL_ALIGN_LEFT,
    BL_ALIGN_CENTER,
    BL_ALIGN_RIGHT
} bl_lb_align;

typedef struct bl_lb_params {
    float measure;      /* line length, pt */
    float first_indent; /* left indent of the first line, pt (2 字 for body; with
                           a grid, 2 pitches keep the grid) */
    float indent;       /* left indent of the other lines, pt (hanging indents) */
    bl_lb_align align;
    int balance;        /* for titles: lines of near-equal length, broken at
                           word boundaries (centred titles that wrap) */
    float grid;         /* if > 0, the character pitch of the grid, pt: full
                           lines of plain Han text hold measure/grid characters */
    float hyphen;       /* if > 0, the advance of a hyphen in em: Latin words
                           of 6 letters or more may then be hyphenated (libhyphen,
                           en-US patterns) where nothing better breaks the line */
} bl_lb_params;

typedef struct bl_lb_line {
    size_t first, count; /* items [first, first+count) */
    float left;          /* x of the line's start relative to the measure's left edge */
    float width;         /* set width of the line, pt */
    const float *x;      /* count entries: x of each item's glyph origin relative
                            to the measure's left edge (left included); a mark
                            trimmed on its left half has its origin moved left
                            by the trimmed amount */
    const unsigned char *hidden; /* count entries: 1 for an item not drawn
                            (a space at a break, a typed space replaced by a gap) */
    const float *advance; /* count entries: the room the item takes on the line,
                            pt: its natural width less the blank it gave up
                            (compressed punctuation, a shrunk space); 0 when
                            hidden. Justification space between items is not
                            included: it lies between one item's x + advance
                            and the next item's x */
    const float *trim_left; /* count entries: the blank trimmed off the item's
                            left side, pt (its origin is x, already moved left
                            by it); the right trim is width - trim_left - advance */
    float hyphen;        /* > 0: the line ends inside a word and the caller
                            draws a hyphen this wide (pt) at left + width - hyphen
                            (width includes it) */
} bl_lb_line;

typedef struct bl_lb_result {
    const bl_lb_line *lines;
    size_t nlines;
    size_t measured; /* candidate lines measured: the work done, which tests
                        bound to grow linearly with n (never timed) */
    const size_t *emergency; /* items that start a line after an emergency
                        break (a unit wider than the measure, such as a long
                        URL or word, broken between any two characters): the
                        caller warns about each */
    size_t nemergency;
    size_t error_item; /* on BL_ERR_LAYOUT: the first item of the unit that
                          does not fit, for the caller's file:line:col */
} bl_lb_result;

/* Composes a paragraph. text[0..len) is the paragraph; items[0..n) cover it
 * in order. Everything in *out is allocated from arena (scratch memory is
 * released before return). A justified line ends exactly at measure
 * (left + width == measure); hidden items have zero width. A unit with no
 * break opportunity that is wider than the measure (a long URL, a long word)
 * gets emergency breaks between its characters, listed in out->emergency.
 * Fails with BL_ERR_LAYOUT only when a single item is wider than the
 * measure (err->message quotes the unit's text; out->error_item says where
 * it is, file and line are left for the caller), with BL_ERR_NOMEM when out
 * of memory, with BL_ERR_USAGE when an
 * item lies outside text. n == 0 gives
 * zero lines. Widths or ems that are NaN, infinite or negative are taken as
 * zero (ems as 1 pt); a NaN measure as 0. Runs in time linear in n, however
 * wide the measure (lines of thousands of candidates get a narrowed search). */
bl_status bl_lb_compose(const char *text, size_t len, const bl_lb_item *items, size_t n,
                        const bl_lb_params *params, bl_arena *arena, bl_lb_result *out,
                        bl_error *err);

#endif
