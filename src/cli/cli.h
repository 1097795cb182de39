/* cli.h - internals shared by the command-line program's files. */
#ifndef BL_CLI_H
#define BL_CLI_H

#include <stdio.h>

#include "base/error.h"
#include "font/font.h"
#include "parse/parse.h"
#include "shape/shape.h"
#include "writer/writer.h"

/* Exit statuses (stable: scripts depend on them). */
enum { EXIT_INVALID = 1, EXIT_USAGE = 2, EXIT_INTERNAL = 3 };

/* The exit status for an error record: 1 for bad input, 3 for I/O and internal. */
int cli_exit_status(const bl_error *err);

/* Prints err in the compiler convention (FILE:LINE:COL: error: MESSAGE) on
 * out, quoting the offending line with a caret under it when the file can be
 * read. kind is "error" or "warning". */
void cli_print_diag(FILE *out, const char *kind, const bl_error *err);

/* The same with the line to quote given (UTF-8, without its line end), for
 * callers that hold the text: `lint` prints many findings of one file. */
void cli_print_diag_line(FILE *out, const char *kind, const bl_error *err, const char *line,
                         size_t len);

enum { CLI_PATH_MAX = 4096 + 64 };

/* Writes into out (CLI_PATH_MAX bytes) the folder holding the shipped
 * layouts (or fonts): $BULLETIN_HOME/<sub>, else beside the executable
 * (../<sub>), else the source tree's. Returns out. */
const char *cli_data_dir(const char *sub, char *out);

/* Process-wide resources shared by every document of a run (and by the
 * batch's worker threads, which only read them). */
typedef struct cli_resources {
    bl_fontcache *fonts;
    bl_shaper *shaper;
    char layouts_dir[CLI_PATH_MAX]; /* found once, before any worker starts */
} cli_resources;

bl_status cli_resources_open(cli_resources *r, bl_error *err);
void cli_resources_close(cli_resources *r);

typedef struct cli_render_opts {
    const bl_writer *format; /* the output format (writer.h) */
    const char *layout;      /* NULL: the input's 版式, else zhuanbao */
    const char *dump_layout; /* NULL or a JSON path */
    const bl_warner *warner;
    int pdfa;                /* -1: as the layout says; 0 plain; 1 PDF/A-1b; 2 PDF/A-2b */
} cli_render_opts;

/* --pdfa=VALUE: 1 for "1b", 2 for "2b", -1 for anything else. */
int cli_parse_pdfa(const char *v);

typedef struct cli_render_stats {
    size_t pages;
    size_t files;                /* files written: 1, or one per page (SVG) */
    char first[CLI_PATH_MAX];    /* the first and the last of them */
    char last[CLI_PATH_MAX];
    char layout[CLI_PATH_MAX];   /* the layout file read */
} cli_render_stats;

/* One issue rendered in memory: the format's files, the layout dump when
 * opts->dump_layout asked for one, the page count. */
typedef struct cli_rendered {
    bl_writer_output files;
    char *dump; /* JSON, malloc'd, or NULL */
    size_t dump_len;
    size_t pages;
    char layout_path[CLI_PATH_MAX]; /* the layout file read */
    bl_doc *doc; /* the issue as parsed (for check's summary) */
} cli_rendered;

/* Refuses (BL_ERR_USAGE, exit 2) outputs that are the input issue, its
 * layout file, or another of the outputs (device and inode, links followed). */
bl_status cli_check_outputs(const char *in_path, const char *layout_path,
                            const char *const *outs, size_t nouts, bl_error *err);

/* Renders one issue into memory: parses the file at in_path (or, when text
 * is not NULL, text[0..len) as if read from in_path), loads the layout, lays
 * it out and runs opts->format. Nothing is written. *out is filled on
 * success (release with cli_rendered_free) and empty on failure. */
bl_status cli_render(cli_resources *res, const char *in_path, const char *text, size_t len,
                     const cli_render_opts *opts, cli_rendered *out, bl_error *err);

void cli_rendered_free(cli_rendered *r);

/* Renders one issue description in opts->format at out_path (atomically),
 * and its layout dump when asked for. */
bl_status cli_render_file(cli_resources *res, const char *in_path, const char *out_path,
                          const cli_render_opts *opts, cli_render_stats *stats,
                          bl_error *err);

/* Adds the files cli_render made for in_path to g (the same checks and
 * files as cli_render_file; they replace their targets when g is
 * committed). On failure none of them stays in g. Batch renders in
 * workers and writes many issues' files with one flush. */
bl_status cli_rendered_stage(const cli_rendered *r, const char *in_path, const char *out_path,
                             const cli_render_opts *opts, cli_render_stats *stats,
                             bl_write_group *g, bl_error *err);

/* After g is committed: BL_OK when its files from..to-1 were all written,
 * else the first failure. */
bl_status cli_group_result(const bl_write_group *g, size_t from, size_t to, bl_error *err);

/* Default output path: the input with its extension replaced by ext (malloc'd). */
char *cli_default_output(const char *in_path, const char *ext);

/* The format for --format NAME (when name is not NULL), else the one of
 * path's extension, else PDF. NULL when name names no format. */
const bl_writer *cli_pick_format(const char *name, const char *path);

int cli_cmd_batch(int argc, char **argv);

/* `bulletin serve`: the editor in the browser (serve.c). */
int cli_cmd_serve(int argc, char **argv);

/* `bulletin lint`: the typographic proofreader (lint_cmd.c, docs/lint.md). */
int cli_cmd_lint(int argc, char **argv);

#endif
