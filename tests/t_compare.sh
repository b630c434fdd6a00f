# netconform compare on bad input: one line "file:line: what is wrong" and
# exit status 2, for a missing, a truncated and a foreign results file.
. "$(dirname "$0")/lib.sh"
good=$TMP/compare-good.xml
"$B/netconform" run --out "$TMP/compare-run" --filter 'connect.refused_loopback.*' \
	>/dev/null 2>&1 || fail "run: exit $?"
cp "$TMP/compare-run/results.xml" "$good"
head -c 400 "$good" >"$TMP/truncated.xml"
printf '<?xml version="1.0"?>\n<testsuites name="x"/>\n' >"$TMP/foreign.xml"
for bad in "$TMP/missing.xml" "$TMP/truncated.xml" "$TMP/foreign.xml"; do
	"$B/netconform" compare "$good" "$bad" --out "$TMP" >"$TMP/out.txt" 2>"$TMP/err.txt"
	status=$?
	[ $status -eq 2 ] || fail "compare with $(basename "$bad"): exit $status, expected 2"
	[ "$(wc -l <"$TMP/err.txt")" -eq 1 ] || fail "$(basename "$bad"): $(cat "$TMP/err.txt")"
	grep -qE "^$bad:[0-9]+: .+" "$TMP/err.txt" || fail "not file:line: $(cat "$TMP/err.txt")"
done
"$B/netconform" compare "$good" "$good" --out "$TMP" >"$TMP/out.txt" || fail "A A: exit $?"
grep -q "0 verdicts differ" "$TMP/out.txt" || fail "A A: $(tail -1 "$TMP/out.txt")"
exit 0
