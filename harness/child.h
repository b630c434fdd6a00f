/* Inside a test's sandbox: pid 1 of its pid namespace, and the worker that
 * runs the body.  Both write records (record.h) to the test's memfd. */
#ifndef NC_CHILD_H
#define NC_CHILD_H

struct nc_run_options;
struct nc_test;

/* What the runner gives a test's pid 1. */
struct nc_child_fds {
	int records;	/* the memfd its records go to */
	int ready, go;	/* the worker's ends for its maps (lib/world/confine.h) */
};

/* pid 1 of the test's pid namespace: runs the worker, confined, and records
 * how it ended and the tail of what it printed. */
void nc_child_main(struct nc_test *test, const struct nc_child_fds *fds,
		   const struct nc_run_options *opt) __attribute__((noreturn));

#endif
