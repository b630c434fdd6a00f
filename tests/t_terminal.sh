# What a person at a terminal, and a kselftest or kirk user, reaches for:
# list filtered like run, --exclude, the skip file, --repeat, --shuffle with
# its seed, the prove-style recap with colours as asked and a rerun command
# per problem, the short options (-h -j -v -q -x -r), --maxfail and
# --durations, piped results in plan order, and output that fits 80
# columns: list, help, the recap, and a progress line that never wraps in
# an 80-column terminal (tmux).
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
diff <(head -n -1 "$TMP/term-list.txt" | grep -v '^ ' | cut -d' ' -f1) <(verdicts "$TMP/term-sel/results.xml" | cut -f1) ||
	fail "list and run select differently"
# as many as the selftest checks listed one by one
n_selftest=$("$bin" list | grep -c '^selftest\.')
"$bin" list --areas | grep -q "^selftest  *$n_selftest checks\$" || fail "list --areas: $("$bin" list --areas)"

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

# the recap: each problem with its message and rerun command, then the counts
run --filter selftest.fails --out "$TMP/term-one" >"$TMP/term-one.log" 2>&1
grep -q '^  fail  selftest.fails$' "$TMP/term-one.log" || fail "recap: $(cat "$TMP/term-one.log")"
grep -q '^        .*answer = 41, expected 42' "$TMP/term-one.log" || fail "recap without message"
grep -q "^        rerun: netconform run --filter 'selftest.fails'$" "$TMP/term-one.log" ||
	fail "no rerun command: $(cat "$TMP/term-one.log")"
grep -q "rerun: netconform run --filter 'selftest.fails'" "$TMP/term-one/junit.xml" ||
	fail "junit.xml has no rerun command"
grep -q "netconform run --filter &#39;selftest.fails&#39;\|netconform run --filter 'selftest.fails'" \
	"$TMP/term-one/index.html" || fail "index.html has no rerun command"
grep -q '^Result: FAIL  1 check in ' "$TMP/term-one.log" || fail "counts: $(tail -2 "$TMP/term-one.log")"
grep -q $'\033' "$TMP/term-one.log" && fail "colours into a file"
run --filter selftest.fails --out "$TMP/term-one" --color=always 2>&1 | grep -q $'\033\\[1;31mfail' ||
	fail "--color=always: no colour"

# piped: a line per check in plan order (the slow hang finishes last but
# is shown in its place), its message indented under it; every line of
# what a run prints fits 80 columns
run --jobs 8 --filter 'selftest.*' --out "$TMP/term-pipe" -r --durations 3 >"$TMP/term-pipe.log" 2>&1
[ $? -eq 1 ] || fail "piped run: exit status"
diff <(grep -E '^(pass|fail|xfail|xpass|skip|error) ' "$TMP/term-pipe.log" | awk '{print $2}') \
	<(verdicts "$TMP/term-pipe/results.xml" | cut -f1) >/dev/null ||
	fail "piped lines are not in plan order: $(grep -E '^[a-z]+ +selftest' "$TMP/term-pipe.log" | head -5)"
grep -A1 '^fail  selftest.fails ' "$TMP/term-pipe.log" | grep -q '^      tests/selftest_checks.c:[0-9]*: answer = 41' ||
	fail "a message is not indented under its check: $(grep -A1 '^fail  selftest.fails' "$TMP/term-pipe.log")"
[ "$(wc -L <"$TMP/term-pipe.log")" -le 80 ] || fail "wider than 80: $(awk 'length > 80' "$TMP/term-pipe.log" | head -3)"
# -r: the xfail and skip reasons; --durations 3: the three slowest
sed -n '/^Known deviations (xfail) and skips/,/^$/p' "$TMP/term-pipe.log" | grep -A1 '^  xfail selftest.expected_failure$' |
	grep -q 'fails on purpose' || fail "-r: no xfail reason: $(cat "$TMP/term-pipe.log")"
sed -n '/^Known deviations (xfail) and skips/,/^$/p' "$TMP/term-pipe.log" | grep -q '^  skip  selftest.skips$' ||
	fail "-r: no skip"
[ "$(sed -n '/^Slowest 3 checks:$/,/^$/p' "$TMP/term-pipe.log" | grep -c '^ *[0-9.]* s  selftest\.')" = 3 ] ||
	fail "--durations 3: $(sed -n '/^Slowest/,/^$/p' "$TMP/term-pipe.log")"
# -x: the first problem stops the run; --maxfail 2: the second
"$bin" run -j 1 -x --expect tests/selftest-expect.txt --filter 'selftest.*' --out "$TMP/term-x" \
	>"$TMP/term-x.log" 2>&1
