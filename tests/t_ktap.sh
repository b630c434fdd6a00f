# KTAP as kernel CI reads it: `run --format ktap` prints KTAP and nothing
# else on stdout, the same as ktap.txt, and a TAP parser someone else wrote
# (npm's tap-parser, tests/ktap/) finds the results file's counts in it: on
# the selftest checks (every verdict) and on three areas of the suite.
. "$(dirname "$0")/lib.sh"
mod=$B/ktap
npm_ci tests/ktap "$mod"

# ktap_matches RUN_DIR STDOUT: counts by tap-parser equal results.xml's
ktap_matches() {
	local want got
	cmp -s "$1/ktap.txt" "$2" || fail "stdout is not ktap.txt: $(diff "$1/ktap.txt" "$2" | head -5)"
	want=$(verdicts "$1/results.xml" | awk '{n[$2]++} END {
		split("error fail pass skip xfail xpass", v, " ");
		for (i = 1; i <= 6; i++) print v[i], n[v[i]] + 0 }')
	got=$(cd "$mod" && node count.mjs "$2") || fail "tap-parser: $got"
	[ "$want" = "$(grep -v '^subtests' <<<"$got")" ] ||
		fail "tap-parser counts $(echo $got), results.xml $(echo $want)"
	grep -q "^subtests $(verdicts "$1/results.xml" | cut -d. -f1 | sort -u | wc -l)$" <<<"$got" ||
		fail "not one subtest per area: $(echo $got)"
	grep -q "^# Totals: pass:[0-9]* fail:[0-9]* xfail:[0-9]* xpass:[0-9]* skip:[0-9]* error:[0-9]*$" \
		"$2" || fail "no kselftest # Totals: line"
	echo "ktap $1: $(echo $got)"
}

self=$TMP/ktap-self
ASAN_OPTIONS=handle_segv=0:detect_leaks=1 "$B/asan/netconform-selftest" run --format ktap \
	--jobs 8 --expect tests/selftest-expect.txt --out "$self" >"$TMP/ktap-self.txt" \
	2>"$TMP/ktap-self.err"
[ $? -eq 1 ] || fail "selftest run: exit status, $(tail -3 "$TMP/ktap-self.err")"
ktap_matches "$self" "$TMP/ktap-self.txt"
grep -q '^    ok [0-9]* selftest.expected_failure # XFAIL fails on purpose$' "$TMP/ktap-self.txt" ||
	fail "xfail is not kselftest's '# XFAIL reason'"
grep -q '^    ok [0-9]* selftest.skips # SKIP ' "$TMP/ktap-self.txt" || fail "no '# SKIP reason'"
grep -q '^    not ok [0-9]* selftest.hangs # ERROR timed out' "$TMP/ktap-self.txt" ||
	fail "an error is not 'not ok # ERROR'"
grep -q '^Result: FAIL' "$TMP/ktap-self.err" || fail "the recap is not on stderr"

suite=$TMP/ktap-suite
"$B/netconform" run --format ktap --filter 'accept.*' --filter 'socket.*' \
	--filter 'handshake.*' --out "$suite" >"$TMP/ktap-suite.txt" 2>"$TMP/ktap-suite.err"
[ $? -le 1 ] || fail "suite run: $(tail -3 "$TMP/ktap-suite.err")"
ktap_matches "$suite" "$TMP/ktap-suite.txt"
exit 0
