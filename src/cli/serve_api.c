/* serve_api.c - the API of `bulletin serve` (docs/serve.md): the issues of
 * the folder listed, read with an ETag, written atomically when the ETag
 * still matches; text rendered to SVG pages with its diagnostics; the saved
 * file's pages and PDF. Renders go through cli_render, with the limits of
 * `render`, one at a time per issue. */
#define _POSIX_C_SOURCE 200809L
#include "serve_priv.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/fileio.h"
#include "base/grow.h"
#include "base/json.h"
#include "parse/parse.h"

enum { MAX_SLOTS = 1024, MAX_WARNINGS = 200 };

/* ---- replies -------------------------------------------------------------- */

void serve_reply_free(serve_reply *r)
{
    free(r->body);
    free(r->etag);
    free(r->disposition);
    memset(r, 0, sizeof *r);
}

/* A JSON string literal of s[0..len) (which may hold any bytes but NUL). */
static void json_string_n(FILE *f, const char *s, size_t len)
{
    fputc('"', f);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c < 0x20 || c == 0x7F)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

/* JSON replies are built in a memory stream. */
typedef struct json_out {
    FILE *f;
    char *buf;
    size_t len;
} json_out;

static int json_open(json_out *j)
{
    j->buf = NULL;
    j->len = 0;
    j->f = open_memstream(&j->buf, &j->len);
    return j->f != NULL;
}

/* Closes j and hands its text to r with the status given. */
static void json_reply(json_out *j, serve_reply *r, int status)
{
    int bad = ferror(j->f);
    fclose(j->f);
    if (bad || !j->buf) {
        free(j->buf);
        serve_reply_error(r, 500, "out of memory");
        return;
    }
    r->status = status;
    r->type = "application/json; charset=utf-8";
    r->body = j->buf;
    r->len = j->len;
}

void serve_reply_error(serve_reply *r, int status, const char *message)
{
    serve_reply_free(r);
    r->status = status;
    r->type = "application/json; charset=utf-8";
    FILE *f = open_memstream(&r->body, &r->len);
    if (!f)
        return; /* an empty body: the status still says it */
    fputs("{\"error\":", f);
    bl_json_string(f, message);
    fputs("}\n", f);
    fclose(f);
}

/* ---- names and files ------------------------------------------------------ */

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a > b && strcmp(s + a - b, suffix) == 0;
}

/* A plain file name: no path, no control characters, not hidden. */
static int file_name_ok(const char *name)
{
    if (!name || !*name || name[0] == '.' || strlen(name) > 255)
        return 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p == '/' || *p == '\\' || *p < 0x20 || *p == 0x7F)
            return 0;
    return strstr(name, "..") == NULL;
}

int serve_name_ok(const char *name)
{
    return file_name_ok(name) && ends_with(name, ".txt");
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* Whether path is a regular file (not a link, not a folder). */
static int is_regular(const char *path, struct stat *st)
{
    struct stat tmp;
    if (!st)
        st = &tmp;
    return lstat(path, st) == 0 && S_ISREG(st->st_mode);
}

/* A strong ETag of a file's bytes: FNV-1a 64 and the length, quoted. */
static char *etag_of(const char *data, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)data[i]) * 1099511628211ull;
    char *e = malloc(48);
    if (e)
        snprintf(e, 48, "\"%016llx-%zx\"", (unsigned long long)h, len);
    return e;
}

/* Reads the issue called name (validated) into *data; the reply is filled
 * with the refusal when it cannot be. */
static int read_issue(serve_state *s, const char *name, char **data, size_t *len,
                      char **path_out, serve_reply *r)
{
    *data = NULL;
    if (!serve_name_ok(name)) {
        serve_reply_error(r, 404, "no such issue: the name must be a .txt file of the folder");
        return 0;
    }
    char *path = join(s->dir, name);
    if (!path) {
        serve_reply_error(r, 500, "out of memory");
        return 0;
    }
    if (!is_regular(path, NULL)) {
        free(path);
        serve_reply_error(r, 404, "no such issue in the folder");
        return 0;
    }
    bl_error err;
    bl_error_clear(&err);
    if (bl_read_file(path, bl_doc_input_limit(), data, len, &err) != BL_OK) {
        free(path);
        serve_reply_error(r, err.code == BL_ERR_LIMIT ? 413 : 500, err.message);
        return 0;
    }
    if (path_out)
        *path_out = path;
    else
        free(path);
    return 1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in dir that keep(name) accepts and that are regular files,
 * sorted bytewise (malloc'd array of malloc'd names). */
static char **list_dir(const char *dir, int (*keep)(const char *), size_t *n)
{
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char **names = NULL;
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!keep(e->d_name))
            continue;
        char *p = join(dir, e->d_name);
        int reg = p && is_regular(p, NULL);
        free(p);
        if (!reg)
            continue;
        char **g = bl_reserve(names, &cap, *n, 1, sizeof *g, 16);
        if (!g)
            break;
        names = g;
        if (!(names[*n] = strdup(e->d_name)))
            break;
        (*n)++;
    }
    closedir(d);
    if (names)
        qsort(names, *n, sizeof *names, cmp_str);
    return names;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

