/* SIGINT and SIGTERM stop a run: no check starts after one, the running
 * ones are killed, and the reports hold those that finished. */
#ifndef NC_STOP_H
#define NC_STOP_H

#include <signal.h>

/* From now on the two signals stop the run; call it first thing, so that
 * one before the checks start is a run with every check not run (reports
 * and all), not a death without them. */
void nc_stop_signals_catch(void);
/* The stop signal received or pending (blocked after nc_execute()), or 0. */
int nc_stop_signal_pending(void);

/* For the executor: the two signals blocked from now on (the mask before
 * kept for the checks), delivered only while *waiting is the mask
 * (ppoll()'s). */
void nc_stop_block(sigset_t *waiting);
/* The stop signal received since, or 0. */
int nc_stop_signal(void);
/* In a check's process: the dispositions and mask the run started with. */
void nc_stop_restore(void);

#endif
