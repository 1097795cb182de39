/* base_tests.c - the arena, growing arrays, UTF-8 helpers, atomic file writes, number
 * formatting and the error record. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <fcntl.h>
#include <locale.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/grow.h"
#include "base/json.h"
#include "base/utf8.h"
#include "check.h"
#include "display/display.h"

/* Checks that the file at path reads back as the text want. */
#define CHECK_FILE(path, want)                                                          \
    do {                                                                                \
        char *file_ = NULL;                                                             \
        size_t file_len_;                                                               \
        bl_error file_err_;                                                             \
        bl_error_clear(&file_err_);                                                     \
        CHECK_INT(bl_read_file((path), 1 << 16, &file_, &file_len_, &file_err_), BL_OK); \
        CHECK_STR(file_, (want));                                                       \
        free(file_);                                                                    \
    } while (0)

static void test_arena(void)
{
    bl_arena *a = bl_arena_new();
    CHECK(a != NULL);
    char *p = bl_arena_alloc(a, 10);
    CHECK(p != NULL && ((uintptr_t)p % 16) == 0);
    CHECK(p[0] == 0 && p[9] == 0);
    char *big = bl_arena_alloc(a, 1 << 20); /* larger than a block */
    CHECK(big != NULL && big[(1 << 20) - 1] == 0);
    char *s = bl_arena_strndup(a, "报头abc", 6);
    CHECK_STR(s, "报头");
    int *arr = bl_arena_calloc(a, 4, sizeof(int));
    arr[3] = 7;
    int *grown = bl_arena_grow(a, arr, 4, 8, sizeof(int));
    CHECK_INT(grown[3], 7);
    CHECK_INT(grown[7], 0);
    CHECK(bl_arena_calloc(a, SIZE_MAX / 2, 4) == NULL); /* overflow refused */
    CHECK(bl_arena_used(a) >= (1 << 20));
    bl_arena_free(a);
}

/* Arrays grow by doubling, from the first capacity, to at least what is
 * asked; a size that overflows is refused with the array left as it was. */
static void test_grow(void)
{
    size_t cap = 0;
    int *v = bl_reserve(NULL, &cap, 0, 1, sizeof *v, 4);
    CHECK(v != NULL && cap == 4);
    for (int i = 0; i < 4; i++)
        v[i] = i;
    CHECK(bl_reserve(v, &cap, 3, 1, sizeof *v, 4) == v && cap == 4); /* it fits */
    v = bl_reserve(v, &cap, 4, 1, sizeof *v, 4);
    CHECK(v != NULL && cap == 8 && v[3] == 3);
    v = bl_reserve(v, &cap, 8, 100, sizeof *v, 4);
    CHECK(v != NULL && cap == 128 && v[2] == 2);
    CHECK(bl_reserve(v, &cap, 128, SIZE_MAX - 64, sizeof *v, 4) == NULL && cap == 128);
    CHECK(bl_reserve(v, &cap, 128, SIZE_MAX / 8, sizeof *v, 4) == NULL && cap == 128);
    CHECK_INT(v[3], 3);
    free(v);
    bl_arena *a = bl_arena_new();
    size_t acap = 0;
    int *w = bl_arena_reserve(a, NULL, &acap, 0, 3, sizeof *w, 2);
    CHECK(w != NULL && acap == 4);
    w[1] = 5;
    w = bl_arena_reserve(a, w, &acap, 4, 1, sizeof *w, 2);
    CHECK(w != NULL && acap == 8 && w[1] == 5);
    CHECK(bl_arena_reserve(a, w, &acap, 8, SIZE_MAX / 2, sizeof *w, 2) == NULL && acap == 8);
    bl_arena_free(a);
}

