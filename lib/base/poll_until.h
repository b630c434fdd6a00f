/* The one way lib/ and the checks wait for a fact that gives no readiness
 * event (a TCP state, a packet counter, a link's operational state): look,
 * and look again after a pause that grows, until the fact holds or the
 * deadline passes.  Never a sleep standing in for the fact. */
#ifndef NC_POLL_UNTIL_H
#define NC_POLL_UNTIL_H

/* A fact polled by nc_poll_until(): > 0 it holds, 0 not yet, or a negative
 * errno that ends the wait. */
typedef int nc_poll_cond_fn(void *arg);

/* The pause between two looks: first_us, doubled after each look up to
 * max_us (first_us == max_us: a fixed pause). */
struct nc_backoff {
	unsigned first_us;
	unsigned max_us;
};

/* What the kernel does in a work queue right after a request (linkwatch,
 * addrconf, a segment crossing a veth): there in microseconds, so the first
 * looks are close together; a slow one costs a look every 8 ms. */
#define NC_BACKOFF_KERNEL_WORK ((struct nc_backoff){ 50, 8000 })
/* A fact read with a whole dump (sock_diag): 1, 2, 4 ... 32 ms apart, so a
 * fast transition costs a millisecond and a slow one (a 3 s SYN timeout)
 * few dumps. */
#define NC_BACKOFF_DUMP ((struct nc_backoff){ 1000, 32000 })

/* Calls cond(arg) until it answers > 0 (returns 0), < 0 (returns that), or
 * deadline_ms have passed (-ETIMEDOUT; cond is asked once more at the
 * deadline).  deadline_ms is stretched by --deadline-scale (clock.h). */
int nc_poll_until(nc_poll_cond_fn *cond, void *arg, unsigned deadline_ms,
		  struct nc_backoff backoff);

#endif
