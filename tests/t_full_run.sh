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
	# Well-formed as XML, and as HTML but for the inline SVG of the ladders
	# (libxml2 2.9's HTML parser knows only HTML 4 tags).
	xmllint --noout "$out/index.html" || fail "index.html is not well-formed"
	xmllint --html --noout "$out/index.html" 2>&1 |
		grep -v -E 'Tag (svg|g|line|polyline|polygon|path|text|tspan|title|rect|circle|marker|defs) invalid' |
		grep -E 'error' >"$out.html-errors"
	[ ! -s "$out.html-errors" ] || fail "index.html: $(head -3 "$out.html-errors")"
	tail -2 "$out.log"
done
exit 0
