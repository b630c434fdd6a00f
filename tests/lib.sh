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
# verdicts RESULTS_XML: "id verdict" lines, sorted.
verdicts() {
	xmllint --xpath '//check/@id | //check/@verdict' "$1" 2>/dev/null |
		tr ' ' '\n' | sed -n 's/^id="\(.*\)"/\1/p; s/^verdict="\(.*\)"/\1/p' | paste - - | sort
}
