/* Raw capture (capture.h): what each host's socket saw, parsed.
 *
 * One AF_PACKET socket per host, bound to no interface ("any"), with a
 * kernel filter that libpcap compiles from "tcp or icmp or icmp6".  Not a
 * pcap handle: libpcap's mmap ring costs two extra RCU grace periods (bind,
 * ring set-up, ring tear-down: ~35 ms a handle here), a plain socket none
 * to open.  Closing one costs a grace period whatever it is (packet_release
 * calls synchronize_net()), so the sockets are closed in parallel.
 *
 * The run's capture hands what it saw to the ladder (ladder.h); a check's
 * own capture (nc_capture_open) watches one host and hands back its
 * segments unmerged, in the order the socket got them. */
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
#include "error.h"
#include "ladder.h"
#include "net.h"

#define SNAPLEN		192		/* IPv6 + ICMPv6 + the quoted IPv6 + TCP */
#define RCVBUF_BYTES	(2 * 1024 * 1024)	/* ~2500 small packets queued */
#define MAX_OBS		512		/* per check, all hosts together */
#define MAX_HOSTS	8
#define CAPTURE_FILTER	"tcp or icmp or icmp6"

struct nc_capture {
	struct nc_net *net;	/* NULL: the check's own namespace */
	int fds[MAX_HOSTS];
	int n_fds;
	struct timespec started;
	struct nc_obs *obs;
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
			err = nc_error(fd, "capture in %s: AF_PACKET socket",
				       net ? net->hosts[i].name : "the check's namespace");
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
static int parse_ip(const u_char *p, size_t len, struct nc_tuple *t, int *proto,
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
static bool parse_packet(const u_char *p, size_t len, struct nc_obs *o)
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
		struct nc_tuple inner = { 0 };
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
		struct nc_obs o = { 0 };
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

int nc_capture_stop_and_record(struct nc_capture *cap)
{
	struct timespec stopped;
	int err = 0;

	clock_gettime(CLOCK_REALTIME, &stopped);
	if (!cap->obs && !(cap->obs = calloc(MAX_OBS, sizeof(*cap->obs))))
		err = -ENOMEM;
	for (int h = 0; h < cap->n_fds && !err; h++)
		read_host(cap, h);
	if (!err) {
		struct nc_ladder ladder = {
			cap->net, cap->n_fds, realtime_us(&stopped) - realtime_us(&cap->started),
		};

		err = nc_ladder_record(&ladder, cap->obs, cap->n_obs);
	}
	nc_capture_close(cap);
	return err;
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
		return nc_error(fd, "capture in %s: AF_PACKET socket", host->name);
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
		const struct nc_obs *o = &cap->obs[i];
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
