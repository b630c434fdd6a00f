/* build/tests/tool_net_check: builds each kind of scenario element inside a
 * sandbox and checks it from inside with the kernel's own view (netlink
 * dumps, iptables counters, sock_diag, what connect() returns).  Prints one
 * line per check and "N passed, N failed"; exits 1 on a failure.
 *
 * Each check runs in its own forked child (they run concurrently: the long
 * ones wait 3 s for a SYN timeout) and writes to its own memfd, which the
 * parent prints in order.  Nothing here touches the host: nc_sandbox_enter()
 * comes first, and every host is a namespace of a child. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netlink/cache.h>
#include <netlink/idiag/idiagnl.h>
#include <netlink/idiag/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/route.h>

#include "clock.h"
#include "builder.h"
#include "check.h"
#include "error.h"
#include "host.h"
#include "net.h"
#include "net_fault.h"
#include "sandbox.h"
#include "scenario.h"
#include "scenario_parse.h"
#include "sockaddr.h"
#include "diag.h"

/* --- Reporting: shared counters, one memfd of text per check --- */

static struct counts {
	int passed, failed;
} *counts;

static void __attribute__((format(printf, 3, 4))) report(bool ok, const char *name,
							  const char *fmt, ...)
{
	char detail[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	printf("%-5s %-44s %s\n", ok ? "ok" : "FAIL", name, detail);
	__atomic_add_fetch(ok ? &counts->passed : &counts->failed, 1, __ATOMIC_SEQ_CST);
}

static void __attribute__((format(printf, 2, 3))) note(const char *name, const char *fmt, ...)
{
	char detail[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	printf("%-5s %-44s %s\n", "info", name, detail);
}

static const char *errname(int err)
{
	return err == 0 ? "0 (connected)" : nc_errno_name(err);
}

/* Builds a scenario given as text; on failure reports and returns NULL. */
static struct nc_net *build_text(const char *name, const char *text)
{
	struct nc_scenario *scn;
	struct nc_net *net;
	const char *missing;
	char err[512];
	int ret;

	if (nc_scenario_parse(name, text, &scn, err, sizeof(err)) < 0) {
		report(false, name, "parse: %s", err);
		return NULL;
	}
	ret = nc_net_build(scn, &net, &missing);
	nc_scenario_free(scn);
	if (ret < 0) {
		report(false, name, "build: %s (%s)", strerror(-ret), nc_error_message());
		return NULL;
	}
	return net;
}

#define BASE_TOPOLOGY							\
	"netns c s\n"							\
	"link veth c s\n"						\
	"addr c 198.18.0.1/24 2001:db8::1/64\n"				\
	"addr s 198.18.0.2/24 2001:db8::2/64\n"

/* --- connect() attempts, all at once (non-blocking, then poll) --- */

struct attempt {
	const char *label;
	const char *peer;
	int fd;
	int err;	/* 0: connected */
	long ms;
};

/* Starts each attempt from the calling thread's namespace and waits for all
 * (SO_ERROR gives what a blocking connect() would return). */
static void connect_all(struct attempt *a, int n, int timeout_ms)
{
	long start = (long)nc_now_ms();
	int pending = 0;

	for (int i = 0; i < n; i++) {
		struct nc_sockaddr peer;

		a[i].fd = -1;
		a[i].err = EINVAL;
		if (nc_sockaddr_parse(a[i].peer, &peer) < 0)
			continue;
		a[i].fd = socket(peer.sa.sa_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (a[i].fd < 0) {
			a[i].err = errno;
			continue;
		}
		if (connect(a[i].fd, &peer.sa, peer.len) == 0) {
			a[i].err = 0;
		} else if (errno == EINPROGRESS) {
			a[i].err = -1;
			pending++;
		} else {
			a[i].err = errno;
		}
		a[i].ms = (long)nc_now_ms() - start;
	}
	while (pending > 0 && (long)nc_now_ms() - start < timeout_ms) {
		struct pollfd pfd[64];
		int idx[64], m = 0;

		for (int i = 0; i < n && m < 64; i++)
			if (a[i].err == -1) {
				pfd[m] = (struct pollfd){ .fd = a[i].fd, .events = POLLOUT };
				idx[m++] = i;
			}
		if (poll(pfd, (nfds_t)m, (int)(timeout_ms - ((long)nc_now_ms() - start))) <= 0)
			break;
		for (int j = 0; j < m; j++) {
			socklen_t len = sizeof(int);
			int soerr = 0;

			if (!pfd[j].revents)
				continue;
			getsockopt(a[idx[j]].fd, SOL_SOCKET, SO_ERROR, &soerr, &len);
			a[idx[j]].err = soerr;
			a[idx[j]].ms = (long)nc_now_ms() - start;
			pending--;
		}
	}
	for (int i = 0; i < n; i++)
		if (a[i].err == -1) {
			a[i].err = ETIME;	/* still pending: our own timeout */
			a[i].ms = (long)nc_now_ms() - start;
		}
}

static void close_all(struct attempt *a, int n)
{
	for (int i = 0; i < n; i++)
		if (a[i].fd >= 0)
			close(a[i].fd);
}

static int listen_on(const char *where)
{
	struct nc_sockaddr addr;
	int fd, one = 1;

	if (nc_sockaddr_parse(where, &addr) < 0)
		return -1;
	fd = socket(addr.sa.sa_family, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, &addr.sa, addr.len) < 0 || listen(fd, 8) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* --- The kernel's view through libnl, from inside a host --- */

static struct nl_sock *rtnl_in(struct nc_host *host)
{
	struct nl_sock *sk;

	if (nc_host_enter(host) < 0 || !(sk = nl_socket_alloc()))
		return NULL;
	if (nl_connect(sk, NETLINK_ROUTE) < 0) {
		nl_socket_free(sk);
		return NULL;
	}
	return sk;
}

/* The flags of address cidr, or -1 if the host does not have it. */
static int addr_flags(struct nl_sock *sk, const char *cidr)
{
	struct nl_cache *cache;
	int flags = -1;

	if (rtnl_addr_alloc_cache(sk, &cache) < 0)
		return -1;
	for (struct nl_object *o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct rtnl_addr *a = (struct rtnl_addr *)o;
		char text[64];

		nl_addr2str(rtnl_addr_get_local(a), text, sizeof(text));
		if (strcmp(text, cidr) == 0)
			flags = (int)rtnl_addr_get_flags(a);
	}
	nl_cache_free(cache);
	return flags;
}

/* The type (RTN_*) of the route to dest, or -1. */
static int route_type(struct nl_sock *sk, const char *dest, char *gateway, size_t size)
{
	struct nl_cache *cache;
	int type = -1;

	if (rtnl_route_alloc_cache(sk, AF_UNSPEC, 0, &cache) < 0)
		return -1;
	for (struct nl_object *o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct rtnl_route *r = (struct rtnl_route *)o;
		char text[64];

		nl_addr2str(rtnl_route_get_dst(r), text, sizeof(text));
		if (strcmp(text, dest) != 0 || rtnl_route_get_table(r) != RT_TABLE_MAIN)
			continue;
		type = rtnl_route_get_type(r);
		if (gateway) {
			struct rtnl_nexthop *nh = rtnl_route_nexthop_n(r, 0);

			gateway[0] = '\0';
			if (nh && rtnl_route_nh_get_gateway(nh))
				nl_addr2str(rtnl_route_nh_get_gateway(nh), gateway, size);
		}
	}
	nl_cache_free(cache);
	return type;
}

/* --- Checks --- */

static void check_topology(void)
{
	static const char *const text =
		"netns c s r\n"
		"link veth c s\n"
		"link veth s r\n"
		"addr c 198.18.0.1/24 2001:db8::1/64\n"
		"addr s dev c 198.18.0.2/24 2001:db8::2/64\n"
		"addr s dev r 198.51.100.1/24 2001:db8:51::1/64\n"
		"addr r 198.51.100.2/24 2001:db8:51::2/64\n"
		"route c 198.51.100.0/24 via 198.18.0.2\n"
		"route c 2001:db8:51::/64 via 2001:db8::2\n"
		"route c unreachable 203.0.113.0/24\n"
		"route c prohibit 192.0.2.0/25\n"
		"route c blackhole 192.0.2.128/25\n"
		"route c unreachable 2001:db8:113::/48\n"
		"sysctl s net.ipv4.ip_forward 1\n"
		"sysctl s net.ipv6.conf.all.forwarding 1\n"
		"route r default via 198.51.100.1\n"
		"route r default via 2001:db8:51::1\n";
	static const struct { const char *host, *cidr; } addrs[] = {
		{ "c", "198.18.0.1/24" }, { "c", "2001:db8::1/64" },
		{ "s", "198.18.0.2/24" }, { "s", "2001:db8::2/64" },
		{ "s", "198.51.100.1/24" }, { "r", "2001:db8:51::2/64" },
		{ "c", "127.0.0.1/8" },
	};
	static const struct { const char *dest, *gateway; int type; } routes[] = {
		{ "198.51.100.0/24", "198.18.0.2", RTN_UNICAST },
		{ "2001:db8:51::/64", "2001:db8::2", RTN_UNICAST },
		{ "203.0.113.0/24", "", RTN_UNREACHABLE },
		{ "192.0.2.0/25", "", RTN_PROHIBIT },
		{ "192.0.2.128/25", "", RTN_BLACKHOLE },
		{ "2001:db8:113::/48", "", RTN_UNREACHABLE },
	};
	struct nc_net *net = build_text("topology", text);
	struct attempt through_router[2] = {
		{ "ipv4", "198.51.100.2:7", -1, 0, 0 },
		{ "ipv6", "[2001:db8:51::2]:7", -1, 0, 0 },
	};

	if (!net)
		return;
	for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		struct nl_sock *sk = rtnl_in(nc_net_host(net, addrs[i].host));
		int flags = sk ? addr_flags(sk, addrs[i].cidr) : -1;
		char name[64];

		snprintf(name, sizeof(name), "addr %s %s", addrs[i].host, addrs[i].cidr);
		report(flags >= 0 && !(flags & IFA_F_TENTATIVE), name,
		       flags < 0 ? "missing" : flags & IFA_F_TENTATIVE ? "tentative" :
		       strchr(addrs[i].cidr, ':') ? (flags & IFA_F_NODAD ? "present, nodad"
									 : "present")
						   : "present");
		nl_socket_free(sk);
	}
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		struct nl_sock *sk = rtnl_in(nc_net_host(net, "c"));
		char gateway[64] = "", name[64], type_name[32];
		int type = sk ? route_type(sk, routes[i].dest, gateway, sizeof(gateway)) : -1;

		snprintf(name, sizeof(name), "route c %s", routes[i].dest);
		nl_rtntype2str(type, type_name, sizeof(type_name));
		report(type == routes[i].type && strcmp(gateway, routes[i].gateway) == 0, name,
		       "%s%s%s", type < 0 ? "missing" : type_name,
		       gateway[0] ? " via " : "", gateway);
		nl_socket_free(sk);
	}
	/* A listener in r, reached from c through s: the routes carry packets. */
	int saved_listeners[2];

	nc_host_enter(nc_net_host(net, "r"));
	saved_listeners[0] = listen_on("198.51.100.2:7");
	saved_listeners[1] = listen_on("[2001:db8:51::2]:7");
	nc_host_enter(nc_net_host(net, "c"));
	connect_all(through_router, 2, 3000);
	for (int i = 0; i < 2; i++)
		report(saved_listeners[i] >= 0 && through_router[i].err == 0,
		       i == 0 ? "route via a router, ipv4" : "route via a router, ipv6",
		       "connect(%s) = %s in %ld ms", through_router[i].peer,
		       errname(through_router[i].err), through_router[i].ms);
	close_all(through_router, 2);
	nc_net_free(net);
}

/* Right after the build, both veth ends pass packets: no SYN is lost to the
 * noop qdisc of an end not yet seen by linkwatch. */
static void check_link_ready(void)
{
	struct nc_net *net = build_text("link ready", BASE_TOPOLOGY);
	struct attempt at_once[2] = {
		{ "ipv4", "198.18.0.2:7", -1, 0, 0 },
		{ "ipv6", "[2001:db8::2]:7", -1, 0, 0 },
	};
	struct attempt after_down[2] = {
		{ "ipv4", "198.18.0.2:7", -1, 0, 0 },
		{ "ipv6", "[2001:db8::2]:7", -1, 0, 0 },
	};
	int l4, l6, err;

	if (!net)
		return;
	nc_host_enter(nc_net_host(net, "s"));
	l4 = listen_on("198.18.0.2:7");
	l6 = listen_on("[2001:db8::2]:7");
	nc_host_enter(nc_net_host(net, "c"));
	connect_all(at_once, 2, 3000);
	for (int i = 0; i < 2; i++)
		report(l4 >= 0 && l6 >= 0 && at_once[i].err == 0 && at_once[i].ms < 500,
		       i == 0 ? "link usable at once, ipv4" : "link usable at once, ipv6",
		       "connect(%s) = %s in %ld ms", at_once[i].peer, errname(at_once[i].err),
		       at_once[i].ms);
	close_all(at_once, 2);

	err = nc_link_set_up(nc_net_host(net, "c"), "s", false);
	connect_all(after_down, 1, 500);
	report(err == 0 && after_down[0].err != 0, "nc_link_set_up(c, s, false)",
	       "= %d; connect(%s) = %s", err, after_down[0].peer, errname(after_down[0].err));
	close_all(after_down, 1);
	err = nc_link_set_up(nc_net_host(net, "c"), "s", true);
	connect_all(after_down, 2, 3000);
	for (int i = 0; i < 2; i++)
		report(err == 0 && after_down[i].err == 0 && after_down[i].ms < 500,
		       i == 0 ? "nc_link_set_up(c, s, true), ipv4" : "nc_link_set_up(c, s, true), ipv6",
		       "connect(%s) = %s in %ld ms", after_down[i].peer,
		       errname(after_down[i].err), after_down[i].ms);
	close_all(after_down, 2);
	nc_net_free(net);
}

static void check_sysctls(void)
{
	static const struct { const char *name, *value; } values[] = {
		{ "net.ipv4.tcp_syn_retries", "1" },
		{ "net.ipv4.tcp_retries2", "3" },
		{ "net.core.somaxconn", "7" },
		{ "net.ipv4.ip_unprivileged_port_start", "80" },
		{ "net.ipv4.ip_local_port_range", "40000 40100" },
		{ "net.ipv4.tcp_abort_on_overflow", "1" },
		{ "net.ipv4.tcp_fin_timeout", "5" },
		{ "net.ipv4.tcp_synack_retries", "2" },
		{ "net.ipv6.conf.s.disable_ipv6", "0" },
	};
	char text[2048], got[64], home_before[64] = "", home_after[64] = "";
	struct nc_net *net;
	int len, err;

	len = snprintf(text, sizeof(text), "%s", BASE_TOPOLOGY);
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		len += snprintf(text + len, sizeof(text) - (size_t)len, "sysctl c %s %s\n",
				values[i].name, values[i].value);
	{
		int fd = open("/proc/sys/net/ipv4/tcp_syn_retries", O_RDONLY);
		ssize_t n = fd >= 0 ? read(fd, home_before, sizeof(home_before) - 1) : -1;

		home_before[n > 0 ? n : 0] = '\0';
		if (fd >= 0)
			close(fd);
	}
	net = build_text("sysctls", text);
	if (!net)
		return;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char name[80];

		err = nc_sysctl_get(nc_net_host(net, "c"), values[i].name, got, sizeof(got));
		snprintf(name, sizeof(name), "sysctl %s", values[i].name);
		report(err == 0 && strcmp(got, values[i].value) == 0, name, "reads back \"%s\"",
		       err ? strerror(-err) : got);
	}
	err = nc_sysctl_get(nc_net_host(net, "s"), "net.ipv4.tcp_syn_retries", got, sizeof(got));
	report(err == 0 && strcmp(got, "6") == 0, "sysctl is per host",
	       "s still has tcp_syn_retries %s", err ? strerror(-err) : got);
	err = nc_sysctl_set(nc_net_host(net, "s"), "net.ipv4.tcp_syn_retries", "2");
	nc_sysctl_get(nc_net_host(net, "s"), "net.ipv4.tcp_syn_retries", got, sizeof(got));
	report(err == 0 && strcmp(got, "2") == 0, "nc_sysctl_set at run time", "reads back %s",
	       got);
	err = nc_sysctl_set(nc_net_host(net, "s"), "kernel.hostname", "x");
	report(err == -EPERM, "nc_sysctl_set refuses unknown names", "kernel.hostname: %s",
	       strerror(-err));
	err = nc_sysctl_set(nc_net_host(net, "s"), "net.ipv4.tcp_syn_retries", "0");
	report(err == -EINVAL, "nc_sysctl_set refuses bad values", "tcp_syn_retries 0: %s",
	       strerror(-err));
	nc_net_free(net);
	{
		int fd = open("/proc/sys/net/ipv4/tcp_syn_retries", O_RDONLY);
		ssize_t n = fd >= 0 ? read(fd, home_after, sizeof(home_after) - 1) : -1;

		home_after[n > 0 ? n : 0] = '\0';
		if (fd >= 0)
			close(fd);
	}
	report(strcmp(home_before, home_after) == 0, "sysctl stays in its host",
	       "the builder's own namespace still has tcp_syn_retries %.*s",
	       (int)strcspn(home_after, "\n"), home_after);
}

/* DROP: the SYNs vanish, connect() times out; the rule's counter moves.
 * tcp_syn_retries 1 bounds the attempt to 3 s (1 + 2 s of exponential
 * backoff).  Linux >= 6.5 retransmits the first SYNs 1 s apart
 * (tcp_syn_linear_timeouts, default 4), so 3 SYNs fit in those 3 s; with
 * linear timeouts 0 it is the classic 2. */
static void check_drop_with(const char *linear_timeouts, unsigned syns_per_family)
{
	char text[1024], name[80];
	struct nc_net *net;
	struct attempt a[2] = {
		{ "ipv4", "198.18.0.2:9", -1, 0, 0 },
		{ "ipv6", "[2001:db8::2]:9", -1, 0, 0 },
	};
	uint64_t packets = 0;
	int len, err;

	len = snprintf(text, sizeof(text), "%s", BASE_TOPOLOGY
		       "fault s syn-drop input tcp dport 9 drop\n"
		       "sysctl c net.ipv4.tcp_syn_retries 1\n");
	if (linear_timeouts)
		snprintf(text + len, sizeof(text) - (size_t)len,
			 "sysctl c net.ipv4.tcp_syn_linear_timeouts %s\n", linear_timeouts);
	net = build_text("drop", text);
	if (!net)
		return;
	nc_host_enter(nc_net_host(net, "c"));
	connect_all(a, 2, 10000);
	for (int i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "drop: connect, %s, linear timeouts %s", a[i].label,
			 linear_timeouts ? linear_timeouts : "default");
		report(a[i].err == ETIMEDOUT && a[i].ms >= 2500 && a[i].ms < 4500, name,
		       "connect(%s) = %s after %ld ms (tcp_syn_retries 1)", a[i].peer,
		       errname(a[i].err), a[i].ms);
	}
	close_all(a, 2);
	err = nc_fault_packets(net, "syn-drop", &packets);
	snprintf(name, sizeof(name), "drop: rule counter, linear timeouts %s",
		 linear_timeouts ? linear_timeouts : "default");
	report(err == 0 && packets == 2 * syns_per_family, name,
	       "nc_fault_packets(syn-drop) = %s, %llu SYNs dropped (%u per family)",
	       err ? strerror(-err) : "0", (unsigned long long)packets, syns_per_family);
	nc_net_free(net);
}

