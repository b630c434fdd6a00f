/* The executor: each test in its own forked child, in fresh pid, network and
 * mount namespaces, up to --jobs at a time, each with a deadline after which
 * its whole pid namespace is killed.  The child writes records (record.h)
 * to a memfd that the runner reads when it is gone, whatever way it went. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "builder.h"
#include "capture.h"
#include "clock.h"
#include "confine.h"
#include "error.h"
#include "harness.h"
#include "musl_serve.h"
#include "mutant_scope.h"
#include "needs.h"
#include "net.h"
#include "records.h"
#include "sandbox.h"
#include "scenario.h"
#include "sched_delay.h"
#include "schedule.h"

void nc_registry_set_current(const struct nc_case_ctx *ctx);

#define CONFINE_ALLOWANCE_S 1.0

struct slot {
	struct nc_test *test;
	size_t index;
	pid_t pid;
	int exit_fd;	/* polls readable once the child is gone */
	int memfd;
	double started;
	double deadline;
	long long pressure_us;		/* the CPU pressure's total at the start */
	double granted_s;		/* the deadline's stretch for that pressure */
	bool timed_out;
};

/* CUnit counts the assertions: it stays the harness's assertion layer,
 * while the records are what the runner reads. */
static void count_in_cunit(const struct nc_assertion *a)
{
	CU_assertImplementation(a->passed ? CU_TRUE : CU_FALSE, (unsigned)a->line, a->message,
				a->file, "", CU_FALSE);
}

/* How a process ended, when not cleanly: an error or exit record. */
static void record_end(int status)
{
	char text[128];

	if (status > 0 && WIFSIGNALED(status)) {
		snprintf(text, sizeof(text), "killed by signal %d (%s)", WTERMSIG(status),
			 nc_signal_name(WTERMSIG(status)));
		nc_record_text(NC_RECORD_ERROR, text);
	} else if (status > 0 && WEXITSTATUS(status) != 0) {
		snprintf(text, sizeof(text), "exited with status %d", WEXITSTATUS(status));
		nc_record_text(NC_RECORD_EXIT, text);
	}
}

static void __attribute__((noreturn)) worker_main(struct nc_test *test, int memfd,
						  const struct nc_run_options *opt)
{
	struct nc_case_ctx ctx = {
		.check = test->check, .id = test->id, .data = test->row,
		.case_name = test->case_name,
	};
	char line[4096], text[1024];
	/* what the check declares it needs, before anything is built for it */
	int lacks = nc_needs_missing(test->check->needs, text, sizeof(text));

	if (lacks > 0)
		nc_skip("%s", text);
	if (lacks < 0) {
		nc_record_text(NC_RECORD_ERROR, text);
		_exit(3);
	}
	if (test->scenario) {
		const char *missing = NULL;
		int err = nc_net_build(test->scenario, &ctx.net, &missing);

		if (err == -EOPNOTSUPP)
			nc_skip("scenario %s needs %s, which this kernel lacks",
				test->check->scenario, missing ? missing : "a feature");
		if (err < 0) {
			snprintf(line, sizeof(line), "scenario %s: cannot build: %s",
				 test->check->scenario, nc_error_text(err, text, sizeof(text)));
			nc_record_text(NC_RECORD_ERROR, line);
			_exit(3);
		}
	}
	nc_registry_set_current(&ctx);
	nc_check_set_reporter(count_in_cunit);
	/* the packets of the checks that ask for them (.capture), for the ladder diagrams */
	struct nc_capture *capture = NULL;
	if (test->check->capture && nc_capture_start(ctx.net, &capture) < 0)
		capture = NULL;
	if (opt->libc == NC_LIBC_MUSL) {
		/* the body in the musl program; it writes its own "done" */
		int status = nc_musl_run(test, &ctx, memfd);

		if (status < 0) {
			snprintf(line, sizeof(line), "netconform-musl: %s",
				 nc_error_text(status, text, sizeof(text)));
			nc_record_text(NC_RECORD_ERROR, line);
		}
		record_end(status);
	} else {
		nc_mutant_scope(true);
		CU_run_test(test->cu_suite, test->cu_test);
		nc_mutant_scope(false);
	}
	if (capture)
		nc_capture_stop_and_record(capture);
	if (opt->libc != NC_LIBC_MUSL)
		nc_check_done();
	_exit(0);
}

