# The checks against musl (netconform-musl, README "What musl does
# differently"): every check runs on musl with 0 fails, 0 xpasses and 0
# errors under the expectations of the running musl version (linux-musl.txt,
# or linux-musl-VERSION.txt where there is one); the checks whose bodies
# call the engine in the middle (sock_diag, fault counters, captures,
# sysctls, privileges) pass; compare lists what differs from glibc; the
# glibc and musl junit.xml merge without collisions; the reports name musl
# and its version; bad --libc and a missing musl are one
# line and exit 2.
. "$(dirname "$0")/lib.sh"
[ -x "$B/netconform-musl" ] || fail "$B/netconform-musl not built"
"$B/netconform" run --libc musl --out "$TMP/musl" >"$TMP/musl.txt" 2>&1 ||
	fail "run --libc musl: exit $? ($(grep -E '^(fail|xpass|error) ' "$TMP/musl.txt" | head -3; tail -3 "$TMP/musl.txt"))"
grep -q ' 0 fail, .* 0 xpass, .* 0 error' "$TMP/musl.txt" || fail "$(tail -2 "$TMP/musl.txt")"
version=$("$B/netconform-musl" version)
# the expectations of this musl version, else musl's own
expect=expectations/linux-${version/ /-}.txt
[ -f "$expect" ] || expect=expectations/linux-musl.txt
grep -q "<item name=\"expectations\">[^<]*/$expect<" "$TMP/musl/results.xml" ||
	fail "the musl run did not read $expect"
grep -q "$version" "$TMP/musl/results.xml" || fail "results.xml does not name $version"
grep -q "$version" "$TMP/musl/junit.xml" || fail "junit.xml does not name $version"
grep -q "$version" "$TMP/musl/index.html" || fail "index.html does not name $version"
r=$TMP/musl/results.xml
expect_verdict "$r" hostent.static_storage.by_name xfail	# a new hostent per call
expect_verdict "$r" servent.by_name.alias xfail		# no aliases read
expect_verdict "$r" getaddrinfo.resolves.dns-truncated xfail	# no TCP fallback
expect_verdict "$r" getaddrinfo.eai_noname.nodata pass	# glibc: EAI_NODATA
expect_verdict "$r" getaddrinfo.freeaddrinfo.dns pass	# the interposed allocator
expect_verdict "$r" handshake.sequence_numbers.ipv4 pass	# capture and sock_diag
expect_verdict "$r" handshake.final_ack.ipv6 pass	# a fault lifted mid-check
expect_verdict "$r" close.active_fin_wait_1.ipv4 pass	# a fault's counter waited for
expect_verdict "$r" connect.icmp_net_unreach.ipv4 xfail	# a fault's counter read (the kernel's line)
grep -q '<observed name="fins_dropped">1<' "$r" || fail "close.active_fin_wait_1: no FIN counted"
expect_verdict "$r" bind.privileged_port.ipv4-no-cap pass	# capset()
expect_verdict "$r" listen.backlog_clamped.int-max pass	# a sysctl set in host s
expect_verdict "$r" nameservers.first_fails.servfail pass	# two listeners, each its manner
expect_verdict "$r" nameservers.rotate.rotate xfail	# the DNS server's log read over the bridge
# glibc against musl: the differences listed, exit 1 (the glibc run is
# t_full_run's, when it made one)
glibc_suite || fail "glibc run: exit $?"
glibc=$TMP/glibc-suite
"$B/netconform" compare "$glibc" "$TMP/musl" --out "$TMP/musl-compare" >"$TMP/compare.txt"
[ $? -eq 1 ] || fail "compare glibc musl: exit status not 1"
grep -qE '^verdict +hostent.static_storage.by_name +pass -> xfail' "$TMP/compare.txt" ||
	fail "compare does not list hostent.static_storage.by_name: $(tail -1 "$TMP/compare.txt")"
# the two platforms' junit.xml merge without two suites or cases colliding
python3 tests/junit_merge.py "$TMP/merged.xml" "$glibc/junit.xml" "$TMP/musl/junit.xml" \
	>"$TMP/merge.txt" || fail "junit.xml of glibc and musl: $(cat "$TMP/merge.txt")"
xmllint --noout --schema tests/junit.xsd "$TMP/merged.xml" 2>/dev/null || fail "the merged junit.xml is not valid"
# the CLI: --libc in run's help, refused by the commands that do not use it
"$B/netconform" run --help | grep -q -- '--libc glibc|musl' || fail "run --help names no --libc"
"$B/netconform" list --libc musl >/dev/null 2>"$TMP/err.txt"
[ $? -eq 2 ] && grep -q "not one of list's" "$TMP/err.txt" || fail "list --libc: $(cat "$TMP/err.txt")"
# bad input
"$B/netconform" run --libc uclibc >"$TMP/out.txt" 2>"$TMP/err.txt"
[ $? -eq 2 ] && [ "$(wc -l <"$TMP/err.txt")" -eq 1 ] || fail "--libc uclibc: $(cat "$TMP/err.txt")"
mkdir -p "$TMP/lone"
cp "$B/netconform" "$TMP/lone/netconform"	# no netconform-musl beside it, no musl-gcc
PATH=$TMP/lone "$TMP/lone/netconform" run --libc musl --filter 'socket.*' --out "$TMP/lone/out" \
	>"$TMP/out.txt" 2>"$TMP/err.txt"
[ $? -eq 2 ] || fail "--libc musl without musl: exit status not 2"
[ "$(wc -l <"$TMP/err.txt")" -eq 1 ] && grep -q musl-tools "$TMP/err.txt" ||
	fail "--libc musl without musl: $(cat "$TMP/err.txt")"
"$B/netconform" doctor | grep -q "^musl (--libc musl) *ok *$version" || fail "doctor names no musl"
exit 0
