#!/usr/bin/env python3
"""positions.py DUMP.json PDF LONG.json - asserts where GB/T 9704 puts things, on the
default layout: the text block 28 mm from the left, 156 mm wide, 37 mm from the
top; 22 body lines on a full page, 28 characters in a full line; page numbers
7 mm below the text block, odd pages right, even pages left; the last 版记 rule
on the bottom edge of the text block of an even last page."""
import json
import re
import subprocess
import sys

MM = 72 / 25.4
PAGE_H = 297 * MM
LEFT, RIGHT = 28 * MM, 184 * MM
TOP = PAGE_H - 37 * MM
BOTTOM = 35 * MM
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


dump = json.load(open(sys.argv[1], encoding="utf-8"))
pages = dump["pages"]
body = [[i for i in p["items"] if i.get("element") in ("body", "heading1", "heading2")]
        for p in pages]

# Full body lines span the text block exactly. The dump's x extent is the
# glyph boxes': a mark compressed to ½ 字 at a line's end or an opening
# bracket compressed at its start reaches half an em beyond the block.
OPENING = set("（“‘《「『【〔〈")
CLOSING = set("，。、；：？！”’）》」』】〕〉")
full = 0
for p in body:
    lines = {}
    for it in p:
        lines.setdefault(it["baseline"], []).append(it)
    for y, runs in lines.items():
        runs.sort(key=lambda r: r["x0"])
        x0, x1 = runs[0]["x0"], max(r["x1"] for r in runs)
        lo = LEFT - (8.5 if runs[0]["text"][:1] in OPENING else 0.5)
        hi = RIGHT + (8.5 if runs[-1]["text"][-1:] in CLOSING else 0.5)
        if abs(x0 - LEFT) < 0.5 and (abs(x1 - RIGHT) < 0.5 or abs(x1 - RIGHT - 8) < 0.5):
            full += 1
        check(lo <= x0 and x1 <= hi, f"body line at y={y} inside the block ({x0}..{x1})")
check(full >= 40, f"at least 40 full body lines span 28..184 mm (found {full})")

# A full page of body text has 22 lines on the grid, the first em box at the top.
long = json.load(open(sys.argv[3], encoding="utf-8"))["pages"]
counts = [len({i["baseline"] for i in p["items"] if i.get("element") == "body"}) for p in long]
check(22 in counts, f"a page with 22 body lines (lines per page: {counts})")
pitch = (TOP - BOTTOM - 16) / 21
for n, p in enumerate(body):
    for it in p:
        k = (TOP - 0.88 * 16 - it["baseline"]) / pitch
        check(abs(k - round(k)) < 0.01, f"page {n+1}: body baseline {it['baseline']} on the grid")
tops = [max(it["baseline"] for it in p) for p in body if p]
check(any(abs(t - (TOP - 0.88 * 16)) < 0.05 for t in tops), "a body line's em box at the top of the block")

# Page numbers: 7 mm below the block, odd right, even left, 14 pt.
for n, p in enumerate(pages, 1):
    fol = [i for i in p["items"] if i.get("element") == "folio"]
    if p["label"] is None:
        check(not fol, f"page {n} unnumbered has no folio")
        continue
    check(len(fol) == 1, f"page {n} has one page number")
    if not fol:
        continue
    f = fol[0]
    check(f["text"] == f"— {n} —", f"page {n} number text is '— {n} —' ({f['text']})")
    check(abs(f["size"] - 14) < 0.01, "page numbers are 4号")
    dash_y = f["baseline"] + 0.38 * 14
    check(abs(dash_y - (BOTTOM - 7 * MM)) < 0.5, f"page {n} number 7 mm below the block")
    if n % 2:
        check(abs(f["x1"] - (RIGHT - 14)) < 1.0, f"odd page {n} number right, indented 1 字")
    else:
        check(abs(f["x0"] - (LEFT + 14)) < 0.5, f"even page {n} number left, indented 1 字")

# The 版记: its last rule on the bottom edge of the last page's text block, an even page.
last = pages[-1]
rules = [i for i in last["items"] if i.get("rule") == "footer-rule"]
check(len(rules) >= 3, "the last page has the 版记 rules")
check(any(abs(r["y0"] - BOTTOM) < 0.01 for r in rules), "last 版记 rule on the block's bottom")
check(len(pages) % 2 == 0, "the 版记 page is even")
check(all(abs(r["x0"] - LEFT) < 0.01 and abs(r["x1"] - RIGHT) < 0.01 for r in rules),
      "版记 rules as wide as the text block")

# The masthead: red, centred, on page 1, with its rule.
first = pages[0]["items"]
mh = [i for i in first if i.get("element") == "masthead"]
check(len(mh) >= 1 and mh[0]["color"] == ["cmyk", 0, 1, 1, 0], "red masthead on page 1")
if mh:
    mid = (min(i["x0"] for i in mh) + max(i["x1"] for i in mh)) / 2
    check(abs(mid - (LEFT + RIGHT) / 2) < 1.0, "masthead centred")
check(any(i.get("rule") == "masthead-rule" for i in first), "masthead rule on page 1")

# The PDF read back agrees: the text block's left edge and top from pdftotext.
out = subprocess.run(["pdftotext", "-bbox-layout", sys.argv[2], "-"], capture_output=True,
                     text=True, check=True).stdout
xs = [round(float(x), 1) for x in re.findall(r'<line xMin="([\d.]+)"', out)]
common = max(set(xs), key=xs.count) if xs else None
check(common is not None and abs(common - LEFT) < 0.5, f"lines start at 28 mm in the PDF ({common})")
check(min(xs) >= LEFT - 8.01, f"no text left of the block but a compressed bracket ({min(xs)})")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
