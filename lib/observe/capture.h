/* The packets a check exchanged, for the reports' ladder diagrams: libpcap
 * on "any" in each host of the check's network (or in the check's own
 * namespace), opened before the check runs and read, without waiting, when
 * it has returned.  Each packet becomes one "packet" record (record.h):
 *
 *   conn dir t_us src dst flags seq ack len seen dropped
 *   0    >   1042 198.18.0.1:40012 198.18.0.2:9 SYN 0 0 0 c,s -
 *
 * conn numbers the check's connections, dir is ">" client to server or
 * "<" back, seq and ack are relative to each direction's ISN, seen names
 * the hosts whose capture saw the packet, dropped says where it was lost
 * ("s:fault-1": arrived at s, matched its DROP fault 1; "s:never-arrived").
 * ICMP errors belong to the connection of the segment they quote.
 */
#ifndef NC_CAPTURE_H
#define NC_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sockaddr.h"

struct nc_net;
struct nc_host;
struct nc_capture;

/* Whether checks of this area get a capture: the areas of TCP states and
 * connection errors. */
bool nc_capture_wanted(const char *area);

/* Opens a capture in each host of net, or in the calling thread's network
 * namespace when net is NULL.  Returns 0 or -errno. */
int nc_capture_start(struct nc_net *net, struct nc_capture **out);

/* Reads what the captures hold now, writes the packet records, closes and
 * frees cap.  Returns the number of packets recorded, or -errno. */
int nc_capture_stop_and_record(struct nc_capture *cap);

/* --- For checks: the TCP segments one host sent and received --- */

/* TCP header flags, as on the wire. */
#define NC_TCP_FIN 0x01
#define NC_TCP_SYN 0x02
#define NC_TCP_RST 0x04
#define NC_TCP_PSH 0x08
#define NC_TCP_ACK 0x10
#define NC_TCP_URG 0x20

struct nc_tcp_segment {
	struct nc_sockaddr src, dst;	/* with the ports */
	uint8_t flags;			/* NC_TCP_* */
	uint32_t seq, ack;		/* absolute, as on the wire */
	uint32_t len;			/* payload bytes */
	bool outgoing;			/* sent by the host, else arrived at it */
};

/* Opens a capture of host's packets, from now on.  Returns 0 or -errno. */
int nc_capture_open(struct nc_host *host, struct nc_capture **out);
/* Copies the first max TCP segments seen since nc_capture_open (ICMP left
 * out), oldest first, without waiting: a packet still in flight is missing
 * until a later call.  Returns how many it copied, or -errno. */
int nc_capture_tcp(struct nc_capture *cap, struct nc_tcp_segment *segs, size_t max);
/* Waits until a packet arrives that nc_capture_tcp has not yet read:
 * 0, or -ETIMEDOUT after deadline_ms. */
int nc_capture_wait(struct nc_capture *cap, unsigned deadline_ms);
/* Closes and frees cap (NULL: nothing). */
void nc_capture_close(struct nc_capture *cap);

#endif