void serve_list_issues(serve_state *s, serve_reply *r)
{
    size_t n;
    char **names = list_dir(s->dir, serve_name_ok, &n);
    json_out j;
    if (!json_open(&j)) {
        free_names(names, n);
        serve_reply_error(r, 500, "out of memory");
        return;
    }
    fputs("{\"dir\":", j.f);
    bl_json_string(j.f, s->dir);
    fputs(",\"issues\":[", j.f);
    for (size_t i = 0; i < n; i++) {
        char *p = join(s->dir, names[i]);
        struct stat st;
        if (!p || !is_regular(p, &st)) {
            free(p);
            continue;
        }
        free(p);
        fputs(i ? ",{\"name\":" : "{\"name\":", j.f);
        bl_json_string(j.f, names[i]);
        fprintf(j.f, ",\"size\":%lld,\"modified\":%lld}", (long long)st.st_size,
                (long long)st.st_mtime);
    }
    fputs("]}\n", j.f);
    free_names(names, n);
    json_reply(&j, r, 200);
}

/* ---- layouts -------------------------------------------------------------- */

static int is_layout_file(const char *name)
{
    return file_name_ok(name) && ends_with(name, ".layout");
}

/* A shipped layout's name: letters, digits, '-' and '_'. */
static int shipped_name_ok(const char *name)
{
    if (!*name || strlen(name) > 64)
        return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return 0;
    return 1;
}

void serve_list_layouts(serve_state *s, serve_reply *r)
{
    size_t ns, nl;
    char **shipped = list_dir(s->res.layouts_dir, is_layout_file, &ns);
    char **local = list_dir(s->dir, is_layout_file, &nl);
    json_out j;
    if (!json_open(&j)) {
        free_names(shipped, ns);
        free_names(local, nl);
        serve_reply_error(r, 500, "out of memory");
        return;
    }
    fputs("{\"shipped\":[", j.f);
    int first = 1;
    for (size_t i = 0; i < ns; i++) {
        shipped[i][strlen(shipped[i]) - 7] = '\0'; /* the name, without .layout */
        if (!shipped_name_ok(shipped[i]))
            continue;
        fputs(first ? "" : ",", j.f);
        bl_json_string(j.f, shipped[i]);
        first = 0;
    }
    fputs("],\"local\":[", j.f);
    for (size_t i = 0; i < nl; i++) {
        fputs(i ? "," : "", j.f);
        bl_json_string(j.f, local[i]);
    }
    fputs("]}\n", j.f);
    free_names(shipped, ns);
    free_names(local, nl);
    json_reply(&j, r, 200);
}

/* The layout to render with for the request's choice: NULL for the issue's
 * own 版式 (choice absent or empty), a shipped layout's name, or the path of
 * a .layout file of the folder. Fills r (400) and returns 0 for anything else. */
static int resolve_layout(serve_state *s, const char *choice, char **out, serve_reply *r)
{
    *out = NULL;
    if (!choice || !*choice)
        return 1;
    if (shipped_name_ok(choice)) {
        size_t n = strlen(s->res.layouts_dir) + strlen(choice) + 16;
        char *p = malloc(n);
        if (p)
            snprintf(p, n, "%s/%s.layout", s->res.layouts_dir, choice);
        int ok = p && is_regular(p, NULL);
        free(p);
        if (ok && (*out = strdup(choice)))
            return 1;
    } else if (is_layout_file(choice)) {
        char *p = join(s->dir, choice);
        if (p && is_regular(p, NULL)) {
            *out = p;
            return 1;
        }
        free(p);
    }
    serve_reply_error(r, 400, "unknown layout: give a shipped layout's name or a .layout file "
                              "of the folder (GET /api/layouts lists them)");
    return 0;
}

