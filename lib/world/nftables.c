/* Faults as nf_tables rules, built as netlink objects (libnftnl) and sent in
 * one batch (libmnl): tens of microseconds where an exec of iptables-restore
 * costs ~2 ms.  The expressions are those iptables-nft makes for the same
 * rule ("nft --debug=netlink list ruleset" shows both): meta l4proto, the
 * ports and TCP flags as payload matches, and for what iptables-nft leaves to
 * xt extensions their native twins:
 *   -m statistic --probability P   numgen random mod 2^31 < P * 2^31
 *                                  (xt_statistic: (random & 0x7fffffff) < P * 2^31)
 *   -j REJECT --reject-with X      reject: nft_reject_ipv4/6 call the same
 *                                  nf_send_reset(6)/nf_send_unreach(6) as
 *                                  ipt_REJECT/ip6t_REJECT, with the same codes
 *   -m comment --comment nc-ID     the rule's comment (userdata)
 * and a counter before the verdict, as iptables has. */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/icmp6.h>
#include <netinet/ip_icmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>

#include "nftables.h"

/* Acks of a commit are queued before sendmsg() returns (nfnetlink handles a
 * batch in the sender's context); the bound is only against a kernel bug. */
#define REPLY_TIMEOUT_MS 2000
#define MSG_ROOM 2048		/* per message: a rule is well under 1 KiB */
#define DUMP_BUFFER 32768	/* libmnl's MNL_SOCKET_DUMP_SIZE, newer than 1.0.4 */

static const struct {
	const char *chain;
	uint32_t hooknum;
} hooks[] = {
	[NC_HOOK_INPUT]   = { "input",   NF_INET_LOCAL_IN },
	[NC_HOOK_OUTPUT]  = { "output",  NF_INET_LOCAL_OUT },
	[NC_HOOK_FORWARD] = { "forward", NF_INET_FORWARD },
};

static const struct {
	unsigned bit;
	uint16_t nfproto;
} families[] = {
	{ NC_FAULT_IP4, NFPROTO_IPV4 },
	{ NC_FAULT_IP6, NFPROTO_IPV6 },
};

#define N_HOOKS (sizeof(hooks) / sizeof(hooks[0]))
#define N_FAMILIES (sizeof(families) / sizeof(families[0]))

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

/* "9" or "1000:2000" (checked by the parser), network order. */
static void port_range(const char *text, uint16_t *from, uint16_t *to)
{
	char *end;
	unsigned long first = strtoul(text, &end, 10);
	unsigned long last = *end == ':' ? strtoul(end + 1, NULL, 10) : first;

	*from = htons((uint16_t)first);
	*to = htons((uint16_t)last);
}

/* "SYN,ACK,FIN,RST" as the bits of the TCP header's flags byte (iptables'
 * names: ALL is the six classic flags, NONE none). */
static uint8_t tcp_flag_bits(const char *text)
{
	static const struct {
		const char *name;
		uint8_t bits;
	} names[] = {
		{ "FIN", 0x01 }, { "SYN", 0x02 }, { "RST", 0x04 }, { "PSH", 0x08 },
		{ "ACK", 0x10 }, { "URG", 0x20 }, { "ALL", 0x3f }, { "NONE", 0x00 },
	};
	uint8_t bits = 0;

	while (*text) {
		size_t len = strcspn(text, ",");

		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strlen(names[i].name) == len && strncmp(names[i].name, text, len) == 0)
				bits |= names[i].bits;
		text += len;
		if (*text == ',')
			text++;
	}
	return bits;
}

/* Appends the matches of f on ports (offset 0: source, 2: destination). */
static size_t port_match(const char *ports, uint32_t offset, struct nftnl_expr **e)
{
	uint16_t from, to;

	port_range(ports, &from, &to);
	e[0] = transport_load(offset, 2);
	e[1] = from == to ? cmp(NFT_CMP_EQ, &from, 2) : range(&from, &to, 2);
	return 2;
}

