#!/usr/bin/env python3
"""frame.py KIND PDF - every element of a 公文 read back from the PDF where GB/T 9704-2012
puts it, in mm from the page's top-left corner, within 0.5 mm.

KIND is "down" (samples/gongwen-xiaxing-2023.txt, a 下行文 using every field) or "up"
(samples/gongwen-shangxing-2023.txt, a 上行文 with 签发人). Characters come from MuPDF
(`mutool draw -F stext`: each character's origin on its baseline, its box, its size and
colour); rules from `mutool trace`. The figures are the clauses' (layouts/gongwen.layout
cites them): the text block 28 mm from the left, 37 mm from the top, 156 × 225 mm;
22 lines of 16 pt (pitch (225 mm − 16 pt) / 21); 1 字 = 156 mm / 28. Top edges are the
em box's, 0.88 em above the baseline; bottom edges 0.12 em below it."""
import re
import subprocess
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import frame_lib as F  # noqa: E402

kind, pdf = sys.argv[1], sys.argv[2]
pages = F.pages_of(pdf)
p1 = pages[0]

# 7.2.4 发文机关标志: red, centred, its top edge 35 mm below the text block's top edge.
marks = [s for s in p1 if s["y"] < 110 and s["color"] not in ("#000000",)]
F.check(len(marks) >= 1 and all(s["color"] == "#ff0000" for s in marks),
        f"a red 发文机关标志 on page 1 ({[s['color'] for s in marks]})")
if not marks:
    F.done()
mark_top = min(F.top(s) for s in marks)
F.near(mark_top, F.TOP + 35, "7.2.4: the 标志's top edge 35 mm below the block's top (72 mm)")
mx0, mx1 = min(s["x0"] for s in marks), max(s["x1"] for s in marks)
F.near((mx0 + mx1) / 2, (F.LEFT + F.RIGHT) / 2, "7.2.4: the 标志 centred on the text block")
F.check(mx0 >= F.LEFT - F.TOL and mx1 <= F.RIGHT + F.TOL, "7.2.4: the 标志 inside the text block's width")
F.check(all(s["text"] for s in marks) and "".join(s["text"] for s in marks).endswith("文件") or
      any(s["text"].endswith("文件") or s["text"] == "文件" for s in marks), "7.2.4: the 标志 ends in 文件")
mark_bottom = max(F.bottom(s) for s in marks)
rules = F.rules_of(pdf, 1)
red_rules = [r for r in rules if r["color"] == "0 1 1 0"]
F.check(len(red_rules) == 1, f"7.2.7: one red rule on page 1 ({len(red_rules)})")

