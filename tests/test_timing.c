/* The same verdict under load: timing bounds judged with the scheduling
 * delay taken out (lib/check/timing.h), range pins of a time
 * (harness/verdict.c; the overload error the runner makes of a failure
 * that rests on a bound is a row of its table, tests/test_verdict.c),
 * --deadline-scale in every bound (lib/base/clock.h), a deadline's
 * stretch for the load (harness/slot.c), and the start order, longest
 * first (harness/schedule.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "expect.h"
#include "records.h"
#include "registry.h"
#include "results.h"
#include "sched_delay.h"
#include "schedule.h"
#include "slot.h"
#include "timing.h"
#include "unit.h"
#include "verdict.h"

#define AT_ONCE(max_) { .max = (max_), .has_max = true }
#define BEFORE_TIMER(max_, timer_) { .max = (max_), .has_max = true, .timer_ms = (timer_) }
#define AT_TIMEOUT(min_, max_) { .min = (min_), .max = (max_), .has_min = true, .has_max = true }

static const struct judge_row {
	const char *name;
	struct nc_timing_bound bound;
	double scale;
	long wall_ms, delay_ms;
	enum nc_timing_verdict want;
} judge_rows[] = {
	{ "quiet, at once", AT_ONCE(500), 1, 12, 0, NC_TIMING_WITHIN },
	{ "quiet, at the timeout instead", AT_ONCE(500), 1, 1004, 0, NC_TIMING_OUTSIDE },
	{ "no schedstat: the wall clock alone", AT_ONCE(500), 1, 1004, -1, NC_TIMING_OUTSIDE },
	/* the getnameinfo.ni_nofqdn.dns: 542 ms, 120 of them waiting */
	{ "busy, the wait taken out", AT_ONCE(500), 1, 542, 120, NC_TIMING_WITHIN },
	{ "busy, a timer's second is no wait", AT_ONCE(500), 1, 1130, 130, NC_TIMING_OUTSIDE },
	/* the by_addr_fails.servfail: the server never ran in 1005 ms */
	{ "too busy to tell", AT_ONCE(500), 1, 1005, 990, NC_TIMING_OVERLOADED },
	{ "half the bound waiting is too much", AT_ONCE(500), 1, 260, 250, NC_TIMING_OVERLOADED },
	{ "just under half is judged", AT_ONCE(500), 1, 260, 249, NC_TIMING_WITHIN },
	{ "--deadline-scale stretches the upper bound", AT_ONCE(500), 2, 900, 0, NC_TIMING_WITHIN },
	{ "... and what is too much", AT_ONCE(500), 2, 900, 499, NC_TIMING_WITHIN },
	{ "a timer is never early: the wall clock for the lower bound",
	  AT_TIMEOUT(900, 1800), 1, 1039, 263, NC_TIMING_WITHIN },
	{ "early is early, whatever the wait", AT_TIMEOUT(900, 1800), 1, 850, 10,
	  NC_TIMING_OUTSIDE },
	{ "late less the wait is in time", AT_TIMEOUT(900, 1800), 1, 2100, 400, NC_TIMING_WITHIN },
	{ "the lower bound is not scaled", AT_TIMEOUT(900, 1800), 3, 850, 0, NC_TIMING_OUTSIDE },
	/* facts first: what the bound rules out is a 1 s timer, which no
	 * load makes fire early */
	{ "too busy, but before the timer: at once", BEFORE_TIMER(500, 1000), 1, 723, 723,
	  NC_TIMING_WITHIN },
	{ "too busy, and the timer could have fired", BEFORE_TIMER(500, 1000), 1, 1005, 990,
	  NC_TIMING_OVERLOADED },
	{ "not busy: the bound, not the timer", BEFORE_TIMER(500, 1000), 1, 600, 10,
	  NC_TIMING_OUTSIDE },
	/* a slow guest's scale stretches the bound up to the timer, not past it */
	{ "scaled up to the timer", BEFORE_TIMER(500, 1000), 6, 990, 0, NC_TIMING_WITHIN },
	{ "scaled, never past the timer it rules out", BEFORE_TIMER(500, 1000), 6, 1010, 0,
	  NC_TIMING_OUTSIDE },
	{ "past the timer, a little wait taken out", BEFORE_TIMER(500, 1000), 6, 1006, 17,
	  NC_TIMING_OUTSIDE },
	/* make mutate: a mutant's deliberate second beside a busy machine
	 * (878 ms of anyone's CPU stall, 4 of the check's): a finding */
	{ "busy machine, the check not slowed", AT_ONCE(200), 1, 1005, 4, NC_TIMING_OUTSIDE },
};

