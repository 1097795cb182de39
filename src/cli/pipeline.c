/* pipeline.c - one issue from text file to PDF: parse, load the layout, lay
 * out, write. Shared by `render` and `batch`. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/fileio.h"
#include "layout/layout.h"

const char *cli_data_dir(const char *sub, char *out)
{
    const char *home = getenv("BULLETIN_HOME");
    if (home && *home) {
        snprintf(out, CLI_PATH_MAX, "%s/%s", home, sub);
        return out;
    }
    char exe[4000];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(out, CLI_PATH_MAX, "%s/../%s", exe, sub);
            if (access(out, R_OK) == 0)
                return out;
            snprintf(out, CLI_PATH_MAX, "%s/../share/bulletin/%s", exe, sub);
            if (access(out, R_OK) == 0)
                return out;
        }
    }
    snprintf(out, CLI_PATH_MAX, "%s/%s", BL_SOURCE_DIR, sub);
    return out;
}

bl_status cli_resources_open(cli_resources *r, bl_error *err)
{
    memset(r, 0, sizeof *r);
    char fonts_dir[CLI_PATH_MAX];
    cli_data_dir("layouts", r->layouts_dir);
    bl_status st = bl_fontcache_new(cli_data_dir("fonts", fonts_dir), &r->fonts, err);
    if (st == BL_OK)
        st = bl_shaper_new(&r->shaper, err);
    if (st != BL_OK)
        cli_resources_close(r);
    return st;
}

void cli_resources_close(cli_resources *r)
{
    bl_shaper_free(r->shaper);
    bl_fontcache_free(r->fonts);
    r->shaper = NULL;
    r->fonts = NULL;
}

char *cli_default_output(const char *in_path, const char *ext)
{
    size_t len = strlen(in_path);
    const char *slash = strrchr(in_path, '/');
    const char *dot = strrchr(in_path, '.');
    if (dot && (!slash || dot > slash) && dot != in_path && dot[-1] != '/')
        len = (size_t)(dot - in_path);
    char *out = malloc(len + strlen(ext) + 1);
    if (out) {
        memcpy(out, in_path, len);
        strcpy(out + len, ext);
    }
    return out;
}

const bl_writer *cli_pick_format(const char *name, const char *path)
{
    if (name)
        return bl_writer_find(name);
    const bl_writer *f = bl_writer_for_path(path);
    return f ? f : bl_writer_find("pdf");
}

/* The layout dump as JSON in memory (malloc'd). */
static bl_status dump_json(const bl_display *d, char **out, size_t *len, bl_error *err)
{
    FILE *mem = open_memstream(out, len);
    if (!mem)
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    bl_status st = bl_display_dump_json(d, mem, err);
    fclose(mem);
    if (st != BL_OK) {
        free(*out);
        *out = NULL;
    }
    return st;
}

/* SOURCE_DATE_EPOCH: unset or empty, -1 (the issue date); else whole
 * seconds up to the end of year 9999, the last date a PDF can carry. */
static bl_status source_date_epoch(long long *out, bl_error *err)
{
    *out = -1;
    const char *v = getenv("SOURCE_DATE_EPOCH");
    if (!v || !*v)
        return BL_OK;
    const long long max = 253402300799LL; /* 9999-12-31T23:59:59Z */
    long long t = 0;
    const char *p = v;
    for (; *p >= '0' && *p <= '9' && t <= max; p++)
        t = t * 10 + (*p - '0');
    if (*p || t > max)
        return bl_error_set(err, BL_ERR_USAGE, NULL, 0, 0,
                            "SOURCE_DATE_EPOCH='%.40s' is not a number of seconds from 0 to "
                            "%lld (the end of year 9999)", v, max);
    *out = t;
    return BL_OK;
}

/* The layout an issue names with 版式: a shipped layout's name, or a
 * NAME.layout file in the input's own folder. The issue is untrusted (it
 * may come from an archive, a mail or the browser editor), so it names no
 * other path, and its file is opened without following a symbolic link:
 * an error in a non-layout file could otherwise quote that file. */