static void check_drop(void)
{
	char value[16] = "";
	int fd = open("/proc/sys/net/ipv4/tcp_syn_linear_timeouts", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, value, sizeof(value) - 1) : -1;

	if (fd >= 0)
		close(fd);
	value[n > 0 ? n : 0] = '\0';
	/* 0 s, 1 s, 2 s when the kernel has linear SYN timeouts; 0 s, 1 s before */
	check_drop_with(NULL, n > 0 && atoi(value) > 0 ? 3 : 2);
}

static void check_drop_exponential(void)
{
	if (access("/proc/sys/net/ipv4/tcp_syn_linear_timeouts", F_OK) == 0)
		check_drop_with("0", 2);
}

/* Every reject type, each on its own port, both families at once. */
static void check_rejects(void)
{
	static const struct reject_case {
		const char *type;
		int want4, want6;	/* what Linux returns to connect() */
	} cases[] = {
		{ "tcp-reset",              ECONNREFUSED, ECONNREFUSED },
		{ "icmp-net-unreachable",   ENETUNREACH,  ENETUNREACH },
		{ "icmp-host-unreachable",  EHOSTUNREACH, EHOSTUNREACH },
		{ "icmp-port-unreachable",  ECONNREFUSED, ECONNREFUSED },
		{ "icmp-admin-prohibited",  EHOSTUNREACH, EACCES },
		{ "icmp-net-prohibited",    ENETUNREACH,  EACCES },
		{ "icmp-host-prohibited",   EHOSTUNREACH, EACCES },
		{ "icmp6-no-route",         ENETUNREACH,  ENETUNREACH },
		{ "icmp6-addr-unreachable", EHOSTUNREACH, EHOSTUNREACH },
		{ "icmp6-port-unreachable", ECONNREFUSED, ECONNREFUSED },
		{ "icmp6-adm-prohibited",   EHOSTUNREACH, EACCES },
	};
	enum { N = sizeof(cases) / sizeof(cases[0]) };
	struct attempt a[2 * N];
	char text[4096], peers[2 * N][64];
	int len = snprintf(text, sizeof(text), "%s", BASE_TOPOLOGY
			   "sysctl c net.ipv4.tcp_syn_retries 1\n"
			   /* one ICMP error per SYN, none held back by the limiter */
			   "sysctl s net.ipv4.icmp_ratelimit 0\n"
			   "sysctl s net.ipv6.icmp.ratelimit 0\n");
	struct nc_net *net;

	for (int i = 0; i < N; i++)
		len += snprintf(text + len, sizeof(text) - (size_t)len,
				"fault s reject-%d input tcp dport %d reject %s\n", i, 100 + i,
				cases[i].type);
	net = build_text("rejects", text);
	if (!net)
		return;
	for (int i = 0; i < N; i++) {
		snprintf(peers[2 * i], sizeof(peers[0]), "198.18.0.2:%d", 100 + i);
		snprintf(peers[2 * i + 1], sizeof(peers[0]), "[2001:db8::2]:%d", 100 + i);
		a[2 * i] = (struct attempt){ "ipv4", peers[2 * i], -1, 0, 0 };
		a[2 * i + 1] = (struct attempt){ "ipv6", peers[2 * i + 1], -1, 0, 0 };
	}
	nc_host_enter(nc_net_host(net, "c"));
	connect_all(a, 2 * N, 10000);
	for (int i = 0; i < 2 * N; i++) {
		const struct reject_case *c = &cases[i / 2];
		int want = i % 2 ? c->want6 : c->want4;
		char name[80];

		snprintf(name, sizeof(name), "reject %s, %s", c->type, a[i].label);
		report(a[i].err == want, name, "connect() = %s after %ld ms%s%s", errname(a[i].err),
		       a[i].ms, a[i].err == want ? "" : ", expected ", a[i].err == want ? ""
									: errname(want));
	}
	close_all(a, 2 * N);
	nc_net_free(net);
}

