/* The fault model: a packet filter rule (drop, or reject with a reply) as
 * numbers, parsed once from a scenario's "fault" line, matched against
 * packets by the capture (was this one dropped?), rendered back to text for
 * messages.  The backend that makes the kernel enforce it is
 * lib/world/nftables.h; nothing else reads fault text. */
#ifndef NC_FAULT_H
#define NC_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum nc_fault_hook { NC_HOOK_INPUT, NC_HOOK_OUTPUT, NC_HOOK_FORWARD };
enum nc_fault_proto { NC_PROTO_ANY, NC_PROTO_TCP, NC_PROTO_UDP, NC_PROTO_ICMP,
		      NC_PROTO_ICMPV6 };

/* What a matching packet gets: dropped, or rejected with a reply whose kind
 * each family names its own way (icmp-host-unreachable/icmp6-addr-unreachable). */
enum nc_fault_action {
	NC_FAULT_DROP,
	NC_REJECT_TCP_RESET,
	NC_REJECT_NET_UNREACHABLE,
	NC_REJECT_HOST_UNREACHABLE,
	NC_REJECT_PORT_UNREACHABLE,
	NC_REJECT_ADMIN_PROHIBITED,
	NC_REJECT_NET_PROHIBITED,	/* IPv4 only; IPv6 says adm-prohibited */
	NC_REJECT_HOST_PROHIBITED,	/* IPv4 only; IPv6 says adm-prohibited */
};

#define NC_FAULT_IP4 1u
#define NC_FAULT_IP6 2u

/* Ports first..last; 0..0 matches any. */
struct nc_port_range {
	uint16_t first, last;
};

struct nc_fault {
	enum nc_fault_hook hook;
	enum nc_fault_proto proto;
	unsigned families;		/* NC_FAULT_IP4 | NC_FAULT_IP6 */
	struct nc_port_range sport, dport;
	bool match_flags;		/* (TCP flags & flags_mask) == flags_comp */
	uint8_t flags_mask, flags_comp;	/* NC_TCP_* bits (tcp_flags.h) */
	double probability;		/* 1: every matching packet */
	enum nc_fault_action action;
};

/* "input tcp dport 9 reject tcp-reset" (a scenario's fault line after
 * "fault HOST NAME").  Returns 0, or -1 with what is wrong in err. */
int nc_fault_parse(const char *text, struct nc_fault *out, char *err, size_t errsize);
int nc_fault_parse_words(char **words, int n_words, struct nc_fault *out,
			 char *err, size_t errsize);
/* The rule in the syntax nc_fault_parse() reads, every match spelled out
 * ("input ip4 tcp dport 9 reject tcp-reset" for an IPv4-only rule).  Returns
 * 0, or -ENOSPC. */
int nc_fault_format(const struct nc_fault *fault, char *buf, size_t size);

/* A packet as a fault sees it. */
struct nc_fault_packet {
	unsigned family;		/* NC_FAULT_IP4 or NC_FAULT_IP6 */
	enum nc_fault_proto proto;	/* NC_PROTO_ANY: another protocol */
	uint16_t sport, dport;		/* TCP and UDP */
	uint8_t tcp_flags;
};

/* Whether the packet meets every match of the fault (protocol, family,
 * ports, flags); the hook, the probability and the action aside. */
bool nc_fault_matches(const struct nc_fault *fault, const struct nc_fault_packet *packet);
/* Whether the fault, on a host the packet arrived at, is certain to drop
 * it: a drop on input (or forward) that matches, whatever chance says. */
bool nc_fault_surely_drops_arriving(const struct nc_fault *fault,
				    const struct nc_fault_packet *packet);

#endif
