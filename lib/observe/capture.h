/* The packets a check exchanged: libpcap's filter on an AF_PACKET socket
 * in each host of the check's network (or in the check's own namespace),
 * opened before the check runs and read, without waiting, when it has
 * returned; the ladder (ladder.h) turns what they saw into packet records.
 * A check can also watch one host itself (nc_capture_open).
 */
#ifndef NC_CAPTURE_H
#define NC_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sockaddr.h"
#include "tcp_flags.h"

struct nc_net;
struct nc_host;
struct nc_capture;

/* Opens a capture in each host of net, or in the calling thread's network
 * namespace when net is NULL.  Returns 0 or -errno. */
int nc_capture_start(struct nc_net *net, struct nc_capture **out);

/* Reads what the captures hold now, writes the packet records, closes and
 * frees cap.  Returns the number of packets recorded, or -errno. */
int nc_capture_stop_and_record(struct nc_capture *cap);

/* --- For checks: the TCP segments one host sent and received --- */

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
