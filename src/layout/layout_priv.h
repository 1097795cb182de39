/* layout_priv.h - what the layout's files share: the layout context, the
 * flow of lines waiting for pagination, and text setting helpers. */
#ifndef BL_LAYOUT_PRIV_H
#define BL_LAYOUT_PRIV_H

#include "layout.h"

/* The em box of CJK faces: 0.88 em above the baseline, 0.12 below. */
#define LAY_CJK_ASCENT 0.88f
#define LAY_CJK_DESCENT 0.12f

static const bl_color LAY_BLACK = {BL_GRAY, {0, 0, 0, 0}};

/* One styled piece of a paragraph: a run of text in one role, size, colour. */
typedef struct lay_span {
    const char *text;
    size_t len;
    bl_role role;
    float size;
    bl_color color;
    const char *element;  /* for the dump: "body", "heading1", "source", ... */
    const bl_text *src;   /* where the text came from (for warnings), or NULL */
    size_t src_off;       /* offset of text within src->s */
    size_t src_lead;      /* bytes of text before src's begin (a format's
                             prefix, such as the bracket of a source) */
} lay_span;

/* A line waiting to be placed: runs positioned relative to its baseline. */
typedef struct lay_line {
    float space_before;   /* grid lines of space above, dropped at a page top */
    int keep_next;        /* no page break between this line and the next */
    const char *keep_why; /* the keep rule behind keep_next, for the dump */
    size_t group;         /* the paragraph the line belongs to (1, 2, ...) */
    int break_before;     /* start a new page before this line */
    size_t first_run, nruns;
    const char *outline;  /* outline entry starting at this line, or NULL */
    int outline_level;
} lay_line;

/* Pagination, resumable: with pages handed over as they are laid out, the
 * pages whose lines are final are made while the flow is still growing. */
typedef struct lay_pag {
    size_t i;           /* the next line to place */
    float start, org, end_slot;
    size_t page_index;
    float *slot;        /* grid slot of each line of the page being filled */
    size_t cap_slot;
} lay_pag;

/* A run's arrays (its run_arrays block) emitted onto a page not yet handed
 * over. */
typedef struct lay_owned {
    size_t page;
    void *block;
} lay_owned;

typedef struct lay_ctx {
    const bl_doc_view *doc;
    const bl_style *st;
    const bl_layout_env *env;
    bl_arena *arena;
    bl_display *d;
    bl_error *err;
    const bl_fontchain *chains[BL_ROLE_COUNT];
    /* geometry of the text block, pt, PDF coordinates */
    float left, right, top, bottom, width, pitch, ascent;
    /* lines of the flow and their runs (x absolute, y relative to baseline) */
    lay_line *lines;
    size_t nlines, cap_lines, ngroups;
    bl_dl_text *runs;
    size_t nruns, cap_runs;
    uint32_t npara; /* paragraphs set so far: each run's bl_dl_text.para */
    size_t folios_done; /* pages [0, folios_done) have their number */
    /* Pages handed over as they are laid out (env->page_done): stream is 1
     * when runs' arrays are malloc'd, one block each, let go with their page */
    int stream;
    int early;          /* pages are made while the flow grows */
    size_t pages_done;  /* pages [0, pages_done) handed over */
    size_t hold;        /* lines from here on may still change (SIZE_MAX: none) */
    int first_fixed;    /* the first line's space below the masthead is set */
    lay_pag pag;
    lay_owned *owned;   /* in order of pages */
    size_t nowned, owned_head, cap_owned;
    unsigned char *emitted; /* per run: on a page, which owns its arrays now */
    size_t cap_emitted;
    size_t line_base;   /* lines placed and forgotten before lines[0] */
    /* 目录 page numbers, from a first pass (NULL when not printed): one per
     * outline entry, in the order the entries are made */
    const size_t *toc_pages;
    size_t ntoc_pages, toc_next;
    /* characters no font of their role has: one entry per (code point,
     * role) in order of first use, warned about once at the end */
    struct lay_missing *missing;
    size_t nmissing, cap_missing;
    size_t *missing_index; /* open addressing into missing, +1; 0 = empty */
    size_t cap_index;
} lay_ctx;

