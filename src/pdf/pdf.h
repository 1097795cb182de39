/* pdf.h - writing a display list as PDF: the only module that sees libharu.
 *
 * Pages of the size the display list says, text as Type0/Identity-H fonts
 * over subsets of the used glyphs (widths as the font programs have them),
 * each with a /ToUnicode map so text extracts, colours as the display list
 * gives them (CMYK for print), Info from the display list's info, an outline
 * and page labels; tagged (a structure tree from the runs' elements); on
 * request PDF/A-1b or PDF/A-2b (bl_writer_opts.pdfa). Output depends only on
 * the display list, the font files and the profile: byte-identical run to
 * run. */
#ifndef BL_PDF_H
#define BL_PDF_H

#include <stddef.h>

#include "../base/error.h"
#include "../display/display.h"
#include "../shape/shape.h"
#include "../writer/writer.h"

/* The PDF format for the writer interface (writer.h). */
extern const bl_writer bl_pdf_writer;

/* Renders the document into memory: *out is malloc'd (caller frees). */
bl_status bl_pdf_render(const bl_display *d, bl_shaper *shaper, unsigned char **out,
                        size_t *out_len, bl_error *err);

/* Renders and writes to path atomically: a temporary file in the same
 * directory, renamed over path only when complete. On failure no file is left
 * behind and an existing file at path is untouched. */
bl_status bl_pdf_write(const bl_display *d, bl_shaper *shaper, const char *path,
                       bl_error *err);

#endif
