/* ofd_zip.c - the OFD package as a ZIP written by libzip into memory
 * (ofd_priv.h). Deterministic: members in the caller's order, each deflated
 * and stamped with the document's own date as a DOS date and time (no
 * clock, no time zone), Unix permissions 0644, no archive comment.
 *
 * libzip is opened with dlopen on the first OFD, not linked: linked, it
 * brought libcrypto, whose symbol bindings were half of the dynamic loader's
 * work in every render (about 4 % of a short PDF render's instructions). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <zip.h>

#include "ofd_priv.h"

/* Every libzip function used below: each name is redirected to a pointer
 * of the declared function's own type, filled once by zip_api_open. */
#define ZIP_FUNCS(X)                                                                      \
    X(zip_error_code_zip) X(zip_error_strerror) X(zip_error_init) X(zip_error_fini)        \
    X(zip_stat_init) X(zip_source_open) X(zip_source_stat) X(zip_source_error)             \
    X(zip_source_read) X(zip_source_close) X(zip_source_buffer_create) X(zip_source_free)   \
    X(zip_source_keep) X(zip_source_buffer) X(zip_open_from_source) X(zip_file_add)        \
    X(zip_get_error) X(zip_set_file_compression) X(zip_file_set_dostime)                    \
    X(zip_file_set_external_attributes) X(zip_discard) X(zip_close)

#define ZIP_FIELD(f) __typeof__(&f) f;
static struct {
    ZIP_FUNCS(ZIP_FIELD)
} zip_api;
#undef ZIP_FIELD

static pthread_once_t zip_once = PTHREAD_ONCE_INIT;
static const char *zip_missing; /* why libzip could not be used, or NULL */
static char zip_why[160];

