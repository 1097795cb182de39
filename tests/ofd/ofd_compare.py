#!/usr/bin/python3
"""ofd_compare.py - an OFD read back against the PDF of the same issue.

Usage: ofd_compare.py FILE.ofd FILE.pdf [--reader OFD-CHECK.json]

Reads the OFD as a reader would (zipfile, ElementTree, fontTools for the
embedded fonts) and checks, page by page:
  - the same page count and page sizes as the PDF (pdfinfo);
  - the same text in the same order as pdftotext -raw (content-stream order,
    which is the display list's), white space aside;
  - every character where the PDF has it: each non-blank character of a
    TextCode (X, Y, DeltaX with its "g" abbreviation, relative to the
    object's Boundary, in mm from the top-left) matches a character MuPDF
    finds at the same origin in the PDF (mutool stext) within 0.01 pt (but
    the 2nd.. character of a ligature, which has no origin of its own);
  - every drawn glyph exists in the embedded font: through its CGTransform
    or, without one, the font's cmap; .notdef is never drawn, and the cmap
    glyph of a character never needs a CGTransform to say so.
With --reader, the pages and text another reader found (ofd-check --json)
must be the PDF's too. Prints one line per problem and a summary; exit 1 on any problem.
"""
import io
import json
import re
import subprocess
import sys
import zipfile
import xml.etree.ElementTree as ET

from fontTools.ttLib import TTFont

NS = "{http://www.ofdspec.org/2016}"
MM = 72.0 / 25.4  # pt per mm
TOL = 0.01  # pt

problems = []


def fail(msg):
    problems.append(msg)
    print("FAIL:", msg)


def deltas(s):
    """An ST_Array of DeltaX with the "g COUNT VALUE" abbreviation expanded."""
    out, toks, i = [], (s or "").split(), 0
    while i < len(toks):
        if toks[i] == "g":
            out += [float(toks[i + 2])] * int(toks[i + 1])
            i += 3
        else:
            out.append(float(toks[i]))
            i += 1
    return out


def box(s):
    return [float(v) for v in s.split()]


def read_ofd(path):
    z = zipfile.ZipFile(path)
    root = ET.fromstring(z.read("OFD.xml"))
    docroot = root.findtext(f"{NS}DocBody/{NS}DocRoot").lstrip("/")
    docdir = docroot.rsplit("/", 1)[0]
    doc = ET.fromstring(z.read(docroot))
    area = box(doc.findtext(f"{NS}CommonData/{NS}PageArea/{NS}PhysicalBox"))
    fonts = {}
    for loc in doc.iter(f"{NS}PublicRes"):
        rloc = f"{docdir}/{loc.text.strip()}"
        res = ET.fromstring(z.read(rloc))
        base = res.get("BaseLoc", "")
        for f in res.iter(f"{NS}Font"):
            data = z.read(f"{docdir}/{base}/{f.findtext(f'{NS}FontFile').strip()}")
            fonts[f.get("ID")] = TTFont(io.BytesIO(data))
    pages = []
    for p in doc.iter(f"{NS}Page"):
        content = ET.fromstring(z.read(f"{docdir}/{p.get('BaseLoc')}"))
        pbox = content.findtext(f"{NS}Area/{NS}PhysicalBox")
        size = box(pbox) if pbox else area
        chars = []  # (char, x pt, y from the top, font ID, CGTransform glyphs or None, codes)
        for t in content.iter(f"{NS}TextObject"):
            bx, by = box(t.get("Boundary"))[:2]
            cgt = []
            for el in t:
                if el.tag == f"{NS}CGTransform":
                    cgt.append(el)
                elif el.tag == f"{NS}TextCode":
                    x, y = float(el.get("X")), float(el.get("Y"))
                    dx = deltas(el.get("DeltaX"))
                    text = el.text or ""
                    glyph_of, codes = {}, {}
                    for c in cgt:
                        pos = int(c.get("CodePosition"))
                        gl = [int(g) for g in c.findtext(f"{NS}Glyphs").split()]
                        glyph_of[pos] = gl
                        codes[pos] = int(c.get("CodeCount", "1"))
                        for k in range(1, codes[pos]):
                            glyph_of[pos + k] = []
                    for i, ch in enumerate(text):
                        if i > 0:
                            x += dx[i - 1] if i - 1 < len(dx) else 0
                        chars.append((ch, (bx + x) * MM, (by + y) * MM, t.get("Font"),
                                      glyph_of.get(i), codes.get(i, 1)))
                    cgt = []
        pages.append((size, chars))
    return pages, fonts