static void record_output_tail(int fd)
{
	char tail[1536];
	off_t size = lseek(fd, 0, SEEK_END);
	off_t from = size > (off_t)sizeof(tail) - 1 ? size - (off_t)sizeof(tail) + 1 : 0;
	ssize_t n = size > 0 ? pread(fd, tail, (size_t)(size - from), from) : 0;

	if (n <= 0)
		return;
	tail[n] = '\0';
	nc_record_text(NC_RECORD_OUTPUT, tail);
}

/* pid 1 of the test's pid namespace: runs the worker, reports how it ended. */
static void __attribute__((noreturn)) child_main(struct nc_test *test, int memfd,
						 const struct nc_run_options *opt)
{
	char message[512];
	pid_t worker;
	int status, err, confined = 0;

	nc_record_open(memfd);
	/* What the check prints (an ASan report, a libc message) is kept: the
	 * tail of it goes with an error verdict instead of onto the terminal. */
	int output = memfd_create("nc-output", MFD_CLOEXEC);
	/* The host's files and kernel settings are out of the body's reach,
	 * root or not (lib/world/confine.h). */
	err = nc_confine_prepare();
	worker = err < 0 ? err : nc_confine_fork(&confined);
	if (worker == 0 && confined < 0) {
		nc_record_text(NC_RECORD_ERROR, nc_error_text(confined, message, sizeof(message)));
		_exit(1);
	}
	if (worker < 0) {
		nc_record_text(NC_RECORD_ERROR, nc_error_text(worker, message, sizeof(message)));
		_exit(1);
	}
	if (worker == 0) {
		if (output >= 0) {
			dup2(output, STDOUT_FILENO);
			dup2(output, STDERR_FILENO);
		}
		worker_main(test, memfd, opt);
	}
	while (waitpid(worker, &status, 0) < 0)
		if (errno != EINTR)
			_exit(1);
	record_end(status);
	if (output >= 0)
		record_output_tail(output);
	_exit(0);
}

/* SIGINT and SIGTERM stop the run (see nc_execute()); a check's own
 * processes get the signal dispositions and mask the run started with. */
static volatile sig_atomic_t stop_signal;
static sigset_t start_mask;

static void on_stop_signal(int signo)
{
	stop_signal = signo;
}

/* First thing of a run: a signal before the checks start is a run
 * interrupted with every check not run (reports and all), not a death
 * without them.  SA_RESTART: the reading and parsing before go on. */
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

static void restore_signals(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigprocmask(SIG_SETMASK, &start_mask, NULL);
}

static int slot_start(struct slot *slot, struct nc_test *test, size_t index,
		      const struct nc_run_options *opt)
{
	unsigned deadline_ms = test->check->deadline_ms ? test->check->deadline_ms
							: opt->timeout_s * 1000;

	memset(slot, 0, sizeof(*slot));
	slot->test = test;
	slot->index = index;
	slot->memfd = memfd_create("nc-result", MFD_CLOEXEC);
	if (slot->memfd < 0)
		return -errno;
	fflush(NULL);
	slot->pid = nc_sandbox_fork(&slot->exit_fd);
	if (slot->pid < 0) {
		close(slot->memfd);
		return slot->pid;
	}
	if (slot->pid == 0) {
		/* A process group of its own: Ctrl-C (SIGINT to the terminal's
		 * group) reaches the runner, which ends the check as interrupted,
		 * not the check's processes, which would end it as an error. */
		setpgid(0, 0);
		restore_signals();
		child_main(test, slot->memfd, opt);
	}
	slot->started = nc_now_s();
	slot->pressure_us = nc_cpu_pressure_us();
	/* The body's namespaces are made inside the check's time (50 ms median,
	 * up to 0.4 s seen with 50 runnable processes on 2 cores): not the
	 * check's own time, so not counted against its deadline. */
	slot->deadline = slot->started + CONFINE_ALLOWANCE_S +
			 deadline_ms * opt->deadline_scale / 1000.0;
	return 0;
}

