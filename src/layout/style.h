/* style.h - layout files (layouts/NAME.layout): the house style of a bulletin,
 * every figure the page layout uses, read from a small human-editable file
 * (docs/layouts.md) so an office can make its own style without compiling.
 *
 * The schema below is the single list of settings: each X(...) row names the
 * [section] and key as written in the file, the value type, the C field, and
 * for STRING settings with a fixed vocabulary the allowed words ("a|b|c").
 * There are no defaults in C: a layout either sets every key itself or
 * names a base layout (`base = zhuanbao`) whose values it overrides. */
#ifndef BL_STYLE_H
#define BL_STYLE_H

#include <stddef.h>

#include "../base/error.h"
#include "../display/display.h"

/* Font roles (GB/T 9704 practice): the [fonts] section gives each a list of
 * fontconfig patterns, tried in order. Keys in the file are the Chinese names,
 * with the English aliases in parentheses accepted too. */
typedef enum bl_role {
    BL_ROLE_TITLE, /* 标题 (title): masthead and titles, heavy serif (小标宋) */
    BL_ROLE_BODY,  /* 正文 (body): 仿宋-style text face */
    BL_ROLE_HEI,   /* 黑体 (hei): level-1 headings, TOC headings */
    BL_ROLE_KAI,   /* 楷体 (kai): level-2 headings, sources, issue line */
    BL_ROLE_FOLIO, /* 页码 (folio): page numbers */
    BL_ROLE_COUNT
} bl_role;

/* Value types:
 *  LEN    a length, stored in pt: "37mm", "1.5pt", "0.5cm", "1in"
 *  SIZE   a type size, stored in pt: "16pt" or a Chinese 号 ("三号", "小初", "初号")
 *  EM     a multiple of the element's type size (字): "2" or "2字"
 *  LINES  a number of grid lines (may be fractional): "1", "0.5"
 *  INT    a whole number
 *  BOOL   yes/no, true/false, on/off, 是/否
 *  COLOR  cmyk(C,M,Y,K) in percent, or gray(G) in percent black, or rgb(R,G,B) 0-255
 *  STRING a quoted string ("目　录"); with a vocabulary, one of its words (unquoted ok)
 *  ROLE   a font role name: 标题 正文 黑体 楷体 页码 (or title body hei kai folio)
 */
/* The 公文 frame (GB/T 9704-2012 7.2, 7.3.2, 7.3.4-7.3.6): [document] places
 * the 版头 of a 公文 and its 主送, [closing] the end of its body. These two
 * sections are one optional group: a layout (with its bases) sets all of
 * their keys or none; without them it lays out bulletins only. The red rule
 * and the space under it are [masthead]'s rule-* and space-after. */
#define BL_STYLE_GONGWEN_FIELDS(X)                                                      \
    X(document, corner-font, ROLE, gw_corner_font, NULL) /* 份号 密级 紧急程度 */          \
    X(document, corner-size, SIZE, gw_corner_size, NULL)                                \
    X(document, mark-font, ROLE, gw_mark_font, NULL) /* 发文机关标志 */                  \
    X(document, mark-size, SIZE, gw_mark_size, NULL) /* largest; shrunk to fit */       \
    X(document, mark-min-size, SIZE, gw_mark_min_size, NULL)                            \
    X(document, mark-spacing, EM, gw_mark_spacing, NULL) /* letter-spacing, at most */  \
    X(document, mark-color, COLOR, gw_mark_color, NULL)                                 \
    X(document, mark-top, LEN, gw_mark_top, NULL) /* its top edge below the block top */ \
    X(document, mark-line-pitch, LEN, gw_mark_pitch, NULL) /* joint: stacked names */   \
    X(document, mark-gap, EM, gw_mark_gap, NULL) /* joint: names to 文件 */              \
    X(document, mark-word, STRING, gw_mark_word, NULL) /* after the name: "文件" */     \
    X(document, number-font, ROLE, gw_number_font, NULL) /* 发文字号 */                  \
    X(document, number-size, SIZE, gw_number_size, NULL)                                \
    X(document, number-space, LINES, gw_number_space, NULL) /* below the 标志 */        \
    X(document, number-indent, EM, gw_number_indent, NULL) /* 上行文: from the left */  \
    X(document, signer-label, STRING, gw_signer_label, NULL) /* "签发人：" */             \
    X(document, signer-label-font, ROLE, gw_signer_label_font, NULL)                    \
    X(document, signer-font, ROLE, gw_signer_font, NULL) /* the names */                \
    X(document, signer-size, SIZE, gw_signer_size, NULL)                                \
    X(document, signer-indent, EM, gw_signer_indent, NULL) /* from the right */         \
    X(document, signer-per-line, INT, gw_signer_per_line, NULL)                         \
    X(document, signer-gap, EM, gw_signer_gap, NULL) /* between names on a line */      \
    X(document, recipients-font, ROLE, gw_recipients_font, NULL) /* 主送 */              \
    X(document, recipients-space, LINES, gw_recipients_space, NULL) /* below the title */ \
    X(closing, font, ROLE, gw_close_font, NULL) /* 附件说明, 署名, 成文日期, 附注 */        \
    X(closing, attachment-label, STRING, gw_attach_label, NULL) /* "附件：" */           \
    X(closing, attachment-number, STRING, gw_attach_number, NULL) /* "{n}." */          \
    X(closing, attachment-indent, EM, gw_attach_indent, NULL)                           \
    X(closing, attachment-space, LINES, gw_attach_space, NULL) /* below the body */     \
    X(closing, signature-indent, EM, gw_sign_indent, NULL) /* from the right */         \
    X(closing, signature-space, LINES, gw_sign_space, NULL) /* below body or 附件 */    \
    X(closing, date-shift, EM, gw_date_shift, NULL) /* right of the 署名's first char */ \
    X(closing, date-indent, EM, gw_date_indent, NULL) /* least space at its right */    \
    X(closing, note-indent, EM, gw_note_indent, NULL) /* 附注 */                         \
    X(closing, note-format, STRING, gw_note_format, NULL) /* "（{text}）" */

