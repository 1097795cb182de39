/* ofd.h - writing a display list as OFD (GB/T 33190-2016), the national
 * fixed-layout format Chinese e-government archives take.
 *
 * The package is a ZIP (libzip) of XML parts in the ofd: namespace: OFD.xml
 * (document information), Doc_0/Document.xml (page area, pages, outline),
 * Doc_0/PublicRes.xml (fonts, colour spaces), one Content.xml per page, and
 * an OpenType subset of every font the pages use. Text is placed glyph by
 * glyph where the display list puts it, as in the PDF. Output depends only on
 * the display list and the font files: byte-identical run to run. */
#ifndef BL_OFD_H
#define BL_OFD_H

#include "../writer/writer.h"

/* The OFD format for the writer interface (writer.h). */
extern const bl_writer bl_ofd_writer;

#endif
