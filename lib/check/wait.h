/* Waiting for a fact with a deadline, and timing how long it took: poll()
 * readiness, a non-blocking connect() settling, a socket's own TCP state.
 * All calls return 0 (or a non-negative value) or -errno; nothing prints. */
#ifndef NC_WAIT_H
#define NC_WAIT_H

#include <time.h>

#include "clock.h"
#include "sockaddr.h"


/* poll() fd for events until deadline_ms: the revents (> 0), or -ETIMEDOUT.
 * A timeout is the answer "not ready", so a caller can also assert that.
 * deadline_ms is stretched by --deadline-scale (clock.h), and by the time
 * the calling process's threads waited for a CPU meanwhile (sched_delay.h): a quiet
 * window is the time the check could run, however busy the machine. */
int nc_wait_fd(int fd, short events, unsigned deadline_ms);

/* Starts connect() on a socket made non-blocking: 0 once the attempt is on
 * its way (EINPROGRESS) or already done, else -errno of connect(). */
int nc_connect_start(int fd, const struct nc_sockaddr *peer);
/* Waits until that attempt settles: 0 connected, -SO_ERROR when it failed,
 * -ETIMEDOUT when it is still pending at the deadline. */
int nc_connect_finish(int fd, unsigned deadline_ms);

/* Waits until TCP_INFO of fd shows state: 0, or -ETIMEDOUT. */
int nc_wait_tcp_state(int fd, int state, unsigned deadline_ms);

/* TCP_INFO of a listener: connections waiting for accept(), and its backlog. */
int nc_listener_queue(int listen_fd, unsigned *queued, unsigned *backlog);

#endif