static void test_utf8(void)
{
    uint32_t cp;
    CHECK_INT(bl_utf8_decode("A", 1, &cp), 1);
    CHECK_INT(cp, 'A');
    CHECK_INT(bl_utf8_decode("报", 3, &cp), 3);
    CHECK_INT(cp, 0x62A5);
    CHECK_INT(bl_utf8_decode("\xF0\xA0\xAE\xB7", 4, &cp), 4); /* 𠮷 */
    CHECK_INT(cp, 0x20BB7);
    CHECK_INT(bl_utf8_decode("\xC0\x80", 2, &cp), 0);           /* overlong */
    CHECK_INT(bl_utf8_decode("\xED\xA0\x80", 3, &cp), 0);       /* surrogate */
    CHECK_INT(bl_utf8_decode("\xE6\x8A", 2, &cp), 0);           /* truncated */
    CHECK_INT(bl_utf8_decode("\xF5\x80\x80\x80", 4, &cp), 0);   /* > U+10FFFF */
    char buf[4];
    CHECK_INT(bl_utf8_encode(0x20BB7, buf), 4);
    CHECK(memcmp(buf, "\xF0\xA0\xAE\xB7", 4) == 0);
    CHECK_INT(bl_utf8_encode(0xD800, buf), 0);
    CHECK_INT(bl_utf8_count("2023年第8期", strlen("2023年第8期")), 8);
    CHECK(bl_is_cjk(0x62A5));
    CHECK(bl_is_cjk(0x3002)); /* 。 */
    CHECK(!bl_is_cjk('A'));
    CHECK_INT(bl_display_width(0x62A5), 2);
    CHECK_INT(bl_display_width('a'), 1);
}

static void test_fileio(void)
{
    char dir[] = "/tmp/bl-base-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/out.pdf", dir);
    bl_error err;
    bl_error_clear(&err);
    CHECK_INT(bl_write_file_atomic(path, "first", 5, &err), BL_OK);
    char *data;
    size_t len;
    CHECK_FILE(path, "first");
    /* A file written as pieces is their concatenation: empty pieces, and
     * more pieces than one system call takes. */
    {
        enum { N = 700 };
        static bl_io_piece pc[N];
        static char want[N * 2 + 1];
        size_t w = 0;
        for (int i = 0; i < N; i++) {
            pc[i].p = &"0123456789"[i % 10];
            pc[i].n = (size_t)(i % 3); /* 0, 1 or 2 bytes */
            memcpy(want + w, pc[i].p, pc[i].n);
            w += pc[i].n;
        }
        want[w] = '\0';
        CHECK_INT(bl_write_file_atomic_pieces(path, pc, N, &err), BL_OK);
        CHECK_INT(bl_read_file(path, 10000, &data, &len, &err), BL_OK);
        CHECK_INT(len, w);
        CHECK_STR(data, want);
        free(data);
        CHECK_INT(bl_write_file_atomic(path, "first", 5, &err), BL_OK);
    }
    /* A file over the limit is refused with its own message. */
    CHECK_INT(bl_read_file(path, 3, &data, &len, &err), BL_ERR_LIMIT);
    CHECK_STR(err.message, "file is 5 bytes; the limit is 3 bytes");
    /* A failed write leaves the old file untouched and no temporary behind. */
    char bad[300];
    snprintf(bad, sizeof bad, "%s/missing-dir/out.pdf", dir);
    bl_error_clear(&err);
    CHECK_INT(bl_write_file_atomic(bad, "x", 1, &err), BL_ERR_IO);
    CHECK_STR(err.message, "cannot write: No such file or directory");
    CHECK_STR(err.file, bad);
    bl_error_clear(&err);
    CHECK_FILE(path, "first");
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) != 0600);
    unlink(path);
    CHECK_INT(rmdir(dir), 0); /* empty: no temporary file was left */
}

