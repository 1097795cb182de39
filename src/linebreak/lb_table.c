/* lb_table.c - the Chinese line-breaking tailoring as data: which characters
 * may not start or end a line, and where a full-width mark's blank half is.
 *
 * Sources:
 *  - GB/T 15834-2011 《标点符号用法》 §5.1 (placement of marks in horizontal
 *    text): 句号、问号、叹号、逗号、顿号、分号、冒号 do not start a line;
 *    the first half of quotes, brackets and 书名号 does not end a line and the
 *    second half does not start one; 破折号 and 省略号 take two 字 and are
 *    never split; 连接号 and 间隔号 do not start a line.
 *  - W3C CLREQ (Requirements for Chinese Text Layout) 3.1.7 prohibition rules
 *    and 3.1.2/3.2 on the position of marks in the em box for Simplified
 *    Chinese: 、。，．：；！？ sit at the left (、。，． lower left), opening
 *    brackets and quotes at the right, closing ones at the left, 间隔号 in the
 *    middle.
 *
 * Choices made here (documented because fonts differ):
 *  - ：； are treated as left-positioned like ，。 (zh-Hans convention; in
 *    zh-Hant fonts they are centred). They lose their right half.
 *  - · ‧ ・ are centred and lose a quarter on each side.
 *  - Half-width forms ( ) , . ; : ? ! keep the same prohibitions; they have no
 *    blank half (the composer only trims marks whose advance is about an em).
 *  - % ‰ ‱ ℃ ° ′ ″ and their full-width forms follow a number and never start
 *    a line (CLREQ 3.1.7 "postfixed abbreviations").
 *  - Format characters have their UAX #14 meaning: ZWSP (U+200B) is a
 *    break opportunity of no width; WJ (U+2060), ZWNBSP (U+FEFF), ZWJ and
 *    the no-break spaces glue their neighbours; a tab is a breaking space.
 *    The composer sets the zero-width ones hidden (nothing is drawn).
 *  - — ― ⸺ and … ⋯ carry LBF_CJK so that they break like Chinese text and are
 *    set on the character grid; ‘ ’ “ ” and · likewise (in Chinese text they
 *    are full-width marks).
 *
 * The table is sorted by code point; lb_lookup searches it by bisection. */
#include "lb_table.h"

#include <stddef.h>

typedef struct lb_entry {
    uint32_t cp;
    lb_info info;
} lb_entry;

#define OPEN_(pos) {LBC_OPEN, pos, 0}
#define CLOSE_(pos) {LBC_CLOSE, pos, 0}
#define STOP_(pos) {LBC_STOP, pos, 0}

