/* Unit tests of lib/world/dns_server.c and lib/world/resolver.c.  The server runs in a
 * forked child that has its own user and network namespaces (never on the
 * machine's network), a thread of it; the child reports the first step that
 * went wrong. */
#include <CUnit/CUnit.h>
#include <dirent.h>
#include <errno.h>
#include <ldns/ldns.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "dns_server.h"
#include "dns_test_zone.h"
#include "file.h"
#include "poll_until.h"
#include "resolver.h"
#include "sandbox.h"
#include "unit.h"


/* Sends wire over UDP (or TCP) to the server; the answer parsed, or NULL. */
static ldns_pkt *exchange(const struct nc_dns_server *server, const uint8_t *wire, size_t len,
			  bool tcp)
{
	int fd = socket(AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint8_t answer[65536];
	ldns_pkt *parsed = NULL;
	ssize_t got;

	uint8_t prefix[2] = { (uint8_t)(len >> 8), (uint8_t)len };

	if (fd < 0 || connect(fd, &server->addr.sa, server->addr.len) < 0 ||
	    (tcp && write(fd, prefix, 2) != 2) ||
	    write(fd, wire, len) != (ssize_t)len || poll(&pfd, 1, 1000) != 1) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	got = read(fd, answer, sizeof(answer));
	if (tcp && got > 2) {
		memmove(answer, answer + 2, (size_t)got - 2);	/* one short answer: one read */
		got -= 2;
	}
	close(fd);
	if (got > 0 && ldns_wire2pkt(&parsed, answer, (size_t)got) != LDNS_STATUS_OK)
		parsed = NULL;
	return parsed;
}

static ldns_pkt *ask(const struct nc_dns_server *server, const char *name, ldns_rr_type type,
		     bool tcp)
{
	ldns_pkt *query = ldns_pkt_query_new(ldns_dname_new_frm_str(name), type,
					     LDNS_RR_CLASS_IN, LDNS_RD);
	ldns_pkt *answer = NULL;
	uint8_t *wire = NULL;
	size_t len = 0;

	if (query && ldns_pkt2wire(&wire, query, &len) == LDNS_STATUS_OK)
		answer = exchange(server, wire, len, tcp);
	free(wire);
	ldns_pkt_free(query);
	return answer;
}

/* Whether this process has a thread named nc-dns (the server); *blocked
 * gets the signals blocked in it. */
static bool dns_thread(unsigned long long *blocked)
{
	DIR *tasks = opendir("/proc/self/task");
	bool found = false;
	struct dirent *e;

	*blocked = 0;
	while (tasks && !found && (e = readdir(tasks)) != NULL) {
		char path[300], text[4096];
		const char *line;

		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", e->d_name);
		if (nc_file_read(path, text, sizeof(text)) <= 0 || strcmp(text, "nc-dns\n") != 0)
			continue;
		found = true;
		snprintf(path, sizeof(path), "/proc/self/task/%s/status", e->d_name);
		if (nc_file_read(path, text, sizeof(text)) > 0 &&
		    (line = strstr(text, "\nSigBlk:")) != NULL)
			sscanf(line, "\nSigBlk: %llx", blocked);
	}
	if (tasks)
		closedir(tasks);
	return found;
}

static int dns_thread_gone(void *unused)
{
	unsigned long long blocked;

	(void)unused;
	return !dns_thread(&blocked);
}

static bool blocks(unsigned long long mask, int sig)
{
	return mask >> (sig - 1) & 1;
}

/* The descriptors open in the calling thread's table. */
static int open_fds(void)
{
	DIR *fds = opendir("/proc/thread-self/fd");
	int n = -1;	/* the directory's own */

	while (fds && readdir(fds))
		n++;
	if (fds)
		closedir(fds);
	return n - 2;	/* . and .. */
}

/* Returns 0, or the number of the step that failed. */
static int server_steps(void)
{
	static const uint8_t garbage[] = { 0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0xff, 0xff,
					   0xff, 0xff, 0xff, 0xff, 0x3f, 'x' };
	struct nc_dns_server server;
	struct nc_sockaddr listen;
	struct nc_dns_stats stats;
	uint8_t garbage_copy[16];
	ldns_pkt *a;
	int step = 0;

	/* the zone's rules and drops in memory the check frees at once: the
	 * server keeps its own copy */
	struct nc_dns_rule *rules = malloc(sizeof(test_zone_rules));
	struct nc_dns_drop *dropped_queries = malloc(sizeof(test_zone_dropped));
	struct nc_dns_zone zone = test_zone;
	unsigned long long blocked;
	int fds_before;

	if (nc_sandbox_enter(NULL) < 0 || !rules || !dropped_queries)
		return 100;
	zone.rules = memcpy(rules, test_zone_rules, sizeof(test_zone_rules));
	zone.dropped = memcpy(dropped_queries, test_zone_dropped, sizeof(test_zone_dropped));
	nc_sockaddr_parse("127.0.0.1", &listen);
	fds_before = open_fds();
	if (nc_dns_server_start(&zone, &listen, &server) < 0)
		return 101;
	memset(rules, 0xff, sizeof(test_zone_rules));
	memset(dropped_queries, 0xff, sizeof(test_zone_dropped));
	free(rules);
	free(dropped_queries);
#define STEP(cond) do { step++; if (!(cond)) return step; } while (0)
	/* a thread of this process, which takes no signal of the process's */
	STEP(dns_thread(&blocked));
	/* every signal but those a fault of its own raises (they kill it, with
	 * a report) and those none can block */
	bool as_said = true;

	for (int sig = 1; sig < 32; sig++) {
		bool open = sig == SIGKILL || sig == SIGSTOP || sig == SIGSEGV || sig == SIGBUS ||
			    sig == SIGFPE || sig == SIGILL || sig == SIGTRAP || sig == SIGSYS ||
			    sig == SIGABRT;

		as_said &= blocks(blocked, sig) != open;
	}
	STEP(as_said);
	/* its sockets in a table of its own: this one holds its stop eventfd alone */
	STEP(open_fds() == fds_before + 1);
	a = ask(&server, "www.example.test.", LDNS_RR_TYPE_A, false);
	STEP(a && ldns_pkt_get_rcode(a) == LDNS_RCODE_NOERROR && ldns_pkt_ancount(a) == 1);
	ldns_pkt_free(a);
	a = ask(&server, "alias.example.test.", LDNS_RR_TYPE_A, false);
	STEP(a && ldns_pkt_ancount(a) == 2);	/* the CNAME and the A */
	ldns_pkt_free(a);
	/* its AAAA query is dropped: no answer at all */
	STEP(ask(&server, "alias.example.test.", LDNS_RR_TYPE_AAAA, false) == NULL);
	a = ask(&server, "nx.example.test.", LDNS_RR_TYPE_A, false);
	STEP(a && ldns_pkt_get_rcode(a) == LDNS_RCODE_NXDOMAIN);
	ldns_pkt_free(a);
	a = ask(&server, "servfail.example.test.", LDNS_RR_TYPE_A, false);
	STEP(a && ldns_pkt_get_rcode(a) == LDNS_RCODE_SERVFAIL);
	ldns_pkt_free(a);
	a = ask(&server, "refused.example.test.", LDNS_RR_TYPE_A, false);
	STEP(a && ldns_pkt_get_rcode(a) == LDNS_RCODE_REFUSED);
	ldns_pkt_free(a);
	a = ask(&server, "empty.example.test.", LDNS_RR_TYPE_A, false);
	STEP(a && ldns_pkt_get_rcode(a) == LDNS_RCODE_NOERROR && ldns_pkt_ancount(a) == 0);
	ldns_pkt_free(a);
	a = ask(&server, "www.example.test.", LDNS_RR_TYPE_TXT, false);	/* NODATA */
	STEP(a && ldns_pkt_get_rcode(a) == LDNS_RCODE_NOERROR && ldns_pkt_ancount(a) == 0);
	ldns_pkt_free(a);
	a = ask(&server, "big.example.test.", LDNS_RR_TYPE_A, false);
	STEP(a && ldns_pkt_tc(a) && ldns_pkt_ancount(a) == 0);
	ldns_pkt_free(a);
	a = ask(&server, "big.example.test.", LDNS_RR_TYPE_A, true);
	STEP(a && !ldns_pkt_tc(a) && ldns_pkt_ancount(a) == 1);
	ldns_pkt_free(a);
	/* A malformed query gets FORMERR, a runt none, and the server lives on. */
	a = exchange(&server, garbage, sizeof(garbage), false);
	STEP(a && ldns_pkt_get_rcode(a) == LDNS_RCODE_FORMERR && ldns_pkt_id(a) == 0x1234);
	ldns_pkt_free(a);
	STEP(exchange(&server, garbage, 5, false) == NULL);
	a = ask(&server, "www.example.test.", LDNS_RR_TYPE_AAAA, false);
	STEP(a && ldns_pkt_ancount(a) == 1);
	ldns_pkt_free(a);
	/* A TCP client that sends a length and then trickles bytes holds up
	 * neither UDP nor another TCP client, and is dropped at its deadline. */
	int slow = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	static const uint8_t start[] = { 0x00, 0x40, 0x12 };	/* 64 bytes to come */
	struct pollfd dropped = { .fd = slow, .events = POLLIN };
	pid_t trickler;

	STEP(slow >= 0 && connect(slow, &server.addr.sa, server.addr.len) == 0 &&
	     write(slow, start, sizeof(start)) == sizeof(start));
	trickler = fork();
	if (trickler == 0) {
		for (int i = 0; i < 30; i++) {	/* a byte every 100 ms, for 3 s */
			usleep(100000);
			if (send(slow, "x", 1, MSG_NOSIGNAL) != 1)
				_exit(0);
		}
		_exit(0);
	}
	STEP(trickler > 0);
	a = ask(&server, "www.example.test.", LDNS_RR_TYPE_A, false);
	STEP(a && ldns_pkt_ancount(a) == 1);
	ldns_pkt_free(a);
	a = ask(&server, "www.example.test.", LDNS_RR_TYPE_A, true);
	STEP(a && ldns_pkt_ancount(a) == 1);
	ldns_pkt_free(a);
	STEP(poll(&dropped, 1, 5000) == 1 && read(slow, garbage_copy, sizeof(garbage_copy)) <= 0);
	close(slow);
	kill(trickler, SIGKILL);
	waitpid(trickler, NULL, 0);
	nc_dns_server_stats(&server, &stats);
	STEP(stats.malformed == 2 && stats.truncated == 1 && stats.tcp_queries == 2 &&
	     stats.dropped == 1);
	STEP(nc_dns_server_stop(&server) == 0);
	/* joined: the thread has ended (its task leaves /proc a moment after) */
	STEP(nc_poll_until(dns_thread_gone, NULL, 1000, NC_BACKOFF_KERNEL_WORK) == 0);
	STEP(open_fds() == fds_before);
#undef STEP
	return 0;
}

/* A query over an open TCP connection, its answer within ms: 0 or -1. */
static int tcp_query(int fd, int ms)
{
	ldns_pkt *query = ldns_pkt_query_new(ldns_dname_new_frm_str("www.example.test."),
					     LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, LDNS_RD);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint8_t *wire = NULL, framed[512], answer[512];
	size_t len = 0;
	int ok;

	ok = query && ldns_pkt2wire(&wire, query, &len) == LDNS_STATUS_OK && len + 2 <= 512;
	if (ok) {
		framed[0] = (uint8_t)(len >> 8);
		framed[1] = (uint8_t)len;
		memcpy(framed + 2, wire, len);
		ok = write(fd, framed, len + 2) == (ssize_t)(len + 2) && poll(&pfd, 1, ms) == 1 &&
		     read(fd, answer, sizeof(answer)) > 2;
	}
	free(wire);
	ldns_pkt_free(query);
	return ok ? 0 : -1;
}

/* 16 clients keep their connections open (as ones asking every 0.9 s do):
 * a 17th is answered at once, in the place of the one idle the longest,
 * not after the others' 1 s deadline (never, while they keep asking). */
static int idle_steps(void)
{
	struct nc_dns_server server;
	struct nc_sockaddr listen;
	int fds[17], step = 0;
	uint8_t byte;

	if (nc_sandbox_enter(NULL) < 0)
		return 100;
	nc_sockaddr_parse("127.0.0.1", &listen);
	if (nc_dns_server_start(&test_zone, &listen, &server) < 0)
		return 101;
#define STEP(cond) do { step++; if (!(cond)) return step; } while (0)
	for (int i = 0; i < 17; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		STEP(fds[i] >= 0 && connect(fds[i], &server.addr.sa, server.addr.len) == 0);
		/* the 17th within the 1 s the others' connections may idle */
		STEP(tcp_query(fds[i], 900) == 0);
	}
	/* the first, idle the longest, was closed for it */
	STEP(poll(&(struct pollfd){ .fd = fds[0], .events = POLLIN }, 1, 1000) == 1 &&
	     read(fds[0], &byte, 1) == 0);
	STEP(tcp_query(fds[1], 900) == 0);	/* the rest still served */
	STEP(nc_dns_server_stop(&server) == 0);
#undef STEP
	return 0;
}

static void run_in_child(int (*steps)(void), const char *what)
{
	pid_t pid = fork();
	int status = 0;

	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0)
		_exit(steps());
	waitpid(pid, &status, 0);
	CU_ASSERT_TRUE(WIFEXITED(status));
	if (WEXITSTATUS(status) != 0)
		fprintf(stderr, "%s: step %d failed\n", what, WEXITSTATUS(status));
	CU_ASSERT_EQUAL(WEXITSTATUS(status), 0);
}

