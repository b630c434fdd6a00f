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
# mutant runs first against the quickest check that caught it before, and
# against all of its globs only when that one no longer catches it: the
# same proof, a check that claims the mutant's globs turning red, in a
# fraction of the time (make test).  Mutants whose hinted checks differ run
# in one batch, each check under its own mutant (NC_MUTANT_PLAN): 492
# mutants in 6 runs of the suite.  MUTATE_WRITE_HINTS=FILE writes that file
# from a run against the globs: for each mutant, the three quickest checks
# that caught it, quickest first (make mutate), so that a renamed check
# leaves two.
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
run_jobs=()
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

# The rule of a catch, for awk: "id how" for a check ($1, verdict $2,
# failed lines $3) that caught the mutant, "id error" for one that only
# erred, against the run without mutant (verdict[], lines[]; a check not
# in it passed).
catch_rule='
function caught_how(   was) {
	was = ($1 in verdict) ? verdict[$1] : "pass"
	if ($2 == "fail" && (was != "fail" || $3 != lines[$1])) return "fail"
	if ($2 == "xpass" && was == "xfail") return "xpass"
	if ($2 == "xfail" && was == "xfail" && $3 != lines[$1]) return "xfail-changed"
	if ($2 == "error" && was != "error") return "error"
	return ""
}'

# caught_by BASE MUTANT: what caught the mutant, a line per check.
caught_by() {
	awk "$catch_rule"'
	NR == FNR { verdict[$1] = $2; lines[$1] = $3; next }
	{ how = caught_how(); if (how != "") print $1, how }' "$1" "$2"
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

# $out/hints: "NAME ID" for each mutant chosen, the first check that caught
# it before (MUTATE_HINTS lists the quickest first) that its globs still
# name: one check catches it as well as three, and the batches ran 1,100
# checks where they now run 490 (a mutant it no longer catches runs alone).
write_hints() {
	: >"$out/hints"
	[ -n "${MUTATE_HINTS:-}" ] || return 0
	awk -F'\t' '
	function regex(glob) {	# a glob (*, ?) as an anchored regular expression
		gsub(/[.+^$(){}|\[\]\\]/, "\\\\&", glob)
		gsub(/\*/, ".*", glob)
		gsub(/\?/, ".", glob)
		return "^" glob "$"
	}
	NR == FNR { split($0, f, " "); hints[f[1]] = $0; next }
	$1 in hints {
		n = split(hints[$1], ids, " "); g = split($2, globs, " ")
		for (i = 2; i <= n; i++)
			for (j = 1; j <= g; j++)
				if (ids[i] ~ regex(globs[j])) { print $1, ids[i]; next }
	}' "$MUTATE_HINTS" "$out/chosen" >"$out/hints"
}

# One mutant not caught in a batch: run alone, against its hints, then its
# globs; what caught it in $out/NAME.caught.
mutant() {
	local name=$1 globs=$2 hints
	hints=$(awk -v n="$name" '$1 == n { $1 = ""; print; exit }' "$out/hints")
	# shellcheck disable=SC2086 # the globs and ids are words
	[ -n "$hints" ] && try "$name" $hints || try "$name" $globs || true
}

# Batches (MUTATE_HINTS): mutants whose hinted checks differ run together,
# each check under its own mutant (NC_MUTANT_PLAN): one run of the suite
# for a dozen runs of one mutant each.  $out/batch.K.plan is batch K's
# plan: lines of $out/hints, no check in two of them.
batches() {
	awk -v out="$out" '{
		for (k = 1; ; k++) {
			free = 1
			for (i = 2; i <= NF; i++) if ((k, $i) in taken) { free = 0; break }
			if (free) break
		}
		for (i = 2; i <= NF; i++) taken[k, $i] = 1
		print >(out "/batch." k ".plan")
	}' "$out/hints"
}

# batch PLAN: its run; for each of its mutants caught, $out/NAME.caught
# (the others run alone after).
batch() {
	local plan=$1 dir=${1%.plan} ids
	mapfile -t ids < <(cut -d' ' -f2- "$plan" | tr ' ' '\n')
	NC_MUTANT_PLAN=$plan run "$dir" "${ids[@]}" || return 0
	verdicts "$dir/results.xml" >"$dir.verdicts"
	awk -v out="$out" "$catch_rule"'
	FILENAME == ARGV[1] { verdict[$1] = $2; lines[$1] = $3; next }
	FILENAME == ARGV[2] { for (i = 2; i <= NF; i++) mutant_of[$i] = $1; next }
	$1 in mutant_of {
		how = caught_how()
		if (how != "") { m = mutant_of[$1]; said[m] = said[m] $1 " " how "\n" }
		if (how != "" && how != "error") ok[m] = 1
	}
	END { for (m in ok) { printf "%s", said[m] >(out "/" m ".caught"); close(out "/" m ".caught") } }' \
		"$out/base.verdicts" "$plan" "$dir.verdicts"
}