/* ---- reading and writing issues ------------------------------------------ */

void serve_get_issue(serve_state *s, const char *name, serve_reply *r)
{
    char *data;
    size_t len;
    if (!read_issue(s, name, &data, &len, NULL, r))
        return;
    /* The editor works in UTF-8: a GB18030 or UTF-16 file is shown decoded
     * (saving it writes UTF-8); the ETag is of the bytes on disk. */
    char *text = NULL;
    size_t tlen = 0;
    int gb = 0;
    bl_error err;
    bl_error_clear(&err);
    if (bl_decode_input(data, len, name, &text, &tlen, &gb, &err) != BL_OK) {
        free(data);
        serve_reply_error(r, 422, err.message);
        return;
    }
    r->etag = etag_of(data, len);
    free(data);
    r->status = 200;
    r->type = "text/plain; charset=utf-8";
    r->body = text;
    r->len = tlen;
}

void serve_put_issue(serve_state *s, const char *name, const char *if_match,
                     const char *body, size_t len, serve_reply *r)
{
    if (!if_match) {
        serve_reply_error(r, 428, "PUT needs If-Match: the ETag the text was read with");
        return;
    }
    /* The check and the write under one lock: two saves cannot both pass. */
    pthread_mutex_lock(&s->lock);
    char *data, *path = NULL;
    size_t dlen;
    if (!read_issue(s, name, &data, &dlen, &path, r)) {
        pthread_mutex_unlock(&s->lock);
        return;
    }
    char *current = etag_of(data, dlen);
    free(data);
    if (!current) {
        pthread_mutex_unlock(&s->lock);
        free(path);
        serve_reply_error(r, 500, "out of memory");
        return;
    }
    if (strcmp(if_match, "*") != 0 && strcmp(if_match, current) != 0) {
        pthread_mutex_unlock(&s->lock);
        free(path);
        serve_reply_error(r, 409, "the file changed since it was read: reload it, or save "
                                  "with the new ETag");
        r->etag = current;
        return;
    }
    free(current);
    bl_error err;
    bl_error_clear(&err);
    bl_status st = bl_write_file_atomic(path, body, len, &err);
    pthread_mutex_unlock(&s->lock);
    free(path);
    if (st != BL_OK) {
        serve_reply_error(r, 500, err.message);
        return;
    }
    json_out j;
    char *etag = etag_of(body, len);
    if (!etag || !json_open(&j)) {
        free(etag);
        serve_reply_error(r, 500, "out of memory");
        return;
    }
    fputs("{\"etag\":", j.f);
    bl_json_string(j.f, etag);
    fputs("}\n", j.f);
    json_reply(&j, r, 200);
    r->etag = etag;
}

/* ---- render slots --------------------------------------------------------- */

/* The slot of name (lock held); the shared "" slot when there are too many. */
static serve_slot *find_slot(serve_state *s, const char *name)
{
    for (size_t i = 0; i < s->nslots; i++)
        if (strcmp(s->slots[i]->name, name) == 0)
            return s->slots[i];
    if (s->nslots >= MAX_SLOTS && *name)
        return find_slot(s, "");
    serve_slot **g = realloc(s->slots, (s->nslots + 1) * sizeof *g);
    serve_slot *n = calloc(1, sizeof *n);
    if (g)
        s->slots = g;
    if (!g || !n || !(n->name = strdup(name))) {
        free(n);
        return NULL;
    }
    s->slots[s->nslots++] = n;
    return n;
}

/* Waits for the turn of this render of name: its slot free, and fewer than
 * max_renders running in all. A render that supersedes gives up (returns
 * NULL, *superseded set) as soon as a newer one for the same issue arrives. */
static serve_slot *slot_enter(serve_state *s, const char *name, int supersede, int *superseded)
{
    *superseded = 0;
    pthread_mutex_lock(&s->lock);
    serve_slot *slot = find_slot(s, name);
    if (!slot) {
        pthread_mutex_unlock(&s->lock);
        return NULL;
    }
    unsigned long ticket = 0;
    if (supersede) {
        ticket = ++slot->latest;
        pthread_cond_broadcast(&s->changed); /* a waiting older render gives up now */
    }
    for (;;) {
        if (supersede && slot->latest != ticket) {
            *superseded = 1;
            s->superseded++;
            pthread_mutex_unlock(&s->lock);
            return NULL;
        }
        if (!slot->busy && s->renders_running < s->max_renders)
            break;
        pthread_cond_wait(&s->changed, &s->lock);
    }
    slot->busy = 1;
    s->renders_running++;
    pthread_mutex_unlock(&s->lock);
    return slot;
}

