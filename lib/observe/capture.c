/* The packets a check exchanged: see capture.h.
 *
 * One AF_PACKET socket per host, bound to no interface ("any"), with a
 * kernel filter that libpcap compiles from "tcp or icmp or icmp6".  Not a
 * pcap handle: libpcap's mmap ring costs two extra RCU grace periods (bind,
 * ring set-up, ring tear-down: ~35 ms a handle here), a plain socket none
 * to open.  Closing one costs a grace period whatever it is (packet_release
 * calls synchronize_net()), so the sockets are closed in parallel.
 *
 * A packet that crosses a veth link is seen twice, leaving one host and
 * arriving at the other: the observations are merged into one packet per
 * wire transfer.  A check's own capture (nc_capture_open) watches one host
 * and hands back its segments unmerged, in the order the socket got them. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "check.h"
#include "host.h"

#define SNAPLEN		192		/* IPv6 + ICMPv6 + the quoted IPv6 + TCP */
#define RCVBUF_BYTES	(2 * 1024 * 1024)	/* ~2500 small packets queued */
#define MAX_OBS		512		/* per check, all hosts together */
#define MAX_HOSTS	8
#define IN_FLIGHT_US	2000		/* sent this close to the end: not "lost" */
#define CAPTURE_FILTER	"tcp or icmp or icmp6"

#define TH_FIN NC_TCP_FIN
#define TH_SYN NC_TCP_SYN
#define TH_RST NC_TCP_RST
#define TH_PSH NC_TCP_PSH
#define TH_ACK NC_TCP_ACK
#define TH_URG NC_TCP_URG

static const char *const capture_areas[] = { "handshake", "connect", "close", "eof" };

bool nc_capture_wanted(const char *area)
{
	for (size_t i = 0; i < sizeof(capture_areas) / sizeof(capture_areas[0]); i++)
		if (area && strcmp(area, capture_areas[i]) == 0)
			return true;
	return false;
}

struct tuple {
	int family;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
};

/* One packet as one host's capture saw it, or (merged) as it crossed a link. */
struct obs {
	struct tuple tcp;	/* the segment; for ICMP, the segment it quotes */
	uint8_t icmp_src[16], icmp_dst[16];
	bool icmp;
	uint8_t icmp_type, icmp_code;
	uint8_t flags;
	uint32_t seq, ack, len;
	long long t_us;
	int host;
	bool outgoing;
	/* after merging */
	unsigned seen_out, seen_in;	/* host bit masks */
	unsigned conn;
	bool to_server;
};

struct nc_capture {
	struct nc_net *net;	/* NULL: the check's own namespace */
	int fds[MAX_HOSTS];
	int n_fds;
	struct timespec started;
	struct obs *obs;
	size_t n_obs;
};

static long long realtime_us(const struct timespec *ts)
{
	return (long long)ts->tv_sec * 1000000 + ts->tv_nsec / 1000;
}

/* The filter, compiled once per process for packets that start at the IP
 * header (an AF_PACKET SOCK_DGRAM socket's view). */
static const struct bpf_program *capture_filter(void)
{
	static struct bpf_program program;
	static bool compiled;
	pcap_t *dead;

	if (compiled)
		return program.bf_len ? &program : NULL;
	compiled = true;
	dead = pcap_open_dead(DLT_RAW, SNAPLEN);
	if (dead && pcap_compile(dead, &program, CAPTURE_FILTER, 1, PCAP_NETMASK_UNKNOWN) < 0)
		program.bf_len = 0;
	if (dead)
		pcap_close(dead);
	return program.bf_len ? &program : NULL;
}

/* A socket that sees every packet of the calling thread's namespace. */
static int open_here(void)
{
	const struct bpf_program *program = capture_filter();
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
	int on = 1, size = RCVBUF_BYTES;

	if (fd < 0)
		return -errno;
	if (program) {
		struct sock_fprog fprog = {
			.len = (unsigned short)program->bf_len,
			.filter = (struct sock_filter *)program->bf_insns,
		};

		setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fprog, sizeof(fprog));
	}
	/* FORCE: root of the namespace's user namespace may pass rmem_max */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMP, &on, sizeof(on)) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static void *close_fd(void *arg)
{
	close((int)(intptr_t)arg);
	return NULL;
}

