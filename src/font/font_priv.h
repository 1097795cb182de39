/* font_priv.h - what the font module's files share: the on-disk record of
 * fontconfig's answers (fcdisk.c), so a process whose fonts were resolved
 * before never starts fontconfig. */
#ifndef BL_FONT_PRIV_H
#define BL_FONT_PRIV_H

#include <fontconfig/fontconfig.h>

typedef struct bl_fcdisk bl_fcdisk;

/* Opens the record for a fontconfig set-up named by key (the configuration
 * file, or "" for the system's), under $XDG_CACHE_HOME/bulletin (else
 * ~/.cache/bulletin). Its answers count only while every file and folder
 * fontconfig read when they were recorded (configuration files, font
 * folders) is unchanged: otherwise it starts empty. NULL when there is no
 * cache folder, when BULLETIN_FONT_CACHE=off, or out of memory: then the
 * caller asks fontconfig every time. */
bl_fcdisk *bl_fcdisk_open(const char *key);

/* The recorded answer for query: 1 with *file NULL when no installed font
 * fits, 1 with *file, *index, *family, *style (borrowed) for a face, 0 when
 * query was never recorded. */
int bl_fcdisk_get(const bl_fcdisk *d, const char *query, const char **file, int *index,
                  const char **family, const char **style);

/* Records an answer (file NULL: none fits). Queries holding a tab or a
 * newline are not recorded. Returns 0 when out of memory. */
int bl_fcdisk_put(bl_fcdisk *d, const char *query, const char *file, int index,
                  const char *family, const char *style);

/* Writes the record (atomically) when answers were added, with the files
 * and folders config read as what keeps it valid, plus extra_dir (the
 * application font folder) when not NULL. Failure to write is not an
 * error: the next process asks fontconfig again. */
void bl_fcdisk_save(bl_fcdisk *d, FcConfig *config, const char *extra_dir);

/* NULL is a no-op. */
void bl_fcdisk_free(bl_fcdisk *d);

#endif