static void judge_takes_the_wait_out(void)
{
	for (size_t i = 0; i < sizeof(judge_rows) / sizeof(judge_rows[0]); i++) {
		const struct judge_row *row = &judge_rows[i];
		enum nc_timing_verdict got = nc_timing_judge(&row->bound, row->scale, row->wall_ms,
							     row->delay_ms);

		if (got != row->want)
			fprintf(stderr, "\n  %s: got %d, want %d\n", row->name, got, row->want);
		CU_ASSERT_EQUAL(got, row->want);
	}
}

static void scale_comes_from_the_environment(void)
{
	CU_ASSERT_EQUAL_FATAL(nc_time_scale_set(2.5), 0);
	CU_ASSERT_DOUBLE_EQUAL(nc_time_scale(), 2.5, 1e-9);
	CU_ASSERT_EQUAL(nc_scaled_ms(200), 500);
	setenv(NC_DEADLINE_SCALE_ENV, "nan", 1);
	CU_ASSERT_DOUBLE_EQUAL(nc_time_scale(), 1.0, 1e-9);
	setenv(NC_DEADLINE_SCALE_ENV, "0.5", 1);	/* never shrinks */
	CU_ASSERT_EQUAL(nc_scaled_ms(200), 200);
	unsetenv(NC_DEADLINE_SCALE_ENV);
	CU_ASSERT_EQUAL(nc_scaled_ms(200), 200);
}

/* Outside a check's pid namespace: this process, its wait only growing. */
static void run_queue_wait_is_read(void)
{
	struct nc_sched_tasks tasks;
	long long before, after;

	CU_ASSERT_EQUAL_FATAL(nc_sched_tasks_find(&tasks), 0);
	CU_ASSERT_EQUAL(tasks.n, 1);
	before = nc_sched_wait_ns(&tasks);
	if (before == -ENOTSUP)
		return;		/* a kernel without schedstat: "unknown", judged on the wall */
	CU_ASSERT_TRUE(before >= 0);
	after = nc_sched_wait_ns(&tasks);
	CU_ASSERT_TRUE(after >= before);
	CU_ASSERT_TRUE(nc_sched_wait_self_ns() >= before);
}

/* A pinned time range holds when [value, value + sched_delay_ms] meets it:
 * musl at the resolver's timeout, 2100 ms on the wall, 700 of them waiting. */
static void pinned_time_meets_the_wait(void)
{
	static const struct nc_pin pins[] = {
		{ .key = "elapsed_ms", .value = "900..1500", .range = true, .lo = 900, .hi = 1500 },
	};
	static const struct nc_expectation e = {
		.pattern = "hostent.h_errno.servfail", .pins = (struct nc_pin *)pins, .n_pins = 1,
		.reason = "at the timeout", .line = 1,
	};
	static const struct {
		const char *elapsed, *delay;
		enum nc_verdict want;
	} rows[] = {
		{ "1400", "700", NC_XFAIL },	/* wall 2100 */
		{ "600", "400", NC_XFAIL },	/* wall 1000: the wait overcounted */
		{ "600", "100", NC_FAIL },	/* wall 700: not at the timeout */
		{ "1600", "700", NC_FAIL },	/* late even less the wait */
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct nc_assertion failed = {
			.passed = false, .role = NC_ASSERT_EXPECT, .key = "elapsed_ms",
			.expected = "<= 500", .observed = rows[i].elapsed, .file = "c.c", .line = 1,
			.message = "elapsed_ms",
		};
		const struct nc_kv observed[] = {
			{ .key = "sched_delay_ms", .value = (char *)rows[i].delay },
		};
		const struct nc_records rec = {
			.failures = "c.c:1: elapsed_ms", .assertions = (struct nc_assertion *)&failed,
			.n_assertions = 1,
		};
		const struct nc_facts facts = {
			.rec = &rec, .observed = observed, .n_observed = 1, .expectation = &e,
		};
		struct nc_judgement j;

		nc_verdict_decide(&facts, &j);
		CU_ASSERT_EQUAL(j.verdict, rows[i].want);
		free(j.message);
	}
}

