#!/usr/bin/env bash
# `make mutate`: runs the suite under each mutant of tests/mutants/*.def
# (build/mutants.so preloaded, NC_MUTANT naming it), against the checks its
# line names, and prints the checks that caught it: a check that fails, or
# an expected failure that passes (xpass) or fails otherwise (other failed
# assertions) than in a run without mutant.  A mutant caught by no check, or
# whose only effect is an error verdict, survived: exit status 1.
#
#   tests/mutants/mutate.sh [NAME...]     (default: every mutant)
#
# MUTATE_JOBS mutants run at once (default: the number of CPUs); OUT keeps
# the runs (default: a temporary directory, removed at the end).
#
# MUTATE_HINTS=FILE ("NAME ID..." a line; tests/mutants/caught-by.txt): each
# mutant runs first against the checks that caught it before, and against
# all of its globs only when those no longer catch it: the same proof, a
# check that claims the mutant's globs turning red, in a fraction of the
# time (make test).  MUTATE_WRITE_HINTS=FILE writes that file from a run
# against the globs: for each mutant, the quickest of the checks that
# caught it (make mutate).
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
bin=$B/netconform dir=$(cd "$B" 2>/dev/null && pwd) defs=(tests/mutants/*.def)
# heldout.so after mutants.so, heldout3.so after heldout.so: each library's
# functions sit under the one's before.
lib=$dir/mutants.so held=$dir/heldout.so held3=$dir/heldout3.so
jobs=${MUTATE_JOBS:-$(nproc 2>/dev/null || echo 2)}
if [ -n "${OUT:-}" ]; then
	out=$OUT
	mkdir -p "$out"
else
	out=$(mktemp -d "${TMPDIR:-/tmp}/netconform-mutate.XXXXXX")
	trap 'rm -rf "$out"' EXIT
fi
[ -x "$bin" ] && [ -f "$lib" ] && [ -f "$held" ] && [ -f "$held3" ] ||
	{ echo "mutate.sh: build $bin, $lib, $held and $held3 first (make mutate)" >&2; exit 2; }

# name <TAB> globs <TAB> what, for every MUTANT line of the table.
sed -n 's/^MUTANT(\([a-z0-9_]*\), "\([^"]*\)", "\([^"]*\)")$/\1\t\2\t\3/p' "${defs[@]}" >"$out/table"
if [ $# -gt 0 ]; then
	for name in "$@"; do
		grep -q "^$name	" "$out/table" || { echo "mutate.sh: no mutant $name in ${defs[*]}" >&2; exit 2; }
	done
	printf '%s\n' "$@" | awk -F'\t' 'NR == FNR { keep[$1] = 1; next } $1 in keep' - "$out/table" \
		>"$out/chosen"
else
	cp "$out/table" "$out/chosen"
fi

# run DIR GLOBS...: the suite on those checks, the library preloaded,
# run_jobs its --jobs option (none: the runner's default).
run_jobs=(--jobs 2)
run() {
	local dir=$1 filters=() glob
	shift
	for glob in "$@"; do filters+=(--filter "$glob"); done
	LD_PRELOAD="$lib $held $held3" "$bin" run "${filters[@]}" "${run_jobs[@]}" --out "$dir" >"$dir.log" 2>&1
	[ -f "$dir/results.xml" ] || { echo "mutate.sh: no results in $dir (see $dir.log)" >&2; return 1; }
}

# verdicts RESULTS: "id verdict file:line,file:line..." per check, the
# file:line of each failed assertion in its message.
verdicts() {
	awk '
	/<check id="/ {
		id = $0; sub(/.*<check id="/, "", id); sub(/".*/, "", id)
		verdict = $0; sub(/.* verdict="/, "", verdict); sub(/".*/, "", verdict)
		lines = ""; in_message = 0; tail = 0
	}
	/<message>/ { in_message = 1 }
	in_message && /output \(tail\):/ { tail = 1 }
	in_message && !tail {
		line = $0; sub(/.*<message>/, "", line)
		if (match(line, /^[A-Za-z0-9_.\/-]+\.c:[0-9]+: /))
			lines = lines (lines ? "," : "") substr(line, 1, RLENGTH - 2)
	}
	/<\/message>/ { in_message = 0 }
	/<\/check>/ { print id, verdict, (lines ? lines : "-") }
	' "$1"
}

# caught_by BASE MUTANT: "id how" for every check that caught the mutant,
# "id error" for checks that only erred.
caught_by() {
	awk 'NR == FNR { verdict[$1] = $2; lines[$1] = $3; next }
	{
		was = ($1 in verdict) ? verdict[$1] : "pass"
		if ($2 == "fail" && (was != "fail" || $3 != lines[$1])) print $1, "fail"
		else if ($2 == "xpass" && was == "xfail") print $1, "xpass"
		else if ($2 == "xfail" && was == "xfail" && $3 != lines[$1]) print $1, "xfail-changed"
		else if ($2 == "error" && was != "error") print $1, "error"
	}' "$1" "$2"
}