def check_glyphs(pages, fonts):
    for n, (_, chars) in enumerate(pages, 1):
        for ch, _, _, fid, gl, ncodes in chars:
            font = fonts.get(fid)
            if font is None:
                fail(f"page {n}: {ch!r} in undeclared font {fid}")
                continue
            order = font.getGlyphOrder()
            cmap = font.getBestCmap() or {}
            if gl == []:
                continue  # shown by the ligature glyph of the code before
            if gl is None:
                if ord(ch) not in cmap:
                    fail(f"page {n}: {ch!r} (U+{ord(ch):04X}) has neither a CGTransform nor a cmap entry in font {fid}")
                elif cmap[ord(ch)] == ".notdef":
                    fail(f"page {n}: {ch!r} is drawn as .notdef")
                continue
            for g in gl:
                if g <= 0 or g >= len(order):
                    fail(f"page {n}: {ch!r} is drawn with glyph {g}, not a glyph of font {fid} ({len(order)} glyphs)")
            if len(gl) == 1 and ncodes == 1 and ord(ch) in cmap and order[gl[0]] == cmap[ord(ch)]:
                fail(f"page {n}: {ch!r} has a CGTransform to the glyph its cmap gives anyway")


def pdf_pages(pdf):
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", pdf], capture_output=True,
                          text=True, check=True).stdout
    sizes = [tuple(float(v) for v in m.groups())
             for m in re.finditer(r"Page +\d+ size: +([\d.]+) x ([\d.]+) pts", info)]
    return sizes


def pdf_text(pdf, page):
    out = subprocess.run(["pdftotext", "-raw", "-f", str(page), "-l", str(page), pdf, "-"],
                         capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", out)


def pdf_chars(pdf):
    """Per page: (char, x, y from the top) of every character MuPDF finds."""
    xml = subprocess.run(["mutool", "draw", "-q", "-F", "stext", "-o", "-", pdf],
                         capture_output=True, check=True).stdout
    pages = []
    for p in ET.fromstring(xml).iter("page"):
        pages.append([(c.get("c"), float(c.get("x")), float(c.get("y"))) for c in p.iter("char")])
    return pages


def main(argv):
    if len(argv) not in (3, 5) or (len(argv) == 5 and argv[3] != "--reader"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    ofd, pdf = argv[1], argv[2]
    pages, fonts = read_ofd(ofd)
    sizes = pdf_pages(pdf)
    if len(pages) != len(sizes):
        fail(f"the OFD has {len(pages)} pages, the PDF {len(sizes)}")
    if len(argv) == 5:
        with open(argv[4], encoding="utf-8") as f:
            reader = json.load(f)
        if reader["pages"] != len(sizes):
            fail(f"the reader finds {reader['pages']} pages, the PDF has {len(sizes)}")
        for n, text in enumerate(reader["text"], 1):
            if re.sub(r"\s+", "", text) != pdf_text(pdf, n).replace("\ufffd", ""):
                fail(f"page {n}: the reader's text is not the PDF's")
    theirs = pdf_chars(pdf)
    nchars = 0
    for n, ((size, chars), psize, pchars) in enumerate(zip(pages, sizes, theirs), 1):
        if abs(size[2] * MM - psize[0]) > 0.01 or abs(size[3] * MM - psize[1]) > 0.01:
            fail(f"page {n}: {size[2]} x {size[3]} mm, the PDF's is {psize[0]} x {psize[1]} pt")
        text = "".join(c[0] for c in chars if not c[0].isspace())
        want = pdf_text(pdf, n).replace("\ufffd", "")
        if text != want:
            i = next((k for k in range(min(len(text), len(want))) if text[k] != want[k]),
                     min(len(text), len(want)))
            fail(f"page {n}: the text differs from the PDF's at character {i}: "
                 f"OFD …{text[max(0, i - 10):i + 10]}… PDF …{want[max(0, i - 10):i + 10]}…")
        # Every character at the PDF's place: bucket the PDF's by character.
        free = {}
        for c, x, y in pchars:
            free.setdefault(c, []).append((x, y))
        for c, x, y, _, gl, _ in chars:
            # The 2nd.. character of a ligature has no origin of its own
            # (the OFD spreads them over the glyph, MuPDF puts them at its end).
            if c.isspace() or gl == []:
                continue
            nchars += 1
            spots = free.get(c, [])
            hit = next((k for k, (px, py) in enumerate(spots)
                        if abs(px - x) <= TOL and abs(py - y) <= TOL), None)
            if hit is None:
                near = min(spots, key=lambda s: abs(s[0] - x) + abs(s[1] - y), default=None)
                fail(f"page {n}: {c!r} at ({x:.3f}, {y:.3f}) pt is not where the PDF has it"
                     + (f" (nearest: ({near[0]:.3f}, {near[1]:.3f}))" if near else " (not in the PDF)"))
            else:
                spots.pop(hit)
    check_glyphs(pages, fonts)
    print(f"{len(pages)} pages, {nchars} characters compared with the PDF; {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
