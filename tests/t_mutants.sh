# The suite tests itself (tests/mutants/, README "The suite tests itself"):
# a mutant acts only in check bodies -- the DNS server the resolver checks
# query stays real under mutants of bind(), listen(), accept() and close() --
# and every mutant is caught (`make mutate`, which also says by which checks).
. "$(dirname "$0")/lib.sh"
lib=$(cd "$B" && pwd)/mutants.so
[ -f "$lib" ] || fail "$lib is not built"

for m in bind_port_byte_order listen_noop accept_empty_returns_at_once close_sends_rst; do
	LD_PRELOAD=$lib NC_MUTANT=$m "$B/netconform" run --filter 'hostent.by_name.*' \
		--filter 'getaddrinfo.resolves.*' --jobs 2 --out "$TMP/mutant-scope-$m" \
		>"$TMP/mutant-scope-$m.log" 2>&1 ||
		fail "$m reached beyond check bodies: $(tail -n 3 "$TMP/mutant-scope-$m.log")"
done

# each mutant first against the checks that caught it in make mutate; 4
# at a time: a mutant's run mostly waits on its checks' timers (with the
# reference at the runner's --jobs, 161 s against 213 s at 2, both at load ~90)
OUT=$TMP/mutate MUTATE_JOBS=${MUTATE_JOBS:-4} MUTATE_HINTS=tests/mutants/caught-by.txt bash tests/mutants/mutate.sh \
	>"$TMP/mutate.log" 2>&1 ||
	fail "$(grep -A1 -e SURVIVED -e mutate.sh: "$TMP/mutate.log")"
tail -n 1 "$TMP/mutate.log"
