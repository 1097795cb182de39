/* serve_priv.h - what the files of `bulletin serve` share: the server's
 * state, the reply a handler gives, and the API handlers (serve_api.c),
 * which know nothing of HTTP libraries: serve.c turns requests into calls
 * and replies into responses (docs/serve.md is the API's contract). */
#ifndef BL_SERVE_PRIV_H
#define BL_SERVE_PRIV_H

#include <pthread.h>
#include <stddef.h>

#include "cli.h"

/* One render slot per issue name: renders of an issue run one at a time, and
 * a newer render of its text supersedes one still waiting. It also keeps the
 * SVG pages of the saved file, for GET .../pages/K.svg. */
typedef struct serve_slot {
    char *name;
    int busy;                /* a render of this issue is running */
    unsigned long latest;    /* the newest text render asked for */
    char *cached_key;        /* ETag + layout of the cached pages, or NULL */
    bl_writer_output cached; /* the saved file's SVG pages */
} serve_slot;

typedef struct serve_state {
    char *dir;             /* the folder served, absolute, no trailing '/' */
    cli_resources res;     /* fonts and shaper, shared by all renders */
    pthread_mutex_t lock;  /* guards slots, renders_running, and writes */
    pthread_cond_t changed;
    serve_slot **slots;
    size_t nslots;
    int renders_running;   /* across issues, at most max_renders */
    int max_renders;
    unsigned long renders_done; /* renders finished, and text renders superseded */
    unsigned long superseded;
} serve_state;

/* What a handler answers. body is malloc'd (or NULL); the headers are
 * optional (NULL). */
typedef struct serve_reply {
    int status;
    const char *type; /* Content-Type */
    char *body;
    size_t len;
    char *etag;        /* an ETag header, quotes included */
    char *disposition; /* a Content-Disposition header */
    const char *allow; /* an Allow header (405) */
} serve_reply;

/* Fills r with a JSON error {"error": message} (status given). */
void serve_reply_error(serve_reply *r, int status, const char *message);

void serve_reply_free(serve_reply *r);

/* Whether name may be served: a file name (no '/', '\\', control
 * characters, no "..", not hidden) ending in .txt. */
int serve_name_ok(const char *name);

/* The API. Each fills *r; query values may be NULL when absent. */
void serve_list_issues(serve_state *s, serve_reply *r);
void serve_list_layouts(serve_state *s, serve_reply *r);
/* The render counters: how much work the server did (GET /api/status). */
void serve_status(serve_state *s, serve_reply *r);
void serve_get_issue(serve_state *s, const char *name, serve_reply *r);
/* if_match: the If-Match header (NULL when absent). */
void serve_put_issue(serve_state *s, const char *name, const char *if_match,
                     const char *body, size_t len, serve_reply *r);
/* name: the issue the text is of (NULL: none); layout: the layout choice. */
void serve_render_text(serve_state *s, const char *name, const char *layout,
                       const char *body, size_t len, serve_reply *r);
/* page: "K" of K.svg, 1-based. */
void serve_get_page(serve_state *s, const char *name, const char *page, const char *layout,
                    serve_reply *r);
/* pdf_name: "X.pdf", the PDF of X.txt. */
void serve_get_pdf(serve_state *s, const char *pdf_name, const char *layout, serve_reply *r);

/* The page's files, embedded at build time from src/cli/web (the build
 * generates serve_assets.c): path as requested ("/app.js"), type, bytes. */
typedef struct serve_asset {
    const char *path;
    const char *type;
    const unsigned char *data;
    size_t len;
} serve_asset;

extern const serve_asset serve_assets[];
extern const size_t serve_nassets;

/* Releases the slots' caches. */
void serve_slots_free(serve_state *s);

#endif
