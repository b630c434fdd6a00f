/* The faults of a built network at run time, found by name: the scenario's
 * ("fault s syn-drop input tcp dport 9 drop"), and those a check adds.
 * Calls return 0 or a negative errno with an nc_error() message; a name the
 * network lacks is -ENOENT, "scenarios/x.scn has no fault \"syn-drp\" (it
 * has syn-drop)". */
#ifndef NC_NET_FAULT_H
#define NC_NET_FAULT_H

#include <stdint.h>

#include "net.h"

/* The fault called name, or NULL (with the message). */
struct nc_net_fault *nc_fault_find(struct nc_net *net, const char *name);

/* A fault as a scenario's fault line after "fault HOST NAME", e.g.
 * "input tcp dport 9 reject tcp-reset", named name (unique in the network).
 * In force on host when the call returns. */
int nc_fault_add(struct nc_host *host, const char *name, const char *rule);
/* Out of force when the call returns. */
int nc_fault_del(struct nc_net *net, const char *name);
/* The packets the fault matched so far (both families' rules summed). */
int nc_fault_packets(struct nc_net *net, const char *name, uint64_t *packets);
/* Waits until the fault has matched at least at_least packets (*packets
 * then says how many), or -ETIMEDOUT after deadline_ms.  A packet counter
 * gives no readiness event: it is read again and again (lib/base/poll_until.h). */
int nc_fault_wait_packets(struct nc_net *net, const char *name, uint64_t at_least,
			  unsigned deadline_ms, uint64_t *packets);

#endif
