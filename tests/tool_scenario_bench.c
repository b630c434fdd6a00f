/* build/tests/tool_scenario_bench [N_IN_PROCESS [N_SHELL]]: what a scenario
 * costs.  The same two-host topology (one veth, an address on each end, one
 * DROP and one REJECT rule, one sysctl) is built and torn down
 *   - N_IN_PROCESS times by nc_net_build()/nc_net_free() (default 200),
 *   - as many times again the way a check gets it: in a forked child in a
 *     fresh network namespace that builds and exits,
 *   - N_SHELL times (default 50) by ip netns/ip link/ip addr/iptables/sysctl
 *     commands, as a shell-scripted suite does it (tests/bench.sh
 *     --shell-iterations, which times each round itself);
 * and the medians and their ratio are printed.
 *
 * Everything runs inside the sandbox (nc_sandbox_enter) with a tmpfs on /run
 * of the sandbox's own mount namespace, so "ip netns add" names nothing on
 * the host.  bench.sh refuses to run its shell rounds in the host's network
 * namespace. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "builder.h"
#include "error.h"
#include "net.h"
#include "sandbox.h"
#include "scenario.h"
#include "scenario_parse.h"

static const char topology_ip4[] =
	"netns c s\n"
	"link veth c s\n"
	"addr c 198.18.0.1/24\n"
	"addr s 198.18.0.2/24\n"
	"fault s drop-9 input ip4 tcp dport 9 drop\n"
	"fault s reset-10 input ip4 tcp dport 10 reject tcp-reset\n"
	"sysctl c net.ipv4.tcp_syn_retries 1\n";

/* The same with both families, as most scenarios are: a second restore. */
static const char topology_dual[] =
	"netns c s\n"
	"link veth c s\n"
	"addr c 198.18.0.1/24 2001:db8::1/64\n"
	"addr s 198.18.0.2/24 2001:db8::2/64\n"
	"fault s drop-9 input tcp dport 9 drop\n"
	"fault s reset-10 input tcp dport 10 reject tcp-reset\n"
	"sysctl c net.ipv4.tcp_syn_retries 1\n";

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct stats {
	double median, p10, p90;
	int n;
};

static struct stats summarize(double *ms, int n)
{
	struct stats s = { 0, 0, 0, n };

	if (n == 0)
		return s;
	qsort(ms, (size_t)n, sizeof(*ms), by_value);
	s.median = n % 2 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
	s.p10 = ms[n / 10];
	s.p90 = ms[(n * 9) / 10 < n ? (n * 9) / 10 : n - 1];
	return s;
}

static void print_stats(const char *what, struct stats s)
{
	printf("%-44s median %7.2f ms  (p10 %6.2f, p90 %6.2f, n=%d)\n", what, s.median, s.p10,
	       s.p90, s.n);
}