/* Issue 11: what may be read and replaced, and JSON for any bytes. */
static void test_fileio_safety(void)
{
    char dir[] = "/tmp/bl-base-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char fifo[256], link[256], target[256], stale[256];
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    snprintf(link, sizeof link, "%s/link.pdf", dir);
    snprintf(target, sizeof target, "%s/target.pdf", dir);
    snprintf(stale, sizeof stale, "%s/x.pdf.tmp-AbC123", dir);
    bl_error err;
    bl_error_clear(&err);
    char *data = NULL;
    size_t len;
    /* A FIFO is neither read (it would block) nor replaced. */
    CHECK_INT(mkfifo(fifo, 0600), 0);
    CHECK_INT(bl_read_file(fifo, 100, &data, &len, &err), BL_ERR_IO);
    CHECK_STR(err.message, "cannot read: this is a FIFO, not a regular file");
    bl_error_clear(&err);
    CHECK_INT(bl_write_file_atomic(fifo, "x", 1, &err), BL_ERR_USAGE);
    CHECK_STR(err.message, "cannot write: this is a FIFO, not a regular file; give a file name");
    struct stat st;
    CHECK(lstat(fifo, &st) == 0 && S_ISFIFO(st.st_mode));
    bl_error_clear(&err);
    CHECK_INT(bl_write_file_atomic("", "x", 1, &err), BL_ERR_USAGE);
    /* A symlink: its target is written, the link stays; a stale temporary goes. */
    CHECK_INT(symlink("target.pdf", link), 0);
    FILE *f = fopen(stale, "w");
    CHECK(f != NULL);
    if (f)
        fclose(f);
    bl_error_clear(&err);
    CHECK_INT(bl_write_file_atomic(link, "pdf", 3, &err), BL_OK);
    CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
    CHECK_FILE(target, "pdf");
    CHECK(access(stale, F_OK) != 0);
    CHECK_INT(bl_read_file_nofollow(link, 100, &data, &len, &err), BL_ERR_IO);
    CHECK(bl_same_file(link, target));
    CHECK(!bl_same_file(link, fifo));
    /* The mode of an existing file is kept. */
    CHECK_INT(chmod(target, 0640), 0);
    bl_error_clear(&err);
    CHECK_INT(bl_write_file_atomic(target, "again", 5, &err), BL_OK);
    CHECK(stat(target, &st) == 0 && (st.st_mode & 07777) == 0640);
    unlink(fifo);
    unlink(link);
    unlink(target);
    CHECK_INT(rmdir(dir), 0);
    /* Bytes that are not UTF-8 become U+FFFD; the rest is escaped as JSON wants. */
    char *buf = NULL;
    size_t blen = 0;
    FILE *m = open_memstream(&buf, &blen);
    bl_json_string(m, "a\xff\"\\\x01\x7f\xe4\xb8\xad\xe4\xb8");
    fclose(m);
    CHECK_STR(buf, "\"a\\ufffd\\\"\\\\\\u0001\\u007f\xe4\xb8\xad\\ufffd\\ufffd\"");
    free(buf);
}

/* In-place writes (batch's stamps): the same inode rewritten, a longer old
 * content cut, links and FIFOs refused and left alone. */
/* Files written as a group: nothing replaced before the commit, every
 * file after it, one file's failure not the others', and what is dropped
 * or never committed leaves no temporary behind. */
static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

