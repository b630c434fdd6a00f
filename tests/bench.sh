#!/usr/bin/env bash
# `make bench`: what a scenario costs, built in-process by lib/world/builder.c against
# the same topology built by ip/iptables/sysctl commands as a shell-scripted
# suite would (tests/tool_scenario_bench.c prints the medians and the ratio);
# then the whole suite against its floor, glibc and musl (suite_vs_floor).
#
#   bash tests/bench.sh [N_IN_PROCESS [N_SHELL]]
#
# With --shell-iterations N this script is the shell side: it is run by
# tool_scenario_bench inside its sandbox (own user, network and mount
# namespaces, a tmpfs on /run) and prints one duration in microseconds per
# round.  It refuses to run in the host's network namespace.
set -u
cd "$(dirname "$0")/.."

# The suite against its floor: BENCH_SUITE_RUNS (5) full runs per C
# library after one that is not counted (it warms the page cache and the
# kernel's slabs); the floor is the longest check of the run, which
# no order can hide (a 3 s connect() timeout and its setup).  Prints the
# median run, the floor and their ratio (the goal: 1.15 or less), and the
# machine's busy CPU time over the run (/proc/stat: the checks, their
# kernel work in kworkers too, and whatever else ran), with what it alone
# allows on these CPUs: a run whose CPU needs longer than its longest check
# is bound by the CPU, not by the order of its checks.
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
suite_vs_floor() {
	local libc=$1
	local out=$B/bench/suite-$libc runs=${BENCH_SUITE_RUNS:-5} ratios=""

	rm -rf "$out" "$out".run-*.log
	mkdir -p "$B/bench"
	for i in $(seq 0 "$runs"); do
		local before after
		before=$(busy_ticks)
		"$B/netconform" run --libc "$libc" --out "$out" >"$out.run-$i.log" 2>&1
		after=$(busy_ticks)
		[ -e "$out/results.xml" ] || { echo "bench: suite ($libc): no results (see $out.run-$i.log)"; return 1; }
		[ "$i" -eq 0 ] && continue
		ratios+="$(xmllint --xpath 'string(/netconform-results/@seconds)' "$out/results.xml") "
		ratios+="$(xmllint --xpath '//check/@seconds' "$out/results.xml" |
			   tr ' ' '\n' | sed -n 's/^seconds="\(.*\)"$/\1/p' | sort -g | tail -n 1) "
		ratios+="$(((after - before)))"$'\n'
	done
	echo "$ratios" | awk -v libc="$libc" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" \
		-v hz="$(getconf CLK_TCK)" -v cpus="$(nproc)" '
		NF == 3 { n++; run[n] = $1; floor[n] = $2; ratio[n] = $1 / $2; cpu[n] = $3 / hz }
		END {
			# the run of the median ratio
			for (i = 1; i <= n; i++) order[i] = i
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
				if (ratio[order[j]] < ratio[order[i]]) { t = order[i]; order[i] = order[j]; order[j] = t }
			m = order[int((n + 1) / 2)]
			printf "bench: suite (%s): %.2f s against a floor of %.2f s (its longest check): %.2fx, median of %d runs (%.2fx to %.2fx), load average %s\n",
				libc, run[m], floor[m], ratio[m], n, ratio[order[1]], ratio[order[n]], load
			printf "bench: suite (%s): that run kept the machine busy %.1f CPU-s: %.2f s on %d CPUs at the least, %.2fx its floor\n",
				libc, cpu[m], cpu[m] / cpus, cpus, cpu[m] / cpus / floor[m]
		}'
}

if [ "${1:-}" != --shell-iterations ]; then
	B=${B:-build}
	"$B/tests/tool_scenario_bench" "$@" || exit
	suite_vs_floor glibc || exit
	[ -x "$B/netconform-musl" ] && { suite_vs_floor musl || exit; }
	exit 0
fi

rounds=${2:?--shell-iterations N}
here=$(stat -L -c %i /proc/self/ns/net)
if [ -z "${NC_BENCH_HOST_NETNS:-}" ] || [ "$here" = "$NC_BENCH_HOST_NETNS" ]; then
	echo "bench.sh: the shell rounds run only inside tool_scenario_bench's sandbox" >&2
	exit 2
fi

# One round: the topology of tool_scenario_bench, then its teardown.
round() {
	ip netns add c && ip netns add s &&
	ip link add name s netns c type veth peer name c netns s &&
	ip -n c link set lo up && ip -n s link set lo up &&
	ip -n c addr add 198.18.0.1/24 dev s && ip -n s addr add 198.18.0.2/24 dev c &&
	ip -n c link set s up && ip -n s link set c up &&
	ip netns exec s iptables -A INPUT -p tcp --dport 9 -j DROP &&
	ip netns exec s iptables -A INPUT -p tcp --dport 10 -j REJECT --reject-with tcp-reset &&
	ip netns exec c sysctl -qw net.ipv4.tcp_syn_retries=1 &&
	ip netns del c && ip netns del s
}

for ((i = 0; i < rounds; i++)); do
	start=${EPOCHREALTIME/./}
	round || { echo "bench.sh: round $i failed" >&2; exit 1; }
	end=${EPOCHREALTIME/./}
	echo $((end - start))
done