#define BL_STYLE_FIELDS(X)                                                              \
    BL_STYLE_GONGWEN_FIELDS(X)                                                          \
    /* [page]: paper, margins and the grid (GB/T 9704 5.1-5.2) */                       \
    X(page, width, LEN, page_width, NULL)                                               \
    X(page, height, LEN, page_height, NULL)                                             \
    X(page, margin-top, LEN, margin_top, NULL)                                          \
    X(page, margin-bottom, LEN, margin_bottom, NULL)                                    \
    X(page, margin-left, LEN, margin_left, NULL)                                        \
    X(page, margin-right, LEN, margin_right, NULL)                                      \
    X(page, lines, INT, grid_lines, NULL)          /* lines per page */                 \
    X(page, chars, INT, grid_chars, NULL)          /* characters per body line */       \
    X(page, two-sided, BOOL, two_sided, NULL)                                           \
    X(page, pdfa, STRING, pdfa, "no|1b|2b") /* PDF/A-1b or -2b (archival) */           \
    /* [masthead]: 版头 of page 1; baselines measured down from the text block top */   \
    X(masthead, classification-font, ROLE, cls_font, NULL)                              \
    X(masthead, classification-size, SIZE, cls_size, NULL)                              \
    X(masthead, classification-baseline, LEN, cls_baseline, NULL)                       \
    X(masthead, body-font, ROLE, mh_font, NULL)   /* 报头: the issuing body */          \
    X(masthead, body-size, SIZE, mh_size, NULL)   /* largest size; shrunk to fit */     \
    X(masthead, body-min-size, SIZE, mh_min_size, NULL)                                 \
    X(masthead, body-spacing, EM, mh_spacing, NULL) /* letter-spacing, at most */       \
    X(masthead, body-color, COLOR, mh_color, NULL)                                      \
    X(masthead, body-baseline, LEN, mh_baseline, NULL)                                  \
    X(masthead, body-line-pitch, LEN, mh_pitch, NULL) /* joint issues: stacked lines */ \
    X(masthead, name-font, ROLE, name_font, NULL) /* 刊名 (专报) */                      \
    X(masthead, name-size, SIZE, name_size, NULL)                                       \
    X(masthead, name-spacing, EM, name_spacing, NULL) /* between characters */          \
    X(masthead, name-color, COLOR, name_color, NULL)                                    \
    X(masthead, name-baseline, LEN, name_baseline, NULL)                                \
    X(masthead, issue-font, ROLE, issue_font, NULL) /* 2023年第8期（总第112期） */        \
    X(masthead, issue-size, SIZE, issue_size, NULL)                                     \
    X(masthead, issue-baseline, LEN, issue_baseline, NULL)                              \
    X(masthead, issue-format, STRING, issue_format, NULL) /* {issue} {serial} */        \
    X(masthead, issuer-font, ROLE, issuer_font, NULL) /* 编印 left, 日期 right */         \
    X(masthead, issuer-size, SIZE, issuer_size, NULL)                                   \
    X(masthead, issuer-indent, EM, issuer_indent, NULL)                                 \
    X(masthead, issuer-baseline, LEN, issuer_baseline, NULL)                            \
    X(masthead, issuer-suffix, STRING, issuer_suffix, NULL) /* e.g. "编" or "" */        \
    X(masthead, rule-offset, LEN, rule_offset, NULL) /* below the issuer baseline */    \
    X(masthead, rule-style, STRING, rule_style, "single|double|thick-thin")             \
    X(masthead, rule-width, LEN, rule_width, NULL)                                      \
    X(masthead, rule-thin-width, LEN, rule_thin_width, NULL)                            \
    X(masthead, rule-gap, LEN, rule_gap, NULL)                                          \
    X(masthead, rule-color, COLOR, rule_color, NULL)                                    \
    X(masthead, space-after, LINES, mh_space_after, NULL) /* grid lines after rule */   \
    /* [toc]: the 目录 generated from the articles and sections */                       \
    X(toc, enabled, BOOL, toc_enabled, NULL)                                            \
    X(toc, min-entries, INT, toc_min_entries, NULL) /* no 目录 for fewer entries */    \
    X(toc, title, STRING, toc_title, NULL)                                              \
    X(toc, title-font, ROLE, toc_title_font, NULL)                                      \
    X(toc, title-size, SIZE, toc_title_size, NULL)                                      \
    X(toc, entry-font, ROLE, toc_entry_font, NULL) /* article titles, section names */  \
    X(toc, entry-size, SIZE, toc_entry_size, NULL)                                      \
    X(toc, source-font, ROLE, toc_source_font, NULL) /* ——河北省总工会 */               \
    X(toc, item-font, ROLE, toc_item_font, NULL)   /* 1. item titles */                 \
    X(toc, item-indent, EM, toc_item_indent, NULL)                                      \
    X(toc, bullet, STRING, toc_bullet, NULL)       /* before articles and sections */   \
    X(toc, page-numbers, BOOL, toc_page_numbers, NULL)                                  \
    X(toc, leader, STRING, toc_leader, NULL)       /* dot leader character */           \
    X(toc, space-after, LINES, toc_space_after, NULL)                                   \
    X(toc, new-page-after, BOOL, toc_new_page_after, NULL)                              \
    /* [title]: article titles (GB/T 9704 7.3.1) */                                     \
    X(title, font, ROLE, title_font, NULL)                                              \
    X(title, size, SIZE, title_size, NULL)                                              \
    X(title, color, COLOR, title_color, NULL)                                           \
    X(title, space-before, LINES, title_space_before, NULL) /* not at a page top */     \
    X(title, space-after, LINES, title_space_after, NULL)                               \
    X(title, new-page, BOOL, title_new_page, NULL) /* each article starts a page */     \
    /* [body]: paragraphs and headings (GB/T 9704 7.3.3) */                             \
    X(body, font, ROLE, body_font, NULL)                                                \
    X(body, size, SIZE, body_size, NULL)                                                \
    X(body, color, COLOR, body_color, NULL)                                             \
    X(body, indent, EM, body_indent, NULL)         /* first-line indent */              \
    X(body, heading1-font, ROLE, h1_font, NULL)    /* 一、 */                            \
    X(body, heading2-font, ROLE, h2_font, NULL)    /* （一） */                          \
    X(body, heading3-font, ROLE, h3_font, NULL)    /* 1. */                             \
    X(body, heading4-font, ROLE, h4_font, NULL)    /* （1） */                           \
    X(body, note-font, ROLE, note_font, NULL)      /* 按语 text */                       \
    X(body, note-label, STRING, note_label, NULL)  /* "编者按：" */                      \
    X(body, note-label-font, ROLE, note_label_font, NULL)                               \
    X(body, source-font, ROLE, source_font, NULL)  /* article source line */           \
    X(body, source-format, STRING, source_format, NULL) /* "（{source}）" */            \
    X(body, source-align, STRING, source_align, "left|center|right")                    \
    /* [section]: 工作信息 and other sections of short items */                          \
    X(section, heading-font, ROLE, sec_font, NULL)                                      \
    X(section, heading-size, SIZE, sec_size, NULL)                                      \
    X(section, heading-color, COLOR, sec_color, NULL)                                   \
    X(section, heading-align, STRING, sec_align, "left|center|right")                   \
    X(section, heading-spacing, EM, sec_spacing, NULL) /* letter-spacing */             \
    X(section, space-before, LINES, sec_space_before, NULL)                             \
    X(section, space-after, LINES, sec_space_after, NULL)                               \
    X(section, new-page, BOOL, sec_new_page, NULL)                                      \
    X(section, item-font, ROLE, item_font, NULL)   /* item titles */                    \
    X(section, item-size, SIZE, item_size, NULL)                                        \
    X(section, item-bullet, STRING, item_bullet, NULL)                                  \
    X(section, item-space-before, LINES, item_space_before, NULL)                       \
    X(section, item-source-font, ROLE, item_source_font, NULL)                          \
    X(section, item-source-format, STRING, item_source_format, NULL)                    \
    /* [footer]: 版记 (GB/T 9704 7.4) on the last, even page */                          \
    X(footer, font, ROLE, foot_font, NULL)                                              \
    X(footer, size, SIZE, foot_size, NULL)                                              \
    X(footer, indent, EM, foot_indent, NULL)       /* left and right, 1 字 */            \
    X(footer, line-pitch, LEN, foot_pitch, NULL)                                        \
    X(footer, rule-thick, LEN, foot_rule_thick, NULL)                                   \
    X(footer, rule-thin, LEN, foot_rule_thin, NULL)                                     \
    X(footer, rule-color, COLOR, foot_rule_color, NULL)                                 \
    X(footer, even-page, BOOL, foot_even_page, NULL)                                    \
    X(footer, copies-align, STRING, foot_copies_align, "left|right")                    \
    /* [folio]: page numbers (GB/T 9704 7.5) */                                         \
    X(folio, enabled, BOOL, folio_enabled, NULL)                                        \
    X(folio, font, ROLE, folio_font, NULL)                                              \
    X(folio, size, SIZE, folio_size, NULL)                                              \
    X(folio, offset, LEN, folio_offset, NULL)      /* dash line below the text block */ \
    X(folio, indent, EM, folio_indent, NULL)                                            \
    X(folio, format, STRING, folio_format, NULL)   /* "— {n} —" */                      \
    X(folio, position, STRING, folio_position, "outside|center|right")

