#!/usr/bin/env python3
"""wraps.py PDF - the 公文 elements that wrap or give way, on tests/gongwen's made-up 公文 (its
body's page full at the 署名, which moves to the next page with its date):
a 主送 of two lines (both flush left, GB/T 9704 7.3.2), a single attachment whose name wraps
under its first character (7.3.4), a 署名 long enough that the date fits under it — 署名 2 字
from the right, the date 2 字 right of its first character (7.3.5.2) —, and a 附注 typed in
brackets kept as typed (7.3.6). Positions from MuPDF, in mm, within 0.5 mm."""
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import frame_lib as F  # noqa: E402

pages = F.pages_of(sys.argv[1])
segs = [s for p in pages for s in p]
rec = [s for s in pages[0] if s["text"].startswith("各省") or s["text"].endswith("总工会：")]
F.check(len(rec) == 2, f"7.3.2: the 主送 on two lines ({[s['text'] for s in rec]})")
if len(rec) == 2:
    F.near(rec[0]["x0"], F.LEFT, "7.3.2: 主送 flush left")
    F.near(rec[1]["x0"], F.LEFT, "7.3.2: its second line flush left")
    F.check(rec[1]["text"].endswith("："), "7.3.2: a full-width colon after the last body")
att = F.find(segs, r"^附件：关于", "7.3.4: 附件 unnumbered when alone")
wrap = F.find(segs, r"^会推进工作情况的统计表$", "7.3.4: the attachment's name wraps")
if att and wrap:
    F.near(att["x0"], F.LEFT + 2 * F.ZI, "7.3.4: 附件 indented 2 字")
    F.near(wrap["x0"], F.LEFT + 2 * F.ZI + 3 * F.ZI, "7.3.4: the wrapped name under its first character")
    F.near(wrap["y"], att["y"] + F.PITCH, "7.3.4: on the next line")
sig = F.find(segs, r"^中华全国总工会产业工人队伍建设改革工作领导小组$", "7.3.5: a long 署名")
date = F.find(segs, r"^2023年4月3日$", "7.3.5: 成文日期")
if sig and date:
    F.near(sig["x1"], F.RIGHT - 2 * F.ZI, "7.3.5.2: 署名 right, indented 2 字")
    F.near(date["x0"], sig["x0"] + 2 * F.ZI, "7.3.5.2: the date 2 字 right of the 署名's first character")
    F.near(date["y"], sig["y"] + F.PITCH, "7.3.5.2: the date on the next line")
note = F.find(segs, r"^（此件公开发布）$", "7.3.6: a bracketed 附注 kept as typed")
if note and date:
    F.near(note["y"], date["y"] + F.PITCH, "7.3.6: 附注 on the line after the date")
F.done()
