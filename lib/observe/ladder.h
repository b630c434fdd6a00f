/* Ladder assembly: what the hosts' captures of a check saw (capture.h),
 * turned into the packets of its ladder diagrams.  A packet that crosses a
 * veth link is seen twice, leaving one host and arriving at the other: the
 * observations are merged into one packet per wire transfer.  Each becomes
 * one "packet" record (record.h):
 *
 *   conn dir t_us src dst flags seq ack len seen dropped
 *   0    >   1042 198.18.0.1:40012 198.18.0.2:9 SYN 0 0 0 c,s -
 *
 * conn numbers the check's connections, dir is ">" client to server or
 * "<" back, seq and ack are relative to each direction's ISN, seen names
 * the hosts whose capture saw the packet, dropped says where it was lost
 * ("s:fault-syn-drop": arrived at s, where its fault syn-drop surely drops
 * it, as the fault model says; "s:never-arrived").  ICMP errors belong to
 * the connection of the segment they quote.
 */
#ifndef NC_LADDER_H
#define NC_LADDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net.h"

struct nc_tuple {
	int family;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
};

/* One packet as one host's capture saw it, or (merged) as it crossed a link. */
struct nc_obs {
	struct nc_tuple tcp;	/* the segment; for ICMP, the segment it quotes */
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


struct nc_ladder {
	const struct nc_net *net;	/* its faults explain losses; NULL: none */
	int n_hosts;			/* obs[].host < n_hosts; names from net, or "lo" */
	long long end_us;		/* when the captures were read */
};

/* Merges obs in place (sorted by time, then one per wire transfer) and
 * writes a packet record for each.  Returns the number of packets. */
int nc_ladder_record(const struct nc_ladder *ladder, struct nc_obs *obs, size_t n_obs);

#endif
