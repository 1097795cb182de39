#!/bin/sh
# archival.sh BULLETIN TESTDIR - PDF/A and tagging, read back by validators
# and readers: Apache PDFBox's preflight says every sample rendered with
# --pdfa=1b "is a valid PDF/A-1b file"; the rules where PDF/A-2b differs
# (identification part 2, PDF 1.7 header allowed, no CIDSet needed) hold in
# --pdfa=2b files, which carry the XMP identification, the CMYK output
# intent and the /ID; a layout's `pdfa = 2b` does the same as the switch;
# PDF/A output is deterministic; only the outline root has /Type /Outlines;
# every file is tagged (pdfinfo -struct-text reads the headings and
# paragraphs in order with their text) and its page numbers are artifacts.
set -e
BIN=$1
. "$2/lib.sh"
export TZ=UTC
for tool in qpdf pdfinfo java; do
  command -v $tool >/dev/null || { echo "SKIP: $tool is not installed" >&2; exit 77; }
done
J=/usr/share/java
CP=$J/preflight.jar:$J/pdfbox2.jar:$J/fontbox2.jar:$J/xmpbox.jar:$J/commons-logging.jar:$J/javax.activation.jar:$J/jaxb-api.jar
[ -f $J/preflight.jar ] || { echo "SKIP: no PDFBox preflight (libpdfbox2-java)" >&2; exit 77; }
[ -f /usr/share/color/icc/ghostscript/default_cmyk.icc ] || { echo "SKIP: no libgs-common profile" >&2; exit 77; }

