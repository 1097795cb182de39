/* writer.c - the table of output formats and what every format shares:
 * running a writer over a document and saving the files it made. */
#define _POSIX_C_SOURCE 200809L
#include "writer.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/fileio.h"
#include "../base/grow.h"
#include "../ofd/ofd.h"
#include "../pdf/pdf.h"
#include "../svg/svg.h"

static const bl_writer *const formats[] = {&bl_pdf_writer, &bl_ofd_writer, &bl_svg_writer};

const bl_writer *const *bl_writer_list(size_t *n)
{
    *n = sizeof formats / sizeof *formats;
    return formats;
}

const bl_writer *bl_writer_find(const char *name)
{
    for (size_t i = 0; name && i < sizeof formats / sizeof *formats; i++)
        if (strcmp(formats[i]->name, name) == 0)
            return formats[i];
    return NULL;
}

const bl_writer *bl_writer_for_path(const char *path)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (!dot || (slash && dot < slash))
        return NULL;
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
        if (strcasecmp(formats[i]->extension, dot) == 0)
            return formats[i];
    return NULL;
}

static void file_free(bl_writer_file *f)
{
    free(f->suffix);
    free(f->data);
    free(f->pieces);
    if (f->release)
        f->release(f->keep);
    memset(f, 0, sizeof *f);
}

void bl_writer_stream_init(bl_writer_stream *s, const bl_writer *f, const bl_writer_opts *o)
{
    memset(s, 0, sizeof *s);
    s->f = f;
    s->o = *o;
}

bl_status bl_writer_stream_page(bl_writer_stream *s, const bl_display *d, size_t index,
                                bl_error *err)
{
    if (!s->begun) {
        s->begun = 1;
        bl_status st = s->f->begin(d, &s->o, &s->w, err);
        if (st != BL_OK)
            return st;
    }
    if (index != s->next)
        return bl_error_set(err, BL_ERR_PDF, NULL, 0, 0, "pages must be written in order");
    s->next++;
    return s->f->page(s->w, index, err);
}

void bl_writer_stream_drop(bl_writer_stream *s)
{
    if (s->begun)
        s->f->drop(s->w);
    s->w = NULL;
    s->begun = 0;
}

bl_status bl_writer_stream_end(bl_writer_stream *s, const bl_display *d, bl_writer_output *out,
                               bl_error *err)
{
    size_t had = out->nfiles;
    bl_status st = BL_OK;
    if (!s->begun) {
        s->begun = 1;
        st = s->f->begin(d, &s->o, &s->w, err);
    }
    while (st == BL_OK && s->next < d->npages)
        st = bl_writer_stream_page(s, d, s->next, err);
    if (st == BL_OK)
        st = s->f->end(s->w, out, err);
    bl_writer_stream_drop(s);
    if (st != BL_OK) {
        /* Nothing half made reaches the caller. */
        for (size_t k = had; k < out->nfiles; k++)
            file_free(&out->files[k]);
        out->nfiles = had;
    }
    return st;
}

bl_status bl_writer_run(const bl_writer *f, const bl_display *d, const bl_writer_opts *o,
                        bl_writer_output *out, bl_error *err)
{
    bl_writer_stream s;
    bl_writer_stream_init(&s, f, o);
    return bl_writer_stream_end(&s, d, out, err);
}

/* Appends f, taking what it owns even on failure. */
static bl_status output_add(bl_writer_output *out, const char *suffix, bl_writer_file f,
                            bl_error *err)
{
    bl_writer_file *nf = bl_reserve(out->files, &out->cap, out->nfiles, 1, sizeof *nf, 4);
    if (!nf) {
        file_free(&f);
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    out->files = nf;
    f.suffix = strdup(suffix ? suffix : "");
    if (!f.suffix) {
        file_free(&f);
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    out->files[out->nfiles++] = f;
    return BL_OK;
}

bl_status bl_writer_output_add(bl_writer_output *out, const char *suffix, unsigned char *data,
                               size_t len, bl_error *err)
{
    return output_add(out, suffix, (bl_writer_file){NULL, data, len, NULL, 0, NULL, NULL}, err);
}

bl_status bl_writer_output_add_pieces(bl_writer_output *out, const char *suffix,
                                      bl_io_piece *pieces, size_t npieces, size_t len,
                                      void *keep, void (*release)(void *keep), bl_error *err)
{
    return output_add(out, suffix,
                      (bl_writer_file){NULL, NULL, len, pieces, npieces, keep, release}, err);
}

bl_status bl_writer_output_flatten(bl_writer_output *out, bl_error *err)
{
    for (size_t k = 0; k < out->nfiles; k++) {
        bl_writer_file *f = &out->files[k];
        if (!f->pieces)
            continue;
        size_t total = 0;
        for (size_t i = 0; i < f->npieces; i++)
            total += f->pieces[i].n;
        unsigned char *d = malloc(total ? total : 1);
        if (!d)
            return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory");
        size_t at = 0;
        for (size_t i = 0; i < f->npieces; i++) {
            if (f->pieces[i].n)
                memcpy(d + at, f->pieces[i].p, f->pieces[i].n);
            at += f->pieces[i].n;
        }
        free(f->pieces);
        if (f->release)
            f->release(f->keep);
        f->pieces = NULL;
        f->npieces = 0;
        f->keep = NULL;
        f->release = NULL;
        f->data = d;
        f->len = at;
    }
    return BL_OK;
}

char *bl_writer_output_path(const bl_writer_output *out, size_t k, const char *path)
{
    const char *suffix = k < out->nfiles ? out->files[k].suffix : "";
    size_t len = strlen(path), at = len;
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    if (dot && (!slash || dot > slash + 1) && dot != path)
        at = (size_t)(dot - path);
    size_t sl = strlen(suffix);
    char *p = malloc(len + sl + 1);
    if (!p)
        return NULL;
    memcpy(p, path, at);
    memcpy(p + at, suffix, sl);
    memcpy(p + at + sl, path + at, len - at + 1);
    return p;
}

bl_status bl_writer_output_stage(const bl_writer_output *out, const char *path,
                                 bl_write_group *g, bl_error *err)
{
    size_t before = bl_write_group_size(g);
    for (size_t k = 0; k < out->nfiles; k++) {
        char *p = bl_writer_output_path(out, k, path);
        if (!p) {
            bl_write_group_truncate(g, before);
            return bl_error_set(err, BL_ERR_NOMEM, path, 0, 0, "out of memory");
        }
        const bl_writer_file *f = &out->files[k];
        bl_io_piece one = {f->data, f->len};
        bl_status st = f->pieces ? bl_write_group_add(g, p, f->pieces, f->npieces, err)
                                 : bl_write_group_add(g, p, &one, 1, err);
        free(p);
        if (st != BL_OK) {
            bl_write_group_truncate(g, before);
            return st;
        }
    }
    return BL_OK;
}

size_t bl_writer_output_size(const bl_writer_output *out)
{
    size_t n = 0;
    for (size_t k = 0; k < out->nfiles; k++) {
        const bl_writer_file *f = &out->files[k];
        if (!f->pieces)
            n += f->len;
        for (size_t i = 0; f->pieces && i < f->npieces; i++)
            n += f->pieces[i].n;
    }
    return n;
}

void bl_writer_output_free(bl_writer_output *out)
{
    for (size_t k = 0; k < out->nfiles; k++)
        file_free(&out->files[k]);
    free(out->files);
    memset(out, 0, sizeof *out);
}
