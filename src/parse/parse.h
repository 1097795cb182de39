/* parse.h - the issue description (docs/format.md) read into a document tree.
 *
 * The tree is owned by a bl_doc, which owns an arena: every node and string
 * below lives until bl_doc_free. Strings are UTF-8, NUL-terminated, with the
 * source's line joins already applied (no newlines inside a paragraph).
 * Nodes are plain read-only structs reached from bl_doc_get; the bl_doc itself
 * is opaque. */
#ifndef BL_PARSE_H
#define BL_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "../base/error.h"

typedef struct bl_doc bl_doc;

/* Where a piece of text came from in the input. */
typedef struct bl_srcpos {
    int line; /* 1-based */
    int col;  /* 1-based, in characters */
} bl_srcpos;

/* Maps byte offsets of a joined string back to input positions: the bytes
 * from spans[i].offset up to spans[i+1].offset were read from one input line,
 * starting at spans[i].pos. */
typedef struct bl_srcspan {
    size_t offset;
    bl_srcpos pos;
} bl_srcspan;

typedef struct bl_text {
    const char *s;            /* NUL-terminated; "" when absent */
    size_t len;               /* bytes, without the NUL */
    bl_srcpos pos;            /* first character; {0,0} when absent */
    const bl_srcspan *spans;  /* nspans >= 1 when present */
    size_t nspans;
} bl_text;

/* Position of byte offset off of t in the input (line and character column). */
bl_srcpos bl_text_pos(const bl_text *t, size_t off);

typedef enum bl_para_kind {
    BL_PARA_BODY,    /* ordinary paragraph */
    BL_PARA_HEADING  /* starts with a numbered heading (GB/T 9704 7.3.3) */
} bl_para_kind;

typedef struct bl_para {
    bl_para_kind kind;
    int level;          /* heading level 1..4 (一、 （一） 1. （1）); 0 for body */
    size_t heading_len; /* bytes of text that are the heading: == text.len for a
                           stand-alone heading; less for a run-in heading (the
                           first sentence, through its 。), 0 for body */
    bl_text text;
} bl_para;

typedef struct bl_article {
    bl_text title;
    bl_text source;  /* 来源 / source, may be absent (len 0) */
    bl_text note;    /* 按语 / note, may be absent */
    bl_text recipients; /* 主送 (a 公文, GB/T 9704 7.3.2), without the final colon; may be absent */
    const bl_para *paras;
    size_t nparas;
} bl_article;

typedef struct bl_item {
    bl_text title;
    bl_text source;
    const bl_para *paras;
    size_t nparas;
} bl_item;

typedef struct bl_section {
    bl_text name;      /* from `## name` */
    bl_text toc_name;  /* 目录名, may be absent: then name is used */
    const bl_item *items;
    size_t nitems;
} bl_section;

typedef enum bl_part_kind { BL_PART_ARTICLE, BL_PART_SECTION } bl_part_kind;

/* The body is an ordered list of parts: articles and sections, as written. */
typedef struct bl_part {
    bl_part_kind kind;
    const bl_article *article; /* when kind == BL_PART_ARTICLE */
    const bl_section *section; /* when kind == BL_PART_SECTION */
} bl_part;

typedef enum bl_footer_kind {
    BL_FOOT_BAOSONG, /* 报送 */
    BL_FOOT_CHAOSONG,/* 抄送 */
    BL_FOOT_FASONG,  /* 发送 */
    BL_FOOT_YINFA,   /* 印发 */
    BL_FOOT_YINSHU   /* 印数 */
} bl_footer_kind;

typedef struct bl_footer_field {
    bl_footer_kind kind;
    bl_text label;  /* the key as the printed label, e.g. "抄送" */
    bl_text value;  /* continuation lines joined */
} bl_footer_field;

typedef struct bl_date {
    int year, month, day; /* validated */
} bl_date;

typedef struct bl_doc_view {
    const char *file;           /* the path given to bl_doc_parse */
    const bl_text *mastheads;   /* 报头, at least one; several for a joint issue */
    size_t nmastheads;
    bl_text name;               /* 刊名; "简报" when not given */
    bl_text issue;              /* 期号, e.g. "2023年第8期" */
    bl_text serial;             /* 总期号, may be absent */
    bl_text issuer;             /* 编印, may be absent */
    bl_text date_text;          /* 日期 as written */
    bl_date date;
    bl_text classification;     /* 密级, may be absent */
    bl_text layout;             /* 版式, may be absent */
    const bl_part *parts;
    size_t nparts;
    const bl_footer_field *footer;
    size_t nfooter;
    /* The fields of a 公文 (GB/T 9704-2012; docs/format.md "A 公文"), all
     * absent in a bulletin: doc_number is present exactly when the document
     * is a 公文 (its header has 发文字号 instead of 期号). */
    bl_text doc_number;         /* 发文字号, e.g. "国办发〔2023〕5号" (7.2.5) */
    bl_text copy_number;        /* 份号, six digits (7.2.1) */
    bl_text secrecy_term;       /* 保密期限 of the 密级 (7.2.2); classification then reads "秘密★1年" */
    bl_text urgency;            /* 紧急程度: 特急, 加急 (telegrams also 特提, 平急) (7.2.3) */
    const bl_text *signers;     /* 签发人 of a 上行文, in order (7.2.6) */
    size_t nsigners;
    const bl_text *attachments; /* 附件, in order, without typed numbers (7.3.4) */
    size_t nattachments;
    const bl_text *signatures;  /* 署名, one per issuing body (7.3.5) */
    size_t nsignatures;
    bl_text sign_date_text;     /* 成文日期 as written, may be absent */
    bl_date sign_date;          /* 成文日期; the header's 日期 when not written */
    bl_text annotation;         /* 附注 (7.3.6), may be absent */
} bl_doc_view;

/* Parses an issue description.
 * bytes[0..len): the file's contents (any encoding the format accepts: UTF-8
 *   with or without BOM, UTF-16 with BOM, GB18030 with a warning).
 * file: the name used in error messages (copied).
 * On success returns BL_OK and *out owns a new document (free with
 * bl_doc_free). On failure returns the status, fills err with file, line,
 * column and message, and sets *out = NULL. Warnings go to warner (may be NULL). */
bl_status bl_doc_parse(const char *bytes, size_t len, const char *file,
                       const bl_warner *warner, bl_doc **out, bl_error *err);

/* The largest input bl_doc_parse accepts, in bytes (a caller receiving the
 * input over a network refuses more before it buffers it). */
size_t bl_doc_input_limit(void);

/* Reads a file and parses it; I/O failures are BL_ERR_IO with the file named. */
bl_status bl_doc_parse_file(const char *path, const bl_warner *warner, bl_doc **out,
                            bl_error *err);

/* Releases the document and everything it owns. NULL is a no-op. */
void bl_doc_free(bl_doc *doc);

/* The tree (borrowed; valid until bl_doc_free). */
const bl_doc_view *bl_doc_get(const bl_doc *doc);

/* The input decoded to UTF-8 with LF line ends (borrowed): used by the CLI to
 * quote the offending line under a diagnostic. */
const char *bl_doc_source(const bl_doc *doc, size_t *len);

/* Decodes raw input bytes to UTF-8 text (BOM removed, CRLF/CR -> LF), the
 * first step of bl_doc_parse, exposed so the CLI can quote lines of input
 * that failed to parse. *out is malloc'd (caller frees) and NUL-terminated.
 * *was_gb18030 is set when the bytes were read as GB18030. */
bl_status bl_decode_input(const char *bytes, size_t len, const char *file, char **out,
                          size_t *out_len, int *was_gb18030, bl_error *err);

#endif
