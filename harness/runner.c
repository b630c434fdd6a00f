/* The executor: each test in its own forked child, in fresh pid, network and
 * mount namespaces, up to --jobs at a time, each with a deadline after which
 * its whole pid namespace is killed.  The child writes records (lib/check.c)
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

#include "capture.h"	/* issue 7 */
#include "clock.h"
#include "harness.h"
#include "net.h"
#include "sandbox.h"
#include "scenario.h"

void nc_registry_set_current(const struct nc_case_ctx *ctx);

struct slot {
	struct nc_test *test;
	size_t index;
	pid_t pid;
	int pidfd;
	int memfd;
	double started;
	double deadline;
	bool timed_out;
};

static void __attribute__((noreturn)) worker_main(struct nc_test *test)
{
	struct nc_case_ctx ctx = {
		.check = test->check, .data = test->row, .case_name = test->case_name,
	};
	char line[4096];

	if (test->scenario) {
		const char *missing = NULL;
		int err = nc_net_build(test->scenario, &ctx.net, &missing);

		if (err == -EOPNOTSUPP)
			nc_skip("scenario %s needs %s, which this kernel lacks",
				test->check->scenario, missing ? missing : "a feature");
		if (err < 0) {
			snprintf(line, sizeof(line), "scenario %s: cannot build: %s",
				 test->check->scenario, strerror(-err));
			nc_record("error", "", line);
			_exit(3);
		}
	}
	nc_registry_set_current(&ctx);
	/* issue 7: the packets of TCP-state and connection-error checks, for the ladder diagrams */
	struct nc_capture *capture = NULL;
	if (nc_capture_wanted(test->area) && nc_capture_start(ctx.net, &capture) < 0)
		capture = NULL;
	CU_run_test(test->cu_suite, test->cu_test);
	if (capture)
		nc_capture_stop_and_record(capture);
	for (CU_pFailureRecord f = CU_get_failure_list(); f; f = f->pNext) {
		snprintf(line, sizeof(line), "%s:%u: %s", f->strFileName ? f->strFileName : "?",
			 f->uiLineNumber, f->strCondition ? f->strCondition : "");
		nc_record("failure", "", line);
	}
	nc_record("done", "", "");
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
	nc_record("output", "", tail);
}

/* pid 1 of the test's pid namespace: runs the worker, reports how it ended. */
static void __attribute__((noreturn)) child_main(struct nc_test *test, int memfd)
{
	char text[128];
	pid_t worker;
	int status;

	nc_result_open(memfd);
	/* What the check prints (an ASan report, a libc message) is kept: the
	 * tail of it goes with an error verdict instead of onto the terminal. */
	int output = memfd_create("nc-output", MFD_CLOEXEC);
	worker = fork();
	if (worker < 0) {
		nc_record("error", "", "fork failed");
		_exit(1);
	}
	if (worker == 0) {
		if (output >= 0) {
			dup2(output, STDOUT_FILENO);
			dup2(output, STDERR_FILENO);
		}
		worker_main(test);
	}
	while (waitpid(worker, &status, 0) < 0)
		if (errno != EINTR)
			_exit(1);
	if (WIFSIGNALED(status)) {
		snprintf(text, sizeof(text), "killed by signal %d (SIG%s)", WTERMSIG(status),
			 sigabbrev_np(WTERMSIG(status)) ? sigabbrev_np(WTERMSIG(status)) : "?");
		nc_record("error", "", text);
	} else if (WEXITSTATUS(status) != 0) {
		snprintf(text, sizeof(text), "exited with status %d", WEXITSTATUS(status));
		nc_record("exit", "", text);
	}
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
	slot->pid = nc_sandbox_fork(&slot->pidfd);
	if (slot->pid < 0) {
		close(slot->memfd);
		return slot->pid;
	}
	if (slot->pid == 0) {
		restore_signals();
		child_main(test, slot->memfd);
	}
	slot->started = nc_now_s();
	slot->deadline = slot->started + deadline_ms * opt->deadline_scale / 1000.0;
	return 0;
}

/* "kind \t key \t value" lines; the escapes are lib/check.c's. */
static void unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			*out++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

struct records {
	bool done;
	char *skip;
	char *error;
	char *exit;
	char *output;
	char *failures;
	size_t failures_len;
};

static void set_kv(struct nc_kv **list, size_t *n, const char *key, const char *value)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*list)[i].key, key) == 0) {
			char *copy = strdup(value);

			if (!copy)
				abort();
			free((*list)[i].value);
			(*list)[i].value = copy;	/* the last one observed counts */
			return;
		}
	nc_kv_add(list, n, key, value);
}

static void append_line(char **text, size_t *len, const char *line)
{
	size_t add = strlen(line);
	char *grown = realloc(*text, *len + add + 2);

	if (!grown)
		abort();
	if (*len)
		grown[(*len)++] = '\n';
	memcpy(grown + *len, line, add + 1);
	*len += add;
	*text = grown;
}