static void slot_leave(serve_state *s, serve_slot *slot)
{
    pthread_mutex_lock(&s->lock);
    slot->busy = 0;
    s->renders_running--;
    s->renders_done++;
    pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->lock);
}

void serve_status(serve_state *s, serve_reply *r)
{
    json_out j;
    if (!json_open(&j)) {
        serve_reply_error(r, 500, "out of memory");
        return;
    }
    pthread_mutex_lock(&s->lock);
    fprintf(j.f, "{\"renders_running\":%d,\"renders_done\":%lu,\"superseded\":%lu}\n",
            s->renders_running, s->renders_done, s->superseded);
    pthread_mutex_unlock(&s->lock);
    json_reply(&j, r, 200);
}

void serve_slots_free(serve_state *s)
{
    for (size_t i = 0; i < s->nslots; i++) {
        free(s->slots[i]->name);
        free(s->slots[i]->cached_key);
        bl_writer_output_free(&s->slots[i]->cached);
        free(s->slots[i]);
    }
    free(s->slots);
    s->slots = NULL;
    s->nslots = 0;
}

/* ---- rendering ------------------------------------------------------------ */

/* The warnings of one render. */
typedef struct warnings {
    bl_error *w;
    size_t n;
    size_t dropped;
} warnings;

static void collect_warning(void *ctx, const bl_error *w)
{
    warnings *ws = ctx;
    if (ws->n >= MAX_WARNINGS) {
        ws->dropped++;
        return;
    }
    bl_error *g = realloc(ws->w, (ws->n + 1) * sizeof *g);
    if (!g) {
        ws->dropped++;
        return;
    }
    ws->w = g;
    ws->w[ws->n++] = *w;
}

/* A diagnostic's file as the page shows it: the issue's name for the issue
 * itself, a path relative to the folder for its files, else the base name
 * (a shipped layout). */
static const char *diag_file(const serve_state *s, const char *file, const char *in_path,
                             const char *name)
{
    if (!file[0] || strcmp(file, in_path) == 0)
        return name;
    size_t dl = strlen(s->dir);
    if (strncmp(file, s->dir, dl) == 0 && file[dl] == '/')
        return file + dl + 1;
    const char *slash = strrchr(file, '/');
    return slash ? slash + 1 : file;
}

static void json_diag(FILE *f, const serve_state *s, const bl_error *e, const char *severity,
                      const char *in_path, const char *name)
{
    fputs("{\"file\":", f);
    bl_json_string(f, diag_file(s, e->file, in_path, name));
    fprintf(f, ",\"line\":%d,\"col\":%d,\"severity\":\"%s\",\"message\":", e->line > 0 ? e->line : 0,
            e->line > 0 && e->col > 0 ? e->col : 0, severity);
    bl_json_string(f, e->message);
    fputc('}', f);
}

/* The render's outcome as JSON: ok, pages (SVG documents, when with_pages),
 * diagnostics (the error first, then the warnings). */
static void render_reply(const serve_state *s, bl_status st, const bl_error *err,
                         const warnings *ws, const cli_rendered *out, int with_pages,
                         const char *in_path, const char *name, int status, serve_reply *r)
{
    json_out j;
    if (!json_open(&j)) {
        serve_reply_error(r, 500, "out of memory");
        return;
    }
    fprintf(j.f, "{\"ok\":%s,\"npages\":%zu,\"pages\":[", st == BL_OK ? "true" : "false",
            st == BL_OK ? out->pages : 0);
    for (size_t k = 0; with_pages && st == BL_OK && k < out->files.nfiles; k++) {
        fputs(k ? "," : "", j.f);
        json_string_n(j.f, (const char *)out->files.files[k].data, out->files.files[k].len);
    }
    fputs("],\"diagnostics\":[", j.f);
    int first = 1;
    if (st != BL_OK) {
        json_diag(j.f, s, err, "error", in_path, name);
        first = 0;
    }
    for (size_t i = 0; i < ws->n; i++) {
        fputs(first ? "" : ",", j.f);
        json_diag(j.f, s, &ws->w[i], "warning", in_path, name);
        first = 0;
    }
    fprintf(j.f, "],\"warnings_dropped\":%zu}\n", ws->dropped);
    json_reply(&j, r, status);
}

/* Renders text (or, when text is NULL, nothing: the caller's bytes) as
 * format in name's slot; *out filled on success. */
