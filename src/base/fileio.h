/* fileio.h - reading whole files and writing files atomically, safely. */
#ifndef BL_FILEIO_H
#define BL_FILEIO_H

#include <stddef.h>

#include "error.h"

/* Reads the whole file at path into a malloc'd buffer (NUL-terminated, the
 * NUL not counted in *len). The file is opened without blocking and must be
 * a regular file: a FIFO, device, socket or directory fails with BL_ERR_IO
 * saying what it is. Files larger than max_size bytes fail with
 * BL_ERR_LIMIT; unreadable ones with BL_ERR_IO naming the file and the reason. */
bl_status bl_read_file(const char *path, size_t max_size, char **out, size_t *len,
                       bl_error *err);

/* bl_read_file, but a symbolic link as the last component is refused (for
 * paths that come from untrusted input). */
bl_status bl_read_file_nofollow(const char *path, size_t max_size, char **out, size_t *len,
                                bl_error *err);

/* Writes data to path atomically: a temporary file (TARGET.tmp-XXXXXX,
 * locked while written) beside the target, flushed, then renamed over it.
 * A symbolic link at path is followed: the file it points to is replaced,
 * the link stays. The target must be a regular file (its mode is kept) or a
 * new name; anything else (device, FIFO, socket, directory) is refused with
 * BL_ERR_USAGE and left alone, as is an empty path. Temporary files that a
 * killed run left in the target's folder are removed (once per folder and
 * process). On any failure the temporary file is removed, an existing file
 * at path is untouched, and err says why. A target that already holds
 * exactly these bytes (one name, this user's) is not written again: only
 * its modification time is set, as a rewrite would. */
bl_status bl_write_file_atomic(const char *path, const void *data, size_t len,
                               bl_error *err);

/* A run of bytes of a file made of pieces. */
typedef struct bl_io_piece {
    const void *p;
    size_t n;
} bl_io_piece;

/* bl_write_file_atomic for the concatenation of pieces[0..n): a file that
 * exists as the pieces it was made of need not be copied into one buffer. */
bl_status bl_write_file_atomic_pieces(const char *path, const bl_io_piece *pieces, size_t n,
                                      bl_error *err);

/* Atomic writes flushed together: each file is written to its temporary
 * file at once, and committing the group flushes them all (one sync of
 * their file system) and then renames each over its target. A batch of
 * many outputs costs one flush, not one per file (from four files on;
 * fewer get an fsync each). Until committed, no target is touched, except
 * that a group holding 64 temporary files commits those before it takes
 * more (each stays open, and locked, until renamed). The temporaries are
 * removed if the group is freed or truncated. */
typedef struct bl_write_group bl_write_group;

/* NULL when out of memory. */
bl_write_group *bl_write_group_new(void);

/* Writes the pieces to a temporary beside path's target, as
 * bl_write_file_atomic_pieces does but neither flushed nor renamed. On
 * failure nothing of this file remains and err says why. Adding to a
 * committed group clears it first. */
bl_status bl_write_group_add(bl_write_group *g, const char *path, const bl_io_piece *pieces,
                             size_t n, bl_error *err);

/* The files added so far; removes the files after the first n (those the
 * group already committed in parts stay written). */
size_t bl_write_group_size(const bl_write_group *g);
void bl_write_group_truncate(bl_write_group *g, size_t n);

/* Flushes and renames every file added; returns how many failed (a
 * failed flush fails every file on that file system: none of them is
 * renamed). Each file's outcome is then told by bl_write_group_result. */
int bl_write_group_commit(bl_write_group *g);

/* Once committed: BL_OK when file k (0-based, in order added) replaced its
 * target, else err names the file as given and the reason. */
bl_status bl_write_group_result(const bl_write_group *g, size_t k, bl_error *err);

/* Empties the group (uncommitted files are removed); NULL is a no-op for free. */
void bl_write_group_clear(bl_write_group *g);
void bl_write_group_free(bl_write_group *g);

/* Writes data to path in place: neither atomic nor flushed, so only for
 * files that a crash may leave missing, empty or torn without harm (a
 * record that is only ever trusted when it matches whole, as batch's
 * stamps). No temporary file, so no new inode when path exists; nothing
 * at all is written when the file holds these bytes already. A symbolic
 * link at path is refused, as is anything but a regular file or a new name. */
bl_status bl_write_file_inplace(const char *path, const void *data, size_t len,
                                bl_error *err);

/* 1 when a and b are the same file (device and inode, links followed), or
 * when either does not exist and the names are equal; else 0. */
int bl_same_file(const char *a, const char *b);

/* "a FIFO", "a character device", ... for a stat st_mode. */
const char *bl_file_kind(unsigned mode);

#endif
