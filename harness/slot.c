/* A running test's slot (slot.h): started with a deadline, which is
 * stretched for the time tasks waited for a CPU, and finished by reading
 * the records its child left, whatever way it went, into the facts its
 * verdict is made of (verdict.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "clock.h"
#include "confine.h"
#include "error.h"
#include "expect.h"
#include "record.h"
#include "records.h"
#include "registry.h"
#include "results.h"
#include "runner.h"
#include "sandbox.h"
#include "sched_delay.h"
#include "slot.h"
#include "verdict.h"
#include "zygote.h"

/* The body's namespaces are made inside the check's time (50 ms median,
 * up to 0.4 s seen with 50 runnable processes on 2 cores): not the check's
 * own time, so not counted against its deadline. */
#define CONFINE_ALLOWANCE_S 1.0
/* A deadline counts the time the machine could run the check: at the
 * deadline, the time tasks waited for a CPU since the check started is
 * granted again, up to this many times the deadline. */
#define MOST_STRETCH 3

/* Each end of a pipe, or both -1. */
static int pipe_or_none(int ends[2])
{
	if (pipe2(ends, O_CLOEXEC) == 0)
		return 0;
	ends[0] = ends[1] = -1;
	return -errno;
}

static void close_all(const int *fds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

void nc_slot_map(struct nc_slot *slot)
{
	char message[512];
	int err = nc_confine_map(slot->ready_fd, slot->go_fd);

	close_all((int[]){ slot->ready_fd, slot->go_fd }, 2);
	slot->ready_fd = slot->go_fd = -1;
	/* none said (-EPIPE): the check's process is gone, its records say why */
	if (err == 0 || err == -EPIPE)
		return;
	/* what went wrong is the check's error record */
	nc_record_open(slot->memfd);
	nc_record_text(NC_RECORD_ERROR, nc_error_text(err, message, sizeof(message)));
	nc_record_open(-1);
	nc_sandbox_kill(slot->pid, slot->exit_fd);
}

int nc_slot_start(struct nc_slot *slot, struct nc_zygote *zygote, struct nc_test *test,
		  size_t index, const struct nc_run_options *opt)
{
	unsigned deadline_ms = test->check->deadline_ms ? test->check->deadline_ms
							: opt->timeout_s * 1000;
	int ready[2] = { -1, -1 }, go[2] = { -1, -1 }, err;

	memset(slot, 0, sizeof(*slot));
	slot->ready_fd = slot->go_fd = -1;
	slot->test = test;
	slot->index = index;
	slot->memfd = memfd_create("nc-result", MFD_CLOEXEC);
	err = slot->memfd < 0 ? -errno : 0;
	if (!err)
		err = pipe_or_none(ready);
	if (!err)
		err = pipe_or_none(go);
	if (err < 0) {
		close_all((int[]){ slot->memfd, ready[0], ready[1] }, 3);
		return err;
	}
	slot->pid = nc_zygote_fork(zygote, index, &(struct nc_child_fds){
		.records = slot->memfd, .ready = ready[1], .go = go[0] }, &slot->exit_fd);
	close_all((int[]){ ready[1], go[0] }, 2);
	if (slot->pid < 0) {
		close_all((int[]){ slot->memfd, ready[0], go[1] }, 3);
		return slot->pid;
	}
	slot->started = nc_now_s();
	slot->pressure_us = nc_cpu_pressure_us();
	slot->allowed_s = CONFINE_ALLOWANCE_S + deadline_ms * opt->deadline_scale / 1000.0;
	slot->deadline = slot->started + slot->allowed_s;
	slot->ready_fd = ready[0];
	slot->go_fd = go[1];
	return 0;
}

/* The seconds in which some task waited for a CPU since slot started;
 * 0 without PSI. */
static double stalled_s(const struct nc_slot *slot)
{
	long long now_us = nc_cpu_pressure_us();

	return slot->pressure_us >= 0 && now_us > slot->pressure_us
	       ? (double)(now_us - slot->pressure_us) / 1e6 : 0;
}

/* The stretch is the stall, capped, from the deadline as it started: a
 * length worked out again from the stretched deadline could differ from it
 * by a rounding, and the cap move the deadline by that forever (a check
 * under load past its cap seen never killed, 20 minutes in a 1 ms loop). */
bool nc_deadline_stretch(double allowed_s, double stalled, double *granted_s)
{
	if (stalled > MOST_STRETCH * allowed_s)
		stalled = MOST_STRETCH * allowed_s;
	if (stalled <= *granted_s + 0.01)
		return false;
	*granted_s = stalled;
	return true;
}

bool nc_slot_deadline_stretched(struct nc_slot *slot)
{
	if (!nc_deadline_stretch(slot->allowed_s, stalled_s(slot), &slot->granted_s))
		return false;
	slot->deadline = slot->started + slot->allowed_s + slot->granted_s;
	return true;
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

void nc_slot_finish(struct nc_slot *slot, struct nc_zygote *zygote,
		    const struct nc_expectations *exp, struct nc_result *result)
{
	struct nc_records rec = { 0 };
	char *text;
	int status;

	nc_zygote_wait(zygote, slot->pid, &status);
	close_all((int[]){ slot->exit_fd, slot->ready_fd, slot->go_fd }, 3);
	/* how the check's process ended, and what it printed, go with its records */
	text = read_memfd(slot->memfd);
	close(slot->memfd);
	result->id = nc_copy_or_abort(slot->test->id);
	nc_test_describe(slot->test, result);
	result->seconds = nc_now_s() - slot->started;
	nc_records_parse(text, &rec, result);
	nc_verdict_apply(&(struct nc_facts){
		.timed_out = slot->timed_out,
		.deadline_s = slot->allowed_s + slot->granted_s - CONFINE_ALLOWANCE_S,
		.stalled_share = stalled_s(slot) / (nc_now_s() - slot->started),
		.killed = WIFSIGNALED(status),
		.rec = &rec,
		.observed = result->observed, .n_observed = result->n_observed,
		.expectation = nc_expectations_find(exp, slot->test->id),
	}, result);
	nc_records_free(&rec);
	free(text);
	slot->test = NULL;
}

void nc_slot_kill(struct nc_slot *slot, struct nc_zygote *zygote)
{
	nc_sandbox_kill(slot->pid, slot->exit_fd);
	nc_zygote_wait(zygote, slot->pid, NULL);
	close_all((int[]){ slot->exit_fd, slot->ready_fd, slot->go_fd, slot->memfd }, 4);
	slot->test = NULL;
}
