#!/usr/bin/env python3
"""composer_check.py DIR - reads back DIR/titles.pdf, punct.pdf and url.pdf (made by
composer.sh) with MuPDF and checks the composer's choices on the default layout:

titles: typed spaces, then word boundaries; never inside 《》; no line far shorter than
        the one above; 工作信息 headings too (GB/T 9704 7.3.1)
punct:  a straight left edge (an opening mark at a line start keeps its cell); a mark
        between two characters keeps its cell unless the line pulls a character in, and
        then at most two marks give way; never more than one character beyond the grid
url:    a URL breaks after / or before . ? & = -; the lines before it are on the grid
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from stext import pages  # noqa: E402

MM = 72 / 25.4
LEFT, WIDTH = 28 * MM, 156 * MM
PITCH = WIDTH / 28
MARKS = set("，。、；：？！“”‘’（）《》〈〉【】—…·")
OPENING = set("“‘（《〈【")
WORDS = ["政治", "推进", "建设", "治理", "意见", "办公厅", "进一步", "格式", "条例", "通知", "标准",
         "工作", "情况", "通报", "安排", "考核", "评价", "改革", "产业", "队伍", "处理", "党政", "机关"]
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


def split_words(lines):
    """The words of WORDS that a break between consecutive lines cuts."""
    cut = []
    for a, b in zip(lines, lines[1:]):
        for w in WORDS:
            for k in range(1, len(w)):
                if a.endswith(w[:k]) and b.startswith(w[k:]):
                    cut.append(f"{a[-3:]} / {b[:3]} ({w})")
    return cut


def in_quotes(lines):
    depth, bad = 0, []
    for ln in lines[:-1]:
        for ch in ln:
            depth += ch in "《“"
            depth -= ch in "》”"
        if depth > 0:
            bad.append(ln)
    return bad


d = sys.argv[1]

# ---- titles
ps = pages(os.path.join(d, "titles.pdf"))
groups = []
for p in ps:
    cur = []
    for ln in p:
        if ln.size >= 20 and len(ln.text) > 4:
            if cur and ln.y - cur[-1].y > 2 * ln.size:
                groups.append(cur)
                cur = []
            cur.append(ln)
    if cur:
        groups.append(cur)
titles = [[ln.text for ln in g] for g in groups]
check(["中共中央办公厅国务院办公厅关于进一步", "推进政治建设和加强基层治理的实施意见"] in titles,
      f"the first title broken at its words ({titles})")
second = [t for t in titles if t[0].startswith("关于印发")]
check(len(second) == 1, f"the second title found ({titles})")
for t, g in zip(titles, groups):
    check(not split_words(t), f"title lines end at words: {split_words(t)}")
    check(not in_quotes(t), f"no title line ends inside 《》: {t}")
    for a, b in zip(g, g[1:]):
        wa, wb = a.x1 - a.x0, b.x1 - b.x0
        check(wb >= 0.6 * wa, f"no title line far shorter than the one above: {t}")
# The 工作信息 heading (3号 黑体).
heads = [ln.text for p in ps for ln in p if "Sans" in ln.chars[0].font or "Hei" in ln.chars[0].font]
hl = [h for h in heads if h and ("关于推进" in h or "下一步" in h or "工作的安排" in h)]
check(len(hl) == 2, f"the 工作信息 heading wraps to two lines ({heads})")
check(not split_words(hl), f"the heading breaks at a word: {split_words(hl)}")

# The 目录 on page 1: an entry that wraps breaks at words, never inside 《》.
entries, cur = [], []
for ln in ps[0]:
    if abs(ln.size - 16) > 0.1 or "Sans" not in ln.chars[0].font or ln.text.startswith("目"):
        continue
    if ln.text.startswith("◆") and cur:
        entries.append(cur)
        cur = []
    cur.append(ln.text.lstrip("◆ "))
if cur:
    entries.append(cur)
check(sum(len(e) > 1 for e in entries) >= 2, f"目录 entries that wrap ({entries})")
for e in entries:
    check(not split_words(e), f"目录 entry breaks at a word: {split_words(e)}")
    check(not in_quotes(e), f"目录 entry not broken inside 《》: {e}")

# ---- punctuation
body_text = open(os.path.join(d, "punct.txt"), encoding="utf-8").read()
body_text = "".join(body_text.split("# 标点", 1)[1].split())
squeezed_lines = 0
for pi, p in enumerate(pages(os.path.join(d, "punct.pdf"))):
    for ln in p:
        if abs(ln.size - 16) > 0.1 or len(ln.text) < 6 or ln.text not in body_text:
            continue
        first = abs(ln.x0 - (LEFT + 2 * PITCH)) < 0.3
        check(first or abs(ln.x0 - LEFT) < 0.3,
              f"page {pi+1}: line starts at {ln.x0 / MM:.1f} mm, not 28.0 (or the indent): {ln.text[:12]}")
        cs = ln.chars
        iso = sum(1 for i in range(1, len(cs) - 1)
                  if cs[i].c in MARKS and cs[i - 1].c not in MARKS and cs[i + 1].c not in MARKS
                  and cs[i + 1].x - cs[i].x < 0.75 * 16)
        cells = 26 if first else 28
        cjk_only = all(ord(ch.c) > 0x2000 for ch in cs)
        check(iso <= 2, f"page {pi+1}: {iso} mid-line marks squeezed: {ln.text[:16]}")
        if cjk_only:
            check(len(cs) <= cells + 1, f"page {pi+1}: {len(cs)} characters in {cells} cells")
            check(iso == 0 or len(cs) > cells,
                  f"page {pi+1}: a mark squeezed in a line that fits: {ln.text[:16]}")
        squeezed_lines += iso > 0
check(passed > 20, "body lines of punct.pdf found")

# ---- URL
url = "https://www.example.gov.cn/zhengce/content/2023-03/28/content_5748933.htm?from=timeline&isappinstalled=0&share=weixin-friend"
para = "".join(open(os.path.join(d, "url.txt"), encoding="utf-8").read().split("# 网址", 1)[1].split())
lines = [ln for p in pages(os.path.join(d, "url.pdf")) for ln in p
         if abs(ln.size - 16) < 0.1 and len(ln.text) > 4 and ln.text.replace(" ", "") in para]
text = [ln.text for ln in lines]
joined = "".join(text)
check(url in joined.replace(" ", ""), "the URL reads back whole")
joined = joined.replace(" ", "")
text = [t.replace(" ", "") for t in text]
start = joined.find(url)
pos = 0
for i, t in enumerate(text):
    end = pos + len(t)
    if start < end < start + len(url):
        nxt = text[i + 1] if i + 1 < len(text) else ""
        check(t.endswith("/") or nxt[:1] in ".?&=-", f"URL broken at a slash or before . ? & = -: {t[-6:]} / {nxt[:6]}")
    if end <= start:
        # A line before the URL: on the grid, not letter-spaced.
        cs = lines[i].chars
        gaps = [b.x - a.x for a, b in zip(cs, cs[1:]) if a.c not in MARKS and b.c not in MARKS
                and ord(a.c) > 0x2000 and ord(b.c) > 0x2000]
        # At most about two characters' room spread over the line (the issue
        # saw 22-24 characters in 28 cells before a URL).
        check(gaps and max(gaps) < 1.1 * PITCH,
              f"line before the URL not letter-spaced (pitch {max(gaps or [0]):.2f} pt, grid {PITCH:.2f})")
    pos = end
# ---- Latin quotes in a Latin passage, Chinese ones in Chinese text. A Latin
# quote's width is the room it takes between its neighbours (a face without
# pwid, FandolFang, has its full-width glyph set in a proportional box: the
# box MuPDF reads is the glyph's full width); a Chinese one's is its glyph's.
nquotes = 0
for ln in [ln for p in pages(os.path.join(d, "latin.pdf"), spaces=True) for ln in p
           if abs(ln.size - 16) < 0.1]:
    chars = ln.chars
    for i, ch in enumerate(chars):
        if ch.c not in "“”‘’":
            continue
        nquotes += 1
        nb = chars[i + 1].c if ch.c in "“‘" else chars[i - 1].c
        latin = nb.isascii() and nb.isalnum()
        if latin and 0 < i < len(chars) - 1:
            w = chars[i + 1].x - chars[i - 1].x1
        else:
            w = ch.x1 - ch.x
        check((w < 0.6 * 16) if latin else (abs(w - 16) < 0.5),
              f"quote {ch.c} next to {nb}: {w:.1f} pt wide ({'Latin' if latin else 'Chinese'})")
check(nquotes == 6, "six quotes in latin.pdf")
# ---- hyphenated Latin words: a line ending in a hyphen continues the word on the next
# line; the hyphen ends at the measure; no line before a long word is letter-spaced.
src = "".join(open(os.path.join(d, "hyphen.txt"), encoding="utf-8").read().split("# 连字", 1)[1].split())
lines = [ln for p in pages(os.path.join(d, "hyphen.pdf")) for ln in p
         if abs(ln.size - 16) < 0.1 and len(ln.text) > 4]
hyph = 0
for a, b in zip(lines, lines[1:]):
    if a.text.endswith("-") and a.text[-2:-1].isalpha():
        hyph += 1
        bt = b.text[:-1] if b.text.endswith("-") else b.text
        check((a.text[:-1] + bt).replace(" ", "") in src, f"hyphen joins a word: {a.text[-8:]} / {b.text[:8]}")
        check(abs(a.x1 - (LEFT + WIDTH)) < 0.6, f"the hyphen ends at the measure ({a.x1 / MM:.1f} mm)")
check(hyph >= 2, f"long words are hyphenated ({hyph} hyphens)")
for ln in lines:
    cs = ln.chars
    gaps = [b.x - a.x for a, b in zip(cs, cs[1:]) if ord(a.c) > 0x3000 and ord(b.c) > 0x3000
            and a.c not in MARKS and b.c not in MARKS]
    check(not gaps or max(gaps) < 1.25 * PITCH, f"no letter-spaced line: {ln.text[:12]} ({max(gaps or [0]):.1f} pt)")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
