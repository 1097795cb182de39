/* arena.h - a region allocator: one per document (or per batch job).
 *
 * Everything allocated from an arena is released at once by bl_arena_free.
 * Allocations are 16-byte aligned and zero-filled. On exhaustion of memory
 * the allocators return NULL; callers turn that into BL_ERR_NOMEM. */
#ifndef BL_ARENA_H
#define BL_ARENA_H

#include <stddef.h>

typedef struct bl_arena bl_arena;

/* Creates an empty arena; NULL when out of memory. Release with bl_arena_free. */
bl_arena *bl_arena_new(void);

/* Releases the arena and everything allocated from it. NULL is a no-op. */
void bl_arena_free(bl_arena *a);

/* size zeroed bytes, or NULL when out of memory (or size overflows). */
void *bl_arena_alloc(bl_arena *a, size_t size);

/* n * size zeroed bytes, with the product checked for overflow. */
void *bl_arena_calloc(bl_arena *a, size_t n, size_t size);

/* A NUL-terminated copy of s[0..len). */
char *bl_arena_strndup(bl_arena *a, const char *s, size_t len);

/* A NUL-terminated copy of s. */
char *bl_arena_strdup(bl_arena *a, const char *s);

/* Grows an arena array: returns a block of new_n elements holding the first
 * old_n elements of old (old may be NULL when old_n is 0). The old block is
 * not reused; use geometric growth so the waste stays bounded. */
void *bl_arena_grow(bl_arena *a, void *old, size_t old_n, size_t new_n, size_t elem);

/* Bytes handed out so far (for benchmarks and limits). */
size_t bl_arena_used(const bl_arena *a);

#endif
