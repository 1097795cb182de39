#!/usr/bin/env python3
"""text_check.py ISSUE.txt PDF: every paragraph, title, item and footer text of the issue
must come back from the PDF (pdftotext) exactly, modulo white space and page numbers."""
import re
import subprocess
import sys

src, pdf = sys.argv[1], sys.argv[2]
no_toc = "--no-toc" in sys.argv  # a layout without 目录 never prints 目录名
text = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True,
                      text=True, check=True).stdout
flat = re.sub(r"\s+", "", text)
flat = re.sub(r"—\d+—", "", flat)  # page numbers interrupt a paragraph split across pages

expected = []
header = True
para = []
for raw in open(src, encoding="utf-8-sig").read().splitlines():
    line = raw.strip().replace("\u3000", "")
    if line.startswith("%"):
        continue
    if header:
        if not line or line.startswith("#"):
            header = False
        else:
            continue
    if not line:
        if para:
            expected.append("".join(para))
        para = []
        continue
    m = re.match(r"^(#{1,3})\s*(.*)$", line)
    if m:
        expected.append(m.group(2))
        continue
    # The fields of a 公文 (docs/format.md): the 主送 with its colon, an
    # attachment's name without a typed number, 署名 and 附注 as written;
    # the 成文日期 is printed in the Chinese form, so not looked for.
    m = re.match(r"^(主送|附件|署名|成文日期|附注)[：:](.*)$", line)
    if m:
        if para:
            expected.append("".join(para))
            para = []
        v = m.group(2).strip()
        if m.group(1) == "主送":
            expected.append(v.rstrip("：:") + "：")
        elif m.group(1) == "附件":
            expected.append(re.sub(r"^\d{1,3}[.．、]\s*", "", v))
        elif m.group(1) != "成文日期":
            expected.append(v)
        continue
    m = re.match(r"^(来源|目录名|按语|报送|抄送|发送|印发|印数|source|note|toc)[：:](.*)$", line)
    if m:
        if m.group(1) in ("目录名", "toc") and no_toc:
            continue
        if m.group(1) in ("报送", "抄送", "发送"):
            para.append(m.group(1) + "：" + m.group(2))
        else:
            expected.append(m.group(2))
        continue
    para.append(line)
if para:
    expected.append("".join(para))

missing = 0
for e in expected:
    e = re.sub(r"\s+", "", e)
    if e and e not in flat:
        missing += 1
        # Say where it stops matching.
        k = 0
        while k < len(e) and e[: k + 1] in flat:
            k += 1
        print(f"missing from the PDF text: {e[:30]}… (matches up to: …{e[max(0,k-10):k]}|{e[k:k+10]})")
print(f"{len(expected) - missing} passed, {missing} failed")
sys.exit(1 if missing else 0)
