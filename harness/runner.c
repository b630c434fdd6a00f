/* The executor (runner.h): up to --jobs tests at a time, each in a slot
 * (slot.h) with a deadline after which its whole pid namespace is killed.
 * A test's child writes records (record.h) to a memfd that the slot reads
 * when it is gone, whatever way it went. */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>

#include "clock.h"
#include "progress.h"
#include "registry.h"
#include "runner.h"
#include "sandbox.h"
#include "sched_delay.h"
#include "schedule.h"
#include "slot.h"
#include "stop.h"
#include "zygote.h"

/* A check still running after this long is waiting on the kernel's timers
 * (a SYN's 1 s retransmission, a resolver's timeout), not working: it makes
 * room for another, up to SLEEPERS_PER_JOB times --jobs alive at once.
 * The long timers start first, so the first checks all wait: at 250 ms the
 * machine idled half of the run's first second (3.8-4.0 s a run at 100 ms,
 * 4.2-4.3 s at 250).  At 4 sleepers a job, the 32 slots all held sleepers
 * a second into the run and the machine idled 0.2 s. */
#define SETTLED_S 0.1
#define SLEEPERS_PER_JOB 8
/* While every check started is still settling, a CPU may idle: one is
 * started at once when the kernel counts fewer runnable tasks than CPUs,
 * looked at this often (the long timers start first and sleep at once:
 * settling alone idled a third of the run's first 0.3 s). */
#define IDLE_LOOK_S 0.005

/* The checks started less than SETTLED_S ago; *wake_s is lowered to when
 * the next of them settles. */
static unsigned working(const struct nc_slot *slots, unsigned n_slots, double now, double *wake_s)
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

static int usable_cpus(void)
{
	cpu_set_t mask;

	return sched_getaffinity(0, sizeof(mask), &mask) == 0 ? CPU_COUNT(&mask) : 1;
}

/* Some of the cpus has nothing to run. */
static bool cpus_idle(int cpus)
{
	int others = cpus ? nc_runnable_others() : -1;

	return others >= 0 && others < cpus;
}

/* SIGINT or SIGTERM: no check is started after it, the running ones are
 * killed, and run gets the results of those that finished. */
int nc_execute(struct nc_test *const *tests, size_t n,
	       const struct nc_run_options *opt,
	       const struct nc_expectations *exp, struct nc_run *run)
{
	unsigned jobs = opt->jobs ? opt->jobs : 1;
	/* --jobs 1 is one check at a time, strictly */
	unsigned n_slots = jobs == 1 ? 1 : jobs * SLEEPERS_PER_JOB;
	struct nc_slot *slots = calloc(n_slots, sizeof(*slots));
	/* each slot's exit_fd, then its ready_fd */
	struct pollfd *fds = calloc(2 * n_slots, sizeof(*fds));
	struct nc_result *results = calloc(n ? n : 1, sizeof(*results));
	size_t *order = calloc(n ? n : 1, sizeof(*order));
	struct nc_progress *progress = nc_progress_new(n, opt->progress_tty);
	sigset_t waiting_mask;
	struct nc_zygote zygote = { .sock = -1 };
	size_t next = 0, done = 0, running = 0;
	/* the CPUs a check may run on; none when the kernel does not say
	 * what is runnable */
	int cpus = nc_runnable_others() >= 0 ? usable_cpus() : 0;
	bool enough = false;	/* on_result said stop (--maxfail) */
	int err = 0;

	/* Delivered only inside ppoll(): no signal slips in before a wait. */
	nc_stop_block(&waiting_mask);
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
	/* what the checks are forked from: after everything they inherit */
	err = nc_zygote_start(&zygote, tests, n, opt);
	if (err < 0)
		goto out;
	while (done < n && !nc_stop_signal() && !enough) {
		double now, wait_s = 3600;
		struct timespec timeout;
		int ready;

		while (running < n_slots && next < n && !err &&
		       (working(slots, n_slots, nc_now_s(), &wait_s) < jobs ||
			(jobs > 1 && cpus_idle(cpus)))) {
			for (unsigned j = 0; j < n_slots; j++) {
				if (slots[j].test)
					continue;
				nc_progress_start(progress, tests[order[next]]->id);
				err = nc_slot_start(&slots[j], &zygote, tests[order[next]],
						    order[next], opt);
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
		if (next < n && running < n_slots && jobs > 1 && cpus && wait_s > IDLE_LOOK_S)
			wait_s = IDLE_LOOK_S;
		for (unsigned j = 0; j < n_slots; j++) {
			fds[j].fd = slots[j].test ? slots[j].exit_fd : -1;
			fds[n_slots + j].fd = slots[j].test ? slots[j].ready_fd : -1;
			fds[j].events = fds[n_slots + j].events = POLLIN;
			fds[j].revents = fds[n_slots + j].revents = 0;
			if (slots[j].test && !slots[j].timed_out && slots[j].deadline - now < wait_s)
				wait_s = slots[j].deadline - now;
		}
		if (wait_s < 0)
			wait_s = 0;
		wait_s += 0.001;
		timeout.tv_sec = (time_t)wait_s;
		timeout.tv_nsec = (long)((wait_s - (double)timeout.tv_sec) * 1e9);
		ready = ppoll(fds, 2 * n_slots, &timeout, &waiting_mask);
		if (ready < 0 && errno != EINTR) {
			err = -errno;
			goto out;
		}
		if (nc_stop_signal())
			break;
		now = nc_now_s();
		for (unsigned j = 0; j < n_slots; j++) {
			struct nc_slot *slot = &slots[j];

			if (!slot->test)
				continue;
			if (fds[n_slots + j].revents & (POLLIN | POLLHUP))
				nc_slot_map(slot);
			if (fds[j].revents & (POLLIN | POLLHUP)) {
				nc_slot_finish(slot, &zygote, exp, &results[slot->index]);
				nc_progress_done(progress, &results[slot->index]);
				if (opt->on_result)
					enough |= opt->on_result(opt->ctx, slot->index,
								 &results[slot->index]);
				running--;
				done++;
			} else if (!slot->timed_out && now >= slot->deadline &&
				   !nc_slot_deadline_stretched(slot)) {
				/* pid 1 dies, and with it every process of the check. */
				nc_sandbox_kill(slot->pid, slot->exit_fd);
				slot->timed_out = true;
			}
		}
	}
out:
	for (unsigned j = 0; slots && j < n_slots; j++)
		if (slots[j].test)
			nc_slot_kill(&slots[j], &zygote);
	nc_zygote_stop(&zygote);
	if (results && !err) {
		for (size_t i = 0; i < n; i++)
			*nc_run_add_result(run) = results[i];
		run->interrupted = nc_stop_signal();
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
