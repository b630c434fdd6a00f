/* The fault backend: nf_tables rules made in process (lib/world/nft_rule.c)
 * and sent in one batch (libmnl), tens of microseconds where an exec of
 * iptables-restore costs ~2 ms. */
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

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

#include "forced.h"
#include "nft_rule.h"
#include "nftables.h"
#include "tcp_flags.h"

/* Acks of a commit are queued before sendmsg() returns (nfnetlink handles a
 * batch in the sender's context); the bound is only against a kernel bug. */
#define REPLY_TIMEOUT_MS 2000
#define MSG_ROOM 2048		/* per message: a rule is well under 1 KiB */
#define DUMP_BUFFER 32768	/* libmnl's MNL_SOCKET_DUMP_SIZE, newer than 1.0.4 */

static const struct {
	unsigned bit;
	uint16_t nfproto;
} families[] = {
	{ NC_FAULT_IP4, NFPROTO_IPV4 },
	{ NC_FAULT_IP6, NFPROTO_IPV6 },
};

#define N_HOOKS (sizeof(nc_nft_hooks) / sizeof(nc_nft_hooks[0]))
#define N_FAMILIES (sizeof(families) / sizeof(families[0]))

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
	if (nc_forced_missing("nf_tables"))
		return -EPROTONOSUPPORT;	/* as a kernel without it answers */
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
			    nftnl_chain_set_str(chain, NFTNL_CHAIN_NAME, nc_nft_hooks[h].chain) < 0 ||
			    nftnl_chain_set_str(chain, NFTNL_CHAIN_TYPE, "filter") < 0) {
				err = -ENOMEM;
			} else {
				nftnl_chain_set_u32(chain, NFTNL_CHAIN_FAMILY, nfproto);
				nftnl_chain_set_u32(chain, NFTNL_CHAIN_HOOKNUM, nc_nft_hooks[h].hooknum);
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
			rule = nc_nft_rule_make(rules[r].fault, rules[r].id, families[f].nfproto);
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

/* --- Whether the kernel takes them --- */

bool nc_nft_refused(int err)
{
	return err == -EOPNOTSUPP || err == -EPROTONOSUPPORT || err == -EAFNOSUPPORT ||
	       err == -ENOENT;
}

/* Every kind of expression, both families, in a namespace of a child's own
 * (a user namespace too when it is not privileged): 1 taken, 0 refused,
 * -1 cannot tell. */
static int probe(void)
{
	static const struct nc_fault faults[] = {
		{ .hook = NC_HOOK_INPUT, .proto = NC_PROTO_TCP, .families = NC_FAULT_IP4 | NC_FAULT_IP6,
		  .sport = { 1, 2 }, .dport = { 3, 3 }, .match_flags = true,
		  .flags_mask = NC_TCP_SYN | NC_TCP_ACK, .flags_comp = NC_TCP_SYN, .probability = 0.5,
		  .action = NC_REJECT_TCP_RESET },
		{ .hook = NC_HOOK_OUTPUT, .proto = NC_PROTO_UDP, .families = NC_FAULT_IP4 | NC_FAULT_IP6,
		  .probability = 1, .action = NC_REJECT_PORT_UNREACHABLE },
		{ .hook = NC_HOOK_FORWARD, .families = NC_FAULT_IP4 | NC_FAULT_IP6,
		  .probability = 1, .action = NC_FAULT_DROP },
	};
	struct nc_nft_rule rules[sizeof(faults) / sizeof(faults[0])];
	int status, err;
	pid_t pid;

	for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		rules[i] = (struct nc_nft_rule){ &faults[i], (int)i + 1 };
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (unshare(CLONE_NEWNET) < 0 && unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
			_exit(2);
		err = nc_nft_add(rules, sizeof(rules) / sizeof(rules[0]));
		_exit(err == 0 ? 0 : nc_nft_refused(err) ? 1 : 2);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) > 1)
		return -1;
	return WEXITSTATUS(status) == 0;
}

bool nc_nft_available(void)
{
	static int available = -1;	/* not tried yet */

	if (available < 0)
		available = probe();
	return available != 0;	/* cannot tell: let the build say */
}