# try NAME GLOBS...: the mutant's run against GLOBS, and what caught it in
# $out/NAME.caught; true when some check did.
try() {
	local name=$1
	shift
	NC_MUTANT=$name run "$out/$name" "$@" || return 1
	verdicts "$out/$name/results.xml" >"$out/$name.verdicts"
	caught_by "$out/base.verdicts" "$out/$name.verdicts" >"$out/$name.caught"
	grep -qv ' error$' "$out/$name.caught"
}

# hinted NAME GLOBS: the checks that caught NAME before (MUTATE_HINTS) and
# that its globs still name, if any.
hinted() {
	local name=$1 id glob
	shift
	[ -n "${MUTATE_HINTS:-}" ] || return 0
	for id in $(awk -v n="$name" '$1 == n { $1 = ""; print; exit }' "$MUTATE_HINTS"); do
		for glob in "$@"; do
			# shellcheck disable=SC2053 # a glob, matched as one
			[[ $id == $glob ]] && { echo "$id"; break; }
		done
	done
}

# One mutant: its run and its line of the report, in $out/NAME.result.
mutant() {
	local name=$1 globs=$2 what=$3 caught count hints
	# shellcheck disable=SC2086 # the globs are words
	hints=$(hinted "$name" $globs)
	# shellcheck disable=SC2086 # the globs and ids are words
	[ -n "$hints" ] && try "$name" $hints || try "$name" $globs || [ -f "$out/$name.caught" ] || return 0
	caught=$(grep -v ' error$' "$out/$name.caught" | sed 's/ \(.*\)/ (\1)/' | paste -sd, - | sed 's/,/, /g')
	count=$(grep -vc ' error$' "$out/$name.caught")
	if [ "$count" -gt 0 ]; then
		printf 'caught    %-36s %s\n          by %d: %s\n' "$name" "$what" "$count" "$caught"
	elif grep -q ' error$' "$out/$name.caught"; then
		printf 'SURVIVED  %-36s %s\n          only errors: %s\n' "$name" "$what" \
			"$(cut -d' ' -f1 "$out/$name.caught" | paste -sd' ' -)"
	else
		printf 'SURVIVED  %-36s %s\n          no check changed\n' "$name" "$what"
	fi
}

started=$SECONDS
# The reference: the same checks, the library loaded, no mutant acting.
# It runs alone, at the runner's own --jobs (as make test's whole-suite
# runs do), not two at a time: its 3 s timers two by two took 17 s.
mapfile -t all_globs < <(cut -f2 "$out/chosen" | tr ' ' '\n' | sort -u)
run_jobs=()
run "$out/base" "${all_globs[@]}" || exit 2
run_jobs=(--jobs 2)
verdicts "$out/base/results.xml" >"$out/base.verdicts"
# Loaded but idle, the library must change nothing: a red reference would
# hide what the mutants do.
if awk '$2 == "fail" || $2 == "xpass" || $2 == "error" { bad = 1 } END { exit !bad }' \
	"$out/base.verdicts"; then
	echo "mutate.sh: the run without mutant is not green:" >&2
	awk '$2 == "fail" || $2 == "xpass" || $2 == "error" { print "  " $1, $2 }' \
		"$out/base.verdicts" >&2
	exit 2
fi

running=0 started_n=0 n=$(wc -l <"$out/chosen")
while IFS=$'\t' read -r name globs what; do
	started_n=$((started_n + 1))
	[ -t 1 ] && printf '\r\033[K[%d/%d] %s' "$started_n" "$n" "$name"
	mutant "$name" "$globs" "$what" >"$out/$name.result" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
done <"$out/chosen"
wait
[ -t 1 ] && printf '\r\033[K'

total=0 survived=0
while IFS=$'\t' read -r name _; do
	total=$((total + 1))
	if [ -s "$out/$name.result" ]; then
		cat "$out/$name.result"
	else
		printf 'SURVIVED  %-36s the run gave no results\n' "$name"
	fi
	grep -q '^caught' "$out/$name.result" 2>/dev/null || survived=$((survived + 1))
done <"$out/chosen"
echo "mutation score: $((total - survived))/$total caught, $survived survived ($((SECONDS - started)) s)"
if [ -n "${MUTATE_WRITE_HINTS:-}" ]; then
	# the three quickest catching checks of each mutant caught
	while IFS=$'\t' read -r name _; do
		[ -s "$out/$name.caught" ] && [ -f "$out/$name/results.xml" ] || continue
		ids=$(xmllint --xpath '//check/@id | //check/@seconds' "$out/$name/results.xml" |
			tr ' ' '\n' | sed -n 's/^\(id\|seconds\)="\(.*\)"$/\2/p' | paste - - |
			awk 'NR == FNR { if ($2 != "error") caught[$1] = 1; next } $1 in caught' \
				"$out/$name.caught" - | sort -t$'\t' -k2,2g | head -n 3 | cut -f1 | paste -sd' ' -)
		[ -z "$ids" ] || echo "$name $ids"
	done <"$out/chosen" >"$MUTATE_WRITE_HINTS.tmp" && mv "$MUTATE_WRITE_HINTS.tmp" "$MUTATE_WRITE_HINTS"
fi
[ "$survived" -eq 0 ]
