#!/bin/sh
# gongwen.sh BULLETIN TESTDIR - the GB/T 9704-2012 公文 frame: the 下行文 and 上行文
# samples measured from their PDFs (frame.py, clause by clause), and the layout's
# refusals of what it cannot place, at the input's line and column.
set -e
BIN=$1
. "$2/lib.sh"
HERE=$(dirname "$0")
export PYTHONDONTWRITEBYTECODE=1 # frame_lib is imported: leave no __pycache__ in the tree
for tool in mutool python3; do
  command -v $tool >/dev/null || { echo "SKIP: $tool is not installed" >&2; exit 77; }
done

for s in down:xiaxing up:shangxing; do
  kind=${s%%:*}
  src=samples/gongwen-${s#*:}-2023.txt
  run "$BIN" render "$src" -o "$TMP/$kind.pdf" --dump-layout "$TMP/$kind.json"
  expect_status 0 "render $src"
  run python3 "$HERE/frame.py" $kind "$TMP/$kind.pdf"
  cat "$TMP/out"
  expect_status 0 "every element of $src where GB/T 9704 puts it"
done
# What wraps or gives way: a two-line 主送, a long attachment name, a 署名 the date fits under.
cat >"$TMP/wraps.txt" <<'TXT'
报头：河北省总工会
发文字号：冀工发〔2023〕13号
日期：2023年4月3日

# 关于报送统计表的通知
主送：各省、自治区、直辖市总工会，新疆生产建设兵团总工会，各全国产业工会，中央和国家机关工会联合会，中华全国铁路总工会：

请于2023年6月30日前报送统计表。

附件：关于产业工人队伍建设改革督查情况和各地各产业工会推进工作情况的统计表
署名：中华全国总工会产业工人队伍建设改革工作领导小组
附注：（此件公开发布）
TXT
run "$BIN" render "$TMP/wraps.txt" --layout gongwen -o "$TMP/wraps.pdf"
expect_status 0 "render the made-up 公文"
run python3 "$HERE/wraps.py" "$TMP/wraps.pdf"
cat "$TMP/out"
expect_status 0 "wrapped and shifted 公文 elements where GB/T 9704 puts them"
# A 公文 without 署名 signs with its 报头, dated by the header; a lone 紧急程度 takes line 1.
printf '紧急程度：加急\n报头：河北省总工会\n发文字号：冀工发〔2023〕14号\n日期：2023-05-06\n\n# 关于开展职工技能竞赛的通知\n主送：各市总工会\n\n现将有关事项通知如下。\n' >"$TMP/d.txt"
run "$BIN" render "$TMP/d.txt" --layout gongwen -o "$TMP/d.pdf"
expect_status 0 "render a 公文 without 署名"
run python3 - "$TMP/d.pdf" "$HERE" <<'PY'
import sys
sys.path.insert(0, sys.argv[2])
import frame_lib as F
segs = [s for p in F.pages_of(sys.argv[1]) for s in p]
u = F.find(segs, r"^加急$", "7.2.3: 紧急程度")
if u:
    F.near(u["y"], F.TOP + 0.88 * F.BODY, "7.2.3: alone, 紧急程度 on line 1")
    F.near(u["x0"], F.LEFT, "7.2.3: flush left")
body = F.find(segs, r"^现将有关事项通知如下。$", "the body")
sig = [s for s in segs if s["text"] == "河北省总工会"]
date = F.find(segs, r"^2023年5月6日$", "7.3.5: the header's 日期 as 成文日期")
F.check(len(sig) == 1, "7.3.5: the 报头 signs a 公文 without 署名")
if body and sig and date:
    F.near(sig[0]["y"], body["y"] + 2 * F.PITCH, "7.3.5.2: 署名 one blank line below the body")
    F.near(date["y"], sig[0]["y"] + F.PITCH, "7.3.5.2: the date on the next line")
F.done()
PY
cat "$TMP/out"
expect_status 0 "a 公文 signed by its 报头"
# The dump names the elements.
for el in copy-number classification urgency mark doc-number recipients attachment signature \
          sign-date annotation; do
  check "the dump of the 下行文 has '$el'" grep -q "\"element\":\"$el\"" "$TMP/down.json"
done
for el in signer-label signer doc-number; do
  check "the dump of the 上行文 has '$el'" grep -q "\"element\":\"$el\"" "$TMP/up.json"
done
# A 公文's PDF is titled by its title.
run pdfinfo "$TMP/down.pdf"
expect_out_has "Title:           关于做好2023年产业工人队伍建设改革督查工作的通知" "the PDF title of a 公文"
expect_out_has "Subject:         产改发〔2023〕5号" "the PDF subject of a 公文 is its 发文字号"

# What a layout cannot place is an error naming the field's line and column.
run "$BIN" render samples/gongwen-xiaxing-2023.txt --layout zhuanbao -o "$TMP/z.pdf"
expect_status 1 "a 公文 with a bulletin layout"
expect_err_has "samples/gongwen-xiaxing-2023.txt:10:6: error: a 公文 (发文字号) is placed by a layout with the 公文 frame ([document] and [closing]), such as 版式：gongwen; the layout 'zhuanbao' has none" \
  "the refusal names the 发文字号"
expect_no_file "$TMP/z.pdf" "no PDF for a refused 公文"
printf '报头：测试小组\n期号：2023年第1期\n日期：2023年3月28日\n\n# 文章\n主送：各单位\n\n正文。\n' >"$TMP/b.txt"
run "$BIN" render "$TMP/b.txt" -o "$TMP/b.pdf"
expect_status 1 "主送 in a bulletin with a bulletin layout"
expect_err_has "b.txt:6:4: error: 主送 is placed by a layout with the 公文 frame" "the refusal names the 主送"
printf '报头：测试小组\n期号：2023年第1期\n日期：2023年3月28日\n\n# 文章\n\n正文。\n\n署名：测试小组\n' >"$TMP/s.txt"
run "$BIN" render "$TMP/s.txt" --layout zhuanbao -o "$TMP/s.pdf"
expect_status 1 "署名 with a bulletin layout"
expect_err_has "s.txt:9:4: error: 署名 is placed by a layout" "the refusal names the 署名"
# ... but a bulletin may end with them in the gongwen layout, under its own masthead.
run "$BIN" render "$TMP/s.txt" --layout gongwen -o "$TMP/s.pdf"
expect_status 0 "a bulletin with 署名 in the gongwen layout"
check "the 署名 is printed" sh -c "pdftotext '$TMP/s.pdf' - | grep -q '^测试小组$'"
check "with the header's date as 成文日期" sh -c "pdftotext '$TMP/s.pdf' - | tr -d ' ' | grep -q '^2023年3月28日$'"
# A 标志 too long for the block at the smallest size.
printf '报头：中华人民共和国国家发展和改革委员会中华人民共和国财政部联合工作领导小组办公室\n发文字号：发改〔2023〕1号\n日期：2023年3月28日\n\n# 通知\n\n正文。\n' >"$TMP/w.txt"
run "$BIN" render "$TMP/w.txt" --layout gongwen -o "$TMP/w.pdf"
expect_status 1 "a 标志 too wide"
expect_err_has "w.txt:1:4: error: the 发文机关标志 does not fit the text block's width at 18 pt ([document] mark-min-size): use the body's short name (规范化简称, GB/T 9704 7.2.4)" \
  "the 标志 error names the 报头"
# A 版头 that leaves page 1 no room for the title and text.
python3 -c "
s = ''.join('报头：第%d机关单位名称\\n' % i for i in range(16))
s += '发文字号：联发〔2023〕1号\\n日期：2023-01-01\\n\\n# 通知\\n\\n正文。\\n'
open('$TMP/many.txt', 'w', encoding='utf-8').write(s)"
run "$BIN" render "$TMP/many.txt" --layout gongwen -o "$TMP/many.pdf"
expect_status 1 "a 版头 too tall for page 1"
expect_err_has "many.txt:1:4: error: the 版头 of this 公文 (16 发文机关, 0 签发人) reaches" "the 版头 error names the first 报头"
# Malformed fields stop at check, with line and column (all of them: tests/parse).
printf '报头：甲\n发文字号：甲发[2023]5号\n日期：2023-04-05\n\n# 标题\n\n正文。\n' >"$TMP/m.txt"
run "$BIN" check "$TMP/m.txt"
expect_status 1 "a malformed 发文字号"
expect_err_has "m.txt:2:8: error: 发文字号 '甲发[2023]5号': put the year in 六角括号 〔〕" "the 发文字号 error"
finish
