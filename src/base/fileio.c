/* fileio.c - whole-file reads and safe atomic writes (see fileio.h).
 *
 * Reads open without blocking and refuse anything but a regular file, so a
 * FIFO or a device named by an input cannot hang or feed a run. Writes go to
 * a temporary file beside the final target (symlinks followed) and are
 * renamed over it only when the target is a regular file or a new name: a
 * device, FIFO, socket or directory is refused, never replaced. */
#define _GNU_SOURCE /* flock, syncfs, the d_type of readdir */
#include "fileio.h"

#include "grow.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

const char *bl_file_kind(unsigned mode)
{
    mode_t m = (mode_t)mode;
    if (S_ISREG(m))
        return "a regular file";
    if (S_ISDIR(m))
        return "a directory";
    if (S_ISFIFO(m))
        return "a FIFO";
    if (S_ISSOCK(m))
        return "a socket";
    if (S_ISCHR(m))
        return "a character device";
    if (S_ISBLK(m))
        return "a block device";
    if (S_ISLNK(m))
        return "a symbolic link";
    return "not a regular file";
}

static bl_status read_fd(int fd, const char *path, size_t max_size, char **out, size_t *len,
                         bl_error *err)
{
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return bl_error_set(err, BL_ERR_IO, path, 0, 0, "cannot read: %s", strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        if (S_ISDIR(st.st_mode))
            return bl_error_set(err, BL_ERR_IO, path, 0, 0, "cannot read: %s", strerror(EISDIR));
        return bl_error_set(err, BL_ERR_IO, path, 0, 0,
                            "cannot read: this is %s, not a regular file",
                            bl_file_kind(st.st_mode));
    }
    if ((size_t)st.st_size > max_size) {
        close(fd);
        return bl_error_set(err, BL_ERR_LIMIT, path, 0, 0,
                            "file is %lld bytes; the limit is %zu bytes",
                            (long long)st.st_size, max_size);
    }
    /* st_size is a hint: /proc files say 0, and a file may grow while read. */
    size_t cap = (size_t)st.st_size + 1 < 4096 ? 4096 : (size_t)st.st_size + 1, n = 0;
    char *buf = malloc(cap);
    if (!buf) {
        close(fd);
        return bl_error_set(err, BL_ERR_NOMEM, path, 0, 0, "out of memory reading the file");
    }
    for (;;) {
        if (n + 1 >= cap) {
            if (cap > max_size + 1) {
                free(buf);
                close(fd);
                return bl_error_set(err, BL_ERR_LIMIT, path, 0, 0,
                                    "file is larger than the limit of %zu bytes", max_size);
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                close(fd);
                return bl_error_set(err, BL_ERR_NOMEM, path, 0, 0, "out of memory reading the file");
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(buf);
            close(fd);
            return bl_error_set(err, BL_ERR_IO, path, 0, 0, "cannot read: %s", strerror(e));
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    if (n > max_size) {
        free(buf);
        return bl_error_set(err, BL_ERR_LIMIT, path, 0, 0,
                            "file is larger than the limit of %zu bytes", max_size);
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return BL_OK;
}

static bl_status read_with(const char *path, int extra_flags, size_t max_size, char **out,
                           size_t *len, bl_error *err)
{
    *out = NULL;
    *len = 0;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; it is then
     * refused as not a regular file. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | extra_flags);
    if (fd < 0) {
        int e = errno;
        if (e == ELOOP && (extra_flags & O_NOFOLLOW))
            return bl_error_set(err, BL_ERR_IO, path, 0, 0,
                                "cannot open: a symbolic link is not followed here");
        return bl_error_set(err, BL_ERR_IO, path, 0, 0, "cannot open: %s", strerror(e));
    }
    return read_fd(fd, path, max_size, out, len, err);
}

bl_status bl_read_file(const char *path, size_t max_size, char **out, size_t *len,
                       bl_error *err)
{
    return read_with(path, 0, max_size, out, len, err);
}

bl_status bl_read_file_nofollow(const char *path, size_t max_size, char **out, size_t *len,
                                bl_error *err)
{
    return read_with(path, O_NOFOLLOW, max_size, out, len, err);
}

/* Writes the pieces to fd, many per system call; 0 or an errno. */
static int write_pieces(int fd, const bl_io_piece *pieces, size_t n)
{
    enum { BATCH = 256 };
    struct iovec iov[BATCH];
    size_t k = 0, skip = 0; /* next piece, and its bytes already written */
    while (k < n) {
        int c = 0;
        for (size_t j = k; j < n && c < BATCH; j++) {
            size_t off = j == k ? skip : 0;
            if (pieces[j].n == off)
                continue;
            iov[c].iov_base = (char *)pieces[j].p + off;
            iov[c].iov_len = pieces[j].n - off;
            c++;
        }
        if (c == 0)
            return 0;
        ssize_t w = writev(fd, iov, c);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        if (w == 0)
            return EIO; /* no progress: never loop */
        /* Advance past what was written (a short write stops mid-piece). */
        size_t left = (size_t)w;
        while (k < n && left >= pieces[k].n - skip) {
            left -= pieces[k].n - skip;
            k++;
            skip = 0;
        }
        skip += left;
    }
    return 0;
}

/* 1 when the regular file at path (st its lstat) holds exactly the
 * concatenation of pieces: a re-render of an unchanged issue need not be
 * written again. Read in blocks; stops at the first difference. */
static int holds_bytes(const char *path, const struct stat *st, const bl_io_piece *pieces,
                       size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += pieces[i].n;
    if (!S_ISREG(st->st_mode) || (uintmax_t)st->st_size != (uintmax_t)total)
        return 0;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct stat fs;
    int same = fstat(fd, &fs) == 0 && fs.st_dev == st->st_dev && fs.st_ino == st->st_ino;
    char buf[1 << 16];
    size_t k = 0, off = 0; /* the next piece, and its bytes compared */
    while (same) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            same = r == 0;
            break;
        }
        for (size_t p = 0; same && p < (size_t)r;) {
            while (k < n && off == pieces[k].n) {
                k++;
                off = 0;
            }
            if (k == n) {
                same = 0; /* the file grew since it was looked at */
                break;
            }
            size_t m = pieces[k].n - off < (size_t)r - p ? pieces[k].n - off : (size_t)r - p;
            same = memcmp(buf + p, (const char *)pieces[k].p + off, m) == 0;
            p += m;
            off += m;
        }
    }
    while (same && k < n && off == pieces[k].n) {
        k++;
        off = 0;
    }
    close(fd);
    return same && k == n;
}

bl_status bl_write_file_inplace(const char *path, const void *data, size_t len,
                                bl_error *err)
{
    if (!path || !*path)
        return bl_error_set(err, BL_ERR_USAGE, NULL, 0, 0, "no output file name given (empty)");
    /* Looked at before opening, so that a device is never opened for
     * writing; looked at again once open, in case it was swapped between. */
    struct stat st;
    int found = lstat(path, &st) == 0;
    if (found && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
        return bl_error_set(err, BL_ERR_USAGE, path, 0, 0,
                            "cannot write: this is %s, not a regular file",
                            bl_file_kind(st.st_mode));
    bl_io_piece one = {data, len};
    if (found && holds_bytes(path, &st, &one, 1))
        return BL_OK; /* already these bytes: nothing to write */
    int fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666);
    if (fd < 0)
        return bl_error_set(err, BL_ERR_IO, path, 0, 0, "cannot write: %s", strerror(errno));
    int e = fstat(fd, &st) != 0 ? errno : 0;
    if (!e && !S_ISREG(st.st_mode)) {
        close(fd);
        return bl_error_set(err, BL_ERR_USAGE, path, 0, 0,
                            "cannot write: this is %s, not a regular file",
                            bl_file_kind(st.st_mode));
    }
    /* Written over the old bytes from the start (opened without O_TRUNC),
     * then cut to length: never empty between. */
    if (!e)
        e = write_pieces(fd, &one, 1);
    if (!e && ftruncate(fd, (off_t)len) != 0)
        e = errno;
    if (close(fd) != 0 && !e)
        e = errno;
    if (e)
        return bl_error_set(err, BL_ERR_IO, path, 0, 0, "cannot write: %s", strerror(e));
    return BL_OK;
}

int bl_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (!a || !b)
        return 0;
    if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
        return strcmp(a, b) == 0; /* not there yet: the same name is the same file */
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* ---- writing ------------------------------------------------------------ */

enum { MAX_LINKS = 40, TMP_TAG = 5 /* ".tmp-" */, TMP_RAND = 6 };

/* path with every symbolic link of its last component followed: the file a
 * write should replace (which may not exist yet). malloc'd; NULL with *e set. */
static char *follow_links(const char *path, int *e)
{
    char *cur = strdup(path);
    if (!cur) {
        *e = ENOMEM;
        return NULL;
    }
    for (int hops = 0;; hops++) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
            return cur; /* a new name, or not a link (errors show at create) */
        if (hops == MAX_LINKS) {
            free(cur);
            *e = ELOOP;
            return NULL;
        }
        size_t cap = (size_t)st.st_size + 2 > 256 ? (size_t)st.st_size + 2 : 256;
        char *target = malloc(cap);
        ssize_t n = target ? readlink(cur, target, cap - 1) : -1;
        if (n < 0) {
            *e = target ? errno : ENOMEM;
            free(target);
            free(cur);
            return NULL;
        }
        target[n] = '\0';
        char *next;
        const char *slash = strrchr(cur, '/');
        if (target[0] == '/' || !slash) {
            next = target;
        } else {
            /* Relative: against the folder holding the link. */
            size_t dl = (size_t)(slash - cur) + 1;
            next = malloc(dl + (size_t)n + 1);
            if (next) {
                memcpy(next, cur, dl);
                memcpy(next + dl, target, (size_t)n + 1);
            }
            free(target);
        }
        free(cur);
        if (!next) {
            *e = ENOMEM;
            return NULL;
        }
        cur = next;
    }
}

