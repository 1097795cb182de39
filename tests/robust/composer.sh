#!/bin/sh
# composer.sh BULLETIN TESTDIR - hostile text for the shaper and the composer:
# format characters with their Unicode meaning (ZWSP a break, WJ/ZWNBSP/ZWJ
# glue, a tab a space), never "blank boxes"; long runs of combining marks and
# of format characters in linear time (a harness timeout fails a hang).
set -e
BIN=$1
. "$2/lib.sh"
python3 - "$TMP" <<'PY'
import sys
d = sys.argv[1]
head = "报头：测试小组\n期号：2023年第1期\n日期：2023年3月28日\n\n# 标题\n\n"
def w(name, body):
    open(f"{d}/{name}.txt", "w", encoding="utf-8").write(head + body + "\n")
w("zwsp", "文字\u200b" * 40000)
w("zwsp-latin", "abcdefgh\u200b" * 1000)
w("marks", "a" + "\u0301" * 300000)
w("format", "文" + "\u200d\u200b\u2060\ufeff" * 50000)
w("tab", "一二三\t四五六")
# 25 Han, then 末 WJ 尾: without the WJ the line would break between them.
w("wj", "一" * 25 + "末\u2060尾" + "二" * 10)
PY
render() { run timeout 60 "$BIN" render "$TMP/$1.txt" -o "$TMP/$1.pdf"; }

render zwsp
expect_status 0 "40,000 ZWSP"
if grep -q "blank box" "$TMP/err"; then bad "ZWSP is no blank box"; else ok; fi

render zwsp-latin
expect_status 0 "Latin joined by ZWSP"
# Every line breaks at a ZWSP: whole groups of 8 letters.
pdftotext "$TMP/zwsp-latin.pdf" - | grep abc | tr -d ' ' >"$TMP/lines"
check "ZWSP lines hold whole words" python3 -c "
import sys
ls = [l.strip().replace('\u200b', '') for l in open('$TMP/lines', encoding='utf-8') if l.strip()]
sys.exit(0 if len(ls) > 5 and all(len(l) % 8 == 0 and l.startswith('abc') for l in ls) else 1)"

render marks
expect_status 0 "a + 300,000 combining marks"

render format
expect_status 0 "50,000 x ZWJ ZWSP WJ ZWNBSP"
check "format characters: no warnings" test "$(wc -c <"$TMP/err")" -lt 200

render tab
expect_status 0 "a tab"
if grep -q "blank box" "$TMP/err"; then bad "a tab is no blank box"; else ok; fi
check "a tab reads back as a space" sh -c "pdftotext '$TMP/tab.pdf' - | grep -q '一二三 四五六'"

render wj
expect_status 0 "WJ"
pdftotext "$TMP/wj.pdf" - | grep -E '一|二|末|尾' >"$TMP/wjl"
check "no break at WJ: the second line starts with 末" sh -c "sed -n 2p '$TMP/wjl' | grep -q '^末'"
check "WJ not drawn: 末尾 read back together" grep -q '末尾' "$TMP/wjl"
finish
