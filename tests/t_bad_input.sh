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
	if [[ $args == *--out* ]]; then set -- $args; else set -- $args --out "$out"; fi
	# The selftest binary's checks are not those of expectations/linux.txt.
	[[ $1 == run && $args != *--expect* ]] && set -- "$@" --no-expect
	"$bin" "$@" >"$TMP/bad.stdout" 2>"$TMP/bad.stderr"
	status=$?
	[ $status -eq 2 ] || fail "'$args': exit status $status, expected 2"
	[ "$(wc -l <"$TMP/bad.stderr")" -eq 1 ] || fail "'$args': not one line: $(cat "$TMP/bad.stderr")"
	grep -q -- "$want" "$TMP/bad.stderr" || fail "'$args': said '$(cat "$TMP/bad.stderr")', expected '$want'"
	[ ! -e "$out/junit.xml" ] || fail "'$args': wrote a report"
done

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
