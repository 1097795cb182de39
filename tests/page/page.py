#!/usr/bin/env python3
"""page.py BULLETIN TMPDIR - the page as a document clerk checks it, on issues
written here, read back from the PDF by MuPDF (`mutool trace`: every glyph
with its character, font, size and origin; every stroked rule):

  fonts     the body in 仿宋 (FandolFang), rare characters from a fallback,
            page numbers in 宋体, sources in 楷体
  source    a run-in item source is one unit: on the last line or on its own
  masthead  the 报头 never below body-min-size, wrapped into two balanced
            lines; joint bodies at one size aligned at both ends; the
            classification on a line of its own; nothing above the text block
  footer    版记 hanging alignment within 0.3 mm, author's lines kept, a long
            印发 office clear of the date
  space     item-space-before = 0.5 is half a line, the next line on the grid;
            no 目录 for one article; the dump names the keep rule of a short page
  gongwen   the title two grid lines below the red rule
"""
import json
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import readback  # noqa: E402

BIN, TMP = sys.argv[1], sys.argv[2]
MM = 72 / 25.4
PAGE_H = 297 * MM
LEFT, RIGHT = 28 * MM, 184 * MM
TOP, BOTTOM = PAGE_H - 37 * MM, 35 * MM
PITCH = (TOP - BOTTOM - 16) / 21
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


def baseline(k):
    """Baseline of grid line k (0 = first) of the default layout."""
    return TOP - 0.88 * 16 - k * PITCH


HEAD = "报头：测试小组\n期号：2023年第1期\n日期：2023年3月28日\n"


def render(name, text, *args):
    src = os.path.join(TMP, name + ".txt")
    pdf = os.path.join(TMP, name + ".pdf")
    dump = os.path.join(TMP, name + ".json")
    with open(src, "w", encoding="utf-8") as f:
        f.write(text)
    r = subprocess.run([BIN, "render", src, "-o", pdf, "--dump-layout", dump, *args],
                       capture_output=True, text=True)
    check(r.returncode == 0, f"render {name}: {r.stderr.strip()}")
    return pdf, json.load(open(dump, encoding="utf-8"))


def read_pdf(pdf):
    """Glyphs and rules of every page (PDF coordinates): each glyph gets its x1, top and
    bottom (em box); a rule is (page, x0, y0, x1, y1, width)."""
    glyphs, paths, _ = readback.trace(pdf)
    for g in glyphs:
        g.x1 = g.x + g.adv * g.size
        g.top, g.bottom = g.y + 0.88 * g.size, g.y - 0.12 * g.size
    rules = [(p.page, *p.points[0], *p.points[1], p.width) for p in paths if len(p.points) >= 2]
    return glyphs, rules


def lines_of(glyphs, page=None):
    """Glyphs grouped by page and baseline, each line sorted left to right."""
    rows = {}
    for g in glyphs:
        if page is None or g.page == page:
            rows.setdefault((g.page, round(g.y, 1)), []).append(g)
    return {k: sorted(v, key=lambda g: g.x) for k, v in sorted(rows.items(),
                                                               key=lambda kv: (kv[0][0], -kv[0][1]))}


def text_of(row):
    return "".join(g.ch for g in row)


def find(glyphs, s, last=False):
    """The glyphs of the first (or last) occurrence of s in reading order."""
    allg = [g for row in lines_of(glyphs).values() for g in row]
    text = "".join(g.ch for g in allg)
    i = text.rfind(s) if last else text.find(s)
    return allg[i:i + len(s)] if i >= 0 else []


CLOSING = set("，。、；：？！”’）》」』】〕〉")
OPENING = set("（“‘《「『【〔〈")


def ink(g):
    """A glyph's horizontal extent: its em box, but the half a CJK mark's
    ink is in when the mark may be set at half width (GB/T 15834)."""
    if g.ch in CLOSING:
        return g.x, g.x + 0.5 * g.size
    if g.ch in OPENING:
        return g.x + 0.5 * g.size, g.x1
    return g.x, g.x1


