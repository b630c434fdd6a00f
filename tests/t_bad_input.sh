# Bad input: one clear line on stderr, exit status 2, no reports written.
. "$(dirname "$0")/lib.sh"
bin=$B/asan/netconform-selftest
bad=$TMP/bad
mkdir -p "$bad"
printf 'selftest.fails xfail answer=41\n' >"$bad/no-reason.txt"
printf 'selftest.fails xfail  answers 41\n' >"$bad/no-pin.txt"
printf 'selftest.fails xfail  answer=41..40  answers 41\n' >"$bad/bad-range.txt"
printf 'selftest.fails xfail  "answer=41  answers 41\n' >"$bad/open-quote.txt"
printf '# a label\nselftest.fails xfail  "the answer"=41  answers 41\n' >"$bad/label-pin.txt"
printf 'selftest.*  xfail  answer=41  a\nselftest.fails  xfail  answer=41  b\n' >"$bad/twice.txt"
printf 'selftest.fails  xpass  why\n' >"$bad/bad-verdict.txt"
printf '# ok\n\nno.such.check  xfail  k=1  gone\n' >"$bad/unknown.txt"
printf 'selftest.fails\n' >"$bad/no-verdict.txt"
printf '# x\ninclude nope.txt\n' >"$bad/include-missing.txt"
printf 'include include-back.txt\n' >"$bad/include-cycle.txt"
printf '\ninclude include-cycle.txt\n' >"$bad/include-back.txt"
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
	"run --expect $bad/label-pin.txt|$bad/label-pin.txt:2: 'the answer' is no id"
	"run --expect $bad/twice.txt|$bad/twice.txt:2: 'selftest.fails' is already expected at line 1"
	"run --expect $bad/bad-verdict.txt|$bad/bad-verdict.txt:1: unknown verdict 'xpass'"
	"run --expect $bad/unknown.txt|$bad/unknown.txt:3: 'no.such.check' names no known check"
	"run --expect $bad/no-verdict.txt|$bad/no-verdict.txt:1: 'selftest.fails' has no verdict"
	"run --expect $bad/include-missing.txt|$bad/include-missing.txt:2: include 'nope.txt': cannot read $bad/nope.txt"
	"run --expect $bad/include-cycle.txt|$bad/include-back.txt:2: include 'include-cycle.txt' makes a cycle"
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
# Inputs that cannot hang or exhaust memory: a device, a FIFO, a file too
# large, an entity expansion, a quadratic amount of work: each is one line
# and exit 2, within a second of CPU (10 s would be a hang).
TIMEFORMAT='%3U %3S'
mkfifo "$bad/fifo"
python3 - "$bad" <<'PY'
import sys
d = sys.argv[1]
with open(d + "/200k-lines.txt", "w") as f:
    for i in range(200000): f.write("selftest.x%d xfail a=1 r\n" % i)
with open(d + "/50k-dup.txt", "w") as f:
    for i in range(50000): f.write("s.%d xfail a=1 r\n" % i)
    f.write("s.7 xfail a=1 r\n")
with open(d + "/100k-pins.txt", "w") as f:
    f.write("selftest.fails xfail " + " ".join("k%d=1" % i for i in range(100000)) + " r\n")
