/* json.h - the one JSON helper the writers of dumps and reports share. */
#ifndef BL_JSON_H
#define BL_JSON_H

#include <stdio.h>

/* Writes s (UTF-8; NULL as "") as a JSON string literal, escaping quotes,
 * backslashes and control characters; a byte that is not UTF-8 (file names
 * can hold any) is written as \ufffd, so the output is always valid JSON. */
void bl_json_string(FILE *f, const char *s);

#endif