typedef struct render_job {
    const char *name;    /* the slot and the name diagnostics use */
    const char *in_path; /* the path the text is read as */
    const char *layout;  /* NULL, a shipped name or a path */
    const char *text;
    size_t len;
    const bl_writer *format;
} render_job;

static bl_status run_render(serve_state *s, const render_job *job, warnings *ws,
                            cli_rendered *out, bl_error *err)
{
    bl_warner warner = {collect_warning, ws};
    cli_render_opts opts = {job->format, job->layout, NULL, &warner, -1};
    bl_status st = cli_render(&s->res, job->in_path, job->text, job->len, &opts, out, err);
    /* Replies send the bytes of a file at once. */
    if (st == BL_OK && (st = bl_writer_output_flatten(&out->files, err)) != BL_OK)
        cli_rendered_free(out);
    return st;
}

void serve_render_text(serve_state *s, const char *name, const char *layout,
                       const char *body, size_t len, serve_reply *r)
{
    if (name && *name && !serve_name_ok(name)) {
        serve_reply_error(r, 404, "no such issue: the name must be a .txt file of the folder");
        return;
    }
    const char *shown = name && *name ? name : "untitled.txt";
    char *lay = NULL;
    if (!resolve_layout(s, layout, &lay, r))
        return;
    char *in_path = join(s->dir, shown);
    int superseded = 0;
    serve_slot *slot = in_path ? slot_enter(s, name ? name : "", 1, &superseded) : NULL;
    if (!slot) {
        free(in_path);
        free(lay);
        if (superseded)
            serve_reply_error(r, 409, "superseded: a newer render of this issue was asked for");
        else
            serve_reply_error(r, 500, "out of memory");
        return;
    }
    render_job job = {shown, in_path, lay, body ? body : "", len, bl_writer_find("svg")};
    warnings ws = {NULL, 0, 0};
    cli_rendered out;
    bl_error err;
    bl_error_clear(&err);
    bl_status st = run_render(s, &job, &ws, &out, &err);
    slot_leave(s, slot);
    render_reply(s, st, &err, &ws, &out, 1, in_path, shown, 200, r);
    cli_rendered_free(&out);
    free(ws.w);
    free(in_path);
    free(lay);
}

/* Renders the saved file of name (read by the caller) in format, waiting for
 * its turn (never superseded). On a render error r gets the diagnostics (422). */
static int render_saved(serve_state *s, const char *name, const char *path, const char *data,
                        size_t len, const char *layout, const bl_writer *format,
                        cli_rendered *out, serve_reply *r)
{
    int superseded;
    serve_slot *slot = slot_enter(s, name, 0, &superseded);
    if (!slot) {
        serve_reply_error(r, 500, "out of memory");
        return 0;
    }
    render_job job = {name, path, layout, data, len, format};
    warnings ws = {NULL, 0, 0};
    bl_error err;
    bl_error_clear(&err);
    bl_status st = run_render(s, &job, &ws, out, &err);
    slot_leave(s, slot);
    if (st != BL_OK)
        render_reply(s, st, &err, &ws, out, 0, path, name, 422, r);
    free(ws.w);
    return st == BL_OK;
}

/* Takes file k of out into r (the file's bytes move). */
static void take_file(cli_rendered *out, size_t k, const char *type, serve_reply *r)
{
    r->status = 200;
    r->type = type;
    r->body = (char *)out->files.files[k].data;
    r->len = out->files.files[k].len;
    out->files.files[k].data = NULL;
}

/* Copies an SVG page into r; 0 when out of memory. */
static int copy_page(const bl_writer_file *f, serve_reply *r)
{
    if (!(r->body = malloc(f->len ? f->len : 1)))
        return 0;
    memcpy(r->body, f->data, f->len);
    r->len = f->len;
    r->status = 200;
    r->type = "image/svg+xml";
    return 1;
}

/* Copies page k of the slot's cache into r when the cache is of key. */
static int from_cache(serve_state *s, const char *name, const char *key, size_t k,
                      serve_reply *r, int *out_of_range)
{
    int hit = 0;
    *out_of_range = 0;
    pthread_mutex_lock(&s->lock);
    serve_slot *slot = find_slot(s, name);
    if (slot && slot->cached_key && strcmp(slot->cached_key, key) == 0) {
        *out_of_range = k >= slot->cached.nfiles;
        hit = *out_of_range || copy_page(&slot->cached.files[k], r);
    }
    pthread_mutex_unlock(&s->lock);
    return hit;
}

