/* The ladder of a check's packets (ladder.h): the observations of every
 * host's capture merged into one packet per wire transfer, numbered by
 * connection, sequence numbers made relative, each loss explained. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ladder.h"
#include "record.h"
#include "tcp_flags.h"

#define IN_FLIGHT_US	2000		/* sent this close to the end: not "lost" */

/* --- one packet per wire transfer --- */

static bool same_packet(const struct nc_obs *a, const struct nc_obs *b)
{
	return memcmp(&a->tcp, &b->tcp, sizeof(a->tcp)) == 0 && a->icmp == b->icmp &&
	       a->icmp_type == b->icmp_type && a->icmp_code == b->icmp_code &&
	       a->flags == b->flags && a->seq == b->seq && a->ack == b->ack && a->len == b->len;
}

static int by_time(const void *a, const void *b)
{
	const struct nc_obs *x = a, *y = b;

	return x->t_us < y->t_us ? -1 : x->t_us > y->t_us;
}

/* Merges, in place, each observation into the earliest equal packet that
 * this host has not yet seen going the same way.  Returns the count left. */
static size_t merge(struct nc_obs *obs, size_t n)
{
	size_t n_wire = 0;

	qsort(obs, n, sizeof(*obs), by_time);
	for (size_t i = 0; i < n; i++) {
		struct nc_obs o = obs[i];
		unsigned bit = 1u << o.host;
		size_t w;

		for (w = 0; w < n_wire; w++)
			if (same_packet(&obs[w], &o) &&
			    !((o.outgoing ? obs[w].seen_out : obs[w].seen_in) & bit))
				break;
		if (w == n_wire) {
			obs[n_wire] = o;
			obs[n_wire].seen_out = obs[n_wire].seen_in = 0;
			n_wire++;
		}
		if (o.outgoing)
			obs[w].seen_out |= bit;
		else
			obs[w].seen_in |= bit;
	}
	return n_wire;
}

/* --- connections, ISNs --- */

static bool same_conn(const struct nc_tuple *a, const struct nc_tuple *b)
{
	if (a->family != b->family)
		return false;
	if (memcmp(a, b, sizeof(*a)) == 0)
		return true;
	return memcmp(a->src, b->dst, 16) == 0 && memcmp(a->dst, b->src, 16) == 0 &&
	       a->sport == b->dport && a->dport == b->sport;
}

struct conn {
	struct nc_tuple client_to_server;
	bool isn_known[2];		/* [to_server] */
	uint32_t isn[2];
};

#define MAX_CONNS 16

static unsigned assign_conns(struct nc_obs *wire, size_t n, struct conn *conns)
{
	unsigned n_conns = 0;

	for (size_t i = 0; i < n; i++) {
		struct nc_obs *o = &wire[i];
		unsigned c;

		for (c = 0; c < n_conns; c++)
			if (same_conn(&conns[c].client_to_server, &o->tcp))
				break;
		if (c == n_conns && n_conns < MAX_CONNS) {
			memset(&conns[c], 0, sizeof(conns[c]));
			/* The client sent the first SYN; lacking one, the first segment. */
			conns[c].client_to_server = o->tcp;
			for (size_t j = i; j < n; j++)
				if (!wire[j].icmp && (wire[j].flags & (NC_TCP_SYN | NC_TCP_ACK)) == NC_TCP_SYN &&
				    same_conn(&wire[j].tcp, &o->tcp)) {
					conns[c].client_to_server = wire[j].tcp;
					break;
				}
			n_conns++;
		}
		if (c == n_conns) {	/* too many: drawn with the last one */
			o->conn = MAX_CONNS;
			continue;
		}
		o->conn = c;
		o->to_server = memcmp(&o->tcp, &conns[c].client_to_server, sizeof(o->tcp)) == 0;
		/* a quoted segment went the other way than the ICMP error */
		if (o->icmp)
			o->to_server = !o->to_server;
	}
	/* ISN: each direction's SYN, else its first segment */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			struct nc_obs *o = &wire[i];
			bool dir = o->icmp ? !o->to_server : o->to_server;
			struct conn *c = &conns[o->conn];

			if (o->conn >= n_conns || c->isn_known[dir] ||
			    (pass == 0 && (o->icmp || !(o->flags & NC_TCP_SYN))))
				continue;
			c->isn_known[dir] = true;
			c->isn[dir] = o->seq;
		}
	return n_conns;
}