typedef enum bl_style_type {
    BL_ST_LEN, BL_ST_SIZE, BL_ST_EM, BL_ST_LINES, BL_ST_INT, BL_ST_BOOL,
    BL_ST_COLOR, BL_ST_STRING, BL_ST_ROLE
} bl_style_type;

/* C types of the value types. */
typedef float bl_st_LEN, bl_st_SIZE, bl_st_EM, bl_st_LINES;
typedef int bl_st_INT, bl_st_BOOL, bl_st_ROLE;
typedef bl_color bl_st_COLOR;
typedef const char *bl_st_STRING;

typedef struct bl_style {
    const char *name; /* the layout's name ("zhuanbao") */
    const char *path; /* the file it was read from */
    /* [fonts]: fontconfig patterns per role, tried in order */
    const char *const *role_patterns[BL_ROLE_COUNT];
    size_t role_npatterns[BL_ROLE_COUNT];
    const char *role_path[BL_ROLE_COUNT]; /* the file and line that set them */
    int role_line[BL_ROLE_COUNT];
#define BL_STYLE_MEMBER(sec, key, type, field, vocab) bl_st_##type field;
    BL_STYLE_FIELDS(BL_STYLE_MEMBER)
#undef BL_STYLE_MEMBER
    int gongwen; /* [document] and [closing] are set: the layout can set a 公文 */
} bl_style;

/* Loads a layout. name_or_path: a name ("zhuanbao", looked up as
 * <layouts_dir>/<name>.layout) or a path to a file (contains '/' or ends in
 * .layout). A `base = NAME` line loads that layout first (from layouts_dir;
 * chains are followed, cycles are an error). Every schema key must end up
 * set; errors (unknown section or key — with the nearest known one
 * suggested —, bad value, missing key, unknown base) name the file, line and
 * column. The style and its strings are allocated from arena. */
bl_status bl_style_load(const char *name_or_path, const char *layouts_dir, bl_arena *arena,
                        const bl_style **out, bl_error *err);

/* Parses layout text (the file's contents) as if read from file `path`;
 * the same rules as bl_style_load. */
bl_status bl_style_parse(const char *text, size_t len, const char *path,
                         const char *layouts_dir, bl_arena *arena, const bl_style **out,
                         bl_error *err);

/* The role's canonical Chinese name ("标题", ...). */
const char *bl_role_name(bl_role role);

/* The point size of a Chinese 号 name ("三号" -> 16), or 0 if unknown. */
float bl_size_by_name(const char *name);

#endif
