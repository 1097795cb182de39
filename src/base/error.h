/* error.h - status codes, the error record every fallible function fills,
 * and the warning channel.
 *
 * Errors are values: a fallible function returns a bl_status and takes a
 * bl_error * last; on failure it fills the record (first error wins: a record
 * whose code is already set is left alone) and returns the same code. Nothing
 * below the CLI prints or exits. Warnings (a glyph no font has, a line that
 * could not be justified) go to a bl_warn_fn the caller supplies. */
#ifndef BL_ERROR_H
#define BL_ERROR_H

#include <stddef.h>

typedef enum bl_status {
    BL_OK = 0,
    BL_ERR_IO,      /* a file could not be read or written */
    BL_ERR_SYNTAX,  /* the input or a layout file is malformed */
    BL_ERR_LIMIT,   /* a documented size limit was exceeded */
    BL_ERR_FONT,    /* no usable font, or a font file is broken */
    BL_ERR_LAYOUT,  /* the content cannot be placed (e.g. a line wider than a page) */
    BL_ERR_PDF,     /* the PDF backend failed */
    BL_ERR_NOMEM,   /* out of memory */
    BL_ERR_USAGE    /* a caller passed arguments that make no sense */
} bl_status;

enum { BL_ERROR_FILE_MAX = 1024, BL_ERROR_MSG_MAX = 512 };

typedef struct bl_error {
    bl_status code;                 /* BL_OK while no error was recorded */
    char file[BL_ERROR_FILE_MAX];   /* input file the error is about, or "" */
    int line;                       /* 1-based; 0 when not about a position */
    int col;                        /* 1-based, in characters (code points) */
    char message[BL_ERROR_MSG_MAX]; /* one sentence, no trailing newline */
} bl_error;

/* A warning: same shape as an error, code set to the kind of trouble. */
typedef void (*bl_warn_fn)(void *ctx, const bl_error *warning);

typedef struct bl_warner {
    bl_warn_fn fn; /* may be NULL: warnings are then dropped */
    void *ctx;
} bl_warner;

/* Resets a record to "no error". */
void bl_error_clear(bl_error *err);

/* Records an error unless one is already recorded (first error wins).
 * file may be NULL. Returns code, so callers can `return bl_error_set(...)`. */
bl_status bl_error_set(bl_error *err, bl_status code, const char *file, int line,
                       int col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* Sends a warning through w (if it has a function). */
void bl_warn(const bl_warner *w, bl_status code, const char *file, int line, int col,
             const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* A short English name of a status ("I/O error", ...), never NULL. */
const char *bl_status_name(bl_status code);

#endif