if kind == "down":
    # 7.2.1-7.2.3: 份号 (6 digits), 密级★保密期限, 紧急程度 flush left on lines 1, 2, 3.
    for pat, n, what in (("^000012$", 1, "7.2.1: 份号 000012"), ("^秘密★1年$", 2, "7.2.2: 密级★保密期限"),
                         ("^特急$", 3, "7.2.3: 紧急程度")):
        s = F.find(p1, pat, what)
        if s:
            F.near(s["x0"], F.LEFT, f"{what} flush left")
            F.near(s["y"], F.TOP + 0.88 * F.BODY + (n - 1) * F.PITCH, f"{what} on line {n}")
    # 7.2.2-7.2.3: 密级 and 紧急程度 in one face (黑体), not the body's.
    cls, urg = F.find(p1, "^秘密", "密级"), F.find(p1, "^特急$", "紧急程度")
    rec0 = F.find(p1, r"：$", "主送")
    if cls and urg and rec0:
        F.check(cls["fonts"][0] == urg["fonts"][0] != rec0["fonts"][0],
                f"7.2.2-7.2.3: 密级 and 紧急程度 in 黑体 ({cls['fonts'][0]}, body {rec0['fonts'][0]})")
    # 7.2.4, joint: the names stacked at one width, 文件 to their right, centred on the stack.
    names = [s for s in marks if s["text"] != "文件"]
    word = [s for s in marks if s["text"] == "文件"]
    F.check(len(names) == 2 and len(word) == 1, f"7.2.4: two stacked names and 文件 ({[s['text'] for s in marks]})")
    if len(names) == 2 and word:
        F.check(names[0]["text"].startswith("推进") and names[1]["text"].startswith("中华"),
              "7.2.4: the 主办机关 first")
        F.near(names[1]["x0"], names[0]["x0"], "7.2.4: stacked names start together")
        F.near(names[1]["x1"], names[0]["x1"], "7.2.4: stacked names end together")
        F.check(word[0]["x0"] > names[0]["x1"], "7.2.4: 文件 right of the names")
        F.near((F.top(word[0]) + F.bottom(word[0])) / 2, (F.top(names[0]) + F.bottom(names[1])) / 2,
             "7.2.4: 文件 centred on the stack")
    # 7.2.5: 发文字号 centred, two blank lines below the 标志.
    num = F.find(p1, r"^产改发〔2023〕5号$", "7.2.5: 发文字号")
    if num:
        F.near((num["x0"] + num["x1"]) / 2, (F.LEFT + F.RIGHT) / 2, "7.2.5: 发文字号 centred")
        F.near(F.top(num), mark_bottom + 2 * F.PITCH, "7.2.5: 发文字号 two lines below the 标志")
        if red_rules:
            r = red_rules[0]
            F.near(r["y"], num["y"] + 4, "7.2.7: the red rule 4 mm below the 发文字号")
else:
    # 7.2.4: one body, one line.
    F.check(len(marks) == 1 and marks[0]["text"] == "河北省总工会文件", "7.2.4: the 标志 河北省总工会文件")
    # 7.2.6: 签发人 right, indented 1 字, two lines below the 标志; two names a line,
    # the next line under the first name; 7.2.5: 发文字号 left, 1 字 in, on the last line.
    lab = F.find(p1, r"^签发人：张志强", "7.2.6: 签发人 with the first name")
    second = F.find(p1, r"^王建华$", "7.2.6: the third 签发人 on a second line")
    num = F.find(p1, r"^冀工发〔2023〕12号$", "7.2.5: 发文字号 of a 上行文")
    if lab and second:
        # 7.2.6: "签发人" in 仿宋 (the body's face), the names in 楷体 (another)
        F.check(lab["fonts"][0] != lab["fonts"][-1] == second["fonts"][0],
                f"7.2.6: 签发人 label and names in two faces ({lab['fonts'][0]}, {lab['fonts'][-1]})")
        F.check(lab["fonts"][0] == num["fonts"][0] if num else False,
                "7.2.6: the label in the 发文字号's 仿宋")
    if lab and second and num:
        F.near(F.top(lab), mark_bottom + 2 * F.PITCH, "7.2.6: 签发人 two lines below the 标志")
        F.near(lab["x1"], F.RIGHT - F.ZI, "7.2.6: 签发人 right, indented 1 字")
        F.near(second["y"], lab["y"] + F.PITCH, "7.2.6: the second 签发人 line one line lower")
        # the first name's x: where 张 starts on the first line
        out = subprocess.run(["mutool", "draw", "-q", "-F", "stext", "-o", "-", pdf, "1"],
                             capture_output=True, text=True, check=True).stdout
        m = re.search(r'x="([\d.]+)" y="[\d.]+" color="[^"]*" c="&#x5f20;"', out)  # 张
        first_name_x = float(m.group(1)) / F.MM if m else None
        F.near(second["x0"], first_name_x, "7.2.6: a later line under the first name")
        F.near(num["x0"], F.LEFT + F.ZI, "7.2.5: 发文字号 left, indented 1 字")
        F.near(num["y"], second["y"], "7.2.5: 发文字号 on the last 签发人's line")
        if red_rules:
            F.near(red_rules[0]["y"], num["y"] + 4, "7.2.7: the red rule 4 mm below the 发文字号")
