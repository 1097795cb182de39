/* serve.c - `bulletin serve [DIR] [--port N] [--host H]`: the issues of a
 * folder edited in the browser with a live preview (docs/serve.md).
 *
 * libmicrohttpd serves the page (embedded in the program at build time) and
 * the API (serve_api.c). Every request is checked before anything is done
 * for it: the Host header must name this server (against DNS rebinding), and
 * every request but the page itself must carry the session's token (the
 * X-Bulletin-Token header, or the cookie the page sets); bodies are limited
 * to the parser's input limit. One thread per connection: a render blocks
 * only its own request. It runs until SIGINT or SIGTERM, then exits 0.
 *
 * libmicrohttpd is opened with dlopen here, not linked: linked, its TLS
 * libraries (gnutls, nettle, p11-kit, ...) were loaded and relocated by every
 * command, 13 % of a short render's instructions. */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <microhttpd.h>

/* The few libmicrohttpd functions serve uses, found by mhd_open. */
static struct {
    struct MHD_Daemon *(*start_daemon)(unsigned int, uint16_t, MHD_AcceptPolicyCallback, void *,
                                       MHD_AccessHandlerCallback, void *, ...);
    const union MHD_DaemonInfo *(*get_daemon_info)(struct MHD_Daemon *, enum MHD_DaemonInfoType,
                                                   ...);
    void (*stop_daemon)(struct MHD_Daemon *);
    struct MHD_Response *(*create_response_from_buffer)(size_t, void *,
                                                        enum MHD_ResponseMemoryMode);
    enum MHD_Result (*add_response_header)(struct MHD_Response *, const char *, const char *);
    enum MHD_Result (*queue_response)(struct MHD_Connection *, unsigned int,
                                      struct MHD_Response *);
    void (*destroy_response)(struct MHD_Response *);
    const char *(*lookup_connection_value)(struct MHD_Connection *, enum MHD_ValueKind,
                                           const char *);
} mhd;

/* Opens libmicrohttpd (Debian 12's libmicrohttpd12, the ABI the header is
 * from); 0 with a message on stderr if it or one of its functions is missing.
 * The library stays loaded until the process ends. */
