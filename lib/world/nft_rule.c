/* One fault as nf_tables objects (libnftnl), with the expressions
 * iptables-nft makes for the same rule ("nft --debug=netlink list ruleset"
 * shows both): meta l4proto, the ports and TCP flags as payload matches,
 * and for what iptables-nft leaves to xt extensions their native twins:
 *   -m statistic --probability P   numgen random mod 2^31 < P * 2^31
 *                                  (xt_statistic: (random & 0x7fffffff) < P * 2^31)
 *   -j REJECT --reject-with X      reject: nft_reject_ipv4/6 call the same
 *                                  nf_send_reset(6)/nf_send_unreach(6) as
 *                                  ipt_REJECT/ip6t_REJECT, with the same codes
 *   -m comment --comment nc-ID     the rule's comment (userdata)
 * and a counter before the verdict, as iptables has. */
#include <arpa/inet.h>
#include <math.h>
#include <netinet/icmp6.h>
#include <netinet/ip_icmp.h>
#include <stdbool.h>
#include <stdio.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/udata.h>

#include "nft_rule.h"

const struct nc_nft_hook nc_nft_hooks[3] = {
	[NC_HOOK_INPUT]   = { "input",   NF_INET_LOCAL_IN },
	[NC_HOOK_OUTPUT]  = { "output",  NF_INET_LOCAL_OUT },
	[NC_HOOK_FORWARD] = { "forward", NF_INET_FORWARD },
};

/* --- Expressions --- */

static struct nftnl_expr *meta_l4proto(void)
{
	struct nftnl_expr *e = nftnl_expr_alloc("meta");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, NFT_META_L4PROTO);
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, NFT_REG_1);
	}
	return e;
}

static struct nftnl_expr *transport_load(uint32_t offset, uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("payload");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, NFT_PAYLOAD_TRANSPORT_HEADER);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, offset);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
	}
	return e;
}

static struct nftnl_expr *cmp(uint32_t op, const void *data, uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("cmp");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, op);
		nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
	}
	return e;
}

static struct nftnl_expr *range(const void *from, const void *to, uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("range");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_SREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_OP, NFT_RANGE_EQ);
		nftnl_expr_set(e, NFTNL_EXPR_RANGE_FROM_DATA, from, len);
		nftnl_expr_set(e, NFTNL_EXPR_RANGE_TO_DATA, to, len);
	}
	return e;
}

static struct nftnl_expr *bitwise_and(const void *mask, uint32_t len)
{
	static const uint8_t zero[4];
	struct nftnl_expr *e = nftnl_expr_alloc("bitwise");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, len);
		nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, mask, len);
		nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, zero, len);
	}
	return e;
}

static struct nftnl_expr *numgen_random(uint32_t modulus)
{
	struct nftnl_expr *e = nftnl_expr_alloc("numgen");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_NG_DREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_NG_TYPE, NFT_NG_RANDOM);
		nftnl_expr_set_u32(e, NFTNL_EXPR_NG_MODULUS, modulus);
		nftnl_expr_set_u32(e, NFTNL_EXPR_NG_OFFSET, 0);
	}
	return e;
}

/* numgen gives a host-order number; cmp compares bytes. */
static struct nftnl_expr *hton32(void)
{
	struct nftnl_expr *e = nftnl_expr_alloc("byteorder");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_SREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_DREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_OP, NFT_BYTEORDER_HTON);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_LEN, 4);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_SIZE, 4);
	}
	return e;
}

static struct nftnl_expr *drop(void)
{
	struct nftnl_expr *e = nftnl_expr_alloc("immediate");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, NF_DROP);
	}
	return e;
}