if red_rules:
    r = red_rules[0]
    F.near(r["x0"], F.LEFT, "7.2.7: the rule from the block's left edge")
    F.near(r["x1"], F.RIGHT, "7.2.7: the rule to the block's right edge")

# 7.3.1: the title below the rule, centred, 小标宋 二号.
titles = [s for s in p1 if abs(s["size"] - 22 / F.MM) < 0.01]
F.check(titles, "7.3.1: a 二号 title on page 1")
if titles and red_rules:
    F.check(min(F.top(s) for s in titles) > red_rules[0]["y"], "7.3.1: the title below the red rule")
    # 7.3.1: 红色分隔线下空二行 - two blank grid lines (2 pitches) between the rule's lower edge
    # and the title's line, the title's baseline where that line's body baseline is (0.88 em of
    # 三号 below the line's top; a 二号 title rises above it, as on any line of the flow): 26.0 mm
    # below the rule. ±0.5 mm as for the other clauses; a title that kept the page grid would be
    # off by the part of a line the 版头 leaves over (up to 10.4 mm: 35.2 mm before 7.3.1's fix).
    r = red_rules[0]
    first_title = min(titles, key=lambda s: s["y"])
    F.near(first_title["y"], r["y"] + r["w"] / F.MM / 2 + 2 * F.PITCH + 0.88 * F.BODY,
           "7.3.1: the title two blank lines below the red rule")
    for s in titles:
        F.near((s["x0"] + s["x1"]) / 2, (F.LEFT + F.RIGHT) / 2, f"7.3.1: title line '{s['text']}' centred", 1.0)
# 7.3.2: 主送 one line below the title, flush left, ending in a full-width colon; the body on
# the next line.
rec = F.find(p1, r"：$", "7.3.2: 主送")
if rec and titles:
    last_title = max(titles, key=lambda s: s["y"])
    F.near(rec["y"], last_title["y"] + 2 * F.PITCH, "7.3.2: 主送 one blank line below the title")
    F.near(rec["x0"], F.LEFT, "7.3.2: 主送 flush left")
    body = [s for s in p1 if s["y"] > rec["y"] + 0.1]
    if body:
        first = min(body, key=lambda s: s["y"])
        F.near(first["y"], rec["y"] + F.PITCH, "7.3.3: the body on the line after the 主送")
        F.near(first["x0"], F.LEFT + 2 * F.ZI, "7.3.3: the body's first line indented 2 字")

