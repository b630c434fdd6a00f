# Issue 20's coverage view: `netconform list --clauses` shows, for every
# clause of suite/clause_axes.c, the axes that apply with the values the
# checks cover, and an applicable axis no check covers as "missing" -- which
# this test refuses, so that a gap is a red test, not a silent line.
. "$(dirname "$0")/lib.sh"
"$B/netconform" list --clauses >"$TMP/clauses.txt" 2>&1 || fail "list --clauses failed"
grep -q '^connect-5 ' "$TMP/clauses.txt" || fail "no connect-5 in list --clauses"
# the view itself: connect-5's line names its axes and their values
awk '/^connect-5 /{on=1} on && /axes:/{print; exit}' "$TMP/clauses.txt" |
	grep -q 'mode: .*nonblocking.* · form: .*mapped' ||
	fail "connect-5's axes line is not 'mode: ... · form: ...': $(grep -A4 '^connect-5 ' "$TMP/clauses.txt" | tail -1)"
missing=$(awk '/^[a-z_]+-[0-9]+ /{id=$1} /axes:.*missing/{print id}' "$TMP/clauses.txt" | paste -sd' ' -)
[ -z "$missing" ] || fail "applicable axes left uncovered (missing) for: $missing"
tail -n 1 "$TMP/clauses.txt"