/* Each close waits for an RCU grace period: wait for them together. */
static void close_all(const int *fds, int n)
{
	pthread_t threads[MAX_HOSTS];
	bool started[MAX_HOSTS] = { false };

	for (int i = 1; i < n; i++)
		started[i] = pthread_create(&threads[i], NULL, close_fd,
					    (void *)(intptr_t)fds[i]) == 0;
	for (int i = 1; i < n; i++)
		if (!started[i])
			close(fds[i]);
	if (n > 0)
		close(fds[0]);
	for (int i = 1; i < n; i++)
		if (started[i])
			pthread_join(threads[i], NULL);
}

int nc_capture_start(struct nc_net *net, struct nc_capture **out)
{
	struct nc_capture *cap = calloc(1, sizeof(*cap));
	size_t n_hosts = net ? net->n_hosts : 1;
	int err = 0;

	*out = NULL;
	if (!cap)
		return -ENOMEM;
	cap->net = net;
	if (n_hosts > MAX_HOSTS)
		n_hosts = MAX_HOSTS;
	for (size_t i = 0; i < n_hosts && !err; i++) {
		int saved, fd;

		if (!net) {
			fd = open_here();
		} else if ((fd = nc_ns_visit(net->hosts[i].ns_fd, &saved)) == 0) {
			fd = open_here();
			if (nc_ns_return(saved) < 0 && fd >= 0) {
				close(fd);
				fd = -EIO;
			}
		}
		if (fd < 0)
			err = fd;
		else
			cap->fds[cap->n_fds++] = fd;
	}
	clock_gettime(CLOCK_REALTIME, &cap->started);
	if (err) {
		close_all(cap->fds, cap->n_fds);
		free(cap);
		return err;
	}
	*out = cap;
	return 0;
}

/* --- parsing what a handle saw --- */