static struct nftnl_rule *make_rule(const struct nc_fault *f, int id, uint16_t nfproto)
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
	if (f->sport[0])
		n += port_match(f->sport, 0, &e[n]);
	if (f->dport[0])
		n += port_match(f->dport, 2, &e[n]);
	if (f->flags_mask[0]) {
		uint8_t mask = tcp_flag_bits(f->flags_mask), comp = tcp_flag_bits(f->flags_comp);

		e[n++] = transport_load(13, 1);
		e[n++] = bitwise_and(&mask, 1);
		e[n++] = cmp(NFT_CMP_EQ, &comp, 1);
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
		     nftnl_rule_set_str(rule, NFTNL_RULE_CHAIN, hooks[f->hook].chain) == 0 &&
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

/* --- Batches --- */

struct batch {
	char *buf;
	struct mnl_nlmsg_batch *msgs;
	uint32_t seq;
	unsigned acks_due;	/* messages sent with NLM_F_ACK */
	bool full;
};

static int batch_start(struct batch *b, size_t n_msgs)
{
	size_t limit = (n_msgs + 2) * MSG_ROOM;

	memset(b, 0, sizeof(*b));
	b->buf = malloc(2 * limit);	/* a message may cross the limit */
	b->msgs = b->buf ? mnl_nlmsg_batch_start(b->buf, limit) : NULL;
	if (!b->msgs) {
		free(b->buf);
		return -ENOMEM;
	}
	b->seq = 1;
	nftnl_batch_begin(mnl_nlmsg_batch_current(b->msgs), b->seq++);
	mnl_nlmsg_batch_next(b->msgs);
	return 0;
}

static struct nlmsghdr *batch_msg(struct batch *b, uint16_t type, uint16_t nfproto,
				  uint16_t flags)
{
	b->acks_due++;
	return nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(b->msgs), type, nfproto,
				     flags | NLM_F_ACK, b->seq++);
}

static void batch_next(struct batch *b)
{
	if (!mnl_nlmsg_batch_next(b->msgs))
		b->full = true;
}

static void batch_free(struct batch *b)
{
	mnl_nlmsg_batch_stop(b->msgs);
	free(b->buf);
}

static int open_socket(struct mnl_socket **out)
{
	struct timeval timeout = { REPLY_TIMEOUT_MS / 1000, (REPLY_TIMEOUT_MS % 1000) * 1000 };
	int one = 1, err;
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);

	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		mnl_socket_close(nl);
		return err;
	}
	/* errors without the request copied back; no wait without a bound */
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
	*out = nl;
	return 0;
}

/* Sends the batch as one transaction; 0 once every message is acked, or the
 * first error (the kernel then applied none of it). */