def overprints(glyphs):
    """Pairs of glyphs on one page whose inked em boxes overlap."""
    bad = []
    byp = {}
    for g in glyphs:
        if g.ch.strip():
            byp.setdefault(g.page, []).append(g)
    for gs in byp.values():
        gs.sort(key=lambda g: g.x)
        for a_i, a in enumerate(gs):
            for b in gs[a_i + 1:]:
                if b.x >= a.x1 + 0.5 * a.size:
                    break
                (a0, a1), (b0, b1) = ink(a), ink(b)
                if min(a1, b1) - max(a0, b0) > 0.3 and min(a.top, b.top) - max(a.bottom, b.bottom) > 0.3:
                    bad.append((a.ch, b.ch, a.page))
    return bad


# ---- 1. fonts ------------------------------------------------------------
BODY = "省协调小组各成员单位立足职责任务，各市严格对照督查考核指标，逐项对照自查。"
pdf, dump = render("fonts", HEAD + "\n# 字体\n来源：某省总工会\n\n" + BODY +
                   "生僻字：䶮、喆、堃、𠮷。\n\n## 工作信息\n\n### 条目\n来源：某市总工会\n\n" + BODY + "\n")
g, _ = read_pdf(pdf)
body = find(g, "省协调小组各成员单位")
check(body and all(x.font == "FandolFang-Regular" for x in body),
      f"the body is set in FandolFang ({body[0].font if body else None})")
for ch in "䶮喆堃𠮷":
    gl = [x for x in find(g, "生僻字：䶮、喆、堃、𠮷") if x.ch == ch]
    check(gl and gl[0].font.startswith("NotoSerifCJK"),
          f"{ch}, which FandolFang lacks, comes from Noto Serif CJK ({gl[0].font if gl else None})")
folio = [x for x in g if x.ch in "123456789" and x.y < BOTTOM]
check(folio and all(x.font.startswith("NotoSerifCJK") for x in folio),
      "page numbers stay 宋体 (Noto Serif CJK)")
src = find(g, "某市总工会")
check(src and src[0].font == "GBZenKai-Medium", f"a source is 楷体, AR PL KaitiM GB "
      f"({src[0].font if src else None})")

# ---- 3. a run-in source is one unit --------------------------------------
# 26 characters on the first line (2 字 indent), 25 on the last: a 7-character
# source has no room after them and goes to a line of its own.
A = "一二三四五六七八九十" * 6
p1 = A[:26] + A[:24] + "。"
p2 = A[:26] + A[:10] + "。"
pdf, dump = render("source", HEAD + "\n## 工作信息\n\n### 条目一\n来源：山西省总工会\n\n" + p1 +
                   "\n\n### 条目二\n来源：四川省总工会\n\n" + p2 + "\n")
g, _ = read_pdf(pdf)
rows = lines_of(g)
for name, alone in (("山西省总工会", True), ("四川省总工会", False)):
    gl = find(g, "（" + name + "）")
    check(len(gl) == len(name) + 2 and len({round(x.y, 1) for x in gl}) == 1,
          f"the source （{name}） is on one line")
    if len(gl) != len(name) + 2:
        continue
    row = rows[(gl[0].page, round(gl[0].y, 1))]
    if alone:
        check(text_of(row) == "（" + name + "）", f"（{name}） is alone on its line: {text_of(row)}")
        end = ink(row[-1])[1]  # a closing bracket at a line's end is ½ 字
        check(abs(end - RIGHT) < 0.5, f"（{name}） flush right ({end:.1f} vs {RIGHT:.1f})")
        prev = [r for (p, y), r in rows.items() if p == gl[0].page and abs(y - gl[0].y - PITCH) < 1]
        check(prev and text_of(prev[0]).endswith("。"),
              "the line above it is the item's last line, ending in 。")
    else:
        check(text_of(row).endswith("。（" + name + "）") and len(row) > len(name) + 2,
              f"（{name}） runs in after the text: {text_of(row)}")

