/* lint_priv.h - what the files of src/lint share (not an interface). */
#ifndef BL_LINT_PRIV_H
#define BL_LINT_PRIV_H

#include <stddef.h>

#include "../base/error.h"

/* The final text w (UTF-8, LF line ends, as bl_decode_input made it from
 * raw, with the same number of lines) written back in raw's encoding, each
 * line with the line end it had in raw. *out is malloc'd and NUL-terminated.
 * Fails (BL_ERR_IO, nothing to write) when raw would not convert back byte
 * for byte, or the line counts differ. */
bl_status lint_rebuild(const char *raw, size_t rlen, const char *w, size_t wlen,
                       const char *file, char **out, size_t *out_len, bl_error *err);

#endif