static int mhd_open(void)
{
    void *h = dlopen("libmicrohttpd.so.12", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        fprintf(stderr, "bulletin serve: error: cannot load libmicrohttpd: %s\n", dlerror());
        return 0;
    }
    int ok = 1;
#define MHD_LOAD(field)                                                                \
    do {                                                                               \
        void *f_ = dlsym(h, "MHD_" #field);                                            \
        if (!f_) {                                                                     \
            fprintf(stderr, "bulletin serve: error: libmicrohttpd has no MHD_%s\n", #field); \
            ok = 0;                                                                    \
        }                                                                              \
        /* POSIX guarantees a function's address fits a void *. */                    \
        mhd.field = (__typeof__(mhd.field))f_;                                         \
    } while (0)
    MHD_LOAD(start_daemon);
    MHD_LOAD(get_daemon_info);
    MHD_LOAD(stop_daemon);
    MHD_LOAD(create_response_from_buffer);
    MHD_LOAD(add_response_header);
    MHD_LOAD(queue_response);
    MHD_LOAD(destroy_response);
    MHD_LOAD(lookup_connection_value);
#undef MHD_LOAD
    return ok;
}

#include "parse/parse.h"
#include "serve_priv.h"

static const char *const usage_serve =
    "usage: bulletin serve [DIR] [--port N] [--host ADDRESS]\n"
    "\n"
    "Serves the issues (*.txt) of DIR (default: the current folder) to the\n"
    "browser: an editor with a live preview of the pages. The first line printed\n"
    "is the address to open, with this session's token. Stop it with Ctrl+C.\n"
    "  --port N          the port (default: a free one)\n"
    "  --host ADDRESS    listen on this address instead of 127.0.0.1 (others on\n"
    "                    the network who have the token can then edit the issues)\n"
    "The API is described in docs/serve.md.\n";

enum { TOKEN_BYTES = 16, MAX_CONNECTIONS = 64, CONNECTION_TIMEOUT_S = 120 };

typedef struct server {
    serve_state st;
    char token[2 * TOKEN_BYTES + 1];
    char cookie[48];         /* the cookie's name: per port, as cookies ignore ports */
    char hosts[4][320];      /* the Host headers accepted */
    size_t nhosts;
    size_t body_limit;
} server;

/* One request's state across libmicrohttpd's calls: the body as it comes. */
typedef struct request {
    char *body;
    size_t len, cap;
    int too_big;
    int refused; /* a response was queued at the first call */
} request;

/* ---- responses ------------------------------------------------------------ */

static const char *const csp_page =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
    "connect-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/* Queues r (taking its body) with the headers every response has. */
static enum MHD_Result send_reply(struct MHD_Connection *c, serve_reply *r, const char *cookie)
{
    struct MHD_Response *resp = mhd.create_response_from_buffer(
        r->len, r->body ? r->body : (char *)"", r->body ? MHD_RESPMEM_MUST_FREE
                                                        : MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        serve_reply_free(r);
        return MHD_NO;
    }
    r->body = NULL; /* the response owns it now */
    mhd.add_response_header(resp, "Content-Type", r->type ? r->type : "text/plain");
    mhd.add_response_header(resp, "Cache-Control", "no-store");
    mhd.add_response_header(resp, "X-Content-Type-Options", "nosniff");
    mhd.add_response_header(resp, "Referrer-Policy", "no-referrer");
    mhd.add_response_header(resp, "Content-Security-Policy",
                            r->type && strncmp(r->type, "text/html", 9) == 0 ? csp_page
                                                                             : "default-src 'none'");
    if (r->etag)
        mhd.add_response_header(resp, "ETag", r->etag);
    if (r->disposition)
        mhd.add_response_header(resp, "Content-Disposition", r->disposition);
    if (r->allow)
        mhd.add_response_header(resp, "Allow", r->allow);
    if (cookie)
        mhd.add_response_header(resp, "Set-Cookie", cookie);
    enum MHD_Result ok = mhd.queue_response(c, (unsigned)r->status, resp);
    mhd.destroy_response(resp);
    serve_reply_free(r);
    return ok;
}

static enum MHD_Result send_error(struct MHD_Connection *c, int status, const char *message,
                                  const char *allow)
{
    serve_reply r = {0};
    serve_reply_error(&r, status, message);
    r.allow = allow;
    return send_reply(c, &r, NULL);
}

static enum MHD_Result send_asset(struct MHD_Connection *c, const serve_asset *a,
                                  const char *cookie)
{
    struct MHD_Response *resp =
        mhd.create_response_from_buffer(a->len, (void *)a->data, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    mhd.add_response_header(resp, "Content-Type", a->type);
    mhd.add_response_header(resp, "Cache-Control", "no-cache");
    mhd.add_response_header(resp, "X-Content-Type-Options", "nosniff");
    mhd.add_response_header(resp, "Referrer-Policy", "no-referrer");
    mhd.add_response_header(resp, "Content-Security-Policy", csp_page);
    if (cookie)
        mhd.add_response_header(resp, "Set-Cookie", cookie);
    enum MHD_Result ok = mhd.queue_response(c, MHD_HTTP_OK, resp);
    mhd.destroy_response(resp);
    return ok;
}

static const serve_asset *find_asset(const char *path)
{
    for (size_t i = 0; i < serve_nassets; i++)
        if (strcmp(serve_assets[i].path, path) == 0)
            return &serve_assets[i];
    return NULL;
}

/* ---- access --------------------------------------------------------------- */

/* Compares without stopping at the first difference (no timing hint). */
static int token_eq(const char *given, const char *token)
{
    if (!given)
        return 0;
    size_t n = strlen(token);
    unsigned diff = strlen(given) != n;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)token[i] ^ (unsigned char)(given[i] ? given[i] : 0xFF);
    return diff == 0;
}

static int host_ok(const server *sv, struct MHD_Connection *c)
{
    const char *h = mhd.lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    for (size_t i = 0; h && i < sv->nhosts; i++)
        if (strcasecmp(h, sv->hosts[i]) == 0)
            return 1;
    return 0;
}

static int has_token(const server *sv, struct MHD_Connection *c)
{
    return token_eq(mhd.lookup_connection_value(c, MHD_HEADER_KIND, "X-Bulletin-Token"),
                    sv->token) ||
           token_eq(mhd.lookup_connection_value(c, MHD_COOKIE_KIND, sv->cookie), sv->token);
}

/* ---- routes --------------------------------------------------------------- */

typedef enum route_kind {
    R_NONE,
    R_PAGE,    /* / */
    R_ASSET,   /* /app.js ... */
    R_ISSUES,  /* /api/issues */
    R_LAYOUTS, /* /api/layouts */
    R_STATUS,  /* /api/status */
    R_RENDER,  /* /api/render */
    R_ISSUE,   /* /api/issues/NAME */
    R_PAGES,   /* /api/issues/NAME/pages/K.svg */
    R_PDF      /* /api/issues/X.pdf */
} route_kind;

typedef struct route {
    route_kind kind;
    const char *allow;     /* the methods it takes */
    char name[512];        /* NAME (R_ISSUE, R_PAGES) or X.pdf (R_PDF) */
    char page[32];         /* K (R_PAGES) */
    const serve_asset *asset;
} route;

static void route_of(const char *url, route *rt)
{
    static const char issues[] = "/api/issues/";
    memset(rt, 0, sizeof *rt);
    rt->allow = "GET, HEAD";
    if (strcmp(url, "/") == 0) {
        rt->kind = R_PAGE;
    } else if ((rt->asset = find_asset(url)) != NULL) {
        rt->kind = R_ASSET;
    } else if (strcmp(url, "/api/issues") == 0) {
        rt->kind = R_ISSUES;
    } else if (strcmp(url, "/api/layouts") == 0) {
        rt->kind = R_LAYOUTS;
    } else if (strcmp(url, "/api/status") == 0) {
        rt->kind = R_STATUS;
    } else if (strcmp(url, "/api/render") == 0) {
        rt->kind = R_RENDER;
        rt->allow = "POST";
    } else if (strncmp(url, issues, sizeof issues - 1) == 0) {
        const char *rest = url + sizeof issues - 1;
        const char *pages = strstr(rest, "/pages/");
        size_t n = pages ? (size_t)(pages - rest) : strlen(rest);
        if (n == 0 || n >= sizeof rt->name)
            return; /* R_NONE: 404 */
        memcpy(rt->name, rest, n);
        rt->name[n] = '\0';
        if (pages) {
            const char *k = pages + 7;
            size_t kl = strlen(k);
            if (kl < 5 || kl >= sizeof rt->page || strcmp(k + kl - 4, ".svg") != 0)
                return;
            memcpy(rt->page, k, kl - 4);
            rt->page[kl - 4] = '\0';
            rt->kind = R_PAGES;
        } else if (n > 4 && strcmp(rt->name + n - 4, ".pdf") == 0) {
            rt->kind = R_PDF;
        } else {
            rt->kind = R_ISSUE;
            rt->allow = "GET, HEAD, PUT";
        }
    }
}

static int method_ok(const route *rt, const char *method)
{
    if (strcmp(method, "HEAD") == 0)
        method = "GET";
    size_t n = strlen(method);
    for (const char *p = rt->allow; (p = strstr(p, method)) != NULL; p += n)
        if ((p == rt->allow || p[-1] == ' ') && (p[n] == '\0' || p[n] == ','))
            return 1;
    return 0;
}

/* The issue name a route is about (X.pdf stands for X.txt), for the checks
 * made before the body is read. */
static int route_name_ok(const route *rt)
{
    if (rt->kind == R_ISSUE || rt->kind == R_PAGES)
        return serve_name_ok(rt->name);
    if (rt->kind == R_PDF) {
        char txt[sizeof rt->name];
        size_t n = strlen(rt->name);
        memcpy(txt, rt->name, n - 4);
        strcpy(txt + n - 4, ".txt");
        return serve_name_ok(txt);
    }
    return 1;
}

static const char *query(struct MHD_Connection *c, const char *key)
{
    return mhd.lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, key);
}

/* The page: with ?token= the cookie is set, so the page's own requests
 * carry the token. */
static enum MHD_Result serve_page(server *sv, struct MHD_Connection *c)
{
    const serve_asset *index = find_asset("/index.html");
    int by_query = token_eq(query(c, "token"), sv->token);
    if (!index)
        return send_error(c, 500, "the page is missing from this build", NULL);
    if (!by_query && !has_token(sv, c))
        return send_error(c, 403,
                          "open the address bulletin serve printed (it ends in ?token=...)",
                          NULL);
    char cookie[160];
    snprintf(cookie, sizeof cookie, "%s=%s; Path=/; HttpOnly; SameSite=Strict", sv->cookie,
             sv->token);
    return send_asset(c, index, by_query ? cookie : NULL);
}

/* Refusals decided from the request line and headers alone, at the first
 * call: the answer is queued before any body is read. */
static enum MHD_Result first_call(server *sv, struct MHD_Connection *c, const char *url,
                                  const char *method, request *rq)
{
    rq->refused = 1;
    if (!host_ok(sv, c))
        return send_error(c, 403, "this server answers only to its own address (Host header)",
                          NULL);
    route rt;
    route_of(url, &rt);
    if (rt.kind != R_PAGE && !has_token(sv, c))
        return send_error(c, 403, "no valid token: send X-Bulletin-Token or open the page "
                                  "from the address bulletin serve printed",
                          NULL);
    if (rt.kind == R_NONE)
        return send_error(c, 404, "no such path", NULL);
    if (!method_ok(&rt, method))
        return send_error(c, 405, "method not allowed here", rt.allow);
    if (!route_name_ok(&rt))
        return send_error(c, 404, "no such issue: the name must be a .txt file of the folder",
                          NULL);
    const char *cl = mhd.lookup_connection_value(c, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl && strtoull(cl, NULL, 10) > sv->body_limit)
        return send_error(c, 413, "the body is larger than the input limit", NULL);
    rq->refused = 0;
    return MHD_YES;
}

static enum MHD_Result dispatch(server *sv, struct MHD_Connection *c, const char *url,
                                const char *method, request *rq)
{
    route rt;
    route_of(url, &rt);
    if (rq->too_big)
        return send_error(c, 413, "the body is larger than the input limit", NULL);
    serve_reply r = {0};
    const char *layout = query(c, "layout");
    switch (rt.kind) {
    case R_PAGE:
        return serve_page(sv, c);
    case R_ASSET:
        return send_asset(c, rt.asset, NULL);
    case R_ISSUES:
        serve_list_issues(&sv->st, &r);
        break;
    case R_LAYOUTS:
        serve_list_layouts(&sv->st, &r);
        break;
    case R_STATUS:
        serve_status(&sv->st, &r);
        break;
    case R_RENDER:
        serve_render_text(&sv->st, query(c, "name"), layout, rq->body, rq->len, &r);
        break;
    case R_ISSUE:
        if (strcmp(method, "PUT") == 0)
            serve_put_issue(&sv->st, rt.name,
                            mhd.lookup_connection_value(c, MHD_HEADER_KIND, "If-Match"),
                            rq->body ? rq->body : "", rq->len, &r);
        else
            serve_get_issue(&sv->st, rt.name, &r);
        break;
    case R_PAGES:
        serve_get_page(&sv->st, rt.name, rt.page, layout, &r);
        break;
    case R_PDF:
        serve_get_pdf(&sv->st, rt.name, layout, &r);
        break;
    case R_NONE:
        return send_error(c, 404, "no such path", NULL);
    }
    return send_reply(c, &r, NULL);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **con_cls)
{
    (void)version;
    server *sv = cls;
    request *rq = *con_cls;
    if (!rq) {
        rq = calloc(1, sizeof *rq);
        if (!rq)
            return MHD_NO;
        *con_cls = rq;
        return first_call(sv, c, url, method, rq);
    }
    if (rq->refused) {
        *upload_size = 0; /* the answer is given: the body is not wanted */
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        if (rq->too_big || rq->len + n > sv->body_limit) {
            rq->too_big = 1; /* keep reading, keep nothing */
            free(rq->body);
            rq->body = NULL;
            rq->len = rq->cap = 0;
            return MHD_YES;
        }
        if (rq->len + n + 1 > rq->cap) {
            size_t cap = rq->cap ? rq->cap : 4096;
            while (cap < rq->len + n + 1)
                cap *= 2;
            char *b = realloc(rq->body, cap);
            if (!b)
                return MHD_NO;
            rq->body = b;
            rq->cap = cap;
        }
        memcpy(rq->body + rq->len, upload, n);
        rq->len += n;
        rq->body[rq->len] = '\0';
        return MHD_YES;
    }
    return dispatch(sv, c, url, method, rq);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode code)
{
    (void)cls, (void)c, (void)code;
    request *rq = *con_cls;
    if (rq) {
        free(rq->body);
        free(rq);
    }
    *con_cls = NULL;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)(c | 32);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decoding for the path and the query: as usual, except that %00
 * becomes a byte no name may hold (0x01) instead of ending the string. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls, (void)c;
    char *w = s;
    for (const char *p = s; *p; p++) {
        int hi = *p == '%' && p[1] ? hex_digit(p[1]) : -1;
        int lo = hi >= 0 && p[2] ? hex_digit(p[2]) : -1;
        if (lo >= 0) {
            int v = hi * 16 + lo;
            *w++ = (char)(v ? v : 1);
            p += 2;
        } else {
            *w++ = *p;
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}

/* ---- the command ---------------------------------------------------------- */

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "bulletin serve: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'bulletin serve --help'.\n");
    return EXIT_USAGE;
}

