/* Test-only checks for the runner's own tests (tests/t_runner.sh): each
 * behaves in one way a real check might, good or bad.  Built into
 * build/netconform-selftest instead of suite/. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "check.h"

#define SELFTEST_CLAUSE NC_CLAUSES("socket-1")

static void passes(const struct nc_case_ctx *ctx)
{
	(void)ctx;
	NC_EXPECT_INT("answer", 42, 42);
}

static void fails(const struct nc_case_ctx *ctx)
{
	int answer = 41;

	(void)ctx;
	NC_EXPECT_INT("answer", answer, 42);
}

/* A known deviation whose value may drift: NC_SELFTEST_ANSWER (41 unless
 * set) stands for what the system answers today. */
static void drifts(const struct nc_case_ctx *ctx)
{
	const char *answer = getenv("NC_SELFTEST_ANSWER");

	(void)ctx;
	nc_observe("question", "%s", "six by nine");
	NC_EXPECT_INT("answer", answer ? atoi(answer) : 41, 42);
}

/* Two failures, of which the expectation file pins one. */
static void fails_twice(const struct nc_case_ctx *ctx)
{
	(void)ctx;
	NC_EXPECT_INT("answer", 41, 42);
	NC_EXPECT_INT("other", 1, 2);
}

/* Fails under a label worded otherwise than when its deviation was pinned:
 * the pin names the id, so it still holds (tests/t_runner.sh). */
static void fails_reworded(const struct nc_case_ctx *ctx)
{
	(void)ctx;
	NC_EXPECT_INT(NC_KEY(ultimate_answer, "the answer to six by nine, reworded"), 41, 42);
}

/* Declares a need: where it is missing, the body never runs (t_runner.sh
 * forces sock_diag missing). */
static void needs_sock_diag(const struct nc_case_ctx *ctx)
{
	(void)ctx;
	if (getenv("NC_FORCE_MISSING"))
		nc_fatal("the body ran though a need is missing");
	NC_EXPECT_INT("answer", 42, 42);
}

/* Only prints: a check that asserts nothing is an error, never a pass. */
static void asserts_nothing(const struct nc_case_ctx *ctx)
{
	(void)ctx;
	nc_observe("answer", "%d", 42);
}

static int add_address(void)
{
	return nc_error(-EEXIST, "address %s on %s", "198.18.0.1/24", "c");
}

