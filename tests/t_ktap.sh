# KTAP as kernel CI reads it: `run --format ktap` prints KTAP and nothing
# else on stdout, a result as soon as the ones before it in the plan are
# done, the same as ktap.txt; and the kernel's own reader, kunit_parser.py
# (tests/ktap/, from Linux 6.1), finds the results file's counts in it: on
# the selftest checks (every verdict, a timeout), on three areas of the
# suite, and on a run stopped by SIGTERM, which must not read as a success.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || fail "python3 is missing"

# ktap_matches RUN_DIR STDOUT [CRASHED]: kunit_parser's counts equal
# results.xml's (ok: pass and xfail; not ok: fail, xpass, error; skip), and
# CRASHED (default 0) planned checks are missing, when there are any, a run
# kunit_parser sees as crashed
ktap_matches() {
	local counts want got
	cmp -s "$1/ktap.txt" "$2" || fail "stdout is not ktap.txt: $(diff "$1/ktap.txt" "$2" | head -5)"
	counts=$(verdicts "$1/results.xml" | awk '{n[$2]++} END {
		print "passed", n["pass"] + n["xfail"]; print "failed", n["fail"] + n["xpass"] + n["error"]
		print "skipped", n["skip"] + 0 }')
	want="$counts
crashed ${3:-0}"
	got=$(python3 tests/ktap/ktap_counts.py "$2") || fail "kunit_parser: $got"
	[ "$want" = "$(grep -E '^(passed|failed|skipped|crashed) ' <<<"$got")" ] ||
		fail "kunit_parser counts $(echo $got), results.xml $(echo $want)"
	[ "${3:-0}" -eq 0 ] || grep -qx 'status TEST_CRASHED' <<<"$got" ||
		fail "kunit_parser does not see the interrupted run as crashed: $(echo $got)"
	grep -q "^subtests $(verdicts "$1/results.xml" | cut -d. -f1 | sort -u | wc -l)$" <<<"$got" ||
		[ "${3:-0}" -gt 0 ] || fail "not one subtest per area: $(echo $got)"
	# names within an area drop the area: kunit prints area.name, not area.area.name
	grep '^name ' <<<"$got" | awk '{ if (index($3, $2 ".") == 1) bad = 1 } END { exit bad }' ||
		fail "a subtest repeats its area: $(grep '^name ' <<<"$got" | head -3)"
	grep -q "^# Totals: pass:[0-9]* fail:[0-9]* xfail:[0-9]* xpass:[0-9]* skip:[0-9]* error:[0-9]*$" \
		"$2" || fail "no kselftest # Totals: line"
	grep -q '^    ' "$2" && fail "indented by four: ktap.rst says two spaces a level"
	echo "ktap $1: $(echo $got | tr -s ' ' | cut -c1-120)"
}

self=$TMP/ktap-self
ASAN_OPTIONS=handle_segv=0:detect_leaks=1 "$B/asan/netconform-selftest" run --format ktap \
	--jobs 8 --expect tests/selftest-expect.txt --out "$self" >"$TMP/ktap-self.txt" \
	2>"$TMP/ktap-self.err"
[ $? -eq 1 ] || fail "selftest run: exit status, $(tail -3 "$TMP/ktap-self.err")"
ktap_matches "$self" "$TMP/ktap-self.txt"
grep -q '^  ok [0-9]* expected_failure # XFAIL fails on purpose$' "$TMP/ktap-self.txt" ||
	fail "xfail is not kselftest's '# XFAIL reason'"
grep -q '^  ok [0-9]* skips # SKIP ' "$TMP/ktap-self.txt" || fail "no '# SKIP reason'"
grep -q '^  not ok [0-9]* hangs # TIMEOUT timed out' "$TMP/ktap-self.txt" ||
	fail "a check killed at its deadline is not 'not ok # TIMEOUT'"
grep -q '^  not ok [0-9]* crashes # ERROR ' "$TMP/ktap-self.txt" || fail "an error is not 'not ok # ERROR'"
grep -q '^Result: FAIL' "$TMP/ktap-self.err" || fail "the recap is not on stderr"

suite=$TMP/ktap-suite
"$B/netconform" run --format ktap --filter 'accept.*' --filter 'socket.*' \
	--filter 'handshake.*' --out "$suite" >"$TMP/ktap-suite.txt" 2>"$TMP/ktap-suite.err"
[ $? -le 1 ] || fail "suite run: $(tail -3 "$TMP/ktap-suite.err")"
ktap_matches "$suite" "$TMP/ktap-suite.txt"

# Streamed: the first result is on stdout while a later check still runs
# (selftest.interruptible waits for its signal, the fifo says it started).
# SIGTERM then: the plan stays 1..4, three checks missing, never a success.
open_fifo
stop=$TMP/ktap-stop
start_interruptible "$B/netconform-selftest" "$stop" --format ktap
grep -q '^  not ok 1 fails$' "$stop.out" ||
	fail "not streamed: the finished check is not on stdout yet: $(cat "$stop.out")"
kill -TERM $pid
wait $pid
[ $? -eq 143 ] || fail "SIGTERM: exit status"
grep -q '^1\.\.1$' "$stop.out" && grep -q '^  1\.\.4$' "$stop.out" ||
	fail "the plan was rewritten: $(cat "$stop.out")"
ktap_matches "$stop" "$stop.out" 3
exit 0