/* Routes of the client: the error comes from the route, no packet leaves. */
static void check_route_errors(void)
{
	static const struct route_case {
		const char *label, *peer;
		int want;
	} cases[] = {
		{ "no route, ipv4", "203.0.113.9:9", ENETUNREACH },
		{ "no route, ipv6", "[2001:db8:113::9]:9", ENETUNREACH },
		{ "unreachable route, ipv4", "198.51.100.9:9", EHOSTUNREACH },
		{ "unreachable route, ipv6", "[2001:db8:51::9]:9", EHOSTUNREACH },
		{ "prohibit route, ipv4", "192.0.2.9:9", EACCES },
		{ "prohibit route, ipv6", "[2001:db8:2::9]:9", EACCES },
		{ "blackhole route, ipv4", "192.0.2.200:9", EINVAL },
		{ "blackhole route, ipv6", "[2001:db8:3::9]:9", EINVAL },
	};
	enum { N = sizeof(cases) / sizeof(cases[0]) };
	struct nc_net *net = build_text("route errors", BASE_TOPOLOGY
					"route c unreachable 198.51.100.0/24\n"
					"route c unreachable 2001:db8:51::/48\n"
					"route c prohibit 192.0.2.0/25\n"
					"route c prohibit 2001:db8:2::/48\n"
					"route c blackhole 192.0.2.128/25\n"
					"route c blackhole 2001:db8:3::/48\n");
	struct attempt a[N];

	if (!net)
		return;
	for (int i = 0; i < N; i++)
		a[i] = (struct attempt){ cases[i].label, cases[i].peer, -1, 0, 0 };
	nc_host_enter(nc_net_host(net, "c"));
	connect_all(a, N, 5000);
	for (int i = 0; i < N; i++)
		report(a[i].err == cases[i].want, cases[i].label, "connect(%s) = %s after %ld ms",
		       a[i].peer, errname(a[i].err), a[i].ms);
	close_all(a, N);
	nc_net_free(net);
}

