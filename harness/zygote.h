/* The process that forks the checks (zygote.c): a copy of the runner made
 * as a run starts, which stays small and still.  Forked by the runner, a
 * check copied the runner's page tables as they were, and each page the
 * runner wrote while checks were alive was copied again, in the runner:
 * the runner's own page faults were a fifth of a run's CPU.  The zygote
 * writes little between two forks, and the runner forks nothing.
 *
 * A check stays what it was: a forked copy of the program, pid 1 of its
 * pid namespace, dying with the zygote, which dies with the runner (a
 * parent-death signal each), even a runner killed by SIGKILL. */
#ifndef NC_ZYGOTE_H
#define NC_ZYGOTE_H

#include <stddef.h>
#include <sys/types.h>

struct nc_child_fds;
struct nc_run_options;
struct nc_test;

struct nc_zygote_exit {
	pid_t pid;
	int status;	/* as waitpid() gives it */
};

struct nc_zygote {
	pid_t pid;
	int sock;	/* to the zygote: requests out, forks and exits in */
	/* exits read while waiting for something else, not yet asked for */
	struct nc_zygote_exit *early;
	size_t n_early, cap_early;
};

/* Forks the zygote, which forks tests[i] (i < n) on request, with the
 * run's opt.  Signals the runner blocks stay blocked in it.  Returns 0 or
 * -errno. */
int nc_zygote_start(struct nc_zygote *zygote, struct nc_test *const *tests, size_t n,
		    const struct nc_run_options *opt);
/* tests[index]'s pid 1, given fds (nc_child_main()'s): its pid, and in
 * *exit_fd a descriptor that polls readable once it and every process of
 * its namespace are gone (sandbox.h); or -errno. */
pid_t nc_zygote_fork(struct nc_zygote *zygote, size_t index, const struct nc_child_fds *fds,
		     int *exit_fd);
/* How pid, a check forked by the zygote that is gone or going (killed),
 * ended, in *status (status may be NULL): waits for the zygote to reap it.
 * 0, or -errno with the zygote gone (*status then says killed by SIGKILL). */
int nc_zygote_wait(struct nc_zygote *zygote, pid_t pid, int *status);
/* Ends the zygote (every check it forked waited for first). */
void nc_zygote_stop(struct nc_zygote *zygote);

#endif
