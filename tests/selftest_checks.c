/* Test-only checks for the runner's own tests (tests/t_runner.sh): each
 * behaves in one way a real check might, good or bad.  Built into
 * build/netconform-selftest instead of suite/. */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"

#define SELFTEST_CLAUSE NC_CLAUSES("socket-1")

static void passes(const struct nc_case_ctx *ctx)
{
	(void)ctx;
	nc_observe("answer", "%d", 42);
	NC_EXPECT_INT("answer", 42, 42);
}

static void fails(const struct nc_case_ctx *ctx)
{
	int answer = 41;

	(void)ctx;
	nc_expect("answer", "42");
	nc_observe("answer", "%d", answer);
	NC_EXPECT_INT("answer", answer, 42);
}

static void skips(const struct nc_case_ctx *ctx)
{
	(void)ctx;
	nc_skip("no such capability on this machine: selftest");
}

static void hangs(const struct nc_case_ctx *ctx)
{
	(void)ctx;
	for (;;)
		pause();
}

static void crashes(const struct nc_case_ctx *ctx)
{
	(void)ctx;
	raise(SIGSEGV);
}

/* A grandchild in its own session must die with the check all the same. */
static void leaves_daemon(const struct nc_case_ctx *ctx)
{
	(void)ctx;
	if (fork() == 0) {
		setsid();
		for (;;)
			pause();
	}
	NC_EXPECT_INT("answer", 42, 42);
}

static void orphan_hangs(const struct nc_case_ctx *ctx)
{
	if (fork() == 0) {
		setsid();
		for (;;)
			pause();
	}
	hangs(ctx);
}

/* For an interrupted run (tests/t_reports.sh): says on the FIFO named by
 * NC_SELFTEST_RUNNING that it runs, then waits to be ended.  Without that
 * variable it passes. */
static void interruptible(const struct nc_case_ctx *ctx)
{
	const char *fifo = getenv("NC_SELFTEST_RUNNING");
	int fd;

	if (!fifo) {
		passes(ctx);
		return;
	}
	fd = open(fifo, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "running\n", 8) < 0)
			_exit(1);
		close(fd);
	}
	for (;;)
		pause();
}

static const struct table_case {
	const char *name;
	int answer;
} table_cases[] = {
	{ "one", 42 },
	{ "two", 41 },
};

static void table(const struct nc_case_ctx *ctx)
{
	const struct table_case *c = ctx->data;

	NC_EXPECT_INT("answer", c->answer, 42);
}

NC_CHECK(passes) = { .id = "selftest.passes", .summary = "passes",
	.clauses = SELFTEST_CLAUSE, .run = passes };
NC_CHECK(fails) = { .id = "selftest.fails", .summary = "fails",
	.clauses = SELFTEST_CLAUSE, .run = fails };
NC_CHECK(expected_failure) = { .id = "selftest.expected_failure",
	.summary = "fails, as the expectation file says", .clauses = SELFTEST_CLAUSE, .run = fails };
NC_CHECK(expected_but_passes) = { .id = "selftest.expected_but_passes",
	.summary = "passes, though expected to fail", .clauses = SELFTEST_CLAUSE, .run = passes };
NC_CHECK(skips) = { .id = "selftest.skips", .summary = "skips",
	.clauses = SELFTEST_CLAUSE, .run = skips };
NC_CHECK(hangs) = { .id = "selftest.hangs", .summary = "hangs",
	.clauses = SELFTEST_CLAUSE, .run = hangs, .deadline_ms = 1000 };
NC_CHECK(crashes) = { .id = "selftest.crashes", .summary = "crashes",
	.clauses = SELFTEST_CLAUSE, .run = crashes };
NC_CHECK(leaves_daemon) = { .id = "selftest.leaves_daemon",
	.summary = "passes, leaving a daemon in its own session", .clauses = SELFTEST_CLAUSE,
	.run = leaves_daemon };
NC_CHECK(orphan_hangs) = { .id = "selftest.orphan_hangs",
	.summary = "hangs with a daemon in its own session", .clauses = SELFTEST_CLAUSE,
	.run = orphan_hangs, .deadline_ms = 1000 };
NC_CHECK(interruptible) = { .id = "selftest.interruptible",
	.summary = "waits to be interrupted, when a test says so", .clauses = SELFTEST_CLAUSE,
	.run = interruptible };
NC_CHECK(table) = { .id = "selftest.table", .summary = "a table of cases",
	.clauses = SELFTEST_CLAUSE, NC_CASES(table_cases), .run = table };
