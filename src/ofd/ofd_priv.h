/* ofd_priv.h - what the parts of the OFD writer share: a growable buffer
 * that writes XML in the ofd: namespace with correct escaping, lengths in
 * OFD's millimetres, and the ZIP container. Private to src/ofd/. */
#ifndef BL_OFD_PRIV_H
#define BL_OFD_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "../base/error.h"
#include "../display/display.h"
#include "../display/glyphs.h"
#include "../shape/shape.h"

/* The namespace every element is written in, with the prefix ofd: (readers
 * such as ofd.js look elements up by the prefixed name). */
#define OFD_NS "http://www.ofdspec.org/2016"

/* ---- XML ----------------------------------------------------------------- */

/* A growable byte buffer. On allocation failure it sets oom and ignores
 * further writes, so callers check once at the end. */
typedef struct ofd_xml {
    char *p;
    size_t n, cap;
    int oom;
} ofd_xml;

void ox_raw(ofd_xml *x, const char *s, size_t n);
void ox_puts(ofd_xml *x, const char *s);

/* The XML declaration and the root element's start, declaring xmlns:ofd;
 * the caller adds attributes and ends the tag (ox_gt). */
void ox_root(ofd_xml *x, const char *name);

/* "<ofd:name": a start tag left open for attributes. */
void ox_open(ofd_xml *x, const char *name);
/* ">" and "/>", ending a start tag. */
void ox_gt(ofd_xml *x);
void ox_empty(ofd_xml *x);
/* "</ofd:name>". */
void ox_close(ofd_xml *x, const char *name);

/* An attribute: value escaped (NULL writes nothing). */
void ox_attr(ofd_xml *x, const char *name, const char *value);
void ox_attr_uint(ofd_xml *x, const char *name, unsigned long v);

/* Whether XML 1.0 allows the character cp in a document. */
int ox_is_char(uint32_t cp);

/* Character data: s[0..n) as UTF-8, characters XML 1.0 forbids dropped.
 * Text holding & or < goes in a CDATA section instead of entities: ofd.js
 * reads TextCode text without resolving entities. */
void ox_text(ofd_xml *x, const char *s, size_t n);

/* <ofd:name>text</ofd:name> (nothing when text is NULL). */
void ox_leaf(ofd_xml *x, const char *name, const char *text);

/* ---- lengths ------------------------------------------------------------- */

/* A length in units of 1/10000 mm. Positions are converted once and every
 * relative value (TextCode X/Y, DeltaX, path points) is a difference of
 * converted positions, so rounding never accumulates along a line. */
typedef long long ofd_mm;

ofd_mm ofd_mm_from_pt(double pt);

/* A page dimension: to the micrometre, so A4 in points (595.276 x 841.89)
 * is the 210 x 297 mm it stands for, not 210.0001 x 297.0001. */
ofd_mm ofd_page_mm(double pt);

/* Writes v in millimetres ("12.3456", at most 4 decimals). */
void ox_mm(ofd_xml *x, ofd_mm v);
void ox_attr_mm(ofd_xml *x, const char *name, ofd_mm v);

/* ---- the package ----------------------------------------------------------- */

typedef struct ofd_member {
    const char *name; /* path in the package */
    const void *data;
    size_t len;
} ofd_member;

/* Zips members[0..n) in that order, deflated, every entry stamped with the
 * document's date (1980-01-01 when it has none), into *out (malloc'd). */
bl_status ofd_zip(const ofd_member *members, size_t n, const bl_dl_info *date,
                  unsigned char **out, size_t *len, bl_error *err);

/* ---- the writer's state -------------------------------------------------- */

/* A font the pages use, with its embedded subset. */
typedef struct ofd_font {
    const bl_font *font;
    unsigned id;             /* its ST_ID in PublicRes.xml */
    const uint32_t *gids;    /* the glyph ids used, ascending (the glyph usage's) */
    size_t ngids;
    uint32_t *new_gids;      /* per gids[i]: its id in the subset */
    uint32_t *cps;           /* every character set in the font, ascending */
    size_t ncps, cap_cps;
    uint32_t *cp_gids;       /* per cps[i]: the subset glyph its cmap gives */
    unsigned char *file;     /* the OpenType subset */
    size_t file_len;
    char file_name[32];      /* in Doc_0/Res/ */
} ofd_font;

typedef struct ofd_writer {
    const bl_display *d;
    bl_shaper *shaper;
    bl_glyph_usage *usage;
    ofd_font *fonts; /* in the glyph usage's order */
    size_t nfonts;
    unsigned cs[3];  /* ColorSpace IDs per bl_colorspace, 0: unused (gray is
                      * written in CMYK) */
    unsigned last_id;
    unsigned *page_ids;
    ofd_xml *pages;  /* each page's Content.xml */
    bl_error *err;
} ofd_writer;

/* Writes page index's Content.xml into w->pages[index], giving the page,
 * its layer and each object the next IDs. */
bl_status ofd_write_page(ofd_writer *w, size_t index);

#endif