[ $? -eq 1 ] || fail "-x: exit status"
[ "$(verdicts "$TMP/term-x/results.xml" | grep -cE '	(fail|error|xpass)$')" = 1 ] ||
	fail "-x: not one problem: $(verdicts "$TMP/term-x/results.xml")"
grep -q "stopped at the problem limit (--maxfail): [0-9]* of $n_selftest checks not run" "$TMP/term-x.log" ||
	fail "-x: the recap does not say the run stopped: $(tail -5 "$TMP/term-x.log")"
[ -n "$(xmllint --xpath 'string(/*/@not-run)' "$TMP/term-x/results.xml")" ] || fail "-x: results.xml has no not-run="
"$bin" run -j 1 --maxfail 2 -q --expect tests/selftest-expect.txt --filter 'selftest.*' \
	--out "$TMP/term-max" >"$TMP/term-max.log" 2>&1
[ "$(verdicts "$TMP/term-max/results.xml" | grep -cE '	(fail|error|xpass)$')" = 2 ] ||
	fail "--maxfail 2: $(verdicts "$TMP/term-max/results.xml")"
grep -qE '^(pass|fail|error) ' "$TMP/term-max.log" && fail "-q: lines per check: $(head -3 "$TMP/term-max.log")"
run -v --filter selftest.passes --out "$TMP/term-v" | grep -q '^pass  selftest.passes ' || fail "-v: no line per check"
# short options: -h is --help; a short option without its value is one line
"$bin" run -h | grep -q -- '-j, --jobs N' || fail "run -h: $("$bin" run -h | head -3)"
"$bin" run -j >/dev/null 2>"$TMP/term-err.txt"
[ $? -eq 2 ] && grep -q "option '-j' needs a value" "$TMP/term-err.txt" || fail "-j alone: $(cat "$TMP/term-err.txt")"
for help in "--help" "run --help" "list --help" "compare --help" "doctor --help" "matrix --help"; do
	"$bin" $help >"$TMP/term-help.txt" || fail "$help: exit $?"
	[ "$(wc -L <"$TMP/term-help.txt")" -le 80 ] || fail "$help is wider than 80: $(awk 'length > 80' "$TMP/term-help.txt")"
done
"$bin" --help | grep -q '^  netconform matrix ' || fail "netconform --help does not name matrix"
"$bin" matrix --help | grep -q '^usage: netconform matrix' || fail "matrix --help"
for list in "" "--areas" "--clauses"; do
	[ "$("$bin" list $list | wc -L)" -le 80 ] || fail "list $list is wider than 80"
done

# an 80-column terminal: the progress line is cut, never wrapped, and the
# recap fits (CI unset: under CI=true, as in CI itself, the runner prints
# plain lines on purpose).  Everything the run writes to the terminal is
# kept (pipe-pane), each progress line in it judged; the pane is read once
# the run has said it ended (wait-for), not polled.
sock=nc-term-$$
trap 'tmux -L $sock kill-server 2>/dev/null' EXIT
tmux -L $sock new-session -d -x 80 -y 40 -s t \
	"tmux -L $sock pipe-pane -o -t t 'cat >$TMP/term-stream.txt'; env -u CI ASAN_OPTIONS=$ASAN_OPTIONS $bin run --jobs 2 --expect tests/selftest-expect.txt --out $TMP/term-tty --filter 'selftest.hang*' --filter 'selftest.table.*'; tmux -L $sock wait-for -S ran; sleep 120" ||
	fail "tmux"
timeout 120 tmux -L $sock wait-for ran || fail "the run did not end in 120 s"
tmux -L $sock capture-pane -p -J -t t >"$TMP/term-pane.txt"
# each line as the terminal shows it: cut at carriage returns, escapes dropped
tr '\r' '\n' <"$TMP/term-stream.txt" | sed 's/\x1b\[[0-9;]*[A-Za-z]//g' >"$TMP/term-shown.txt"
grep -q '^\[[0-9]*/[0-9]*\] pass' "$TMP/term-shown.txt" ||
	fail "no progress line seen on the terminal: $(cat -v "$TMP/term-stream.txt")"
for f in "$TMP/term-shown.txt" "$TMP/term-pane.txt"; do
	awk 'length($0) > 80 { bad = 1 } END { exit bad }' "$f" ||
		fail "a line wrapped at 80 columns: $(awk 'length($0) > 80' "$f")"
done
grep -q '^Result: FAIL' "$TMP/term-pane.txt" || fail "the run did not end: $(cat "$TMP/term-pane.txt")"
grep -q $'\033' "$TMP/term-pane.txt" && fail "escape codes left on screen"
exit 0
