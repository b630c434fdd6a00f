/* The check's DNS server (lib/dns_server.h): packets parsed and built with
 * ldns, never by hand; a query ldns cannot parse gets FORMERR or nothing. */
#include <errno.h>
#include <ldns/ldns.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dns_server.h"
#include "mutant_scope.h"

#define CNAME_CHAIN_MAX 8
#define TCP_READ_MS 1000	/* a client that stalls mid-message is dropped */

struct zone {
	ldns_rr_list *records;
	const struct nc_dns_rule *rules;
	ldns_rdf **rule_names;
	size_t n_rules;
	ldns_rdf **truncated;
	size_t n_truncated;
};

static void zone_free(struct zone *zone)
{
	for (size_t i = 0; i < zone->n_rules; i++)
		ldns_rdf_deep_free(zone->rule_names[i]);
	for (size_t i = 0; i < zone->n_truncated; i++)
		ldns_rdf_deep_free(zone->truncated[i]);
	free(zone->rule_names);
	free(zone->truncated);
	ldns_rr_list_deep_free(zone->records);
	memset(zone, 0, sizeof(*zone));
}

static int dnames_parse(const char *const *names, size_t n, ldns_rdf ***out)
{
	*out = calloc(n ? n : 1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		(*out)[i] = ldns_dname_new_frm_str(names[i]);
		if (!(*out)[i])
			return -EINVAL;
	}
	return 0;
}

static int zone_parse(const struct nc_dns_zone *spec, struct zone *zone)
{
	const char *rule_names[64];
	size_t n_truncated = 0;
	int err;

	memset(zone, 0, sizeof(*zone));
	zone->records = ldns_rr_list_new();
	if (!zone->records)
		return -ENOMEM;
	for (const char *const *line = spec->records; line && *line; line++) {
		ldns_rr *rr = NULL;

		if (ldns_rr_new_frm_str(&rr, *line, 3600, NULL, NULL) != LDNS_STATUS_OK)
			return -EINVAL;
		ldns_rr_list_push_rr(zone->records, rr);
	}
	zone->rules = spec->rules;
	for (const struct nc_dns_rule *r = spec->rules; r && r->name; r++) {
		if (zone->n_rules == sizeof(rule_names) / sizeof(rule_names[0]))
			return -E2BIG;
		rule_names[zone->n_rules++] = r->name;
	}
	err = dnames_parse(rule_names, zone->n_rules, &zone->rule_names);
	if (err < 0)
		return err;
	while (spec->truncated && spec->truncated[n_truncated])
		n_truncated++;
	zone->n_truncated = n_truncated;
	return dnames_parse(spec->truncated, n_truncated, &zone->truncated);
}

static bool dname_in(ldns_rdf *const *list, size_t n, const ldns_rdf *name, size_t *at)
{
	for (size_t i = 0; i < n; i++)
		if (ldns_dname_compare(list[i], name) == 0) {
			if (at)
				*at = i;
			return true;
		}
	return false;
}

/* Adds the records answering (name, type), following CNAMEs.  Returns the
 * rcode: NXDOMAIN when the asked name has no record at all. */
static int zone_answer(const struct zone *zone, const ldns_rdf *qname,
		       ldns_rr_type qtype, ldns_pkt *resp)
{
	const ldns_rdf *name = qname;

	for (int hop = 0; hop < CNAME_CHAIN_MAX; hop++) {
		const ldns_rr *cname = NULL;
		bool exists = false, answered = false;

		for (size_t i = 0; i < ldns_rr_list_rr_count(zone->records); i++) {
			const ldns_rr *rr = ldns_rr_list_rr(zone->records, i);
			ldns_rr_type type = ldns_rr_get_type(rr);

			if (ldns_dname_compare(ldns_rr_owner(rr), name) != 0)
				continue;
			exists = true;
			if (type == qtype || qtype == LDNS_RR_TYPE_ANY) {
				ldns_pkt_push_rr(resp, LDNS_SECTION_ANSWER, ldns_rr_clone(rr));
				answered = true;
			} else if (type == LDNS_RR_TYPE_CNAME) {
				cname = rr;
			}
		}
		if (answered)
			return LDNS_RCODE_NOERROR;
		if (!cname)
			return exists || hop > 0 ? LDNS_RCODE_NOERROR : LDNS_RCODE_NXDOMAIN;
		ldns_pkt_push_rr(resp, LDNS_SECTION_ANSWER, ldns_rr_clone(cname));
		name = ldns_rr_rdf(cname, 0);
	}
	return LDNS_RCODE_SERVFAIL;	/* a CNAME loop */
}