static char *read_memfd(int fd)
{
	off_t size = lseek(fd, 0, SEEK_END);
	char *text;

	if (size < 0)
		size = 0;
	text = malloc((size_t)size + 1);
	if (!text)
		abort();
	ssize_t n = size ? pread(fd, text, (size_t)size, 0) : 0;
	text[n > 0 ? n : 0] = '\0';
	return text;
}

static char *dup_or_null(const char *s)
{
	char *copy;

	if (!s)
		return NULL;
	copy = strdup(s);
	if (!copy)
		abort();
	return copy;
}

/* A check that ran out of time while something waited for a CPU most of
 * that time (PSI's "some") tells no finding: the message names the load. */
#define OVERLOADED_SHARE 0.5
/* A deadline counts the time the machine could run the check: at the
 * deadline, the time tasks waited for a CPU since the check started is
 * granted again, up to this many times the deadline. */
#define MOST_STRETCH 3

/* The seconds in which some task waited for a CPU since slot started;
 * 0 without PSI. */
static double stalled_s(const struct slot *slot)
{
	long long now_us = nc_cpu_pressure_us();

	return slot->pressure_us >= 0 && now_us > slot->pressure_us
	       ? (double)(now_us - slot->pressure_us) / 1e6 : 0;
}

/* slot's deadline, reached: true when it was moved on for the load. */
static bool deadline_stretched(struct slot *slot)
{
	double stalled = stalled_s(slot);
	double base = (slot->deadline - slot->started) - slot->granted_s;

	if (stalled <= slot->granted_s + 0.01 || slot->granted_s >= MOST_STRETCH * base)
		return false;
	if (stalled > MOST_STRETCH * base)
		stalled = MOST_STRETCH * base;
	slot->deadline += stalled - slot->granted_s;
	slot->granted_s = stalled;
	return true;
}

static void timed_out_message(const struct slot *slot, char *message, size_t size)
{
	double seconds = slot->deadline - slot->started - CONFINE_ALLOWANCE_S;
	double share = stalled_s(slot) / (nc_now_s() - slot->started);

	if (share >= OVERLOADED_SHARE)
		snprintf(message, size, "timed out after %.0f s: too loaded to judge (tasks waited "
			 "for a CPU %.0f%% of that time, /proc/pressure/cpu)", seconds, share * 100);
	else
		snprintf(message, size, "timed out after %.0f s", seconds);
}

