#!/usr/bin/env bash
# `make fuzz [FUZZ_SECONDS=N]` (tests/t_fuzz.sh: 2 s each in make test):
# each libFuzzer target of tests/fuzz/ for N seconds, from a seed corpus of
# the project's own files, then one line per target: executions, corpus,
# crashes.  A crash's input is left in build/fuzz/crashes/; once fixed, it
# goes to tests/fuzz/regressions/TARGET/, which every run replays first.
set -u
cd "$(dirname "$0")/.."
B=${B:-build}
seconds=${1:-180}
work=$B/fuzz/work
mkdir -p "$work" "$B/fuzz/crashes"

# seeds TARGET: the project's files that are its kind of input.
seeds() {
	case $1 in
	scenario) echo scenarios/*.scn tests/scenarios-bad/*.scn ;;
	expect)   echo expectations/*.txt tests/selftest-expect.txt ;;
	skip)     echo tests/selftest-expect.txt tests/fuzz/seeds/skip/* ;;
	results)  echo tests/golden/results.xml tests/fuzz/seeds/results/* ;;
	dns)      echo tests/fuzz/seeds/dns/* ;;
	esac
}

status=0
for bin in "$B"/asan/fuzz/fuzz_*; do
	target=${bin##*/fuzz_}
	corpus=$work/$target
	mkdir -p "$corpus"
	# shellcheck disable=SC2046
	cp -n $(seeds "$target") "$corpus"/ 2>/dev/null
	regressions=tests/fuzz/regressions/$target
	if [ -d "$regressions" ] && [ -n "$(ls -A "$regressions")" ]; then
		if ! "$bin" "$regressions"/* >"$work/$target.regressions.log" 2>&1; then
			echo "fuzz $target: a regression input crashes again (see $work/$target.regressions.log)"
			status=1
			continue
		fi
	fi
	"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$B/fuzz/crashes/$target-" "$corpus" >"$work/$target.log" 2>&1
	result=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$target.log" | tail -1)
	printf 'fuzz %-9s %10s execs in %s s, corpus %s, %s\n' "$target" "${execs:-?}" "$seconds" \
		"$(ls "$corpus" | wc -l)" \
		"$([ $result -eq 0 ] && echo "no crash" || echo "CRASH: see $work/$target.log, input in $B/fuzz/crashes/")"
	[ $result -eq 0 ] || status=1
done
exit $status