/* The response to query, or NULL when there is nothing to answer. */
static ldns_pkt *respond(const struct zone *zone, const ldns_pkt *query, bool udp,
			 volatile struct nc_dns_stats *stats)
{
	ldns_pkt *resp = ldns_pkt_new();
	const ldns_rr *question;
	const ldns_rdf *qname;
	size_t rule;

	if (!resp)
		return NULL;
	ldns_pkt_set_id(resp, ldns_pkt_id(query));
	ldns_pkt_set_qr(resp, true);
	ldns_pkt_set_aa(resp, true);
	ldns_pkt_set_ra(resp, true);
	ldns_pkt_set_rd(resp, ldns_pkt_rd(query));
	ldns_pkt_set_opcode(resp, ldns_pkt_get_opcode(query));
	if (ldns_pkt_get_opcode(query) != LDNS_PACKET_QUERY) {
		ldns_pkt_set_rcode(resp, LDNS_RCODE_NOTIMPL);
		return resp;
	}
	if (ldns_pkt_qdcount(query) != 1) {
		ldns_pkt_set_rcode(resp, LDNS_RCODE_FORMERR);
		return resp;
	}
	question = ldns_rr_list_rr(ldns_pkt_question(query), 0);
	qname = ldns_rr_owner(question);
	/* The resolver matches the answer's question to its query. */
	ldns_pkt_push_rr(resp, LDNS_SECTION_QUESTION, ldns_rr_clone(question));
	if (dname_in(zone->rule_names, zone->n_rules, qname, &rule)) {
		int rcode = zone->rules[rule].rcode;

		ldns_pkt_set_rcode(resp, rcode == NC_DNS_NODATA ? LDNS_RCODE_NOERROR : rcode);
		return resp;
	}
	if (udp && dname_in(zone->truncated, zone->n_truncated, qname, NULL)) {
		ldns_pkt_set_tc(resp, true);
		__atomic_fetch_add(&stats->truncated, 1, __ATOMIC_RELAXED);
		return resp;
	}
	ldns_pkt_set_rcode(resp, zone_answer(zone, qname, ldns_rr_get_type(question), resp));
	return resp;
}

/* The wire answer to a wire query; *out malloc()ed, or NULL: no answer. */
static size_t serve_one(const struct zone *zone, const uint8_t *query, size_t len,
			bool udp, volatile struct nc_dns_stats *stats, uint8_t **out)
{
	ldns_pkt *parsed = NULL, *resp = NULL;
	size_t out_len = 0;

	*out = NULL;
	__atomic_fetch_add(udp ? &stats->udp_queries : &stats->tcp_queries, 1,
			   __ATOMIC_RELAXED);
	if (ldns_wire2pkt(&parsed, query, len) != LDNS_STATUS_OK) {
		__atomic_fetch_add(&stats->malformed, 1, __ATOMIC_RELAXED);
		if (len < LDNS_HEADER_SIZE || (query[2] & 0x80))
			return 0;	/* no header to answer, or not a query */
		resp = ldns_pkt_new();
		if (!resp)
			return 0;
		ldns_pkt_set_id(resp, (uint16_t)(query[0] << 8 | query[1]));
		ldns_pkt_set_qr(resp, true);
		ldns_pkt_set_rcode(resp, LDNS_RCODE_FORMERR);
	} else if (!ldns_pkt_qr(parsed)) {
		resp = respond(zone, parsed, udp, stats);
	}
	if (resp && ldns_pkt2wire(out, resp, &out_len) != LDNS_STATUS_OK) {
		*out = NULL;
		out_len = 0;
	}
	ldns_pkt_free(resp);
	ldns_pkt_free(parsed);
	return out_len;
}

static void serve_udp(int fd, const struct zone *zone, volatile struct nc_dns_stats *stats)
{
	uint8_t query[65535], *answer;
	struct sockaddr_storage peer;
	socklen_t peer_len = sizeof(peer);
	ssize_t len;
	size_t answer_len;

	len = recvfrom(fd, query, sizeof(query), MSG_DONTWAIT, (struct sockaddr *)&peer,
		       &peer_len);
	if (len < 0)
		return;
	answer_len = serve_one(zone, query, (size_t)len, true, stats, &answer);
	if (answer)
		sendto(fd, answer, answer_len, 0, (struct sockaddr *)&peer, peer_len);
	free(answer);
}

