# index.html, compare.html and matrix.html as a person sees them: two real runs (the
# second with one expectation removed, so a known deviation fails), then
# headless Chromium checks the DOM (tests/browser/main.mjs) and leaves
# screenshots in reports/screenshots/.
. "$(dirname "$0")/lib.sh"
known=connect.icmp_host_unreach		# an xfail of expectations/linux-kernel.txt
filters=(--filter 'connect.*' --filter 'handshake.*' --filter 'close.*')
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || fail "chromium is missing (make deps)"

# playwright-core from the committed lock file, installed under build/
mod=$B/browser
npm_ci tests/browser "$mod"

# linux.txt with the lines it includes in place, less the known one
grep -q "^$known" expectations/linux-kernel.txt ||
	fail "$known is no longer in expectations/linux-kernel.txt"
cat expectations/{linux-abi,linux-kernel,glibc}.txt | grep -v '^include ' |
	grep -v "^$known" >"$TMP/browser-expect.txt"
"$B/netconform" run --out "$TMP/browser-a" "${filters[@]}" >"$TMP/browser-a.log" 2>&1
[ $? -le 1 ] || fail "run A: $(tail -3 "$TMP/browser-a.log")"
"$B/netconform" run --out "$TMP/browser-b" "${filters[@]}" \
	--expect "$TMP/browser-expect.txt" >"$TMP/browser-b.log" 2>&1
[ $? -eq 1 ] || fail "run B (without the $known expectation) did not fail"

# compare: exit 1 on a differing verdict, 0 on a run against itself, 2 on bad input
"$B/netconform" compare "$TMP/browser-a" "$TMP/browser-b" --out "$TMP/browser-b" \
	>"$TMP/compare.txt"
status=$?
[ $status -eq 1 ] || fail "compare A B: exit $status, expected 1"
grep -q "^verdict  $known" "$TMP/compare.txt" || fail "compare A B: $(cat "$TMP/compare.txt")"
"$B/netconform" compare "$TMP/browser-a" "$TMP/browser-a/results.xml" --out "$TMP" >/dev/null
status=$?
[ $status -eq 0 ] || fail "compare A A: exit $status, expected 0"

# matrix.html: the matrix of tests/matrix/ and a platform that did not run
mkdir -p "$TMP/browser-matrix/musl"
printf 'status: skipped\nreason: no musl here\n' >"$TMP/browser-matrix/musl/platform.txt"
"$B/netconform" matrix tests/matrix/*.xml "$TMP/browser-matrix/musl" \
	--out "$TMP/browser-matrix" >/dev/null
[ $? -eq 1 ] || fail "matrix of tests/matrix/: exit status, expected 1"

# the three pages in one Chromium (a launch was 3 to 4 s of CPU)
mkdir -p reports/screenshots
(cd "$mod" && node main.mjs "$TMP/browser-b/results.xml" "$TMP/browser-b/index.html" \
	"$TMP/browser-b/compare.html" "$OLDPWD/reports/screenshots" "$known" \
	"$TMP/browser-matrix/matrix.html") || fail "browser checks"
