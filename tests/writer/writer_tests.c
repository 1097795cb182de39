/* writer_tests.c - the writer interface: formats found by name and by an
 * output path's extension, the paths of a multi-file output, a failing
 * writer leaving nothing behind, and the glyph usage every writer shares. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>

#include "check.h"
#include "display/glyphs.h"
#include "writer/writer.h"

static void test_find(void)
{
    const bl_writer *pdf = bl_writer_find("pdf");
    CHECK(pdf != NULL);
    CHECK_STR(pdf->extension, ".pdf");
    CHECK(bl_writer_find("PDF") == NULL); /* names are exact */
    CHECK(bl_writer_find("nope") == NULL);
    CHECK(bl_writer_for_path("out/x.pdf") == pdf);
    CHECK(bl_writer_for_path("X.PDF") == pdf); /* extensions are not case-sensitive */
    CHECK(bl_writer_for_path("x.pdf.txt") == NULL);
    CHECK(bl_writer_for_path("dir.pdf/x") == NULL);
    CHECK(bl_writer_for_path("noext") == NULL);
    size_t n;
    const bl_writer *const *all = bl_writer_list(&n);
    CHECK(n >= 1);
    CHECK(all[0] == pdf);
}

static void test_paths(void)
{
    bl_writer_output out = {0};
    bl_error err;
    bl_error_clear(&err);
    CHECK_INT(bl_writer_output_add(&out, "", (unsigned char *)strdup("a"), 1, &err), BL_OK);
    CHECK_INT(bl_writer_output_add(&out, "-2", (unsigned char *)strdup("b"), 1, &err), BL_OK);
    char *p0 = bl_writer_output_path(&out, 0, "d/x.svg");
    char *p1 = bl_writer_output_path(&out, 1, "d/x.svg");
    char *p2 = bl_writer_output_path(&out, 1, "d.v/x");
    char *p3 = bl_writer_output_path(&out, 1, "d/.hidden");
    CHECK_STR(p0, "d/x.svg");
    CHECK_STR(p1, "d/x-2.svg");
    CHECK_STR(p2, "d.v/x-2");
    CHECK_STR(p3, "d/.hidden-2");
    free(p0);
    free(p1);
    free(p2);
    free(p3);
    bl_writer_output_free(&out);
    CHECK_INT(out.nfiles, 0);
}

static int released;
static void release(void *keep)
{
    released++;
    free(keep);
}

/* A file made of pieces becomes one buffer, and what it kept is released. */
static void test_pieces(void)
{
    bl_writer_output out = {0};
    bl_error err;
    bl_error_clear(&err);
    char *keep = strdup("pieces");
    bl_io_piece *pc = malloc(3 * sizeof *pc);
    pc[0] = (bl_io_piece){keep, 3};
    pc[1] = (bl_io_piece){"", 0};
    pc[2] = (bl_io_piece){keep + 3, 3};
    released = 0;
    CHECK_INT(bl_writer_output_add_pieces(&out, "", pc, 3, 6, keep, release, &err), BL_OK);
    CHECK_INT(bl_writer_output_flatten(&out, &err), BL_OK);
    CHECK_INT(released, 1);
    CHECK_INT(out.files[0].len, 6);
    CHECK(out.files[0].pieces == NULL);
    CHECK(memcmp(out.files[0].data, "pieces", 6) == 0);
    bl_writer_output_free(&out);
    /* Freed unflattened: released too. */
    pc = malloc(sizeof *pc);
    keep = strdup("x");
    pc[0] = (bl_io_piece){keep, 1};
    CHECK_INT(bl_writer_output_add_pieces(&out, "", pc, 1, 1, keep, release, &err), BL_OK);
    bl_writer_output_free(&out);
    CHECK_INT(released, 2);
}

/* A format that makes a file, then fails on page 2. */
static int pages_seen;
static bl_status f_begin(const bl_display *d, const bl_writer_opts *o, void **w, bl_error *err)
{
    (void)d, (void)o, (void)err;
    *w = malloc(1);
    pages_seen = 0;
    return BL_OK;
}
static bl_status f_page(void *w, size_t index, bl_error *err)
{
    (void)w;
    pages_seen++;
    return index == 1 ? bl_error_set(err, BL_ERR_PDF, NULL, 0, 0, "page 2 broke") : BL_OK;
}
static bl_status f_end(void *w, bl_writer_output *out, bl_error *err)
{
    (void)w;
    return bl_writer_output_add(out, "", (unsigned char *)strdup("x"), 1, err);
}
static void f_drop(void *w)
{
    free(w);
}

static void test_failure(void)
{
    bl_arena *a = bl_arena_new();
    bl_display *d = bl_display_new(a);
    for (int i = 0; i < 3; i++)
        bl_display_add_page(d, 595, 842);
    bl_writer f = {"fail", ".fail", "fails", f_begin, f_page, f_end, f_drop, 0};
    bl_writer_output out = {0};
    bl_error err;
    bl_error_clear(&err);
    CHECK_INT(bl_writer_run(&f, d, &(bl_writer_opts){NULL}, &out, &err), BL_ERR_PDF);
    CHECK_INT(pages_seen, 2);
    CHECK_INT(out.nfiles, 0);
    CHECK_STR(err.message, "page 2 broke");
    /* An empty document has no fonts in use. */
    bl_glyph_usage *u = NULL;
    CHECK_INT(bl_glyph_usage_new(d, &u, &err), BL_OK);
    CHECK_INT(bl_glyph_usage_nfonts(u), 0);
    bl_glyph_usage_free(u);
    bl_writer_output_free(&out);
    bl_arena_free(a);
}

/* A page's items keep their order and values when the next page moves them
 * to an exact-size array, and an older page can still be added to. */
static void test_page_items(void)
{
    bl_arena *a = bl_arena_new();
    bl_display *d = bl_display_new(a);
    bl_error err;
    bl_error_clear(&err);
    const int counts[3] = {40, 3, 0};
    for (int p = 0; p < 3; p++) {
        CHECK(bl_display_add_page(d, 595, 842) != NULL);
        for (int i = 0; i < counts[p]; i++) {
            bl_dl_rule r = {(float)(p * 100 + i), 0, 1, 1, 1, {BL_GRAY, {0}}, "rule"};
            CHECK_INT(bl_display_add_rule(d, &d->pages[p], &r, &err), BL_OK);
        }
    }
    bl_dl_rule late = {999, 0, 1, 1, 1, {BL_GRAY, {0}}, "rule"};
    CHECK_INT(bl_display_add_rule(d, &d->pages[0], &late, &err), BL_OK);
    CHECK_INT(d->pages[0].nitems, 41);
    CHECK_INT(d->pages[1].nitems, 3);
    CHECK_INT(d->pages[1].cap, 3); /* exact: no slack left behind */
    CHECK_INT(d->pages[2].nitems, 0);
    for (int i = 0; i < 40; i++)
        CHECK_INT((int)d->pages[0].items[i].u.rule.x0, i);
    CHECK_INT((int)d->pages[0].items[40].u.rule.x0, 999);
    for (int i = 0; i < 3; i++)
        CHECK_INT((int)d->pages[1].items[i].u.rule.x0, 100 + i);
    bl_arena_free(a);
}

int main(void)
{
    test_page_items();
    test_find();
    test_paths();
    test_pieces();
    test_failure();
    return check_summary();
}