static bl_status load_doc_layout(cli_resources *res, const char *in_path, const char *name,
                                 bl_srcpos pos, bl_arena *arena, const bl_style **style,
                                 bl_error *err)
{
    size_t nl = strlen(name);
    int is_file = nl > 7 && strcmp(name + nl - 7, ".layout") == 0;
    if (strchr(name, '/') || strchr(name, '\\') || name[0] == '.')
        return bl_error_set(err, BL_ERR_SYNTAX, in_path, pos.line, pos.col,
                            "版式 (layout) '%s': give a layout name (zhuanbao, jianbao, "
                            "gongwen) or a NAME.layout file in the input's folder, not a path",
                            name);
    bl_status st;
    if (!is_file) {
        st = bl_style_load(name, res->layouts_dir, arena, style, err);
    } else {
        const char *slash = strrchr(in_path, '/');
        size_t dl = slash ? (size_t)(slash - in_path) + 1 : 0;
        char *path = bl_arena_alloc(arena, dl + nl + 1);
        if (!path)
            return bl_error_set(err, BL_ERR_NOMEM, in_path, 0, 0, "out of memory");
        memcpy(path, in_path, dl);
        memcpy(path + dl, name, nl + 1);
        char *text = NULL;
        size_t len = 0;
        st = bl_read_file_nofollow(path, (size_t)1 << 20, &text, &len, err);
        if (st == BL_OK)
            st = bl_style_parse(text, len, path, res->layouts_dir, arena, style, err);
        free(text);
    }
    if (st != BL_OK && err->line == 0) {
        /* Not found or unreadable: the input's 版式 line is what to fix. */
        char msg[BL_ERROR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", err->message);
        bl_error_clear(err);
        /* The input names it: the input is what is wrong (exit 1). */
        if (st == BL_ERR_IO)
            st = BL_ERR_SYNTAX;
        bl_error_set(err, st, in_path, pos.line, pos.col, "版式 (layout) '%s': %s", name, msg);
    }
    return st;
}

/* env->page_done: a laid-out page to the writer. */
static bl_status stream_page(void *ws, const bl_display *d, size_t index, bl_error *err)
{
    return bl_writer_stream_page(ws, d, index, err);
}

bl_status cli_render(cli_resources *res, const char *in_path, const char *text, size_t len,
                     const cli_render_opts *opts, cli_rendered *out, bl_error *err)
{
    memset(out, 0, sizeof *out);
    bl_doc *doc = NULL;
    bl_arena *arena = NULL;
    bl_status st = text ? bl_doc_parse(text, len, in_path, opts->warner, &doc, err)
                        : bl_doc_parse_file(in_path, opts->warner, &doc, err);
    if (st != BL_OK)
        return st;
    arena = bl_arena_new();
    if (!arena) {
        st = bl_error_set(err, BL_ERR_NOMEM, in_path, 0, 0, "out of memory");
        goto done;
    }
    const bl_doc_view *v = bl_doc_get(doc);
    const char *layout = opts->layout;
    char *from_doc = NULL;
    if (!layout && v->layout.len) {
        from_doc = bl_arena_strndup(arena, v->layout.s, v->layout.len);
        layout = from_doc;
    }
    if (!layout)
        layout = "zhuanbao";
    const bl_style *style = NULL;
    if (from_doc)
        st = load_doc_layout(res, in_path, from_doc, v->layout.pos, arena, &style, err);
    else
        st = bl_style_load(layout, res->layouts_dir, arena, &style, err);
    if (st != BL_OK)
        goto done;
    snprintf(out->layout_path, sizeof out->layout_path, "%s", style->path ? style->path : "");
    char creator[64];
    snprintf(creator, sizeof creator, "bulletin %s", BL_VERSION);
    long long sde = -1;
    if ((st = source_date_epoch(&sde, err)) != BL_OK)
        goto done;
    int pdfa = opts->pdfa >= 0 ? opts->pdfa : cli_parse_pdfa(style->pdfa);
    bl_writer_opts wopts = {res->shaper, pdfa > 0 ? pdfa : 0, NULL};
    bl_writer_stream ws;
    bl_writer_stream_init(&ws, opts->format, &wopts);
    /* A format that can takes the pages as they are laid out, so that the
     * document's glyphs are never all held; the dump needs them all. */
    int stream = opts->format->streams && !opts->dump_layout;
    bl_layout_env env = {res->fonts, res->shaper, opts->warner, creator, sde,
                         stream ? stream_page : NULL, &ws};
    bl_display *display = NULL;
    st = bl_layout_document(doc, style, &env, arena, &display, err);
    if (st == BL_OK && opts->dump_layout)
        st = dump_json(display, &out->dump, &out->dump_len, err);
    if (st != BL_OK) {
        bl_writer_stream_drop(&ws);
        goto done;
    }
    st = bl_writer_stream_end(&ws, display, &out->files, err);
    if (st == BL_OK) {
        out->pages = display->npages;
        out->doc = doc;
        doc = NULL;
    }
done:
    if (st != BL_OK)
        cli_rendered_free(out);
    bl_arena_free(arena);
    bl_doc_free(doc);
    return st;
}

void cli_rendered_free(cli_rendered *r)
{
    bl_writer_output_free(&r->files);
    free(r->dump);
    bl_doc_free(r->doc);
    memset(r, 0, sizeof *r);
}

/* Refuses to write out over in (the issue, or the layout it used). */
static bl_status not_an_input(const char *out, const char *in, const char *what, bl_error *err)
{
    if (in && *in && bl_same_file(out, in))
        return bl_error_set(err, BL_ERR_USAGE, out, 0, 0,
                            "refusing to write the output over the %s %s (give another -o)",
                            what, in);
    return BL_OK;
}

bl_status cli_check_outputs(const char *in_path, const char *layout_path,
                            const char *const *outs, size_t nouts, bl_error *err)
{
    bl_status st = BL_OK;
    for (size_t i = 0; st == BL_OK && i < nouts; i++) {
        st = not_an_input(outs[i], in_path, "input", err);
        if (st == BL_OK)
            st = not_an_input(outs[i], layout_path, "layout", err);
        for (size_t k = 0; st == BL_OK && k < i; k++)
            if (bl_same_file(outs[i], outs[k]))
                st = bl_error_set(err, BL_ERR_USAGE, outs[i], 0, 0,
                                  "two outputs of this run would be this same file");
    }
    return st;
}

bl_status cli_render_file(cli_resources *res, const char *in_path, const char *out_path,
                          const cli_render_opts *opts, cli_render_stats *stats,
                          bl_error *err)
{
    cli_rendered r;
    bl_status st = cli_render(res, in_path, NULL, 0, opts, &r, err);
    bl_write_group *g = NULL;
    if (st == BL_OK && !(g = bl_write_group_new()))
        st = bl_error_set(err, BL_ERR_NOMEM, out_path, 0, 0, "out of memory");
    if (st == BL_OK)
        st = cli_rendered_stage(&r, in_path, out_path, opts, stats, g, err);
    if (st == BL_OK) {
        bl_write_group_commit(g);
        st = cli_group_result(g, 0, bl_write_group_size(g), err);
    }
    bl_write_group_free(g);
    cli_rendered_free(&r);
    return st;
}

bl_status cli_group_result(const bl_write_group *g, size_t from, size_t to, bl_error *err)
{
    bl_status st = BL_OK;
    for (size_t k = from; st == BL_OK && k < to; k++)
        st = bl_write_group_result(g, k, err);
    return st;
}

bl_status cli_rendered_stage(const cli_rendered *r, const char *in_path, const char *out_path,
                             const cli_render_opts *opts, cli_render_stats *stats,
                             bl_write_group *g, bl_error *err)
{
    bl_status st = BL_OK;
    size_t before = bl_write_group_size(g);
    /* Every path this run writes, checked before any is written. */
    size_t nouts = r->files.nfiles + (opts->dump_layout != NULL);
    char **outs = calloc(nouts ? nouts : 1, sizeof *outs);
    if (!outs)
        st = bl_error_set(err, BL_ERR_NOMEM, out_path, 0, 0, "out of memory");
    for (size_t k = 0; st == BL_OK && k < r->files.nfiles; k++)
        if (!(outs[k] = bl_writer_output_path(&r->files, k, out_path)))
            st = bl_error_set(err, BL_ERR_NOMEM, out_path, 0, 0, "out of memory");
    if (st == BL_OK && opts->dump_layout && !(outs[nouts - 1] = strdup(opts->dump_layout)))
        st = bl_error_set(err, BL_ERR_NOMEM, out_path, 0, 0, "out of memory");
    if (st == BL_OK)
        st = cli_check_outputs(in_path, r->layout_path, (const char *const *)outs, nouts, err);
    if (st == BL_OK && opts->dump_layout) {
        bl_io_piece dump = {r->dump, r->dump_len};
        st = bl_write_group_add(g, opts->dump_layout, &dump, 1, err);
    }
    if (st == BL_OK)
        st = bl_writer_output_stage(&r->files, out_path, g, err);
    if (st != BL_OK)
        bl_write_group_truncate(g, before);
    if (st == BL_OK && stats) {
        stats->pages = r->pages;
        stats->files = r->files.nfiles;
        const char *first = nouts && r->files.nfiles ? outs[0] : out_path;
        const char *last = r->files.nfiles ? outs[r->files.nfiles - 1] : out_path;
        snprintf(stats->first, sizeof stats->first, "%s", first);
        snprintf(stats->last, sizeof stats->last, "%s", last);
        snprintf(stats->layout, sizeof stats->layout, "%s", r->layout_path);
    }
    for (size_t k = 0; outs && k < nouts; k++)
        free(outs[k]);
    free(outs);
    return st;
}

int cli_parse_pdfa(const char *v)
{
    if (strcmp(v, "1b") == 0 || strcmp(v, "1B") == 0)
        return 1;
    if (strcmp(v, "2b") == 0 || strcmp(v, "2B") == 0)
        return 2;
    return -1;
}
