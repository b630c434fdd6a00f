# A sandbox that degrades, never breaks (lib/base/forced.h): with each
# fallback forced (no clone3, no pidfd, no SIOCSIFFLAGS) the suite gives the
# verdicts it gives without; with each capability forced missing (sock_diag,
# sysctls, nf_tables, veth, route types) a check that needs it is a skip
# with its reason, never a fail or an error, and the rest keep their verdict.
. "$(dirname "$0")/lib.sh"
# The runs as the whole suite runs (t_full_run's, glibc_suite), each with
# one set of capabilities forced missing
run() {	# NAME NC_FORCE_MISSING
	NC_FORCE_MISSING=$2 "$B/netconform" run --out "$TMP/$1" >"$TMP/$1.txt" 2>&1
	grep -q ' 0 fail, .* 0 xpass, .* 0 error' "$TMP/$1.txt" ||
		fail "$1 (NC_FORCE_MISSING=$2): $(grep -E '^  (fail|error|xpass) ' -A1 "$TMP/$1.txt" | head -4; tail -3 "$TMP/$1.txt" | head -1)"
	verdicts "$TMP/$1/results.xml" >"$TMP/$1.verdicts"
}
glibc_suite || fail "the suite on glibc: $(grep -E '^  (fail|error|xpass) ' -A1 "$TMP/glibc-suite.log" | head -4)"
host=$TMP/glibc-suite
verdicts "$host/results.xml" >"$TMP/host.verdicts"
# Every verdict that changed is a skip whose reason names what is missing.
changed_to_skip() {	# NAME REASON-REGEX: prints how many changed
	local n=0 id was now line
	local -A message
	while IFS=$'\t' read -r id line; do message[$id]+=$line$'\n'; done < <(messages "$TMP/$1/results.xml")
	while read -r id was now; do
		[ "$was" = "$now" ] && continue
		[ "$now" = skip ] || fail "$1: $id $was -> $now"
		grep -qE "$2" <<<"${message[$id]-}" || fail "$1: $id skipped for another reason: ${message[$id]-}"
		n=$((n + 1))
	done < <(join "$TMP/host.verdicts" "$TMP/$1.verdicts")
	echo "$n"
}
sysctls=sysctl:net.ipv4.tcp_syn_retries,sysctl:net.core.somaxconn,sysctl:net.ipv4.ip_unprivileged_port_start,sysctl:net.ipv4.tcp_abort_on_overflow,sysctl:net.ipv6.conf.all.disable_ipv6
# The fallbacks (no clone3, no pidfd, no SIOCSIFFLAGS) forced in the same
# run: they must change no verdict, so every change is a sysctl's skip (one
# run of the suite less than a run of their own)
run sysctls "pidfd,clone3,ifflags,$sysctls"
n=$(changed_to_skip sysctls 'sysctl .*read-only or absent|writable sysctl') || exit 1
[ "$n" -ge 10 ] || fail "sysctls: only $n checks skipped"
# The connect() checks whose bound is a means, not the subject, bound
# their SYNs with TCP_SYNCNT instead: the same verdict, the same SYNs.
r=$TMP/sysctls/results.xml
expect_verdict "$r" connect.timeout.ipv4-TCP_SYNCNT pass
expect_verdict "$r" connect.timeout.ipv4-tcp_syn_retries skip
expect_verdict "$r" connect.icmp_host_unreach.ipv4 "$(verdict_of "$host/results.xml" connect.icmp_host_unreach.ipv4)"
xmllint --xpath "//check[@id='connect.icmp_host_unreach.ipv4']" "$r" | grep -q 'TCP_SYNCNT' ||
	fail "connect.icmp_host_unreach.ipv4 did not bound its SYNs with TCP_SYNCNT"
# The rest in one run (each check skips for the first it meets).
run capabilities sock_diag,nf_tables,veth,route_types
n=$(changed_to_skip capabilities 'sock_diag .*has none|needs nf_tables|needs veth|needs routes of the scenario.s types') || exit 1
[ "$n" -ge 60 ] || fail "capabilities: only $n checks skipped"
r=$TMP/capabilities/results.xml
expect_verdict "$r" close.active_fin_wait_2.ipv4 skip	# veth
expect_verdict "$r" bind.time_wait.ipv4 skip		# sock_diag
expect_verdict "$r" hostent.h_errno_timeout.dropped skip	# nf_tables
