/* netem through libnl-route's rtnl_netem_*.  libnl 3.7 has no setter for
 * netem's rate, so a rate is appended to the request by hand (TCA_NETEM_RATE
 * lives inside TCA_OPTIONS, after struct tc_netem_qopt). */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/pkt_sched.h>
#include <netlink/netlink.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/qdisc/netem.h>
#include <netlink/route/tc.h>

#include "netem.h"
#include "strnum.h"
#include "topology.h"
#include "words.h"

#define FAIL(...) do { snprintf(err, errsize, __VA_ARGS__); return -1; } while (0)

struct unit {
	const char *name;
	double scale;
};

/* "5ms": a number (strictly: strnum.h), then one of units; the value in
 * base units within [min, max].  Returns 0 or -1. */
static int parse_with_unit(const char *text, const struct unit *units, size_t n_units,
			   double min, double max, double *out)
{
	size_t len = strlen(text);
	char number[32];
	double v;

	for (size_t i = 0; i < n_units; i++) {
		size_t unit_len = strlen(units[i].name);

		if (len <= unit_len || len - unit_len >= sizeof(number) ||
		    strcmp(text + len - unit_len, units[i].name) != 0)
			continue;
		snprintf(number, sizeof(number), "%.*s", (int)(len - unit_len), text);
		if (nc_parse_double(number, min / units[i].scale, max / units[i].scale, &v) == 0) {
			*out = v * units[i].scale;
			return 0;
		}
	}
	return -1;
}

static int parse_time_us(const char *text, uint32_t *us)
{
	static const struct unit units[] = { { "us", 1 }, { "ms", 1e3 }, { "s", 1e6 } };
	double v;

	if (parse_with_unit(text, units, sizeof(units) / sizeof(units[0]), 0, 3600e6, &v) < 0)
		return -1;
	*us = (uint32_t)(v + 0.5);
	return 0;
}

static int parse_percent(const char *text, double *pct)
{
	static const struct unit percent[] = { { "%", 1 } };

	return parse_with_unit(text, percent, 1, 0, 100, pct);
}

static int parse_rate(const char *text, uint64_t *bps)
{
	static const struct unit units[] = {
		{ "bit", 1 }, { "kbit", 1e3 }, { "mbit", 1e6 }, { "gbit", 1e9 },
	};
	double v;

	if (parse_with_unit(text, units, sizeof(units) / sizeof(units[0]), 8, 1e15 - 1, &v) < 0)
		return -1;
	*bps = (uint64_t)(v + 0.5);
	return 0;
}

int nc_netem_parse_words(char **w, int n, struct nc_netem *out, char *err, size_t errsize)
{
	static const char *const options[] = { "delay", "jitter", "loss", "duplicate",
					       "reorder", "rate" };
	bool seen[6] = { false };

	memset(out, 0, sizeof(*out));
	if (n == 0)
		FAIL("nothing to emulate (delay, jitter, loss, duplicate, reorder, rate)");
	for (int i = 0; i < n; i += 2) {
		size_t o;
		int bad = 0;

		for (o = 0; o < 6 && strcmp(w[i], options[o]) != 0; o++)
			;
		if (o == 6)
			FAIL("unknown netem option \"%s\" (delay, jitter, loss, duplicate, "
			     "reorder, rate)", w[i]);
		if (seen[o])
			FAIL("%s given twice", w[i]);
		seen[o] = true;
		if (i + 1 >= n)
			FAIL("%s needs a value", w[i]);
		switch (o) {
		case 0: bad = parse_time_us(w[i + 1], &out->delay_us); break;
		case 1: bad = parse_time_us(w[i + 1], &out->jitter_us); break;
		case 2: bad = parse_percent(w[i + 1], &out->loss_pct); break;
		case 3: bad = parse_percent(w[i + 1], &out->duplicate_pct); break;
		case 4: bad = parse_percent(w[i + 1], &out->reorder_pct); break;
		case 5: bad = parse_rate(w[i + 1], &out->rate_bps); break;
		}
		if (bad)
			FAIL("%s: bad value \"%s\" (%s)", w[i], w[i + 1],
			     o < 2 ? "a time: 100ms, 50us, 1s" :
			     o < 5 ? "a percentage: 10%" : "a rate: 1mbit, 500kbit");
	}
	if (seen[1] && !seen[0])
		FAIL("jitter needs a delay");
	if (seen[4] && !seen[0])
		FAIL("reorder needs a delay (reordered packets are the ones sent at once)");
	return 0;
}