static int is_tmp_name(const char *name)
{
    size_t n = strlen(name);
    if (n <= TMP_TAG + TMP_RAND || memcmp(name + n - TMP_TAG - TMP_RAND, ".tmp-", TMP_TAG) != 0)
        return 0;
    for (size_t i = n - TMP_RAND; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return 0;
    }
    return 1;
}

/* Folders already swept for stale temporaries by this process. */
static struct {
    pthread_mutex_t lock;
    struct {
        dev_t dev;
        ino_t ino;
    } seen[64];
    size_t n;
} sweep = {PTHREAD_MUTEX_INITIALIZER, {{0, 0}}, 0};

/* Removes the temporary files (NAME.tmp-XXXXXX) a killed run left in dir.
 * A writer holds an exclusive flock on its temporary file while it works,
 * so a temporary whose lock can be taken belongs to no live writer. Each
 * folder is swept once per process. */
static void sweep_stale(const char *dir)
{
    struct stat ds;
    if (stat(dir, &ds) != 0)
        return;
    pthread_mutex_lock(&sweep.lock);
    for (size_t i = 0; i < sweep.n; i++)
        if (sweep.seen[i].dev == ds.st_dev && sweep.seen[i].ino == ds.st_ino) {
            pthread_mutex_unlock(&sweep.lock);
            return;
        }
    if (sweep.n < sizeof sweep.seen / sizeof sweep.seen[0]) {
        sweep.seen[sweep.n].dev = ds.st_dev;
        sweep.seen[sweep.n].ino = ds.st_ino;
        sweep.n++;
    }
    DIR *d = opendir(dir);
    if (d) {
        uid_t me = geteuid();
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            if (!is_tmp_name(de->d_name))
                continue;
            int fd = openat(dirfd(d), de->d_name,
                            O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
            if (fd < 0)
                continue;
            struct stat st;
            if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == me &&
                flock(fd, LOCK_EX | LOCK_NB) == 0)
                unlinkat(dirfd(d), de->d_name, 0);
            close(fd);
        }
        closedir(d);
    }
    pthread_mutex_unlock(&sweep.lock);
}