/* --- what was lost --- */

/* The packet as the fault model sees it. */
static struct nc_fault_packet fault_packet(const struct nc_obs *o)
{
	struct nc_fault_packet p = {
		.family = o->tcp.family == AF_INET ? NC_FAULT_IP4 : NC_FAULT_IP6,
		.proto = NC_PROTO_TCP,
	};

	if (o->icmp) {
		p.proto = o->tcp.family == AF_INET ? NC_PROTO_ICMP : NC_PROTO_ICMPV6;
	} else {
		p.sport = o->tcp.sport;
		p.dport = o->tcp.dport;
		p.tcp_flags = o->flags;
	}
	return p;
}

static const char *host_name(const struct nc_ladder *ladder, int host)
{
	return ladder->net ? ladder->net->hosts[host].name : "lo";
}

/* The host that sent from addr (of family), or -1. */
static int owner_of(const struct nc_obs *wire, size_t n, int family, const uint8_t *addr)
{
	for (size_t i = 0; i < n; i++)
		if (wire[i].seen_out && !wire[i].icmp && wire[i].tcp.family == family &&
		    memcmp(wire[i].tcp.src, addr, 16) == 0)
			return __builtin_ctz(wire[i].seen_out);
	return -1;
}

static void where_lost(const struct nc_ladder *ladder, const struct nc_obs *wire, size_t n,
		       const struct nc_obs *o, char *buf, size_t size)
{
	struct nc_fault_packet packet = fault_packet(o);

	snprintf(buf, size, "-");
	for (int h = 0; ladder->net && h < ladder->n_hosts; h++) {
		if (!(o->seen_in & (1u << h)))
			continue;
		for (const struct nc_net_fault *f = ladder->net->faults; f; f = f->next)
			if (f->host == &ladder->net->hosts[h] &&
			    nc_fault_surely_drops_arriving(&f->rule, &packet)) {
				snprintf(buf, size, "%s:fault-%s", host_name(ladder, h), f->name);
				return;
			}
	}
	if (o->seen_out && !o->seen_in && !o->icmp && o->t_us + IN_FLIGHT_US < ladder->end_us) {
		int to = owner_of(wire, n, o->tcp.family, o->tcp.dst);

		if (to >= 0)
			snprintf(buf, size, "%s:never-arrived", host_name(ladder, to));
	}
}

/* --- the records --- */

static void endpoint(const uint8_t *addr, int family, int port, char *buf, size_t size)
{
	char text[INET6_ADDRSTRLEN];

	inet_ntop(family, addr, text, sizeof(text));
	if (port < 0)
		snprintf(buf, size, "%s", text);
	else
		snprintf(buf, size, family == AF_INET6 ? "[%s]:%d" : "%s:%d", text, port);
}

static const char *icmp_name(int family, uint8_t type, uint8_t code)
{
	static const char *const unreach4[] = {
		[0] = "net-unreach", [1] = "host-unreach", [2] = "proto-unreach",
		[3] = "port-unreach", [4] = "frag-needed", [9] = "net-prohibited",
		[10] = "host-prohibited", [13] = "admin-prohibited",
	};
	static const char *const unreach6[] = {
		[0] = "no-route", [1] = "admin-prohibited", [3] = "addr-unreach",
		[4] = "port-unreach",
	};

	if (family == AF_INET && type == 3 && code < 14 && unreach4[code])
		return unreach4[code];
	if (family == AF_INET6 && type == 1 && code < 5 && unreach6[code])
		return unreach6[code];
	if ((family == AF_INET && type == 11) || (family == AF_INET6 && type == 3))
		return "time-exceeded";
	if (family == AF_INET6 && type == 2)
		return "too-big";
	return family == AF_INET && type == 12 ? "param-problem" : "error";
}

