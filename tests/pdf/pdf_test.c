/* pdf_test.c - the PDF backend's contract in-process: deterministic bytes,
 * an empty document is still a PDF, a failed write leaves nothing, and a
 * file libharu did not write as expected is refused, never patched. */
#define _XOPEN_SOURCE 700

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "display/display.h"
#include "font/font.h"
#include "pdf/pdf.h"
#include "pdf/pdf_priv.h"
#include "shape/shape.h"

static int has(const unsigned char *d, size_t n, const char *s)
{
    size_t l = strlen(s);
    for (size_t i = 0; i + l <= n; i++)
        if (memcmp(d + i, s, l) == 0)
            return 1;
    return 0;
}

int main(void)
{
    bl_error err;
    bl_error_clear(&err);
    bl_fontcache *fc = NULL;
    bl_shaper *sh = NULL;
    CHECK_INT(bl_fontcache_new("fonts", &fc, &err), BL_OK);
    CHECK_INT(bl_shaper_new(&sh, &err), BL_OK);
    if (!fc || !sh)
        return check_summary();

    /* What pdf_file.c takes apart is libharu's file only: anything else is
     * an error naming what was not as expected. */
    {
        static const char *const bad[] = {
            "not a PDF at all, but long enough to be looked at",
            "%PDF-1.3\n1 0 obj\n<< >>\nendobj\nstartxref\n9999\n%%EOF\n",
            "%PDF-1.3\nxref\n0 2\n0000000000 65535 f\r\n0000000009 00000 n\r\n"
            "trailer\n<< /Size 2 >>\nstartxref\n9\n%%EOF\n",
        };
        for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
            pdf_haru h;
            bl_error e;
            bl_error_clear(&e);
            CHECK_INT(pdf_haru_parse(&h, (const unsigned char *)bad[i], strlen(bad[i]), 1, &e),
                      BL_ERR_PDF);
            CHECK(strstr(e.message, "libharu's document is not as expected") != NULL);
            pdf_haru_free(&h);
        }
    }

    /* No pages: still a complete PDF. */
    bl_arena *a = bl_arena_new();
    bl_display *d = bl_display_new(a);
    unsigned char *out = NULL;
    size_t len = 0;
    CHECK_INT(bl_pdf_render(d, sh, &out, &len, &err), BL_OK);
    CHECK(out && len > 100 && memcmp(out, "%PDF-1.4", 8) == 0);
    CHECK(out && has(out, len, "%%EOF"));
    free(out);

    /* A page with one run: the same display list gives the same bytes. */
    const char *pats[] = {"Noto Serif CJK SC"};
    const bl_fontchain *ch = NULL;
    CHECK_INT(bl_fontcache_chain(fc, pats, 1, &ch, &err), BL_OK);
    bl_glyph *g = NULL;
    size_t n = 0;
    const char *text = "中文𠮷";
    CHECK_INT(bl_shape_text(sh, ch, 12, text, strlen(text), a, &g, &n, &err), BL_OK);
    bl_dl_page *p = bl_display_add_page(d, 595.276f, 841.89f);
    bl_dl_glyph dg[3];
    memset(dg, 0, sizeof dg);
    for (size_t i = 0; i < n && i < 3; i++) {
        dg[i].gid = g[i].gid;
        dg[i].x = 12.0f * (float)i;
        dg[i].advance = 12.0f;
        dg[i].text_off = g[i].cluster; /* 3, 3 and 4 bytes */
    }
    bl_dl_text t = {ch->fonts[0], 12, {BL_CMYK, {0, 0, 0, 1}}, 100, 700, text, strlen(text),
                    dg, 3, "正文", "body", 0, NULL};
    CHECK_INT(bl_display_add_text(d, p, &t, &err), BL_OK);
    d->info.title = "Test";
    unsigned char *a1 = NULL, *a2 = NULL;
    size_t l1 = 0, l2 = 0;
    CHECK_INT(bl_pdf_render(d, sh, &a1, &l1, &err), BL_OK);
    CHECK_INT(bl_pdf_render(d, sh, &a2, &l2, &err), BL_OK);
    CHECK(a1 && a2 && l1 == l2 && memcmp(a1, a2, l1) == 0);
    /* An /ID from the content: the same for the same document. */
    CHECK(a1 && has(a1, l1, "/ID [<"));
    CHECK(a1 && has(a1, l1, "/Title (Test)"));
    CHECK(a1 && has(a1, l1, "/FontFile3"));
    CHECK(a1 && has(a1, l1, "/CIDFontType0C"));
    CHECK(a1 && has(a1, l1, "/Identity-H"));
    CHECK(a1 && !has(a1, l1, "/CreationDate")); /* year 0: no date at all */
    free(a1);
    free(a2);

    /* A date from the display list, never the clock. */
    d->info.year = 2023;
    d->info.month = 3;
    d->info.day = 28;
    CHECK_INT(bl_pdf_render(d, sh, &a1, &l1, &err), BL_OK);
    CHECK(a1 && has(a1, l1, "/CreationDate (D:20230328000000+00'00')"));
    free(a1);

    /* Writing into a missing folder fails with an I/O error and leaves no
     * file; a good path gets the file. */
    bl_error_clear(&err);
    CHECK_INT(bl_pdf_write(d, sh, "/nonexistent-dir/x.pdf", &err), BL_ERR_IO);
    struct stat st;
    CHECK(stat("/nonexistent-dir/x.pdf", &st) != 0);
    bl_error_clear(&err);
    char path[] = "/tmp/bl-pdf-test-XXXXXX";
    if (mkdtemp(path)) {
        char file[64];
        snprintf(file, sizeof file, "%s/out.pdf", path);
        CHECK_INT(bl_pdf_write(d, sh, file, &err), BL_OK);
        CHECK(stat(file, &st) == 0 && st.st_size > 1000);
        remove(file);
        rmdir(path);
    }

    bl_arena_free(a);
    bl_shaper_free(sh);
    bl_fontcache_free(fc);
    return check_summary();
}