/* Creates target.tmp-XXXXXX, locked, with the mode a plain create gives
 * (0666 less the umask, applied by the kernel). Returns the fd, or -1. */
static int create_tmp(const char *target, char *tmp, size_t cap)
{
    static const char alnum[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static unsigned long counter;
    for (int attempt = 0; attempt < 100; attempt++) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        /* The name only has to be unlikely to exist; it never reaches output. */
        uint64_t x = (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32) ^
                     ((uint64_t)__atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED) * 0x9E3779B97F4A7C15u) ^
                     (uint64_t)(uintptr_t)tmp;
        char rnd[TMP_RAND + 1];
        for (int i = 0; i < TMP_RAND; i++) {
            x = x * 6364136223846793005u + 1442695040888963407u;
            rnd[i] = alnum[(x >> 33) % (sizeof alnum - 1)];
        }
        rnd[TMP_RAND] = '\0';
        snprintf(tmp, cap, "%s.tmp-%s", target, rnd);
        int fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
        if (fd < 0) {
            if (errno == EEXIST)
                continue;
            return -1;
        }
        struct stat st;
        /* Another run's sweep may have taken it between create and lock. */
        if (flock(fd, LOCK_EX | LOCK_NB) != 0 || fstat(fd, &st) != 0 || st.st_nlink == 0) {
            close(fd);
            continue;
        }
        return fd;
    }
    errno = EEXIST;
    return -1;
}

