"""pixdiff.py - how far apart two renderings of one page are.

usage: pixdiff.py A.png B.png [--diff OUT.png] [--baseline C.png]

Both images are flattened on white; a pixel's difference is the largest of
its three channel differences (0..255), so a wrong colour counts as much as
a wrong shape. Prints one line, key=value:
  mean    the mean difference per pixel
  differ  the share of pixels (per mille) differing by more than 64, a
          quarter of the range
  cells   how many 8x8-pixel cells differ on average by more than 64: two
          rasterisers anti-alias and snap the same glyph differently by a
          fraction of a pixel, which moves ink within a cell but hardly
          changes its mean; a missing, wrong, recoloured or displaced glyph
          changes the mean of the cells it covers
With --baseline, B is judged against how far C (the same page drawn by
another renderer of the same PDF) is from A: B passes when no cell differs
and its mean and differ are at most 1.3 times C's plus 0.6 and 6 (a sparse
page's few snapped rules and edges weigh more in its small total; the thin
strokes of a 仿宋 face, one or two pixels wide, turn a sub-pixel difference of
placement into whole differing pixels: a 版记-only page in FandolFang differs
6.4 per mille from poppler in librsvg, 1.4 in MuPDF). Prints
both lines and "ok RATIO" or "FAIL RATIO" (RATIO: B's differ over C's);
exits 1 when B fails.
Renderers round a page's size in pixels differently (poppler and librsvg
may differ by a row or column at the bottom or right edge); both put the
page's top-left corner at pixel (0, 0), so the common area is compared.
Exits 2 when the sizes differ by more than one pixel.
"""
import sys

from PIL import Image, ImageChops

CELL = 8
CELL_LIMIT = 64


def flat(path):
    im = Image.open(path).convert("RGBA")
    white = Image.new("RGBA", im.size, (255, 255, 255, 255))
    return Image.alpha_composite(white, im).convert("RGB")


def compare(path_a, path_b, diff_out=None):
    """(mean, differ, cells) of B against A, or None when the sizes differ."""
    a, b = flat(path_a), flat(path_b)
    if abs(a.size[0] - b.size[0]) > 1 or abs(a.size[1] - b.size[1]) > 1:
        print("size %dx%d != %dx%d" % (a.size + b.size))
        return None
    common = (0, 0, min(a.size[0], b.size[0]), min(a.size[1], b.size[1]))
    a, b = a.crop(common), b.crop(common)
    r, g, bl = ImageChops.difference(a, b).split()
    d = ImageChops.lighter(ImageChops.lighter(r, g), bl)
    hist = d.histogram()
    w, h = d.size
    n = w * h
    mean = sum(i * c for i, c in enumerate(hist)) / n
    differ = sum(hist[65:]) * 1000.0 / n
    # Cell means of each channel: box-filter both images down to one pixel
    # per cell and compare those.
    cw, ch = w // CELL, h // CELL
    box = (0, 0, cw * CELL, ch * CELL)
    sa = a.crop(box).resize((cw, ch), Image.BOX)
    sb = b.crop(box).resize((cw, ch), Image.BOX)
    cr, cg, cb = ImageChops.difference(sa, sb).split()
    cd = ImageChops.lighter(ImageChops.lighter(cr, cg), cb)
    cells = sum(cd.histogram()[CELL_LIMIT + 1 :])
    if diff_out:
        ImageChops.invert(d).save(diff_out)
    return mean, differ, cells


def show(m):
    return "mean=%.3f differ=%.3f cells=%d" % m


def main(argv):
    args = list(argv)
    opts = {}
    for key in ("--diff", "--baseline"):
        if key in args:
            k = args.index(key)
            opts[key] = args[k + 1]
            del args[k : k + 2]
    m = compare(args[0], args[1], opts.get("--diff"))
    if m is None:
        return 2
    if "--baseline" not in opts:
        print(show(m))
        return 0
    base = compare(args[0], opts["--baseline"])
    if base is None:
        return 2
    ratio = m[1] / base[1] if base[1] > 0 else (99.0 if m[1] > 0 else 0.0)
    good = m[2] == 0 and m[0] <= 1.3 * base[0] + 0.6 and m[1] <= 1.3 * base[1] + 6
    print("%s | baseline: %s | %s %.2f" % (show(m), show(base), "ok" if good else "FAIL", ratio))
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
