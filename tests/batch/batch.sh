#!/usr/bin/env bash
# batch.sh BULLETIN TESTDIR - `bulletin batch` over a directory mixing good
# and bad issues: relative paths kept, the bad one reported with file:line:col
# and left without a PDF, the others rendered, exit status 1, the summary and
# the JSON report; --changed resumes; --shard splits the work exactly.
set -euo pipefail
BIN=$1
. "$2/lib.sh"
A=$TMP/archive
mkdir -p "$A/2023/03" "$A/2023/04" "$A/notes"
cp samples/zhuanbao-2023-08.txt "$A/2023/03/08.txt"
cp tests/golden/jianbao-short.txt "$A/2023/04/03.txt"
cp tests/golden/gongwen-edge.txt "$A/2023/04/09.txt"
printf '报头：甲\n期号：1\n日期：2023年2月30日\n\n# 标题\n\n正文。\n' >"$A/2023/04/bad.txt"
echo "not an issue, and not .txt" >"$A/notes/readme.md"

run "$BIN" batch "$A" -o "$TMP/pdfs" -j 2 --report "$TMP/report.json"
expect_status 1 "a batch with a bad issue exits 1"
expect_file "$TMP/pdfs/2023/03/08.pdf" "relative path kept (2023/03/08)"
expect_file "$TMP/pdfs/2023/04/03.pdf" "second good issue"
expect_file "$TMP/pdfs/2023/04/09.pdf" "third good issue"
expect_no_file "$TMP/pdfs/2023/04/bad.pdf" "the bad issue gets no PDF"
expect_no_file "$TMP/pdfs/notes" "non-.txt files are not inputs"
expect_err_line "$A/2023/04/bad.txt:3:4: error: impossible date '2023年2月30日': there is no 2023-02-30" "the bad issue's error"
check "summary line" grep -qE '^rendered 3, skipped 0, failed 1, pages [0-9]+, ' "$TMP/err"
check "not a terminal: one log line per issue" grep -q "^ok $A/2023/03/08.txt -> $TMP/pdfs/2023/03/08.pdf (6 pages)$" "$TMP/err"
run python3 - "$TMP/report.json" "$A" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
a = sys.argv[2]
assert (r["rendered"], r["skipped"], r["failed"]) == (3, 0, 1), r
bad = [i for i in r["issues"] if i["status"] == "failed"]
assert len(bad) == 1 and bad[0]["input"] == a + "/2023/04/bad.txt", bad
assert bad[0]["error"]["line"] == 3 and bad[0]["error"]["column"] == 4, bad
assert sorted(i["input"] for i in r["issues"]) == sorted(
    a + p for p in ["/2023/03/08.txt", "/2023/04/03.txt", "/2023/04/09.txt", "/2023/04/bad.txt"])
print("report ok")
PY
expect_status 0 "the JSON report"

# Outputs are written by one thread in the order the issues were rendered:
# with -j 1 the log has one line per issue in input order, the failure in
# its place among them.
run "$BIN" batch "$A" -o "$TMP/order" -j 1
expect_status 1 "-j 1: exit status"
grep -E "^(ok |$A/)" "$TMP/err" | sed -E 's/^ok ([^ ]*) .*/\1/; s/:[0-9]+:[0-9]+: error: .*//' \
  >"$TMP/order.txt"
printf '%s\n' "$A/2023/03/08.txt" "$A/2023/04/03.txt" "$A/2023/04/09.txt" "$A/2023/04/bad.txt" \
  >"$TMP/order.want"
check "-j 1: log lines in input order" cmp -s "$TMP/order.txt" "$TMP/order.want"
for f in 2023/03/08 2023/04/03 2023/04/09; do
  check "-j 1: $f.pdf equals the -j 2 one" cmp -s "$TMP/order/$f.pdf" "$TMP/pdfs/$f.pdf"
done

# Outputs are flushed in groups (32 issues, or a quarter of a second): 70
# issues, a failure among them, span three groups. Every line of the log is
# still in input order, every output is there with the bytes of a single
# render, and no temporary file is left.
M=$TMP/many
mkdir -p "$M"
for i in $(seq -w 1 70); do cp tests/golden/jianbao-short.txt "$M/$i.txt"; done
cp "$A/2023/04/bad.txt" "$M/33.txt"
run "$BIN" batch "$M" -o "$TMP/many-out" -j 1
expect_status 1 "70 issues: one failed"
grep -E "^(ok |$M/)" "$TMP/err" | sed -E 's/^ok ([^ ]*) .*/\1/; s/:[0-9]+:[0-9]+: error: .*//' \
  >"$TMP/many.txt"
