/* netem (sch_netem) on an interface: delay, jitter, loss, duplication,
 * reordering and rate.  Kernels without CONFIG_NET_SCH_NETEM exist (this
 * project's CI has one): nc_netem_available() says. */
#ifndef NC_NETEM_H
#define NC_NETEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nl_sock;

struct nc_netem {
	uint32_t delay_us;
	uint32_t jitter_us;
	double loss_pct;	/* 0..100 */
	double duplicate_pct;
	double reorder_pct;	/* needs a delay: reordered packets skip it */
	uint64_t rate_bps;	/* bits per second, 0: no limit */
};

/* "delay 100ms jitter 10ms loss 10% duplicate 5% reorder 25% rate 1mbit",
 * in any order.  Returns 0, or -1 with what is wrong in err. */
int nc_netem_parse(const char *spec, struct nc_netem *out, char *err, size_t errsize);
int nc_netem_parse_words(char **words, int n_words, struct nc_netem *out,
			 char *err, size_t errsize);

/* Replaces the root qdisc of ifindex with netem, through sk (NETLINK_ROUTE,
 * in the interface's namespace).  -EOPNOTSUPP without sch_netem. */
int nc_netem_apply(struct nl_sock *sk, int ifindex, const struct nc_netem *netem);
/* Whether this kernel has sch_netem: tried once per process, where it
 * changes nothing (lo of a namespace of a child's own). */
bool nc_netem_available(void);

#endif