static void zip_api_load(void)
{
    /* Debian 12's libzip4, the ABI <zip.h> is from. */
    void *h = dlopen("libzip.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(zip_why, sizeof zip_why, "cannot load libzip: %s", e ? e : "not found");
        zip_missing = zip_why;
        return;
    }
    /* POSIX guarantees a function's address survives the trip through void *. */
#define ZIP_LOAD(f)                                                                       \
    if (!(zip_api.f = (__typeof__(zip_api.f))dlsym(h, #f)) && !zip_missing) {              \
        snprintf(zip_why, sizeof zip_why, "libzip has no %s", #f);                         \
        zip_missing = zip_why;                                                            \
    }
    ZIP_FUNCS(ZIP_LOAD)
#undef ZIP_LOAD
}

static bl_status zip_api_open(bl_error *err)
{
    pthread_once(&zip_once, zip_api_load);
    if (zip_missing)
        return bl_error_set(err, BL_ERR_IO, NULL, 0, 0, "cannot write the OFD: %s", zip_missing);
    return BL_OK;
}

/* From here on, every call goes through zip_api (the names as libzip's). */
#define zip_error_code_zip zip_api.zip_error_code_zip
#define zip_error_strerror zip_api.zip_error_strerror
#define zip_error_init zip_api.zip_error_init
#define zip_error_fini zip_api.zip_error_fini
#define zip_stat_init zip_api.zip_stat_init
#define zip_source_open zip_api.zip_source_open
#define zip_source_stat zip_api.zip_source_stat
#define zip_source_error zip_api.zip_source_error
#define zip_source_read zip_api.zip_source_read
#define zip_source_close zip_api.zip_source_close
#define zip_source_buffer_create zip_api.zip_source_buffer_create
#define zip_source_free zip_api.zip_source_free
#define zip_source_keep zip_api.zip_source_keep
#define zip_source_buffer zip_api.zip_source_buffer
#define zip_open_from_source zip_api.zip_open_from_source
#define zip_file_add zip_api.zip_file_add
#define zip_get_error zip_api.zip_get_error
#define zip_set_file_compression zip_api.zip_set_file_compression
#define zip_file_set_dostime zip_api.zip_file_set_dostime
#define zip_file_set_external_attributes zip_api.zip_file_set_external_attributes
#define zip_discard zip_api.zip_discard
#define zip_close zip_api.zip_close

/* The DOS date and time of the document's date; 1980-01-01 00:00 (the
 * format's epoch) when there is none or it is out of the format's range. */
static void dos_stamp(const bl_dl_info *in, zip_uint16_t *date, zip_uint16_t *time)
{
    int y = in ? in->year : 0;
    if (y < 1980 || y > 2107 || in->month < 1 || in->month > 12 || in->day < 1 ||
        in->day > 31) {
        *date = (1 << 5) | 1;
        *time = 0;
        return;
    }
    *date = (zip_uint16_t)(((y - 1980) << 9) | (in->month << 5) | in->day);
    int h = in->hour >= 0 && in->hour < 24 ? in->hour : 0;
    int m = in->minute >= 0 && in->minute < 60 ? in->minute : 0;
    int s = in->second >= 0 && in->second < 60 ? in->second : 0;
    *time = (zip_uint16_t)((h << 11) | (m << 5) | (s / 2));
}

static bl_status zip_fail(bl_error *err, const char *what, zip_error_t *ze)
{
    bl_status st = zip_error_code_zip(ze) == ZIP_ER_MEMORY ? BL_ERR_NOMEM : BL_ERR_IO;
    return bl_error_set(err, st, NULL, 0, 0, "libzip failed %s: %s", what,
                        zip_error_strerror(ze));
}

/* Copies the finished archive out of its buffer source. */
static bl_status read_back(zip_source_t *src, unsigned char **out, size_t *len, bl_error *err)
{
    zip_stat_t sb;
    zip_stat_init(&sb);
    if (zip_source_open(src) < 0)
        return zip_fail(err, "reading the package back", zip_source_error(src));
    bl_status st = BL_OK;
    if (zip_source_stat(src, &sb) < 0 || !(sb.valid & ZIP_STAT_SIZE)) {
        st = zip_fail(err, "reading the package back", zip_source_error(src));
        goto out;
    }
    unsigned char *p = malloc(sb.size ? sb.size : 1);
    if (!p) {
        st = bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory writing the OFD");
        goto out;
    }
    if (zip_source_read(src, p, sb.size) != (zip_int64_t)sb.size) {
        free(p);
        st = zip_fail(err, "reading the package back", zip_source_error(src));
        goto out;
    }
    *out = p;
    *len = (size_t)sb.size;
out:
    zip_source_close(src);
    return st;
}

bl_status ofd_zip(const ofd_member *members, size_t n, const bl_dl_info *date,
                  unsigned char **out, size_t *len, bl_error *err)
{
    *out = NULL;
    *len = 0;
    bl_status loaded = zip_api_open(err);
    if (loaded != BL_OK)
        return loaded;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!src) {
        bl_status st = zip_fail(err, "creating the package", &ze);
        zip_error_fini(&ze);
        return st;
    }
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    if (!za) {
        bl_status st = zip_fail(err, "creating the package", &ze);
        zip_source_free(src);
        zip_error_fini(&ze);
        return st;
    }
    zip_error_fini(&ze);
    zip_source_keep(src); /* it outlives the archive: the bytes are read from it */
    zip_uint16_t dosdate, dostime;
    dos_stamp(date, &dosdate, &dostime);
    bl_status st = BL_OK;
    for (size_t i = 0; i < n && st == BL_OK; i++) {
        const ofd_member *m = &members[i];
        zip_source_t *zs = zip_source_buffer(za, m->data, m->len, 0);
        zip_int64_t idx = zs ? zip_file_add(za, m->name, zs, ZIP_FL_ENC_UTF_8) : -1;
        if (idx < 0) {
            if (zs)
                zip_source_free(zs);
            st = zip_fail(err, "adding a part", zip_get_error(za));
            break;
        }
        if (zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 9) < 0 ||
            zip_file_set_dostime(za, (zip_uint64_t)idx, dostime, dosdate, 0) < 0 ||
            zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
                                             0100644u << 16) < 0)
            st = zip_fail(err, "setting up a part", zip_get_error(za));
    }
    if (st != BL_OK) {
        zip_discard(za);
        zip_source_free(src);
        return st;
    }
    /* zip_close writes the archive into src (the parts are read now). */
    if (zip_close(za) < 0) {
        st = zip_fail(err, "writing the package", zip_get_error(za));
        zip_discard(za);
        zip_source_free(src);
        return st;
    }
    st = read_back(src, out, len, err);
    zip_source_free(src);
    return st;
}
