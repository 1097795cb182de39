/* utf8.h - decoding and encoding UTF-8, and character classes shared by stages. */
#ifndef BL_UTF8_H
#define BL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes one code point from s[0..len). Returns the number of bytes used
 * (1..4) and stores the code point in *cp; returns 0 for an invalid or
 * truncated sequence (overlong forms, surrogates and values past U+10FFFF are
 * invalid), leaving *cp = 0xFFFD. len must be > 0. */
size_t bl_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encodes cp into out (at least 4 bytes); returns the byte count (0 if cp is
 * not a Unicode scalar value). */
size_t bl_utf8_encode(uint32_t cp, char *out);

/* The number of code points in a valid UTF-8 string of len bytes. */
size_t bl_utf8_count(const char *s, size_t len);

/* Edit (Levenshtein) distance between a[0..alen) and b[0..blen) counted in
 * code points; for suggesting the nearest key of a small vocabulary, so only
 * the first 48 characters of each count. */
int bl_utf8_distance(const char *a, size_t alen, const char *b, size_t blen);

/* True for ideographs and other characters set on the CJK em grid
 * (Han, kana, full-width forms, CJK punctuation). */
int bl_is_cjk(uint32_t cp);

/* Terminal display width of cp: 2 for East Asian wide/full-width, else 1. */
int bl_display_width(uint32_t cp);

#endif