/* Which state filter of a raw libnl-idiag dump shows a request socket. */
static int dumped_in(struct nc_host *host, int states, int family)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct nl_cache *cache = NULL;
	int found = 0;

	if (nc_host_enter(host) < 0 || !sk || idiagnl_connect(sk) < 0 ||
	    idiagnl_msg_alloc_cache(sk, family, states, &cache) < 0) {
		nl_socket_free(sk);
		return -1;
	}
	for (struct nl_object *o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o))
		if (idiagnl_msg_get_state((struct idiagnl_msg *)o) == TCP_SYN_RECV)
			found++;
	nl_cache_free(cache);
	nl_socket_free(sk);
	return found;
}

/* SYN_RECV: the server never sees the final ACK, sock_diag shows the request
 * socket; the listener's queue; TIME_WAIT with its timer. */
static void check_diag(void)
{
	struct nc_net *net = build_text("diag", BASE_TOPOLOGY
					"fault s final-ack input tcp dport 80 flags SYN,ACK,FIN,RST ACK drop\n");
	static const char *const servers[2] = { "198.18.0.2:80", "[2001:db8::2]:80" };
	struct nc_host *s, *c;

	if (!net)
		return;
	s = nc_net_host(net, "s");
	c = nc_net_host(net, "c");
	for (int f = 0; f < 2; f++) {
		struct nc_sockaddr server, client;
		struct nc_tcp_diag d;
		struct attempt a = { f ? "ipv6" : "ipv4", servers[f], -1, 0, 0 };
		char name[80], where[NC_SOCKADDR_STRLEN];
		int listener, err, count;
		uint64_t acks = 0;

		nc_sockaddr_parse(servers[f], &server);
		nc_host_enter(s);
		listener = listen_on(servers[f]);
		nc_host_enter(c);
		connect_all(&a, 1, 3000);
		snprintf(name, sizeof(name), "diag: client ESTABLISHED, %s", a.label);
		report(a.err == 0 && nc_tcp_state(a.fd) == TCP_ESTABLISHED, name,
		       "connect() = %s, TCP_INFO state %s", errname(a.err),
		       nc_tcp_state_name(nc_tcp_state(a.fd)));
		nc_sockaddr_local(a.fd, &client);

		err = nc_diag_wait_state(s, &server, &client, TCP_SYN_RECV, 2000, &d);
		snprintf(name, sizeof(name), "diag: server SYN_RECV, %s", a.label);
		report(err == 0 && d.state == TCP_SYN_RECV, name,
		       "nc_diag_wait_state = %s, state %s, timer %d (%u ms left), retrans %u",
		       err ? strerror(-err) : "0", nc_tcp_state_name(d.state), d.timer,
		       d.timer_ms, d.retransmits);
		nc_sockaddr_str(&d.peer, where, sizeof(where));
		snprintf(name, sizeof(name), "diag: request socket's peer, %s", a.label);
		report(err == 0 && nc_sockaddr_port(&d.peer) == nc_sockaddr_port(&client), name,
		       "%s", where);
		count = nc_diag_count(s, TCP_SYN_RECV, 80);
		snprintf(name, sizeof(name), "diag: nc_diag_count SYN_RECV, %s", a.label);
		/* the listener of the previous family is closed, and its request too */
		report(count == 1, name, "%d on port 80", count);
		err = nc_diag_find(s, &server, NULL, &d);
		snprintf(name, sizeof(name), "diag: listener, %s", a.label);
		report(err == 0 && d.state == TCP_LISTEN && d.rqueue == 0 && d.wqueue == 8, name,
		       "state %s, accept queue %u, backlog %u", nc_tcp_state_name(d.state),
		       d.rqueue, d.wqueue);
		nc_fault_packets(net, "final-ack", &acks);
		snprintf(name, sizeof(name), "diag: final ACK dropped, %s", a.label);
		report(acks >= (uint64_t)f + 1, name, "rule counter %llu",
		       (unsigned long long)acks);

		/* The kernel widens TCPF_SYN_RECV to TCPF_NEW_SYN_RECV: both find it. */
		if (f == 0) {
			int by_bit3 = dumped_in(s, 1 << TCP_SYN_RECV, AF_INET);
			int by_bit12 = dumped_in(s, 1 << 12, AF_INET);
			int by_ss_all = dumped_in(s, IDIAGNL_SS_ALL, AF_INET);
			int by_listen = dumped_in(s, 1 << TCP_LISTEN, AF_INET);

			report(by_bit3 == 1 && by_bit12 == 1 && by_ss_all == 1 && by_listen == 0,
			       "diag: states filter for request sockets",
			       "found with bit 3: %d, bit 12: %d, IDIAGNL_SS_ALL: %d, "
			       "LISTEN only: %d", by_bit3, by_bit12, by_ss_all, by_listen);
		}
		close(listener);
		close(a.fd);
	}

	/* TIME_WAIT: the side that closes first, once the other closes too. */
	{
		struct nc_sockaddr server, client;
		struct nc_tcp_diag d;
		struct attempt a = { "ipv4", "198.18.0.2:81", -1, 0, 0 };
		int listener, conn, err;

		nc_sockaddr_parse("198.18.0.2:81", &server);
		nc_host_enter(s);
		listener = listen_on("198.18.0.2:81");
		nc_host_enter(c);
		connect_all(&a, 1, 3000);
		nc_sockaddr_local(a.fd, &client);
		/* the ACK-only rule is on port 80: this handshake completes */
		conn = accept(listener, NULL, NULL);
		close(a.fd);	/* client: FIN_WAIT1 -> FIN_WAIT2 */
		err = nc_diag_wait_state(c, &client, &server, TCP_FIN_WAIT2, 2000, &d);
		report(err == 0, "diag: client FIN_WAIT2", "nc_diag_wait_state = %s, state %s",
		       err ? strerror(-err) : "0", nc_tcp_state_name(d.state));
		err = nc_diag_wait_state(s, &server, &client, TCP_CLOSE_WAIT, 2000, &d);
		report(err == 0, "diag: server CLOSE_WAIT", "nc_diag_wait_state = %s, state %s",
		       err ? strerror(-err) : "0", nc_tcp_state_name(d.state));
		close(conn);
		err = nc_diag_wait_state(c, &client, &server, TCP_TIME_WAIT, 2000, &d);
		report(err == 0 && d.timer == 3 && d.timer_ms > 50000 && d.timer_ms <= 60000,
		       "diag: client TIME_WAIT",
		       "nc_diag_wait_state = %s, state %s, timer %d, %u ms left",
		       err ? strerror(-err) : "0", nc_tcp_state_name(d.state), d.timer,
		       d.timer_ms);
		err = nc_diag_wait_state(s, &server, &client, TCP_CLOSE, 2000, &d);
		report(err == 0, "diag: server socket gone (CLOSE)", "nc_diag_wait_state = %s",
		       err ? strerror(-err) : "0");
		err = nc_diag_wait_state(s, &server, &client, TCP_ESTABLISHED, 50, &d);
		report(err == -ETIMEDOUT, "diag: wait for a state that never comes",
		       "= %s after the 50 ms deadline", strerror(-err));
		close(listener);
	}
	nc_net_free(net);
}

