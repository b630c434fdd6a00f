/* The executor: each test in its own forked child, in fresh pid, network
 * and mount namespaces, up to --jobs at a time, each with a deadline. */
#ifndef NC_RUNNER_H
#define NC_RUNNER_H

#include <stdbool.h>
#include <stddef.h>

#include "libc.h"
#include "results.h"

struct nc_expectations;
struct nc_test;

struct nc_run_options {
	enum nc_libc libc;
	unsigned jobs;
	unsigned timeout_s;		/* for checks without their own deadline */
	double deadline_scale;		/* slow machines (TCG) stretch deadlines */
	bool progress_tty;
	/* seconds each test waits on timers (schedule.h): the longest start
	 * first; NULL: in the order given */
	const double *expected_s;
	/* Each result as it finishes (index: into tests); true stops the
	 * run there, the checks still running killed (--maxfail). */
	bool (*on_result)(void *ctx, size_t index, const struct nc_result *r);
	void *ctx;
};

/* Runs tests[0..n) and fills run->results in the same order.  SIGINT or
 * SIGTERM (stop.h) stops it early: run->interrupted says which, the
 * results of the checks not run have no id, and run->n_not_run counts
 * them.  The two signals stay blocked when this returns: the caller
 * writes the reports, then exits. */
int nc_execute(struct nc_test *const *tests, size_t n,
	       const struct nc_run_options *opt,
	       const struct nc_expectations *exp, struct nc_run *run);

#endif