/* One file written to its temporary, waiting to be flushed and renamed. */
typedef struct staged {
    char *path;   /* as given, for messages */
    char *target; /* the file replaced (symbolic links followed) */
    char *tmp;
    int fd;       /* open and locked until renamed or removed */
    int exists;   /* the target existed: its mode is kept */
    mode_t mode;
    dev_t dev;    /* of the temporary: one flush per file system */
    int unchanged; /* the target holds these bytes already: no temporary */
    int done;     /* committed: e tells how */
    int e;        /* after commit: 0, or the errno that stopped this file */
} staged;

/* Removes f's temporary file, if it has one. */
static void staged_close(staged *f)
{
    if (f->fd >= 0) {
        unlink(f->tmp); /* before closing: the lock holds until the name is gone */
        close(f->fd);
        f->fd = -1;
    }
}

static void staged_drop(staged *f)
{
    staged_close(f);
    free(f->tmp);
    free(f->target);
    free(f->path);
    memset(f, 0, sizeof *f);
    f->fd = -1;
}

/* Writes the pieces to a new temporary beside path's target (links
 * followed); nothing is flushed or renamed yet. On failure nothing remains. */
static bl_status stage(const char *path, const bl_io_piece *pieces, size_t n, staged *f,
                       bl_error *err)
{
    memset(f, 0, sizeof *f);
    f->fd = -1;
    if (!path || !*path)
        return bl_error_set(err, BL_ERR_USAGE, NULL, 0, 0, "no output file name given (empty)");
    /* f owns what is made from here on: any failure drops it whole. */
    int e = 0, nomem = 0; /* nomem: an allocation of this function failed */
    if (!(f->path = strdup(path))) {
        nomem = 1;
        goto fail;
    }
    if (!(f->target = follow_links(path, &e)))
        goto fail;
    struct stat st;
    f->exists = stat(f->target, &st) == 0;
    if (f->exists && !S_ISREG(st.st_mode)) {
        staged_drop(f);
        /* Replacing /dev/null or a FIFO with a file would break the system;
         * writing into them is not what an output file is for. */
        return bl_error_set(err, BL_ERR_USAGE, path, 0, 0,
                            "cannot write: this is %s, not a regular file; give a file name",
                            bl_file_kind(st.st_mode));
    }
    f->mode = f->exists ? st.st_mode : 0;
    char *dir = strdup(f->target);
    if (dir) {
        char *slash = strrchr(dir, '/');
        if (!slash)
            strcpy(dir, ".");
        else
            slash[slash == dir] = '\0';
        sweep_stale(dir);
        free(dir);
    }
    /* The same bytes (a re-render of an unchanged issue): only its time is
     * set at the commit, as a rewrite would, with no new file, flush or
     * rename. Not for a file with other names or another owner, which a
     * rewrite would give a file of its own. */
    if (f->exists && st.st_nlink == 1 && st.st_uid == geteuid() &&
        holds_bytes(f->target, &st, pieces, n)) {
        f->unchanged = 1;
        return BL_OK;
    }
    size_t cap = strlen(f->target) + TMP_TAG + TMP_RAND + 1;
    if (!(f->tmp = malloc(cap))) {
        nomem = 1;
        goto fail;
    }
    /* The temporary file lives beside the target so rename() stays atomic. */
    if ((f->fd = create_tmp(f->target, f->tmp, cap)) < 0) {
        e = errno;
        goto fail;
    }
    struct stat ts;
    if ((e = write_pieces(f->fd, pieces, n)) != 0 || (fstat(f->fd, &ts) != 0 && (e = errno)))
        goto fail;
    f->dev = ts.st_dev;
    return BL_OK;
fail:
    staged_drop(f);
    if (nomem)
        return bl_error_set(err, BL_ERR_NOMEM, path, 0, 0, "out of memory");
    return bl_error_set(err, BL_ERR_IO, path, 0, 0, "cannot write: %s", strerror(e));
}