static uint16_t be16(const u_char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const u_char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* An IP header at p: its family, addresses, protocol and where the payload
 * is.  Returns the payload offset, or -1. */
static int parse_ip(const u_char *p, size_t len, struct tuple *t, int *proto,
		    size_t *total)
{
	if (len >= 20 && p[0] >> 4 == 4) {
		size_t ihl = (size_t)(p[0] & 0xf) * 4;

		if (ihl < 20 || len < ihl)
			return -1;
		t->family = AF_INET;
		memcpy(t->src, p + 12, 4);
		memcpy(t->dst, p + 16, 4);
		*proto = p[9];
		*total = be16(p + 2);
		return (int)ihl;
	}
	if (len >= 40 && p[0] >> 4 == 6) {
		t->family = AF_INET6;
		memcpy(t->src, p + 8, 16);
		memcpy(t->dst, p + 24, 16);
		*proto = p[6];	/* extension headers: not ours to draw */
		*total = 40 + (size_t)be16(p + 4);
		return 40;
	}
	return -1;
}

static bool is_icmp_error(int family, uint8_t type)
{
	return family == AF_INET ? type == 3 || type == 11 || type == 12
				 : type >= 1 && type <= 4;
}

/* A TCP segment or an ICMP error quoting one, else false. */
static bool parse_packet(const u_char *p, size_t len, struct obs *o)
{
	size_t total, off;
	int proto, hdr = parse_ip(p, len, &o->tcp, &proto, &total);

	if (hdr < 0)
		return false;
	off = (size_t)hdr;
	if (proto == IPPROTO_TCP && len >= off + 20) {
		size_t doff = (size_t)(p[off + 12] >> 4) * 4;

		o->tcp.sport = be16(p + off);
		o->tcp.dport = be16(p + off + 2);
		o->seq = be32(p + off + 4);
		o->ack = be32(p + off + 8);
		o->flags = p[off + 13] & 0x3f;
		o->len = total > off + doff ? (uint32_t)(total - off - doff) : 0;
		return true;
	}
	if ((proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) && len >= off + 8 &&
	    is_icmp_error(o->tcp.family, p[off])) {
		struct tuple inner = { 0 };
		size_t inner_total;
		int inner_proto, inner_hdr;

		o->icmp = true;
		o->icmp_type = p[off];
		o->icmp_code = p[off + 1];
		memcpy(o->icmp_src, o->tcp.src, 16);
		memcpy(o->icmp_dst, o->tcp.dst, 16);
		off += 8;
		inner_hdr = parse_ip(p + off, len - off, &inner, &inner_proto, &inner_total);
		if (inner_hdr < 0 || inner_proto != IPPROTO_TCP ||
		    len < off + (size_t)inner_hdr + 8)
			return false;
		off += (size_t)inner_hdr;
		inner.sport = be16(p + off);
		inner.dport = be16(p + off + 2);
		o->tcp = inner;
		o->seq = be32(p + off + 4);
		return true;
	}
	return false;
}

/* Everything queued on host's socket, without waiting. */
static void read_host(struct nc_capture *cap, int host)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct timeval))];
	} control;
	unsigned char packet[SNAPLEN];

	while (cap->n_obs < MAX_OBS) {
		struct sockaddr_ll from;
		struct iovec iov = { packet, sizeof(packet) };
		struct msghdr msg = {
			.msg_name = &from, .msg_namelen = sizeof(from),
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = control.buf, .msg_controllen = sizeof(control.buf),
		};
		struct obs o = { 0 };
		struct timeval tv = { 0 };
		ssize_t n = recvmsg(cap->fds[host], &msg, MSG_TRUNC);

		if (n < 0)
			return;	/* EAGAIN: all read */
		/* lo: each packet is seen leaving and arriving; keep the arrival */
		if (from.sll_hatype == ARPHRD_LOOPBACK && from.sll_pkttype == PACKET_OUTGOING)
			continue;
		if (!parse_packet(packet, (size_t)n < sizeof(packet) ? (size_t)n : sizeof(packet),
				  &o))
			continue;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMP)
				memcpy(&tv, CMSG_DATA(c), sizeof(tv));
		o.host = host;
		o.outgoing = from.sll_pkttype == PACKET_OUTGOING;
		o.t_us = (long long)tv.tv_sec * 1000000 + tv.tv_usec - realtime_us(&cap->started);
		cap->obs[cap->n_obs++] = o;
	}
}

/* --- one packet per wire transfer --- */

static bool same_packet(const struct obs *a, const struct obs *b)
{
	return memcmp(&a->tcp, &b->tcp, sizeof(a->tcp)) == 0 && a->icmp == b->icmp &&
	       a->icmp_type == b->icmp_type && a->icmp_code == b->icmp_code &&
	       a->flags == b->flags && a->seq == b->seq && a->ack == b->ack && a->len == b->len;
}

static int by_time(const void *a, const void *b)
{
	const struct obs *x = a, *y = b;

	return x->t_us < y->t_us ? -1 : x->t_us > y->t_us;
}

/* Merges, in place, each observation into the earliest equal packet that
 * this host has not yet seen going the same way.  Returns the count left. */
