/* grow.c - arrays that grow by doubling (see grow.h). */
#include "grow.h"

#include <stdint.h>
#include <stdlib.h>

/* The capacity n + more elements need, or 0 when it overflows. */
static size_t next_cap(size_t cap, size_t n, size_t more, size_t elem, size_t first)
{
    if (more > SIZE_MAX - n)
        return 0;
    size_t need = n + more, c = cap ? cap : (first ? first : 1);
    while (c < need) {
        if (c > SIZE_MAX / 2)
            return 0;
        c *= 2;
    }
    return c > SIZE_MAX / elem ? 0 : c;
}

void *bl_reserve(void *items, size_t *cap, size_t n, size_t more, size_t elem, size_t first)
{
    if (items && n + more <= *cap && n + more >= n)
        return items;
    size_t c = next_cap(items ? *cap : 0, n, more, elem, first);
    void *p = c ? realloc(items, c * elem) : NULL;
    if (p)
        *cap = c;
    return p;
}

void *bl_arena_reserve(bl_arena *a, void *items, size_t *cap, size_t n, size_t more,
                       size_t elem, size_t first)
{
    if (items && n + more <= *cap && n + more >= n)
        return items;
    size_t c = next_cap(items ? *cap : 0, n, more, elem, first);
    void *p = c ? bl_arena_grow(a, items, n, c, elem) : NULL;
    if (p)
        *cap = c;
    return p;
}
