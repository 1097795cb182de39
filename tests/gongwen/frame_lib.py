"""frame_lib.py - reading a PDF back for tests/gongwen: MuPDF's characters grouped into
segments (one baseline, no wide gap) and the stroked rules, in mm from the top-left corner;
the GB/T 9704 grid; pass/fail counting."""
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

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
    out = subprocess.run(["mutool", "draw", "-q", "-F", "stext", "-o", "-", pdf],
                         capture_output=True, check=True).stdout
    pages = []
    for page in ET.fromstring(out).iter("page"):
        chars = []
        for font in page.iter("font"):
            size = float(font.get("size")) / MM
            for ch in font.iter("char"):
                q = [float(v) for v in ch.get("quad").split()]
                # the box's right edge, but never more than an em: MuPDF counts a
                # letter-spaced character's spacing (Tc) into its box
                x = float(ch.get("x")) / MM
                chars.append({"c": ch.get("c"), "x": x, "y": float(ch.get("y")) / MM,
                              "x1": min(q[2] / MM, x + size), "size": size,
                              "color": ch.get("color"), "font": font.get("name")})
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
    out = subprocess.run(["mutool", "trace", pdf, str(page)], capture_output=True, text=True,
                         check=True).stdout
    h = 841.8898
    m = re.search(r'<page [^>]*mediabox="[\d.]+ [\d.]+ [\d.]+ ([\d.]+)"', out)
    if m:
        h = float(m.group(1))
    rules = []
    for sp in re.finditer(r'<stroke_path linewidth="([\d.]+)"[^>]*color="([^"]*)"[^>]*>(.*?)</stroke_path>',
                          out, re.S):
        pts = [(float(x), float(y)) for x, y in re.findall(r'x="([\d.]+)" y="([\d.]+)"', sp.group(3))]
        if len(pts) == 2 and abs(pts[0][1] - pts[1][1]) < 0.01:
            rules.append({"y": (h - pts[0][1]) / MM, "x0": pts[0][0] / MM, "x1": pts[1][0] / MM,
                          "w": float(sp.group(1)), "color": sp.group(2)})
    return rules


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