# ---- 6. masthead -----------------------------------------------------------
LONG = "推进产业工人队伍建设改革协调小组暨全国总工会劳动和经济工作部联合"  # 31 characters
pdf, dump = render("mh-long", HEAD.replace("测试小组", LONG) + "\n# 标题\n\n" + BODY + "\n")
g, _ = read_pdf(pdf)
mh = [x for x in g if x.page == 1 and x.color == "0 1 1 0" and x.size < 40]
mrows = lines_of(mh)
check(mh and min(x.size for x in mh) >= 18 - 0.01,
      f"a 31-character 报头 is at least 小二 18 pt ({min(x.size for x in mh) if mh else 0})")
check(len(mrows) == 2, f"... wrapped into two lines ({len(mrows)})")
if len(mrows) == 2:
    a, b = [len(r) for r in mrows.values()]
    check(abs(a - b) <= 1, f"... balanced ({a} and {b} characters)")
    check(text_of(sum(mrows.values(), [])) == LONG, "... all of it, in order")
check(all(LEFT - 0.5 <= x.x and x.x1 <= RIGHT + 0.5 for x in mh), "... inside the text block")

# A 报头 that cannot fit page 1 even at the minimum size is an error at its
# position, not a page with the masthead run off it.
src = os.path.join(TMP, "mh-huge.txt")
with open(src, "w", encoding="utf-8") as f:
    f.write(HEAD.replace("测试小组", "推进产业工人队伍建设改革" * 170) + "\n# 标题\n\n" + BODY + "\n")
r = subprocess.run([BIN, "render", src, "-o", os.path.join(TMP, "mh-huge.pdf")],
                   capture_output=True, text=True)
check(r.returncode == 1 and r.stderr.startswith(src + ":1:4: error: the 报头 (masthead) needs more"),
      f"a 报头 of 2040 characters: exit 1 naming 1:4 ({r.returncode}: {r.stderr[:120]})")
check(not os.path.exists(os.path.join(TMP, "mh-huge.pdf")), "... and no PDF")

pdf, dump = render("mh-joint", "报头：推进产业工人队伍建设改革协调小组\n报头：中华全国总工会办公厅\n" +
                   HEAD.split("\n", 1)[1] + "\n# 标题\n\n" + BODY + "\n")
g, _ = read_pdf(pdf)
mh = [x for x in g if x.page == 1 and x.color == "0 1 1 0" and x.size < 40]
mrows = list(lines_of(mh).values())
check(len(mrows) == 2, "a joint masthead: two lines")
if len(mrows) == 2:
    check(len({x.size for x in mh}) == 1, f"... at one size ({sorted({x.size for x in mh})})")
    check(abs(mrows[0][0].x - mrows[1][0].x) < 0.3 and abs(mrows[0][-1].x1 - mrows[1][-1].x1) < 0.3,
          f"... aligned at both ends ({mrows[0][0].x:.2f}/{mrows[1][0].x:.2f}, "
          f"{mrows[0][-1].x1:.2f}/{mrows[1][-1].x1:.2f})")
    gaps = [b.x - a.x1 for r in mrows for a, b in zip(r, r[1:])]
    check(max(gaps) - min(gaps[:len(mrows[0]) - 1]) > 1, "... the shorter spaced out to the longer")

pdf, dump = render("mh-cls", HEAD + "密级：内部资料　注意保存\n\n# 标题\n\n" + BODY + "\n")
g, _ = read_pdf(pdf)
cls = find(g, "内部资料")
mh = [x for x in g if x.page == 1 and x.color == "0 1 1 0" and x.size < 40]
if cls and mh:
    gap = cls[0].bottom - max(x.top for x in mh)
    check(gap >= PITCH - 16 - 0.1, f"the classification has a line of its own: {gap / MM:.1f} mm "
          f"to the 报头 (at least {(PITCH - 16) / MM:.1f} mm, a line's gap)")