static void test_write_group(void)
{
    char dir[] = "/tmp/bl-base-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char a[256], b[256], c[256], fifo[256];
    snprintf(a, sizeof a, "%s/a.pdf", dir);
    snprintf(b, sizeof b, "%s/b.pdf", dir);
    snprintf(c, sizeof c, "%s/c.pdf", dir);
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    bl_error err;
    bl_error_clear(&err);
    CHECK_INT(bl_write_file_atomic(a, "old a", 5, &err), BL_OK);
    CHECK_INT(chmod(a, 0640), 0);
    bl_write_group *g = bl_write_group_new();
    CHECK(g != NULL);
    bl_io_piece pa[] = {{"new ", 4}, {"a", 1}}, pb = {"b", 1}, pc = {"c", 1};
    CHECK_INT(bl_write_group_add(g, a, pa, 2, &err), BL_OK);
    CHECK_INT(bl_write_group_add(g, b, &pb, 1, &err), BL_OK);
    CHECK_INT(bl_write_group_size(g), 2);
    /* Staged: the old a and no b yet, two temporaries beside them. */
    CHECK_FILE(a, "old a");
    CHECK(access(b, F_OK) != 0);
    CHECK_INT(count_entries(dir), 3);
    /* A FIFO is refused at once and adds nothing. */
    CHECK_INT(mkfifo(fifo, 0600), 0);
    CHECK_INT(bl_write_group_add(g, fifo, &pc, 1, &err), BL_ERR_USAGE);
    CHECK_INT(bl_write_group_size(g), 2);
    bl_error_clear(&err);
    CHECK_INT(bl_write_group_commit(g), 0);
    CHECK_INT(bl_write_group_result(g, 0, &err), BL_OK);
    CHECK_INT(bl_write_group_result(g, 1, &err), BL_OK);
    CHECK_FILE(a, "new a");
    struct stat st;
    CHECK(stat(a, &st) == 0 && (st.st_mode & 0777) == 0640); /* the user's mode kept */
    CHECK_FILE(b, "b");
    CHECK_INT(count_entries(dir), 3); /* a, b, fifo: no temporary left */
    /* A target that became a directory before the commit fails alone. */
    CHECK_INT(bl_write_group_add(g, a, &pc, 1, &err), BL_OK); /* clears the committed group */
    CHECK_INT(bl_write_group_add(g, c, &pc, 1, &err), BL_OK);
    CHECK_INT(bl_write_group_size(g), 2);
    CHECK_INT(unlink(a), 0);
    CHECK_INT(mkdir(a, 0700), 0);
    char inside[300];
    snprintf(inside, sizeof inside, "%s/keep", a);
    FILE *f = fopen(inside, "w");
    CHECK(f != NULL);
    if (f)
        fclose(f);
    CHECK_INT(bl_write_group_commit(g), 1);
    CHECK_INT(bl_write_group_result(g, 0, &err), BL_ERR_IO);
    CHECK_STR(err.file, a);
    bl_error_clear(&err);
    CHECK_INT(bl_write_group_result(g, 1, &err), BL_OK);
    CHECK_FILE(c, "c");
    CHECK_INT(unlink(inside), 0);
    CHECK_INT(rmdir(a), 0);
    /* 150 files (a long SVG): written in parts of 64, never more than 64
     * temporaries open at once; every file committed, none left over. */
    {
        int fds0 = count_entries("/proc/self/fd"), most = 0;
        char many[300];
        for (int i = 0; i < 150; i++) {
            snprintf(many, sizeof many, "%s/p%03d.svg", dir, i);
            bl_io_piece pi = {many, strlen(many)};
            CHECK_INT(bl_write_group_add(g, many, &pi, 1, &err), BL_OK);
            int open_now = count_entries("/proc/self/fd") - fds0;
            most = open_now > most ? open_now : most;
        }
        CHECK(most <= 64);
        CHECK_INT(bl_write_group_commit(g), 0);
        for (int i = 0; i < 150; i++) {
            CHECK_INT(bl_write_group_result(g, (size_t)i, &err), BL_OK);
            snprintf(many, sizeof many, "%s/p%03d.svg", dir, i);
            CHECK_FILE(many, many);
            unlink(many);
        }
        CHECK_INT(count_entries(dir), 3); /* b, c, fifo */
        CHECK_INT(count_entries("/proc/self/fd"), fds0);
    }
    /* Truncated or freed before the commit: the temporaries go, b stays. */
    CHECK_INT(bl_write_group_add(g, b, &pc, 1, &err), BL_OK);
    CHECK_INT(bl_write_group_add(g, a, &pc, 1, &err), BL_OK);
    bl_write_group_truncate(g, 1);
    CHECK_INT(bl_write_group_size(g), 1);
    bl_write_group_free(g);
    CHECK_FILE(b, "b");
    CHECK(access(a, F_OK) != 0);
    CHECK_INT(count_entries(dir), 3); /* b, c, fifo */
    unlink(b);
    unlink(c);
    unlink(fifo);
    CHECK_INT(rmdir(dir), 0);
}