static void slot_finish(struct slot *slot, const struct nc_run_options *opt,
			const struct nc_expectations *exp, struct nc_result *result)
{
	const struct nc_check *check = slot->test->check;
	struct nc_records rec = { 0 };
	char message[256];
	char *text;
	int status;

	while (waitpid(slot->pid, &status, 0) < 0 && errno == EINTR)
		;
	close(slot->exit_fd);
	text = read_memfd(slot->memfd);
	close(slot->memfd);

	result->id = dup_or_null(slot->test->id);
	result->area = dup_or_null(slot->test->area);
	result->summary = dup_or_null(check->summary);
	result->beyond = dup_or_null(check->beyond);
	result->file = dup_or_null(slot->test->file);
	result->line = slot->test->line;
	for (const char *const *c = check->clauses; c && *c; c++)
		result->n_clauses++;
	result->clauses = calloc(result->n_clauses + 1, sizeof(char *));
	if (!result->clauses)
		abort();
	for (size_t i = 0; i < result->n_clauses; i++)
		result->clauses[i] = dup_or_null(check->clauses[i]);
	result->seconds = nc_now_s() - slot->started;
	nc_records_parse(text, &rec, result);

	if (slot->timed_out) {
		timed_out_message(slot, message, sizeof(message));
		result->timed_out = true;
		result->outcome = NC_ERROR;
		result->message = dup_or_null(message);
	} else if (rec.skip) {
		result->outcome = NC_SKIP;
		result->message = dup_or_null(rec.skip);
	} else if (rec.error) {
		result->outcome = NC_ERROR;
		result->message = dup_or_null(rec.error);
	} else if (rec.failures) {
		result->outcome = NC_FAIL;
		result->message = dup_or_null(rec.failures);
	} else if (rec.done && rec.asserted != rec.done_assertions) {
		snprintf(message, sizeof(message), "%u assertions made, %u recorded",
			 rec.done_assertions, rec.asserted);
		result->outcome = NC_ERROR;
		result->message = dup_or_null(message);
	} else if (rec.done && rec.asserted == 0) {
		result->outcome = NC_ERROR;
		result->message = dup_or_null("asserted nothing");
	} else if (rec.done) {
		result->outcome = NC_PASS;
	} else {
		snprintf(message, sizeof(message), "ended without a result (%s)",
			 rec.exit ? rec.exit :
			 WIFSIGNALED(status) ? "its namespace was killed" : "no records");
		result->outcome = NC_ERROR;
		result->message = dup_or_null(message);
	}
	if (rec.output && (result->outcome == NC_ERROR || result->outcome == NC_FAIL)) {
		size_t len = strlen(result->message);

		nc_append_line(&result->message, &len, "output (tail):");
		nc_append_line(&result->message, &len, rec.output);
	}
	nc_records_judge(&rec, nc_expectations_find(exp, slot->test->id), result);
	nc_records_free(&rec);
	free(text);
	(void)opt;
}

/* A check still running after this long is waiting on the kernel's timers
 * (a SYN's 1 s retransmission, a resolver's timeout), not working: it makes
 * room for another, up to SLEEPERS_PER_JOB times --jobs alive at once. */
#define SETTLED_S 0.25
#define SLEEPERS_PER_JOB 4

/* The checks started less than SETTLED_S ago; *wake_s is lowered to when
 * the next of them settles. */
static unsigned working(const struct slot *slots, unsigned n_slots, double now, double *wake_s)
{
	unsigned count = 0;

	for (unsigned j = 0; j < n_slots; j++) {
		double settles = slots[j].started + SETTLED_S - now;

		if (!slots[j].test || settles <= 0)
			continue;
		count++;
		if (settles < *wake_s)
			*wake_s = settles;
	}
	return count;
}

static void kill_slot(struct slot *slot)
{
	nc_sandbox_kill(slot->pid, slot->exit_fd);
	while (waitpid(slot->pid, NULL, 0) < 0 && errno == EINTR)
		;
	close(slot->exit_fd);
	close(slot->memfd);
	slot->test = NULL;
}

/* SIGINT or SIGTERM: no check is started after it, the running ones are
 * killed, and run gets the results of those that finished (the others'
 * places there hold a result without id), with run->interrupted and
 * run->n_not_run saying so.  The two signals stay blocked when this
 * returns: the caller writes the reports, then exits. */