/* Reads len bytes, or fails when the client stalls or goes. */
static int read_full(int fd, uint8_t *buf, size_t len)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	while (len > 0) {
		ssize_t n;

		if (poll(&pfd, 1, TCP_READ_MS) <= 0)
			return -1;
		n = read(fd, buf, len);
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* One TCP connection: 2-byte length-prefixed messages until EOF. */
static void serve_tcp(int listen_fd, const struct zone *zone,
		      volatile struct nc_dns_stats *stats)
{
	int fd = accept(listen_fd, NULL, NULL);
	uint8_t prefix[2], query[65535], *answer;

	if (fd < 0)
		return;
	while (read_full(fd, prefix, 2) == 0) {
		size_t len = (size_t)prefix[0] << 8 | prefix[1], answer_len;

		if (read_full(fd, query, len) < 0)
			break;
		answer_len = serve_one(zone, query, len, false, stats, &answer);
		if (answer) {
			uint8_t out_prefix[2] = { (uint8_t)(answer_len >> 8), (uint8_t)answer_len };
			struct iovec iov[2] = { { out_prefix, 2 }, { answer, answer_len } };
			struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2 };

			if (sendmsg(fd, &msg, MSG_NOSIGNAL) < 0) {
				free(answer);
				break;
			}
		}
		free(answer);
	}
	close(fd);
}

static void __attribute__((noreturn)) server_main(int udp_fd, int tcp_fd, const struct zone *zone,
						  volatile struct nc_dns_stats *stats)
{
	struct pollfd fds[2] = { { .fd = udp_fd, .events = POLLIN },
				 { .fd = tcp_fd, .events = POLLIN } };

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (;;) {
		if (poll(fds, 2, -1) < 0 && errno != EINTR)
			_exit(1);
		if (fds[0].revents & POLLIN)
			serve_udp(udp_fd, zone, stats);
		if (fds[1].revents & POLLIN)
			serve_tcp(tcp_fd, zone, stats);
	}
}

static int bound_socket(int type, const struct nc_sockaddr *addr)
{
	int fd = socket(addr->sa.sa_family, type | SOCK_CLOEXEC, 0);
	int one = 1;

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, &addr->sa, addr->len) < 0 ||
	    (type == SOCK_STREAM && listen(fd, 16) < 0)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int nc_dns_server_start(const struct nc_dns_zone *spec, const struct nc_sockaddr *listen,
			struct nc_dns_server *out)
{
	struct zone zone;
	int udp_fd = -1, tcp_fd = -1, err;
	/* the server is the check's world, not its subject: no mutant in it */
	bool in_body = nc_mutant_scope(false);
	pid_t pid;

	memset(out, 0, sizeof(*out));
	out->addr = *listen;
	if (nc_sockaddr_port(listen) == 0)
		nc_sockaddr_set_port(&out->addr, 53);
	err = zone_parse(spec, &zone);
	if (err < 0)
		goto out;
	out->stats = mmap(NULL, sizeof(*out->stats), PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (out->stats == MAP_FAILED) {
		out->stats = NULL;
		err = -errno;
		goto out;
	}
	udp_fd = err = bound_socket(SOCK_DGRAM, &out->addr);
	if (err < 0)
		goto out;
	tcp_fd = err = bound_socket(SOCK_STREAM, &out->addr);
	if (err < 0)
		goto out;
	pid = fork();
	if (pid < 0) {
		err = -errno;
		goto out;
	}
	if (pid == 0)
		server_main(udp_fd, tcp_fd, &zone, out->stats);
	out->pid = pid;
	err = 0;
out:
	if (udp_fd >= 0)
		close(udp_fd);
	if (tcp_fd >= 0)
		close(tcp_fd);
	zone_free(&zone);
	if (err < 0 && out->stats) {
		munmap((void *)out->stats, sizeof(*out->stats));
		out->stats = NULL;
	}
	nc_mutant_scope(in_body);
	return err;
}

int nc_dns_server_stop(struct nc_dns_server *server)
{
	int err = 0;

	if (server->pid > 0) {
		if (kill(server->pid, SIGKILL) < 0 ||
		    waitpid(server->pid, NULL, 0) < 0)
			err = -errno;
		server->pid = 0;
	}
	if (server->stats) {
		munmap((void *)server->stats, sizeof(*server->stats));
		server->stats = NULL;
	}
	return err;
}

void nc_dns_server_stats(const struct nc_dns_server *server, struct nc_dns_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (!server->stats)
		return;
	out->udp_queries = __atomic_load_n(&server->stats->udp_queries, __ATOMIC_RELAXED);
	out->tcp_queries = __atomic_load_n(&server->stats->tcp_queries, __ATOMIC_RELAXED);
	out->truncated = __atomic_load_n(&server->stats->truncated, __ATOMIC_RELAXED);
	out->malformed = __atomic_load_n(&server->stats->malformed, __ATOMIC_RELAXED);
}