# in_turn MAX: after a job put in the background, waits for one to end
# while MAX are running.
running=0
in_turn() {
	running=$((running + 1))
	if [ "$running" -ge "$1" ]; then
		wait -n
		running=$((running - 1))
	fi
}

started=$SECONDS
# The reference: the same checks, the library loaded, no mutant acting.
# It runs alone, at the runner's own --jobs (as make test's whole-suite
# runs do), not two at a time: its 3 s timers two by two took 17 s.
mapfile -t all_globs < <(cut -f2 "$out/chosen" | tr ' ' '\n' | sort -u)
# Loaded but idle, the library must change nothing: a red reference would
# hide what the mutants do.  A check the machine was too loaded to judge
# (an error that says so: make test's side lane builds beside this run)
# says nothing of the library: the reference runs again, up to twice.
not_green() { awk '$2 == "fail" || $2 == "xpass" || $2 == "error" { print $1, $2 }' "$out/base.verdicts"; }
too_loaded() {	# the verdict's own words for an error the load made (harness/verdict.c)
	xmllint --xpath "string(//check[@id='$1']/message)" "$out/base/results.xml" 2>/dev/null |
		grep -q 'too loaded to judge'
}
for try in 1 2 3; do
	run "$out/base" "${all_globs[@]}" || exit 2
	verdicts "$out/base/results.xml" >"$out/base.verdicts"
	bad=$(not_green)
	[ -z "$bad" ] && break
	loaded=1
	while read -r id _; do too_loaded "$id" || loaded=0; done <<<"$bad"
	if [ "$loaded" = 1 ] && [ "$try" -lt 3 ]; then
		echo "mutate.sh: the run without mutant was too loaded to judge $(cut -d' ' -f1 <<<"$bad" | tr '\n' ' ')(run $try): again" >&2
		continue
	fi
	echo "mutate.sh: the run without mutant is not green:" >&2
	while read -r id verdict; do
		echo "  $id $verdict: $(xmllint --xpath "string(//check[@id='$id']/message)" \
			"$out/base/results.xml" 2>/dev/null | head -n 3 | tr '\n' ' ')" >&2
	done <<<"$bad"
	exit 2
done

write_hints
batches
# a batch is many checks: at the runner's own --jobs, half as many at once
for plan in "$out"/batch.*.plan; do
	[ -e "$plan" ] || continue
	batch "$plan" &
	in_turn $(((jobs + 1) / 2))
done
wait

# The mutants no batch caught, alone, two jobs each.
run_jobs=(--jobs 2) running=0
while IFS=$'\t' read -r name globs _; do
	[ -t 1 ] && printf '\r\033[K%s' "$name"
	mutant "$name" "$globs" &
	in_turn "$jobs"
done < <(for f in "$out"/*.caught; do [ -e "$f" ] && f=${f##*/} && echo "${f%.caught}"; done |
	awk -F'\t' 'NR == FNR { done[$1] = 1; next } !($1 in done)' - "$out/chosen")
wait
[ -t 1 ] && printf '\r\033[K'

# The report: a mutant is caught by the checks that failed (or passed,
# xfail) otherwise than without it; one that only made errors survived.
awk -F'\t' -v out="$out" -v secs=$((SECONDS - started)) '
{
	file = out "/" $1 ".caught"; by = ""; n = 0; errors = ""
	got = (getline line <file)
	found = got >= 0
	while (got > 0) {
		split(line, f, " ")
		if (f[2] == "error") errors = errors (errors == "" ? "" : " ") f[1]
		else if (f[2] != "") by = by (n++ ? ", " : "") f[1] " (" f[2] ")"
		got = (getline line <file)
	}
	close(file)
	if (n) { printf "caught    %-36s %s\n          by %d: %s\n", $1, $3, n, by; next }
	survived++
	if (!found) printf "SURVIVED  %-36s the run gave no results\n", $1
	else if (errors != "") printf "SURVIVED  %-36s %s\n          only errors: %s\n", $1, $3, errors
	else printf "SURVIVED  %-36s %s\n          no check changed\n", $1, $3
}
END {
	printf "mutation score: %d/%d caught, %d survived (%d s)\n", NR - survived, NR, survived, secs
	exit survived > 0
}' "$out/chosen"
caught=$?
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
exit "$caught"