static size_t merge(struct obs *obs, size_t n)
{
	size_t n_wire = 0;

	qsort(obs, n, sizeof(*obs), by_time);
	for (size_t i = 0; i < n; i++) {
		struct obs o = obs[i];
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

static bool same_conn(const struct tuple *a, const struct tuple *b)
{
	if (a->family != b->family)
		return false;
	if (memcmp(a, b, sizeof(*a)) == 0)
		return true;
	return memcmp(a->src, b->dst, 16) == 0 && memcmp(a->dst, b->src, 16) == 0 &&
	       a->sport == b->dport && a->dport == b->sport;
}

struct conn {
	struct tuple client_to_server;
	bool isn_known[2];		/* [to_server] */
	uint32_t isn[2];
};

#define MAX_CONNS 16

static unsigned assign_conns(struct obs *wire, size_t n, struct conn *conns)
{
	unsigned n_conns = 0;

	for (size_t i = 0; i < n; i++) {
		struct obs *o = &wire[i];
		unsigned c;

		for (c = 0; c < n_conns; c++)
			if (same_conn(&conns[c].client_to_server, &o->tcp))
				break;
		if (c == n_conns && n_conns < MAX_CONNS) {
			memset(&conns[c], 0, sizeof(conns[c]));
			/* The client sent the first SYN; lacking one, the first segment. */
			conns[c].client_to_server = o->tcp;
			for (size_t j = i; j < n; j++)
				if (!wire[j].icmp && (wire[j].flags & (TH_SYN | TH_ACK)) == TH_SYN &&
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
			struct obs *o = &wire[i];
			bool dir = o->icmp ? !o->to_server : o->to_server;
			struct conn *c = &conns[o->conn];

			if (o->conn >= n_conns || c->isn_known[dir] ||
			    (pass == 0 && (o->icmp || !(o->flags & TH_SYN))))
				continue;
			c->isn_known[dir] = true;
			c->isn[dir] = o->seq;
		}
	return n_conns;
}

/* --- what was lost --- */

static unsigned flag_bits(const char *names)
{
	static const struct { const char *name; unsigned bits; } flag_names[] = {
		{ "FIN", TH_FIN }, { "SYN", TH_SYN }, { "RST", TH_RST }, { "PSH", TH_PSH },
		{ "ACK", TH_ACK }, { "URG", TH_URG }, { "ALL", 0x3f }, { "NONE", 0 },
	};
	unsigned bits = 0;

	for (const char *p = names; *p; p += *p == ',') {
		size_t len = strcspn(p, ",");

		for (size_t i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
			if (strlen(flag_names[i].name) == len &&
			    strncmp(flag_names[i].name, p, len) == 0)
				bits |= flag_names[i].bits;
		p += len;
	}
	return bits;
}

static bool port_matches(const char *range, uint16_t port)
{
	unsigned first, last;

	if (!range[0])
		return true;
	if (sscanf(range, "%u:%u", &first, &last) != 2)
		last = first = (unsigned)atoi(range);
	return port >= first && port <= last;
}

/* Whether a DROP fault of the host that saw o arrive is certain to drop it. */
static bool dropped_by(const struct nc_fault *f, const struct obs *o)
{
	unsigned family = o->tcp.family == AF_INET ? NC_FAULT_IP4 : NC_FAULT_IP6;

	if (f->action != NC_FAULT_DROP || f->hook == NC_HOOK_OUTPUT || f->probability < 1 ||
	    !(f->families & family))
		return false;
	if (o->icmp)
		return f->proto == NC_PROTO_ANY || f->proto == NC_PROTO_ICMP ||
		       f->proto == NC_PROTO_ICMPV6;
	if (f->proto != NC_PROTO_ANY && f->proto != NC_PROTO_TCP)
		return false;
	if (!port_matches(f->sport, o->tcp.sport) || !port_matches(f->dport, o->tcp.dport))
		return false;
	return !f->flags_mask[0] ||
	       (o->flags & flag_bits(f->flags_mask)) == flag_bits(f->flags_comp);
}

static const char *host_name(const struct nc_capture *cap, int host)
{
	return cap->net ? cap->net->hosts[host].name : "lo";
}

/* The host that sent from addr (of family), or -1. */
static int owner_of(const struct obs *wire, size_t n, int family, const uint8_t *addr)
{
	for (size_t i = 0; i < n; i++)
		if (wire[i].seen_out && !wire[i].icmp && wire[i].tcp.family == family &&
		    memcmp(wire[i].tcp.src, addr, 16) == 0)
			return __builtin_ctz(wire[i].seen_out);
	return -1;
}

static void where_lost(const struct nc_capture *cap, const struct obs *wire, size_t n,
		       const struct obs *o, long long end_us, char *buf, size_t size)
{
	snprintf(buf, size, "-");
	for (int h = 0; cap->net && h < cap->n_fds; h++) {
		if (!(o->seen_in & (1u << h)))
			continue;
		for (const struct nc_fault_entry *f = cap->net->hosts[h].faults; f; f = f->next)
			if (dropped_by(&f->rule, o)) {
				snprintf(buf, size, "%s:fault-%d", host_name(cap, h), f->id);
				return;
			}
	}
	if (o->seen_out && !o->seen_in && !o->icmp && o->t_us + IN_FLIGHT_US < end_us) {
		int to = owner_of(wire, n, o->tcp.family, o->tcp.dst);

		if (to >= 0)
			snprintf(buf, size, "%s:never-arrived", host_name(cap, to));
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

static void flags_text(const struct obs *o, char *buf, size_t size)
{
	static const struct { unsigned bit; const char *name; } order[] = {
		{ TH_SYN, "SYN" }, { TH_FIN, "FIN" }, { TH_RST, "RST" }, { TH_PSH, "PSH" },
		{ TH_ACK, "ACK" }, { TH_URG, "URG" },
	};
	size_t used = 0;

	buf[0] = '\0';
	if (o->icmp) {
		snprintf(buf, size, "%s:%s", o->tcp.family == AF_INET ? "ICMP" : "ICMPv6",
			 icmp_name(o->tcp.family, o->icmp_type, o->icmp_code));
		return;
	}
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (o->flags & order[i].bit)
			used += (size_t)snprintf(buf + used, size - used, "%s%s",
						 used ? "," : "", order[i].name);
	if (!used)
		snprintf(buf, size, "NONE");
}

static void seen_text(const struct nc_capture *cap, unsigned mask, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int h = 0; h < cap->n_fds && used < size; h++)
		if (mask & (1u << h))
			used += (size_t)snprintf(buf + used, size - used, "%s%s",
						 used ? "," : "", host_name(cap, h));
}

static void record(const struct nc_capture *cap, const struct obs *wire, size_t n,
		   const struct obs *o, const struct conn *c, long long end_us)
{
	char src[64], dst[64], flags[48], seen[64], lost[96];
	bool dir = o->icmp ? !o->to_server : o->to_server;	/* the segment's */
	uint32_t seq = o->seq - (c->isn_known[dir] ? c->isn[dir] : o->seq);
	uint32_t ack = 0;

	if (!o->icmp && (o->flags & TH_ACK))
		ack = o->ack - (c->isn_known[!dir] ? c->isn[!dir] : o->ack);
	if (o->icmp) {
		endpoint(o->icmp_src, o->tcp.family, -1, src, sizeof(src));
		endpoint(o->icmp_dst, o->tcp.family, -1, dst, sizeof(dst));
	} else {
		endpoint(o->tcp.src, o->tcp.family, o->tcp.sport, src, sizeof(src));
		endpoint(o->tcp.dst, o->tcp.family, o->tcp.dport, dst, sizeof(dst));
	}
	flags_text(o, flags, sizeof(flags));
	seen_text(cap, o->seen_out | o->seen_in, seen, sizeof(seen));
	where_lost(cap, wire, n, o, end_us, lost, sizeof(lost));
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
			char key[48];

			if (!conns[c].isn_known[dir])
				continue;
			if (c)
				snprintf(key, sizeof(key), "isn(%s, conn %u)",
					 dir ? "client" : "server", c + 1);
			else
				snprintf(key, sizeof(key), "isn(%s)", dir ? "client" : "server");
			nc_observe(key, "%lu", (unsigned long)conns[c].isn[dir]);
		}
}

int nc_capture_stop_and_record(struct nc_capture *cap)
{
	struct conn conns[MAX_CONNS];
	struct timespec stopped;
	size_t n_wire = 0;
	unsigned n_conns;
	int err = 0;

	clock_gettime(CLOCK_REALTIME, &stopped);
	if (!cap->obs && !(cap->obs = calloc(MAX_OBS, sizeof(*cap->obs))))
		err = -ENOMEM;
	for (int h = 0; h < cap->n_fds && !err; h++)
		read_host(cap, h);
	if (!err) {
		n_wire = merge(cap->obs, cap->n_obs);
		n_conns = assign_conns(cap->obs, n_wire, conns);
		record_isns(conns, n_conns);
		for (size_t i = 0; i < n_wire; i++)
			if (cap->obs[i].conn < n_conns)
				record(cap, cap->obs, n_wire, &cap->obs[i], &conns[cap->obs[i].conn],
				       realtime_us(&stopped) - realtime_us(&cap->started));
	}
	nc_capture_close(cap);
	return err ? err : (int)n_wire;
}

/* --- for checks: one host, its segments as they are --- */

int nc_capture_open(struct nc_host *host, struct nc_capture **out)
{
	struct nc_capture *cap = calloc(1, sizeof(*cap));
	int saved, fd;

	*out = NULL;
	if (!cap)
		return -ENOMEM;
	cap->obs = calloc(MAX_OBS, sizeof(*cap->obs));
	fd = cap->obs ? nc_ns_visit(host->ns_fd, &saved) : -ENOMEM;
	if (fd == 0) {
		fd = open_here();
		if (nc_ns_return(saved) < 0 && fd >= 0) {
			close(fd);
			fd = -EIO;
		}
	}
	if (fd < 0) {
		free(cap->obs);
		free(cap);
		return fd;
	}
	cap->fds[cap->n_fds++] = fd;
	clock_gettime(CLOCK_REALTIME, &cap->started);
	*out = cap;
	return 0;
}

static void to_sockaddr(int family, const uint8_t *addr, uint16_t port,
			struct nc_sockaddr *out)
{
	memset(out, 0, sizeof(*out));
	if (family == AF_INET) {
		out->in.sin_family = AF_INET;
		memcpy(&out->in.sin_addr, addr, 4);
		out->in.sin_port = htons(port);
		out->len = sizeof(out->in);
	} else {
		out->in6.sin6_family = AF_INET6;
		memcpy(&out->in6.sin6_addr, addr, 16);
		out->in6.sin6_port = htons(port);
		out->len = sizeof(out->in6);
	}
}

int nc_capture_tcp(struct nc_capture *cap, struct nc_tcp_segment *segs, size_t max)
{
	size_t n = 0;

	/* each read adds what arrived since; cap->obs keeps all, in arrival order */
	for (int h = 0; h < cap->n_fds; h++)
		read_host(cap, h);
	for (size_t i = 0; i < cap->n_obs && n < max; i++) {
		const struct obs *o = &cap->obs[i];
		struct nc_tcp_segment *seg = &segs[n];

		if (o->icmp)
			continue;
		to_sockaddr(o->tcp.family, o->tcp.src, o->tcp.sport, &seg->src);
		to_sockaddr(o->tcp.family, o->tcp.dst, o->tcp.dport, &seg->dst);
		seg->flags = o->flags;
		seg->seq = o->seq;
		seg->ack = o->ack;
		seg->len = o->len;
		seg->outgoing = o->outgoing;
		n++;
	}
	return (int)n;
}

int nc_capture_wait(struct nc_capture *cap, unsigned deadline_ms)
{
	struct pollfd fds[MAX_HOSTS];
	int ready;

	for (int h = 0; h < cap->n_fds; h++)
		fds[h] = (struct pollfd){ .fd = cap->fds[h], .events = POLLIN };
	ready = poll(fds, (nfds_t)cap->n_fds, (int)deadline_ms);
	if (ready < 0)
		return -errno;
	return ready ? 0 : -ETIMEDOUT;
}

void nc_capture_close(struct nc_capture *cap)
{
	if (!cap)
		return;
	close_all(cap->fds, cap->n_fds);
	free(cap->obs);
	free(cap);
}
