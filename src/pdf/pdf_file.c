/* pdf_file.c - the PDF file's frame: libharu's saved document (the page
 * tree, through libharu's public API) taken apart by its own xref table and
 * put together again with the objects bulletin writes, under one new xref
 * table and a trailer whose /ID is a hash of the content (see pdf.c's header
 * for why). */
#include "pdf_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>

#include "../base/grow.h"

void pdf_bput(pdf_buf *b, const void *s, size_t n)
{
    if (b->oom || n == 0)
        return;
    char *p = bl_reserve(b->p, &b->cap, b->n, n, 1, 4096);
    if (!p) {
        b->oom = 1;
        return;
    }
    b->p = p;
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

void pdf_bputs(pdf_buf *b, const char *s)
{
    pdf_bput(b, s, strlen(s));
}

void pdf_bprintf(pdf_buf *b, const char *fmt, ...)
{
    char t[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t, sizeof t, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = 1;
    } else if ((size_t)n < sizeof t) {
        pdf_bput(b, t, (size_t)n);
    } else {
        char *big = malloc((size_t)n + 1);
        if (!big) {
            b->oom = 1;
            return;
        }
        va_start(ap, fmt);
        vsnprintf(big, (size_t)n + 1, fmt, ap);
        va_end(ap);
        pdf_bput(b, big, (size_t)n);
        free(big);
    }
}

void pdf_bnum(pdf_buf *b, double v, int decimals)
{
    char t[32];
    pdf_bputs(b, bl_fmt_num(t, v, decimals));
    pdf_bput(b, " ", 1);
}

void pdf_bhex4(pdf_buf *b, unsigned v)
{
    static const char hex[] = "0123456789ABCDEF";
    char t[4] = {hex[(v >> 12) & 15], hex[(v >> 8) & 15], hex[(v >> 4) & 15], hex[v & 15]};
    pdf_bput(b, t, 4);
}

void pdf_butf16(pdf_buf *b, uint32_t cp)
{
    if (cp >= 0x10000 && cp <= 0x10FFFF) {
        /* Beyond the BMP: a UTF-16 surrogate pair (𠮷 U+20BB7 -> D842 DFB7). */
        cp -= 0x10000;
        pdf_bhex4(b, 0xD800 + (cp >> 10));
        pdf_bhex4(b, 0xDC00 + (cp & 0x3FF));
    } else {
        pdf_bhex4(b, cp);
    }
}

/* libdeflate's level for every stream bulletin compresses. On a 534-glyph
 * desubroutinised CFF subset, against zlib's level 6 (libharu's default):
 * level 1 takes 0.30x the instructions for output 1.4 % larger, level 6
 * 0.55x for the same size. */
enum { DEFLATE_LEVEL = 1 };

int pdf_deflate(struct libdeflate_compressor **z, const void *data, size_t len,
                unsigned char **out, size_t *out_len)
{
    if (!*z && !(*z = libdeflate_alloc_compressor(DEFLATE_LEVEL)))
        return 0;
    size_t cap = libdeflate_zlib_compress_bound(*z, len);
    unsigned char *p = malloc(cap ? cap : 1);
    if (!p)
        return 0;
    size_t n = libdeflate_zlib_compress(*z, data, len, p, cap);
    if (n == 0) {
        free(p);
        return 0;
    }
    /* The bound is about the input's size; a page's content keeps its
     * compressed stream until the end of the document, so give back the rest. */
    unsigned char *q = n < cap ? realloc(p, n) : p;
    *out = q ? q : p;
    *out_len = n;
    return 1;
}

void pdf_deflate_free(struct libdeflate_compressor *z)
{
    libdeflate_free_compressor(z);
}

/* ---- the object table ---------------------------------------------------- */

bl_status pdf_objs_init(pdf_objs *o, unsigned first)
{
    memset(o, 0, sizeof *o);
    o->first = first;
    o->cap = first + 256;
    o->objs = calloc(o->cap, sizeof *o->objs);
    o->n = first;
    if (!o->objs)
        o->body.oom = 1;
    return o->objs ? BL_OK : BL_ERR_NOMEM;
}

unsigned pdf_obj_new(pdf_objs *o)
{
    if (o->body.oom)
        return 0;
    if (o->n == o->cap) {
        size_t c = o->cap * 2;
        pdf_span *s = realloc(o->objs, c * sizeof *s);
        if (!s) {
            o->body.oom = 1;
            return 0;
        }
        o->objs = s;
        o->cap = c;
    }
    memset(&o->objs[o->n], 0, sizeof o->objs[o->n]);
    return (unsigned)o->n++;
}

pdf_buf *pdf_obj_begin(pdf_objs *o, unsigned num)
{
    o->open = num;
    o->open_off = o->body.n;
    return &o->body;
}

void pdf_obj_end(pdf_objs *o)
{
    if (o->open == 0 || o->open >= o->n || o->body.oom)
        return;
    o->objs[o->open].off = o->open_off;
    o->objs[o->open].len = o->body.n - o->open_off;
    o->objs[o->open].set = 1;
}

void pdf_obj_stream(pdf_objs *o, unsigned num, const char *dict_entries, const void *data,
                    size_t len, int deflate)
{
    unsigned char *z = NULL;
    size_t zlen = 0;
    if (deflate && !pdf_deflate(&o->z, data, len, &z, &zlen)) {
        o->body.oom = 1;
        return;
    }
    pdf_buf *b = pdf_obj_begin(o, num);
    pdf_bprintf(b, "<< /Length %zu%s", deflate ? zlen : len,
                deflate ? " /Filter /FlateDecode" : "");
    if (dict_entries && *dict_entries) {
        pdf_bput(b, " ", 1);
        pdf_bputs(b, dict_entries);
    }
    pdf_bputs(b, " >>\nstream\n");
    pdf_bput(b, deflate ? (const void *)z : data, deflate ? zlen : len);
    pdf_bputs(b, "\nendstream");
    pdf_obj_end(o);
    free(z);
}

void pdf_obj_stream_ext(pdf_objs *o, unsigned num, const char *dict, const unsigned char *data,
                        size_t len)
{
    pdf_buf *b = pdf_obj_begin(o, num);
    pdf_bputs(b, dict);
    pdf_bputs(b, "\nstream\n");
    pdf_obj_end(o);
    if (num && num < o->n && !o->body.oom) {
        o->objs[num].ext = data;
        o->objs[num].ext_len = len;
    }
}

void pdf_objs_free(pdf_objs *o)
{
    free(o->objs);
    free(o->body.p);
    pdf_deflate_free(o->z);
    memset(o, 0, sizeof *o);
}

/* ---- taking libharu's file apart ----------------------------------------- */

/* The first "N 0 R" after key in the object text [p, end), or 0. */
static unsigned ref_after(const char *p, const char *end, const char *key)
{
    size_t kl = strlen(key);
    for (; p + kl < end; p++)
        if (memcmp(p, key, kl) == 0) {
            unsigned v = 0;
            const char *q = p + kl;
            while (q < end && *q == ' ')
                q++;
            if (q >= end || *q < '0' || *q > '9')
                return 0;
            while (q < end && *q >= '0' && *q <= '9')
                v = v * 10 + (unsigned)(*q++ - '0');
            return v;
        }
    return 0;
}

typedef struct off_idx {
    size_t off;
    unsigned k;
} off_idx;

static int by_offset(const void *a, const void *b)
{
    size_t x = ((const off_idx *)a)->off, y = ((const off_idx *)b)->off;
    return x < y ? -1 : x > y;
}

/* Where each object ends: objects follow one another, so at the start of
 * the next one (or at the xref table). */
static int object_ends(pdf_haru *h)
{
    off_idx *idx = malloc(h->size * sizeof *idx);
    h->end = calloc(h->size + 1, sizeof *h->end);
    if (!idx || !h->end) {
        free(idx);
        return 0;
    }
    for (unsigned k = 1; k < h->size; k++)
        idx[k - 1] = (off_idx){h->off[k], k};
    qsort(idx, h->size - 1, sizeof *idx, by_offset);
    for (unsigned k = 0; k + 1 < h->size; k++)
        h->end[idx[k].k] = k + 2 < h->size ? idx[k + 1].off : h->xref;
    free(idx);
    return 1;
}

bl_status pdf_haru_parse(pdf_haru *h, const unsigned char *data, size_t len, size_t npages,
                         bl_error *err)
{
    memset(h, 0, sizeof *h);
    h->data = data;
    h->len = len;
#define BAD(what)                                                                              \
    return bl_error_set(err, BL_ERR_PDF, NULL, 0, 0,                                           \
                        "libharu's document is not as expected: %s", what)
    const char *s = (const char *)data;
    if (len < 32 || data[len] != '\0')
        BAD("too short, or not NUL-terminated in memory");
    const char *sx = NULL;
    for (size_t i = len - 9; i-- > 0;)
        if (memcmp(s + i, "startxref", 9) == 0) {
            sx = s + i;
            break;
        }
    if (!sx)
        BAD("no startxref");
    size_t xref = strtoul(sx + 9, NULL, 10);
    if (xref >= len || memcmp(s + xref, "xref", 4) != 0)
        BAD("no xref table");
    const char *p = s + xref + 4;
    while (*p == '\r' || *p == '\n')
        p++;
    unsigned first = 0, count = 0;
    if (sscanf(p, "%u %u", &first, &count) != 2 || first != 0 || count < 2 || count > 1u << 24)
        BAD("an xref subsection that is not one from 0");
    while (p < s + len && *p != '\n')
        p++;
    p++;
    if ((size_t)(p - s) + (size_t)count * 20 > len)
        BAD("a short xref table");
    h->size = count;
    h->off = calloc(count + 1, sizeof *h->off);
    if (!h->off)
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory writing the PDF");
    for (unsigned k = 0; k < count; k++) {
        const char *e = p + 20 * (size_t)k;
        h->off[k] = strtoul(e, NULL, 10);
        if (k > 0 && (e[17] != 'n' || h->off[k] >= xref))
            BAD("an xref entry out of place");
    }
    h->xref = xref;
    if (!object_ends(h))
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory writing the PDF");
    const char *tr = p + 20 * (size_t)count;
    h->root = ref_after(tr, s + len, "/Root");
    if (h->root == 0 || h->root >= count)
        BAD("no /Root");
    /* The page tree: the catalog's /Pages and its /Kids, in page order. */
    const char *cat = s + h->off[h->root], *cat_end = s + pdf_haru_end(h, h->root);
    h->pages = ref_after(cat, cat_end, "/Pages");
    if (h->pages == 0 || h->pages >= count)
        BAD("no /Pages");
    const char *pt = s + h->off[h->pages], *pt_end = s + pdf_haru_end(h, h->pages);
    const char *kids = NULL;
    for (const char *q = pt; q + 6 < pt_end; q++)
        if (memcmp(q, "/Kids", 5) == 0) {
            kids = q + 5;
            break;
        }
    if (!kids)
        BAD("no /Kids");
    h->page = calloc(npages + 1, sizeof *h->page);
    h->content = calloc(npages + 1, sizeof *h->content);
    if (!h->page || !h->content)
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory writing the PDF");
    const char *q = kids;
    while (q < pt_end && *q != '[')
        q++;
    size_t n = 0;
    while (q < pt_end && *q != ']') {
        if (*q >= '0' && *q <= '9') {
            unsigned v = (unsigned)strtoul(q, (char **)&q, 10);
            unsigned gen = (unsigned)strtoul(q, (char **)&q, 10);
            while (q < pt_end && *q == ' ')
                q++;
            if (gen != 0 || q >= pt_end || *q != 'R' || v == 0 || v >= count || n >= npages)
                BAD("an unexpected /Kids entry");
            h->page[n++] = v;
        }
        q++;
    }
    if (n != npages)
        BAD("another number of pages");
    for (size_t k = 0; k < npages; k++) {
        unsigned pg = h->page[k];
        h->content[k] = ref_after(s + h->off[pg], s + pdf_haru_end(h, pg), "/Contents");
        if (h->content[k] == 0 || h->content[k] >= count)
            BAD("a page without its content stream");
    }
    return BL_OK;
#undef BAD
}

size_t pdf_haru_end(const pdf_haru *h, unsigned num)
{
    return h->end[num];
}

void pdf_haru_free(pdf_haru *h)
{
    free(h->off);
    free(h->end);
    free(h->page);
    free(h->content);
    memset(h, 0, sizeof *h);
}

/* ---- putting the file together ------------------------------------------ */

/* 128 bits of FNV-1a over the content, in two lanes with different seeds:
 * an /ID that is the same for the same document and differs when it does.
 * Fed piece by piece; at counts the bytes so far. */
typedef struct content_hash {
    uint64_t a, b;
    size_t at;
} content_hash;

static void hash_bytes(content_hash *h, const unsigned char *p, size_t n)
{
    uint64_t a = h->a, b = h->b;
    for (size_t i = 0; i < n; i++) {
        a = (a ^ p[i]) * 1099511628211ull;
        b = (b ^ p[i] ^ ((h->at + i) & 0xFF)) * 1099511628211ull;
    }
    h->a = a;
    h->b = b;
    h->at += n;
}

/* The file being put together: pieces of glue (what is written here, at an
 * offset of glue, which moves as it grows: ext NULL) and of bytes that stay
 * where they are (libharu's objects, our bodies, the content streams). */
typedef struct asm_piece {
    const unsigned char *ext;
    size_t off, n;
} asm_piece;

typedef struct assembler {
    pdf_buf glue;
    asm_piece *pieces;
    size_t npieces, cap, len;
    int oom;
} assembler;

static void add_piece(assembler *m, const unsigned char *ext, size_t off, size_t n)
{
    if (m->oom || n == 0)
        return;
    m->len += n;
    if (m->npieces) {
        asm_piece *last = &m->pieces[m->npieces - 1];
        if (ext ? last->ext && last->ext + last->off + last->n == ext + off
                : !last->ext && last->off + last->n == off) {
            last->n += n; /* contiguous: glue written in a row, objects in a row */
            return;
        }
    }
    asm_piece *np = bl_reserve(m->pieces, &m->cap, m->npieces, 1, sizeof *np, 1024);
    if (!np) {
        m->oom = 1;
        return;
    }
    m->pieces = np;
    m->pieces[m->npieces++] = (asm_piece){ext, off, n};
}

/* Bytes written into the glue since mark become a piece. */
static void glue_since(assembler *m, size_t mark)
{
    if (m->glue.oom)
        m->oom = 1;
    else
        add_piece(m, NULL, mark, m->glue.n - mark);
}

static void put_ext(assembler *m, const unsigned char *p, size_t n)
{
    add_piece(m, p, 0, n);
}

bl_status pdf_assemble(const pdf_haru *h, const pdf_objs *o, const char *version,
                       unsigned root, unsigned info, pdf_file *out, bl_error *err)
{
    memset(out, 0, sizeof *out);
    assembler m = {0};
    pdf_buf *f = &m.glue;
    size_t total = o->n;
    size_t *offs = calloc(total + 1, sizeof *offs);
    if (!offs)
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory writing the PDF");
    /* A binary comment: readers and PDF/A want 4 bytes above 127. */
    size_t mark = f->n;
    pdf_bprintf(f, "%%PDF-%s\n%%\xE2\xE3\xCF\xD3\n", version);
    glue_since(&m, mark);
    for (size_t k = 1; k < total; k++) {
        if (!o->objs[k].set && k < h->size) {
            /* libharu's object as it wrote it. */
            size_t a = h->off[k], e = h->end[k];
            offs[k] = m.len;
            put_ext(&m, h->data + a, e - a);
            if (e > a && h->data[e - 1] != '\n') {
                mark = f->n;
                pdf_bput(f, "\n", 1);
                glue_since(&m, mark);
            }
            continue;
        }
        if (!o->objs[k].set)
            continue; /* a number never filled: a free entry */
        offs[k] = m.len;
        mark = f->n;
        pdf_bprintf(f, "%zu 0 obj\n", k);
        glue_since(&m, mark);
        put_ext(&m, (const unsigned char *)o->body.p + o->objs[k].off, o->objs[k].len);
        if (o->objs[k].ext)
            put_ext(&m, o->objs[k].ext, o->objs[k].ext_len);
        mark = f->n;
        if (o->objs[k].ext)
            pdf_bputs(f, "\nendstream");
        pdf_bputs(f, "\nendobj\n");
        glue_since(&m, mark);
    }
    size_t xref = m.len;
    mark = f->n;
    pdf_bprintf(f, "xref\n0 %zu\n0000000000 65535 f\r\n", total);
    for (size_t k = 1; k < total; k++)
        if (offs[k])
            pdf_bprintf(f, "%010zu 00000 n\r\n", offs[k]);
        else
            pdf_bputs(f, "0000000000 00000 f\r\n");
    glue_since(&m, mark);
    free(offs);
    /* The pieces are complete up to the trailer: glue offsets become
     * pointers now that the glue no longer moves, and the /ID is hashed. */
    bl_io_piece *pieces = m.oom ? NULL : malloc((m.npieces + 1) * sizeof *pieces);
    content_hash ch = {1469598103934665603ull, 0x84222325cbf29ce4ull, 0};
    if (pieces)
        for (size_t i = 0; i < m.npieces; i++) {
            const asm_piece *q = &m.pieces[i];
            pieces[i].p = q->ext ? q->ext + q->off : (const unsigned char *)f->p + q->off;
            pieces[i].n = q->n;
            hash_bytes(&ch, pieces[i].p, pieces[i].n);
        }
    unsigned char id[16];
    for (int i = 0; i < 8; i++) {
        id[i] = (unsigned char)(ch.a >> (8 * i));
        id[8 + i] = (unsigned char)(ch.b >> (8 * i));
    }
    char hex[33];
    for (int i = 0; i < 16; i++)
        snprintf(hex + 2 * i, 3, "%02X", id[i]);
    /* The trailer goes to a buffer of its own: the glue's pieces point into it. */
    pdf_buf t = {0};
    pdf_bprintf(&t, "trailer\n<< /Size %zu /Root %u 0 R", total, root);
    if (info)
        pdf_bprintf(&t, " /Info %u 0 R", info);
    pdf_bprintf(&t, " /ID [<%s> <%s>] >>\nstartxref\n%zu\n%%%%EOF\n", hex, hex, xref);
    free(m.pieces);
    if (!pieces || t.oom || f->oom) {
        free(pieces);
        free(f->p);
        free(t.p);
        return bl_error_set(err, BL_ERR_NOMEM, NULL, 0, 0, "out of memory writing the PDF");
    }
    pieces[m.npieces] = (bl_io_piece){t.p, t.n};
    out->pieces = pieces;
    out->npieces = m.npieces + 1;
    out->len = m.len + t.n;
    out->glue = f->p;
    out->trailer = t.p;
    return BL_OK;
}