for i in $(seq -w 1 70); do echo "$M/$i.txt"; done >"$TMP/many.want"
check "70 issues: log lines in input order" cmp -s "$TMP/many.txt" "$TMP/many.want"
check "70 issues: 69 outputs and their stamps, no temporary file" \
  test "$(ls -A "$TMP/many-out" | grep -c '\.pdf$') $(ls -A "$TMP/many-out" | grep -c 'tmp-')" = "69 0"
"$BIN" render tests/golden/jianbao-short.txt -o "$TMP/short.pdf" >/dev/null
check "70 issues: the last output has a single render's bytes" \
  cmp -s "$TMP/short.pdf" "$TMP/many-out/70.pdf"

# The same inputs give the same bytes as `render`.
"$BIN" render "$A/2023/03/08.txt" -o "$TMP/single.pdf" >/dev/null
check "batch output equals render output" cmp -s "$TMP/single.pdf" "$TMP/pdfs/2023/03/08.pdf"

# --changed: nothing newer than its PDF is rendered again; a touched input is.
# The report counts the skipped apart from the rendered.
report_counts() { # report_counts FILE RENDERED SKIPPED FAILED WHAT
  run python3 - "$@" <<'PY'
import json, sys
f, want = sys.argv[1], tuple(int(x) for x in sys.argv[2:5])
r = json.load(open(f))
got = (r["rendered"], r["skipped"], r["failed"])
assert got == want, f"report says rendered, skipped, failed = {got}, expected {want}"
per = tuple(sum(1 for i in r["issues"] if i["status"] == s) for s in ("rendered", "skipped", "failed"))
assert per == want, f"the issues' statuses count {per}, expected {want}"
assert isinstance(r["seconds"], (int, float)), r["seconds"]
PY
  expect_status 0 "$5"
}
run "$BIN" batch "$A" -o "$TMP/pdfs" --changed --report "$TMP/changed.json"
check "--changed skips up-to-date issues" grep -qE '^rendered 0, skipped 3, failed 1, ' "$TMP/err"
report_counts "$TMP/changed.json" 0 3 1 "--changed --report: nothing rendered, 3 skipped"
touch "$A/2023/04/03.txt"
run "$BIN" batch "$A" -o "$TMP/pdfs" --changed --report "$TMP/changed.json"
check "--changed renders a newer input" grep -qE '^rendered 1, skipped 2, failed 1, ' "$TMP/err"
report_counts "$TMP/changed.json" 1 2 1 "--changed --report: 1 rendered, 2 skipped"

# Under a decimal-comma locale the report is still JSON and the summary
# still says "1.5 s", never "1,5 s".
expect_comma_locale
touch "$A/2023/04/03.txt"
run env LC_ALL=$COMMA_LOCALE "$BIN" batch "$A" -o "$TMP/pdfs" --changed --report "$TMP/de.json"
check "the summary under $COMMA_LOCALE has no decimal comma" \
  grep -qE '^rendered 1, skipped 2, failed 1, pages [0-9]+, [0-9]+(\.[0-9]+)? s( \([0-9.]+ issues/s, [0-9.]+ pages/s\))?$' "$TMP/err"
report_counts "$TMP/de.json" 1 2 1 "the report under $COMMA_LOCALE"

# --shard: every input in exactly one of N shards.
for k in 1 2 3; do
  run "$BIN" batch "$A" -o "$TMP/shard$k" --shard $k/3 --report "$TMP/s$k.json"
done
run python3 - "$TMP" <<'PY'
import json, sys
t = sys.argv[1]
seen = [i["input"] for k in (1, 2, 3) for i in json.load(open(f"{t}/s{k}.json"))["issues"]]
assert len(seen) == 4 and len(set(seen)) == 4, seen
print("shards ok")
PY
expect_status 0 "the shards cover every input once"

# A file given directly goes to OUTDIR/NAME.pdf; a missing input is named.
run "$BIN" batch tests/golden/jianbao-short.txt "$TMP/nope.txt" -o "$TMP/direct"
expect_file "$TMP/direct/jianbao-short.pdf" "a file given directly"
expect_err_line "$TMP/nope.txt: error: cannot open: No such file or directory" "a missing input"
expect_status 1 "a missing input fails the batch"
finish