/* Keeps out's pages as the slot's cache for key (the pages move). */
static void to_cache(serve_state *s, const char *name, const char *key, cli_rendered *out)
{
    pthread_mutex_lock(&s->lock);
    serve_slot *slot = find_slot(s, name);
    char *k = strdup(key);
    if (slot && k) {
        free(slot->cached_key);
        bl_writer_output_free(&slot->cached);
        slot->cached_key = k;
        slot->cached = out->files;
        memset(&out->files, 0, sizeof out->files);
    } else {
        free(k);
    }
    pthread_mutex_unlock(&s->lock);
}

/* A page number: digits only, 1.. */
static size_t page_number(const char *s)
{
    size_t v = 0;
    if (!s || !*s || *s == '0')
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > 100000)
            return 0;
        v = v * 10 + (size_t)(*s - '0');
    }
    return v;
}

void serve_get_page(serve_state *s, const char *name, const char *page, const char *layout,
                    serve_reply *r)
{
    size_t k = page_number(page);
    char *data, *path = NULL, *lay = NULL;
    size_t len;
    if (!read_issue(s, name, &data, &len, &path, r))
        return;
    if (k == 0 || !resolve_layout(s, layout, &lay, r)) {
        if (k == 0)
            serve_reply_error(r, 404, "no such page");
        free(data);
        free(path);
        return;
    }
    char *etag = etag_of(data, len);
    size_t kl = (etag ? strlen(etag) : 0) + (lay ? strlen(lay) : 0) + 2;
    char *key = malloc(kl);
    if (key)
        snprintf(key, kl, "%s\n%s", etag ? etag : "", lay ? lay : "");
    int out_of_range = 0;
    if (!etag || !key) {
        serve_reply_error(r, 500, "out of memory");
    } else if (!from_cache(s, name, key, k - 1, r, &out_of_range)) {
        cli_rendered out;
        memset(&out, 0, sizeof out);
        if (render_saved(s, name, path, data, len, lay, bl_writer_find("svg"), &out, r)) {
            if (k - 1 >= out.files.nfiles)
                out_of_range = 1;
            else if (!copy_page(&out.files.files[k - 1], r))
                serve_reply_error(r, 500, "out of memory");
            to_cache(s, name, key, &out);
        }
        cli_rendered_free(&out);
    }
    if (out_of_range)
        serve_reply_error(r, 404, "no such page: the issue has fewer pages");
    free(key);
    free(etag);
    free(lay);
    free(data);
    free(path);
}

/* Percent-encodes s for a Content-Disposition filename* (RFC 5987). */
static void put_rfc5987(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p))
            fputc(*p, f);
        else
            fprintf(f, "%%%02X", *p);
    }
}

void serve_get_pdf(serve_state *s, const char *pdf_name, const char *layout, serve_reply *r)
{
    /* X.pdf is the PDF of X.txt, as `render` names it beside its input. */
    size_t n = strlen(pdf_name);
    char *name = n > 4 ? malloc(n + 1) : NULL;
    if (!name) {
        serve_reply_error(r, 404, "no such issue");
        return;
    }
    memcpy(name, pdf_name, n - 4);
    strcpy(name + n - 4, ".txt");
    char *data, *path = NULL, *lay = NULL;
    size_t len;
    if (!read_issue(s, name, &data, &len, &path, r) || !resolve_layout(s, layout, &lay, r)) {
        free(data);
        free(path);
        free(name);
        return;
    }
    cli_rendered out;
    memset(&out, 0, sizeof out);
    if (render_saved(s, name, path, data, len, lay, bl_writer_find("pdf"), &out, r) &&
        out.files.nfiles == 1) {
        take_file(&out, 0, "application/pdf", r);
        /* An ASCII fallback name, and the real one for browsers (RFC 6266). */
        char *disp = NULL;
        size_t dl = 0;
        FILE *f = open_memstream(&disp, &dl);
        if (f) {
            fputs("attachment; filename=\"", f);
            for (const char *p = pdf_name; *p; p++)
                fputc((unsigned char)*p < 0x80 && *p != '"' && *p != '\\' ? *p : '_', f);
            fputs("\"; filename*=UTF-8''", f);
            put_rfc5987(f, pdf_name);
            fclose(f);
        }
        r->disposition = disp;
    }
    cli_rendered_free(&out);
    free(data);
    free(path);
    free(lay);
    free(name);
}