/* The codes ipt_REJECT and ip6t_REJECT send for each --reject-with. */
static struct nftnl_expr *reject(enum nc_fault_action action, uint16_t nfproto)
{
	static const struct {
		enum nc_fault_action action;
		uint8_t icmp, icmp6;
	} codes[] = {
		{ NC_REJECT_NET_UNREACHABLE,  ICMP_NET_UNREACH,  ICMP6_DST_UNREACH_NOROUTE },
		{ NC_REJECT_HOST_UNREACHABLE, ICMP_HOST_UNREACH, ICMP6_DST_UNREACH_ADDR },
		{ NC_REJECT_PORT_UNREACHABLE, ICMP_PORT_UNREACH, ICMP6_DST_UNREACH_NOPORT },
		{ NC_REJECT_ADMIN_PROHIBITED, ICMP_PKT_FILTERED, ICMP6_DST_UNREACH_ADMIN },
		{ NC_REJECT_NET_PROHIBITED,   ICMP_NET_ANO,      ICMP6_DST_UNREACH_ADMIN },
		{ NC_REJECT_HOST_PROHIBITED,  ICMP_HOST_ANO,     ICMP6_DST_UNREACH_ADMIN },
	};
	struct nftnl_expr *e = nftnl_expr_alloc("reject");
	uint32_t type = NFT_REJECT_TCP_RST;
	uint8_t code = 0;

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i].action == action) {
			type = NFT_REJECT_ICMP_UNREACH;
			code = nfproto == NFPROTO_IPV6 ? codes[i].icmp6 : codes[i].icmp;
		}
	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_REJECT_TYPE, type);
		nftnl_expr_set_u8(e, NFTNL_EXPR_REJECT_CODE, code);
	}
	return e;
}

/* --- Rules --- */

/* Appends the matches of f on ports (offset 0: source, 2: destination). */
static size_t port_match(const struct nc_port_range *ports, uint32_t offset,
			 struct nftnl_expr **e)
{
	uint16_t from = htons(ports->first), to = htons(ports->last);

	e[0] = transport_load(offset, 2);
	e[1] = from == to ? cmp(NFT_CMP_EQ, &from, 2) : range(&from, &to, 2);
	return 2;
}

struct nftnl_rule *nc_nft_rule_make(const struct nc_fault *f, int id, uint16_t nfproto)
{
	static const uint8_t protocols[] = {
		[NC_PROTO_TCP] = 6, [NC_PROTO_UDP] = 17, [NC_PROTO_ICMP] = 1, [NC_PROTO_ICMPV6] = 58,
	};
	struct nftnl_expr *e[16] = { NULL };
	struct nftnl_rule *rule = nftnl_rule_alloc();
	struct nftnl_udata_buf *comment = nftnl_udata_buf_alloc(NFT_USERDATA_MAXLEN);
	char tag[32];
	size_t n = 0, i;
	bool ok = rule && comment;

	if (f->proto != NC_PROTO_ANY) {
		e[n++] = meta_l4proto();
		e[n++] = cmp(NFT_CMP_EQ, &protocols[f->proto], 1);
	}
	if (f->sport.first)
		n += port_match(&f->sport, 0, &e[n]);
	if (f->dport.first)
		n += port_match(&f->dport, 2, &e[n]);
	if (f->match_flags) {
		e[n++] = transport_load(13, 1);
		e[n++] = bitwise_and(&f->flags_mask, 1);
		e[n++] = cmp(NFT_CMP_EQ, &f->flags_comp, 1);
	}
	if (f->probability < 1.0) {
		uint32_t below = htonl((uint32_t)lround(f->probability * 2147483648.0));

		e[n++] = numgen_random(0x80000000u);
		e[n++] = hton32();
		e[n++] = cmp(NFT_CMP_LT, &below, 4);
	}
	e[n++] = nftnl_expr_alloc("counter");
	e[n++] = f->action == NC_FAULT_DROP ? drop() : reject(f->action, nfproto);

	for (i = 0; i < n; i++)
		ok = ok && e[i];
	snprintf(tag, sizeof(tag), "nc-%d", id);
	if (ok && !nftnl_udata_put_strz(comment, NFTNL_UDATA_RULE_COMMENT, tag))
		ok = false;
	if (ok)
		ok = nftnl_rule_set_str(rule, NFTNL_RULE_TABLE, NC_NFT_TABLE) == 0 &&
		     nftnl_rule_set_str(rule, NFTNL_RULE_CHAIN, nc_nft_hooks[f->hook].chain) == 0 &&
		     nftnl_rule_set_data(rule, NFTNL_RULE_USERDATA, nftnl_udata_buf_data(comment),
					 nftnl_udata_buf_len(comment)) == 0;
	if (comment)
		nftnl_udata_buf_free(comment);
	if (!ok) {
		for (i = 0; i < n; i++)
			if (e[i])
				nftnl_expr_free(e[i]);
		if (rule)
			nftnl_rule_free(rule);
		return NULL;
	}
	nftnl_rule_set_u32(rule, NFTNL_RULE_FAMILY, nfproto);
	for (i = 0; i < n; i++)
		nftnl_rule_add_expr(rule, e[i]);	/* the rule owns them now */
	return rule;
}