PY
printf 'secret-first-line\n' >"$bad/secret.txt" && chmod 0600 "$bad/secret.txt"
printf 'include secret.txt\n' >"$bad/include-secret.txt"
mkdir -p "$bad/scn" "$bad/fifo-platform" && mkfifo "$bad/fifo-platform/platform.txt"
cp scenarios/*.scn "$bad/scn/"
rm -f "$bad/scn/connect-refused.scn" && mkfifo "$bad/scn/connect-refused.scn"
# results files: an entity expansion, a check twice
ref=$TMP/bad-ref
"$bin" run --no-expect --filter selftest.passes --filter selftest.fails --out "$ref" >/dev/null 2>&1
python3 - "$ref/results.xml" "$bad" <<'PY'
import re, sys
r = open(sys.argv[1]).read(); d = sys.argv[2]
i = r.index("?>") + 2
open(d + "/entities.xml", "w").write(r[:i] + '\n<!DOCTYPE r [<!ENTITY a "' + "A" * 1000 +
    '"><!ENTITY b "' + "&a;" * 100 + '">]>' + r[i:].replace("<summary>", "<summary>&b;" * 50, 1))
m = re.search(r"\n  <check .*?\n  </check>", r, re.S)
open(d + "/twice.xml", "w").write(r[:m.end()] + m.group(0) + r[m.end():])
PY
bounded=(
	"run --expect /dev/zero|/dev/zero:0: cannot read: not a regular file"
	"run --expect /dev/urandom|/dev/urandom:0: cannot read: not a regular file"
	"run --expect /dev/full|/dev/full:0: cannot read: not a regular file"
	"run --expect $bad/fifo|$bad/fifo:0: cannot read: not a regular file"
	"run --skip-file /dev/zero|/dev/zero:0: cannot read: not a regular file"
	"run --skip-file $bad/fifo|$bad/fifo:0: cannot read: not a regular file"
	"run --expect $bad/200k-lines.txt|200k-lines.txt:0: cannot read: larger than netconform reads"
	"run --expect $bad/50k-dup.txt|50k-dup.txt:50001: 's.7' is already expected at line 8"
	"run --expect $bad/100k-pins.txt|100k-pins.txt:1: more than 64 pins on one line"
	"run --expect $bad/include-secret.txt|include 'secret.txt': $bad/secret.txt is not readable by everyone"
	"run --exclude *|--filter and --exclude select no check"
	"compare $bad/fifo $ref/results.xml|$bad/fifo:0: cannot read: not a regular file"
	"compare /dev/zero $ref/results.xml|/dev/zero:0: cannot read: not a regular file"
	"compare $bad/entities.xml $ref/results.xml|entities.xml:1: a DOCTYPE or ENTITY declaration"
	"matrix $bad/fifo $ref/results.xml|$bad/fifo:0: cannot read: not a regular file"
	"matrix $bad/fifo-platform $ref/results.xml|platform.txt: not a regular file"
	"matrix $bad/twice.xml $ref/results.xml|check 'selftest.fails' is here a second time"
)
for c in "${bounded[@]}"; do
	args=${c%%|*} want=${c#*|}
	# shellcheck disable=SC2086
	set -f; set -- $args; set +f
	[[ $1 == run ]] && set -- "$@" --out "$TMP/bad-out"
	[[ $1 == run && $args != *--expect* ]] && set -- "$@" --no-expect
	[[ $1 == matrix ]] && set -- "$@" --out "$TMP/bad-matrix"
	# CPU time, not the wall clock: the machine may be busy with others
	{ time timeout 10 "$bin" "$@" >"$TMP/bad.stdout" 2>"$TMP/bad.stderr"; } 2>"$TMP/bad.time"
	status=$?
	ms=$(awk '{ printf "%d", ($1 + $2) * 1000 }' "$TMP/bad.time")
	[ $status -eq 2 ] || fail "'$args': exit status $status, expected 2 (124: a hang)"
	[ "$(wc -l <"$TMP/bad.stderr")" -eq 1 ] || fail "'$args': not one line: $(head -c 300 "$TMP/bad.stderr")"
	grep -q -- "$want" "$TMP/bad.stderr" || fail "'$args': said '$(cat "$TMP/bad.stderr")', expected '$want'"
	[ "$ms" -lt 1000 ] || fail "'$args': took $ms ms of CPU"
done
grep -q secret-first-line "$TMP/bad.stderr" && fail "an include quoted a file others may not read"
timeout 10 "$B/asan/netconform" run --scenarios "$bad/scn" --out "$TMP/bad-scn-fifo" >/dev/null 2>"$TMP/bad.stderr"
[ $? -eq 2 ] && grep -q "connect-refused.scn: not a regular file" "$TMP/bad.stderr" ||
	fail "a FIFO scenario: $(cat "$TMP/bad.stderr")"

# Control bytes from a file or an argument reach no terminal and no ktap.txt raw.
printf 'selftest.expected_failure xfail answer=41 fails \033[31mred\a\n' >"$bad/escapes.txt"
"$bin" run --expect "$bad/escapes.txt" --filter selftest.expected_failure --out "$TMP/bad-esc" \
	>"$TMP/bad.stdout" 2>&1 || fail "a reason with ESC: exit $?"
grep -q "$(printf '[\033\a]')" "$TMP/bad.stdout" "$TMP/bad-esc/ktap.txt" && fail "ESC or BEL written raw"
grep -qF 'fails \e[31mred\a' "$TMP/bad-esc/ktap.txt" || fail "ktap.txt: $(grep XFAIL "$TMP/bad-esc/ktap.txt")"
"$bin" run --no-expect --filter "$(printf 'a\nb')" --out "$TMP/bad-out" 2>"$TMP/bad.stderr"
[ "$(wc -l <"$TMP/bad.stderr")" -eq 1 ] && grep -qF "'a\nb'" "$TMP/bad.stderr" ||
	fail "a newline in an argument: $(cat "$TMP/bad.stderr")"
exit 0
