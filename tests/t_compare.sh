# netconform compare on bad input: one line "file:line: what is wrong" and
# exit status 2, nothing on stdout, for a missing, a truncated, a foreign
# results file and one with a check twice; --out naming a file.  Then what
# it says: noise hidden unless --noise, different selections summed up, a
# changed expectations file named as the cause, a page only with --out; and
# time linear in the checks (10 k and 20 k synthetic checks).
. "$(dirname "$0")/lib.sh"
good=$TMP/compare-good.xml
"$B/netconform" run --out "$TMP/compare-run" --filter 'connect.refused_loopback.*' \
	>/dev/null 2>&1 || fail "run: exit $?"
cp "$TMP/compare-run/results.xml" "$good"
head -c 400 "$good" >"$TMP/truncated.xml"
printf '<?xml version="1.0"?>\n<testsuites name="x"/>\n' >"$TMP/foreign.xml"
# the same check twice: which one would be compared?
awk '{print} /^  <check /{n++; grab = n == 1} grab {block = block $0 "\n"}
     grab && /^  <\/check>/ {grab = 0; printf "%s", block}' "$good" >"$TMP/twice.xml"
for bad in "$TMP/missing.xml" "$TMP/truncated.xml" "$TMP/foreign.xml" "$TMP/twice.xml"; do
	for order in "$good $bad" "$bad $good"; do
		# shellcheck disable=SC2086
		"$B/netconform" compare $order --out "$TMP" >"$TMP/out.txt" 2>"$TMP/err.txt"
		status=$?
		[ $status -eq 2 ] || fail "compare $order: exit $status, expected 2"
		[ "$(wc -l <"$TMP/err.txt")" -eq 1 ] || fail "$(basename "$bad"): $(cat "$TMP/err.txt")"
		grep -qE "^$bad:[0-9]+: .+" "$TMP/err.txt" || fail "not file:line: $(cat "$TMP/err.txt")"
		[ ! -s "$TMP/out.txt" ] || fail "compare $order printed: $(head -2 "$TMP/out.txt")"
	done
done
grep -q "is here a second time (first at line" "$TMP/err.txt" || fail "twice: $(cat "$TMP/err.txt")"
: >"$TMP/a-file"
"$B/netconform" compare "$good" "$good" --out "$TMP/a-file" >"$TMP/out.txt" 2>"$TMP/err.txt"
[ $? -eq 2 ] || fail "--out FILE: exit status, expected 2"
[ "$(wc -l <"$TMP/err.txt")" -eq 1 ] && [ ! -s "$TMP/out.txt" ] ||
	fail "--out FILE: said $(cat "$TMP/err.txt" "$TMP/out.txt")"

mkdir -p "$TMP/nopage" && cd "$TMP/nopage" || fail "cd"
"$OLDPWD/$B/netconform" compare "$good" "$good" >"$TMP/out.txt" || fail "A A: exit $?"
cd "$OLDPWD" || fail "cd back"
[ -z "$(ls "$TMP/nopage")" ] || fail "compare without --out wrote $(ls -R "$TMP/nopage")"
grep -q "0 verdicts differ" "$TMP/out.txt" || fail "A A: $(tail -1 "$TMP/out.txt")"
grep -q "^page:" "$TMP/out.txt" && fail "A A without --out names a page"

# noise: another ephemeral port, another descriptor, 3 ms more
sed -e 's/\(127\.0\.0\.[0-9]*\|\]\):\([0-9][0-9][0-9][0-9][0-9]\)/\1:4\2/' \
    -e 's/name="elapsed_ms">\([0-9]*\)</name="elapsed_ms">\13</' "$good" >"$TMP/noisy.xml"
cmp -s "$good" "$TMP/noisy.xml" && fail "the noisy copy is no different"
"$B/netconform" compare "$good" "$TMP/noisy.xml" >"$TMP/out.txt" || fail "noise: exit $?"
grep -q " 0 values differ, [1-9][0-9]* differ by noise only" "$TMP/out.txt" ||
	fail "noise: $(tail -1 "$TMP/out.txt")"
grep -q "^noise" "$TMP/out.txt" && fail "noise listed without --noise"
"$B/netconform" compare "$good" "$TMP/noisy.xml" --noise | grep -q "^noise " ||
	fail "--noise shows no noise"

# another selection: checks only in one run are summed up, not counted
first=$(xmllint --xpath 'string(//check[1]/@id)' "$good")
awk -v id="$first" '$0 ~ "<check id=\"" id "\"" {skip=1} !skip {print} skip && /<\/check>/ {skip=0}' \
	"$good" | sed 's|<item name="selection">[^<]*<|<item name="selection">all<|' >"$TMP/fewer.xml"
"$B/netconform" compare "$TMP/fewer.xml" "$good" >"$TMP/out.txt" || fail "selections: exit $?"
grep -q "^selections differ: A all, B .*: 0 checks only in A, 1 only in B" "$TMP/out.txt" ||
	fail "selections: $(cat "$TMP/out.txt")"
grep -q "^only" "$TMP/out.txt" && fail "selections: checks listed one by one"

# another expectations file: a verdict that changed with the same outcome names it
sed -e "/<check id=\"$first\"/s/verdict=\"pass\"/verdict=\"xpass\"/" \
    -e 's|<item name="expectations">[^<]*<|<item name="expectations">/elsewhere.txt<|' \
    "$good" >"$TMP/expect.xml"
"$B/netconform" compare "$good" "$TMP/expect.xml" >"$TMP/out.txt"
[ $? -eq 1 ] || fail "expectations: exit status, expected 1"
grep -q "^verdict  $first *pass -> xpass" "$TMP/out.txt" || fail "expectations: $(cat "$TMP/out.txt")"
grep -q "cause: the expectations (A: .*, B: /elsewhere.txt)" "$TMP/out.txt" ||
	fail "expectations not named as the cause: $(cat "$TMP/out.txt")"
grep -n "^verdict" "$TMP/out.txt" | head -1 | grep -q "^3:\|^4:" ||
	fail "verdict changes are not first: $(cat "$TMP/out.txt")"

# linear time: twice the checks, not four times the time
synth_results "$good" 10000 >"$TMP/10k.xml"
synth_results "$good" 20000 >"$TMP/20k.xml"
t10=$( { /usr/bin/time -f %e "$B/netconform" compare "$TMP/10k.xml" "$TMP/10k.xml" >/dev/null; } 2>&1)
t20=$( { /usr/bin/time -f %e "$B/netconform" compare "$TMP/20k.xml" "$TMP/20k.xml" >/dev/null; } 2>&1)
echo "compare: 10 k checks $t10 s, 20 k checks $t20 s"
awk -v a="$t10" -v b="$t20" 'BEGIN { exit !(b < 3 * a + 0.5) }' ||
	fail "compare is not linear: 10 k checks $t10 s, 20 k $t20 s"
exit 0
