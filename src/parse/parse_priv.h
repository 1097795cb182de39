/* parse_priv.h - the parser's limits (documented in docs/format.md). Any real
 * bulletin is far inside them; they keep hostile input bounded. */
#ifndef BL_PARSE_PRIV_H
#define BL_PARSE_PRIV_H

#define BL_MAX_INPUT_BYTES ((size_t)16 << 20)   /* 16 MiB */
#define BL_MAX_LINE_BYTES ((size_t)1 << 20)     /* 1 MiB */
#define BL_MAX_PARA_BYTES ((size_t)1 << 20)     /* 1 MiB */
#define BL_MAX_PARTS 10000                      /* articles + sections + items */
#define BL_MAX_PARAS 100000                     /* paragraphs in all */
#define BL_MAX_TITLE_BYTES ((size_t)16 << 10)   /* 16 KiB for a title */
#define BL_MAX_MASTHEADS 16                     /* 报头 lines of a joint issue */

#endif
