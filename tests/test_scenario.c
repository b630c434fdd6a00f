/* The scenario parser: good files parse into what they say, and each kind of
 * bad input is refused with "file:line: what is wrong" (a table of text and
 * the message expected).  Also the pieces it leans on: the fault model
 * (parse, render, match, lookup by name), the sysctl table, netem specs and
 * the address ranges. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/rtnetlink.h>

#include "cidr.h"
#include "error.h"
#include "fault.h"
#include "net_fault.h"
#include "netem.h"
#include "scenario.h"
#include "scenario_parse.h"
#include "sysctl.h"
#include "tcp_flags.h"
#include "unit.h"

/* CU_FAIL shows its argument's text, not its value: this shows the value. */
#define FAIL_WITH(message) \
	CU_assertImplementation(CU_FALSE, __LINE__, (message), __FILE__, "", CU_FALSE)

static void parse_good_scenario(void)
{
	static const char text[] =
		"# comment line\n"
		"netns c s   # trailing comment\n"
		"netns r\n"
		"link veth c s\n"
		"link veth s r\n"
		"addr c 198.18.0.1/24 2001:db8::1/64 nodad\n"
		"addr s dev c 198.18.0.2/24\n"
		"addr s dev r 198.51.100.1/24\n"
		"addr r 198.51.100.2/24\n"
		"\n"
		"route c 198.51.100.0/24 via 198.18.0.2\n"
		"route r default via 198.51.100.1\n"
		"route c unreachable 203.0.113.0/24\n"
		"route c prohibit 2001:db8:113::/48\n"
		"route c blackhole 192.0.2.0/24\n"
		"route r ::/0 dev s\n"
		"sysctl c net.ipv4.tcp_syn_retries 1\n"
		"sysctl c net.ipv4.ip_local_port_range 40000 40100\n"
		"fault s reset-9 input tcp dport 9 reject tcp-reset\n"
		"fault c dns-loss output ip6 udp sport 53 probability 50% drop\n"
		"netem c s delay 100ms jitter 10ms loss 10% duplicate 5% reorder 25% rate 1mbit\n";
	struct nc_scenario *scn;
	char err[256] = "";

	CU_ASSERT_EQUAL_FATAL(nc_scenario_parse("good", text, &scn, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(err, "");
	CU_ASSERT_STRING_EQUAL(scn->path, "good");
	CU_ASSERT_EQUAL(scn->n_hosts, 3);
	CU_ASSERT_STRING_EQUAL(scn->hosts[2].name, "r");
	CU_ASSERT_EQUAL(scn->hosts[2].line, 3);
	CU_ASSERT_EQUAL(nc_scenario_host(scn, "s"), 1);
	CU_ASSERT_EQUAL(nc_scenario_host(scn, "x"), -1);

	CU_ASSERT_EQUAL(scn->n_links, 2);
	CU_ASSERT_EQUAL(scn->links[1].host_a, 1);
	CU_ASSERT_EQUAL(scn->links[1].host_b, 2);

	CU_ASSERT_EQUAL_FATAL(scn->n_addrs, 5);
	CU_ASSERT_STRING_EQUAL(scn->addrs[0].ifname, "s");	/* c's only link */
	CU_ASSERT_EQUAL(scn->addrs[1].family, AF_INET6);
	CU_ASSERT_STRING_EQUAL(scn->addrs[1].cidr, "2001:db8::1/64");
	CU_ASSERT_STRING_EQUAL(scn->addrs[3].ifname, "r");	/* dev r */
	CU_ASSERT_STRING_EQUAL(scn->addrs[4].ifname, "s");	/* r's only link */

	CU_ASSERT_EQUAL_FATAL(scn->n_routes, 6);
	CU_ASSERT_EQUAL(scn->routes[0].type, RTN_UNICAST);
	CU_ASSERT_STRING_EQUAL(scn->routes[0].via, "198.18.0.2");
	CU_ASSERT_STRING_EQUAL(scn->routes[1].dest, "0.0.0.0/0");
	CU_ASSERT_EQUAL(scn->routes[2].type, RTN_UNREACHABLE);
	CU_ASSERT_EQUAL(scn->routes[3].type, RTN_PROHIBIT);
	CU_ASSERT_EQUAL(scn->routes[3].family, AF_INET6);
	CU_ASSERT_EQUAL(scn->routes[4].type, RTN_BLACKHOLE);
	CU_ASSERT_STRING_EQUAL(scn->routes[5].dest, "::/0");
	CU_ASSERT_STRING_EQUAL(scn->routes[5].ifname, "s");

	CU_ASSERT_EQUAL_FATAL(scn->n_sysctls, 2);
	CU_ASSERT_STRING_EQUAL(scn->sysctls[1].value, "40000 40100");

	CU_ASSERT_EQUAL_FATAL(scn->n_faults, 2);
	CU_ASSERT_STRING_EQUAL(scn->faults[0].name, "reset-9");
	CU_ASSERT_STRING_EQUAL(scn->faults[1].name, "dns-loss");
	CU_ASSERT_EQUAL(scn->faults[0].host, 1);
	CU_ASSERT_EQUAL(scn->faults[0].rule.action, NC_REJECT_TCP_RESET);
	CU_ASSERT_EQUAL(scn->faults[0].rule.families, NC_FAULT_IP4 | NC_FAULT_IP6);
	CU_ASSERT_EQUAL(scn->faults[1].rule.families, NC_FAULT_IP6);
	CU_ASSERT_EQUAL(scn->faults[1].rule.hook, NC_HOOK_OUTPUT);
	CU_ASSERT_DOUBLE_EQUAL(scn->faults[1].rule.probability, 0.5, 1e-9);

	CU_ASSERT_TRUE(nc_scenario_needs_netem(scn));
	CU_ASSERT_EQUAL_FATAL(scn->n_netems, 1);
	CU_ASSERT_EQUAL(scn->netems[0].netem.delay_us, 100000);
	CU_ASSERT_EQUAL(scn->netems[0].netem.jitter_us, 10000);
	CU_ASSERT_DOUBLE_EQUAL(scn->netems[0].netem.loss_pct, 10, 1e-9);
	CU_ASSERT_EQUAL(scn->netems[0].netem.rate_bps, 1000000);
	nc_scenario_free(scn);
}

static void parse_minimal_scenario(void)
{
	struct nc_scenario *scn;
	char err[256] = "";	/* a parse that succeeds writes none */

	CU_ASSERT_EQUAL_FATAL(nc_scenario_parse("min", "netns a\naddr a 127.0.0.2/8\n", &scn,
						err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(scn->addrs[0].ifname, "lo");	/* no link: lo */
	CU_ASSERT_FALSE(nc_scenario_needs_netem(scn));
	nc_scenario_free(scn);
	nc_scenario_free(NULL);
	/* A per-interface sysctl may come before the link that makes the
	 * interface; all, default and lo are always there. */
	CU_ASSERT_EQUAL(nc_scenario_parse("ifs", "netns c s\n"
					  "sysctl c net.ipv4.conf.s.rp_filter 2\n"
					  "sysctl c net.ipv4.conf.all.rp_filter 0\n"
					  "sysctl c net.ipv6.conf.lo.disable_ipv6 0\n"
					  "link veth c s\n", &scn, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(err, "");
	nc_scenario_free(scn);
}

/* Every scenario shipped in the tree parses. */
static void shipped_scenarios_parse(void)
{
	char dir[512], path[1024], err[512];
	struct dirent *entry;
	int files = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/../scenarios", nc_unit_srcdir());
	d = opendir(dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	while ((entry = readdir(d))) {
		struct nc_scenario *scn;
		size_t len = strlen(entry->d_name);

		if (len < 5 || strcmp(entry->d_name + len - 4, ".scn") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, entry->d_name);
		err[0] = '\0';
		if (nc_scenario_load(path, &scn, err, sizeof(err)) < 0) {
			FAIL_WITH(err);
		} else {
			nc_scenario_free(scn);
		}
		files++;
	}
	closedir(d);
	CU_ASSERT(files >= 8);
}

static const struct bad_case {
	const char *text;
	const char *message;	/* expected in err, after "bad:" */
} bad_cases[] = {
	/* syntax */
	{ "frobnicate c\n", "1: unknown statement \"frobnicate\"" },
	{ "netns\n", "1: netns: expected \"netns HOST...\"" },
	{ "netns c s\nlink veth c\n", "2: link: expected \"link veth HOST_A HOST_B\"" },
	{ "netns c s\nlink gre c s\n", "2: link: unknown link type \"gre\"" },
	{ "netns c\naddr c\n", "2: addr: expected" },
	{ "netns c\naddr c nodad\n", "2: addr: no address given" },
	{ "netns c\nroute c\n", "2: route: expected" },
	{ "netns c\nroute c unreachable\n", "2: route: expected \"route HOST unreachable DEST\"" },
	{ "netns c\nroute c 198.18.0.0/24 via\n", "2: route: \"via\" needs a value" },
	{ "netns c\nroute c 198.18.0.0/24 over 198.18.0.1\n", "2: route: unexpected \"over\"" },
	{ "netns c\nsysctl c net.ipv4.tcp_syn_retries\n", "2: sysctl: expected" },
	{ "netns c\nfault c\n", "2: fault: expected" },
	{ "", "no hosts" },
	{ "# only a comment\n\n", "no hosts" },
	/* hosts */
	{ "netns c c\n", "1: duplicate host \"c\" (declared on line 1)" },
	{ "netns c\nnetns s c\n", "2: duplicate host \"c\" (declared on line 1)" },
	{ "netns lo\n", "1: netns: bad host name \"lo\"" },
	{ "netns 1c\n", "1: netns: bad host name \"1c\"" },
	{ "netns c/s\n", "1: netns: bad host name \"c/s\"" },
	{ "netns abcdefghijklmnop\n", "1: netns: bad host name" },
	{ "netns c\nlink veth c s\n", "2: unknown host \"s\"" },
	{ "link veth c s\nnetns c s\n", "1: unknown host \"c\"" },
	{ "netns c\naddr x 198.18.0.1/24\n", "2: unknown host \"x\"" },
	{ "netns c\nsysctl x net.ipv4.tcp_syn_retries 1\n", "2: unknown host \"x\"" },
	{ "netns c\nfault x f input drop\n", "2: unknown host \"x\"" },
	{ "netns c\nnetem x s delay 1ms\n", "2: unknown host \"x\"" },
	/* links */
	{ "netns c\nlink veth c c\n", "2: link: host \"c\" cannot link to itself" },
	{ "netns c s\nlink veth c s\nlink veth s c\n", "3: link: s and c are already linked (line 2)" },
	/* addresses */
	{ "netns c\naddr c 10.0.0.1/24\n", "2: addr: 10.0.0.1/24 is outside the allowed ranges" },
	{ "netns c\naddr c 2001:db9::1/64\n", "2: addr: 2001:db9::1/64 is outside the allowed ranges" },
	{ "netns c\naddr c 198.18.0.1/8\n", "2: addr: 198.18.0.1/8 is outside the allowed ranges" },
	{ "netns c\naddr c 2001:db8::1/16\n", "is outside the allowed ranges" },
	{ "netns c\naddr c 198.18.0.1/33\n", "2: addr: 198.18.0.1/33: bad prefix /33 (an IPv4 prefix is 0 to 32)" },
	{ "netns c\naddr c 2001:db8::1/129\n", "2: addr: 2001:db8::1/129: bad prefix /129" },
	{ "netns c\naddr c 198.18.0.1/x\n", "2: addr: 198.18.0.1/x: bad prefix /x" },
	{ "netns c\naddr c 198.18.0.1/\n", "bad prefix" },
	{ "netns c\naddr c 198.18.0.1/+24\n", "bad prefix" },
	{ "netns c\naddr c 198.18.0.1\n", "2: addr: 198.18.0.1: missing /prefix" },
	{ "netns c\naddr c 198.18.0.300/24\n", "2: addr: bad address \"198.18.0.300\"" },
	{ "netns c\naddr c 198.18.0.1/24 198.18.0.1/24\n", "2: addr: 198.18.0.1/24 is already on c (line 2)" },
	{ "netns c s r\nlink veth c s\nlink veth c r\naddr c 198.18.0.1/24\n",
	  "4: addr: c has 2 links: say which with \"addr c dev IFNAME ...\"" },
	{ "netns c s\nlink veth c s\naddr c dev x 198.18.0.1/24\n",
	  "3: addr: c has no interface \"x\" (its veths are named after their peers)" },
	{ "netns c s\nlink veth c s\naddr c dev c 198.18.0.1/24\n", "3: addr: c has no interface \"c\"" },
	/* routes */
	{ "netns c\nroute c 10.1.0.0/16 dev lo\n", "2: route: 10.1.0.0/16 is outside the allowed ranges" },
	{ "netns c\nroute c unreachable 8.8.8.0/24\n", "2: route: 8.8.8.0/24 is outside the allowed ranges" },
	{ "netns c\nroute c 203.0.113.5/24 dev lo\n",
	  "2: route: 203.0.113.5/24 has host bits set (the network is 203.0.113.0/24)" },
	{ "netns c\nroute c 203.0.113.0/24 via 10.0.0.1\n", "2: route: gateway 10.0.0.1 is outside" },
	{ "netns c\nroute c 203.0.113.0/24 via 198.18.0.1/24\n", "2: route: bad gateway \"198.18.0.1/24\"" },
	{ "netns c\nroute c 2001:db8:1::/48 via 198.18.0.1\n",
	  "2: route: gateway 198.18.0.1 is not of the family of 2001:db8:1::/48" },
	{ "netns c\nroute c unreachable 203.0.113.0/33\n", "2: route: 203.0.113.0/33: bad prefix" },
	{ "netns c s r\nlink veth c s\nlink veth c r\nroute c 203.0.113.0/24\n",
	  "4: route: c has 2 links: say which with \"dev IFNAME\"" },
	{ "netns c\nroute c default\n", "2: route: c has 0 links" },
	{ "netns c s\nlink veth c s\nroute c 203.0.113.0/24 dev t\n", "3: route: c has no interface \"t\"" },
	/* sysctls */
	{ "netns c\nsysctl c net.ipv4.tcp_foo 1\n", "2: sysctl: unknown sysctl net.ipv4.tcp_foo" },
	{ "netns c\nsysctl c kernel.hostname x\n", "2: sysctl: unknown sysctl kernel.hostname" },
	{ "netns c\nsysctl c net/ipv4/tcp_syn_retries 1\n", "unknown sysctl" },
	{ "netns c\nsysctl c net.ipv4.conf.../../x.forwarding 1\n", "unknown sysctl" },
	{ "netns c\nsysctl c net.ipv4.tcp_syn_retries 0\n",
	  "2: sysctl: net.ipv4.tcp_syn_retries: 0 is out of range (1 to 127)" },
	{ "netns c\nsysctl c net.ipv4.tcp_syn_retries one\n", "\"one\" is not a number" },
	{ "netns c\nsysctl c net.ipv4.tcp_syn_retries 1 2\n", "takes 1 number, got \"1 2\"" },
	{ "netns c\nsysctl c net.ipv4.ip_local_port_range 40000\n", "takes 2 numbers" },
	{ "netns c\nsysctl c net.ipv4.tcp_syn_retries +1\n", "\"+1\" is not a number" },
	{ "netns c\nsysctl c net.ipv4.tcp_syn_retries 99999999999999999999\n",
	  "2: sysctl: net.ipv4.tcp_syn_retries: 99999999999999999999 is out of range (1 to 127)" },
	{ "netns c s\nlink veth c s\nsysctl c net.ipv4.conf.eth0.rp_filter 1\n",
	  "3: sysctl: c has no interface \"eth0\"" },
	{ "netns c s r\nsysctl c net.ipv6.conf.s.disable_ipv6 1\nlink veth c r\n",
	  "2: sysctl: c has no interface \"s\"" },
	/* faults */
	{ "netns s\nfault s input drop\n", "2: fault: name the fault after its host" },
	{ "netns s\nfault s 9x input drop\n", "2: fault: name the fault" },
	{ "netns s\nfault s f input drop\nfault s f output drop\n",
	  "3: fault: duplicate fault name \"f\" (line 2)" },
	{ "netns s\nfault s f input tcp dport 9 reject tcp-rst\n", "2: fault f: unknown reject type \"tcp-rst\"" },
	{ "netns s\nfault s f input tcp dport 9 reject\n", "2: fault f: reject needs a type" },
	{ "netns s\nfault s f prerouting drop\n", "2: fault f: unknown chain \"prerouting\"" },
	{ "netns s\nfault s f input tcp dport 9\n", "2: fault f: no action" },
	{ "netns s\nfault s f input drop tcp\n", "2: fault f: unexpected \"tcp\" after the action" },
	{ "netns s\nfault s f input tcp udp drop\n", "2: fault f: two protocols (tcp and udp)" },
	{ "netns s\nfault s f input ip4 ip6 drop\n", "2: fault f: ip4 and ip6 are exclusive" },
	{ "netns s\nfault s f input dport 9 drop\n", "2: fault f: sport and dport need tcp or udp" },
	{ "netns s\nfault s f input tcp dport 0 drop\n", "2: fault f: dport needs a port" },
	{ "netns s\nfault s f input tcp dport 70000 drop\n", "dport needs a port" },
	{ "netns s\nfault s f input tcp dport 9:8 drop\n", "dport needs a port" },
	{ "netns s\nfault s f input udp flags SYN SYN drop\n", "2: fault f: flags needs tcp" },
	{ "netns s\nfault s f input tcp flags SYN,FOO SYN drop\n", "2: fault f: flags needs MASK COMP" },
	{ "netns s\nfault s f input tcp flags SYN drop\n", "flags needs MASK COMP" },
	{ "netns s\nfault s f input udp dport 9 reject tcp-reset\n", "2: fault f: reject tcp-reset needs tcp" },
	{ "netns s\nfault s f input ip6 tcp reject icmp-host-unreachable\n",
	  "2: fault f: reject icmp-host-unreachable is an IPv4 reply, and this rule is IPv6 only" },
	{ "netns s\nfault s f input ip4 tcp reject icmp6-no-route\n",
	  "reject icmp6-no-route is an IPv6 reply, and this rule is IPv4 only" },
	{ "netns s\nfault s f input icmp reject icmp6-no-route\n", "is an IPv6 reply" },
	{ "netns s\nfault s f input ip6 icmp drop\n", "2: fault f: icmp does not go with ip6" },
	{ "netns s\nfault s f input tcp probability 0 drop\n", "2: fault f: probability needs a number in (0, 1]" },
	{ "netns s\nfault s f input tcp probability 1.5 drop\n", "probability needs" },
	{ "netns s\nfault s f input tcp probability x drop\n", "probability needs" },
	{ "netns s\nfault s f input tcp sport drop\n", "sport needs a port" },
	/* netem */
	{ "netns c s\nlink veth c s\nnetem c s delay 10\n", "3: netem: delay: bad value \"10\"" },
	{ "netns c s\nlink veth c s\nnetem c s jitter 10ms\n", "3: netem: jitter needs a delay" },
	{ "netns c s\nlink veth c s\nnetem c s jitter 10ms loss 1%\n", "3: netem: jitter needs a delay" },
	{ "netns c s\nlink veth c s\nnetem c s reorder 25% loss 1%\n", "3: netem: reorder needs a delay" },
	{ "netns c s\nlink veth c s\nnetem c s delay 1ms loss 10\n", "3: netem: loss: bad value \"10\"" },
	{ "netns c s\nlink veth c s\nnetem c s delay 1ms loss 101%\n", "loss: bad value" },
	{ "netns c s\nlink veth c s\nnetem c s delay 1ms rate 1mbps\n", "rate: bad value \"1mbps\"" },
	{ "netns c s\nlink veth c s\nnetem c s delay 1ms delay 2ms\n", "3: netem: delay given twice" },
	{ "netns c s\nlink veth c s\nnetem c s delay 0x10ms\n", "delay: bad value \"0x10ms\"" },
	{ "netns c s\nlink veth c s\nnetem c s delay nanms\n", "delay: bad value \"nanms\"" },
	{ "netns c s\nlink veth c s\nnetem c s delay infs\n", "delay: bad value \"infs\"" },
	{ "netns c s\nlink veth c s\nnetem c s delay 1e999us\n", "delay: bad value" },
	{ "netns c s\nlink veth c s\nnetem c s delay 1ms loss 0x1p3%\n", "loss: bad value" },
	{ "netns c s\nlink veth c s\nnetem c s delay 1ms rate 7bit\n", "rate: bad value" },
	{ "netns c s\nlink veth c s\nnetem c s delay 1ms corrupt 1%\n", "3: netem: unknown netem option \"corrupt\"" },
	{ "netns c s\nlink veth c s\nnetem c s delay\n", "3: netem: expected" },
	{ "netns c s\nlink veth c s\nnetem c s delay 1ms loss\n", "3: netem: loss needs a value" },
	{ "netns c s\nlink veth c s\nnetem c x delay 1ms\n", "3: netem: c has no interface \"x\"" },
};

static void bad_scenarios_are_refused(void)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct nc_scenario *scn = (struct nc_scenario *)&scn;	/* must become NULL */
		char err[512] = "", want[256], message[1024];

		snprintf(want, sizeof(want), "%sbad%s%s", "", c->message[0] >= '0' &&
			 c->message[0] <= '9' ? ":" : "", c->message);
		if (nc_scenario_parse("bad", c->text, &scn, err, sizeof(err)) == 0) {
			snprintf(message, sizeof(message), "accepted: %s", c->text);
			FAIL_WITH(message);
			nc_scenario_free(scn);
			continue;
		}
		CU_ASSERT_PTR_NULL(scn);
		/* "bad:N: ..." when the case says where; else the text anywhere */
		if (!strstr(err, c->message[0] >= '0' && c->message[0] <= '9' ? want : c->message)) {
			snprintf(message, sizeof(message), "%s => \"%s\", expected \"%s\"", c->text,
				 err, c->message);
			FAIL_WITH(message);
		} else if (strncmp(err, "bad:", 4) != 0) {
			snprintf(message, sizeof(message), "not file:line: \"%s\"", err);
			FAIL_WITH(message);
		} else {
			CU_PASS(c->message);
		}
	}
}

/* tests/scenarios-bad/NAME.scn: line 1 is "# error: MESSAGE", where MESSAGE
 * follows "PATH:" in the error (so it starts with the line number). */
static void bad_files_are_refused(void)
{
	char dir[512], path[1024], err[512], want[1600], message[2200];
	struct dirent *entry;
	int files = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/scenarios-bad", nc_unit_srcdir());
	d = opendir(dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	while ((entry = readdir(d))) {
		struct nc_scenario *scn;
		char first[512] = "";
		size_t len = strlen(entry->d_name);
		FILE *f;

		if (len < 5 || strcmp(entry->d_name + len - 4, ".scn") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, entry->d_name);
		f = fopen(path, "r");
		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		if (!fgets(first, sizeof(first), f))
			first[0] = '\0';
		fclose(f);
		first[strcspn(first, "\n")] = '\0';
		CU_ASSERT_EQUAL_FATAL(strncmp(first, "# error: ", 9), 0);
		snprintf(want, sizeof(want), "%s:%s", path, first + 9);
		if (nc_scenario_load(path, &scn, err, sizeof(err)) == 0) {
			snprintf(message, sizeof(message), "%s: accepted", path);
			FAIL_WITH(message);
			nc_scenario_free(scn);
		} else if (strncmp(err, want, strlen(want)) != 0) {
			snprintf(message, sizeof(message), "\"%s\", expected \"%s\"", err, want);
			FAIL_WITH(message);
		}
		files++;
	}
	closedir(d);
	CU_ASSERT(files >= 3);
}

static void missing_file_is_reported(void)
{
	struct nc_scenario *scn;
	char err[512];

	CU_ASSERT_EQUAL(nc_scenario_load("/nonexistent/x.scn", &scn, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NULL(scn);
	CU_ASSERT_STRING_EQUAL(err, "/nonexistent/x.scn: No such file or directory");
}

/* A message never overflows the caller's buffer. */
static void small_error_buffer(void)
{
	struct nc_scenario *scn;
	char err[8];

	CU_ASSERT_EQUAL(nc_scenario_parse("abcdefghijklmnop", "netns c\naddr c 10.0.0.1/8\n",
					  &scn, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(strlen(err), 7);
}

/* --- the pieces --- */

/* Text -> numbers -> text -> numbers: the second parse gives the same
 * fault, and the text says every match. */
static void fault_round_trip(void)
{
	static const struct {
		const char *rule, *text;
	} cases[] = {
		{ "input tcp dport 9 reject tcp-reset", "input tcp dport 9 reject tcp-reset" },
		{ "input tcp dport 9 reject icmp6-no-route",
		  "input tcp dport 9 reject icmp-net-unreachable" },
		{ "input ip6 tcp reject icmp6-port-unreachable",
		  "input ip6 tcp reject icmp6-port-unreachable" },
		{ "input tcp reject icmp-host-prohibited", "input tcp reject icmp-host-prohibited" },
		{ "output udp sport 1000:2000 probability 25% drop",
		  "output udp sport 1000:2000 probability 0.25 drop" },
		{ "forward icmpv6 drop", "forward icmpv6 drop" },
		{ "input icmp reject icmp-admin-prohibited", "input icmp reject icmp-admin-prohibited" },
		{ "input tcp dport 80 flags SYN,ACK,FIN,RST ACK drop",
		  "input tcp dport 80 flags SYN,FIN,RST,ACK ACK drop" },
		{ "input tcp flags ALL NONE drop", "input tcp flags SYN,FIN,RST,PSH,ACK,URG NONE drop" },
		{ "input ip4 drop", "input ip4 drop" },
		{ "input drop", "input drop" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nc_fault fault, again;
		char err[256] = "", text[256] = "";

		CU_ASSERT_EQUAL_FATAL(nc_fault_parse(cases[i].rule, &fault, err, sizeof(err)), 0);
		CU_ASSERT_EQUAL(nc_fault_format(&fault, text, sizeof(text)), 0);
		if (strcmp(text, cases[i].text) != 0)
			FAIL_WITH(text);
		CU_ASSERT_EQUAL_FATAL(nc_fault_parse(text, &again, err, sizeof(err)), 0);
		if (memcmp(&fault, &again, sizeof(fault)) != 0)
			FAIL_WITH(cases[i].rule);
	}
	{
		struct nc_fault fault;
		char err[256], tiny[8];

		CU_ASSERT_EQUAL(nc_fault_parse("input tcp dport 9 drop", &fault, err, sizeof(err)), 0);
		CU_ASSERT_EQUAL(nc_fault_format(&fault, tiny, sizeof(tiny)), -ENOSPC);
	}
}

/* Ports and flags are numbers once parsed. */
static void fault_numbers(void)
{
	struct nc_fault fault;
	char err[256];

	CU_ASSERT_EQUAL_FATAL(nc_fault_parse("input tcp sport 1000:2000 dport 9 flags SYN,ACK SYN "
					     "drop", &fault, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(fault.sport.first, 1000);
	CU_ASSERT_EQUAL(fault.sport.last, 2000);
	CU_ASSERT_EQUAL(fault.dport.first, 9);
	CU_ASSERT_EQUAL(fault.dport.last, 9);
	CU_ASSERT_TRUE(fault.match_flags);
	CU_ASSERT_EQUAL(fault.flags_mask, NC_TCP_SYN | NC_TCP_ACK);
	CU_ASSERT_EQUAL(fault.flags_comp, NC_TCP_SYN);
	CU_ASSERT_EQUAL(nc_fault_parse("input tcp flags SYN,SYN SYN drop", &fault, err,
				       sizeof(err)), -1);
	CU_ASSERT_EQUAL(nc_fault_parse("input tcp flags SYN, SYN drop", &fault, err,
				       sizeof(err)), -1);
	CU_ASSERT_EQUAL(nc_fault_parse("input tcp dport 9x drop", &fault, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(nc_fault_parse("input tcp dport 9: drop", &fault, err, sizeof(err)), -1);
}

/* What the capture asks: does this fault match, and surely drop, a packet? */
static void fault_matching(void)
{
	static const struct {
		const char *rule;
		struct nc_fault_packet packet;
		bool matches, surely_drops;
	} cases[] = {
		{ "input tcp dport 9 drop", { NC_FAULT_IP4, NC_PROTO_TCP, 40000, 9, NC_TCP_SYN },
		  true, true },
		{ "input tcp dport 9 drop", { NC_FAULT_IP6, NC_PROTO_TCP, 40000, 9, NC_TCP_SYN },
		  true, true },
		{ "input tcp dport 9 drop", { NC_FAULT_IP4, NC_PROTO_TCP, 40000, 10, NC_TCP_SYN },
		  false, false },
		{ "input tcp dport 9 drop", { NC_FAULT_IP4, NC_PROTO_UDP, 40000, 9, 0 },
		  false, false },
		{ "input ip6 tcp dport 9 drop", { NC_FAULT_IP4, NC_PROTO_TCP, 1, 9, 0 },
		  false, false },
		{ "input tcp sport 100:200 drop", { NC_FAULT_IP4, NC_PROTO_TCP, 200, 9, 0 },
		  true, true },
		{ "input tcp sport 100:200 drop", { NC_FAULT_IP4, NC_PROTO_TCP, 201, 9, 0 },
		  false, false },
		{ "input tcp flags SYN,ACK,FIN,RST ACK drop",
		  { NC_FAULT_IP4, NC_PROTO_TCP, 1, 80, NC_TCP_ACK | NC_TCP_PSH }, true, true },
		{ "input tcp flags SYN,ACK,FIN,RST ACK drop",
		  { NC_FAULT_IP4, NC_PROTO_TCP, 1, 80, NC_TCP_ACK | NC_TCP_FIN }, false, false },
		{ "input tcp flags FIN FIN drop",
		  { NC_FAULT_IP6, NC_PROTO_TCP, 1, 80, NC_TCP_ACK | NC_TCP_FIN }, true, true },
		{ "input drop", { NC_FAULT_IP6, NC_PROTO_ICMPV6, 0, 0, 0 }, true, true },
		{ "input icmp drop", { NC_FAULT_IP6, NC_PROTO_ICMPV6, 0, 0, 0 }, false, false },
		/* matches, but not surely dropped on arrival */
		{ "output tcp drop", { NC_FAULT_IP4, NC_PROTO_TCP, 1, 2, 0 }, true, false },
		{ "input tcp probability 0.5 drop", { NC_FAULT_IP4, NC_PROTO_TCP, 1, 2, 0 },
		  true, false },
		{ "input tcp reject tcp-reset", { NC_FAULT_IP4, NC_PROTO_TCP, 1, 2, 0 }, true, false },
		{ "forward tcp drop", { NC_FAULT_IP4, NC_PROTO_TCP, 1, 2, 0 }, true, true },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nc_fault fault;
		char err[256];

		CU_ASSERT_EQUAL_FATAL(nc_fault_parse(cases[i].rule, &fault, err, sizeof(err)), 0);
		if (nc_fault_matches(&fault, &cases[i].packet) != cases[i].matches ||
		    nc_fault_surely_drops_arriving(&fault, &cases[i].packet) !=
			    cases[i].surely_drops)
			FAIL_WITH(cases[i].rule);
	}
}

/* A check names a fault the scenario lacks: -ENOENT, and a message naming
 * the scenario and the faults it has. */
static void fault_by_name(void)
{
	struct nc_host host = { .name = "s" };
	struct nc_net_fault drop = { .name = "syn-drop", .host = &host, .id = 1 };
	struct nc_net net = { .hosts = &host, .n_hosts = 1, .faults = &drop,
			      .path = "scenarios/x.scn" };
	uint64_t packets = 7;
	char text[512];

	host.net = &net;
	CU_ASSERT_PTR_EQUAL(nc_fault_find(&net, "syn-drop"), &drop);
	CU_ASSERT_PTR_NULL(nc_fault_find(&net, "syn-drp"));
	CU_ASSERT_STRING_EQUAL(nc_error_text(-ENOENT, text, sizeof(text)),
			       "scenarios/x.scn has no fault \"syn-drp\" (it has syn-drop): "
			       "No such file or directory");
	CU_ASSERT_EQUAL(nc_fault_packets(&net, "syn-drp", &packets), -ENOENT);
	CU_ASSERT_EQUAL(packets, 0);
	CU_ASSERT_EQUAL(nc_fault_del(&net, "nope"), -ENOENT);
	CU_ASSERT_EQUAL(nc_fault_wait_packets(&net, "nope", 1, 10, &packets), -ENOENT);
	net.faults = NULL;
	CU_ASSERT_PTR_NULL(nc_fault_find(&net, "syn-drop"));
	CU_ASSERT_STRING_EQUAL(nc_error_message(),
			       "scenarios/x.scn has no fault \"syn-drop\" (it has none)");
	CU_ASSERT_PTR_NULL(nc_fault_find(NULL, "syn-drop"));
}

static void fault_families(void)
{
	struct nc_fault fault;
	char err[256];

	CU_ASSERT_EQUAL(nc_fault_parse("input icmp drop", &fault, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(fault.families, NC_FAULT_IP4);
	CU_ASSERT_EQUAL(nc_fault_parse("input icmpv6 drop", &fault, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(fault.families, NC_FAULT_IP6);
	CU_ASSERT_EQUAL(nc_fault_parse("input tcp reject icmp6-adm-prohibited", &fault, err,
				       sizeof(err)), 0);
	CU_ASSERT_EQUAL(fault.families, NC_FAULT_IP4 | NC_FAULT_IP6);
	CU_ASSERT_EQUAL(nc_fault_parse("input ip6 tcp reject icmp6-port-unreachable", &fault,
				       err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(fault.families, NC_FAULT_IP6);
	CU_ASSERT_EQUAL(nc_fault_parse("", &fault, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "expected input, output or forward"));
}

static void sysctl_table(void)
{
	char err[256];

	CU_ASSERT_TRUE(nc_sysctl_known("net.ipv4.tcp_syn_retries"));
	CU_ASSERT_TRUE(nc_sysctl_known("net.ipv6.conf.s.forwarding"));
	CU_ASSERT_TRUE(nc_sysctl_known("net.ipv6.conf.all.accept_dad"));
	CU_ASSERT_FALSE(nc_sysctl_known("net.ipv6.conf.a.b.forwarding"));
	CU_ASSERT_FALSE(nc_sysctl_known("net.ipv6.conf..forwarding"));
	CU_ASSERT_FALSE(nc_sysctl_known("net.core.rmem_max"));	/* global: never */
	CU_ASSERT_FALSE(nc_sysctl_known("net.ipv4.tcp_syn_retries/../../../kernel/x"));
	CU_ASSERT_EQUAL(nc_sysctl_check("net.ipv4.ip_local_port_range", "1024 65535", err,
					sizeof(err)), 0);
	CU_ASSERT_EQUAL(nc_sysctl_check("net.ipv4.ip_local_port_range", "1024 65536", err,
					sizeof(err)), -1);
	CU_ASSERT_EQUAL(nc_sysctl_check("net.ipv4.tcp_syn_retries", "", err, sizeof(err)), -1);
}

static void netem_specs(void)
{
	struct nc_netem netem;
	char err[256];

	CU_ASSERT_EQUAL(nc_netem_parse("loss 0.5% rate 1.5gbit", &netem, err, sizeof(err)), 0);
	CU_ASSERT_DOUBLE_EQUAL(netem.loss_pct, 0.5, 1e-9);
	CU_ASSERT_EQUAL(netem.rate_bps, 1500000000ULL);
	CU_ASSERT_EQUAL(netem.delay_us, 0);
	CU_ASSERT_EQUAL(nc_netem_parse("delay 1s jitter 250us", &netem, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(netem.delay_us, 1000000);
	CU_ASSERT_EQUAL(netem.jitter_us, 250);
	CU_ASSERT_EQUAL(nc_netem_parse("", &netem, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "nothing to emulate"));
}

static void address_ranges(void)
{
	static const struct {
		const char *cidr;
		bool allowed;
	} cases[] = {
		{ "198.18.0.0/15", true }, { "198.19.255.255/32", true },
		{ "198.20.0.1/32", false }, { "198.16.0.0/14", false },
		{ "192.0.2.77/32", true }, { "192.0.3.1/32", false },
		{ "198.51.100.0/24", true }, { "198.51.101.0/24", false },
		{ "203.0.113.255/32", true }, { "203.0.112.0/23", false },
		{ "127.0.0.1/8", true }, { "127.255.0.1/32", true }, { "128.0.0.1/32", false },
		{ "2001:db8::/32", true }, { "2001:db8:ffff::1/128", true },
		{ "2001:db9::/32", false }, { "2001:db8::/31", false },
		{ "::1/128", true }, { "::2/128", false }, { "::/0", false },
		{ "0.0.0.0/0", false }, { "10.0.0.1/32", false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned char addr[16];
		int family, prefix;
		char err[128];

		CU_ASSERT_EQUAL_FATAL(nc_cidr_parse(cases[i].cidr, &family, addr, &prefix, err,
						    sizeof(err)), 0);
		if (nc_cidr_allowed(family, addr, prefix) != cases[i].allowed)
			FAIL_WITH(cases[i].cidr);
	}
}

NC_UNIT_SUITE(scenario,
	NC_UNIT_TEST(parse_good_scenario),
	NC_UNIT_TEST(parse_minimal_scenario),
	NC_UNIT_TEST(shipped_scenarios_parse),
	NC_UNIT_TEST(bad_scenarios_are_refused),
	NC_UNIT_TEST(bad_files_are_refused),
	NC_UNIT_TEST(missing_file_is_reported),
	NC_UNIT_TEST(small_error_buffer),
	NC_UNIT_TEST(fault_round_trip),
	NC_UNIT_TEST(fault_numbers),
	NC_UNIT_TEST(fault_matching),
	NC_UNIT_TEST(fault_by_name),
	NC_UNIT_TEST(fault_families),
	NC_UNIT_TEST(sysctl_table),
	NC_UNIT_TEST(netem_specs),
	NC_UNIT_TEST(address_ranges));