/* Renames a flushed temporary over its target (keeping the target's
 * mode); 0 or an errno. The temporary is gone either way. */
static int finish(staged *f)
{
    if (f->unchanged)
        return utimensat(AT_FDCWD, f->target, NULL, 0) != 0 ? errno : 0;
    int e = 0;
    /* Re-rendering keeps the mode the user gave the file. */
    if (f->exists && fchmod(f->fd, f->mode & 07777) != 0 && errno != EPERM)
        e = errno; /* EPERM: another user's file; it gets ours */
    if (!e && rename(f->tmp, f->target) != 0)
        e = errno;
    if (e)
        unlink(f->tmp);
    if (close(f->fd) != 0 && !e)
        e = errno; /* closing last: the lock holds until the name is gone */
    f->fd = -1;
    return e;
}

/* fsync's errors that only mean the file system keeps nothing to flush. */
static int flush_error(int r)
{
    return r != 0 && errno != EINVAL && errno != EROFS ? errno : 0;
}

bl_status bl_write_file_atomic(const char *path, const void *data, size_t len,
                               bl_error *err)
{
    bl_io_piece one = {data, len};
    return bl_write_file_atomic_pieces(path, &one, 1, err);
}

bl_status bl_write_file_atomic_pieces(const char *path, const bl_io_piece *pieces, size_t n,
                                      bl_error *err)
{
    staged f;
    bl_status st = stage(path, pieces, n, &f, err);
    if (st != BL_OK)
        return st;
    int e = f.unchanged ? 0 : flush_error(fsync(f.fd));
    if (!e)
        e = finish(&f);
    staged_drop(&f);
    if (e)
        return bl_error_set(err, BL_ERR_IO, path, 0, 0, "cannot write: %s", strerror(e));
    return BL_OK;
}

/* ---- many files, one flush ---------------------------------------------- */

/* A group syncs its file system from SYNCFS_FROM files written; one that
 * holds OPEN_MAX temporary files (open, to stay locked) commits them before
 * it takes more: a 1,000-page SVG is written in parts, as many flushes. */
