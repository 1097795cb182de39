/* fuzz_style.c - libFuzzer target: the layout-file parser. */
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "layout/style.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bl_arena *a = bl_arena_new();
    if (!a)
        return 0;
    bl_error err;
    bl_error_clear(&err);
    const bl_style *st = NULL;
    bl_style_parse((const char *)data, size, "fuzz.layout", BL_SOURCE_DIR "/layouts", a, &st,
                   &err);
    bl_arena_free(a);
    return 0;
}
