/* A test's processes (child.h): pid 1 confines the worker, a task that
 * shares its memory, which builds the scenario and runs the body, under
 * glibc here or in the musl program.  What it prints is kept: its tail goes
 * with an error verdict instead of onto the terminal. */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "builder.h"
#include "capture.h"
#include "check.h"
#include "child.h"
#include "confine.h"
#include "errname.h"
#include "error.h"
#include "musl_serve.h"
#include "mutant_scope.h"
#include "needs.h"
#include "record.h"
#include "registry.h"
#include "runner.h"

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

struct worker {
	struct nc_test *test;
	int memfd;
	int output;
	const struct nc_run_options *opt;
};

static void __attribute__((noreturn)) worker_main(void *arg, int confined)
{
	const struct worker *w = arg;
	struct nc_test *test = w->test;
	const struct nc_run_options *opt = w->opt;
	int memfd = w->memfd;
	struct nc_case_ctx ctx = {
		.check = test->check, .id = test->id, .data = test->row,
		.case_name = test->case_name,
	};
	char line[4096], text[1024];

	prctl(PR_SET_NAME, "nc-check");
	if (confined < 0) {
		nc_record_text(NC_RECORD_ERROR, nc_error_text(confined, text, sizeof(text)));
		_exit(1);
	}
	if (w->output >= 0) {
		dup2(w->output, STDOUT_FILENO);
		dup2(w->output, STDERR_FILENO);
	}
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
	nc_registry_bind(test, &ctx);
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
		nc_mutant_scope(test->id);
		CU_run_test(test->cu_suite, test->cu_test);
		nc_mutant_scope(NULL);
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
void nc_child_main(struct nc_test *test, const struct nc_child_fds *fds,
		   const struct nc_run_options *opt)
{
	char message[512];
	pid_t worker;
	int status, err;

	prctl(PR_SET_NAME, "nc-init");	/* pid 1 of the check's pid namespace */
	nc_record_open(fds->records);
	/* What the check prints (an ASan report, a libc message) is kept: the
	 * tail of it goes with an error verdict instead of onto the terminal. */
	struct worker w = { test, fds->records, memfd_create("nc-output", MFD_CLOEXEC), opt };
	/* where the worker finds its pid as the runner knows it, before the
	 * check's own /proc covers it */
	int runner_proc = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);

	/* The host's files and kernel settings are out of the body's reach,
	 * root or not (lib/world/confine.h). */
	err = runner_proc < 0 ? -errno : nc_confine_prepare();
	worker = err < 0 ? err : nc_confine_spawn(worker_main, &w, &(struct nc_confine_fds){
		.runner_proc = runner_proc, .ready = fds->ready, .go = fds->go });
	if (worker < 0) {
		nc_record_text(NC_RECORD_ERROR, nc_error_text(worker, message, sizeof(message)));
		_exit(1);
	}
	while (waitpid(worker, &status, 0) < 0)
		if (errno != EINTR)
			_exit(1);
	record_end(status);
	if (w.output >= 0)
		record_output_tail(w.output);
	_exit(0);
}
