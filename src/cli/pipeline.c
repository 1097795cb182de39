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
    st = bl_style_load(layout, res->layouts_dir, arena, &style, err);
    if (st != BL_OK) {
        /* An unknown 版式 named in the input is the input's error: point at it. */
        if (from_doc && err->line == 0 && strchr(layout, '/') == NULL) {
            char msg[BL_ERROR_MSG_MAX];
            snprintf(msg, sizeof msg, "%s", err->message);
            bl_error_clear(err);
            bl_error_set(err, st, in_path, v->layout.pos.line, v->layout.pos.col,
                         "版式 (layout) '%s': %s", layout, msg);
        }
        goto done;
    }
    char creator[64];
    snprintf(creator, sizeof creator, "bulletin %s", BL_VERSION);
    long long sde = -1;
    const char *env_sde = getenv("SOURCE_DATE_EPOCH");
    if (env_sde && *env_sde) {
        char *end;
        long long t = strtoll(env_sde, &end, 10);
        if (*end == '\0' && t >= 0)
            sde = t;
    }
    bl_layout_env env = {res->fonts, res->shaper, opts->warner, creator, sde};
    bl_display *display = NULL;
    st = bl_layout_document(doc, style, &env, arena, &display, err);
    if (st != BL_OK)
        goto done;
    if (opts->dump_layout && (st = dump_json(display, &out->dump, &out->dump_len, err)) != BL_OK)
        goto done;
    int pdfa = opts->pdfa >= 0 ? opts->pdfa : cli_parse_pdfa(style->pdfa);
    bl_writer_opts wopts = {res->shaper, pdfa > 0 ? pdfa : 0, NULL};
    st = bl_writer_run(opts->format, display, &wopts, &out->files, err);
    if (st == BL_OK)
        out->pages = display->npages;
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
    memset(r, 0, sizeof *r);
}

bl_status cli_render_file(cli_resources *res, const char *in_path, const char *out_path,
                          const cli_render_opts *opts, cli_render_stats *stats,
                          bl_error *err)
{
    cli_rendered r;
    bl_status st = cli_render(res, in_path, NULL, 0, opts, &r, err);
    if (st == BL_OK && opts->dump_layout)
        st = bl_write_file_atomic(opts->dump_layout, r.dump, r.dump_len, err);
    if (st == BL_OK)
        st = bl_writer_output_save(&r.files, out_path, err);
    if (st == BL_OK && stats) {
        stats->pages = r.pages;
        stats->files = r.files.nfiles;
        char *first = bl_writer_output_path(&r.files, 0, out_path);
        char *last = bl_writer_output_path(&r.files, r.files.nfiles ? r.files.nfiles - 1 : 0,
                                           out_path);
        snprintf(stats->first, sizeof stats->first, "%s", first ? first : out_path);
        snprintf(stats->last, sizeof stats->last, "%s", last ? last : out_path);
        free(first);
        free(last);
    }
    cli_rendered_free(&r);
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
