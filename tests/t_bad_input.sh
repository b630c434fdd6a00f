# Bad input: one clear line on stderr, exit status 2, no reports written.
. "$(dirname "$0")/lib.sh"
bin=$B/asan/netconform-selftest
bad=$TMP/bad
mkdir -p "$bad"
printf 'selftest.fails xfail answer=41\n' >"$bad/no-reason.txt"
printf 'selftest.fails xfail  answers 41\n' >"$bad/no-pin.txt"
printf 'selftest.fails xfail  answer=41..40  answers 41\n' >"$bad/bad-range.txt"
printf 'selftest.fails xfail  "answer=41  answers 41\n' >"$bad/open-quote.txt"
printf 'selftest.*  xfail  answer=41  a\nselftest.fails  xfail  answer=41  b\n' >"$bad/twice.txt"
printf 'selftest.fails  xpass  why\n' >"$bad/bad-verdict.txt"
printf '# ok\n\nno.such.check  xfail  k=1  gone\n' >"$bad/unknown.txt"
printf 'selftest.fails\n' >"$bad/no-verdict.txt"
mkdir -p "$bad/ro" && chmod 0555 "$bad/ro"

# args ... -- expected stderr pattern
cases=(
	"run --bogus|option '--bogus' is unknown"
	"run --jobs 0|--jobs: '0' is not a number from 1 to 256"
	"run --jobs x|--jobs: 'x' is not a number"
	"run --timeout -3|--timeout: '-3' is not a number"
	"run --deadline-scale nan|--deadline-scale: 'nan' is not a number from 1 to 100"
	"run --deadline-scale inf|--deadline-scale: 'inf' is not a number"
	"run --deadline-scale 1e999|--deadline-scale: '1e999' is not a number"
	"run --deadline-scale 2x|--deadline-scale: '2x' is not a number"
	"run --jobs 4294967297|--jobs: '4294967297' is not a number from 1 to 256"
	"run --repeat 0|--repeat: '0' is not a number from 1 to 1000"
	"run --shuffle=-1|--shuffle: '-1' is not a number"
	"run --vm-timeout 5.5|--vm-timeout: '5.5' is not a number"
	"run --format tap|--format: 'tap' is neither text nor ktap"
	"run --color=sometimes|--color: 'sometimes' is not auto, always or never"
	"run --clauses|option '--clauses' is not one of run's"
	"run extra|unexpected argument 'extra'"
	"list --jobs 3|option '--jobs' is not one of list's"
	"list --out x|option '--out' is not one of list's"
	"list --filter nomatch.*|--filter 'nomatch.\*' matches no check"
	"list --exclude nomatch.*|--exclude 'nomatch.\*' matches no check"
	"doctor --filter x|option '--filter' is not one of doctor's"
	"compare a b --jobs 2|option '--jobs' is not one of compare's"
	"compare a|needs two results files"
	"run --skip-file $bad/missing.txt|$bad/missing.txt:0: cannot read"
	"run --skip-file $bad/no-verdict.txt|$bad/no-verdict.txt:1: 'selftest.fails' needs a reason"
	"run --skip-file $bad/unknown.txt|$bad/unknown.txt:3: 'no.such.check' names no known check"
	"frobnicate|unknown command 'frobnicate'"
	"run --filter nomatch.*|--filter 'nomatch.\*' matches no check"
	"run --expect $bad/missing.txt|$bad/missing.txt:0: cannot read"
	"run --expect $bad/no-reason.txt|$bad/no-reason.txt:1: 'selftest.fails xfail' needs a reason"
	"run --expect $bad/no-pin.txt|$bad/no-pin.txt:1: 'selftest.fails xfail' pins no value"
	"run --expect $bad/bad-range.txt|$bad/bad-range.txt:1: 'answer=41..40': a range is LO..HI"
	"run --expect $bad/open-quote.txt|$bad/open-quote.txt:1: unterminated quote"
	"run --expect $bad/twice.txt|$bad/twice.txt:2: 'selftest.fails' is already expected at line 1"
	"run --expect $bad/bad-verdict.txt|$bad/bad-verdict.txt:1: unknown verdict 'xpass'"
	"run --expect $bad/unknown.txt|$bad/unknown.txt:3: 'no.such.check' names no known check"
	"run --expect $bad/no-verdict.txt|$bad/no-verdict.txt:1: 'selftest.fails' has no verdict"
	"run --out /proc/version/x|--out /proc/version/x:"
)
# Root writes anywhere: make the read-only case real only for others.
[ "$(id -u)" -ne 0 ] && cases+=("run --out $bad/ro|--out $bad/ro: Permission denied")

for c in "${cases[@]}"; do
	args=${c%%|*} want=${c#*|}
	out=$TMP/bad-out
	rm -rf "$out"
	# shellcheck disable=SC2086
	set -- $args
	[[ $1 == run && $args != *--out* ]] && set -- "$@" --out "$out"
	# The selftest binary's checks are not those of expectations/linux.txt.
	[[ $1 == run && $args != *--expect* ]] && set -- "$@" --no-expect
	"$bin" "$@" >"$TMP/bad.stdout" 2>"$TMP/bad.stderr"
	status=$?
	[ $status -eq 2 ] || fail "'$args': exit status $status, expected 2"
	[ "$(wc -l <"$TMP/bad.stderr")" -eq 1 ] || fail "'$args': not one line: $(cat "$TMP/bad.stderr")"
	[ ! -s "$TMP/bad.stdout" ] || fail "'$args': printed on stdout: $(head -3 "$TMP/bad.stdout")"
	grep -q -- "$want" "$TMP/bad.stderr" || fail "'$args': said '$(cat "$TMP/bad.stderr")', expected '$want'"
	[ ! -e "$out/junit.xml" ] || fail "'$args': wrote a report"
done

# Every command's --help lists its options and exit codes, and only its own.
for cmd in run list doctor compare; do
	"$bin" $cmd --help >"$TMP/help.txt" 2>&1 || fail "$cmd --help: exit $?"
	grep -q '^exit status:' "$TMP/help.txt" || fail "$cmd --help: no exit codes"
	grep -q -- '--help' "$TMP/help.txt" || fail "$cmd --help: lists no option"
done
"$bin" list --help | grep -q -- '--jobs' && fail "list --help lists --jobs"
"$bin" run --help | grep -q -- '--deadline-scale X' || fail "run --help lacks --deadline-scale"

# --version names the commit this binary was built from.
"$bin" --version >"$TMP/version.txt" || fail "--version: exit $?"
grep -q "^commit $(git rev-parse HEAD)" "$TMP/version.txt" ||
	fail "--version: $(cat "$TMP/version.txt"), HEAD is $(git rev-parse HEAD)"

# A bad scenario is refused before any namespace is made, naming its line.
scn=$TMP/bad-scenarios
mkdir -p "$scn" && cp scenarios/*.scn "$scn/"
echo "addr   s 10.0.0.1/24" >>"$scn/connect-refused.scn"
"$B/asan/netconform" run --scenarios "$scn" --out "$TMP/bad-scn-out" 2>"$TMP/bad.stderr" >/dev/null
status=$?
[ $status -eq 2 ] || fail "bad scenario: exit status $status, expected 2"
grep -q "connect-refused.scn:8: addr: 10.0.0.1/24 is outside the allowed ranges" "$TMP/bad.stderr" ||
	fail "bad scenario: said '$(cat "$TMP/bad.stderr")'"
[ ! -e "$TMP/bad-scn-out/junit.xml" ] || fail "bad scenario: wrote a report"
exit 0