/* A target that already holds the bytes is not written again: the same
 * inode, its time set as a rewrite would; other bytes, or a file with a
 * second name, get a new file as before. */
static void test_unchanged_output(void)
{
    char dir[] = "/tmp/bl-base-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256], other[256], stamp[256];
    snprintf(path, sizeof path, "%s/out.pdf", dir);
    snprintf(other, sizeof other, "%s/link.pdf", dir);
    snprintf(stamp, sizeof stamp, "%s/.out.pdf.stamp", dir);
    bl_error err;
    bl_error_clear(&err);
    CHECK_INT(bl_write_file_atomic(path, "same bytes", 10, &err), BL_OK);
    struct timespec old[2] = {{1000000000, 0}, {1000000000, 0}};
    CHECK_INT(utimensat(AT_FDCWD, path, old, 0), 0);
    struct stat a, b;
    CHECK_INT(stat(path, &a), 0);
    bl_io_piece two[] = {{"same ", 5}, {"", 0}, {"bytes", 5}};
    CHECK_INT(bl_write_file_atomic_pieces(path, two, 3, &err), BL_OK);
    CHECK_INT(stat(path, &b), 0);
    CHECK(a.st_ino == b.st_ino);
    CHECK(b.st_mtim.tv_sec > 1000000000);
    CHECK_INT(count_entries(dir), 1);
    /* The same length, other bytes: a new file. */
    CHECK_INT(bl_write_file_atomic(path, "same bytez", 10, &err), BL_OK);
    CHECK_INT(stat(path, &b), 0);
    CHECK(a.st_ino != b.st_ino);
    CHECK_FILE(path, "same bytez");
    /* A second name: the rewrite gives the output a file of its own, even
     * with the same bytes, and the other name keeps the old one. */
    CHECK_INT(link(path, other), 0);
    CHECK_INT(stat(path, &a), 0);
    CHECK_INT(bl_write_file_atomic(path, "same bytez", 10, &err), BL_OK);
    CHECK_INT(stat(path, &b), 0);
    CHECK(a.st_ino != b.st_ino);
    CHECK_INT(stat(other, &b), 0);
    CHECK(a.st_ino == b.st_ino);
    /* In a group: unchanged and changed files together. */
    bl_write_group *g = bl_write_group_new();
    CHECK(g != NULL);
    bl_io_piece same = {"same bytez", 10}, changed = {"changed", 7};
    CHECK_INT(stat(path, &a), 0);
    CHECK_INT(bl_write_group_add(g, path, &same, 1, &err), BL_OK);
    CHECK_INT(bl_write_group_add(g, other, &changed, 1, &err), BL_OK);
    CHECK_INT(bl_write_group_commit(g), 0);
    CHECK_INT(bl_write_group_result(g, 0, &err), BL_OK);
    CHECK_INT(bl_write_group_result(g, 1, &err), BL_OK);
    bl_write_group_free(g);
    CHECK_INT(stat(path, &b), 0);
    CHECK(a.st_ino == b.st_ino);
    CHECK_FILE(other, "changed");
    /* An in-place record with the same bytes is left alone, time and all. */
    CHECK_INT(bl_write_file_inplace(stamp, "stamp", 5, &err), BL_OK);
    CHECK_INT(utimensat(AT_FDCWD, stamp, old, 0), 0);
    CHECK_INT(bl_write_file_inplace(stamp, "stamp", 5, &err), BL_OK);
    CHECK_INT(stat(stamp, &b), 0);
    CHECK_INT(b.st_mtim.tv_sec, 1000000000);
    CHECK_INT(bl_write_file_inplace(stamp, "stamp2", 6, &err), BL_OK);
    CHECK_FILE(stamp, "stamp2");
    CHECK_INT(count_entries(dir), 2); /* the dot-file is not counted */
    unlink(path);
    unlink(other);
    unlink(stamp);
    CHECK_INT(rmdir(dir), 0);
}

