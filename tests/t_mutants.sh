# The suite tests itself (tests/mutants/, README "The suite tests itself"):
# a mutant acts only in check bodies -- the DNS server the resolver checks
# query stays real under mutants of bind(), listen(), accept() and close() --
# and a representative subset of the mutants is each caught: one per function
# under test, and the hardest to catch.  `make mutate` runs them all.
. "$(dirname "$0")/lib.sh"
lib=$(cd "$B" && pwd)/mutants.so
[ -f "$lib" ] || fail "$lib is not built"

for m in bind_port_byte_order listen_noop accept_empty_returns_at_once close_sends_rst; do
	LD_PRELOAD=$lib NC_MUTANT=$m "$B/netconform" run --filter 'hostent.by_name.*' \
		--filter 'getaddrinfo.resolves.*' --jobs 2 --out "$TMP/mutant-scope-$m" \
		>"$TMP/mutant-scope-$m.log" 2>&1 ||
		fail "$m reached beyond check bodies: $(tail -n 3 "$TMP/mutant-scope-$m.log")"
done

subset="socket_protocol_ignored bind_reuseaddr_ignored listen_backlog_minus_one
	accept_truncation_overrun connect_refused_waits connect_ehostunreach_as_enetunreach
	close_ignores_refcount close_drains_unread getsockname_len_is_copied
	getpeername_unconnected_zero gethostbyname_not_static gethostbyaddr_type_ignored
	getservbyname_port_host_order getservbyport_either_order getaddrinfo_addrlen_off_by_one
	freeaddrinfo_canonname_leak getnameinfo_overflow_truncates gai_strerror_overflow_as_memory"
# shellcheck disable=SC2086 # one word per mutant
OUT=$TMP/mutate bash tests/mutants/mutate.sh $subset >"$TMP/mutate.log" 2>&1 ||
	fail "a mutant survived: $(grep -A1 -e SURVIVED -e mutate.sh: "$TMP/mutate.log")"
tail -n 1 "$TMP/mutate.log"