/* nc_fault_add/del at run time: in force when the call returns. */
static void check_runtime_faults(void)
{
	struct nc_net *net = build_text("runtime faults", BASE_TOPOLOGY);
	struct nc_host *s, *c;
	struct attempt a[2];
	uint64_t packets = 0;
	int err, listener4, listener6;

	if (!net)
		return;
	s = nc_net_host(net, "s");
	c = nc_net_host(net, "c");
	nc_host_enter(s);
	listener4 = listen_on("198.18.0.2:7");
	listener6 = listen_on("[2001:db8::2]:7");
	err = nc_fault_add(s, "reset-7", "input tcp dport 7 reject tcp-reset");
	report(err == 0 && listener4 >= 0 && listener6 >= 0, "nc_fault_add", "= %d (%s)", err,
	       nc_error_message());
	nc_host_enter(c);
	a[0] = (struct attempt){ "ipv4", "198.18.0.2:7", -1, 0, 0 };
	a[1] = (struct attempt){ "ipv6", "[2001:db8::2]:7", -1, 0, 0 };
	connect_all(a, 2, 3000);
	report(a[0].err == ECONNREFUSED && a[1].err == ECONNREFUSED, "added fault in force",
	       "connect() = %s, %s despite a listener", errname(a[0].err), errname(a[1].err));
	close_all(a, 2);
	err = nc_fault_packets(net, "reset-7", &packets);
	report(err == 0 && packets == 2, "nc_fault_packets of an added fault",
	       "= %s, %llu packets", err ? strerror(-err) : "0", (unsigned long long)packets);
	err = nc_fault_add(s, "reset-7", "input tcp dport 8 reject tcp-reset");
	report(err == -EEXIST, "nc_fault_add of a name in use", "= %s (%s)", strerror(-err),
	       nc_error_message());
	err = nc_fault_del(net, "reset-7");
	connect_all(a, 2, 3000);
	report(err == 0 && a[0].err == 0 && a[1].err == 0, "nc_fault_del",
	       "= %d; connect() = %s, %s", err, errname(a[0].err), errname(a[1].err));
	close_all(a, 2);
	err = nc_fault_del(net, "reset-7");
	report(err == -ENOENT && strstr(nc_error_message(), "no fault \"reset-7\""),
	       "nc_fault_del of a deleted fault", "= %s (%s)", strerror(-err), nc_error_message());
	err = nc_fault_add(s, "bad", "input tcp dport 7 reject no-such-type");
	report(err == -EINVAL && strstr(nc_error_message(), "no-such-type"),
	       "nc_fault_add of a bad rule", "= %s (%s)", strerror(-err), nc_error_message());
	err = nc_fault_add(s, "reset-7-ip6", "input ip6 tcp dport 7 reject tcp-reset");
	connect_all(a, 2, 3000);
	report(err == 0 && a[0].err == 0 && a[1].err == ECONNREFUSED, "nc_fault_add ip6 only",
	       "= %d; connect() = %s, %s", err, errname(a[0].err), errname(a[1].err));
	close_all(a, 2);
	err = nc_fault_wait_packets(net, "reset-7-ip6", 1, 1000, &packets);
	report(err == 0 && packets == 1, "nc_fault_wait_packets", "= %s, %llu packets",
	       err ? strerror(-err) : "0", (unsigned long long)packets);
	err = nc_fault_wait_packets(net, "reset-7-ip6", 2, 50, &packets);
	report(err == -ETIMEDOUT && packets == 1, "nc_fault_wait_packets times out",
	       "= %s (%s)", strerror(-err), nc_error_message());
	nc_net_free(net);
}

