/* svg.h - writing a display list as SVG: one self-contained SVG 1.1 file per
 * page, for the browser preview of `bulletin serve` and for the web.
 *
 * Each glyph is a path taken from the font's own outlines (no font is
 * embedded or needed to view it), defined once per page and placed with
 * <use>; rules are lines; colours are the RGB look of the PDF's (CMYK red as
 * a screen shows it). The text is laid over the glyphs, invisible, so a
 * browser can search and copy it. Output depends only on the display list
 * and the font files: byte-identical run to run. */
#ifndef BL_SVG_H
#define BL_SVG_H

#include "../writer/writer.h"

/* The SVG format for the writer interface (writer.h): page K (1-based) is
 * the file with suffix "-K" (OUT.svg -> OUT-1.svg, OUT-2.svg, ...). */
extern const bl_writer bl_svg_writer;

/* The sRGB colour (0..255 each) a display-list colour is shown with: gray
 * and RGB as given; CMYK as the PDF shows it on screen (svg.c says how). */
void bl_svg_rgb(const bl_color *c, unsigned char rgb[3]);

#endif
