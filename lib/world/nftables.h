/* The fault backend: faults as nf_tables rules made in process (libnftnl +
 * libmnl), the same matches and the same REJECT replies as iptables-nft,
 * without an exec.  Every call works in the calling thread's network
 * namespace, with a netlink socket of its own: nothing is shared or locked
 * between namespaces.  Rules go to the tables "ip netconform" and
 * "ip6 netconform"; "nft list ruleset" inside a host shows them. */
#ifndef NC_NFTABLES_H
#define NC_NFTABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fault.h"

struct nc_nft_rule {
	const struct nc_fault *fault;
	int id;			/* tagged as the rule comment "nc-ID" */
};

/* Appends rules (each in every family it names) in one transaction: in force
 * when the call returns, or none is.  Returns 0 or -errno: -EOPNOTSUPP,
 * -EPROTONOSUPPORT, -EAFNOSUPPORT or -ENOENT mean the kernel lacks
 * nf_tables or one of its expressions. */
int nc_nft_add(const struct nc_nft_rule *rules, size_t n_rules);
/* Deletes every rule tagged nc-ID (both families), in one transaction.
 * -ENOENT if there is none. */
int nc_nft_del(int id);
/* Packets counted by the rules tagged nc-ID, summed; -ENOENT if none. */
int nc_nft_packets(int id, uint64_t *packets);

/* Whether err, from the calls above, says the kernel has no nfnetlink, no
 * nf_tables, or not the family or an expression (reject, numgen ...). */
bool nc_nft_refused(int err);
/* Whether this kernel takes every kind of expression the rules use, tried
 * once per process in a throwaway namespace (~1 ms). */
bool nc_nft_available(void);

#endif