static void check_netem(void)
{
	struct nc_scenario *scn;
	struct nc_net *net = NULL;
	const char *missing = NULL;
	char err_text[256];
	bool available = nc_netem_available();
	int err;

	note("netem", "sch_netem %s on this kernel", available ? "is" : "is NOT");
	if (nc_scenario_parse("netem", BASE_TOPOLOGY "netem c s delay 20ms jitter 1ms loss 0.1% "
			      "duplicate 0.1% reorder 1% rate 100mbit\n", &scn, err_text,
			      sizeof(err_text)) < 0) {
		report(false, "netem", "parse: %s", err_text);
		return;
	}
	err = nc_net_build(scn, &net, &missing);
	nc_scenario_free(scn);
	if (!available) {
		report(err == -EOPNOTSUPP && missing && strstr(missing, "netem"),
		       "netem scenario without sch_netem", "nc_net_build = %s, missing \"%s\"",
		       strerror(-err), missing ? missing : "(null)");
		net = build_text("netem at run time", BASE_TOPOLOGY);
		if (!net)
			return;
		err = nc_netem_set(nc_net_host(net, "c"), "s", "delay 10ms");
		report(err == -EOPNOTSUPP, "nc_netem_set without sch_netem", "= %s",
		       strerror(-err));
	} else {
		struct attempt a = { "ipv4", "198.18.0.2:7", -1, 0, 0 };
		int listener;

		report(err == 0, "netem scenario", "nc_net_build = %s (%s)", strerror(-err),
		       nc_error_message());
		if (err < 0)
			return;
		nc_host_enter(nc_net_host(net, "s"));
		listener = listen_on("198.18.0.2:7");
		nc_host_enter(nc_net_host(net, "c"));
		connect_all(&a, 1, 3000);
		report(listener >= 0 && a.err == 0 && a.ms >= 19, "netem delays the handshake",
		       "connect() = %s in %ld ms", errname(a.err), a.ms);
		close_all(&a, 1);
	}
	nc_net_free(net);
}