static const lb_entry table[] = {
    {0x0009, {LBC_SPACE, LBP_NONE, 0}},       /* tab: breaking space */
    {0x0020, {LBC_SPACE, LBP_NONE, 0}},       /* space */
    {0x0021, STOP_(LBP_NONE)},                /* ! */
    {0x0025, {LBC_POSTFIX, LBP_NONE, 0}},     /* % */
    {0x0028, OPEN_(LBP_NONE)},                /* ( */
    {0x0029, CLOSE_(LBP_NONE)},               /* ) */
    {0x002C, STOP_(LBP_NONE)},                /* , */
    {0x002E, STOP_(LBP_NONE)},                /* . */
    {0x003A, STOP_(LBP_NONE)},                /* : */
    {0x003B, STOP_(LBP_NONE)},                /* ; */
    {0x003F, STOP_(LBP_NONE)},                /* ? */
    {0x005B, OPEN_(LBP_NONE)},                /* [ */
    {0x005D, CLOSE_(LBP_NONE)},               /* ] */
    {0x007B, OPEN_(LBP_NONE)},                /* { */
    {0x007D, CLOSE_(LBP_NONE)},               /* } */
    {0x00A0, {LBC_GLUE, LBP_NONE, 0}},       /* no-break space */
    {0x00B0, {LBC_POSTFIX, LBP_NONE, 0}},     /* ° degree */
    {0x00B7, {LBC_MIDDLE, LBP_CENTRE, LBF_CJK}}, /* · 间隔号 (GB/T 15834 4.14) */
    {0x2000, {LBC_SPACE, LBP_NONE, 0}},       /* en quad .. hair space: breaking spaces */
    {0x2001, {LBC_SPACE, LBP_NONE, 0}},
    {0x2002, {LBC_SPACE, LBP_NONE, 0}},
    {0x2003, {LBC_SPACE, LBP_NONE, 0}},
    {0x2004, {LBC_SPACE, LBP_NONE, 0}},
    {0x2005, {LBC_SPACE, LBP_NONE, 0}},
    {0x2006, {LBC_SPACE, LBP_NONE, 0}},
    {0x2007, {LBC_GLUE, LBP_NONE, 0}},       /* figure space (no break) */
    {0x2008, {LBC_SPACE, LBP_NONE, 0}},
    {0x2009, {LBC_SPACE, LBP_NONE, 0}},
    {0x200A, {LBC_SPACE, LBP_NONE, 0}},
    {0x200B, {LBC_SPACE, LBP_NONE, 0}},       /* zero width space: a break opportunity */
    {0x200D, {LBC_GLUE, LBP_NONE, 0}},       /* zero width joiner */
    {0x2011, {LBC_GLUE, LBP_NONE, 0}},       /* non-breaking hyphen */
    {0x2013, {LBC_MIDDLE, LBP_NONE, 0}},      /* – en dash as 连接号: not at line start */
    {0x2014, {LBC_DASH, LBP_NONE, LBF_CJK}},  /* — 破折号 half / 连接号 */
    {0x2015, {LBC_DASH, LBP_NONE, LBF_CJK}},  /* ― horizontal bar, used for 破折号 */
    {0x2018, {LBC_OPEN, LBP_RIGHT, LBF_CJK}},      /* ‘ */
    {0x2019, {LBC_CLOSE, LBP_LEFT, LBF_CJK}},      /* ’ */
    {0x201C, {LBC_OPEN, LBP_RIGHT, LBF_CJK}},      /* “ */
    {0x201D, {LBC_CLOSE, LBP_LEFT, LBF_CJK}},      /* ” */
    {0x2026, {LBC_ELLIPSIS, LBP_NONE, LBF_CJK}}, /* … 省略号 half */
    {0x2027, {LBC_MIDDLE, LBP_CENTRE, LBF_CJK}}, /* ‧ hyphenation point as 间隔号 */
    {0x202F, {LBC_GLUE, LBP_NONE, 0}},       /* narrow no-break space */
    {0x2030, {LBC_POSTFIX, LBP_NONE, 0}},     /* ‰ */
    {0x2031, {LBC_POSTFIX, LBP_NONE, 0}},     /* ‱ */
    {0x2032, {LBC_POSTFIX, LBP_NONE, 0}},     /* ′ */
    {0x2033, {LBC_POSTFIX, LBP_NONE, 0}},     /* ″ */
    {0x2060, {LBC_GLUE, LBP_NONE, 0}},       /* word joiner */
    {0x2103, {LBC_POSTFIX, LBP_NONE, 0}},     /* ℃ */
    {0x22EF, {LBC_ELLIPSIS, LBP_NONE, LBF_CJK}}, /* ⋯ midline ellipsis */
    {0x2E3A, {LBC_DASH, LBP_NONE, LBF_CJK}},  /* ⸺ two-em dash */
    {0x3001, STOP_(LBP_LEFT)},                /* 、 顿号 */
    {0x3002, STOP_(LBP_LEFT)},                /* 。 句号 */
    {0x3008, OPEN_(LBP_RIGHT)},               /* 〈 */
    {0x3009, CLOSE_(LBP_LEFT)},               /* 〉 */
    {0x300A, OPEN_(LBP_RIGHT)},               /* 《 书名号 */
    {0x300B, CLOSE_(LBP_LEFT)},               /* 》 */
    {0x300C, OPEN_(LBP_RIGHT)},               /* 「 */
    {0x300D, CLOSE_(LBP_LEFT)},               /* 」 */
    {0x300E, OPEN_(LBP_RIGHT)},               /* 『 */
    {0x300F, CLOSE_(LBP_LEFT)},               /* 』 */
    {0x3010, OPEN_(LBP_RIGHT)},               /* 【 */
    {0x3011, CLOSE_(LBP_LEFT)},               /* 】 */
    {0x3014, OPEN_(LBP_RIGHT)},               /* 〔 六角括号 */
    {0x3015, CLOSE_(LBP_LEFT)},               /* 〕 */
    {0x3016, OPEN_(LBP_RIGHT)},               /* 〖 */
    {0x3017, CLOSE_(LBP_LEFT)},               /* 〗 */
    {0x3018, OPEN_(LBP_RIGHT)},               /* 〘 */
    {0x3019, CLOSE_(LBP_LEFT)},               /* 〙 */
    {0x301A, OPEN_(LBP_RIGHT)},               /* 〚 */
    {0x301B, CLOSE_(LBP_LEFT)},               /* 〛 */
    {0x301C, {LBC_MIDDLE, LBP_NONE, 0}},      /* 〜 wave dash as 连接号 */
    {0x301D, OPEN_(LBP_RIGHT)},               /* 〝 */
    {0x301E, CLOSE_(LBP_LEFT)},               /* 〞 */
    {0x301F, CLOSE_(LBP_LEFT)},               /* 〟 */
    {0x30FB, {LBC_MIDDLE, LBP_CENTRE, 0}},    /* ・ katakana middle dot as 间隔号 */
    {0xFEFF, {LBC_GLUE, LBP_NONE, 0}},       /* zero width no-break space */
    {0xFF01, STOP_(LBP_LEFT)},                /* ！ */
    {0xFF05, {LBC_POSTFIX, LBP_NONE, 0}},     /* ％ */
    {0xFF08, OPEN_(LBP_RIGHT)},               /* （ */
    {0xFF09, CLOSE_(LBP_LEFT)},               /* ） */
    {0xFF0C, STOP_(LBP_LEFT)},                /* ， 逗号 */
    {0xFF0E, STOP_(LBP_LEFT)},                /* ． */
    {0xFF1A, STOP_(LBP_LEFT)},                /* ： 冒号 (zh-Hans: left, see above) */
    {0xFF1B, STOP_(LBP_LEFT)},                /* ； 分号 (zh-Hans: left) */
    {0xFF1F, STOP_(LBP_LEFT)},                /* ？ */
    {0xFF3B, OPEN_(LBP_RIGHT)},               /* ［ */
    {0xFF3D, CLOSE_(LBP_LEFT)},               /* ］ */
    {0xFF5B, OPEN_(LBP_RIGHT)},               /* ｛ */
    {0xFF5D, CLOSE_(LBP_LEFT)},               /* ｝ */
    {0xFF5E, {LBC_MIDDLE, LBP_NONE, 0}},      /* ～ 连接号 (GB/T 15834 4.13) */
    {0xFF5F, OPEN_(LBP_RIGHT)},               /* ｟ */
    {0xFF60, CLOSE_(LBP_LEFT)},               /* ｠ */
    {0xFF61, STOP_(LBP_NONE)},                /* ｡ half-width */
    {0xFF64, STOP_(LBP_NONE)},                /* ､ half-width */
    {0xFF65, {LBC_MIDDLE, LBP_NONE, 0}},      /* ･ half-width middle dot */
    {0xFFE0, {LBC_POSTFIX, LBP_NONE, 0}},     /* ￠ */
};

lb_info lb_lookup(uint32_t cp)
{
    size_t lo = 0, hi = sizeof table / sizeof table[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (table[mid].cp == cp)
            return table[mid].info;
        if (table[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    lb_info none = {LBC_NONE, LBP_NONE, 0};
    return none;
}
