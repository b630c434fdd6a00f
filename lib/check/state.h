/* What a check keeps while it runs, in one place (as packetdrill's struct
 * state): the check layer's only mutable statics.  A check runs in a
 * process of its own, forked by the runner or exec'd as netconform-musl, so
 * this one instance is that check's; the runner's side sets its
 * descriptors and hook before the body starts (nc_record_open(),
 * nc_remote_open(), nc_check_set_reporter()), the body's assertions and
 * fatal failures use the rest.  libc only. */
#ifndef NC_STATE_H
#define NC_STATE_H

#include <setjmp.h>
#include <sys/types.h>

#include "check.h"

struct nc_check_state {
	int record_fd;			/* where records go (record.h); -1: nowhere */
	int remote_fd;			/* the engine, for a musl body (remote.h); -1: none */
	nc_check_reporter *reporter;	/* the harness's look at each assertion, or NULL */
	unsigned assertions;		/* made so far, setup steps aside (atomic: threads) */
	jmp_buf *running;		/* where a fatal failure returns to; NULL: _exit */
	pid_t server;	/* a process the check's server runs in, counted by stopwatches (timing.h); 0: none */
};

extern struct nc_check_state nc_check_state;

#endif
