#!/usr/bin/env python3
"""widths.py PDF: every /W of every CID font in PDF states the advance its
embedded font program has (ISO 19005-2 6.2.11.5), glyph by glyph, and /DW
holds for the rest; and no font program is shared by two fonts (no "narrow
twin" with other widths). Reads the PDF with qpdf's JSON, the programs with
fontTools. Exit 0 when all match; prints each mismatch."""
import base64
import io
import json
import re
import subprocess
import sys

from fontTools.cffLib import CFFFontSet
from fontTools.pens.basePen import NullPen
from fontTools.ttLib import TTFont

raw = subprocess.run(["qpdf", "--json=2", "--json-key=qpdf", "--json-stream-data=inline",
                      "--decode-level=generalized", sys.argv[1]],
                     check=True, capture_output=True).stdout
objs = json.loads(raw)["qpdf"][1]


def obj(ref):
    o = objs["obj:" + ref]
    return o.get("value", o.get("stream", {}).get("dict"))


def data(ref):
    return base64.b64decode(objs["obj:" + ref]["stream"]["data"])


def advances(desc, cidfont):
    """CID (as the content stream uses it) -> advance in 1/1000 em; a
    TrueType program's glyphs are found through the /CIDToGIDMap."""
    if "/FontFile3" in desc:
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(data(desc["/FontFile3"])), None)
        top = cff[cff.fontNames[0]]
        cs = top.CharStrings
        scale = 1000.0 / (1.0 / top.FontMatrix[0] if top.FontMatrix[0] else 1000)
        out = {}
        for name in top.charset:
            cid = int(name[3:]) if name.startswith("cid") else 0
            g = cs[name]
            g.draw(NullPen())  # runs the charstring: its width with the private dict's
            out[cid] = g.width * scale
        return out
    tt = TTFont(io.BytesIO(data(desc["/FontFile2"])))
    upem = tt["head"].unitsPerEm
    order = tt.getGlyphOrder()
    by_gid = {i: tt["hmtx"][g][0] * 1000.0 / upem for i, g in enumerate(order)}
    m = cidfont.get("/CIDToGIDMap", "/Identity")
    if m == "/Identity":
        return by_gid
    b = data(m)
    # CID 0 is .notdef; any other CID mapped to glyph 0 is not in the program.
    return {c: by_gid[(b[2 * c] << 8) | b[2 * c + 1]] for c in range(len(b) // 2)
            if (c == 0 or (b[2 * c] << 8) | b[2 * c + 1]) and
            (b[2 * c] << 8) | b[2 * c + 1] in by_gid}


bad = 0
programs = {}
fonts = 0
for key, o in objs.items():
    v = o.get("value")
    if not isinstance(v, dict) or v.get("/Type") != "/Font" or v.get("/Subtype") not in (
            "/CIDFontType0", "/CIDFontType2"):
        continue
    fonts += 1
    desc = obj(v["/FontDescriptor"])
    prog = desc.get("/FontFile3") or desc.get("/FontFile2")
    if prog in programs:
        print(f"{v['/BaseFont']}: shares its font program with {programs[prog]}")
        bad += 1
    programs[prog] = v["/BaseFont"]
    adv = advances(desc, v)
    stated = {}
    w = v.get("/W", [])
    i = 0
    while i < len(w):
        c = w[i]
        if isinstance(w[i + 1], list):
            for k, x in enumerate(w[i + 1]):
                stated[c + k] = x
            i += 2
        else:
            for g in range(c, w[i + 1] + 1):
                stated[g] = w[i + 2]
            i += 3
    dw = v.get("/DW", 1000)
    # The glyphs shown: those the ToUnicode map names (the subsets keep
    # empty slots for the rest), and those /W names.
    parent = next(f for f in objs.values() if isinstance(f.get("value"), dict)
                  and key.replace("obj:", "") in f["value"].get("/DescendantFonts", []))
    cmap = data(parent["value"]["/ToUnicode"]).decode("latin-1")
    used = {int(m, 16) for m in re.findall(r"^<([0-9A-Fa-f]{4})> <", cmap, re.M)} | set(stated)
    for gid in sorted(used):
        if gid not in adv:
            print(f"{v['/BaseFont']}: glyph {gid} is shown but not in the font program")
            bad += 1
            continue
        a = adv[gid]
        s = stated.get(gid, dw)
        if abs(s - a) > 0.01:
            print(f"{v['/BaseFont']}: glyph {gid}: /W says {s}, the font program {a:.3f}")
            bad += 1
print(f"{fonts} CID fonts checked, {bad} mismatches")
sys.exit(1 if bad or not fonts else 0)
