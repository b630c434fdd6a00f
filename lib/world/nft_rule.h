/* A fault as an nf_tables rule object (libnftnl), ready for a batch. */
#ifndef NC_NFT_RULE_H
#define NC_NFT_RULE_H

#include <stdint.h>

#include "fault.h"

struct nftnl_rule;

/* The table of each family (ip, ip6) the rules go to, with a base chain per
 * hook at the filter priority, as iptables' filter table. */
#define NC_NFT_TABLE "netconform"

struct nc_nft_hook {
	const char *chain;
	uint32_t hooknum;	/* NF_INET_* */
};
extern const struct nc_nft_hook nc_nft_hooks[3];	/* by enum nc_fault_hook */

/* The rule for fault in nfproto (NFPROTO_IPV4/6), tagged with the comment
 * "nc-ID": NULL when out of memory.  nftnl_rule_free() it. */
struct nftnl_rule *nc_nft_rule_make(const struct nc_fault *fault, int id, uint16_t nfproto);

#endif