/* The process is back where it was, and what it built is gone with the fds. */
static void check_home_and_teardown(void)
{
	struct stat before, after, host_ns;
	struct nc_net *net;
	char path[64];
	int fd;

	stat("/proc/thread-self/ns/net", &before);
	net = build_text("teardown", BASE_TOPOLOGY "fault s syn-drop input tcp dport 9 drop\n");
	if (!net)
		return;
	stat("/proc/thread-self/ns/net", &after);
	report(before.st_ino == after.st_ino, "build returns to its namespace",
	       "net:[%lu] before and after", (unsigned long)after.st_ino);
	nc_host_enter(nc_net_host(net, "s"));
	snprintf(path, sizeof(path), "/proc/thread-self/ns/net");
	stat(path, &host_ns);
	fd = open(path, O_RDONLY);
	report(host_ns.st_ino != before.st_ino, "nc_host_enter moves the thread",
	       "net:[%lu]", (unsigned long)host_ns.st_ino);
	nc_net_free(net);
	/* this thread is still in s; the fd below is now the only other reference */
	report(fd >= 0, "nc_net_free", "closed every host descriptor");
	if (fd >= 0)
		close(fd);

	/* A build that fails half-way says where, and leaves nothing behind. */
	{
		struct nc_scenario *scn;
		const char *missing;
		char err_text[256];
		int err;

		/* The parser refuses an interface the scenario lacks: this one
		 * is renamed after it, as one gone by build time would be. */
		if (nc_scenario_parse("half-way", BASE_TOPOLOGY
				      "fault s syn-drop input tcp dport 9 drop\n"
				      "sysctl c net.ipv6.conf.s.forwarding 1\n",
				      &scn, err_text, sizeof(err_text)) < 0) {
			report(false, "a failing build", "%s", err_text);
			return;
		}
		memcpy(scn->sysctls[0].name, "net.ipv6.conf.nosuch.forwarding",
		       sizeof("net.ipv6.conf.nosuch.forwarding"));
		stat("/proc/thread-self/ns/net", &before);
		net = (struct nc_net *)&net;
		err = nc_net_build(scn, &net, &missing);
		stat("/proc/thread-self/ns/net", &after);
		nc_error_text(err, err_text, sizeof(err_text));
		report(err == -ENOENT && !net && before.st_ino == after.st_ino &&
		       strcmp(err_text, "half-way:6: sysctl net.ipv6.conf.nosuch.forwarding 1 on c: "
			      "No such file or directory") == 0,
		       "a failing build", "= %s, \"%s\"", strerror(-err), err_text);
		nc_scenario_free(scn);
	}
}