static int new_token(char *out)
{
    unsigned char b[TOKEN_BYTES];
    size_t got = 0;
    while (got < sizeof b) {
        ssize_t n = getrandom(b + got, sizeof b - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 0;
        got += (size_t)n;
    }
    for (size_t i = 0; i < sizeof b; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
    return 1;
}

/* The address to listen on: --host's, resolved, or 127.0.0.1. */
typedef struct listen_addr {
    struct sockaddr_storage sa;
    int v6;
    int loopback;
    int wildcard;
    char shown[300]; /* as written in a URL: 127.0.0.1, [::1] */
} listen_addr;

static int resolve_host(const char *host, listen_addr *la)
{
    memset(la, 0, sizeof *la);
    struct addrinfo hints = {0}, *ai = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, NULL, &hints, &ai) != 0 || !ai)
        return 0;
    memcpy(&la->sa, ai->ai_addr, ai->ai_addrlen);
    la->v6 = ai->ai_family == AF_INET6;
    freeaddrinfo(ai);
    char text[INET6_ADDRSTRLEN] = "";
    if (la->v6) {
        const struct in6_addr *a = &((struct sockaddr_in6 *)&la->sa)->sin6_addr;
        la->loopback = IN6_IS_ADDR_LOOPBACK(a);
        la->wildcard = IN6_IS_ADDR_UNSPECIFIED(a);
        inet_ntop(AF_INET6, a, text, sizeof text);
        snprintf(la->shown, sizeof la->shown, "[%s]", text);
    } else {
        const struct in_addr *a = &((struct sockaddr_in *)&la->sa)->sin_addr;
        la->loopback = (ntohl(a->s_addr) >> 24) == 127;
        la->wildcard = a->s_addr == htonl(INADDR_ANY);
        inet_ntop(AF_INET, a, text, sizeof text);
        snprintf(la->shown, sizeof la->shown, "%s", text);
    }
    return 1;
}

