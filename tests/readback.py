"""readback.py - a PDF read back by MuPDF, for the tests that check what a reader sees: the
one place that runs `mutool` and parses what it prints. Coordinates are PostScript points.

stext(pdf)  characters as MuPDF's text extraction sees them (`mutool draw -F stext`), per page,
            in content order, y growing downwards from the top of the page;
trace(pdf)  every drawn glyph and stroked path (`mutool trace`), y growing upwards (PDF user
            space), with each page's height to turn it over.
Test modules group these into lines or segments as their checks need."""
import re
import subprocess
import xml.etree.ElementTree as ET


class Char:
    """A character of MuPDF's text: c, x (origin), x1 (its quad's right edge), y (baseline,
    from the top), size, font (no subset prefix), color ("#rrggbb")."""

    def __init__(self, c, x, x1, y, size, font, color):
        self.c, self.x, self.x1, self.y = c, x, x1, y
        self.size, self.font, self.color = size, font, color


def stext(pdf, page=None):
    """Per page (all, or the 1-based page given), its characters in content order."""
    args = ["mutool", "draw", "-q", "-F", "stext", "-o", "-", pdf]
    out = subprocess.run(args + ([str(page)] if page else []), capture_output=True,
                         check=True).stdout
    pages = []
    for pg in ET.fromstring(out).iter("page"):
        chars = []
        for font in pg.iter("font"):
            size, name = float(font.get("size")), font.get("name")
            for ch in font.iter("char"):
                q = [float(v) for v in ch.get("quad").split()]
                chars.append(Char(ch.get("c"), float(ch.get("x")), q[2], float(ch.get("y")),
                                  size, name, ch.get("color")))
        pages.append(chars)
    return pages


class Glyph:
    """A glyph MuPDF drew: page (1-based), ch (its Unicode), x, y (origin), size, font (no
    subset prefix), adv (advance in ems), color (the device values, "0 1 1 0")."""

    def __init__(self, page, ch, x, y, size, font, adv, color):
        self.page, self.ch, self.x, self.y = page, ch, x, y
        self.size, self.font, self.adv, self.color = size, font, adv, color


class Path:
    """A stroked path: page, width, color and its points [(x, y), ...]."""

    def __init__(self, page, width, color):
        self.page, self.width, self.color, self.points = page, width, color, []


ENTITIES = {"&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"', "&apos;": "'"}


def trace(pdf, page=None):
    """(glyphs, paths, heights): every glyph and stroked path of every page (or of the
    1-based page given), and each page's height by page number."""
    args = ["mutool", "trace", pdf] + ([str(page)] if page else [])
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    glyphs, paths, heights = [], [], {}
    pg = font = color = path = None
    size = 0.0
    for line in out.splitlines():
        m = re.search(r'<page number="(\d+)" mediabox="[-\d.]+ [-\d.]+ [-\d.]+ ([-\d.]+)"', line)
        if m:
            pg = int(m.group(1))
            heights[pg] = float(m.group(2))
            continue
        m = re.search(r'<fill_text .*?color="([^"]*)"', line)
        if m:
            color = m.group(1)
            continue
        m = re.search(r'<span font="(?:[A-Z]{6}\+)?([^"]+)".*trm="([\d.]+) ', line)
        if m:
            font, size = m.group(1), float(m.group(2))
            continue
        m = re.search(r'<g unicode="([^"]*)" glyph="\d+" x="([-\d.]+)" y="([-\d.]+)" adv="([-\d.]+)"',
                      line)
        if m:
            glyphs.append(Glyph(pg, ENTITIES.get(m.group(1), m.group(1)), float(m.group(2)),
                                float(m.group(3)), size, font, float(m.group(4)), color))
            continue
        m = re.search(r'<stroke_path linewidth="([\d.]+)".*?color="([^"]*)"', line)
        if m:
            path = Path(pg, float(m.group(1)), m.group(2))
            continue
        m = re.search(r'<(?:moveto|lineto) x="([-\d.]+)" y="([-\d.]+)"', line)
        if m and path is not None:
            path.points.append((float(m.group(1)), float(m.group(2))))
            continue
        if "</stroke_path>" in line and path is not None:
            paths.append(path)
            path = None
    return glyphs, paths, heights