static void test_fileio_inplace(void)
{
    char dir[] = "/tmp/bl-base-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256], link[256], fifo[256];
    snprintf(path, sizeof path, "%s/.a.pdf.stamp", dir);
    snprintf(link, sizeof link, "%s/link", dir);
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    bl_error err;
    bl_error_clear(&err);
    char *data = NULL;
    size_t len;
    struct stat st1, st2;
    CHECK_INT(bl_write_file_inplace(path, "a longer first text", 19, &err), BL_OK);
    CHECK(stat(path, &st1) == 0);
    CHECK_INT(bl_write_file_inplace(path, "short", 5, &err), BL_OK);
    CHECK(stat(path, &st2) == 0 && st1.st_ino == st2.st_ino);
    CHECK_INT(bl_read_file(path, 100, &data, &len, &err), BL_OK);
    CHECK_STR(data, "short");
    CHECK_INT(len, 5);
    free(data);
    CHECK_INT(symlink(".a.pdf.stamp", link), 0);
    CHECK_INT(bl_write_file_inplace(link, "x", 1, &err), BL_ERR_IO);
    CHECK_FILE(path, "short");
    bl_error_clear(&err);
    CHECK_INT(mkfifo(fifo, 0600), 0);
    CHECK_INT(bl_write_file_inplace(fifo, "x", 1, &err), BL_ERR_USAGE);
    CHECK_STR(err.message, "cannot write: this is a FIFO, not a regular file");
    CHECK(lstat(fifo, &st1) == 0 && S_ISFIFO(st1.st_mode));
    bl_error_clear(&err);
    CHECK_INT(bl_write_file_inplace("", "x", 1, &err), BL_ERR_USAGE);
    unlink(path);
    unlink(link);
    unlink(fifo);
    CHECK_INT(rmdir(dir), 0);
}

static void test_error(void)
{
    bl_error err;
    bl_error_clear(&err);
    CHECK_INT(bl_error_set(&err, BL_ERR_SYNTAX, "a.txt", 3, 5, "bad %s", "key"), BL_ERR_SYNTAX);
    /* First error wins. */
    bl_error_set(&err, BL_ERR_IO, "b.txt", 1, 1, "later");
    CHECK_STR(err.file, "a.txt");
    CHECK_STR(err.message, "bad key");
    CHECK_INT(err.line, 3);
    CHECK_INT(err.col, 5);
}

/* The snprintf formatter bl_fmt_num had before it wrote its digits by hand:
 * the new one must give the same bytes for every value. */
static const char *fmt_num_ref(char *buf, double v, int decimals)
{
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    long long scale = 1;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    if (!isfinite(v))
        v = 0;
    long long n = llround(v * (double)scale);
    int neg = n < 0;
    unsigned long long u = neg ? (unsigned long long)(-n) : (unsigned long long)n;
    unsigned long long ip = u / (unsigned long long)scale;
    unsigned long long fp = u % (unsigned long long)scale;
    char frac[24] = "";
    if (fp) {
        snprintf(frac, sizeof frac, "%0*llu", decimals, fp);
        size_t l = strlen(frac);
        while (l > 0 && frac[l - 1] == '0')
            frac[--l] = '\0';
    }
    snprintf(buf, 32, "%s%llu%s%s", neg && (ip || fp) ? "-" : "", ip, fp ? "." : "", frac);
    return buf;
}

static int fmt_num_same(double v, int decimals)
{
    char a[32], b[32];
    bl_fmt_num(a, v, decimals);
    fmt_num_ref(b, v, decimals);
    if (strcmp(a, b) == 0)
        return 1;
    fprintf(stderr, "bl_fmt_num(%.17g, %d) = \"%s\", expected \"%s\"\n", v, decimals, a, b);
    return 0;
}

