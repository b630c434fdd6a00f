# The whole suite with the default expectations: no fail, error or xpass;
# its junit.xml validates against the schema, its index.html parses.
. "$(dirname "$0")/lib.sh"
for bin in "$B/netconform" "$B/asan/netconform"; do
	out=$TMP/full-$(basename "$(dirname "$bin")")
	"$bin" run --out "$out" >"$out.log" 2>&1 || {
		grep -E '^(fail|error|xpass) ' "$out.log"
		tail -3 "$out.log"
		fail "$bin run: not clean"
	}
	xmllint --noout --schema tests/junit.xsd "$out/junit.xml" || fail "junit.xml is not valid"
	xmllint --html --noout "$out/index.html" 2>"$out.html-errors" || true
	[ ! -s "$out.html-errors" ] || fail "index.html: $(head -3 "$out.html-errors")"
	tail -2 "$out.log"
done
exit 0