for s in samples/*.txt; do
  b=$(basename "$s" .txt)
  run "$BIN" render "$s" --pdfa=1b -o "$TMP/$b-1b.pdf"
  expect_status 0 "$b renders as PDF/A-1b"
  run java -cp "$CP" org.apache.pdfbox.preflight.Validator_A1b "$TMP/$b-1b.pdf"
  expect_out_has "is a valid PDF/A-1b file" "$b: PDFBox preflight"
  run "$BIN" render "$s" --pdfa=1b -o "$TMP/$b-1b-again.pdf"
  check "$b: PDF/A-1b output is byte-identical run to run" cmp -s "$TMP/$b-1b.pdf" "$TMP/$b-1b-again.pdf"
  run "$BIN" render "$s" --pdfa=2b -o "$TMP/$b-2b.pdf"
  expect_status 0 "$b renders as PDF/A-2b"
  run "$BIN" render "$s" -o "$TMP/$b.pdf"
  expect_status 0 "$b renders plain"
done

# The parts' rules, read from the files' objects.
run /usr/bin/python3 - "$TMP" <<'PY'
import json, re, subprocess, sys, glob
tmp = sys.argv[1]
bad = 0
def objects(path):
    out = subprocess.run(["qpdf", "--json=2", "--json-key=qpdf", "--json-stream-data=inline",
                          "--decode-level=generalized", path], check=True, capture_output=True).stdout
    return json.loads(out)["qpdf"]
def fail(msg):
    global bad
    print("FAIL:", msg)
    bad = 1
import base64
for path in sorted(glob.glob(tmp + "/*.pdf")):
    if path.endswith("-again.pdf"):
        continue
    part = 1 if path.endswith("-1b.pdf") else 2 if path.endswith("-2b.pdf") else 0
    head = open(path, "rb").read(16)
    q = objects(path)
    trailer = q[1]["trailer"]["value"]
    objs = q[1]
    def get(ref):
        o = objs["obj:" + ref]
        return o.get("value", o.get("stream", {}).get("dict"))
    cat = get(trailer["/Root"])
    if not re.match(rb"%PDF-1\.[0-7]\n%[\x80-\xff]{4}", head):
        fail(f"{path}: header {head!r}")
    if part == 1 and not head.startswith(b"%PDF-1.4"):
        fail(f"{path}: PDF/A-1 needs PDF 1.4 at most")
    if "/ID" not in trailer or len(trailer["/ID"]) != 2:
        fail(f"{path}: no /ID")
    # Tagging, always.
    if cat.get("/MarkInfo", {}).get("/Marked") is not True or cat.get("/Lang") != "u:zh-CN" \
            or "/StructTreeRoot" not in cat or cat.get("/ViewerPreferences", {}).get("/DisplayDocTitle") is not True:
        fail(f"{path}: not marked as tagged, or no /Lang zh-CN, or no DisplayDocTitle")
    # /Type /Outlines on the root only.
    if "/Outlines" in cat:
        root = cat["/Outlines"]
        for k, o in objs.items():
            v = o.get("value")
            if isinstance(v, dict) and v.get("/Type") == "/Outlines" and k != "obj:" + root:
                fail(f"{path}: {k} is an outline entry with /Type /Outlines")
    cidsets = sum(1 for o in objs.values() if isinstance(o.get("value"), dict) and "/CIDSet" in o["value"])
    if part == 0:
        if "/Metadata" in cat or "/OutputIntents" in cat:
            fail(f"{path}: a plain PDF with PDF/A objects")
        continue
    xmp = base64.b64decode(objs["obj:" + cat["/Metadata"]]["stream"]["data"]).decode()
    if f"<pdfaid:part>{part}</pdfaid:part>" not in xmp or "<pdfaid:conformance>B</pdfaid:conformance>" not in xmp:
        fail(f"{path}: XMP lacks the PDF/A-{part}b identification")
    info = get(trailer["/Info"])
    for key, tag in (("/Title", "dc:title"), ("/Creator", "xmp:CreatorTool"), ("/Producer", "pdf:Producer")):
        val = info.get(key, "u:")[2:]
        if val and val.replace("&", "&amp;").replace("<", "&lt;") not in xmp:
            fail(f"{path}: XMP {tag} is not Info {key} {val!r}")
    oi = cat.get("/OutputIntents", [])
    if len(oi) != 1:
        fail(f"{path}: {len(oi)} output intents")
    else:
        d = get(oi[0])
        prof = get(d["/DestOutputProfile"])
        if d.get("/S") != "/GTS_PDFA1" or prof.get("/N") != 4:
            fail(f"{path}: the output intent is not a CMYK GTS_PDFA1 one")
    if part == 1 and cidsets == 0:
        fail(f"{path}: PDF/A-1b without CIDSet")
    if part == 2 and cidsets != 0:
        fail(f"{path}: PDF/A-2b with a CIDSet (not needed; it must then be complete)")
    if part == 2 and not head.startswith(b"%PDF-1.7"):
        fail(f"{path}: PDF/A-2b should say PDF 1.7, the version it is based on")
print("checked")
sys.exit(bad)
PY
expect_status 0 "the PDF/A-1b, PDF/A-2b and plain files' objects"
[ "$status" -eq 0 ] || cat "$TMP/out" >&2

# A layout that asks for PDF/A-2b gives what --pdfa=2b gives.
printf 'base = zhuanbao\n[page]\npdfa = 2b\n' >"$TMP/a2b.layout"
run "$BIN" render samples/jianbao-2024-03.txt --layout "$TMP/a2b.layout" -o "$TMP/layout.pdf"
expect_status 0 "a layout with pdfa = 2b"
check "its file says PDF/A-2b" grep -aq '<pdfaid:part>2</pdfaid:part>' "$TMP/layout.pdf"
mkdir -p "$TMP/in" "$TMP/batch"
cp samples/jianbao-2024-03.txt "$TMP/in/"
run "$BIN" batch "$TMP/in" -o "$TMP/batch" --pdfa=2b -j 1
expect_status 0 "batch --pdfa=2b"
check "batch writes PDF/A-2b" grep -aq '<pdfaid:part>2</pdfaid:part>' "$TMP/batch/jianbao-2024-03.pdf"
run "$BIN" batch "$TMP/in" -o "$TMP/batch2" --pdfa=2u
expect_status 2 "batch --pdfa=2u is refused"
run "$BIN" render samples/jianbao-2024-03.txt --pdfa=3u -o "$TMP/x.pdf"
expect_status 2 "--pdfa=3u is refused"
expect_err_has "--pdfa takes 1b or 2b, not '3u'" "--pdfa=3u message"

# Tagging: the tree reads back in order with its text.
run pdfinfo -struct-text "$TMP/jianbao-2024-03.pdf"
expect_status 0 "pdfinfo -struct-text"
tr -d '\n ' <"$TMP/out" >"$TMP/tree"
for want in 'Document' 'Div' 'P(block)"工作简报"' '"全市职工技能竞赛启动"' \
    'H1(block)"全市职工技能竞赛启动"P(block)"2月28日，全市职工技能竞赛在市工人文化宫启动，来自120"' '"抄送："'; do
  check "the structure tree has $want" grep -qF "$want" "$TMP/tree"
done
run pdfinfo -struct-text "$TMP/zhuanbao-2023-08.pdf"
tr -d '\n ' <"$TMP/out" >"$TMP/tree"
check "the 目录 is a TOC of TOCIs (a one-article issue has none)" grep -qF 'TOCTOCI' "$TMP/tree"
check "工作信息 items are a list" grep -qF 'H1(block)"工作信息"L(block)LI(block)LBody(block)H2(block)"◆"' "$TMP/tree"
check "a heading run in is part of its paragraph" grep -qF 'P(block)"一、严密组织督查。""2022年，河北省产业工人队伍建设改革"' "$TMP/tree"
check "page numbers are no part of the tree" sh -c "! grep -qF '— 1 —' '$TMP/tree' && ! grep -qF '—1—' '$TMP/tree'"
finish
