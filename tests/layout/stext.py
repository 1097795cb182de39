"""stext.py - the lines of a PDF as MuPDF reads them back (tests/readback.py's stext):
per page, lines of characters with their x, advance (from the quad), baseline, size and
font, merged by baseline (MuPDF may cut a line in pieces)."""
import os
import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import readback  # noqa: E402


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
    result = []
    for chars in readback.stext(pdf):
        rows = {}
        for ch in chars:
            if ch.c.strip() or (spaces and ch.c == " "):
                rows.setdefault(round(ch.y, 1), []).append(ch)
        result.append([Line(y, cs) for y, cs in sorted(rows.items())])
    return result
