/* writer.h - output formats: a laid-out document (the display list) written
 * as PDF (and, by further writers, OFD or SVG), chosen by name or by the
 * output path's extension.
 *
 * In the manner of MuPDF's fz_document_writer, a writer begins the document,
 * writes each page in order, and ends it, handing back the bytes of the files
 * it made. It writes what the display list says and makes no layout decision;
 * the glyph bookkeeping every format needs is shared (display/glyphs.h).
 * writer.c holds the table of formats: the one place that knows them all. */
#ifndef BL_WRITER_H
#define BL_WRITER_H

#include <stddef.h>

#include "../base/error.h"
#include "../base/fileio.h"
#include "../display/display.h"
#include "../shape/shape.h"

/* What a format may need besides the display list. Formats ignore what
 * does not concern them. */
typedef struct bl_writer_opts {
    bl_shaper *shaper; /* font subsets (PDF, OFD); must live as long as the writer */
    int pdfa;          /* PDF: 0 plain, 1 PDF/A-1b, 2 PDF/A-2b */
    const char *icc;   /* PDF/A: the CMYK ICC profile of the output intent, or
                          NULL for BL_PDFA_ICC */
} bl_writer_opts;

/* The CMYK profile PDF/A files carry by default: Artifex's SWOP profile from
 * Debian's libgs-common (ICC v2, as PDF/A-1 needs). */
#define BL_PDFA_ICC "/usr/share/color/icc/ghostscript/default_cmyk.icc"

/* One file of a writer's output: written at the path the user gave, with
 * suffix (e.g. "-1") inserted before its extension ("" for the path itself).
 * Its bytes are data[0..len), or, when pieces is not NULL (data NULL), the
 * concatenation of pieces: a large file is not copied into one buffer only
 * to be written; keep, released with release, owns what they point into. */
typedef struct bl_writer_file {
    char *suffix;
    unsigned char *data;
    size_t len;
    bl_io_piece *pieces;
    size_t npieces;
    void *keep;
    void (*release)(void *keep);
} bl_writer_file;

/* The files a document became, in order. Owned by the caller. */
typedef struct bl_writer_output {
    bl_writer_file *files;
    size_t nfiles, cap;
} bl_writer_output;

/* A format. A writer's state is private to its format (void *). */
typedef struct bl_writer {
    const char *name;      /* "pdf": for --format */
    const char *extension; /* ".pdf": picks the format from an output path */
    const char *summary;   /* one line for --help */
    /* Starts writing d (which outlives the writer) into a new state *w. */
    bl_status (*begin)(const bl_display *d, const bl_writer_opts *o, void **w,
                       bl_error *err);
    /* Writes page index (called for 0 .. npages-1 in order). */
    bl_status (*page)(void *w, size_t index, bl_error *err);
    /* Finishes the document, adding its file(s) to out. */
    bl_status (*end)(void *w, bl_writer_output *out, bl_error *err);
    /* Releases the state, after end or after any failure. NULL is a no-op. */
    void (*drop)(void *w);
    /* 1: begin and page need only the pages written so far (d grows while
     * it writes, and a page's text may be released once it is written), so
     * the layout can hand pages over as it finishes them. */
    int streams;
} bl_writer;

/* The format named name ("pdf"), or NULL. */
const bl_writer *bl_writer_find(const char *name);

/* The format whose extension path has (case-insensitive), or NULL. */
const bl_writer *bl_writer_for_path(const char *path);

/* Every format, in a fixed order; *n of them. */
const bl_writer *const *bl_writer_list(size_t *n);

/* Writes the whole of d with format f into out (begin, every page, end).
 * On failure out holds nothing new and err says why. */
bl_status bl_writer_run(const bl_writer *f, const bl_display *d, const bl_writer_opts *o,
                        bl_writer_output *out, bl_error *err);

/* A writer fed page by page: bl_writer_run's steps apart, for a layout that
 * hands pages over as it finishes them (formats with streams set). */
typedef struct bl_writer_stream {
    const bl_writer *f;
    bl_writer_opts o;
    void *w;
    int begun;
    size_t next; /* pages written */
} bl_writer_stream;

void bl_writer_stream_init(bl_writer_stream *s, const bl_writer *f, const bl_writer_opts *o);

/* Writes page index of d, which must be the next (begins with d first). */
bl_status bl_writer_stream_page(bl_writer_stream *s, const bl_display *d, size_t index,
                                bl_error *err);

/* Writes d's pages not written yet and ends the document into out; the
 * writer is released. On failure out holds nothing new. */
bl_status bl_writer_stream_end(bl_writer_stream *s, const bl_display *d, bl_writer_output *out,
                               bl_error *err);

/* Releases a stream that did not end (after a failure). */
void bl_writer_stream_drop(bl_writer_stream *s);

/* Appends a file to out, taking ownership of data (malloc'd) even on failure.
 * suffix is copied. */
bl_status bl_writer_output_add(bl_writer_output *out, const char *suffix, unsigned char *data,
                               size_t len, bl_error *err);

/* Appends a file made of pieces (len bytes in all), taking ownership of
 * pieces (malloc'd) and keep even on failure. */
bl_status bl_writer_output_add_pieces(bl_writer_output *out, const char *suffix,
                                      bl_io_piece *pieces, size_t npieces, size_t len,
                                      void *keep, void (*release)(void *keep), bl_error *err);

/* Makes every file of out one buffer (data, len), for callers that need
 * the bytes together (serve's replies, bl_pdf_render). */
bl_status bl_writer_output_flatten(bl_writer_output *out, bl_error *err);

/* The path file k of out is written to, given the user's path (malloc'd). */
char *bl_writer_output_path(const bl_writer_output *out, size_t k, const char *path);

/* Adds every file of out to g (written to their temporaries, replaced
 * when g is committed). On failure none of out's files stays in g. */
bl_status bl_writer_output_stage(const bl_writer_output *out, const char *path,
                                 bl_write_group *g, bl_error *err);

/* The bytes of all of out's files. */
size_t bl_writer_output_size(const bl_writer_output *out);

/* Releases out's files and empties it. */
void bl_writer_output_free(bl_writer_output *out);

#endif
