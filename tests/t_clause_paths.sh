# Issue 20's coverage view: `netconform list --clauses` shows, for every
# clause of suite/clause_axes.c, the axes that apply with the values the
# checks cover, and an applicable axis no check covers as "missing" -- which
# this test refuses, so that a gap is a red test, not a silent line.
. "$(dirname "$0")/lib.sh"
"$B/netconform" list --clauses >"$TMP/clauses.txt" 2>&1 || fail "list --clauses failed"
grep -q '^connect-5$' "$TMP/clauses.txt" || fail "no connect-5 in list --clauses"
# "ID axes-text" per clause: the axes line with its wrapped continuation lines
awk '/^[a-z_]+-[0-9]+$/ { id = $1; on = 0 }
     /^    axes: / { on = 1; text[id] = $0; next }
     on && /^      / { text[id] = text[id] " " $0; next }
     { on = 0 }
     END { for (i in text) { t = text[i]; gsub(/ +/, " ", t); print i t } }' \
	"$TMP/clauses.txt" >"$TMP/axes.txt"
# the view itself: connect-5's line names its axes and their values
grep '^connect-5 ' "$TMP/axes.txt" | grep -q 'mode: .*nonblocking.* · form: .*mapped' ||
	fail "connect-5's axes line is not 'mode: ... · form: ...': $(grep '^connect-5 ' "$TMP/axes.txt")"
missing=$(awk '/missing/ { print $1 }' "$TMP/axes.txt" | sort | paste -sd' ' -)
[ -z "$missing" ] || fail "applicable axes left uncovered (missing) for: $missing"
tail -n 1 "$TMP/clauses.txt"