static void set_port(listen_addr *la, unsigned port)
{
    if (la->v6)
        ((struct sockaddr_in6 *)&la->sa)->sin6_port = htons((uint16_t)port);
    else
        ((struct sockaddr_in *)&la->sa)->sin_port = htons((uint16_t)port);
}

int cli_cmd_serve(int argc, char **argv)
{
    const char *dir = ".", *host = NULL;
    long port = 0;
    int have_dir = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_serve, stdout);
            return 0;
        } else if (strcmp(a, "--port") == 0 || strcmp(a, "--host") == 0) {
            if (i + 1 >= argc)
                return usage_error("option '%s' needs a value", a);
            const char *v = argv[++i];
            if (strcmp(a, "--host") == 0) {
                host = v;
                continue;
            }
            char *end;
            port = strtol(v, &end, 10);
            if (*v == '\0' || *end != '\0' || port < 0 || port > 65535)
                return usage_error("--port takes a number from 0 to 65535, not '%s'", v);
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option '%s'", a);
        } else if (have_dir) {
            return usage_error("more than one folder given ('%s')", a);
        } else {
            dir = a;
            have_dir = 1;
        }
    }
    listen_addr la;
    if (!resolve_host(host ? host : "127.0.0.1", &la))
        return usage_error("cannot resolve the address '%s'", host);
    if (la.wildcard)
        return usage_error("--host '%s' is every address: name the one clients will use", host);
    if (!mhd_open())
        return EXIT_INTERNAL;
    struct stat st;
    char *real = realpath(dir, NULL);
    if (!real || stat(real, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "bulletin serve: %s: not a folder\n", dir);
        free(real);
        return EXIT_INTERNAL;
    }

    server *sv = calloc(1, sizeof *sv);
    if (!sv || !new_token(sv->token)) {
        fputs("bulletin serve: error: no random token could be made\n", stderr);
        free(sv);
        free(real);
        return EXIT_INTERNAL;
    }
    sv->st.dir = real;
    sv->body_limit = bl_doc_input_limit();
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    sv->st.max_renders = cores < 1 ? 1 : cores > 4 ? 4 : (int)cores;
    pthread_mutex_init(&sv->st.lock, NULL);
    pthread_cond_init(&sv->st.changed, NULL);
    bl_error err;
    bl_error_clear(&err);
    int rc = 0;
    if (cli_resources_open(&sv->st.res, &err) != BL_OK) {
        cli_print_diag(stderr, "error", &err);
        rc = cli_exit_status(&err);
        goto done;
    }

    /* Signals are taken by sigwait below: blocked before the server's
     * threads start, so they inherit the mask. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    set_port(&la, (unsigned)port);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
                     MHD_USE_ERROR_LOG | (la.v6 ? MHD_USE_IPv6 : 0);
    struct MHD_Daemon *d = mhd.start_daemon(
        flags, (uint16_t)port, NULL, NULL, on_request, sv, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&la.sa, MHD_OPTION_NOTIFY_COMPLETED, on_completed, sv,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape, sv, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)MAX_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)CONNECTION_TIMEOUT_S, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "bulletin serve: cannot listen on %s:%ld (in use, or not an address "
                        "of this machine)\n",
                la.shown, port);
        rc = EXIT_INTERNAL;
        goto done;
    }
    const union MHD_DaemonInfo *info = mhd.get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned bound = info ? info->port : (unsigned)port;
    snprintf(sv->cookie, sizeof sv->cookie, "bulletin_token_%u", bound);
    const char *names[] = {"127.0.0.1", "localhost", "[::1]"};
    for (size_t i = 0; i < 3; i++)
        snprintf(sv->hosts[sv->nhosts++], sizeof sv->hosts[0], "%s:%u", names[i], bound);
    if (host && !la.loopback)
        snprintf(sv->hosts[sv->nhosts++], sizeof sv->hosts[0], "%s:%u", la.shown, bound);

    printf("http://%s:%u/?token=%s\n", la.loopback && !la.v6 ? "127.0.0.1" : la.shown, bound,
           sv->token);
    fflush(stdout);
    if (!la.loopback)
        fprintf(stderr,
                "bulletin serve: warning: listening on %s, not only on this machine: anyone "
                "who can reach it and has the address above can read and change the issues "
                "in %s\n",
                la.shown, real);
    fprintf(stderr, "bulletin serve: serving %s; stop with Ctrl+C\n", real);
    int sig = 0;
    while (sigwait(&stop, &sig) != 0)
        ;
    mhd.stop_daemon(d);
    fprintf(stderr, "bulletin serve: stopped\n");
done:
    serve_slots_free(&sv->st);
    cli_resources_close(&sv->st.res);
    pthread_cond_destroy(&sv->st.changed);
    pthread_mutex_destroy(&sv->st.lock);
    free(sv->st.dir);
    free(sv);
    return rc;
}
