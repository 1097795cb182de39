/* grow.h - arrays that grow by doubling, on the heap or in an arena: the one
 * place that computes a new capacity (with the overflow checks), so n
 * appends cost O(n) everywhere. */
#ifndef BL_GROW_H
#define BL_GROW_H

#include <stddef.h>

#include "arena.h"

/* Room for `more` elements after the n used of the malloc'd array items of
 * *cap elements of elem bytes: items itself when they fit, else the array
 * realloc'd to a doubled capacity (from `first`, at least n + more) and *cap
 * updated. NULL when out of memory or the size overflows: items is then
 * untouched and still the caller's. */
void *bl_reserve(void *items, size_t *cap, size_t n, size_t more, size_t elem, size_t first);

/* The same for an array allocated from arena (the outgrown block stays in the
 * arena until it is freed: the doubling keeps that waste below the array's
 * own size). */
void *bl_arena_reserve(bl_arena *a, void *items, size_t *cap, size_t n, size_t more,
                       size_t elem, size_t first);

#endif
