#!/usr/bin/env bash
# `make test`: the project's own tests.  Each step prints one line; the last
# line counts them ("N passed, N failed").  Everything runs under ASan too.
#
# Two lanes: the steps that judge the suite's own verdicts (timing bounds
# among them) run one at a time; the steps that only parse, render, package
# or fuzz run beside them.  On 2 cores that keeps one core busy while the
# verdicts are judged, the light profile of make soak, under which they
# hold.  NC_TEST_LANES=1 runs every step in one lane.
set -u
cd "$(dirname "$0")/.."
B=build
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/netconform-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# The steps that judge no verdict of the suite's own timing.  mutants runs
# the suite, but a machine too busy can only make it catch more, never let
# a mutant survive: a check turned red by load is not a survivor.
beside="mutants fuzz deb browser install unit libc_check matrix clause_paths bad_input ktap"

# The ASan build (make asan) runs beside the first steps, niced as the
# side lane: a step whose script runs $B/asan/ waits for it (a shared flock
# on $tmp/asan.lock, which the build holds until it ends).
needs_asan() { grep -q '$B/asan/' "tests/t_$1.sh"; }
exec 8>"$tmp/asan.lock"
flock -x 8
(
	renice -n 10 -p $BASHPID >/dev/null
	# a make of its own (-j the Makefile's), not a child of make test's
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make --no-print-directory -s B="$B" asan \
		>"$tmp/asan-build.log" 2>&1
	echo $? >"$tmp/asan-build.status"
) &
exec 8>&-	# the build alone holds the lock now
asan_built() {
	flock -s "$tmp/asan.lock" true
	[ "$(cat "$tmp/asan-build.status" 2>/dev/null)" = 0 ]
}

# In each lane the steps that need no ASan build first, then the others;
# longest first in each part, so that the lanes end together: by the times
# of the last run here ($B/test-times.txt), else by these (seconds, a quiet
# 2-core machine); a step in neither goes last.
estimates="mutants:30 vm:40 deb:45 fuzz:15 browser:23 full_run:21 degrade:20 host_safety:14 gvisor:13 terminal:12 bad_input:11 fresh_root:11 rootless:11 runner:11 ktap:10 musl:10 compare:8"
longest_first() {	# NAME...
	local name secs
	for name in "$@"; do
		secs=$(awk -v n="$name" '$1 == n { print $2 }' "$B/test-times.txt" 2>/dev/null)
		[ -n "$secs" ] || secs=$(tr ' ' '\n' <<<"$estimates" | sed -n "s/^$name://p")
		echo "$(needs_asan "$name" && echo 1 || echo 0) ${secs:-0} $name"
	done | sort -k1,1n -k2,2nr -k3 | cut -d' ' -f3
}

# step NAME: runs tests/t_NAME.sh (once the ASan build is there, if it
# needs it), its output kept in $tmp/NAME.log, its result appended to
# $tmp/results (one line: the lanes run at once), its time to $tmp/times.
step() {
	local name=$1 started ran=false
	if needs_asan "$name" && ! asan_built; then
		echo "make asan failed: $(tail -n 5 "$tmp/asan-build.log")" >"$tmp/$name.log"
	fi
	started=$SECONDS
	if [ ! -s "$tmp/$name.log" ] &&
		env B="$B" TMP="$tmp" bash "tests/t_$name.sh" >"$tmp/$name.log" 2>&1; then
		ran=true
	fi
	if $ran; then
		printf 'ok    %-40s %3ds\n' "$name" $((SECONDS - started))
		echo "ok $name" >>"$tmp/results"
	else
		{
			printf 'FAIL  %-40s %3ds\n' "$name" $((SECONDS - started))
			sed 's/^/      | /' "$tmp/$name.log" | tail -n 40
		} >"$tmp/$name.fail"
		cat "$tmp/$name.fail"
		echo "FAIL $name" >>"$tmp/results"
	fi
	echo "$name $((SECONDS - started))" >>"$tmp/times"
}
# side_steps: the side lane's steps not yet taken by either lane, in turn
# (mkdir: one lane takes each).
side_steps() {
	local name
	mkdir -p "$tmp/taken"
	for name in "${others[@]}"; do
		mkdir "$tmp/taken/$name" 2>/dev/null && step "$name"
	done
}

timed=() others=()
for t in tests/t_*.sh; do
	name=$(basename "$t" .sh)
	name=${name#t_}
	if [ "${NC_TEST_LANES:-2}" != 1 ] && [[ " $beside " == *" $name "* ]]; then
		others+=("$name")
	else
		timed+=("$name")
	fi
done
mapfile -t timed < <(longest_first "${timed[@]}")
mapfile -t others < <(longest_first "${others[@]}")
started=$SECONDS
# niced: what the side lane builds, fuzzes and mutates takes the CPU the
# timed lane leaves, not the time its bounds judge
( renice -n 10 -p $BASHPID >/dev/null; side_steps ) &
lane=$!
for name in "${timed[@]}"; do step "$name"; done
# its steps done, the timed lane takes the side lane's that are left
side_steps
wait $lane

passed=$(grep -c '^ok ' "$tmp/results")
failed=$(grep -c '^FAIL ' "$tmp/results")
echo "tests: $passed passed, $failed failed ($((SECONDS - started)) s)"
# the next run's order
sort "$tmp/times" >"$B/test-times.txt" 2>/dev/null
[ "$failed" -eq 0 ] && [ "$((passed + failed))" -eq $((${#timed[@]} + ${#others[@]})) ]
