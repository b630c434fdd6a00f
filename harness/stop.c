/* The stop signals (stop.h): a flag set by the handler, read by the
 * executor between its waits. */
#include <signal.h>

#include "stop.h"

static volatile sig_atomic_t stop_signal;
static sigset_t start_mask;

static void on_stop_signal(int signo)
{
	stop_signal = signo;
}

/* SA_RESTART: the reading and parsing before the checks go on. */
void nc_stop_signals_catch(void)
{
	struct sigaction on_stop = { .sa_handler = on_stop_signal, .sa_flags = SA_RESTART };

	sigaction(SIGINT, &on_stop, NULL);
	sigaction(SIGTERM, &on_stop, NULL);
}

int nc_stop_signal_pending(void)
{
	sigset_t pending;

	if (stop_signal)
		return stop_signal;
	sigpending(&pending);
	return sigismember(&pending, SIGTERM) ? SIGTERM : sigismember(&pending, SIGINT) ? SIGINT : 0;
}

void nc_stop_block(sigset_t *waiting)
{
	struct sigaction on_stop = { .sa_handler = on_stop_signal };
	sigset_t stops;

	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	sigprocmask(SIG_BLOCK, &stops, &start_mask);
	sigaction(SIGINT, &on_stop, NULL);
	sigaction(SIGTERM, &on_stop, NULL);
	*waiting = start_mask;
	sigdelset(waiting, SIGINT);
	sigdelset(waiting, SIGTERM);
}

int nc_stop_signal(void)
{
	return stop_signal;
}

void nc_stop_restore(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigprocmask(SIG_SETMASK, &start_mask, NULL);
}