/* A lib/ call failing in setup: its whole message reaches the report. */
static void setup_fails(const struct nc_case_ctx *ctx)
{
	(void)ctx;
	NC_ASSERT_OK(add_address());
	NC_EXPECT_INT(NC_KEY(never_reached, "never reached"), 0, 1);
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

/* A frame of 4 KiB a level, with no end: the stack runs out. */
static int descend(unsigned depth)
{
	volatile char frame[4096];

	frame[0] = (char)depth;
	if (depth == UINT_MAX)
		return 0;
	return descend(depth + 1) + frame[0];
}

/* The body's stack ends in a guard: an overflow is a SIGSEGV. */
static void overflows_stack(const struct nc_case_ctx *ctx)
{
	(void)ctx;
	descend(0);
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

/* What a check body must not be able to do to the host, root or not
 * (tests/t_confine.sh); NC_SELFTEST_HOST names a directory of the host's
 * holding open/ (mode 1777) and root-only/ (mode 0700, root's). */
enum escape_how { CREATE, CREATE_SETUID, READ, WRITE, MKNOD, REMOUNT_RW };

static const struct escape_case {
	const char *name;
	enum escape_how how;
	const char *path;	/* under NC_SELFTEST_HOST when relative */
} escape_cases[] = {
	{ "setuid_root_file", CREATE_SETUID, "open/nc-setuid" },
	{ "root_only_dir", CREATE, "root-only/nc-file" },
	{ "device_node", MKNOD, "open/nc-null" },
	{ "etc_shadow", READ, "/etc/shadow" },
	{ "core_pattern", WRITE, "/proc/sys/kernel/core_pattern" },
	{ "drop_caches", WRITE, "/proc/sys/vm/drop_caches" },
	{ "remount_rw", REMOUNT_RW, "/" },
};

/* 0 when the escape worked, -errno how it failed. */
static int try_escape(const struct escape_case *c, const char *path)
{
	int fd = -1;

	switch (c->how) {
	case CREATE:
	case CREATE_SETUID:
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
		if (fd >= 0 && c->how == CREATE_SETUID &&
		    (fchown(fd, 0, 0) < 0 || fchmod(fd, 04755) < 0)) {
			close(fd);
			return -errno;
		}
		break;
	case READ:
	case WRITE:
		fd = open(path, (c->how == READ ? O_RDONLY : O_WRONLY) | O_CLOEXEC);
		break;
	case MKNOD:
		return mknod(path, S_IFCHR | 0666, makedev(1, 3)) < 0 ? -errno : 0;
	case REMOUNT_RW:
		return mount(NULL, path, NULL, MS_REMOUNT | MS_BIND, NULL) < 0 ? -errno : 0;
	}
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static void escapes(const struct nc_case_ctx *ctx)
{
	const struct escape_case *c = ctx->data;
	const char *host = getenv("NC_SELFTEST_HOST");
	char path[4096];
	int err;

	if (c->path[0] != '/' && !host)
		nc_skip("NC_SELFTEST_HOST names no directory of the host's");
	snprintf(path, sizeof(path), "%s%s%s", c->path[0] == '/' ? "" : host,
		 c->path[0] == '/' ? "" : "/", c->path);
	err = try_escape(c, path);
	nc_observe("errno", "%s", err ? strerror(-err) : "none");
	NC_EXPECT_TRUE(err < 0, "%s: the check's body could do it (%s)", c->name, path);
	/* What a check needs stays: net.* of its own network namespace. */
	NC_EXPECT_TRUE(access("/proc/sys/net/ipv4/tcp_syn_retries", W_OK) == 0,
		       "net.ipv4.tcp_syn_retries is not writable: %s", strerror(errno));
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

NC_CHECK(selftest, passes) = {
	.summary = "passes",
	.clauses = SELFTEST_CLAUSE, .run = passes };
NC_CHECK(selftest, fails) = {
	.summary = "fails",
	.clauses = SELFTEST_CLAUSE, .run = fails };
NC_CHECK(selftest, expected_failure) = {
	.summary = "fails, as the expectation file says", .clauses = SELFTEST_CLAUSE, .run = fails };
NC_CHECK(selftest, expected_but_passes) = {
	.summary = "passes, though expected to fail", .clauses = SELFTEST_CLAUSE, .run = passes };
NC_CHECK(selftest, skips) = {
	.summary = "skips",
	.clauses = SELFTEST_CLAUSE, .run = skips };
NC_CHECK(selftest, hangs) = {
	.summary = "hangs",
	.clauses = SELFTEST_CLAUSE, .run = hangs, .deadline_ms = 1000 };
NC_CHECK(selftest, crashes) = {
	.summary = "crashes",
	.clauses = SELFTEST_CLAUSE, .run = crashes };
NC_CHECK(selftest, overflows_stack) = {
	.summary = "overflows its stack",
	.clauses = SELFTEST_CLAUSE, .run = overflows_stack };
NC_CHECK(selftest, leaves_daemon) = {
	.summary = "passes, leaving a daemon in its own session", .clauses = SELFTEST_CLAUSE,
	.run = leaves_daemon };
NC_CHECK(selftest, orphan_hangs) = {
	.summary = "hangs with a daemon in its own session", .clauses = SELFTEST_CLAUSE,
	.run = orphan_hangs, .deadline_ms = 1000 };
NC_CHECK(selftest, interruptible) = {
	.summary = "waits to be interrupted, when a test says so", .clauses = SELFTEST_CLAUSE,
	.run = interruptible };
NC_CHECK(selftest, table) = {
	.summary = "a table of cases",
	.clauses = SELFTEST_CLAUSE, NC_CASES(table_cases), .run = table };
NC_CHECK(selftest, asserts_nothing) = {
	.summary = "observes, asserts nothing", .clauses = SELFTEST_CLAUSE,
	.run = asserts_nothing };
NC_CHECK(selftest, setup_fails) = {
	.summary = "a setup step fails", .clauses = SELFTEST_CLAUSE, .run = setup_fails };
NC_CHECK(selftest, deviation_drifts) = {
	.summary = "a pinned deviation, whose value may change", .clauses = SELFTEST_CLAUSE,
	.run = drifts };
NC_CHECK(selftest, unpinned_failure) = {
	.summary = "fails beyond what its expectation pins", .clauses = SELFTEST_CLAUSE,
	.run = fails_twice };
NC_CHECK(selftest, reworded_label) = {
	.summary = "a pinned deviation whose label was reworded", .clauses = SELFTEST_CLAUSE,
	.run = fails_reworded };
NC_CHECK(selftest, needs_sock_diag) = {
	.summary = "needs sock_diag: a skip before the body where it is missing",
	.clauses = SELFTEST_CLAUSE, .run = needs_sock_diag, .needs = "sock_diag" };
NC_CHECK(selftest, expected_setup_fails) = {
	.summary = "a setup step fails in a check expected to deviate",
	.clauses = SELFTEST_CLAUSE, .run = setup_fails };
NC_CHECK(selftest, beyond) = {
	.summary = "checks what the document does not state", .clauses = SELFTEST_CLAUSE,
	.beyond = "a selftest of the report", .run = passes };
NC_CHECK(selftest, escapes) = {
	.summary = "a check's body cannot touch the host's files or global sysctls",
	.clauses = SELFTEST_CLAUSE, NC_CASES(escape_cases), .run = escapes };
