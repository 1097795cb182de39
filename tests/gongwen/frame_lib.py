"""frame_lib.py - reading a PDF back for tests/gongwen (tests/readback.py): MuPDF's characters grouped into
segments (one baseline, no wide gap) and the stroked rules, in mm from the top-left corner;
the GB/T 9704 grid; pass/fail counting."""
import os
import re
import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import readback  # noqa: E402

MM = 72 / 25.4
TOL = 0.5  # mm
LEFT, RIGHT, TOP, BOTTOM = 28.0, 184.0, 37.0, 297.0 - 35.0
BODY = 16 / MM                       # 三号, in mm
PITCH = (225 - BODY) / 21            # grid line pitch
ZI = 156 / 28                        # 1 字 on the grid
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)
    return cond


def near(a, b, what, tol=TOL):
    check(a is not None and abs(a - b) <= tol, f"{what}: {a if a is None else round(a, 2)} mm, "
          f"expected {round(b, 2)} mm")


def pages_of(pdf):
    """Each page's segments: runs of characters on one baseline without a wide gap."""
    pages = []
    for page in readback.stext(pdf):
        chars = []
        for ch in page:
            size, x = ch.size / MM, ch.x / MM
            # the box's right edge, but never more than an em: MuPDF counts a
            # letter-spaced character's spacing (Tc) into its box
            chars.append({"c": ch.c, "x": x, "y": ch.y / MM, "x1": min(ch.x1 / MM, x + size),
                          "size": size, "color": ch.color, "font": ch.font})
        lines = {}
        for ch in chars:
            lines.setdefault(round(ch["y"], 2), []).append(ch)
        segs = []
        for y, cs in sorted(lines.items()):
            cs.sort(key=lambda ch: ch["x"])
            cur = [cs[0]]
            for ch in cs[1:]:
                if ch["x"] - cur[-1]["x1"] > 1.5 * ch["size"]:
                    segs.append(cur)
                    cur = []
                cur.append(ch)
            segs.append(cur)
        # MuPDF adds a space where characters are spread apart: not ink
        segs = [[ch for ch in s if ch["c"].strip()] for s in segs]
        pages.append([{"text": "".join(ch["c"] for ch in s),
                       "x0": s[0]["x"], "x1": max(ch["x1"] for ch in s), "y": s[0]["y"],
                       "size": max(ch["size"] for ch in s), "color": s[0]["color"],
                       "fonts": [ch["font"] for ch in s]}
                      for s in segs if s])
    return pages


def rules_of(pdf, page):
    """Stroked horizontal lines of a page: (y from the top, x0, x1, width, colour), mm."""
    _, paths, heights = readback.trace(pdf, page)
    h = heights.get(page, 841.8898)
    return [{"y": (h - p.points[0][1]) / MM, "x0": p.points[0][0] / MM,
             "x1": p.points[1][0] / MM, "w": p.width, "color": p.color}
            for p in paths if len(p.points) == 2 and abs(p.points[0][1] - p.points[1][1]) < 0.01]


def find(segs, pattern, what):
    for s in segs:
        if re.search(pattern, s["text"]):
            return s
    check(False, f"{what}: no text /{pattern}/ on the page")
    return None


def top(s):
    return s["y"] - 0.88 * s["size"]


def bottom(s):
    return s["y"] + 0.12 * s["size"]


def line_no(s):
    """Which grid line (1-based) the segment's baseline is on."""
    return (s["y"] - (TOP + 0.88 * BODY)) / PITCH + 1




def done():
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