int nc_netem_parse(const char *spec, struct nc_netem *out, char *err, size_t errsize)
{
	char copy[512], *words[32];
	int n;

	if (strlen(spec) >= sizeof(copy))
		FAIL("netem spec too long");
	strcpy(copy, spec);
	n = nc_words_split(copy, words, 32);
	if (n < 0)
		FAIL("too many words");
	return nc_netem_parse_words(words, n, out, err, errsize);
}

/* netem's probabilities are fractions of 2^32 - 1 (no libm: the Makefile
 * links none). */
static int probability(double pct)
{
	return (int)(uint32_t)(pct / 100.0 * (double)UINT32_MAX + 0.5);
}

/* Adds TCA_NETEM_RATE(64) to a built request and stretches TCA_OPTIONS over
 * it: netem reads its attributes from the tail of TCA_OPTIONS. */
static int append_rate(struct nl_msg *msg, uint64_t rate_bps)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *opts = NULL, *attr;
	struct tc_netem_rate rate = { 0 };
	uint64_t bytes = rate_bps / 8;
	int rem, before, err;

	nlmsg_for_each_attr(attr, nlh, sizeof(struct tcmsg), rem)
		if (nla_type(attr) == TCA_OPTIONS)
			opts = attr;
	if (!opts)
		return -NLE_MISSING_ATTR;
	before = (int)nlh->nlmsg_len;
	rate.rate = bytes > UINT32_MAX ? UINT32_MAX : (uint32_t)bytes;
	err = nla_put(msg, TCA_NETEM_RATE, sizeof(rate), &rate);
	if (err >= 0 && bytes > UINT32_MAX)
		err = nla_put_u64(msg, TCA_NETEM_RATE64, bytes);
	if (err < 0)
		return err;
	nlh = nlmsg_hdr(msg);	/* nla_put may have moved it */
	nlmsg_for_each_attr(attr, nlh, sizeof(struct tcmsg), rem)
		if (nla_type(attr) == TCA_OPTIONS)
			opts = attr;
	opts->nla_len += (uint16_t)((int)nlh->nlmsg_len - before);
	return 0;
}

int nc_netem_apply(struct nl_sock *sk, int ifindex, const struct nc_netem *netem)
{
	struct rtnl_qdisc *qdisc = rtnl_qdisc_alloc();
	struct nl_msg *msg = NULL;
	int err;

	if (!qdisc)
		return -ENOMEM;
	rtnl_tc_set_ifindex(TC_CAST(qdisc), ifindex);
	rtnl_tc_set_parent(TC_CAST(qdisc), TC_H_ROOT);
	rtnl_tc_set_handle(TC_CAST(qdisc), TC_HANDLE(0x4e43, 0));	/* "NC" */
	err = rtnl_tc_set_kind(TC_CAST(qdisc), "netem");
	if (err < 0)
		goto out;
	if (netem->delay_us)
		rtnl_netem_set_delay(qdisc, (int)netem->delay_us);
	if (netem->jitter_us)
		rtnl_netem_set_jitter(qdisc, (int)netem->jitter_us);
	if (netem->loss_pct > 0)
		rtnl_netem_set_loss(qdisc, probability(netem->loss_pct));
	if (netem->duplicate_pct > 0)
		rtnl_netem_set_duplicate(qdisc, probability(netem->duplicate_pct));
	if (netem->reorder_pct > 0)
		rtnl_netem_set_reorder_probability(qdisc, probability(netem->reorder_pct));
	err = rtnl_qdisc_build_add_request(qdisc, NLM_F_CREATE | NLM_F_REPLACE, &msg);
	if (err >= 0 && netem->rate_bps)
		err = append_rate(msg, netem->rate_bps);
	if (err >= 0)
		err = nl_send_auto_complete(sk, msg);
	if (err >= 0)
		err = nl_wait_for_ack(sk);
out:
	nlmsg_free(msg);
	rtnl_qdisc_put(qdisc);
	if (err >= 0)
		return 0;
	err = nc_errno_from_nle(err);
	/* the kernel's answer to an unknown qdisc kind */
	return err == -ENOENT ? -EOPNOTSUPP : err;
}

bool nc_netem_available(void)
{
	static int available = -1;	/* unknown */
	int status;
	pid_t pid;

	if (available >= 0)
		return available;
	pid = fork();
	if (pid < 0)
		return false;
	if (pid == 0) {
		struct nc_netem probe = { .delay_us = 1000 };
		struct nl_sock *sk;

		if (unshare(CLONE_NEWNET) < 0 || nc_rtnl_open(&sk) < 0)
			_exit(2);
		_exit(nc_netem_apply(sk, 1, &probe) == 0 ? 0 : 1);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return false;
	available = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	return available;
}