static void flags_text(const struct nc_obs *o, char *buf, size_t size)
{
	if (o->icmp)
		snprintf(buf, size, "%s:%s", o->tcp.family == AF_INET ? "ICMP" : "ICMPv6",
			 icmp_name(o->tcp.family, o->icmp_type, o->icmp_code));
	else
		nc_tcp_flags_text(o->flags, buf, size);
}

static void seen_text(const struct nc_ladder *ladder, unsigned mask, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int h = 0; h < ladder->n_hosts && used < size; h++)
		if (mask & (1u << h))
			used += (size_t)snprintf(buf + used, size - used, "%s%s",
						 used ? "," : "", host_name(ladder, h));
}

static void record(const struct nc_ladder *ladder, const struct nc_obs *wire, size_t n,
		   const struct nc_obs *o, const struct conn *c)
{
	char src[64], dst[64], flags[48], seen[64], lost[96];
	bool dir = o->icmp ? !o->to_server : o->to_server;	/* the segment's */
	uint32_t seq = o->seq - (c->isn_known[dir] ? c->isn[dir] : o->seq);
	uint32_t ack = 0;

	if (!o->icmp && (o->flags & NC_TCP_ACK))
		ack = o->ack - (c->isn_known[!dir] ? c->isn[!dir] : o->ack);
	if (o->icmp) {
		endpoint(o->icmp_src, o->tcp.family, -1, src, sizeof(src));
		endpoint(o->icmp_dst, o->tcp.family, -1, dst, sizeof(dst));
	} else {
		endpoint(o->tcp.src, o->tcp.family, o->tcp.sport, src, sizeof(src));
		endpoint(o->tcp.dst, o->tcp.family, o->tcp.dport, dst, sizeof(dst));
	}
	flags_text(o, flags, sizeof(flags));
	seen_text(ladder, o->seen_out | o->seen_in, seen, sizeof(seen));
	where_lost(ladder, wire, n, o, lost, sizeof(lost));
	nc_record_emit(&(struct nc_record){ .kind = NC_RECORD_PACKET, .packet = {
		.conn = o->conn, .to_server = o->to_server, .t_us = o->t_us, .src = src,
		.dst = dst, .flags = flags, .seq = seq, .ack = ack, .len = o->len,
		.seen = seen, .dropped = strcmp(lost, "-") != 0 ? lost : NULL,
	} });
}

/* Each connection's ISNs as observed values, so that the reports can show
 * the absolute numbers beside the relative ones: "isn(client)" for the
 * first connection, "isn(server, conn 2)" for the second. */
static void record_isns(const struct conn *conns, unsigned n_conns)
{
	for (unsigned c = 0; c < n_conns; c++)
		for (int dir = 1; dir >= 0; dir--) {
			char key[48], value[16];

			if (!conns[c].isn_known[dir])
				continue;
			if (c)
				snprintf(key, sizeof(key), "isn(%s, conn %u)",
					 dir ? "client" : "server", c + 1);
			else
				snprintf(key, sizeof(key), "isn(%s)", dir ? "client" : "server");
			snprintf(value, sizeof(value), "%lu", (unsigned long)conns[c].isn[dir]);
			nc_record_emit(&(struct nc_record){ .kind = NC_RECORD_OBSERVED,
							    .value = { .key = key, .value = value } });
		}
}

int nc_ladder_record(const struct nc_ladder *ladder, struct nc_obs *obs, size_t n_obs)
{
	struct conn conns[MAX_CONNS];
	size_t n_wire = merge(obs, n_obs);
	unsigned n_conns = assign_conns(obs, n_wire, conns);

	record_isns(conns, n_conns);
	for (size_t i = 0; i < n_wire; i++)
		if (obs[i].conn < n_conns)
			record(ladder, obs, n_wire, &obs[i], &conns[obs[i].conn]);
	return (int)n_wire;
}
