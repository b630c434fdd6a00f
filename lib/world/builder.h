/* The builder: a scenario (lib/world/scenario.h) becomes a network
 * (lib/world/net.h) of the calling process, in a few milliseconds. */
#ifndef NC_BUILDER_H
#define NC_BUILDER_H

#include "net.h"
#include "scenario.h"

/* Builds scn in the calling process; the calling thread ends in the
 * namespace it started in.  Returns 0, or a negative errno with an
 * nc_error() message ("scenarios/x.scn:5: address 198.18.0.1/24 on c").
 * -EOPNOTSUPP when the kernel lacks something the scenario needs (netem,
 * nf_tables); *missing then names it. */
int nc_net_build(const struct nc_scenario *scn, struct nc_net **out, const char **missing);

#endif