# The end of the body (7.3.4-7.3.6) on the last page with text.
endp = [p for p in pages if any("日" in s["text"] and re.search(r"^\d{4}年\d+月\d+日$", s["text"]) for s in p)]
F.check(endp, "7.3.5: a page with the 成文日期")
if endp:
    p = endp[0]
    date = F.find(p, r"^2023年4月(3|10)日$", "7.3.5: 成文日期")
    sigs = [s for s in p if s["text"] in ("推进产业工人队伍建设改革协调小组", "中华全国总工会办公厅", "河北省总工会")]
    body = [s for s in p if s["x0"] < F.LEFT + 2.5 * F.ZI and not s["text"].startswith("（") and
            date and s["y"] < date["y"] and not s["text"].startswith("附件") and
            not re.match(r"^\d\.", s["text"]) and s not in sigs]
    last_body = max(body, key=lambda s: s["y"]) if body else None
    above = last_body
    if kind == "down":
        # 7.3.4: 附件说明 one line below the body, 2 字 in; the second under the first's number.
        att = F.find(p, r"^附件：1\.2023年", "7.3.4: 附件：1.…")
        att2 = F.find(p, r"^2\.产业工人", "7.3.4: the second attachment")
        if att and last_body:
            F.near(att["y"], last_body["y"] + 2 * F.PITCH, "7.3.4: 附件说明 one blank line below the body")
            F.near(att["x0"], F.LEFT + 2 * F.ZI, "7.3.4: 附件 indented 2 字")
        if att and att2:
            F.near(att2["y"], att["y"] + F.PITCH, "7.3.4: the next attachment on the next line")
            out = subprocess.run(["mutool", "draw", "-q", "-F", "stext", "-o", "-", pdf],
                                 capture_output=True, text=True, check=True).stdout
            ys = round(att["y"] * F.MM, 2)
            xs = [float(x) / F.MM for x, y in re.findall(r'x="([\d.]+)" y="([\d.]+)" color="[^"]*" c="1"', out)
                  if abs(float(y) - ys) < 0.05]
            F.near(att2["x0"], xs[0] if xs else None, "7.3.4: numbers aligned under the first's")
        above = att2 or above
        F.check(len(sigs) == 2, "7.3.5: two 署名 for a joint document")
    else:
        F.check(len(sigs) == 1, "7.3.5: one 署名")
    if sigs and date and above:
        sigs.sort(key=lambda s: s["y"])
        F.near(sigs[0]["y"], above["y"] + 2 * F.PITCH, "7.3.5.2: 署名 one blank line below the body or 附件说明")
        r = F.RIGHT - sigs[0]["x1"]
        F.check(r >= 2 * F.ZI - F.TOL, f"7.3.5.2: 署名 at least 2 字 from the right ({r:.2f} mm)")
        for s in sigs[1:]:
            F.near(s["x1"], sigs[0]["x1"], "7.3.5.2: joint 署名 right-aligned together")
            F.near(s["y"], sigs[0]["y"] + F.PITCH, "7.3.5.2: the next 署名 on the next line")
        F.near(date["y"], sigs[-1]["y"] + F.PITCH, "7.3.5.2: 成文日期 on the line after the 署名")
        dr = F.RIGHT - date["x1"]
        F.check(dr >= 2 * F.ZI - F.TOL, f"7.3.5.2: 成文日期 at least 2 字 from the right ({dr:.2f} mm)")
        if abs(dr - 2 * F.ZI) > F.TOL:  # the date fits: 署名 2 字 in, date 2 字 right of its start
            F.near(r, 2 * F.ZI, "7.3.5.2: 署名 right, indented 2 字")
        F.near(date["x0"], sigs[-1]["x0"] + 2 * F.ZI, "7.3.5.2: 成文日期 first character 2 字 right of the 署名's")
    if kind == "down" and date:
        note = F.find(p, r"^（联系人", "7.3.6: 附注")
        if note:
            F.near(note["y"], date["y"] + F.PITCH, "7.3.6: 附注 on the line after the 成文日期")
            # the bracket's cell starts 2 字 in (an opening bracket at a line start may be set
            # in half its width, its ink where the full-width one's is)
            F.check(abs(note["x0"] - (F.LEFT + 2 * F.ZI)) <= F.TOL or
                  abs(note["x0"] + 0.5 * F.BODY - (F.LEFT + 2 * F.ZI)) <= F.TOL,
                  f"7.3.6: 附注 indented 2 字 ({note['x0']:.2f} mm)")
            F.check(note["text"].endswith("）"), "7.3.6: 附注 in round brackets")

# 7.4, 7.5 as for bulletins: the 版记's last rule on the block's bottom on an even last page,
# page numbers 7 mm below the block.
n = len(pages)
F.check(n % 2 == 0, f"7.5: the 版记 on an even page ({n} pages)")
last_rules = F.rules_of(pdf, n)
F.check(any(abs(r["y"] - F.BOTTOM) < F.TOL for r in last_rules), "7.4.1: the last 版记 rule on the block's bottom")
for k, p in enumerate(pages, 1):
    fol = [s for s in p if re.match(r"^—\d+—$", s["text"])]
    F.check(len(fol) == 1, f"7.5: page {k} numbered")
    if fol:
        F.near(fol[0]["y"] - 0.38 * fol[0]["size"], F.BOTTOM + 7, f"7.5: page {k}'s number 7 mm below the block")
F.done()