/* A deadline stretches by the time tasks waited for a CPU, up to 3 times
 * its length, and stands once there: from any stall, the second call
 * after the first says no (the stretch it replaces looped forever). */
static void deadline_stretch_ends(void)
{
	static const struct {
		double allowed, granted, stalled;
		bool stretched;
		double now_granted;
	} rows[] = {
		{ 2.0, 0.0, 0.005, false, 0.0 },	/* 10 ms or less: stands */
		{ 2.0, 0.0, 1.5, true, 1.5 },
		{ 2.0, 1.5, 1.505, false, 1.5 },
		{ 2.0, 1.5, 100, true, 6.0 },		/* capped */
		{ 2.0, 6.0, 100, false, 6.0 },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		double granted = rows[i].granted;

		CU_ASSERT_EQUAL(nc_deadline_stretch(rows[i].allowed, rows[i].stalled, &granted),
				rows[i].stretched);
		CU_ASSERT_DOUBLE_EQUAL(granted, rows[i].now_granted, 1e-9);
	}
	for (double allowed = 0.5; allowed < 40; allowed = allowed * 1.37 + 0.0013) {
		double granted = 0;

		CU_ASSERT_TRUE(nc_deadline_stretch(allowed, 1e6, &granted));
		CU_ASSERT_FALSE(nc_deadline_stretch(allowed, 1e6 + 1, &granted));
	}
}

static void longest_expected_starts_first(void)
{
	const double expected[] = { 0.01, 3.1, 0.2, 3.1, 1.0, 0.01 };
	const size_t want[] = { 1, 3, 4, 2, 0, 5 };
	size_t order[6];

	nc_schedule_order(expected, 6, order);
	for (size_t i = 0; i < 6; i++)
		CU_ASSERT_EQUAL(order[i], want[i]);
}

/* The key is the declared timer, not the deadline: a 3 s timeout that
 * declares a 6 s deadline goes ahead of a 1 s one that declares 8 s. */
static void declared_timer_is_the_key(void)
{
	const struct nc_check timeout = { .deadline_ms = 6000, .longest_timer_ms = 3000 };
	const struct nc_check retransmit = { .deadline_ms = 8000, .longest_timer_ms = 1000 };
	const struct nc_check none = { .deadline_ms = 12000 };
	struct nc_test tests[] = { { .check = &none }, { .check = &retransmit }, { .check = &timeout } };
	struct nc_test *plan[] = { &tests[0], &tests[1], &tests[2] };
	double expected[3];
	size_t order[3];

	nc_schedule_expected(plan, 3, expected);
	nc_schedule_order(expected, 3, order);
	CU_ASSERT_EQUAL(order[0], 2);
	CU_ASSERT_EQUAL(order[1], 1);
	CU_ASSERT_EQUAL(order[2], 0);
}

NC_UNIT_SUITE(timing,
	NC_UNIT_TEST(judge_takes_the_wait_out),
	NC_UNIT_TEST(scale_comes_from_the_environment),
	NC_UNIT_TEST(run_queue_wait_is_read),
	NC_UNIT_TEST(pinned_time_meets_the_wait),
	NC_UNIT_TEST(deadline_stretch_ends),
	NC_UNIT_TEST(longest_expected_starts_first),
	NC_UNIT_TEST(declared_timer_is_the_key));