static void test_fmt_num_exact(void)
{
    static const double fixed[] = {
        0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 0.05, -0.05, 0.005, -0.005, 0.0005, -0.0005,
        0.4999999, 1.4999999999, 2.5, -2.5, 0.125, -0.125, 0.0625, 1e-7, -1e-7, 9.9995,
        -9.9995, 99.995, 999.9995, 1e6, -1e6, 123456789.123456, -987654321.654321,
        1e12, -1e12, 9.2e11, 4503599627370496.0, -4503599627370496.0, 1e15, 595.276,
        841.89, 442.2047, 0.001, 0.0015, 0.0025, 0.0035, 1.0005, 2.0005, 1.005, 1.015,
        1.025, 1.035, 1.045, 1.055, 1.065, 1.075, 1.085, 1.095, 100.0, 10.0, 1000.0,
        NAN, INFINITY, -INFINITY};
    int ok = 1;
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        for (int d = -1; d <= 7; d++)
            if (fabs(fixed[i]) < 9e12 || d <= 3 || !isfinite(fixed[i]))
                ok &= fmt_num_same(fixed[i], d);
    /* Every halfway point and its neighbours near the rounding digits. */
    for (int d = 0; d <= 6; d++) {
        double scale = pow(10, d);
        for (long long k = -20000; k <= 20000; k++) {
            double h = ((double)k + 0.5) / scale;
            ok &= fmt_num_same(h, d);
            ok &= fmt_num_same(nextafter(h, INFINITY), d);
            ok &= fmt_num_same(nextafter(h, -INFINITY), d);
            ok &= fmt_num_same((double)k / scale, d);
        }
    }
    /* Pseudo-random values over many magnitudes (a fixed LCG: the same
     * values every run). */
    unsigned long long x = 88172645463325252ULL;
    for (int i = 0; i < 400000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double mant = (double)(x >> 11) / (double)(1ULL << 53);
        int e = (int)((x >> 3) % 19) - 7; /* 1e-7 .. 1e11 */
        double v = mant * pow(10, e) * ((x & 1) ? -1 : 1);
        ok &= fmt_num_same(v, (int)((x >> 5) % 7));
    }
    CHECK(ok);
}

static void test_fmt_num(void)
{
    char b[32];
    CHECK_STR(bl_fmt_num(b, 1.5, 2), "1.5");
    CHECK_STR(bl_fmt_num(b, -0.004, 2), "0");
    CHECK_STR(bl_fmt_num(b, 442.2047, 3), "442.205");
    CHECK_STR(bl_fmt_num(b, 16, 2), "16");
    CHECK_STR(bl_fmt_num(b, -12.25, 1), "-12.3");
    /* Never a decimal comma, whatever the locale says. scripts/dev generates
     * de_DE.UTF-8; without it this check would prove nothing, so it fails. */
    const char *de = setlocale(LC_NUMERIC, "de_DE.UTF-8");
    if (!de)
        fprintf(stderr, "de_DE.UTF-8 is not installed: run scripts/dev deps\n");
    CHECK(de != NULL);
    char c[32];
    snprintf(c, sizeof c, "%.2f", 3.25);
    CHECK_STR(c, "3,25"); /* the locale really has a decimal comma */
    CHECK_STR(bl_fmt_num(b, 3.25, 2), "3.25");
    CHECK_STR(bl_fmt_num(b, -1234.5, 1), "-1234.5");
    setlocale(LC_NUMERIC, "C");
}

int main(void)
{
    test_arena();
    test_grow();
    test_utf8();
    /* First: folders are swept once per process, by device and inode, and
     * test_fileio's folder, removed, could lend its inode to this one's. */
    test_fileio_safety();
    test_write_group();
    test_unchanged_output();
    test_fileio();
    test_fileio_inplace();
    test_error();
    test_fmt_num();
    test_fmt_num_exact();
    return check_summary();
}
