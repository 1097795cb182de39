/* batch.c - `bulletin batch`: rendering archives of issues with several
 * workers sharing one font cache and shaper, with progress, a summary, a
 * JSON report, make-like --changed, and --shard K/N to split the work
 * across machines with no coordinator. Workers render into memory; the
 * main thread writes the outputs in the order they were rendered, to
 * temporary files flushed to disk together a group at a time and then
 * renamed, so waiting for the disk overlaps rendering and is paid once a
 * group. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <malloc.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/grow.h"
#include "base/json.h"
#include "display/display.h"
#include "cli.h"

static const char *const usage_batch =
    "usage: bulletin batch INPUTS... -o OUTDIR [-j N] [--format NAME]\n"
    "                      [--layout NAME|FILE] [--changed] [--shard K/N]\n"
    "                      [--report FILE.json] [--pdfa=1b|2b]\n"
    "\n"
    "Typesets every input: files, or directories searched recursively for *.txt.\n"
    "Outputs keep the inputs' paths relative to the directory given (a file given\n"
    "directly goes to OUTDIR/NAME.pdf).\n"
    "  -o, --output OUTDIR   where the outputs go (created if needed)\n"
    "  -j, --jobs N          workers (default: the number of cores)\n"
    "  --format NAME         the output format (default: pdf)\n"
    "  --pdfa=1b|2b          PDF/A-1b or PDF/A-2b (else as each layout says)\n"
    "  --layout NAME|FILE    the layout for every issue (default: each one's 版式)\n"
    "  --changed             only inputs (or layouts) changed since their output\n"
    "                        was made (resume a run; a stamp .NAME.pdf.stamp\n"
    "                        beside each output records what it was made from)\n"
    "  --shard K/N           only shard K (1..N) of N, chosen by a hash of the path\n"
    "  --report FILE.json    a machine-readable report of every input\n"
    "Exit status: 0 when every issue rendered, 1 when any failed.\n";

typedef enum job_state { JOB_PENDING, JOB_OK, JOB_SKIPPED, JOB_FAILED } job_state;

typedef struct job {
    char *in, *out, *rel;
    dev_t dev; /* the input file, to find the same file given twice */
    ino_t ino;
    struct stat st; /* the input as found, for --changed's stamp */
    size_t dup_of;  /* 1 + the index of the job with the same input, or 0 */
    job_state state;
    size_t pages;
    double seconds;
    bl_error err;
    /* Between rendering and writing: */
    bl_status rst;    /* of rendering */
    cli_rendered out_mem;
    size_t bytes; /* of out_mem, while it waits in the queue */
    double t0;
} job;

/* A directory already walked (device and inode). */
typedef struct dir_id {
    dev_t dev;
    ino_t ino;
    int used;
} dir_id;

typedef struct stager stager;

typedef struct batch {
    job *jobs;
    size_t njobs, cap;
    dir_id *dirs; /* a set of every directory walked, so each is walked once */
    size_t ndirs, cap_dirs;
    int changed;  /* --changed: write and compare stamps */
    size_t next, done, failed, skipped, pages;
    int tty;
    double start;
    const char *layout;
    const bl_writer *format;
    int pdfa; /* -1: as each layout says */
    cli_resources res;
    pthread_mutex_t lock;
    /* Rendered jobs waiting to be written (indices into jobs), a ring of
     * qcap holding qbytes of output; workers wait while it is full, the
     * writer while it is empty. */
    pthread_cond_t cond;
    size_t *queue, qhead, qlen, qcap, qbytes;
    size_t rendering; /* workers still running */
    int write_inline; /* no writer thread: each worker writes its own */
    struct stager *stager; /* of the writer (or of the one inline worker) */
} batch;

static double now(void)
{
    /* Wall time for progress figures only; never reaches a PDF. */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *p = malloc(la + lb + 2);
    if (!p)
        return NULL;
    memcpy(p, a, la);
    size_t n = la;
    if (la && a[la - 1] != '/')
        p[n++] = '/';
    memcpy(p + n, b, lb + 1);
    return p;
}

