#!/usr/bin/env bash
# `make soak [SOAK_RUNS=N]` (default 50): N full runs of the suite with one
# core kept busy by a spinning process, then every check whose verdict was
# not the same in all runs, and the slowest checks.  Exit 1 when a verdict
# changed.  The runs' results stay in build/soak/.
set -u
cd "$(dirname "$0")/.."
B=${B:-build}
runs=${1:-50}
work=$B/soak
rm -rf "$work"
mkdir -p "$work"

# One core busy for the whole soak: the load a shared CI machine adds.
( while :; do :; done ) &
busy=$!
trap 'kill $busy 2>/dev/null' EXIT

# "id verdict seconds" per check of a results.xml.
triples() {
	xmllint --xpath '//check/@id | //check/@verdict | //check/@seconds' "$1" |
		tr ' ' '\n' | sed -n 's/^\(id\|verdict\|seconds\)="\(.*\)"$/\2/p' | paste - - -
}

started=$SECONDS
for i in $(seq 1 "$runs"); do
	t=$SECONDS
	"$B/netconform" run --out "$work/run-$i" >"$work/run-$i.log" 2>&1
	status=$?
	if [ $status -gt 1 ]; then
		echo "soak: run $i: exit status $status (see $work/run-$i.log)"
		exit 2
	fi
	triples "$work/run-$i/results.xml" | sed "s/^/$i\t/" >>"$work/all.tsv"
	printf 'soak: run %d/%d: exit %d, %d s\n' "$i" "$runs" $status $((SECONDS - t))
done

echo "soak: $runs full runs in $((SECONDS - started)) s, one core busy"
# Verdicts that were not the same in every run: "id: pass x48, fail x2 (runs 7 31)".
changed=$(awk -F'\t' '
	{ n[$2 "\t" $3]++; if (!($2 in first)) first[$2] = $3
	  if ($3 != first[$2]) { odd[$2] = odd[$2] " " $1; flaky[$2] = 1 } }
	END {
		for (key in n) { split(key, k, "\t"); counts[k[1]] = counts[k[1]] " " k[2] " x" n[key] }
		for (id in flaky) printf "  %s:%s (runs differing from the first:%s)\n", id, counts[id], odd[id]
	}' "$work/all.tsv" | sort)
if [ -n "$changed" ]; then
	echo "soak: $(echo "$changed" | wc -l) checks changed verdict between runs:"
	echo "$changed"
else
	echo "soak: 0 verdict changes in $runs runs under load"
fi
echo "soak: the slowest checks (longest of any run, and the median):"
awk -F'\t' '{ print $2 "\t" $4 }' "$work/all.tsv" | sort -t$'\t' -k1,1 -k2,2g |
	awk -F'\t' '
		$1 != id { if (id != "") out(); id = $1; n = 0 }
		{ s[++n] = $2 }
		function out() { printf "%s\t%s\t%s\n", s[n], s[int((n + 1) / 2)], id }
		END { out() }' |
	sort -t$'\t' -k1,1gr | head -10 |
	awk -F'\t' '{ printf "  %8.3f s  (median %.3f s)  %s\n", $1, $2, $3 }'
[ -z "$changed" ]
