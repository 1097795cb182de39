/* lb_table.h - private to the linebreak module: the Chinese punctuation
 * classes (line-start / line-end prohibitions, blank halves of full-width
 * marks) looked up by code point. The data and its sources are in lb_table.c. */
#ifndef BL_LB_TABLE_H
#define BL_LB_TABLE_H

#include <stdint.h>

/* What a character does at a line boundary (GB/T 15834-2011 §5.1, CLREQ 3.1.7). */
typedef enum lb_class {
    LBC_NONE = 0, /* Han, letters, digits: no prohibition of its own */
    LBC_OPEN,     /* opening quote/bracket/书名号: never at a line end */
    LBC_CLOSE,    /* closing quote/bracket/书名号: never at a line start */
    LBC_STOP,     /* 。，、；：？！ and their half-width forms: never at a line start */
    LBC_MIDDLE,   /* 间隔号 · and 连接号 ～ –: never at a line start */
    LBC_POSTFIX,  /* % ‰ ℃ after a number: never at a line start */
    LBC_DASH,     /* 破折号 —: two make one mark that never splits; a single one
                     between numbers is a 连接号 (a range) and never starts a line */
    LBC_ELLIPSIS, /* 省略号 …: two make one mark that never splits */
    LBC_SPACE,    /* a breaking space: a line may end after it, never before it */
    LBC_GLUE      /* WJ, ZWNBSP (U+FEFF), ZWJ, no-break spaces: no break on
                     either side (UAX #14 WJ, GL, ZWJ) */
} lb_class;

/* Where the glyph sits in its em box in zh-Hans fonts, i.e. which half is
 * blank and may be trimmed when the mark is full-width. */
typedef enum lb_pos {
    LBP_NONE = 0, /* no blank half (Han, dashes, ellipses, half-width forms) */
    LBP_LEFT,     /* ink on the left: trim the right half */
    LBP_RIGHT,    /* ink on the right: trim the left half (the glyph moves left) */
    LBP_CENTRE    /* ink centred: trim a quarter on each side */
} lb_pos;

enum {
    LBF_CJK = 1 /* set on the CJK grid although outside the CJK blocks (“ ” ‘ ’ — … ·) */
};

typedef struct lb_info {
    uint8_t cls;   /* lb_class */
    uint8_t pos;   /* lb_pos, when the glyph is full-width */
    uint8_t flags; /* LBF_* */
} lb_info;

/* The class of cp; {LBC_NONE, LBP_NONE, 0} for characters not in the table. */
lb_info lb_lookup(uint32_t cp);

#endif
