#!/usr/bin/python3
"""ofd_svg.py - draws an OFD's pages as SVG with the fonts embedded in it,
glyph by glyph as a reader that honours the standard would: each TextCode
character at X/Y/DeltaX, shown by its CGTransform glyphs or else by the
glyph the embedded font's cmap gives it; PathObjects as strokes. CMYK is
shown through the naive conversion (R = (1-C)(1-K), ...).

Usage: ofd_svg.py FILE.ofd OUTDIR   (writes OUTDIR/page-N.svg, N from 1)

A manual tool for tests/ofd/ofd-view (--embedded): ofd.js draws with system
fonts by character, this draws what the file embeds.
"""
import io
import os
import sys
import zipfile
import xml.etree.ElementTree as ET

from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.ttLib import TTFont

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
from ofd_compare import NS, box, deltas  # noqa: E402


def color(el, spaces):
    if el is None:
        return "#000"
    v = [int(x) / 255 for x in (el.get("Value") or "0 0 0").split()]
    kind = spaces.get(el.get("ColorSpace"), "RGB")
    if kind == "CMYK" and len(v) == 4:
        v = [(1 - v[i]) * (1 - v[3]) for i in range(3)]
    elif kind == "GRAY" or len(v) == 1:
        v = v[:1] * 3
    return "#%02x%02x%02x" % tuple(round(c * 255) for c in v[:3])


def main(argv):
    if len(argv) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    z = zipfile.ZipFile(argv[1])
    os.makedirs(argv[2], exist_ok=True)
    root = ET.fromstring(z.read("OFD.xml"))
    docroot = root.findtext(f"{NS}DocBody/{NS}DocRoot").lstrip("/")
    docdir = docroot.rsplit("/", 1)[0]
    doc = ET.fromstring(z.read(docroot))
    area = box(doc.findtext(f"{NS}CommonData/{NS}PageArea/{NS}PhysicalBox"))
    fonts, spaces = {}, {}
    for loc in doc.iter(f"{NS}PublicRes"):
        res = ET.fromstring(z.read(f"{docdir}/{loc.text.strip()}"))
        base = res.get("BaseLoc", "")
        for cs in res.iter(f"{NS}ColorSpace"):
            spaces[cs.get("ID")] = cs.get("Type")
        for f in res.iter(f"{NS}Font"):
            data = z.read(f"{docdir}/{base}/{f.findtext(f'{NS}FontFile').strip()}")
            fonts[f.get("ID")] = TTFont(io.BytesIO(data))
    paths = {}  # (font ID, glyph name) -> defs id

    def glyph(fid, name):
        key = (fid, name)
        if key not in paths:
            font = fonts[fid]
            pen = SVGPathPen(font.getGlyphSet())
            font.getGlyphSet()[name].draw(pen)
            paths[key] = (f"g{len(paths)}", pen.getCommands())
        return paths[key][0]

    for n, p in enumerate(doc.iter(f"{NS}Page"), 1):
        content = ET.fromstring(z.read(f"{docdir}/{p.get('BaseLoc')}"))
        pbox = content.findtext(f"{NS}Area/{NS}PhysicalBox")
        w, h = (box(pbox) if pbox else area)[2:]
        body = []
        used = set()
        for obj in content.iter():
            if obj.tag == f"{NS}PathObject":
                bx, by = box(obj.get("Boundary"))[:2]
                d = obj.findtext(f"{NS}AbbreviatedData")
                body.append(f'<path transform="translate({bx} {by})" d="{d}" fill="none" '
                            f'stroke="{color(obj.find(f"{NS}StrokeColor"), spaces)}" '
                            f'stroke-width="{obj.get("LineWidth", "0.353")}"/>')
            if obj.tag != f"{NS}TextObject":
                continue
            fid = obj.get("Font")
            font = fonts[fid]
            order, cmap = font.getGlyphOrder(), font.getBestCmap() or {}
            hmtx, upem = font["hmtx"], font["head"].unitsPerEm
            size = float(obj.get("Size"))
            k = size / upem
            bx, by = box(obj.get("Boundary"))[:2]
            fill = color(obj.find(f"{NS}FillColor"), spaces)
            cgt = {}
            for el in obj:
                if el.tag == f"{NS}CGTransform":
                    pos, count = int(el.get("CodePosition")), int(el.get("CodeCount", "1"))
                    cgt[pos] = [order[int(g)] for g in el.findtext(f"{NS}Glyphs").split()]
                    for j in range(1, count):
                        cgt[pos + j] = []
                    continue
                if el.tag != f"{NS}TextCode":
                    continue
                x, y = float(el.get("X")), float(el.get("Y"))
                dx = deltas(el.get("DeltaX"))
                for i, ch in enumerate(el.text or ""):
                    if i > 0:
                        x += dx[i - 1] if i - 1 < len(dx) else 0
                    names = cgt.get(i, [cmap.get(ord(ch))] if ord(ch) in cmap else [])
                    gx = x
                    for name in names:
                        gid = glyph(fid, name)
                        used.add(gid)
                        body.append(f'<use href="#{gid}" fill="{fill}" transform="translate('
                                    f'{bx + gx:.4f} {by + y:.4f}) scale({k:.6f} {-k:.6f})"/>')
                        gx += hmtx[name][0] * k
                cgt = {}
        defs = "".join(f'<path id="{i}" d="{d}"/>' for i, d in paths.values() if i in used)
        with open(os.path.join(argv[2], f"page-{n}.svg"), "w", encoding="utf-8") as out:
            out.write(f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}mm" height="{h}mm" '
                      f'viewBox="0 0 {w} {h}"><rect width="{w}" height="{h}" fill="#fff"/>'
                      f'<defs>{defs}</defs>{"".join(body)}</svg>\n')
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