/* Every scenario file of the tree parses and builds. */
static void check_scenario_files(void)
{
	char dir[512], path[1024], err_text[512];
	struct dirent **names;
	int n;

	snprintf(dir, sizeof(dir), "%s/scenarios", NC_SRCDIR);
	n = scandir(dir, &names, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		size_t len = strlen(name);
		struct nc_scenario *scn;
		struct nc_net *net;
		const char *missing = NULL;
		int err;

		if (len < 5 || strcmp(name + len - 4, ".scn") != 0) {
			free(names[i]);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (nc_scenario_load(path, &scn, err_text, sizeof(err_text)) < 0) {
			report(false, name, "%s", err_text);
			free(names[i]);
			continue;
		}
		long start = (long)nc_now_ms();

		err = nc_net_build(scn, &net, &missing);
		if (err == -EOPNOTSUPP)
			note(name, "skipped: needs %s", missing);
		else
			report(err == 0, name, "built in %ld ms%s%s", (long)nc_now_ms() - start,
			       err ? ": " : "", err ? nc_error_message() : "");
		nc_net_free(net);
		nc_scenario_free(scn);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	else
		report(false, "scenarios/", "%s: %s", dir, strerror(errno));
}

static const struct {
	const char *name;
	void (*run)(void);
} checks[] = {
	{ "topology", check_topology },
	{ "link", check_link_ready },
	{ "sysctl", check_sysctls },
	{ "drop", check_drop },
	{ "drop-exponential", check_drop_exponential },
	{ "reject", check_rejects },
	{ "route", check_route_errors },
	{ "diag", check_diag },
	{ "faults", check_runtime_faults },
	{ "netem", check_netem },
	{ "teardown", check_home_and_teardown },
	{ "scenarios", check_scenario_files },
};

int main(int argc, char **argv)
{
	enum { N = sizeof(checks) / sizeof(checks[0]) };
	struct nc_sandbox_info info;
	pid_t pids[N];
	int outputs[N], err;

	err = nc_sandbox_enter(&info);
	if (err < 0) {
		fprintf(stderr, "tool_net_check: cannot enter the sandbox: %s\n", strerror(-err));
		return 2;
	}
	counts = mmap(NULL, sizeof(*counts), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (counts == MAP_FAILED)
		return 2;
	printf("tool_net_check: sandbox %s\n", info.mode);
	fflush(stdout);
	for (int i = 0; i < N; i++) {
		bool wanted = argc < 2;

		for (int a = 1; a < argc; a++)
			wanted |= strcmp(argv[a], checks[i].name) == 0;
		pids[i] = -1;
		outputs[i] = -1;
		if (!wanted)
			continue;
		outputs[i] = memfd_create(checks[i].name, MFD_CLOEXEC);
		pids[i] = fork();
		if (pids[i] == 0) {
			dup2(outputs[i], 1);
			setvbuf(stdout, NULL, _IOLBF, 0);
			checks[i].run();
			fflush(stdout);
			exit(0);	/* not _exit: LeakSanitizer runs at exit() */
		}
	}
	for (int i = 0; i < N; i++) {
		char buf[4096];
		ssize_t n;
		int status;

		if (pids[i] <= 0)
			continue;
		waitpid(pids[i], &status, 0);
		lseek(outputs[i], 0, SEEK_SET);
		while ((n = read(outputs[i], buf, sizeof(buf))) > 0)
			fwrite(buf, 1, (size_t)n, stdout);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			report(false, checks[i].name, "check process ended abnormally (status %d)",
			       status);
		close(outputs[i]);
	}
	printf("%d passed, %d failed\n", counts->passed, counts->failed);
	return counts->failed ? 1 : 0;
}
