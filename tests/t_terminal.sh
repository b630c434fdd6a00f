# What a person at a terminal, and a kselftest or kirk user, reaches for:
# list filtered like run, --exclude, the skip file, --repeat, --shuffle with
# its seed, the prove-style recap with colours as asked, and a progress line
# that never wraps in a 70-column terminal (tmux).
. "$(dirname "$0")/lib.sh"
bin=$B/asan/netconform-selftest
export ASAN_OPTIONS=handle_segv=0:detect_leaks=1
run() { "$bin" run --jobs 4 --expect tests/selftest-expect.txt "$@"; }

# list and run select the same checks
"$bin" list --filter 'selftest.table.*' --filter 'selftest.passes' --exclude '*.two' \
	>"$TMP/term-list.txt" || fail "list: exit $?"
[ "$(tail -1 "$TMP/term-list.txt")" = "2 checks" ] || fail "list: $(cat "$TMP/term-list.txt")"
run --filter 'selftest.table.*' --filter 'selftest.passes' --exclude '*.two' \
	--out "$TMP/term-sel" >/dev/null 2>&1 || fail "run: exit $?"
diff <(head -n -1 "$TMP/term-list.txt" | cut -d' ' -f1) <(verdicts "$TMP/term-sel/results.xml" | cut -f1) ||
	fail "list and run select differently"
"$bin" list --areas | grep -q '^selftest  *25 checks$' || fail "list --areas: $("$bin" list --areas)"

# the skip file: reported as skip with its reason, not run
printf '# lab notes\nselftest.fail*  the lab is known to fail it\n' >"$TMP/skips.txt"
run --filter 'selftest.fail*' --filter selftest.passes --skip-file "$TMP/skips.txt" \
	--out "$TMP/term-skip" >/dev/null 2>&1 || fail "skip file: exit $? (the failure ran?)"
expect_verdict "$TMP/term-skip/results.xml" selftest.fails skip
message_of "$TMP/term-skip/results.xml" selftest.fails | grep -q 'the lab is known to fail it' ||
	fail "skip reason: $(message_of "$TMP/term-skip/results.xml" selftest.fails)"

# --repeat: every round reported, ids with their round; --shuffle says its seed
run --filter 'selftest.table.*' --filter selftest.passes --repeat 2 --shuffle=7 \
	--out "$TMP/term-rep" >"$TMP/term-rep.log" 2>&1
[ $? -eq 1 ] || fail "repeat: exit status (table.two fails)"
[ "$(verdicts "$TMP/term-rep/results.xml" | cut -f1 | tr '\n' ' ')" = \
  "selftest.passes@1 selftest.passes@2 selftest.table.one@1 selftest.table.one@2 selftest.table.two@1 selftest.table.two@2 " ] ||
	fail "repeat: $(verdicts "$TMP/term-rep/results.xml" | tr '\n' ' ')"
grep -q 'seed 7 (replay: --shuffle=7)' "$TMP/term-rep.log" || fail "no seed: $(cat "$TMP/term-rep.log")"
run --filter 'selftest.table.*' --shuffle=7 --out "$TMP/term-shuf" >/dev/null 2>&1
xmllint --xpath '//check/@id' "$TMP/term-shuf/results.xml" | tr -s ' \n' ' ' |
	grep -q 'selftest.table.one.*selftest.table.two' || fail "shuffled reports are not in id order"

# the recap: each problem with its message, then the counts line
run --filter selftest.fails --out "$TMP/term-one" >"$TMP/term-one.log" 2>&1
grep -q '^  fail  selftest.fails$' "$TMP/term-one.log" || fail "recap: $(cat "$TMP/term-one.log")"
grep -q '^        .*answer = 41, expected 42' "$TMP/term-one.log" || fail "recap without message"
grep -q '^Result: FAIL  1 check in ' "$TMP/term-one.log" || fail "counts: $(tail -2 "$TMP/term-one.log")"
grep -q $'\033' "$TMP/term-one.log" && fail "colours into a file"
run --filter selftest.fails --out "$TMP/term-one" --color=always 2>&1 | grep -q $'\033\\[1;31mfail' ||
	fail "--color=always: no colour"

# a 70-column terminal: the progress line is cut, never wrapped (CI unset:
# under CI=true, as in CI itself, the runner prints plain lines on purpose)
tmux -L nc-term-$$ new-session -d -x 70 -y 20 -s t \
	"env -u CI ASAN_OPTIONS=$ASAN_OPTIONS $bin run --jobs 2 --expect tests/selftest-expect.txt --out $TMP/term-tty --filter 'selftest.hang*' --filter 'selftest.table.*'; sleep 30" ||
	fail "tmux"
trap 'tmux -L nc-term-$$ kill-server 2>/dev/null' EXIT
seen=0
for _ in $(seq 50); do
	tmux -L nc-term-$$ capture-pane -p -J -t t >"$TMP/term-pane.txt"
	grep -q '^\[[0-9]*/[0-9]*\] pass' "$TMP/term-pane.txt" && seen=1
	sed -n '/^Result:/q; p' "$TMP/term-pane.txt" | awk 'length($0) > 70 { bad = 1 } END { exit bad }' ||
		fail "a line wrapped at 70 columns: $(awk 'length($0) > 70' "$TMP/term-pane.txt")"
	grep -q '^Result:' "$TMP/term-pane.txt" && break
	sleep 0.1
done
[ $seen -eq 1 ] || fail "no progress line seen on the terminal: $(cat "$TMP/term-pane.txt")"
grep -q '^Result: FAIL' "$TMP/term-pane.txt" || fail "the run did not end: $(cat "$TMP/term-pane.txt")"
grep -q $'\033' "$TMP/term-pane.txt" && fail "escape codes left on screen"
exit 0
