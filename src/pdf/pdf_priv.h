/* pdf_priv.h - inside the PDF backend: a byte buffer, the table of the
 * objects bulletin writes, and the frame of libharu's saved document they
 * join (pdf_file.c). Not part of the module's interface (pdf.h). */
#ifndef BL_PDF_PRIV_H
#define BL_PDF_PRIV_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/error.h"
#include "../base/fileio.h"
#include "../display/display.h"

/* A growable byte buffer; oom sticks once an allocation failed. */
typedef struct pdf_buf {
    char *p;
    size_t n, cap;
    int oom;
} pdf_buf;

void pdf_bput(pdf_buf *b, const void *s, size_t n);
void pdf_bputs(pdf_buf *b, const char *s);
void pdf_bprintf(pdf_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A number and a space, '.' whatever the locale. */
void pdf_bnum(pdf_buf *b, double v, int decimals);
void pdf_bhex4(pdf_buf *b, unsigned v);
/* A code point as UTF-16BE hex digits (a surrogate pair beyond the BMP). */
void pdf_butf16(pdf_buf *b, uint32_t cp);
/* data compressed with flate into *out (malloc'd); 0 when out of memory.
 * *z is the compressor, made on first use and kept for the next call;
 * pdf_deflate_free lets it go. */
struct libdeflate_compressor;
int pdf_deflate(struct libdeflate_compressor **z, const void *data, size_t len,
                unsigned char **out, size_t *out_len);
void pdf_deflate_free(struct libdeflate_compressor *z);

/* The objects bulletin writes, by number: numbers below first are
 * libharu's (set = replaced by ours), first and up are new. Bodies (the
 * text between "N 0 obj" and "endobj") live in one buffer. */
typedef struct pdf_span {
    size_t off, len;
    int set;
    /* A stream's data held elsewhere (a page's content, compressed when the
     * page was written), not copied into the body: the file has the body,
     * then these bytes, then "\nendstream". NULL: the body is all of it. */
    const unsigned char *ext;
    size_t ext_len;
} pdf_span;

typedef struct pdf_objs {
    size_t first, n, cap;
    pdf_span *objs;
    pdf_buf body;
    unsigned open;
    size_t open_off;
    struct libdeflate_compressor *z; /* for pdf_obj_stream */
} pdf_objs;

bl_status pdf_objs_init(pdf_objs *o, unsigned first);
/* A new object number (0 when out of memory: body.oom is set). */
unsigned pdf_obj_new(pdf_objs *o);
/* Writes object num's body into the returned buffer until pdf_obj_end. */
pdf_buf *pdf_obj_begin(pdf_objs *o, unsigned num);
void pdf_obj_end(pdf_objs *o);
/* A stream object whose data stays where it is (it must outlive pdf_assemble):
 * dict is its whole dictionary ("<< /Length .. >>"). */
void pdf_obj_stream_ext(pdf_objs *o, unsigned num, const char *dict, const unsigned char *data,
                        size_t len);
/* A stream object: << /Length .. [/Filter /FlateDecode] dict_entries >>. */
void pdf_obj_stream(pdf_objs *o, unsigned num, const char *dict_entries, const void *data,
                    size_t len, int deflate);
void pdf_objs_free(pdf_objs *o);

/* libharu's saved document, taken apart by its xref table. */
typedef struct pdf_haru {
    const unsigned char *data;
    size_t len;
    unsigned size;     /* its /Size: objects 1 .. size-1 */
    size_t *off, *end; /* each object's bytes */
    size_t xref;
    unsigned root, pages;
    unsigned *page, *content; /* per page: its object and its content stream's */
} pdf_haru;

/* Reads libharu's file (data[len] must be a NUL, so that numbers at its end
 * parse safely): its xref table, catalog, page tree and each page's
 * content stream. Anything else than libharu writes fails (BL_ERR_PDF). */
bl_status pdf_haru_parse(pdf_haru *h, const unsigned char *data, size_t len, size_t npages,
                         bl_error *err);
size_t pdf_haru_end(const pdf_haru *h, unsigned num);
void pdf_haru_free(pdf_haru *h);

/* The whole file, as the pieces it is made of (not copied into one buffer):
 * they point into h's data, o's body, the streams o holds (ext) and the two
 * malloc'd buffers of what is written here (headers and xref: glue; the
 * trailer), so all of these must outlive the pieces. */
typedef struct pdf_file {
    bl_io_piece *pieces; /* malloc'd */
    size_t npieces, len;
    char *glue, *trailer;
} pdf_file;

/* The whole file: header "%PDF-version", libharu's objects (those set in o
 * replaced by ours), o's new objects, one xref table, and a trailer with
 * /Root, /Info (when not 0) and an /ID hashed from all that precedes it. */
bl_status pdf_assemble(const pdf_haru *h, const pdf_objs *o, const char *version,
                       unsigned root, unsigned info, pdf_file *out, bl_error *err);

#endif
