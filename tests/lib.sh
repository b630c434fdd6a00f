# Helpers for tests/t_*.sh.  Each test script exits non-zero on its first
# failed assertion, saying which.
set -u
B=${B:-build}
TMP=${TMP:-$(mktemp -d)}

fail() { echo "FAILED: $*" >&2; exit 1; }

# verdict_of RESULTS_XML ID: the verdict the run gave a check.
verdict_of() {
	xmllint --xpath "string(//check[@id='$2']/@verdict)" "$1" 2>/dev/null
}
message_of() {
	xmllint --xpath "string(//check[@id='$2']/message)" "$1" 2>/dev/null
}
expect_verdict() {	# RESULTS_XML ID VERDICT
	local got
	got=$(verdict_of "$1" "$2")
	[ "$got" = "$3" ] || fail "$2: verdict '$got', expected '$3' ($(message_of "$1" "$2"))"
}
# messages RESULTS_XML: an "id<TAB>line" line for each line of each check's
# message: one parse for the whole run, where message_of is one a check.
messages() {
	python3 - "$1" <<'PY'
import sys
import xml.etree.ElementTree as ET
for check in ET.parse(sys.argv[1]).getroot().iter("check"):
    for line in (check.findtext("message") or "").splitlines():
        print(check.get("id") + "\t" + line)
PY
}
# overloaded RESULTS_XML: the ids of the checks whose error names the
# overload (harness/verdict.c: "too loaded to judge"), a line each: a
# verdict the machine, not the check, decided.
overloaded() {
	xmllint --xpath '//check[@verdict="error" and contains(message, "too loaded to judge")]/@id' \
		"$1" 2>/dev/null | tr ' ' '\n' | sed -n 's/^id="\(.*\)"$/\1/p'
}
# verdicts RESULTS_XML: "id verdict" lines, sorted.
verdicts() {
	xmllint --xpath '//check/@id | //check/@verdict' "$1" 2>/dev/null |
		tr ' ' '\n' | sed -n 's/^id="\(.*\)"/\1/p; s/^verdict="\(.*\)"/\1/p' | paste - - | sort
}
# npm_ci SRC DEST: the packages of SRC's committed lock file, and SRC's
# scripts, in DEST (under build/), installed again only when the lock changes.
npm_ci() {
	command -v node >/dev/null || fail "node is missing (make deps)"
	mkdir -p "$2"
	cp "$1"/package.json "$1"/package-lock.json "$1"/*.mjs "$2/"
	if ! cmp -s "$1/package-lock.json" "$2/node_modules/.package-lock.json.installed"; then
		(cd "$2" && npm ci --no-audit --no-fund --silent) || fail "npm ci in $2"
		cp "$1/package-lock.json" "$2/node_modules/.package-lock.json.installed"
	fi
}
# synth_results RESULTS_XML N: a results file of N checks, the run's own
# repeated with ids made unique (".copyK"), for measuring and bad input.
synth_results() {
	awk -v n="$2" '
		/^  <check / { inside = 1; block = "" }
		inside { block = block $0 "\n"; if ($0 ~ /^  <\/check>/) { blocks[nb++] = block; inside = 0 }; next }
		nb == 0 { head = head $0 "\n"; next }
		{ tail = tail $0 "\n" }
		END {
			printf "%s", head
			for (i = 0; i < n; i++) {
				b = blocks[i % nb]
				sub(/" area="/, ".copy" int(i / nb) "\" area=\"", b)
				printf "%s", b
			}
			printf "%s", tail
		}' "$1"
}
# glibc_suite: the whole suite on glibc with the default expectations, run
# once for all the steps that share $TMP (tests/run.sh gives them one):
# t_full_run judges it, t_musl compares musl with it, t_degrade compares the
# degraded runs with it.  Its reports in $TMP/glibc-suite, what it printed
# in $TMP/glibc-suite.log; returns its exit status.  Run again when the
# program is not the one that made it.
glibc_suite() {
	local dir=$TMP/glibc-suite made
	made=$(stat -c '%n %Y %s' "$B/netconform") || return 2
	(
		flock 9
		if [ "$(cat "$dir.made" 2>/dev/null)" != "$made" ]; then
			rm -rf "$dir" "$dir.made"
			"$B/netconform" run --out "$dir" >"$dir.log" 2>&1
			echo $? >"$dir.status"
			echo "$made" >"$dir.made"
		fi
	) 9>"$dir.lock"
	return "$(cat "$dir.status")"
}
# open_fifo: $fifo, a FIFO the runner's test hooks (NC_SELFTEST_RUNNING,
# NC_TEST_REPORT_PAUSE) write a line to when they get there, open read-write
# on descriptor 3 (opening never blocks, reading waits for the writer).  A
# check's body is confined (no uid of the host's as root): the FIFO is where
# anyone may reach it, not under the 0700 $TMP.  Removed on exit.
open_fifo() {
	fifo_dir=$(mktemp -d /tmp/netconform-fifo.XXXXXX)
	trap 'rm -rf "$fifo_dir"' EXIT
	chmod 755 "$fifo_dir"
	fifo=$fifo_dir/fifo
	mkfifo -m 666 "$fifo"
	exec 3<>"$fifo"
}
# start_interruptible BIN OUT [OPTION...]: a selftest run of four checks
# (fails, interruptible, passes, skips) one at a time, in the background
# ($pid), reports in OUT, stdout in OUT.out, stderr in OUT.err; returns once
# the second, selftest.interruptible, runs: it waits for a signal.
start_interruptible() {
	local bin=$1 out=$2 said
	shift 2
	NC_SELFTEST_RUNNING=$fifo "$bin" run --jobs 1 --expect tests/selftest-expect.txt \
		--filter selftest.fails --filter selftest.interruptible --filter selftest.passes \
		--filter selftest.skips --out "$out" "$@" >"$out.out" 2>"$out.err" &
	pid=$!
	read -r -t 120 -u 3 said || fail "$out: selftest.interruptible never ran: $(tail -3 "$out.err")"
}