typedef struct lay_missing {
    uint32_t cp;
    bl_role role;
    int line, col; /* first use */
    size_t count;
} lay_missing;

/* Forgets the runs from mark on (set for measuring), letting their arrays go. */
void lay_drop_runs(lay_ctx *c, size_t mark);

/* Lets go the arrays of every run still holding them (the pass's end). */
void lay_free_runs(lay_ctx *c);

/* After page index was handed over: the arrays of its runs are let go. */
void lay_release_page(lay_ctx *c, size_t index);

/* Forgets the lines placed so far and the runs before the first line left:
 * the flow's records do not grow with the document. */
void lay_forget_placed(lay_ctx *c);

/* The error of an allocation that failed while laying out c's pages. */
bl_status lay_nomem(lay_ctx *c);

/* Records a use of a character no font has (for lay_warn_missing). */
bl_status lay_note_missing(lay_ctx *c, uint32_t cp, bl_role role, int line, int col);

/* Warns once per missing character, with its count, at most a few, then
 * one summary for the rest. */
void lay_warn_missing(lay_ctx *c);

/* Options for setting a paragraph of spans. */
typedef struct lay_para_opts {
    float measure;      /* line length from the text block's left edge + left */
    float left;         /* x offset of the measure from the text block's left edge */
    float first_indent, indent;
    bl_lb_align align;
    int balance;
    float grid;         /* character pitch, 0 for none */
    float tracking;     /* extra space after each character, single lines only */
} lay_para_opts;

/* A composed paragraph: runs per line, positioned relative to the
 * baseline, x absolute on the page. */
typedef struct lay_set {
    size_t nlines;
    size_t *line_first_run; /* nlines + 1 entries, indexes into ctx->runs */
    float *line_width;      /* natural width of each line */
} lay_set;

/* Shapes and composes spans, appending runs to ctx->runs. */
bl_status lay_set_para(lay_ctx *c, const lay_span *spans, size_t nspans,
                       const lay_para_opts *o, lay_set *out);

/* Width of spans set on one line with tracking (for fitting). */
bl_status lay_measure(lay_ctx *c, const lay_span *spans, size_t nspans, float tracking,
                      float *width);

/* Appends a flow line taking runs [first, first+n) of ctx->runs. */
lay_line *lay_add_line(lay_ctx *c, size_t first_run, size_t nruns);

/* Copies the runs [first, first+n) onto a page, shifted by dy (and dx). */
bl_status lay_emit_runs(lay_ctx *c, bl_dl_page *page, size_t first, size_t n, float dx,
                        float dy);

/* A span over a whole bl_text. */
lay_span lay_span_text(lay_ctx *c, const bl_text *t, bl_role role, float size,
                       bl_color color, const char *element);

/* A span over a string made for the page (no source position). */
lay_span lay_span_str(lay_ctx *c, const char *s, bl_role role, float size, bl_color color,
                      const char *element);

/* "{key}" substitution: fmt with {issue} {serial} {source} {n} ... replaced
 * by values (pairs of key, value; NULL-terminated). Arena string. */
const char *lay_format(lay_ctx *c, const char *fmt, ...);

/* The 公文 frame (layout_gongwen.c), hooked into layout.c. */

/* Whether the document is set as a 公文: it has 发文字号 and the layout the
 * [document] and [closing] sections. */
int lay_gw_is_gongwen(const lay_ctx *c);

/* Refuses 公文 fields the layout cannot place (no [document]/[closing]). */
bl_status lay_gw_check(lay_ctx *c);

/* The 版头 of a 公文 on page 1; returns the y of its lowest mark. */
bl_status lay_gw_head(lay_ctx *c, bl_dl_page *page, float *bottom_y);

/* The 主送 line(s) of an article, after its title. */
bl_status lay_gw_recipients(lay_ctx *c, const bl_article *a);

/* The end of the body: 附件说明, 署名, 成文日期, 附注 (a no-op without them). */
bl_status lay_gw_closing(lay_ctx *c);

/* The PDF's title and subject for a 公文. */
void lay_gw_info(lay_ctx *c);

#endif