static int parse(const char *name, const char *text, struct nc_scenario **scn)
{
	char err[512];

	if (nc_scenario_parse(name, text, scn, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int in_process(const struct nc_scenario *scn, int n, double *ms)
{
	for (int i = 0; i < n; i++) {
		struct nc_net *net;
		const char *missing;
		double start = nc_now_s() * 1e3;
		int err = nc_net_build(scn, &net, &missing);

		if (err < 0) {
			fprintf(stderr, "tool_scenario_bench: build: %s (%s)\n", strerror(-err),
				nc_error_message());
			return -1;
		}
		nc_net_free(net);
		ms[i] = nc_now_s() * 1e3 - start;
	}
	return 0;
}

/* As the runner does it: a child in a fresh namespace builds, then exits. */
static int in_child(const struct nc_scenario *scn, int n, double *ms)
{
	for (int i = 0; i < n; i++) {
		double start = nc_now_s() * 1e3;
		int status;
		pid_t pid = fork();

		if (pid < 0)
			return -1;
		if (pid == 0) {
			struct nc_net *net;
			const char *missing;

			if (unshare(CLONE_NEWNET) < 0 || nc_loopback_up() < 0)
				_exit(2);
			_exit(nc_net_build(scn, &net, &missing) < 0 ? 3 : 0);
		}
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "tool_scenario_bench: child build failed (%d)\n", status);
			return -1;
		}
		ms[i] = nc_now_s() * 1e3 - start;
	}
	return 0;
}

/* Runs bench.sh's shell rounds and reads one duration (us) per line. */
static int shell(int n, double *ms, int *got, unsigned long host_netns)
{
	char cmd[1024], line[128];
	FILE *out;
	int status;

	snprintf(cmd, sizeof(cmd), "NC_BENCH_HOST_NETNS=%lu bash %s/tests/bench.sh "
		 "--shell-iterations %d", host_netns, NC_SRCDIR, n);
	fflush(stdout);
	out = popen(cmd, "r");
	if (!out)
		return -1;
	*got = 0;
	while (fgets(line, sizeof(line), out) && *got < n)
		ms[(*got)++] = strtod(line, NULL) / 1000.0;
	status = pclose(out);
	return status == 0 && *got == n ? 0 : -1;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 200, n_shell = argc > 2 ? atoi(argv[2]) : 50, got = 0;
	struct nc_scenario *scn_ip4, *scn_dual;
	struct stat host_ns;
	struct stats mine, child, dual, sh = { 0 };
	double *ms;
	int err;

	if (n < 1 || n_shell < 0) {
		fprintf(stderr, "usage: tool_scenario_bench [N_IN_PROCESS [N_SHELL]]\n");
		return 2;
	}
	if (stat("/proc/self/ns/net", &host_ns) < 0)
		return 2;
	err = nc_sandbox_enter(NULL);
	if (err < 0) {
		fprintf(stderr, "tool_scenario_bench: cannot enter the sandbox: %s\n",
			strerror(-err));
		return 2;
	}
	/* "ip netns add" names namespaces under /run/netns: a /run of our own */
	if (mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0) {
		fprintf(stderr, "tool_scenario_bench: tmpfs on /run: %s\n", strerror(errno));
		return 2;
	}
	if (parse("bench-ip4", topology_ip4, &scn_ip4) < 0 ||
	    parse("bench-dual", topology_dual, &scn_dual) < 0)
		return 2;
	ms = calloc((size_t)(n > n_shell ? n : n_shell), sizeof(*ms));
	if (!ms)
		return 2;

	printf("two hosts, one veth, an address on each end, one DROP and one REJECT rule, "
	       "one sysctl\n");
	/* warm-up, not counted: the first builds load modules and fill caches */
	if (in_process(scn_ip4, 3, ms) < 0)
		return 1;
	if (in_process(scn_ip4, n, ms) < 0)
		return 1;
	mine = summarize(ms, n);
	print_stats("nc_net_build + nc_net_free, in-process", mine);
	if (in_child(scn_ip4, n, ms) < 0)
		return 1;
	child = summarize(ms, n);
	print_stats("fork + unshare + build + exit (as a check)", child);
	if (in_process(scn_dual, n, ms) < 0)
		return 1;
	dual = summarize(ms, n);
	print_stats("same, IPv4+IPv6 (IPv4 and IPv6 rules), in-process", dual);
	if (n_shell > 0) {
		if (shell(n_shell, ms, &got, (unsigned long)host_ns.st_ino) < 0) {
			fprintf(stderr, "tool_scenario_bench: the shell rounds failed (%d of %d)\n",
				got, n_shell);
			return 1;
		}
		sh = summarize(ms, got);
		print_stats("ip netns/link/addr + iptables + sysctl (shell)", sh);
		printf("ratio shell / in-process: %.1fx\n", sh.median / mine.median);
	}
	free(ms);
	nc_scenario_free(scn_ip4);
	nc_scenario_free(scn_dual);
	return 0;
}
