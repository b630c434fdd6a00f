/* What the machine offers: the run's environment for the reports, and
 * `netconform doctor`. */
#ifndef NC_ENV_H
#define NC_ENV_H

#include "results.h"

/* The kernel, libc, capabilities and command line into run->env. */
void nc_env_collect(struct nc_run *run, const char *sandbox_mode, int argc, char **argv);
/* Prints what the machine offers the checks; nonzero when something they
 * need is missing. */
int nc_doctor(void);

#endif