static int batch_commit(struct batch *b)
{
	char reply[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	unsigned acks = 0;
	int err;

	nftnl_batch_end(mnl_nlmsg_batch_current(b->msgs), b->seq++);
	batch_next(b);
	if (b->full)
		return -ENOSPC;
	err = open_socket(&nl);
	if (err < 0)
		return err;
	if (mnl_socket_sendto(nl, mnl_nlmsg_batch_head(b->msgs),
			      mnl_nlmsg_batch_size(b->msgs)) < 0)
		err = -errno;
	while (!err && acks < b->acks_due) {
		ssize_t len = mnl_socket_recvfrom(nl, reply, sizeof(reply));
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)reply;
		int left = (int)len;

		if (len < 0) {
			err = errno == EAGAIN || errno == EWOULDBLOCK ? -ETIMEDOUT : -errno;
			break;
		}
		for (; !err && mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
			const struct nlmsgerr *ack = mnl_nlmsg_get_payload(nlh);

			if (nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			acks++;
			err = ack->error;	/* 0: an ack */
		}
	}
	mnl_socket_close(nl);
	return err;
}

int nc_nft_add(const struct nc_nft_rule *rules, size_t n_rules)
{
	bool chain_needed[N_FAMILIES][N_HOOKS] = { { false } };
	struct batch b;
	int err;

	if (n_rules == 0)
		return 0;
	for (size_t r = 0; r < n_rules; r++)
		for (size_t f = 0; f < N_FAMILIES; f++)
			if (rules[r].fault->families & families[f].bit)
				chain_needed[f][rules[r].fault->hook] = true;
	err = batch_start(&b, N_FAMILIES * (1 + N_HOOKS + n_rules));
	if (err < 0)
		return err;
	/* table and chains: created, or left as they are (no NLM_F_EXCL) */
	for (size_t f = 0; f < N_FAMILIES && !err; f++) {
		struct nftnl_table *table;
		uint16_t nfproto = families[f].nfproto;
		bool any = false;

		for (size_t h = 0; h < N_HOOKS; h++)
			any = any || chain_needed[f][h];
		if (!any)
			continue;
		table = nftnl_table_alloc();
		if (!table || nftnl_table_set_str(table, NFTNL_TABLE_NAME, NC_NFT_TABLE) < 0) {
			err = -ENOMEM;
		} else {
			nftnl_table_set_u32(table, NFTNL_TABLE_FAMILY, nfproto);
			nftnl_table_nlmsg_build_payload(batch_msg(&b, NFT_MSG_NEWTABLE, nfproto,
								  NLM_F_CREATE), table);
			batch_next(&b);
		}
		if (table)
			nftnl_table_free(table);
		for (size_t h = 0; h < N_HOOKS && !err; h++) {
			struct nftnl_chain *chain;

			if (!chain_needed[f][h])
				continue;
			chain = nftnl_chain_alloc();
			if (!chain || nftnl_chain_set_str(chain, NFTNL_CHAIN_TABLE, NC_NFT_TABLE) < 0 ||
			    nftnl_chain_set_str(chain, NFTNL_CHAIN_NAME, hooks[h].chain) < 0 ||
			    nftnl_chain_set_str(chain, NFTNL_CHAIN_TYPE, "filter") < 0) {
				err = -ENOMEM;
			} else {
				nftnl_chain_set_u32(chain, NFTNL_CHAIN_FAMILY, nfproto);
				nftnl_chain_set_u32(chain, NFTNL_CHAIN_HOOKNUM, hooks[h].hooknum);
				nftnl_chain_set_s32(chain, NFTNL_CHAIN_PRIO, 0);	/* filter */
				nftnl_chain_nlmsg_build_payload(
					batch_msg(&b, NFT_MSG_NEWCHAIN, nfproto, NLM_F_CREATE), chain);
				batch_next(&b);
			}
			if (chain)
				nftnl_chain_free(chain);
		}
	}
	for (size_t r = 0; r < n_rules && !err; r++)
		for (size_t f = 0; f < N_FAMILIES && !err; f++) {
			struct nftnl_rule *rule;

			if (!(rules[r].fault->families & families[f].bit))
				continue;
			rule = make_rule(rules[r].fault, rules[r].id, families[f].nfproto);
			if (!rule) {
				err = -ENOMEM;
				break;
			}
			nftnl_rule_nlmsg_build_payload(
				batch_msg(&b, NFT_MSG_NEWRULE, families[f].nfproto,
					  NLM_F_CREATE | NLM_F_APPEND), rule);
			batch_next(&b);
			nftnl_rule_free(rule);
		}
	if (!err)
		err = batch_commit(&b);
	batch_free(&b);
	return err;
}

/* --- Reading the rules back --- */

struct tagged_rule {
	uint16_t nfproto;
	char chain[16];
	uint64_t handle;
};

struct dump_state {
	char tag[32];			/* "nc-ID" */
	struct tagged_rule found[2 * N_HOOKS];
	size_t n_found;
	uint64_t packets;
	int err;
};

static int comment_of(const struct nftnl_udata *attr, void *data)
{
	const char **comment = data;
	const char *value = nftnl_udata_get(attr);
	uint8_t len = nftnl_udata_len(attr);

	if (nftnl_udata_type(attr) == NFTNL_UDATA_RULE_COMMENT && len > 0 && value[len - 1] == '\0')
		*comment = value;
	return MNL_CB_OK;
}

static int on_rule(const struct nlmsghdr *nlh, void *data)
{
	struct dump_state *state = data;
	struct nftnl_rule *rule = nftnl_rule_alloc();
	const char *comment = NULL;
	const void *userdata;
	uint32_t len = 0;

	if (!rule || nftnl_rule_nlmsg_parse(nlh, rule) < 0) {
		state->err = -ENOMEM;
		goto out;
	}
	userdata = nftnl_rule_get_data(rule, NFTNL_RULE_USERDATA, &len);
	if (userdata)
		nftnl_udata_parse(userdata, len, comment_of, &comment);
	if (comment && strcmp(comment, state->tag) == 0 &&
	    strcmp(nftnl_rule_get_str(rule, NFTNL_RULE_TABLE), NC_NFT_TABLE) == 0 &&
	    state->n_found < sizeof(state->found) / sizeof(state->found[0])) {
		struct tagged_rule *t = &state->found[state->n_found++];
		struct nftnl_expr_iter *exprs = nftnl_expr_iter_create(rule);
		struct nftnl_expr *e;

		t->nfproto = (uint16_t)nftnl_rule_get_u32(rule, NFTNL_RULE_FAMILY);
		t->handle = nftnl_rule_get_u64(rule, NFTNL_RULE_HANDLE);
		snprintf(t->chain, sizeof(t->chain), "%s", nftnl_rule_get_str(rule, NFTNL_RULE_CHAIN));
		while (exprs && (e = nftnl_expr_iter_next(exprs)))
			if (strcmp(nftnl_expr_get_str(e, NFTNL_EXPR_NAME), "counter") == 0)
				state->packets += nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_PACKETS);
		if (exprs)
			nftnl_expr_iter_destroy(exprs);
	}
out:
	if (rule)
		nftnl_rule_free(rule);
	return MNL_CB_OK;
}

