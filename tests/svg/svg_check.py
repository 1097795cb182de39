"""svg_check.py - reads the SVG pages of one document back and checks them
against its PDF.

usage: svg_check.py PDF PAGE-1.svg [PAGE-2.svg ...]

Each page must be well-formed XML whose root is an <svg> of the PDF page's
size; every <use> must point at a glyph <path> defined in that page's <defs>,
each defined once; the invisible text layer must carry the same characters as
pdftotext reads from the same PDF page (compared as multisets without
whitespace: the two order the lines differently). Prints what it checked;
exits 1 at the first problem.
"""
import collections
import subprocess
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def pdf_page_sizes(pdf, n):
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", str(n), pdf], capture_output=True,
                         text=True, check=True).stdout
    sizes = []
    for line in out.splitlines():
        if line.startswith("Page") and "size:" in line:
            w, _, h = line.split("size:")[1].split()[:3]
            sizes.append((float(w), float(h)))
    return sizes


def main(argv):
    pdf, pages = argv[0], argv[1:]
    npdf = int([l for l in subprocess.run(["pdfinfo", pdf], capture_output=True, text=True,
                                          check=True).stdout.splitlines()
                if l.startswith("Pages:")][0].split()[1])
    if npdf != len(pages):
        fail("%d SVG pages for %d PDF pages" % (len(pages), npdf))
    sizes = pdf_page_sizes(pdf, npdf)
    for k, path in enumerate(pages, 1):
        root = ET.parse(path).getroot()
        if root.tag != SVG + "svg":
            fail("%s: the root is %s" % (path, root.tag))
        w, h = float(root.get("width")[:-2]), float(root.get("height")[:-2])
        pw, ph = sizes[k - 1]
        if abs(w - pw) > 0.01 or abs(h - ph) > 0.01:
            fail("%s: %gx%g pt, the PDF page is %gx%g" % (path, w, h, pw, ph))
        ids = [p.get("id") for p in root.iter(SVG + "path")]
        if len(ids) != len(set(ids)):
            fail("%s: a glyph is defined twice" % path)
        uses = [u.get(XLINK) for u in root.iter(SVG + "use")]
        missing = {u for u in uses if u[1:] not in set(ids)}
        if missing:
            fail("%s: <use> of undefined glyphs %s" % (path, sorted(missing)[:5]))
        unused = set(ids) - {u[1:] for u in uses}
        if unused:
            fail("%s: glyphs defined but not used: %s" % (path, sorted(unused)[:5]))
        text = "".join("".join(t.itertext()) for t in root.iter(SVG + "text"))
        ref = subprocess.run(["pdftotext", "-f", str(k), "-l", str(k), "-enc", "UTF-8", pdf,
                              "-"], capture_output=True, text=True, check=True).stdout
        a = collections.Counter(c for c in text if not c.isspace())
        b = collections.Counter(c for c in ref if not c.isspace())
        if a != b:
            fail("%s: the text layer differs from the PDF's text: only in the SVG %r, "
                 "only in the PDF %r" % (path, "".join((a - b).elements())[:80],
                                         "".join((b - a).elements())[:80]))
        print("%s: %d glyphs from %d definitions, %d characters as in the PDF"
              % (path, len(uses), len(ids), sum(a.values())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
