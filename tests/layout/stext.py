"""stext.py - the lines of a PDF as MuPDF reads them back (`mutool draw -F
stext`): per page, lines of characters with their x, advance (from the quad),
baseline, size and font, merged by baseline (MuPDF may cut a line in pieces)."""
import html
import re
import subprocess

CHAR = re.compile(r'<char quad="([-\d.e ]+)" x="([-\d.e]+)" y="([-\d.e]+)"[^>]* c="([^"]*)"/>')
FONT = re.compile(r'<font name="([^"]*)" size="([\d.]+)">')


class Char:
    __slots__ = ("c", "x", "x1", "y", "size", "font")


class Line:
    def __init__(self, y, chars):
        self.y = y
        self.chars = chars  # content order: MuPDF gives a ligature's letters one x
        self.text = "".join(ch.c for ch in self.chars)
        self.x0 = self.chars[0].x
        self.x1 = max(ch.x1 for ch in self.chars)
        self.size = max(ch.size for ch in self.chars)


def pages(pdf, spaces=False):
    """Per page, its lines; with spaces, a line keeps its space characters."""
    out = subprocess.run(["mutool", "draw", "-F", "stext", "-o", "-", pdf], capture_output=True,
                         text=True, check=True).stdout
    result = []
    for page in out.split("<page ")[1:]:
        rows = {}
        font, size = "", 0.0
        for tok in re.finditer(r'<font [^>]*>|<char [^>]*/>', page):
            t = tok.group(0)
            m = FONT.match(t)
            if m:
                font, size = m.group(1), float(m.group(2))
                continue
            m = CHAR.match(t)
            if not m:
                continue
            q = [float(v) for v in m.group(1).split()]
            ch = Char()
            ch.c = html.unescape(m.group(4))
            ch.x, ch.x1 = q[0], q[2]
            ch.y = round(float(m.group(3)), 1)
            ch.size, ch.font = size, font
            if ch.c.strip() or (spaces and ch.c == " "):
                rows.setdefault(ch.y, []).append(ch)
        result.append([Line(y, cs) for y, cs in sorted(rows.items())])
    return result
