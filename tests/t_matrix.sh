# netconform matrix on small results files (tests/matrix/: three platforms,
# one check skipped on one, one failing on another, one whose EAI code
# differs while every platform calls it a known deviation) and a platform
# that did not run: the rows that differ come first, grouped by clause, each
# clause's state per platform, exit status 1 for a failing platform, 0
# without; bad input is one line, exit status 2, and nothing written.
. "$(dirname "$0")/lib.sh"
fixtures=tests/matrix

for nc in "$B/netconform" "$B/asan/netconform"; do
	[ -x "$nc" ] || continue
	out=$TMP/matrix-$(basename "$(dirname "$nc")")
	mkdir -p "$out/musl"
	printf 'status: skipped\nreason: no musl here\n' >"$out/musl/platform.txt"
	mkdir -p "$out/vm-6.1-glibc"
	cp "$fixtures/vm-6.1-glibc.xml" "$out/vm-6.1-glibc/results.xml"

	"$nc" matrix "$fixtures/host-glibc.xml" "$out/vm-6.1-glibc" \
		"$fixtures/vm-6.12-glibc.xml" "$out/musl" --out "$out/page" >"$out/stdout" 2>"$out/stderr"
	status=$?
	[ $status -eq 1 ] || fail "$nc matrix: exit status $status, expected 1 ($(cat "$out/stderr"))"
	[ ! -s "$out/stderr" ] || fail "matrix wrote to stderr: $(cat "$out/stderr")"
	t=$out/page/matrix.txt
	[ -s "$out/page/matrix.html" ] || fail "no matrix.html"
	grep -v '^matrix: ' "$out/stdout" | cmp -s - "$t" || fail "matrix.txt is not what stdout showed"
	grep -q '^netconform matrix: 4 platforms, 5 checks, 3 differ across platforms$' "$t" ||
		fail "summary line: $(head -1 "$t")"
	# 80 columns; the header names each platform's kernel and libc, or why it did not run
	[ "$(wc -L <"$t")" -le 80 ] || fail "matrix.txt is wider than 80 columns: $(awk 'length > 80' "$t" | head -2)"
	grep -A1 -E '^  vm-6.12-glibc +Linux 6.12.117\+deb13-amd64, glibc 2.41, QEMU TCG$' "$t" |
		grep -Eq '^ +2 pass, 1 fail, 2 xfail' || fail "vm-6.12-glibc header: $(grep -A1 vm-6.12 "$t" | head -2)"
	grep -Eq '^  vm-6.1-glibc +Linux 6.1.0-56-amd64, glibc 2.36, QEMU TCG' "$t" ||
		fail "a run directory is not named after itself"
	grep -Eq '^  musl +skipped: no musl here$' "$t" || fail "the skipped platform's reason is missing"
	# the differing rows first, under their clause, with the value that matters:
	# each value on a line with the platforms that show it
	differ=$(sed -n '/^Differ across platforms (3 checks)$/,/^Same on every platform/p' "$t")
	[ -n "$differ" ] || fail "no 'Differ across platforms' section before the rest: $(cat "$t")"
	row() { echo "$differ" | sed -n "/^ *$1\$/,/^ \{0,2\}[^ ]/p" | sed '1d; $d' | grep . | tr -s ' ' | paste -sd'|'; }
	[ "$(row getaddrinfo.servfail)" = " xfail EAI_AGAIN host-glibc, vm-6.1-glibc| xfail EAI_FAIL vm-6.12-glibc" ] ||
		fail "an EAI code that differs under the same verdict: '$(row getaddrinfo.servfail)'"
	[ "$(row getaddrinfo.nonexistent)" = " pass EAI_NONAME host-glibc, vm-6.1-glibc| fail EAI_AGAIN vm-6.12-glibc" ] ||
		fail "a failing platform: '$(row getaddrinfo.nonexistent)'"
	[ "$(row connect.blocks_until_established.ipv4)" = " skip host-glibc| pass 205 vm-6.1-glibc| pass 233 vm-6.12-glibc" ] ||
		fail "a skipped check: '$(row connect.blocks_until_established.ipv4)'"
	[ "$(row gai-7)" = " deviates host-glibc, vm-6.1-glibc| fails vm-6.12-glibc" ] ||
		fail "clause gai-7's states: $(row gai-7)"
	# elapsed_ms differs everywhere by nature: connect.refused is the same
	sed -n '/^Same on every platform/,$p' "$t" | grep -q '^  connect.refused.ipv4 ' ||
		fail "connect.refused.ipv4 (only elapsed_ms differs) is not among the same"
	grep -q 'class="check differs" data-id="getaddrinfo.servfail"' "$out/page/matrix.html" ||
		fail "matrix.html does not highlight getaddrinfo.servfail"

	# no fail, error or xpass anywhere: exit status 0
	"$nc" matrix "$fixtures/host-glibc.xml" "$out/vm-6.1-glibc" "$out/musl" \
		--out "$out/clean" >/dev/null 2>&1
	status=$?
	[ $status -eq 0 ] || fail "matrix without a failing platform: exit status $status"
	# a platform that could not run by error is a failure of the matrix
	mkdir -p "$out/broken"
	printf 'status: error\nreason: the guest did not boot\n' >"$out/broken/platform.txt"
	"$nc" matrix "$fixtures/host-glibc.xml" "$out/broken" --out "$out/clean" >/dev/null 2>&1
	status=$?
	[ $status -eq 1 ] || fail "matrix with a platform in error: exit status $status"

	# bad input: one line, exit status 2, no page
	head -c 700 "$fixtures/host-glibc.xml" >"$out/truncated.xml"
	mkdir -p "$out/empty" "$out/badplatform"
	printf 'status: maybe\n' >"$out/badplatform/platform.txt"
	bad() {	# bad MESSAGE ARGS...
		local message=$1
		shift
		rm -rf "$out/bad"
		"$nc" matrix "$@" --out "$out/bad" >"$out/bad.out" 2>"$out/bad.err"
		status=$?
		[ $status -eq 2 ] || fail "matrix $*: exit status $status, expected 2"
		[ "$(wc -l <"$out/bad.err")" -eq 1 ] || fail "matrix $*: not one line: $(cat "$out/bad.err")"
		grep -qF -- "$message" "$out/bad.err" || fail "matrix $*: '$(cat "$out/bad.err")' lacks '$message'"
		[ ! -e "$out/bad/matrix.html" ] || fail "matrix $*: a page despite bad input"
	}
	bad "$out/missing.xml:0: cannot read: No such file" "$fixtures/host-glibc.xml" "$out/missing.xml"
	bad "tests/junit.xsd:" "$fixtures/host-glibc.xml" tests/junit.xsd
	bad "$out/truncated.xml:" "$out/truncated.xml"
	bad "a run directory holds results.xml" "$out/empty"
	bad "$out/badplatform/platform.txt:1: expected" "$out/badplatform"
	bad "matrix needs results files" 
	bad "unexpected '--bogus'" "$fixtures/host-glibc.xml" --bogus
done
exit 0