/* The rules tagged nc-ID in our table, both families: one dump of every
 * table (the kernel stops after the first table that matches a name). */
static int find_tagged(int id, struct dump_state *state)
{
	char buf[DUMP_BUFFER];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	uint32_t seq = 1;
	int err, ret;

	memset(state, 0, sizeof(*state));
	snprintf(state->tag, sizeof(state->tag), "nc-%d", id);
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETRULE, NFPROTO_UNSPEC, NLM_F_DUMP, seq);
	err = open_socket(&nl);
	if (err < 0)
		return err;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		err = -errno;
		goto out;
	}
	do {
		ssize_t len = mnl_socket_recvfrom(nl, buf, sizeof(buf));

		if (len < 0) {
			err = errno == EAGAIN || errno == EWOULDBLOCK ? -ETIMEDOUT : -errno;
			goto out;
		}
		ret = mnl_cb_run(buf, (size_t)len, seq, mnl_socket_get_portid(nl), on_rule, state);
	} while (ret > 0);
	if (ret < 0)
		err = -errno;
	else if (state->err)
		err = state->err;
	else if (state->n_found == 0)
		err = -ENOENT;
out:
	mnl_socket_close(nl);
	return err;
}

int nc_nft_packets(int id, uint64_t *packets)
{
	struct dump_state state;
	int err = find_tagged(id, &state);

	*packets = err < 0 ? 0 : state.packets;
	return err;
}

int nc_nft_del(int id)
{
	struct dump_state state;
	struct batch b;
	int err = find_tagged(id, &state);

	if (err < 0)
		return err;
	err = batch_start(&b, state.n_found);
	for (size_t i = 0; i < state.n_found && !err; i++) {
		struct nftnl_rule *rule = nftnl_rule_alloc();

		if (!rule || nftnl_rule_set_str(rule, NFTNL_RULE_TABLE, NC_NFT_TABLE) < 0 ||
		    nftnl_rule_set_str(rule, NFTNL_RULE_CHAIN, state.found[i].chain) < 0) {
			err = -ENOMEM;
		} else {
			nftnl_rule_set_u32(rule, NFTNL_RULE_FAMILY, state.found[i].nfproto);
			nftnl_rule_set_u64(rule, NFTNL_RULE_HANDLE, state.found[i].handle);
			nftnl_rule_nlmsg_build_payload(
				batch_msg(&b, NFT_MSG_DELRULE, state.found[i].nfproto, 0), rule);
			batch_next(&b);
		}
		if (rule)
			nftnl_rule_free(rule);
	}
	if (!err)
		err = batch_commit(&b);
	if (b.msgs)
		batch_free(&b);
	return err;
}