else:
    check(False, "classification and 报头 printed")

# Nothing above the text block (nor below it but the page numbers): a 2号 title
# on a page's first line included.
paras = "\n\n".join(BODY * (3 + i % 3) for i in range(12))
pdf, dump = render("top", HEAD + "\n# 第一篇文章的标题\n\n" + paras + "\n\n# 第二篇文章\n\n" + paras + "\n")
g, _ = read_pdf(pdf)
tops = [x for x in g if x.size == 22 and x.page > 1]
firsts = [x for x in tops if abs(x.top - TOP) < 2 * MM]
check(firsts, "a 2号 title on the first line of a page")
for doc in ("top", "mh-long", "mh-joint", "mh-cls", "fonts"):
    gg, _ = read_pdf(os.path.join(TMP, doc + ".pdf"))
    high = [x for x in gg if x.top > TOP + 0.05]
    check(not high, f"{doc}: nothing above the text block ({[(x.ch, x.page, round((x.top - TOP) / MM, 2)) for x in high[:3]]} mm)")
    low = [x for x in gg if x.bottom < BOTTOM - 0.05 and not (x.y < BOTTOM - 5 * MM)]
    check(not low, f"{doc}: nothing below the text block but the page numbers")
    check(not overprints(gg), f"{doc}: nothing overprints ({overprints(gg)[:3]})")

# ---- 7. 版记 ----------------------------------------------------------------
OFFICE = "中华全国总工会办公厅推进产业工人队伍建设改革协调小组办公室"  # 29 characters
foot = ("报送：中央全面深化改革委员会办公室，王东明。\n"
        "      徐留平、马璐、齐家滨、胡祖才、孙尧、王江平、王东伟、汤涛、谭作钧，全国总工会党组、书记处各同志。\n"
        "抄送：协调小组各组成单位，各省、自治区、直辖市总工会，各全国产业工会，中央和国家机关工会联合会。\n"
        "印发：" + OFFICE + " 2023年3月28日\n")
pdf, dump = render("footer", HEAD + "\n# 标题\n\n" + BODY + "\n\n" + foot)
g, rules = read_pdf(pdf)
last = max(x.page for x in g)
frows = [r for (p, y), r in lines_of(g).items() if p == last and y < TOP - 10 * PITCH]
starts = {}
for r in frows:
    t = text_of(r)
    starts[t] = r
bs = [r for t, r in starts.items() if t.startswith("报送：")]
check(bs, "the 报送 row is printed")
if bs:
    after = bs[0][3].x  # the first character after 报送：
    cont = [r for t, r in starts.items() if not re.match(r"^(报送|抄送)", t) and r[0].size == 14
            and r[0].y > BOTTOM and "印发" not in t and not t.startswith(OFFICE[:4])]
    check(cont, "continuation rows")
    for r in cont:
        check(abs(r[0].x - after) <= 0.3 * MM,
              f"hanging: '{text_of(r)[:6]}…' starts {abs(r[0].x - after) / MM:.2f} mm from the text "
              f"after 报送： (within 0.3 mm)")
    check(text_of(bs[0]) == "报送：中央全面深化改革委员会办公室，王东明。",
          f"the author's first line is a row of its own: {text_of(bs[0])}")
    check(any(text_of(r).startswith("徐留平") for r in cont), "the line the author started anew starts a row")
date = find(g, "2023年3月28日印发")
office = [x for x in g if x.page == last and x.size == 14 and x.ch in OFFICE and date and x.x1 <= date[0].x + 0.1]
check(date and text_of(sorted(find(g, OFFICE[:10]), key=lambda x: x.x))[:10] == OFFICE[:10],
      "the 印发 office printed")
check(date and all(x.x1 <= date[0].x - 0.5 * 14 for x in g if x.page == last and
                   abs(x.y - date[0].y) < 0.5 and x.x < date[0].x),
      "the long office stops short of the date on its row")