enum { SYNCFS_FROM = 4, OPEN_MAX = 64 };

struct bl_write_group {
    staged *files;
    size_t n, cap;
    size_t nopen; /* temporaries written, not committed yet */
    int committed;
};

bl_write_group *bl_write_group_new(void)
{
    return calloc(1, sizeof(bl_write_group));
}

/* Flushes and renames the files not committed yet. */
static void commit_pending(bl_write_group *g)
{
    size_t nwritten = 0;
    for (size_t i = 0; i < g->n; i++)
        nwritten += !g->files[i].done && !g->files[i].unchanged;
    if (nwritten < SYNCFS_FROM) {
        for (size_t i = 0; i < g->n; i++)
            if (!g->files[i].done && !g->files[i].unchanged)
                g->files[i].e = flush_error(fsync(g->files[i].fd));
    } else {
        /* One sync per file system: it writes every file's data and inode
         * and flushes the disk's cache once, where an fsync per file would
         * flush it once per file (on a hard disk, a rotation each). It also
         * flushes what other programs wrote there, so not for a few files. */
        for (size_t i = 0; i < g->n; i++) {
            const staged *f = &g->files[i];
            int first = !f->done && !f->unchanged;
            for (size_t k = 0; k < i && first; k++)
                first = g->files[k].done || g->files[k].unchanged || g->files[k].dev != f->dev;
            if (!first)
                continue;
            int e = flush_error(syncfs(f->fd));
            for (size_t k = i; k < g->n; k++)
                if (!g->files[k].done && !g->files[k].unchanged && g->files[k].dev == f->dev)
                    g->files[k].e = e;
        }
    }
    for (size_t i = 0; i < g->n; i++) {
        staged *f = &g->files[i];
        if (f->done)
            continue;
        if (!f->e)
            f->e = finish(f);
        else
            staged_close(f);
        f->done = 1;
    }
    g->nopen = 0;
}

bl_status bl_write_group_add(bl_write_group *g, const char *path, const bl_io_piece *pieces,
                             size_t n, bl_error *err)
{
    if (g->committed)
        bl_write_group_clear(g);
    if (g->nopen == OPEN_MAX)
        commit_pending(g);
    staged *fs = bl_reserve(g->files, &g->cap, g->n, 1, sizeof *fs, 16);
    if (!fs)
        return bl_error_set(err, BL_ERR_NOMEM, path, 0, 0, "out of memory");
    g->files = fs;
    bl_status st = stage(path, pieces, n, &g->files[g->n], err);
    if (st == BL_OK)
        g->nopen += !g->files[g->n++].unchanged;
    return st;
}

size_t bl_write_group_size(const bl_write_group *g)
{
    return g->n;
}

void bl_write_group_truncate(bl_write_group *g, size_t n)
{
    while (g->n > n) {
        staged *f = &g->files[--g->n];
        g->nopen -= !f->done && !f->unchanged;
        staged_drop(f);
    }
}

int bl_write_group_commit(bl_write_group *g)
{
    commit_pending(g);
    g->committed = 1;
    int failed = 0;
    for (size_t i = 0; i < g->n; i++)
        failed += g->files[i].e != 0;
    return failed;
}

bl_status bl_write_group_result(const bl_write_group *g, size_t k, bl_error *err)
{
    if (k >= g->n || !g->files[k].done)
        return bl_error_set(err, BL_ERR_USAGE, NULL, 0, 0, "no such file committed");
    if (g->files[k].e)
        return bl_error_set(err, BL_ERR_IO, g->files[k].path, 0, 0, "cannot write: %s",
                            strerror(g->files[k].e));
    return BL_OK;
}

void bl_write_group_clear(bl_write_group *g)
{
    bl_write_group_truncate(g, 0);
    g->committed = 0;
}

void bl_write_group_free(bl_write_group *g)
{
    if (!g)
        return;
    bl_write_group_clear(g);
    free(g->files);
    free(g);
}
