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

# A plan gives a mutant to the checks it names, and to them alone: the
# batches of mutate.sh rest on it.
echo "listen_noop listen.turns_passive.ipv4" >"$TMP/plan"
LD_PRELOAD=$lib NC_MUTANT_PLAN=$TMP/plan "$B/netconform" run --filter 'listen.turns_passive.*' \
	--out "$TMP/mutant-plan" >"$TMP/mutant-plan.log" 2>&1
expect_verdict "$TMP/mutant-plan/results.xml" listen.turns_passive.ipv4 fail
expect_verdict "$TMP/mutant-plan/results.xml" listen.turns_passive.ipv6 pass
echo "listen_noop listen.turns_passive.ipv4 listen.turns_passive.ipv4" >"$TMP/plan"
LD_PRELOAD=$lib NC_MUTANT_PLAN=$TMP/plan "$B/netconform" list >/dev/null 2>"$TMP/plan.err" &&
	fail "a plan naming a check twice was taken"
grep -q "plan:1: listen.turns_passive.ipv4 has a mutant already" "$TMP/plan.err" ||
	fail "a plan naming a check twice: $(cat "$TMP/plan.err")"

# each mutant first against the checks that caught it in make mutate, in
# batches of mutants whose checks differ (mutate.sh); 4 at a time what is
# left: a mutant's run alone mostly waits on its checks' timers
OUT=$TMP/mutate MUTATE_JOBS=${MUTATE_JOBS:-4} MUTATE_HINTS=tests/mutants/caught-by.txt bash tests/mutants/mutate.sh \
	>"$TMP/mutate.log" 2>&1 ||
	fail "$(grep -A1 -e SURVIVED -e mutate.sh: "$TMP/mutate.log")"
tail -n 1 "$TMP/mutate.log"
