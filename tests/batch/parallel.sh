#!/usr/bin/env bash
# parallel.sh BULLETIN TESTDIR - the README's GNU parallel recipe for --shard,
# run on this machine (-S : is GNU parallel's name for the local host, in
# place of the README's ssh hosts): two shards into one output directory.
# The union is every input exactly once, with the bytes of a single run.
set -euo pipefail
BIN=$1
. "$2/lib.sh"
need parallel python3
A=$TMP/archive
mkdir -p "$A/2023" "$A/2024"
cp samples/zhuanbao-2023-08.txt "$A/2023/08.txt"
cp samples/gongwen-2023-09.txt "$A/2023/09.txt"
cp samples/jianbao-2024-03.txt "$A/2024/03.txt"
cp tests/golden/jianbao-short.txt "$A/2024/04.txt"
cp tests/golden/gongwen-edge.txt "$A/2024/05.txt"

run "$BIN" batch "$A" -o "$TMP/single"
expect_status 0 "a single run over the archive"

# The recipe: parallel -S HOSTS 'bulletin batch /archive -o /out --shard {}/N' ::: 1..N
run parallel --will-cite -S : "$BIN batch $A -o $TMP/pdfs --shard {}/2 --report $TMP/r{}.json" ::: 1 2
expect_status 0 "GNU parallel runs both shards"

run python3 - "$A" "$TMP" <<'PY'
import json, os, sys
a, t = sys.argv[1], sys.argv[2]
inputs = sorted(os.path.relpath(os.path.join(d, f), a)
                for d, _, fs in os.walk(a) for f in fs if f.endswith(".txt"))
shards = [[os.path.relpath(i["input"], a) for i in json.load(open(f"{t}/r{k}.json"))["issues"]]
          for k in (1, 2)]
assert all(shards), f"a shard got no input: {shards}"
union = sorted(shards[0] + shards[1])
assert union == inputs, f"the shards' inputs {union} are not every input once {inputs}"
outs = sorted(os.path.relpath(os.path.join(d, f), f"{t}/pdfs")
              for d, _, fs in os.walk(f"{t}/pdfs") for f in fs if not f.endswith(".stamp"))
want = sorted(i[:-4] + ".pdf" for i in inputs)
assert outs == want, f"the output directory holds {outs}, expected {want}"
print("shards ok")
PY
expect_status 0 "the shards' union is every input exactly once"
check "the shards' PDFs are the single run's bytes" diff -r "$TMP/single" "$TMP/pdfs"
finish
