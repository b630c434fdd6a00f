#!/usr/bin/env bash
# `make bench`: what a scenario costs, built in-process by lib/world/builder.c against
# the same topology built by ip/iptables/sysctl commands as a shell-scripted
# suite would (tests/tool_scenario_bench.c prints the medians and the ratio).
#
#   bash tests/bench.sh [N_IN_PROCESS [N_SHELL]]
#
# With --shell-iterations N this script is the shell side: it is run by
# tool_scenario_bench inside its sandbox (own user, network and mount
# namespaces, a tmpfs on /run) and prints one duration in microseconds per
# round.  It refuses to run in the host's network namespace.
set -u
cd "$(dirname "$0")/.."

if [ "${1:-}" != --shell-iterations ]; then
	B=${B:-build}
	exec "$B/tests/tool_scenario_bench" "$@"
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
