/* fileio.c - whole-file reads and atomic writes (see fileio.h). */
#define _POSIX_C_SOURCE 200809L
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bl_status bl_read_file(const char *path, size_t max_size, char **out, size_t *len,
                       bl_error *err)
{
    *out = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return bl_error_set(err, BL_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        int e = S_ISDIR(st.st_mode) ? EISDIR : errno;
        close(fd);
        return bl_error_set(err, BL_ERR_IO, path, 0, 0, "cannot read: %s", strerror(e));
    }
    size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536, n = 0;
    if (S_ISREG(st.st_mode) && (size_t)st.st_size > max_size) {
        close(fd);
        return bl_error_set(err, BL_ERR_LIMIT, path, 0, 0,
                            "file is %lld bytes; the limit is %zu bytes",
                            (long long)st.st_size, max_size);
    }
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

/* Writes atomically; the new file gets mode, or when mode is -1 the mode a
 * normal create would give it. */
static bl_status write_atomic(const char *path, const void *data, size_t len, long mode,
                              bl_error *err)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 32);
    if (!tmp)
        return bl_error_set(err, BL_ERR_NOMEM, path, 0, 0, "out of memory");
    /* The temporary file lives beside the target so rename() stays atomic. */
    snprintf(tmp, plen + 32, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return bl_error_set(err, BL_ERR_IO, path, 0, 0, "cannot write: %s", strerror(e));
    }
    const char *p = data;
    size_t left = len;
    int e = 0;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            e = errno;
            break;
        }
        p += w;
        left -= (size_t)w;
    }
    if (!e && fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
        e = errno;
    /* mkstemp creates 0600; give the file the mode a normal create would
     * (or the one of the file it replaces). */
    if (!e) {
        mode_t m = (mode_t)mode;
        if (mode < 0) {
            mode_t mask = umask(0);
            umask(mask);
            m = 0666 & ~mask;
        }
        if (fchmod(fd, m) != 0)
            e = errno;
    }
    if (close(fd) != 0 && !e)
        e = errno;
    if (!e && rename(tmp, path) != 0)
        e = errno;
    if (e) {
        unlink(tmp);
        free(tmp);
        return bl_error_set(err, BL_ERR_IO, path, 0, 0, "cannot write: %s", strerror(e));
    }
    free(tmp);
    return BL_OK;
}

bl_status bl_write_file_atomic(const char *path, const void *data, size_t len,
                               bl_error *err)
{
    return write_atomic(path, data, len, -1, err);
}

bl_status bl_replace_file(const char *path, const void *data, size_t len, bl_error *err)
{
    struct stat st;
    long mode = stat(path, &st) == 0 ? (long)(st.st_mode & 07777) : -1;
    return write_atomic(path, data, len, mode, err);
}
