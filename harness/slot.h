/* One running test: its sandboxed child, the memfd its records go to, and
 * its deadline, stretched for the time the machine could not run it. */
#ifndef NC_SLOT_H
#define NC_SLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct nc_expectations;
struct nc_result;
struct nc_run_options;
struct nc_test;
struct nc_zygote;

struct nc_slot {
	struct nc_test *test;		/* NULL: the slot is free */
	size_t index;
	pid_t pid;
	int exit_fd;	/* polls readable once the child is gone */
	int memfd;	/* its records */
	int ready_fd, go_fd;	/* its body's maps, until written (-1 after) */
	double started;
	double deadline;
	double allowed_s;		/* the deadline's length unstretched */
	long long pressure_us;		/* the CPU pressure's total at the start */
	double granted_s;		/* the deadline's stretch for that pressure */
	bool timed_out;
};

/* Has zygote fork test's sandboxed child into slot (index: test's in the
 * zygote's tests).  Returns 0 or -errno. */
int nc_slot_start(struct nc_slot *slot, struct nc_zygote *zygote, struct nc_test *test,
		  size_t index, const struct nc_run_options *opt);
/* slot's ready_fd polls readable: writes the body's maps (an error record
 * and the check killed when they cannot be). */
void nc_slot_map(struct nc_slot *slot);
/* slot's deadline, reached: true when it was moved on for the load. */
bool nc_slot_deadline_stretched(struct nc_slot *slot);
/* A deadline allowed_s long, stretched by *granted_s so far, after tasks
 * waited stalled seconds for a CPU: true with *granted_s the new stretch (up to
 * 3 times allowed_s), false when it stands. */
bool nc_deadline_stretch(double allowed_s, double stalled, double *granted_s);
/* The child gone: the facts of how it went into result, judged under
 * exp (verdict.h).  The slot is free after. */
void nc_slot_finish(struct nc_slot *slot, struct nc_zygote *zygote,
		    const struct nc_expectations *exp, struct nc_result *result);
/* The child killed without a result; the slot is free after. */
void nc_slot_kill(struct nc_slot *slot, struct nc_zygote *zygote);

#endif
