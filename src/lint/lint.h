/* lint.h - a typographic proofreader for the issue description: findings in
 * the text an office clerk pastes (half-width punctuation in Chinese
 * sentences, straight quotes, full-width digits, doubled marks, stray spaces,
 * heading numbers out of sequence, ...) and, when asked, the rewrite of what
 * is safe to rewrite. The rules and their sources are in docs/lint.md.
 *
 * Lint reads the file as the parser does (it parses it, and works on the
 * tree's texts and their source positions), so a file lint can look at is one
 * `check` accepts; --fix rewrites the bytes of the input in place of the
 * offending characters only, keeping the encoding (UTF-8 with or without BOM,
 * UTF-16 with BOM, GB18030) and every line end, and the result parses again. */
#ifndef BL_LINT_H
#define BL_LINT_H

#include <stddef.h>

#include "../base/error.h"

/* The rules, in the order of docs/lint.md. */
typedef enum bl_lint_rule {
    BL_LINT_PUNCT_WIDTH,   /* half-width , . ; : ? ! ( ) in Chinese text */
    BL_LINT_QUOTES,        /* straight quotes around Chinese text */
    BL_LINT_ALNUM_WIDTH,   /* full-width digits and Latin letters */
    BL_LINT_PUNCT_DOUBLED, /* the same mark twice: ，， 。。 */
    BL_LINT_CJK_SPACE,     /* a typed space between Chinese characters */
    BL_LINT_FOOTER_PERIOD, /* 报送/抄送/发送 not ending with 。 */
    BL_LINT_UNBALANCED,    /* a bracket, quote or 书名号 without its partner */
    BL_LINT_HEADING_ORDER, /* 一、 二、 四、 */
    BL_LINT_HEADING_LEVEL, /* （1） with no 1. above it */
    BL_LINT_YINFA_DATE,    /* 印发 date before the issue date */
    BL_LINT_ITEM_SOURCE,   /* an item without 来源 among items that have one */
    BL_LINT_NRULES
} bl_lint_rule;

typedef struct bl_lint_rule_info {
    const char *name;    /* as in --rule NAME and the [name] of a finding */
    const char *summary; /* one line */
    int fixable;         /* 1 when --fix rewrites it */
} bl_lint_rule_info;

/* The table of rules, indexed by bl_lint_rule. */
const bl_lint_rule_info *bl_lint_rules(void);

/* The rule called name, or -1. */
int bl_lint_rule_by_name(const char *name);

typedef struct bl_lint_opts {
    unsigned rules; /* bit (1u << rule) set for each rule to run */
    int fix;        /* rewrite what is safe to rewrite */
} bl_lint_opts;

/* All rules on, no fix. */
bl_lint_opts bl_lint_defaults(void);

typedef struct bl_lint_finding {
    bl_lint_rule rule;
    int line, col;      /* 1-based; col in characters */
    int fixable;        /* the rule is one --fix applies */
    char message[256];  /* without the [rule] */
    const char *src;    /* the line it is on (UTF-8, no line end), for quoting */
    size_t src_len;
} bl_lint_finding;

typedef struct bl_lint_result bl_lint_result;

/* Lints bytes[0..len), the contents of file (the name used in messages).
 * When the input does not parse, returns the parser's error (BL_ERR_SYNTAX or
 * BL_ERR_LIMIT with its position) and *out = NULL. With opts->fix, applies
 * the fixable rules until nothing more changes (a second run finds nothing to
 * fix), and keeps the new bytes in the result when anything changed.
 * Release the result with bl_lint_free. */
bl_status bl_lint_run(const char *bytes, size_t len, const char *file,
                      const bl_lint_opts *opts, bl_lint_result **out, bl_error *err);

/* What is left: the findings of the (final) text, in order of position.
 * Positions and quoted lines are those of the rewritten text after a fix. */
size_t bl_lint_count(const bl_lint_result *r);
const bl_lint_finding *bl_lint_get(const bl_lint_result *r, size_t i);

/* What --fix changed, in the order applied (positions in the text as it was
 * when the change was made; src is NULL). */
size_t bl_lint_fixed_count(const bl_lint_result *r);
const bl_lint_finding *bl_lint_fixed_get(const bl_lint_result *r, size_t i);

/* The rewritten file (in the input's encoding and line ends), or NULL when
 * nothing changed. */
const char *bl_lint_output(const bl_lint_result *r, size_t *len);

void bl_lint_free(bl_lint_result *r);

#endif
