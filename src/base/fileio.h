/* fileio.h - reading whole files and writing files atomically. */
#ifndef BL_FILEIO_H
#define BL_FILEIO_H

#include <stddef.h>

#include "error.h"

/* Reads the whole file at path into a malloc'd buffer (NUL-terminated, the
 * NUL not counted in *len). Files larger than max_size bytes fail with
 * BL_ERR_LIMIT; unreadable ones with BL_ERR_IO naming the file and the reason. */
bl_status bl_read_file(const char *path, size_t max_size, char **out, size_t *len,
                       bl_error *err);

/* Writes data to path atomically: a temporary file in path's directory,
 * flushed, then renamed over path. On any failure the temporary file is
 * removed, an existing file at path is untouched, and err says why. */
bl_status bl_write_file_atomic(const char *path, const void *data, size_t len,
                               bl_error *err);

/* The same for rewriting a file in place (lint --fix): the new file keeps
 * the permissions of the one it replaces. */
bl_status bl_replace_file(const char *path, const void *data, size_t len, bl_error *err);

#endif