int nc_execute(struct nc_test *const *tests, size_t n,
	       const struct nc_run_options *opt,
	       const struct nc_expectations *exp, struct nc_run *run)
{
	unsigned jobs = opt->jobs ? opt->jobs : 1;
	/* --jobs 1 is one check at a time, strictly */
	unsigned n_slots = jobs == 1 ? 1 : jobs * SLEEPERS_PER_JOB;
	struct slot *slots = calloc(n_slots, sizeof(*slots));
	struct pollfd *fds = calloc(n_slots, sizeof(*fds));
	struct nc_result *results = calloc(n ? n : 1, sizeof(*results));
	size_t *order = calloc(n ? n : 1, sizeof(*order));
	struct nc_progress *progress = nc_progress_new(n, opt->progress_tty);
	struct sigaction on_stop = { .sa_handler = on_stop_signal };
	sigset_t stops, waiting_mask;
	size_t next = 0, done = 0, running = 0;
	bool enough = false;	/* on_result said stop (--maxfail) */
	int err = 0;

	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	sigprocmask(SIG_BLOCK, &stops, &start_mask);
	sigaction(SIGINT, &on_stop, NULL);
	sigaction(SIGTERM, &on_stop, NULL);
	/* Delivered only inside ppoll(): no signal slips in before a wait. */
	waiting_mask = start_mask;
	sigdelset(&waiting_mask, SIGINT);
	sigdelset(&waiting_mask, SIGTERM);
	if (!slots || !fds || !results || !order || !progress) {
		err = -ENOMEM;
		goto out;
	}
	if (opt->expected_s)
		nc_schedule_order(opt->expected_s, n, order);
	else
		for (size_t i = 0; i < n; i++)
			order[i] = i;
	/* every timing bound and wait of the checks, musl bodies too */
	err = nc_time_scale_set(opt->deadline_scale);
	if (err < 0)
		goto out;
	while (done < n && !stop_signal && !enough) {
		double now, wait_s = 3600;
		struct timespec timeout;
		int ready;

		while (running < n_slots && next < n && !err &&
		       working(slots, n_slots, nc_now_s(), &wait_s) < jobs) {
			for (unsigned j = 0; j < n_slots; j++) {
				if (slots[j].test)
					continue;
				nc_progress_start(progress, tests[order[next]]->id);
				err = slot_start(&slots[j], tests[order[next]], order[next], opt);
				if (err < 0)
					goto out;
				next++;
				running++;
				break;
			}
		}
		now = nc_now_s();
		if (next < n)
			working(slots, n_slots, now, &wait_s);
		for (unsigned j = 0; j < n_slots; j++) {
			fds[j].fd = slots[j].test ? slots[j].exit_fd : -1;
			fds[j].events = POLLIN;
			fds[j].revents = 0;
			if (slots[j].test && !slots[j].timed_out && slots[j].deadline - now < wait_s)
				wait_s = slots[j].deadline - now;
		}
		if (wait_s < 0)
			wait_s = 0;
		wait_s += 0.001;
		timeout.tv_sec = (time_t)wait_s;
		timeout.tv_nsec = (long)((wait_s - (double)timeout.tv_sec) * 1e9);
		ready = ppoll(fds, n_slots, &timeout, &waiting_mask);
		if (ready < 0 && errno != EINTR) {
			err = -errno;
			goto out;
		}
		if (stop_signal)
			break;
		now = nc_now_s();
		for (unsigned j = 0; j < n_slots; j++) {
			struct slot *slot = &slots[j];

			if (!slot->test)
				continue;
			if (fds[j].revents & (POLLIN | POLLHUP)) {
				slot_finish(slot, opt, exp, &results[slot->index]);
				nc_progress_done(progress, &results[slot->index]);
				if (opt->on_result)
					enough |= opt->on_result(opt->ctx, slot->index,
								 &results[slot->index]);
				slot->test = NULL;
				running--;
				done++;
			} else if (!slot->timed_out && now >= slot->deadline &&
				   !deadline_stretched(slot)) {
				/* pid 1 dies, and with it every process of the check. */
				nc_sandbox_kill(slot->pid, slot->exit_fd);
				slot->timed_out = true;
			}
		}
	}
out:
	for (unsigned j = 0; slots && j < n_slots; j++)
		if (slots[j].test)
			kill_slot(&slots[j]);
	if (results && !err) {
		for (size_t i = 0; i < n; i++)
			*nc_run_add_result(run) = results[i];
		run->interrupted = stop_signal;
		run->n_not_run = n - done;
	}
	free(results);
	free(order);
	free(slots);
	free(fds);
	if (progress)
		nc_progress_free(progress);
	return err;
}