static void test_dns_server_answers(void)
{
	run_in_child(server_steps, "dns server");
}

static void test_dns_server_drops_idle(void)
{
	run_in_child(idle_steps, "dns server with 17 TCP clients");
}

/* Three addresses, each in its manner, and the log of what each got. */
static int listener_steps(void)
{
	struct nc_dns_listener listeners[3] = {
		{ .id = 0, .manner = NC_DNS_ANSWERS },
		{ .id = 1, .manner = NC_DNS_SERVFAILS },
		{ .id = 2, .manner = NC_DNS_LATE, .delay_ms = 300 },
	};
	struct nc_dns_server server, at;
	struct nc_dns_stats stats;
	struct timespec start;
	ldns_pkt *a;
	int step = 0;

	if (nc_sandbox_enter(NULL) < 0)
		return 100;
	nc_sockaddr_parse("127.0.0.1", &listeners[0].addr);
	nc_sockaddr_parse("127.0.0.2", &listeners[1].addr);
	nc_sockaddr_parse("127.0.0.3", &listeners[2].addr);
	if (nc_dns_servers_start(&test_zone, listeners, 3, &server) < 0)
		return 101;
#define STEP(cond) do { step++; if (!(cond)) return step; } while (0)
	at = server;
	/* partly truncated: the first record and TC over UDP, both over TCP */
	a = ask(&server, "pair.example.test.", LDNS_RR_TYPE_A, false);
	STEP(a && ldns_pkt_tc(a) && ldns_pkt_ancount(a) == 1);
	ldns_pkt_free(a);
	a = ask(&server, "pair.example.test.", LDNS_RR_TYPE_A, true);
	STEP(a && !ldns_pkt_tc(a) && ldns_pkt_ancount(a) == 2);
	ldns_pkt_free(a);
	at.addr = listeners[1].addr;
	nc_sockaddr_set_port(&at.addr, 53);
	a = ask(&at, "www.example.test.", LDNS_RR_TYPE_A, false);
	STEP(a && ldns_pkt_get_rcode(a) == LDNS_RCODE_SERVFAIL && ldns_pkt_qdcount(a) == 1);
	ldns_pkt_free(a);
	at.addr = listeners[2].addr;
	nc_sockaddr_set_port(&at.addr, 53);
	nc_clock_start(&start);
	a = ask(&at, "www.example.test.", LDNS_RR_TYPE_AAAA, false);
	STEP(a && ldns_pkt_ancount(a) == 1 && nc_elapsed_ms(&start) >= 290);
	ldns_pkt_free(a);
	nc_dns_server_stats(&server, &stats);
	STEP(stats.logged == 4 && stats.truncated == 1);
	STEP(stats.log[0].server == 0 && !stats.log[0].tcp && stats.log[0].qtype == 1 &&
	     strcmp(stats.log[0].qname, "pair.example.test.") == 0 && stats.log[0].sport != 0);
	STEP(stats.log[1].tcp && stats.log[2].server == 1 && stats.log[3].server == 2 &&
	     stats.log[3].qtype == 28 && stats.log[3].at_ms >= stats.log[2].at_ms);
	STEP(nc_dns_server_stop(&server) == 0);
#undef STEP
	return 0;
}

