#!/bin/sh
# composer.sh BULLETIN TESTDIR - the composer's choices read back from the PDF
# with MuPDF (tests/layout/composer_check.py): titles and headings broken at
# words and never inside 《》, as a trapezoid; punctuation compressed only to
# pull a character in, a straight left edge; URLs broken at their slashes and
# dots with the lines before them on the grid; an emergency break warned with
# file:line:col; an unbreakable unit's error at the unit.
set -e
BIN=$1
. "$2/lib.sh"
HERE=$(dirname "$0")
python3 - "$TMP" <<'PY'
import sys
d = sys.argv[1]
head = "报头：测试小组\n期号：2023年第1期\n日期：2023年3月28日\n\n"
def w(name, body):
    open(f"{d}/{name}.txt", "w", encoding="utf-8").write(head + body + "\n")
w("titles", "# 中共中央办公厅国务院办公厅关于进一步推进政治建设和加强基层治理的实施意见\n\n正文。\n\n"
  "# 关于印发《党政机关公文格式》国家标准和《党政机关公文处理工作条例》的通知\n\n正文。\n\n"
  "# 关于进一步推进产业工人队伍建设改革工作的实施意见\n\n正文。\n\n"
  "# 关于贯彻GB/T 9704—2012《党政机关公文格式》的情况报告\n\n正文。\n\n"
  "## 工作信息\n\n### 关于推进产业工人队伍建设改革评价考核工作情况的通报以及下一步工作的安排\n\n正文。\n")
paras = [
    "“我省产改工作考核获‘优秀’等次，值得祝贺，希望保持成绩，持续深化改革。”省委书记在批示中指出，要以更实举措深化产改。",
    "省委、省政府高度重视督查发现的问题，采取针对性举措推动成果转化。同时，推动各市落实“三做到、四列入”：做到纳入当地发展规划、编制专项规划；做到地方党委主要负责同志高度重视；做到形成落实产改的政策体系。",
    "（一）加强组织领导。各地、各部门要把产业工人队伍建设改革摆上重要议程，纳入当地经济社会发展规划，统筹安排、协调推进，确保各项改革任务落地见效。",
    "“四不两直”的形式实地随机抽查2—3家国有企业和1家以上非公企业，听取企业管理者、技术工人、普通职工、劳模工匠对产改的评价和建议，摸清了改革“最后一公里”的难点堵点。",
]
w("punct", "# 标点\n\n" + "\n\n".join(paras * 3))
w("url", "# 网址\n\n" + "各单位可登录门户网站查询本次督查的全部情况和有关政策文件的具体内容，也可以通过政务服务平台在线提交意见和建议，"
  "详情请访问https://www.example.gov.cn/zhengce/content/2023-03/28/content_5748933.htm?from=timeline&isappinstalled=0&share=weixin-friend了解。")
w("longword", "# 长串\n\n请下载文件content_" + "x" * 100 + ".html后填写。")
w("latin", "# 引号\n\n会上宣读了倡议书，其英文版开头是：We said “Build skills, not walls” and the ‘open’ door. 中文“引号”照旧。")
w("hyphen", "# 连字\n\n" + "会议采用了internationalization和standardization的方法，以及comprehensive的documentation，推动了interoperability与accessibility的持续improvement，提高了effectiveness。" * 3)
w("longtitle", "# 测试" + "y" * 80 + "文\n来源：网站content_" + "z" * 70 + "\n\n正文。")
w("close", "# 括号\n\n第一段。\n\n正文" + "）" * 90)
PY
render() { run timeout 60 "$BIN" render "$TMP/$1.txt" -o "$TMP/$1.pdf"; }
for f in titles punct url latin hyphen; do
  render $f
  expect_status 0 "render $f"
done
run python3 "$HERE/composer_check.py" "$TMP"
cat "$TMP/out"
expect_status 0 "composer checks read back from the PDFs"

render url
if grep -q "warning" "$TMP/err"; then bad "a URL with break points needs no emergency break"; else ok; fi

# No break opportunity fits: broken anyway, with a warning at the break.
render longword
expect_status 0 "an unbreakable 117-character word is set, not refused"
expect_err_has "$TMP/longword.txt:7:" "the emergency break's warning names its line"
check "the warning quotes the word" grep -q "warning: no break opportunity fits the line: '.*xxxx" "$TMP/err"
check "the word is printed whole, over two lines" sh -c \
  "pdftotext '$TMP/longword.pdf' - | tr -d '\n' | grep -q 'content_x\{100\}\.html'"

# In a title and in a 来源 too, the warning points into the token (its
# line, a column past the field's name).
render longtitle
expect_status 0 "a title and a 来源 with unbreakable tokens are set"
check "the title's warning is on its line, inside the token" \
  grep -q "^$TMP/longtitle.txt:5:[0-9][0-9]: warning: no break opportunity fits the line: 'yyy" "$TMP/err"
check "the 来源's warning is on its line, inside the token" \
  grep -q "^$TMP/longtitle.txt:6:[0-9][0-9]: warning: no break opportunity fits the line: 'zzz" "$TMP/err"

# A unit that cannot be set even so: the error points at it, not the paragraph.
render close
expect_status 1 "90 closing brackets"
check "the error is at the unit (line 9, column 2)" grep -q "^$TMP/close.txt:9:2: error: '文）" "$TMP/err"
finish