static void records_parse(char *text, struct records *rec, struct nc_result *result)
{
	char *line;

	while ((line = strsep(&text, "\n")) != NULL) {
		char *kind = strsep(&line, "\t");
		char *key = line ? strsep(&line, "\t") : NULL;
		char *value = line;

		if (!kind || !key || !value)
			continue;	/* a torn last line of a killed check */
		unescape(key);
		unescape(value);
		if (strcmp(kind, "observed") == 0)
			set_kv(&result->observed, &result->n_observed, key, value);
		else if (strcmp(kind, "expected") == 0)
			set_kv(&result->expected, &result->n_expected, key, value);
		else if (strcmp(kind, "failure") == 0)
			append_line(&rec->failures, &rec->failures_len, value);
		else if (strcmp(kind, "skip") == 0 && !rec->skip)
			rec->skip = strdup(value);
		else if (strcmp(kind, "error") == 0 && !rec->error)
			rec->error = strdup(value);
		else if (strcmp(kind, "exit") == 0 && !rec->exit)
			rec->exit = strdup(value);
		else if (strcmp(kind, "output") == 0 && !rec->output)
			rec->output = strdup(value);
		else if (strcmp(kind, "done") == 0)
			rec->done = true;
		else if (strcmp(kind, "packet") == 0)	/* issue 7: lib/capture.c */
			nc_result_add_packet_record(result, value);
	}
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

static void slot_finish(struct slot *slot, const struct nc_run_options *opt,
			const struct nc_expectations *exp, struct nc_result *result)
{
	const struct nc_check *check = slot->test->check;
	struct records rec = { 0 };
	char message[256];
	const char *reason;
	char *text;
	int status;

	while (waitpid(slot->pid, &status, 0) < 0 && errno == EINTR)
		;
	close(slot->pidfd);
	text = read_memfd(slot->memfd);
	close(slot->memfd);

	result->id = dup_or_null(slot->test->id);
	result->area = dup_or_null(slot->test->area);
	result->summary = dup_or_null(check->summary);
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
	records_parse(text, &rec, result);
	free(text);

	if (slot->timed_out) {
		snprintf(message, sizeof(message), "timed out after %.0f s",
			 (slot->deadline - slot->started));
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

		append_line(&result->message, &len, "output (tail):");
		append_line(&result->message, &len, rec.output);
	}
	reason = nc_expectations_reason(exp, slot->test->id);
	result->verdict = nc_verdict_of(result->outcome, reason != NULL);
	if (reason && result->verdict != result->outcome)
		result->reason = dup_or_null(reason);
	free(rec.skip);
	free(rec.error);
	free(rec.exit);
	free(rec.output);
	free(rec.failures);
	(void)opt;
}

static void kill_slot(struct slot *slot)
{
	syscall(SYS_pidfd_send_signal, slot->pidfd, SIGKILL, NULL, 0);
	while (waitpid(slot->pid, NULL, 0) < 0 && errno == EINTR)
		;
	close(slot->pidfd);
	close(slot->memfd);
	slot->test = NULL;
}

/* SIGINT or SIGTERM: no check is started after it, the running ones are
 * killed, and run gets the results of those that finished, with
 * run->interrupted and run->n_not_run saying so.  The two signals stay
 * blocked when this returns: the caller writes the reports, then exits. */
int nc_execute(struct nc_test *const *tests, size_t n,
	       const struct nc_run_options *opt,
	       const struct nc_expectations *exp, struct nc_run *run)
{
	unsigned jobs = opt->jobs ? opt->jobs : 1;
	struct slot *slots = calloc(jobs, sizeof(*slots));
	struct pollfd *fds = calloc(jobs, sizeof(*fds));
	struct nc_result *results = calloc(n ? n : 1, sizeof(*results));
	struct nc_progress *progress = nc_progress_new(n, opt->progress_tty);
	struct sigaction on_stop = { .sa_handler = on_stop_signal };
	sigset_t stops, waiting_mask;
	size_t next = 0, done = 0, running = 0;
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
	if (!slots || !fds || !results || !progress) {
		err = -ENOMEM;
		goto out;
	}
	while (done < n && !stop_signal) {
		double now, wait_s = 3600;
		struct timespec timeout;
		int ready;

		while (running < jobs && next < n && !err) {
			for (unsigned j = 0; j < jobs; j++) {
				if (slots[j].test)
					continue;
				nc_progress_start(progress, tests[next]->id);
				err = slot_start(&slots[j], tests[next], next, opt);
				if (err < 0)
					goto out;
				next++;
				running++;
				break;
			}
		}
		now = nc_now_s();
		for (unsigned j = 0; j < jobs; j++) {
			fds[j].fd = slots[j].test ? slots[j].pidfd : -1;
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
		ready = ppoll(fds, jobs, &timeout, &waiting_mask);
		if (ready < 0 && errno != EINTR) {
			err = -errno;
			goto out;
		}
		if (stop_signal)
			break;
		now = nc_now_s();
		for (unsigned j = 0; j < jobs; j++) {
			struct slot *slot = &slots[j];

			if (!slot->test)
				continue;
			if (fds[j].revents & (POLLIN | POLLHUP)) {
				slot_finish(slot, opt, exp, &results[slot->index]);
				nc_progress_done(progress, &results[slot->index]);
				slot->test = NULL;
				running--;
				done++;
			} else if (!slot->timed_out && now >= slot->deadline) {
				/* pid 1 dies, and with it every process of the check. */
				syscall(SYS_pidfd_send_signal, slot->pidfd, SIGKILL, NULL, 0);
				slot->timed_out = true;
			}
		}
	}
out:
	for (unsigned j = 0; slots && j < jobs; j++)
		if (slots[j].test)
			kill_slot(&slots[j]);
	if (results && !err) {
		for (size_t i = 0; i < n; i++)
			if (results[i].id)
				*nc_run_add_result(run) = results[i];
		run->interrupted = stop_signal;
		run->n_not_run = n - done;
	}
	free(results);
	free(slots);
	free(fds);
	if (progress)
		nc_progress_free(progress);
	return err;
}
