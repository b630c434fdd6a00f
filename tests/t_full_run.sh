# The whole suite with the default expectations: no fail, error or xpass;
# its junit.xml validates against the schema, its index.html parses.  The
# glibc run is the one t_musl and t_degrade compare with (glibc_suite).
. "$(dirname "$0")/lib.sh"
judge() {	# NAME OUT LOG STATUS
	[ "$4" -eq 0 ] || {
		grep -E '^(fail|error|xpass) ' "$3"
		tail -3 "$3"
		fail "$1 run: not clean"
	}
	xmllint --noout --schema tests/junit.xsd "$2/junit.xml" || fail "$1: junit.xml is not valid"
	# Well-formed as XML, and as HTML but for the inline SVG of the ladders
	# (libxml2 2.9's HTML parser knows only HTML 4 tags).
	xmllint --noout "$2/index.html" || fail "$1: index.html is not well-formed"
	xmllint --html --noout "$2/index.html" 2>&1 |
		grep -v -E 'Tag (svg|g|line|polyline|polygon|path|text|tspan|title|rect|circle|marker|defs) invalid' |
		grep -E 'error' >"$2.html-errors"
	[ ! -s "$2.html-errors" ] || fail "$1: index.html: $(head -3 "$2.html-errors")"
	tail -2 "$3"
}
glibc_suite
judge "$B/netconform" "$TMP/glibc-suite" "$TMP/glibc-suite.log" $?
out=$TMP/full-asan
"$B/asan/netconform" run --out "$out" >"$out.log" 2>&1
judge "$B/asan/netconform" "$out" "$out.log" $?
exit 0
