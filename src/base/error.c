/* error.c - the error record and the warning channel (see error.h). */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void bl_error_clear(bl_error *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
}

static void fill(bl_error *rec, bl_status code, const char *file, int line, int col,
                 const char *fmt, va_list ap)
{
    rec->code = code;
    rec->line = line;
    rec->col = col;
    snprintf(rec->file, sizeof rec->file, "%s", file ? file : "");
    vsnprintf(rec->message, sizeof rec->message, fmt, ap);
}

bl_status bl_error_set(bl_error *err, bl_status code, const char *file, int line,
                       int col, const char *fmt, ...)
{
    if (!err || err->code != BL_OK)
        return code;
    va_list ap;
    va_start(ap, fmt);
    fill(err, code, file, line, col, fmt, ap);
    va_end(ap);
    return code;
}

void bl_warn(const bl_warner *w, bl_status code, const char *file, int line, int col,
             const char *fmt, ...)
{
    if (!w || !w->fn)
        return;
    bl_error rec;
    va_list ap;
    va_start(ap, fmt);
    fill(&rec, code, file, line, col, fmt, ap);
    va_end(ap);
    w->fn(w->ctx, &rec);
}

const char *bl_status_name(bl_status code)
{
    switch (code) {
    case BL_OK: return "no error";
    case BL_ERR_IO: return "I/O error";
    case BL_ERR_SYNTAX: return "syntax error";
    case BL_ERR_LIMIT: return "limit exceeded";
    case BL_ERR_FONT: return "font error";
    case BL_ERR_LAYOUT: return "layout error";
    case BL_ERR_PDF: return "PDF error";
    case BL_ERR_NOMEM: return "out of memory";
    case BL_ERR_USAGE: return "usage error";
    }
    return "unknown error";
}
