# The host is sacred: a full run, and a run killed with SIGKILL half-way,
# leave the host's links, addresses, routes, rules, qdiscs and net.* sysctls
# byte-identical, and no namespace, mount or process behind.
. "$(dirname "$0")/lib.sh"
bin=$B/netconform

snapshot() {
	ip -d link show
	ip addr show
	ip route show table all
	ip -6 route show table all
	ip rule show
	ip -6 rule show
	ip netns list
	tc qdisc show
	iptables-save 2>/dev/null | grep -v '^#'
	ip6tables-save 2>/dev/null | grep -v '^#'
	nft list ruleset 2>/dev/null
	# Counters and random keys move by themselves; the rest must not.
	sysctl -a 2>/dev/null | grep '^net\.' |
		grep -v -E 'nf_conntrack_count|netdev_rss_key|stable_secret|tcp_fastopen_key|random'
	awk '$3 == "nsfs" || $2 ~ "^/run/netns"' /proc/mounts
}

# wait_gone PATTERN: processes matching it are gone within 5 s.  PATTERN
# names this test's own run (its --out under $TMP): other netconforms may be
# running on this machine.
wait_gone() {
	for _ in $(seq 50); do
		pgrep -f -- "$1" >/dev/null || return 0
		sleep 0.1	# polling a fact (the process table), with a deadline
	done
	fail "processes left behind: $(pgrep -af -- "$1")"
}

snapshot >"$TMP/host.before"
"$bin" run --out "$TMP/safety-run" >"$TMP/safety-run.log" 2>&1; [ $? -le 1 ] ||
	fail "the full run failed: $(tail -5 "$TMP/safety-run.log")"
snapshot >"$TMP/host.after-run"
diff -u "$TMP/host.before" "$TMP/host.after-run" || fail "a run changed the host"

# Kill a run once half its checks are done, with its sandboxes in full use.
"$bin" run --jobs 4 --out "$TMP/safety-kill" >"$TMP/safety-kill.log" 2>&1 &
runner=$!
total=$("$bin" list | tail -1 | cut -d' ' -f1)
half=0
for _ in $(seq 200); do
	[ "$(grep -c '^[a-z]* ' "$TMP/safety-kill.log")" -ge $((total / 2)) ] && { half=1; break; }
	sleep 0.05	# polling a fact (the run's output), with a deadline
done
[ $half = 1 ] || { kill -KILL "$runner"; fail "the run did not get half way in 10 s"; }
kill -KILL "$runner"
wait "$runner" 2>/dev/null
wait_gone "--out $TMP/safety-kill"
snapshot >"$TMP/host.after-kill"
diff -u "$TMP/host.before" "$TMP/host.after-kill" || fail "a killed run changed the host"
[ ! -e "$TMP/safety-kill/junit.xml" ] || fail "a killed run left a report"
exit 0