static int add_job(batch *b, const char *in, const char *rel, const struct stat *st)
{
    job *jobs = bl_reserve(b->jobs, &b->cap, b->njobs, 1, sizeof *jobs, 64);
    if (!jobs)
        return -1;
    b->jobs = jobs;
    job *j = &b->jobs[b->njobs];
    memset(j, 0, sizeof *j);
    j->in = strdup(in);
    j->rel = strdup(rel);
    j->dev = st->st_dev;
    j->ino = st->st_ino;
    j->st = *st;
    if (!j->in || !j->rel) {
        free(j->in);
        free(j->rel);
        return -1;
    }
    b->njobs++;
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

enum { MAX_DEPTH = 64 };

/* The slot of (dev, ino) in the open-addressed set of walked directories:
 * where it is, or the empty slot where it goes. cap_dirs is a power of two. */
static size_t dir_slot(const batch *b, dev_t dev, ino_t ino)
{
    uint64_t h = ((uint64_t)ino * 0x9E3779B97F4A7C15u) ^ ((uint64_t)dev * 0xC2B2AE3D27D4EB4Fu);
    size_t i = (size_t)(h >> 17) & (b->cap_dirs - 1);
    while (b->dirs[i].used && (b->dirs[i].dev != dev || b->dirs[i].ino != ino))
        i = (i + 1) & (b->cap_dirs - 1);
    return i;
}

/* Records dir as walked; 0 when it already was (a symbolic link loop, a
 * second link to it, or an input inside another input), -1 out of memory.
 * A set rather than a list: an archive of one folder a day has thousands. */
static int first_visit(batch *b, const struct stat *st)
{
    if ((b->ndirs + 1) * 2 > b->cap_dirs) {
        size_t cap = b->cap_dirs ? b->cap_dirs * 2 : 64;
        dir_id *old = b->dirs;
        size_t old_cap = b->cap_dirs;
        if (!(b->dirs = calloc(cap, sizeof *b->dirs))) {
            b->dirs = old;
            return -1;
        }
        b->cap_dirs = cap;
        for (size_t i = 0; i < old_cap; i++)
            if (old[i].used)
                b->dirs[dir_slot(b, old[i].dev, old[i].ino)] = old[i];
        free(old);
    }
    size_t i = dir_slot(b, st->st_dev, st->st_ino);
    if (b->dirs[i].used)
        return 0;
    b->dirs[i] = (dir_id){st->st_dev, st->st_ino, 1};
    b->ndirs++;
    return 1;
}

/* Adds every *.txt below dir (sorted, so the order never depends on the
 * file system), walking each directory once. rel_prefix is the path
 * relative to the directory given. What is skipped gets a warning. */
static int scan_dir(batch *b, const char *dir, const struct stat *dst, const char *rel_prefix,
                    int depth)
{
    int fv = first_visit(b, dst);
    if (fv < 0)
        return -1;
    if (fv == 0) {
        fprintf(stderr, "%s: warning: skipped: this directory was already searched (a "
                        "symbolic link loop, or the same directory reached twice)\n", dir);
        return 0;
    }
    if (depth > MAX_DEPTH) {
        fprintf(stderr, "%s: warning: skipped: more than %d directories deep\n", dir,
                MAX_DEPTH);
        return 0;
    }
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "%s: error: cannot read directory: %s\n", dir, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char **nn = bl_reserve(names, &cap, n, 1, sizeof *nn, 32);
        if (!nn) {
            rc = -1;
            break;
        }
        names = nn;
        if (!(names[n] = strdup(e->d_name))) {
            rc = -1;
            break;
        }
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        char *path = join(dir, names[i]);
        char *rel = *rel_prefix ? join(rel_prefix, names[i]) : strdup(names[i]);
        struct stat st;
        if (!path || !rel) {
            rc = -1;
        } else if (stat(path, &st) != 0) {
            if (ends_with(names[i], ".txt"))
                fprintf(stderr, "%s: warning: skipped: %s\n", path, strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            rc |= scan_dir(b, path, &st, rel, depth + 1);
        } else if (ends_with(names[i], ".txt")) {
            if (S_ISREG(st.st_mode))
                rc |= add_job(b, path, rel, &st);
            else
                fprintf(stderr, "%s: warning: skipped: this is %s, not a regular file\n",
                        path, bl_file_kind(st.st_mode));
        }
        free(path);
        free(rel);
        free(names[i]);
    }
    free(names);
    return rc;
}

static int cmp_job_file(const void *a, const void *b)
{
    const job *x = *(const job *const *)a, *y = *(const job *const *)b;
    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    if (x->ino != y->ino)
        return x->ino < y->ino ? -1 : 1;
    return x < y ? -1 : x > y; /* the earlier job first */
}

/* A job whose input is the same file as an earlier job's is dropped
 * (sorted by device and inode: archives have 100,000 issues). */
static int drop_duplicates(batch *b)
{
    job **order = malloc((b->njobs ? b->njobs : 1) * sizeof *order);
    if (!order)
        return -1;
    for (size_t i = 0; i < b->njobs; i++)
        order[i] = &b->jobs[i];
    qsort(order, b->njobs, sizeof *order, cmp_job_file);
    for (size_t i = 1, first = 0; i < b->njobs; i++) {
        if (order[i]->dev == order[first]->dev && order[i]->ino == order[first]->ino)
            order[i]->dup_of = (size_t)(order[first] - b->jobs) + 1;
        else
            first = i;
    }
    free(order);
    /* Warned in input order, before the jobs move. */
    for (size_t i = 0; i < b->njobs; i++)
        if (b->jobs[i].dup_of)
            fprintf(stderr, "%s: warning: skipped: the same file as %s, given twice\n",
                    b->jobs[i].in, b->jobs[b->jobs[i].dup_of - 1].in);
    size_t kept = 0;
    for (size_t i = 0; i < b->njobs; i++) {
        job *j = &b->jobs[i];
        if (j->dup_of) {
            free(j->in);
            free(j->rel);
            continue;
        }
        b->jobs[kept++] = *j;
    }
    b->njobs = kept;
    return 0;
}

static int cmp_job_out(const void *a, const void *b)
{
    const job *x = *(const job *const *)a, *y = *(const job *const *)b;
    int c = strcmp(x->out, y->out);
    return c ? c : (x < y ? -1 : x > y);
}

/* Inputs that would be written to the same output fail before anything
 * is rendered: which one won would depend on thread timing. */
static int fail_collisions(batch *b)
{
    job **order = malloc((b->njobs ? b->njobs : 1) * sizeof *order);
    if (!order)
        return -1;
    for (size_t i = 0; i < b->njobs; i++)
        order[i] = &b->jobs[i];
    qsort(order, b->njobs, sizeof *order, cmp_job_out);
    for (size_t i = 0; i < b->njobs;) {
        size_t e = i + 1;
        while (e < b->njobs && strcmp(order[e]->out, order[i]->out) == 0)
            e++;
        for (size_t k = i; e - i > 1 && k < e; k++) {
            job *j = order[k], *other = order[k == i ? i + 1 : i];
            if (j->state == JOB_SKIPPED)
                b->skipped--;
            j->state = JOB_FAILED;
            bl_error_clear(&j->err);
            bl_error_set(&j->err, BL_ERR_USAGE, j->in, 0, 0,
                         "output %s would also be written by %s%s; rename one of them",
                         j->out, other->in, e - i > 2 ? " and others" : "");
            b->failed++;
            cli_print_diag(stderr, "error", &j->err);
        }
        i = e;
    }
    free(order);
    return 0;
}

/* ---- --changed: a stamp beside each output ------------------------------ */

/* OUTDIR/a/.08.pdf.stamp for OUTDIR/a/08.pdf (malloc'd). */
static char *stamp_path(const char *out)
{
    const char *slash = strrchr(out, '/');
    size_t dl = slash ? (size_t)(slash - out) + 1 : 0;
    char *p = malloc(strlen(out) + 8);
    if (p)
        sprintf(p, "%.*s.%s.stamp", (int)dl, out, out + dl);
    return p;
}

static void stat_line(char *buf, size_t cap, const char *what, const char *path)
{
    struct stat st;
    if (path && *path && stat(path, &st) == 0)
        snprintf(buf, cap, "%s %s\n%s-stat %lld.%09ld %lld\n", what, path, what,
                 (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec, (long long)st.st_size);
    else
        snprintf(buf, cap, "%s %s\n%s-stat none\n", what, path ? path : "", what);
}

/* What the output was made from: the program, the format, the input and
 * the layout file as they were (modification time and size). Compared for
 * equality, so an input dated in the future is not "newer" forever, and a
 * changed layout (its file, or another --layout) makes the input changed. */
static char *stamp_text(const batch *b, const job *j, const char *layout_path)
{
    char in[CLI_PATH_MAX + 64], lay[CLI_PATH_MAX + 64];
    snprintf(in, sizeof in, "input %s\ninput-stat %lld.%09ld %lld\n", j->in,
             (long long)j->st.st_mtim.tv_sec, j->st.st_mtim.tv_nsec, (long long)j->st.st_size);
    stat_line(lay, sizeof lay, "layout", layout_path);
    size_t n = strlen(in) + strlen(lay) + strlen(b->layout ? b->layout : "") + 128;
    char *t = malloc(n);
    if (t)
        snprintf(t, n, "bulletin %s %s\noption --layout %s\n%s%s", BL_VERSION, b->format->name,
                 b->layout ? b->layout : "(none: the input's 版式)", in, lay);
    return t;
}

/* 1 when the stamp beside j's output matches the input and layout now. */
static int up_to_date(const batch *b, const job *j)
{
    struct stat so;
    char *sp = stamp_path(j->out);
    char *text = NULL;
    size_t len = 0;
    bl_error ignored;
    bl_error_clear(&ignored);
    int ok = sp && stat(j->out, &so) == 0 &&
             bl_read_file(sp, 1 << 16, &text, &len, &ignored) == BL_OK;
    free(sp);
    if (!ok)
        return 0;
    /* The layout file recorded is the one the last render read. */
    char *lp = strstr(text, "\nlayout "), *path = NULL;
    if (lp) {
        lp += 8;
        char *nl = strchr(lp, '\n');
        path = nl ? strndup(lp, (size_t)(nl - lp)) : NULL;
    }
    char *want = path ? stamp_text(b, j, path) : NULL;
    ok = want && strcmp(want, text) == 0;
    free(want);
    free(path);
    free(text);
    return ok;
}

static void write_stamp(const batch *b, const job *j, const char *layout_path)
{
    char *sp = stamp_path(j->out);
    char *t = stamp_text(b, j, layout_path);
    bl_error err;
    bl_error_clear(&err);
    /* In place and not flushed: a stamp lost or torn in a crash matches
     * nothing, so the output is made again; an atomic, flushed stamp cost
     * as much as the output's own write (a new inode and an fsync). */
    if (sp && t && bl_write_file_inplace(sp, t, strlen(t), &err) != BL_OK)
        cli_print_diag(stderr, "warning", &err); /* only --changed is affected */
    free(sp);
    free(t);
}

/* FNV-1a: a stable hash of the relative path, so a file's shard does not
 * change when others are added. */
static uint32_t path_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static int mkdirs_for(const char *file)
{
    char *p = strdup(file);
    if (!p)
        return -1;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    free(p);
    return 0;
}

static void progress(batch *b, int final)
{
    if (!b->tty)
        return;
    double t = now() - b->start;
    double rate = t > 0 ? (double)b->done / t : 0;
    double eta = rate > 0 ? (double)(b->njobs - b->done) / rate : 0;
    char r[32];
    fprintf(stderr, "\r\033[K[%zu/%zu] %s issues/s, ETA %.0fs, %zu failed", b->done,
            b->njobs, bl_fmt_num(r, rate, 1), eta, b->failed);
    if (final)
        fputc('\n', stderr);
    fflush(stderr);
}

static void warn_locked(void *ctx, const bl_error *w)
{
    /* Called from a worker while it renders (never under the lock). */
    batch *b = ctx;
    pthread_mutex_lock(&b->lock);
    if (b->tty)
        fputs("\r\033[K", stderr);
    cli_print_diag(stderr, "warning", w);
    pthread_mutex_unlock(&b->lock);
}

/* Counts job i (its pages rendered) as done with status st, and tells the
 * user. */
static void complete(batch *b, size_t i, bl_status st)
{
    job *j = &b->jobs[i];
    j->seconds = now() - j->t0;
    pthread_mutex_lock(&b->lock);
    j->state = st == BL_OK ? JOB_OK : JOB_FAILED;
    if (st != BL_OK)
        j->pages = 0;
    b->done++;
    b->pages += j->pages;
    if (st != BL_OK) {
        b->failed++;
        if (b->tty)
            fputs("\r\033[K", stderr);
        cli_print_diag(stderr, "error", &j->err);
    } else if (!b->tty) {
        fprintf(stderr, "ok %s -> %s (%zu page%s)\n", j->in, j->out, j->pages,
                j->pages == 1 ? "" : "s");
    }
    progress(b, 0);
    pthread_mutex_unlock(&b->lock);
}

/* A job whose files are written to temporaries, waiting for the flush. */
typedef struct staged_job {
    size_t job;      /* its rst and pages tell how rendering and staging went */
    size_t from, to; /* its files in the group */
    char layout[CLI_PATH_MAX]; /* for the stamp */
} staged_job;

/* Outputs are flushed together (one sync for up to STAGE_MAX issues, or
 * what is rendered within STAGE_SECONDS): a flush per file made batch wait
 * for the disk once per issue, which on a hard disk or over the network
 * is slower than rendering. */
enum { STAGE_MAX = 32 };
#define QUEUE_BYTES ((size_t)64 << 20)
#define STAGE_SECONDS 0.25

struct stager {
    bl_write_group *group;
    staged_job jobs[STAGE_MAX];
    size_t n;
    double oldest; /* when the first of them was staged */
};

/* Writes job i's files to temporaries (or notes its failure). */
static void stage_job(batch *b, stager *sg, size_t i)
{
    job *j = &b->jobs[i];
    bl_status st = j->rst;
    if (st == BL_OK && mkdirs_for(j->out) != 0)
        st = bl_error_set(&j->err, BL_ERR_IO, j->out, 0, 0,
                          "cannot create the output directory: %s", strerror(errno));
    cli_render_opts opts = {b->format, b->layout, NULL, NULL, b->pdfa};
    cli_render_stats stats;
    staged_job *s = &sg->jobs[sg->n];
    s->from = bl_write_group_size(sg->group);
    if (st == BL_OK)
        st = cli_rendered_stage(&j->out_mem, j->in, j->out, &opts, &stats, sg->group, &j->err);
    cli_rendered_free(&j->out_mem);
    /* A failure waits with the rest, so the log keeps the order of the inputs. */
    j->rst = st;
    j->pages = st == BL_OK ? stats.pages : 0;
    s->job = i;
    s->to = bl_write_group_size(sg->group);
    snprintf(s->layout, sizeof s->layout, "%s", st == BL_OK ? stats.layout : "");
    if (sg->n++ == 0)
        sg->oldest = now();
}

/* Flushes and renames the staged jobs' files, then counts the jobs. */
static void commit_staged(batch *b, stager *sg)
{
    if (sg->n == 0)
        return;
    bl_write_group_commit(sg->group);
    for (size_t k = 0; k < sg->n; k++) {
        const staged_job *s = &sg->jobs[k];
        job *j = &b->jobs[s->job];
        bl_status st = j->rst;
        if (st == BL_OK)
            st = cli_group_result(sg->group, s->from, s->to, &j->err);
        if (st == BL_OK)
            write_stamp(b, j, s->layout);
        complete(b, s->job, st);
    }
    bl_write_group_clear(sg->group);
    sg->n = 0;
}

static void *worker(void *arg)
{
    batch *b = arg;
    bl_warner warner = {warn_locked, b};
    for (;;) {
        pthread_mutex_lock(&b->lock);
        size_t i = b->next;
        while (i < b->njobs && b->jobs[i].state != JOB_PENDING)
            i++;
        b->next = i + 1;
        pthread_mutex_unlock(&b->lock);
        if (i >= b->njobs)
            break;
        job *j = &b->jobs[i];
        j->t0 = now();
        bl_error_clear(&j->err);
        cli_render_opts opts = {b->format, b->layout, NULL, &warner, b->pdfa};
        j->rst = cli_render(&b->res, j->in, NULL, 0, &opts, &j->out_mem, &j->err);
        if (b->write_inline) {
            stage_job(b, b->stager, i);
            commit_staged(b, b->stager);
            continue;
        }
        j->bytes = j->rst == BL_OK ? bl_writer_output_size(&j->out_mem.files) : 0;
        pthread_mutex_lock(&b->lock);
        /* Room for a flush's worth of issues, so that the workers go on
         * while the writer waits for the disk, within QUEUE_BYTES (an issue
         * larger than that waits for an empty queue). */
        while (b->qlen == b->qcap || (b->qlen > 0 && b->qbytes + j->bytes > QUEUE_BYTES))
            pthread_cond_wait(&b->cond, &b->lock);
        b->qbytes += j->bytes;
        b->queue[(b->qhead + b->qlen++) % b->qcap] = i;
        pthread_cond_broadcast(&b->cond);
        pthread_mutex_unlock(&b->lock);
    }
    pthread_mutex_lock(&b->lock);
    b->rendering--;
    pthread_cond_broadcast(&b->cond);
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

/* The writer: takes rendered jobs in order until every worker is done,
 * and flushes them in groups. */
static void write_outputs(batch *b)
{
    stager *sg = b->stager;
    for (;;) {
        size_t take[STAGE_MAX];
        size_t ntake = 0;
        int last = 0;
        pthread_mutex_lock(&b->lock);
        while (b->qlen == 0 && b->rendering > 0) {
            if (sg->n == 0) {
                pthread_cond_wait(&b->cond, &b->lock);
                continue;
            }
            double until = sg->oldest + STAGE_SECONDS;
            if (now() >= until)
                break;
            /* The condition variable waits on the real-time clock. */
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            long long ns = (long long)ts.tv_nsec + (long long)((until - now()) * 1e9);
            ts.tv_sec += (time_t)(ns / 1000000000);
            ts.tv_nsec = (long)(ns % 1000000000);
            pthread_cond_timedwait(&b->cond, &b->lock, &ts);
        }
        while (b->qlen > 0 && sg->n + ntake < STAGE_MAX) {
            take[ntake] = b->queue[b->qhead];
            b->qbytes -= b->jobs[take[ntake++]].bytes;
            b->qhead = (b->qhead + 1) % b->qcap;
            b->qlen--;
        }
        last = b->qlen == 0 && b->rendering == 0;
        pthread_cond_broadcast(&b->cond);
        pthread_mutex_unlock(&b->lock);
        for (size_t k = 0; k < ntake; k++)
            stage_job(b, sg, take[k]);
        if (last || sg->n == STAGE_MAX || (sg->n && now() >= sg->oldest + STAGE_SECONDS))
            commit_staged(b, sg);
        if (last)
            break;
    }
}

static int write_report(const batch *b, const char *path, double seconds)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return -1;
    static const char *const names[] = {"pending", "rendered", "skipped", "failed"};
    char num[32];
    /* done counts the skipped too; the number is '.'-separated in any locale. */
    fprintf(f, "{\"rendered\":%zu,\"skipped\":%zu,\"failed\":%zu,\"pages\":%zu,"
               "\"seconds\":%s,\"issues\":[\n",
            b->done - b->failed - b->skipped, b->skipped, b->failed, b->pages,
            bl_fmt_num(num, seconds, 3));
    for (size_t i = 0; i < b->njobs; i++) {
        const job *j = &b->jobs[i];
        fputs("{\"input\":", f);
        bl_json_string(f, j->in);
        fputs(",\"output\":", f);
        bl_json_string(f, j->out);
        fprintf(f, ",\"status\":\"%s\",\"pages\":%zu", names[j->state], j->pages);
        if (j->state == JOB_FAILED) {
            fputs(",\"error\":{\"file\":", f);
            bl_json_string(f, j->err.file);
            fprintf(f, ",\"line\":%d,\"column\":%d,\"message\":", j->err.line, j->err.col);
            bl_json_string(f, j->err.message);
            fputc('}', f);
        }
        fprintf(f, "}%s\n", i + 1 < b->njobs ? "," : "");
    }
    fputs("]}\n", f);
    fclose(f);
    bl_error err;
    bl_error_clear(&err);
    int rc = bl_write_file_atomic(path, buf, len, &err) == BL_OK ? 0 : -1;
    if (rc)
        cli_print_diag(stderr, "error", &err);
    free(buf);
    return rc;
}

int cli_cmd_batch(int argc, char **argv)
{
    batch b;
    memset(&b, 0, sizeof b);
    b.pdfa = -1;
    const char *outdir = NULL, *report = NULL;
    long jobs = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned shard_k = 0, shard_n = 0;
    char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
    size_t ninputs = 0;
    int rc = 0;
    if (!inputs)
        return EXIT_INTERNAL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int needs = strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 || strcmp(a, "-j") == 0 ||
                    strcmp(a, "--jobs") == 0 || strcmp(a, "--layout") == 0 ||
                    strcmp(a, "--shard") == 0 || strcmp(a, "--report") == 0 ||
                    strcmp(a, "--format") == 0;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_batch, stdout);
            free(inputs);
            return 0;
        }
        if (needs && (i + 1 >= argc || !argv[i + 1][0])) {
            fprintf(stderr, "bulletin batch: option '%s' needs a value%s\n", a,
                    i + 1 < argc ? ", not an empty string" : "");
            free(inputs);
            return EXIT_USAGE;
        }
        if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            outdir = argv[++i];
        } else if (strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0) {
            char *end;
            jobs = strtol(argv[++i], &end, 10);
            if (*end || jobs < 1 || jobs > 256) {
                fprintf(stderr, "bulletin batch: -j takes a number from 1 to 256, not '%s'\n",
                        argv[i]);
                free(inputs);
                return EXIT_USAGE;
            }
        } else if (strcmp(a, "--layout") == 0) {
            b.layout = argv[++i];
        } else if (strcmp(a, "--format") == 0) {
            b.format = bl_writer_find(argv[++i]);
            if (!b.format) {
                fprintf(stderr, "bulletin batch: unknown format '%s'\nTry 'bulletin --help'.\n",
                        argv[i]);
                free(inputs);
                return EXIT_USAGE;
            }
        } else if (strcmp(a, "--report") == 0) {
            report = argv[++i];
        } else if (strcmp(a, "--shard") == 0) {
            const char *v = argv[++i];
            char tail;
            if (sscanf(v, "%u/%u%c", &shard_k, &shard_n, &tail) != 2 || shard_n < 1 ||
                shard_k < 1 || shard_k > shard_n) {
                fprintf(stderr, "bulletin batch: --shard takes K/N with 1 <= K <= N, not '%s'\n",
                        v);
                free(inputs);
                return EXIT_USAGE;
            }
        } else if (strncmp(a, "--pdfa=", 7) == 0) {
            b.pdfa = cli_parse_pdfa(a + 7);
            if (b.pdfa < 0) {
                fprintf(stderr, "bulletin batch: --pdfa takes 1b or 2b, not '%s'\n", a + 7);
                free(inputs);
                return EXIT_USAGE;
            }
        } else if (strcmp(a, "--changed") == 0) {
            b.changed = 1;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "bulletin batch: unknown option '%s'\nTry 'bulletin batch --help'.\n",
                    a);
            free(inputs);
            return EXIT_USAGE;
        } else {
            inputs[ninputs++] = argv[i];
        }
    }
    if (!outdir || !ninputs) {
        fprintf(stderr, "bulletin batch: %s\nTry 'bulletin batch --help'.\n",
                !ninputs ? "no inputs given" : "no output directory given (-o OUTDIR)");
        free(inputs);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < ninputs; i++) {
        struct stat st;
        if (stat(inputs[i], &st) != 0) {
            fprintf(stderr, "%s: error: cannot open: %s\n", inputs[i], strerror(errno));
            rc = EXIT_INVALID;
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            if (scan_dir(&b, inputs[i], &st, "", 0) != 0)
                rc = EXIT_INVALID;
        } else {
            const char *base = strrchr(inputs[i], '/');
            if (add_job(&b, inputs[i], base ? base + 1 : inputs[i], &st) != 0)
                rc = EXIT_INTERNAL;
        }
    }
    free(inputs);
    free(b.dirs);
    if (drop_duplicates(&b) != 0) {
        rc = EXIT_INTERNAL;
        goto out;
    }
    if (!b.format)
        b.format = cli_pick_format(NULL, NULL);
    /* Shard, name outputs, and skip what is up to date. */
    size_t kept = 0;
    for (size_t i = 0; i < b.njobs; i++) {
        job *j = &b.jobs[i];
        if (shard_n && path_hash(j->rel) % shard_n != shard_k - 1) {
            free(j->in);
            free(j->rel);
            continue;
        }
        char *rel_out = cli_default_output(j->rel, b.format->extension);
        j->out = rel_out ? join(outdir, rel_out) : NULL;
        free(rel_out);
        if (!j->out) {
            for (size_t k = i; k < b.njobs; k++) {
                free(b.jobs[k].in);
                free(b.jobs[k].rel);
            }
            b.njobs = kept;
            rc = EXIT_INTERNAL;
            goto out;
        }
        if (b.changed && up_to_date(&b, j)) {
            j->state = JOB_SKIPPED;
            b.skipped++;
        }
        b.jobs[kept++] = *j;
    }
    b.njobs = kept;
    if (fail_collisions(&b) != 0) {
        rc = EXIT_INTERNAL;
        goto out;
    }
    for (size_t i = 0; report && i < b.njobs; i++) {
        const char *what = bl_same_file(report, b.jobs[i].in)    ? "input"
                           : bl_same_file(report, b.jobs[i].out) ? "output"
                                                                 : NULL;
        if (what) {
            fprintf(stderr, "%s: error: refusing to write the report over the %s %s\n", report,
                    what, what[0] == 'i' ? b.jobs[i].in : b.jobs[i].out);
            rc = EXIT_USAGE;
            goto out;
        }
    }
    bl_error err;
    bl_error_clear(&err);
    if (cli_resources_open(&b.res, &err) != BL_OK) {
        cli_print_diag(stderr, "error", &err);
        rc = cli_exit_status(&err);
        goto out;
    }
    /* Every issue allocates and frees the same large buffers (glyph tables
     * of a CJK font, subsets, PDF bodies): kept in the arenas instead of
     * unmapped and faulted in again for each issue, or trimmed from a
     * worker's heap. glibc's adaptive threshold does that for one thread,
     * not for several. */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
    /* The next issue needs the same font pages again. */
    bl_shaper_keep_pages(b.res.shaper, b.njobs > 1);
    b.tty = isatty(2);
    b.start = now();
    b.done = b.skipped + b.failed;
    b.stager = calloc(1, sizeof *b.stager);
    if (!b.stager || !(b.stager->group = bl_write_group_new())) {
        free(b.stager);
        fprintf(stderr, "bulletin batch: out of memory\n");
        cli_resources_close(&b.res);
        rc = EXIT_INTERNAL;
        goto out;
    }
    pthread_mutex_init(&b.lock, NULL);
    pthread_cond_init(&b.cond, NULL);
    size_t nthreads = (size_t)jobs;
    if (nthreads > b.njobs)
        nthreads = b.njobs ? b.njobs : 1;
    b.qcap = nthreads + STAGE_MAX;
    b.queue = calloc(b.qcap, sizeof *b.queue);
    pthread_t *th = b.queue ? calloc(nthreads, sizeof *th) : NULL;
    size_t started = 0;
    /* Under the lock, so no worker can finish before it is counted. */
    pthread_mutex_lock(&b.lock);
    for (size_t i = 0; th && i < nthreads; i++)
        if (pthread_create(&th[i], NULL, worker, &b) == 0) {
            started++;
            b.rendering++;
        }
    pthread_mutex_unlock(&b.lock);
    if (started > 0) {
        write_outputs(&b);
    } else {
        b.write_inline = 1; /* no threads: render and write in turn */
        b.rendering = 1;
        worker(&b);
    }
    for (size_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    bl_write_group_free(b.stager->group);
    free(b.stager);
    free(th);
    free(b.queue);
    double secs = now() - b.start;
    progress(&b, 1);
    size_t rendered = b.done - b.failed - b.skipped;
    char n1[32], n2[32];
    fprintf(stderr, "rendered %zu, skipped %zu, failed %zu, pages %zu, %s s", rendered,
            b.skipped, b.failed, b.pages, bl_fmt_num(n1, secs, 2));
    if (secs > 0 && rendered)
        fprintf(stderr, " (%s issues/s, %s pages/s)", bl_fmt_num(n1, (double)rendered / secs, 1),
                bl_fmt_num(n2, (double)b.pages / secs, 1));
    fputc('\n', stderr);
    if (report && write_report(&b, report, secs) != 0 && rc == 0)
        rc = EXIT_INTERNAL;
    if (b.failed && rc == 0)
        rc = EXIT_INVALID;
    cli_resources_close(&b.res);
    pthread_cond_destroy(&b.cond);
    pthread_mutex_destroy(&b.lock);
out:
    for (size_t i = 0; i < b.njobs; i++) {
        free(b.jobs[i].in);
        free(b.jobs[i].out);
        free(b.jobs[i].rel);
    }
    free(b.jobs);
    return rc;
}
