"""pixdiff.py - how far apart two renderings of one page are.

usage: pixdiff.py A.png B.png [--diff OUT.png]

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


def main(argv):
    args = list(argv)
    diff_out = None
    if "--diff" in args:
        k = args.index("--diff")
        diff_out = args[k + 1]
        del args[k : k + 2]
    a, b = flat(args[0]), flat(args[1])
    if abs(a.size[0] - b.size[0]) > 1 or abs(a.size[1] - b.size[1]) > 1:
        print("size %dx%d != %dx%d" % (a.size + b.size))
        return 2
    common = (0, 0, min(a.size[0], b.size[0]), min(a.size[1], b.size[1]))
    a, b = a.crop(common), b.crop(common)
    r, g, bl = ImageChops.difference(a, b).split()
    d = ImageChops.lighter(ImageChops.lighter(r, g), bl)
    hist = d.histogram()
    w, h = d.size
    n = w * h
    mean = sum(i * c for i, c in enumerate(hist)) / n
    differ = sum(hist[65:]) * 1000.0 / n
    # Cell means of the signed difference of each channel: box-filter both
    # images down to one pixel per cell and compare those.
    cw, ch = w // CELL, h // CELL
    box = (0, 0, cw * CELL, ch * CELL)
    sa = a.crop(box).resize((cw, ch), Image.BOX)
    sb = b.crop(box).resize((cw, ch), Image.BOX)
    cr, cg, cb = ImageChops.difference(sa, sb).split()
    cd = ImageChops.lighter(ImageChops.lighter(cr, cg), cb)
    cells = sum(cd.histogram()[CELL_LIMIT + 1 :])
    print("mean=%.3f differ=%.3f cells=%d" % (mean, differ, cells))
    if diff_out:
        ImageChops.invert(d).save(diff_out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
