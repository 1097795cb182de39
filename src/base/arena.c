/* arena.c - region allocator (see arena.h): a chain of blocks, bump allocation. */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct block {
    struct block *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
} block;

struct bl_arena {
    block *head;
    size_t total;
};

enum { BLOCK_MIN = 64 * 1024, ALIGN = 16 };

bl_arena *bl_arena_new(void)
{
    return calloc(1, sizeof(bl_arena));
}

void bl_arena_free(bl_arena *a)
{
    if (!a)
        return;
    for (block *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(a);
}

void *bl_arena_alloc(bl_arena *a, size_t size)
{
    if (size > SIZE_MAX - 2 * ALIGN - sizeof(block))
        return NULL;
    size_t need = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (need == 0)
        need = ALIGN;
    block *b = a->head;
    if (!b || b->size - b->used < need) {
        size_t bsize = need > BLOCK_MIN ? need : BLOCK_MIN;
        /* Grow blocks with the arena so huge documents need few mallocs. */
        if (a->total / 4 > bsize && a->total / 4 < (size_t)64 << 20)
            bsize = (a->total / 4 + ALIGN - 1) & ~(size_t)(ALIGN - 1);
        block *nb = malloc(sizeof(block) + bsize);
        if (!nb)
            return NULL;
        nb->size = bsize;
        nb->used = 0;
        if (b && bsize == need) {
            /* A large one-off: keep the current block for small requests. */
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            a->head = nb;
        }
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += need;
    a->total += need;
    memset(p, 0, need);
    return p;
}

void *bl_arena_calloc(bl_arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return bl_arena_alloc(a, n * size);
}

char *bl_arena_strndup(bl_arena *a, const char *s, size_t len)
{
    char *p = bl_arena_alloc(a, len + 1);
    if (p && len)
        memcpy(p, s, len);
    return p;
}

char *bl_arena_strdup(bl_arena *a, const char *s)
{
    return bl_arena_strndup(a, s, strlen(s));
}

void *bl_arena_grow(bl_arena *a, void *old, size_t old_n, size_t new_n, size_t elem)
{
    void *p = bl_arena_calloc(a, new_n, elem);
    if (p && old && old_n)
        memcpy(p, old, (old_n < new_n ? old_n : new_n) * elem);
    return p;
}

size_t bl_arena_used(const bl_arena *a)
{
    return a->total;
}