check(not overprints(g), f"footer: nothing overprints ({overprints(g)[:3]})")
check(all(LEFT - 0.5 <= x.x and x.x1 <= RIGHT + 0.5 for x in g if x.page == last and x.size == 14 and x.y > BOTTOM),
      "the 版记 inside the text block")

# ---- 8. space on the page ------------------------------------------------
pdf, dump = render("half", HEAD + "\n## 工作信息\n\n### 条目一\n\n" + BODY + "\n\n### 条目二\n\n" + BODY +
                   "\n\n### 条目三\n\n" + BODY + "\n")
g, _ = read_pdf(pdf)
rows = lines_of(g)
for t in ("条目二", "条目三"):
    gl = find(g, t, last=True)  # not the 目录 entry
    if not gl:
        check(False, f"{t} printed")
        continue
    y = gl[0].y
    above = min((yy for (p, yy) in rows if p == gl[0].page and yy > y + 1), default=None)
    below = max((yy for (p, yy) in rows if p == gl[0].page and yy < y - 1), default=None)
    check(above is not None and abs(above - y - 1.5 * PITCH) < 0.1,
          f"item-space-before = 0.5: {t} 1.5 lines below the line above "
          f"({(above - y) / PITCH if above else 0:.2f})")
    k = (baseline(0) - below) / PITCH if below else 0.5
    check(below is not None and abs(k - round(k)) < 0.01, f"the line after {t} back on the grid ({k:.2f})")

pdf, dump = render("one", HEAD + "\n# 唯一的文章\n来源：某省总工会\n\n" + BODY + "\n")
g, _ = read_pdf(pdf)
check(not find(g, "目录") and not find(g, "目　录"), "a one-article issue has no 目录")
t = find(g, "唯一的文章")
check(t and t[0].page == 1, "... and its article starts on page 1")
pdf, dump = render("two", HEAD + "\n# 第一篇\n\n" + BODY + "\n\n# 第二篇\n\n" + BODY + "\n")
g, _ = read_pdf(pdf)
check(find(g, "目　录"), "two articles get a 目录 (min-entries = 2)")

# A title that would fall on a page's last line moves on; the dump says why.
fill = "\n\n".join([BODY * 2] * 40)
pdf, dump = render("short", HEAD + "\n# 第一篇\n\n" + fill + "\n")
notes = [p.get("short") for p in dump["pages"] if p.get("short")]
check(notes, "the dump explains a page that ends short")
pages_g, _ = read_pdf(pdf)
for p in dump["pages"]:
    if p.get("short"):
        n = len({round(x.y, 1) for x in pages_g if x.page == p["page"] and x.size == 16 and x.y > BOTTOM})
        check(n < 22, f"page {p['page']} with a note ends short ({n} lines): {p['short']}")
        check(re.search(r"moved to the next page by: .*(orphan|widow|title|source)", p["short"]),
              f"the note names the keep rule: {p['short']}")

# ---- 9. gongwen: the title two lines below the red rule -------------------
pdf, dump = render("gongwen", HEAD + "版式：gongwen\n\n# 关于某项工作的通知\n\n" + BODY + "\n")
g, rules = read_pdf(pdf)
red = [r for r in rules if r[0] == 1]
title = [x for x in g if x.page == 1 and x.size == 22]
if red and title:
    rule_y = min(r[2] for r in red) - min(r[5] for r in red) / 2
    # the first grid line whose em box clears the rule, then two blank lines
    k0 = next(k for k in range(22) if baseline(k) + 0.88 * 16 <= rule_y + 0.001)
    kt = (baseline(0) - title[0].y) / PITCH
    check(abs(kt - (k0 + 2)) < 0.01, f"gongwen: the title on grid line {kt:.2f}, two below the "
          f"first clear of the rule ({k0})")
else:
    check(False, "gongwen: rule and title printed")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
