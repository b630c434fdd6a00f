# The runner, on test-only checks (tests/selftest_checks.c): a hang is killed
# at its deadline and is an error, a crash is an error with its signal, the
# rest still pass, nothing is left running, and --jobs does not change verdicts.
. "$(dirname "$0")/lib.sh"
bin=$B/asan/netconform-selftest
# The crash check must die of its signal, not of ASan's report of it.
export ASAN_OPTIONS=handle_segv=0:detect_leaks=1
out1=$TMP/runner-j1 out8=$TMP/runner-j8

"$bin" run --jobs 1 --expect tests/selftest-expect.txt --out "$out1" >"$TMP/runner-j1.log" 2>&1
status=$?
[ $status -eq 1 ] || fail "exit status $status with failures, expected 1"
r=$out1/results.xml
expect_verdict "$r" selftest.passes pass
expect_verdict "$r" selftest.fails fail
expect_verdict "$r" selftest.expected_failure xfail
expect_verdict "$r" selftest.expected_but_passes xpass
expect_verdict "$r" selftest.skips skip
expect_verdict "$r" selftest.hangs error
expect_verdict "$r" selftest.crashes error
expect_verdict "$r" selftest.overflows_stack error
expect_verdict "$r" selftest.orphan_hangs error
expect_verdict "$r" selftest.leaves_daemon pass
expect_verdict "$r" selftest.table.one pass
expect_verdict "$r" selftest.table.two fail
expect_verdict "$r" selftest.asserts_nothing error
expect_verdict "$r" selftest.setup_fails fail
expect_verdict "$r" selftest.deviation_drifts xfail
expect_verdict "$r" selftest.unpinned_failure fail
expect_verdict "$r" selftest.expected_setup_fails error
expect_verdict "$r" selftest.beyond pass
# The pin names the id; the label was reworded since, and the pin holds.
expect_verdict "$r" selftest.reworded_label xfail
grep -q '<assert key="ultimate_answer" label="the answer to six by nine, reworded" result="fail"' "$r" ||
	fail "no label= beside key= in results.xml"
grep -q '<observed name="ultimate_answer" label="the answer to six by nine, reworded">41<' "$r" ||
	fail "no label= on the observed value in results.xml"
message_of "$r" selftest.deviation_drifts |
	grep -q 'selftest-expect.txt:4: pinned deviation holds: answer = 41 (40..41), question = six by nine' ||
	fail "xfail message: $(message_of "$r" selftest.deviation_drifts)"
message_of "$r" selftest.unpinned_failure |
	grep -q 'selftest-expect.txt:5: a failure the deviation does not pin: other' ||
	fail "unpinned failure: $(message_of "$r" selftest.unpinned_failure)"
message_of "$r" selftest.expected_setup_fails | grep -q 'a setup step failed' ||
	fail "setup failure under an expectation: $(message_of "$r" selftest.expected_setup_fails)"
grep -q '<beyond>a selftest of the report</beyond>' "$r" || fail "no <beyond> in results.xml"
grep -q '<assert key="answer" result="fail" role="expect"' "$r" || fail "no <assert> in results.xml"
grep -q '<deviation pattern="selftest.deviation_drifts"' "$r" || fail "no <deviation> in results.xml"
# 1 s, or up to 4 s when tasks waited for a CPU meanwhile (the deadline
# counts the time the machine could run the check)
message_of "$r" selftest.hangs | grep -Eq 'timed out after [1-4] s' ||
	fail "hang: $(message_of "$r" selftest.hangs)"
message_of "$r" selftest.crashes | grep -q 'signal 11 (SIGSEGV)' || fail "crash: $(message_of "$r" selftest.crashes)"
message_of "$r" selftest.overflows_stack | grep -q 'signal 11 (SIGSEGV)' ||
	fail "stack overflow: $(message_of "$r" selftest.overflows_stack)"
message_of "$r" selftest.fails | grep -q 'selftest_checks.c:[0-9]*: answer = 41, expected 42' ||
	fail "failure message: $(message_of "$r" selftest.fails)"
message_of "$r" selftest.skips | grep -q 'no such capability' || fail "skip reason missing"
message_of "$r" selftest.asserts_nothing | grep -qx 'asserted nothing' ||
	fail "asserts nothing: $(message_of "$r" selftest.asserts_nothing)"
message_of "$r" selftest.setup_fails |
	grep -q 'add_address() = -EEXIST: address 198.18.0.1/24 on c: File exists' ||
	fail "setup failure message: $(message_of "$r" selftest.setup_fails)"
message_of "$r" selftest.setup_fails | grep -q 'never reached' && fail "a setup failure did not end the check"

# A need the check declares is checked before its body runs: missing, a
# skip that names it; present (the run above), the body runs.
expect_verdict "$r" selftest.needs_sock_diag pass
NC_FORCE_MISSING=sock_diag "$bin" run --filter selftest.needs_sock_diag --no-expect \
	--out "$TMP/runner-needs" >"$TMP/runner-needs.log" 2>&1
expect_verdict "$TMP/runner-needs/results.xml" selftest.needs_sock_diag skip
message_of "$TMP/runner-needs/results.xml" selftest.needs_sock_diag | grep -q 'needs sock_diag' ||
	fail "needs: $(message_of "$TMP/runner-needs/results.xml" selftest.needs_sock_diag)"

# The same deviation with another value is no longer the known one: a fail.
NC_SELFTEST_ANSWER=43 "$bin" run --filter selftest.deviation_drifts --expect tests/selftest-expect.txt \
	--out "$TMP/runner-drift" >"$TMP/runner-drift.log" 2>&1
[ $? -eq 1 ] || fail "a drifted deviation did not fail the run"
expect_verdict "$TMP/runner-drift/results.xml" selftest.deviation_drifts fail
message_of "$TMP/runner-drift/results.xml" selftest.deviation_drifts |
	grep -q 'pinned deviation changed: answer 40..41 → 43' ||
	fail "drift message: $(message_of "$TMP/runner-drift/results.xml" selftest.deviation_drifts)"

"$bin" run --jobs 8 --expect tests/selftest-expect.txt --out "$out8" >"$TMP/runner-j8.log" 2>&1
diff <(verdicts "$out1/results.xml") <(verdicts "$out8/results.xml") ||
	fail "--jobs 1 and --jobs 8 disagree"
# only this test's runs (their --out is under $TMP): other netconforms may
# be running on this machine
pgrep -f -- "--out $TMP/runner-" >/dev/null && fail "a check's process outlived the run"
for f in junit.xml index.html results.xml; do
	[ -s "$out1/$f" ] || fail "no $f written"
done
exit 0
