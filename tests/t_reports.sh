# The report set is replaced as a whole or not at all: a run killed with
# SIGKILL at each point of writing it leaves the previous set whole; a
# second run with the same --out is refused while the first holds it; a set
# that cannot be written leaves the previous one; SIGINT and SIGTERM end a
# run with the reports of what finished, marked incomplete.  The writer is
# stopped at a named point by a test hook (NC_TEST_REPORT_PAUSE), never
# caught by a sleep.
. "$(dirname "$0")/lib.sh"
bin=$B/asan/netconform-selftest
opts="--jobs 1 --expect tests/selftest-expect.txt"
run() { "$bin" run $opts "$@"; }
out=$TMP/reports-out ref=$TMP/reports-ref
open_fifo
# The reports of DIR all come from the run that ran check ID.
set_of() {	# DIR ID
	for f in results.xml junit.xml ktap.txt index.html; do
		# KTAP names a check within its area: selftest.passes is "passes"
		grep -qE "$([ $f = ktap.txt ] && echo " ${2#*.}( #|$)" || echo "$2")" "$1/$f" ||
			fail "$1/$f is not from the run of $2"
	done
}
same_as_ref() {
	for f in results.xml junit.xml ktap.txt index.html; do
		cmp -s "$out/$f" "$ref/$f" || fail "$f changed: $1"
	done
}
# Starts run 2 paused at STAGE, waits until it says it is there.
start_paused() {	# STAGE
	NC_TEST_REPORT_PAUSE="$1:$fifo" "$bin" run $opts --filter selftest.skips --out "$out" \
		>"$TMP/reports-paused.log" 2>&1 &
	paused=$!
	local said
	read -r -t 120 -u 3 said || fail "the run never reached $1 ($(cat "$TMP/reports-paused.log"))"
	[ "$said" = "$1" ] || fail "paused at '$said', expected '$1'"
}

run --filter selftest.passes --out "$out" >"$TMP/reports-1.log" 2>&1 || fail "first run: $(cat "$TMP/reports-1.log")"
set_of "$out" selftest.passes
mkdir "$ref"
for f in results.xml junit.xml ktap.txt index.html; do cp "$out/$f" "$ref/$f"; done

# Killed at each point before the swap: the previous set, whole.
for stage in results.xml junit.xml ktap.txt index.html linked; do
	start_paused "$stage"
	if [ "$stage" = results.xml ]; then
		# Meanwhile a second run with the same --out is refused, and harms nothing.
		run --filter selftest.passes --out "$out" >"$TMP/reports-2nd.log" 2>&1
		status=$?
		[ $status -eq 2 ] || fail "a second run with the same --out: exit $status, expected 2"
		[ "$(wc -l <"$TMP/reports-2nd.log")" -eq 1 ] &&
			grep -q 'another run is writing' "$TMP/reports-2nd.log" ||
			fail "a second run said: $(cat "$TMP/reports-2nd.log")"
	fi
	kill -KILL $paused
	wait $paused 2>/dev/null
	same_as_ref "killed at $stage"
	set_of "$out" selftest.passes
done
# Killed just after the swap: the new set, whole.
start_paused swapped
kill -KILL $paused
wait $paused 2>/dev/null
set_of "$out" selftest.skips

# The next run cleans up what the killed ones left: two runs are kept.
run --filter selftest.passes --out "$out" >"$TMP/reports-3.log" 2>&1 || fail "run after kills: $(cat "$TMP/reports-3.log")"
set_of "$out" selftest.passes
[ "$(ls "$out/runs" | wc -l)" -eq 2 ] || fail "runs/ holds $(ls "$out/runs" | wc -l) runs, expected 2"
for f in results.xml junit.xml ktap.txt index.html; do cp "$out/$f" "$ref/$f"; done

# A report that cannot go where it belongs: one line, exit 2, nothing lost.
rm "$out/index.html"
mkdir "$out/index.html"
run --filter selftest.skips --out "$out" >"$TMP/reports-dir.log" 2>&1
status=$?
[ $status -eq 2 ] || fail "index.html a directory: exit $status, expected 2"
[ "$(wc -l <"$TMP/reports-dir.log")" -eq 1 ] || fail "index.html a directory: $(cat "$TMP/reports-dir.log")"
for f in results.xml junit.xml ktap.txt; do cmp -s "$out/$f" "$ref/$f" || fail "$f changed by a refused run"; done
rmdir "$out/index.html"

# The user's files: --out removes only what netconform made and marked.  A
# directory it did not make is refused whole, in one line; a file of the
# user's under runs/ survives runs; a plain report where a link goes is refused.
refused() {	# DIR WHAT
	run --filter selftest.skips --out "$1" >"$TMP/reports-user.out" 2>"$TMP/reports-user.err"
	local status=$?
	[ $status -eq 2 ] && [ "$(wc -l <"$TMP/reports-user.err")" -eq 1 ] ||
		fail "$2: exit $status, expected 2 and one line: $(cat "$TMP/reports-user.err")"
}
user=$TMP/reports-user
mkdir -p "$user/runs/exp" && echo mine >"$user/runs/exp/results.csv"
refused "$user" "a directory of the user's runs/"
[ "$(cat "$user/runs/exp/results.csv")" = mine ] || fail "the user's runs/exp/results.csv was touched"
for f in results.xml junit.xml ktap.txt index.html; do
	rm -rf "$user" && mkdir "$user" && echo mine >"$user/$f"
	refused "$user" "a plain $f"
	[ "$(cat "$user/$f")" = mine ] || fail "the user's $f was replaced"
done
rm -rf "$user"
run --filter selftest.passes --out "$user" >/dev/null 2>&1 || fail "a new --out refused"
mkdir "$user/runs/exp" && echo mine >"$user/runs/exp/results.csv"
for i in 1 2 3; do
	run --filter selftest.passes --out "$user" >/dev/null 2>&1 || fail "run $i over runs/exp"
done
[ "$(cat "$user/runs/exp/results.csv" 2>/dev/null)" = mine ] || fail "runs went with the user's runs/exp/results.csv"
rm "$user/index.html" && echo mine >"$user/index.html"
refused "$user" "a plain index.html in netconform's directory"
[ "$(cat "$user/index.html")" = mine ] || fail "the user's index.html in netconform's directory was replaced"

# A full disk while writing: the previous set stays (root: a small tmpfs).
if [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then
	unshare -m bash -c '
		set -e
		mount -t tmpfs -o size=1m none "$1"
		"$2" run --jobs 1 --expect tests/selftest-expect.txt --filter selftest.passes --out "$1/o" >/dev/null
		cp "$1/o/results.xml" "$1/ref.xml"
		dd if=/dev/zero of="$1/fill" bs=4k 2>/dev/null || true
		set +e
		"$2" run --jobs 1 --expect tests/selftest-expect.txt --filter selftest.skips --out "$1/o" >"$3" 2>&1
		status=$?
		[ $status -eq 2 ] || { echo "full disk: exit $status, expected 2: $(cat "$3")"; exit 1; }
		grep -q "No space left" "$3" || { echo "full disk said: $(cat "$3")"; exit 1; }
		cmp -s "$1/o/results.xml" "$1/ref.xml" || { echo "full disk: results.xml changed"; exit 1; }
	' sh "$(mktemp -d "$TMP/reports-tmpfs.XXXXXX")" "$bin" "$TMP/reports-full.log" ||
		fail "full disk"
fi

# SIGTERM and SIGINT: the checks that finished, marked incomplete; one line; 128+signal.
for sig in TERM INT; do
	o=$TMP/reports-$sig
	start_interruptible "$bin" "$o"
	kill -$sig $pid
	wait $pid
	status=$?
	want=$([ $sig = TERM ] && echo 143 || echo 130)
	[ $status -eq "$want" ] || fail "SIG$sig: exit $status, expected $want"
	[ "$(wc -l <"$o.err")" -eq 1 ] &&
		grep -q "interrupted by SIG$sig: 3 of 4 checks not run" "$o.err" ||
		fail "SIG$sig said: $(cat "$o.err")"
	r=$o/results.xml
	[ "$(xmllint --xpath 'string(/*/@interrupted)' "$r")" = SIG$sig ] || fail "SIG$sig: results.xml not marked"
	[ "$(xmllint --xpath 'string(/*/@not-run)' "$r")" = 3 ] || fail "SIG$sig: not-run is not 3"
	expect_verdict "$r" selftest.fails fail
	[ "$(xmllint --xpath 'count(//check)' "$r")" = 1 ] || fail "SIG$sig: checks that did not finish are in results.xml"
	xmllint --noout --schema tests/junit.xsd "$o/junit.xml" 2>/dev/null || fail "SIG$sig: junit.xml invalid"
	grep -q 'type="interrupted"' "$o/junit.xml" || fail "SIG$sig: junit.xml does not say so"
	grep -q 'interrupted by SIG' "$o/index.html" || fail "SIG$sig: index.html does not say so"
	grep -q '<title>netconform report: INCOMPLETE' "$o/index.html" &&
		grep -q 'id="incomplete"' "$o/index.html" &&
		grep -q '<span class="count" id="count-not-run">3</span>' "$o/index.html" ||
		fail "SIG$sig: index.html has no banner, title or count of the 3 not run"
	grep -q "^Bail out! interrupted by SIG$sig: 3 of 4 checks not run$" "$o/ktap.txt" ||
		fail "SIG$sig: ktap.txt does not say so"
	grep -q '^Result: INCOMPLETE' "$o.out" &&
		grep -q "interrupted by SIG$sig" "$o.out" ||
		fail "SIG$sig: the recap does not say so: $(cat "$o.out")"
done
# Ctrl-C is SIGINT to the terminal's process group: the running check is
# interrupted (not run), never an error "killed by signal 2".
o=$TMP/reports-pgrp
NC_SELFTEST_RUNNING=$fifo setsid "$bin" run $opts --filter selftest.interruptible \
	--filter selftest.passes --out "$o" >"$TMP/reports-pgrp.out" 2>"$TMP/reports-pgrp.err" &
pid=$!
read -r -t 120 -u 3 said || fail "SIGINT to the group: the check never ran"
kill -INT -- -"$pid"
wait $pid
status=$?
[ $status -eq 130 ] || fail "SIGINT to the group: exit $status, expected 130: $(cat "$TMP/reports-pgrp.err")"
grep -q 'killed by signal' "$o/results.xml" && fail "SIGINT to the group: a check 'killed by signal'"
[ "$(xmllint --xpath 'count(//check[@verdict="error"])' "$o/results.xml")" = 0 ] ||
	fail "SIGINT to the group: errors in results.xml"
[ "$(xmllint --xpath 'string(/*/@interrupted)' "$o/results.xml")" = SIGINT ] ||
	fail "SIGINT to the group: results.xml not marked interrupted"

# A stop signal as soon as the handlers are there (before any check may have
# started): a run interrupted, with its reports, not a death without them.
o=$TMP/reports-early
NC_SELFTEST_RUNNING=/dev/null "$bin" run $opts --filter selftest.interruptible --filter selftest.passes \
	--out "$o" >"$TMP/reports-early.out" 2>"$TMP/reports-early.err" &
pid=$!
caught() {	# PID: whether it has its SIGTERM handler (bit 15 of SigCgt)
	local mask
	mask=$(sed -n 's/^SigCgt:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null)
	[ -n "$mask" ] && (( 0x$mask & 0x4000 ))
}
for _ in $(seq 5000); do caught $pid && break; done
kill -TERM $pid
wait $pid
status=$?
[ $status -eq 143 ] || fail "an early SIGTERM: exit $status, expected 143: $(cat "$TMP/reports-early.err")"
[ "$(xmllint --xpath 'string(/*/@interrupted)' "$o/results.xml" 2>/dev/null)" = SIGTERM ] ||
	fail "an early SIGTERM: no results.xml marked interrupted: $(cat "$TMP/reports-early.err")"

# SIGTERM while the reports are written is not ignored: the set is finished
# (swapped in whole), the run exits 143.
o=$TMP/reports-late
NC_TEST_REPORT_PAUSE="junit.xml:$fifo" "$bin" run $opts --filter selftest.passes --out "$o" \
	>"$TMP/reports-late.out" 2>"$TMP/reports-late.err" &
pid=$!
read -r -t 120 -u 3 said || fail "SIGTERM while writing: the writer never reached junit.xml"
kill -TERM $pid
kill -CONT $pid
wait $pid
status=$?
[ $status -eq 143 ] || fail "SIGTERM while writing: exit $status, expected 143"
[ "$(wc -l <"$TMP/reports-late.err")" -eq 1 ] || fail "SIGTERM while writing said: $(cat "$TMP/reports-late.err")"
set_of "$o" selftest.passes

# Results files found by make fuzz: refused in one line (libxml2 says nothing
# of its own), or read; never a crash.
for f in tests/fuzz/regressions/results/*; do
	"$bin" compare "$f" "$f" --out "$TMP/reports-compare" >/dev/null 2>"$TMP/reports-compare.err"
	status=$?
	[ $status -le 2 ] && [ "$(wc -l <"$TMP/reports-compare.err")" -le 1 ] ||
		fail "compare $f: exit $status: $(cat "$TMP/reports-compare.err")"
done
pgrep -f "$TMP/reports" >/dev/null && fail "a process of a killed run outlived it"
exit 0
