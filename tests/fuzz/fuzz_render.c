/* fuzz_render.c - libFuzzer target: the whole pipeline, from issue text to
 * PDF bytes in memory, with the default layout and the system's fonts. */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "layout/layout.h"
#include "parse/parse.h"
#include "pdf/pdf.h"

static bl_fontcache *fonts;
static bl_shaper *shaper;

/* The process-wide font cache and shaper are made before fuzzing starts:
 * fontconfig keeps some of its allocations through encoded offsets that
 * LeakSanitizer cannot follow, so making them inside the first input would be
 * reported as a leak of that input. The default layout's font chains are
 * resolved here too, for the same reason. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    bl_error err;
    bl_error_clear(&err);
    /* fontconfig starts here, not at the first pattern an input asks for
     * that the on-disk record of its answers lacks. */
    setenv("BULLETIN_FONT_CACHE", "off", 1);
    if (bl_fontcache_new(BL_SOURCE_DIR "/fonts", &fonts, &err) != BL_OK ||
        bl_shaper_new(&shaper, &err) != BL_OK)
        abort(); /* the fuzzer needs fonts; a broken set-up is not a finding */
    bl_shaper_keep_pages(shaper, 1); /* one process renders every input */
    bl_arena *a = bl_arena_new();
    const bl_style *style = NULL;
    if (!a || bl_style_load("zhuanbao", BL_SOURCE_DIR "/layouts", a, &style, &err) != BL_OK)
        abort();
    for (int r = 0; r < BL_ROLE_COUNT; r++) {
        const bl_fontchain *chain;
        if (bl_fontcache_chain(fonts, style->role_patterns[r], style->role_npatterns[r], &chain,
                               &err) != BL_OK)
            abort();
    }
    bl_arena_free(a);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bl_error err;
    bl_error_clear(&err);
    bl_doc *doc = NULL;
    if (bl_doc_parse((const char *)data, size, "fuzz.txt", NULL, &doc, &err) != BL_OK)
        return 0;
    bl_arena *a = bl_arena_new();
    const bl_style *style = NULL;
    bl_display *d = NULL;
    bl_layout_env env = {fonts, shaper, NULL, "bulletin fuzz", 0, NULL, NULL};
    /* 版式：gongwen picks the 公文 frame (its fonts are zhuanbao's) */
    const bl_text *lay = &bl_doc_get(doc)->layout;
    const char *name = lay->len == 7 && memcmp(lay->s, "gongwen", 7) == 0 ? "gongwen" : "zhuanbao";
    if (a && bl_style_load(name, BL_SOURCE_DIR "/layouts", a, &style, &err) == BL_OK &&
        bl_layout_document(doc, style, &env, a, &d, &err) == BL_OK) {
        unsigned char *pdf = NULL;
        size_t len = 0;
        if (bl_pdf_render(d, shaper, &pdf, &len, &err) == BL_OK)
            free(pdf);
    }
    bl_arena_free(a);
    bl_doc_free(doc);
    return 0;
}