static void test_dns_server_listeners(void)
{
	run_in_child(listener_steps, "dns server listeners");
}

static void test_dns_server_rejects_bad_record(void)
{
	static const char *const bad[] = { "www.example.test. 60 IN A not-an-address", NULL };
	const struct nc_dns_zone bad_zone = { .records = bad };
	struct nc_dns_server server;
	struct nc_sockaddr listen;

	nc_sockaddr_parse("127.0.0.1:1", &listen);	/* never bound: parsing fails first */
	CU_ASSERT_EQUAL(nc_dns_server_start(&bad_zone, &listen, &server), -EINVAL);
}

static void test_resolv_conf_text(void)
{
	const struct nc_resolver_env env = { .nameserver = "198.18.0.2", .search = "example.test" };
	const struct nc_resolver_env defaults = { 0 };
	char text[256];

	CU_ASSERT_EQUAL(nc_resolver_conf_text(&env, text, sizeof(text)), 0);
	CU_ASSERT_STRING_EQUAL(text, "nameserver 198.18.0.2\noptions timeout:1 attempts:1\n"
			       "search example.test\n");
	CU_ASSERT_EQUAL(nc_resolver_conf_text(&defaults, text, sizeof(text)), 0);
	CU_ASSERT_STRING_EQUAL(text, "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
	CU_ASSERT_EQUAL(nc_resolver_conf_text(&env, text, 10), -ENOSPC);

	static const struct nc_nameserver two[] = {
		{ "198.18.1.2", NC_DNS_NOT_SERVED, 0 }, { "198.18.0.2", NC_DNS_ANSWERS, 0 }, { 0 }
	};
	const struct nc_resolver_env several = { .nameservers = two, .options = "rotate" };

	CU_ASSERT_EQUAL(nc_resolver_conf_text(&several, text, sizeof(text)), 0);
	CU_ASSERT_STRING_EQUAL(text, "nameserver 198.18.1.2\nnameserver 198.18.0.2\n"
			       "options rotate\n");
}

NC_UNIT_SUITE(resolver,
	NC_UNIT_TEST(test_dns_server_answers),
	NC_UNIT_TEST(test_dns_server_drops_idle),
	NC_UNIT_TEST(test_dns_server_listeners),
	NC_UNIT_TEST(test_dns_server_rejects_bad_record),
	NC_UNIT_TEST(test_resolv_conf_text));
