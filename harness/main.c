/* netconform: the commands.  The command line itself is harness/cli.c. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "cli.h"
#include "clock.h"
#include "compare_cmd.h"
#include "coverage.h"
#include "datadir.h"
#include "env.h"
#include "error.h"
#include "escape.h"
#include "expect.h"
#include "expect_parse.h"
#include "libc.h"
#include "list.h"
#include "matrix_cmd.h"
#include "musl_serve.h"
#include "nftables.h"
#include "platform.h"
#include "publish.h"
#include "registry.h"
#include "results.h"
#include "runner.h"
#include "runsc.h"	/* a user-space kernel */
#include "sandbox.h"
#include "schedule.h"
#include "select.h"
#include "stop.h"
#include "stream.h"
#include "terminal.h"
#include "verdict.h"
#include "version.h"
#include "vm.h"	/* another kernel */


/* Every row of the axes table names a clause of the catalog and known
 * axes; every check's .covers names known axes. */
static int validate_axes(const struct nc_registry *reg)
{
	char scratch[4096];

	for (size_t r = 0; r < nc_n_clause_axes; r++) {
		const struct nc_clause_axes *row = &nc_clause_axes[r];
		size_t k;

		for (k = 0; k < nc_n_clauses; k++)
			if (strcmp(nc_clauses[k].id, row->clause) == 0)
				break;
		if (k == nc_n_clauses || !nc_coverage_axes_known(row->axes)) {
			fprintf(stderr, "suite/clause_axes.c: row '%s' \"%s\": %s\n", row->clause,
				row->axes, k == nc_n_clauses ? "no such clause" : "unknown axis");
			return 2;
		}
	}
	for (size_t i = 0; i < reg->n_tests; i++) {
		const struct nc_check *check = reg->tests[i].check;

		scratch[0] = '\0';
		if (check->covers && nc_coverage_merge(scratch, sizeof(scratch), check->covers) < 0) {
			fprintf(stderr, "%s:%d: check '%s': .covers \"%s\" names an unknown axis\n",
				reg->tests[i].file, reg->tests[i].line, reg->tests[i].check_id,
				check->covers);
			return 2;
		}
	}
	return 0;
}

/* Every clause a check names must be in the catalog. */
static int validate_clauses(const struct nc_registry *reg)
{
	for (size_t i = 0; i < reg->n_tests; i++) {
		const struct nc_check *check = reg->tests[i].check;

		if (!check->clauses || !check->clauses[0]) {
			fprintf(stderr, "%s:%d: check '%s' names no clause\n",
				reg->tests[i].file, reg->tests[i].line, reg->tests[i].check_id);
			return 2;
		}
		for (const char *const *c = check->clauses; *c; c++) {
			size_t k;

			for (k = 0; k < nc_n_clauses; k++)
				if (strcmp(nc_clauses[k].id, *c) == 0)
					break;
			if (k == nc_n_clauses) {
				fprintf(stderr, "%s:%d: check '%s' names unknown clause '%s'\n",
					reg->tests[i].file, reg->tests[i].line, reg->tests[i].check_id,
					*c);
				return 2;
			}
		}
	}
	return 0;
}

/* A declared timer must end before the check's deadline: one that does
 * not is a typo, or a deadline the check cannot meet. */
static int validate_timers(const struct nc_registry *reg)
{
	for (size_t i = 0; i < reg->n_tests; i++) {
		const struct nc_check *check = reg->tests[i].check;

		if (check->deadline_ms && check->longest_timer_ms >= check->deadline_ms) {
			fprintf(stderr, "%s:%d: check '%s': .longest_timer_ms %u is not below its .deadline_ms %u\n",
				reg->tests[i].file, reg->tests[i].line, reg->tests[i].check_id,
				check->longest_timer_ms, check->deadline_ms);
			return 2;
		}
	}
	return 0;
}

/* Before any check runs: the output directory is ours for the run (a
 * second run with the same --out is refused) and takes files. */
static int open_out(const char *dir, struct nc_report_dir *out)
{
	char text[1024];
	int err = nc_report_dir_open(dir, out);

	if (err < 0) {
		fputs("netconform: ", stderr);
		nc_escape_line(stderr, nc_error_text(err, text, sizeof(text)));
		return 2;
	}
	return 0;
}

static int write_reports(const struct nc_run *run, struct nc_report_dir *dir)
{
	char text[1024];
	int err = nc_report_dir_publish(dir, run);

	if (err < 0) {
		fprintf(stderr, "netconform: %s (the previous reports are kept)\n",
			nc_error_text(err, text, sizeof(text)));
		return 2;
	}
	return 0;
}

/* The clause catalog goes into the results, so reports stand alone. */
static void add_clauses(struct nc_run *run, const struct nc_registry *reg)
{
	char checks[4096], covers[4096];

	run->clauses = calloc(nc_n_clauses, sizeof(*run->clauses));
	if (!run->clauses)
		abort();
	for (size_t k = 0; k < nc_n_clauses; k++) {
		run->clauses[k] = (struct nc_clause_row){
			strdup(nc_clauses[k].id), strdup(nc_clauses[k].section),
			strdup(nc_clauses[k].zh), strdup(nc_clauses[k].en),
			(int)nc_registry_checks_of(reg, nc_clauses[k].id, checks, sizeof(checks)),
			NULL, NULL,
		};
		if (nc_clause_axes_of(nc_clauses[k].id))
			run->clauses[k].axes = strdup(nc_clause_axes_of(nc_clauses[k].id));
		if (nc_registry_covers_of(reg, nc_clauses[k].id, covers, sizeof(covers)) == 0 &&
		    covers[0])
			run->clauses[k].covers = strdup(covers);
		if (!run->clauses[k].id || !run->clauses[k].section ||
		    !run->clauses[k].zh || !run->clauses[k].en)
			abort();
	}
	run->n_clauses = nc_n_clauses;
}

/* A run reads its data from beside the program (harness/datadir.c). */
#define MISSING_DATA " (give --scenarios DIR and --expect FILE, or install with make install)"

/* Everything that can be refused is refused before the sandbox is entered. */
static int prepare_run(struct nc_registry *reg, const struct options *opt,
		       struct nc_plan *plan, struct nc_expectations *exp,
		       struct nc_expectations *skips, struct nc_report_dir *out)
{
	const char **ids = calloc(reg->n_tests + 1, sizeof(*ids));
	char err[1024];
	int status;

	if (!ids)
		return 2;
	for (size_t i = 0; i < reg->n_tests; i++)
		ids[i] = reg->tests[i].id;
	status = nc_select_validate(reg, opt, "run");
	if (!status && opt->libc == NC_LIBC_MUSL && nc_musl_status(err, sizeof(err)) < 0) {
		fprintf(stderr, "netconform: --libc musl: %s\n", err);
		status = 2;
	} else if (!status && opt->libc == NC_LIBC_MUSL && nc_musl_open() < 0) {
		fprintf(stderr, "netconform: --libc musl: netconform-musl: %s\n", strerror(errno));
		status = 2;
	}
	if (!status && opt->expect &&
	    (nc_expectations_load(opt->expect, exp, err, sizeof(err)) < 0 ||
	     nc_expectations_validate(exp, ids, reg->n_tests, err, sizeof(err)) < 0)) {
		nc_escape_put(stderr, err, strlen(err));
		fprintf(stderr, "%s\n", opt->expect_default ? MISSING_DATA : "");
		status = 2;
	}
	if (!status && opt->skip_file &&
	    (nc_skip_file_load(opt->skip_file, skips, err, sizeof(err)) < 0 ||
	     nc_expectations_validate(skips, ids, reg->n_tests, err, sizeof(err)) < 0)) {
		nc_escape_line(stderr, err);
		status = 2;
	}
	if (!status && nc_plan_make(reg, opt, opt->skip_file ? skips : NULL, plan) < 0)
		status = 2;
	if (!status && nc_registry_load_scenarios(reg, opt->scenarios, err, sizeof(err)) < 0) {
		nc_escape_put(stderr, err, strlen(err));
		fprintf(stderr, "%s\n", strstr(err, strerror(ENOENT)) ? MISSING_DATA : "");
		status = 2;
	}
	if (!status)
		status = open_out(opt->out, out);
	free(ids);
	return status;
}

/* How this run was made, for the environment block of every report. */
static void describe_run(struct nc_run *run, const struct options *opt)
{
	char text[512];
	size_t used = 0;

	for (size_t i = 0; i < opt->filters.n + opt->excludes.n && used < sizeof(text); i++) {
		bool ex = i >= opt->filters.n;
		int n = snprintf(text + used, sizeof(text) - used, "%s%s%s", used ? " " : "",
				 ex ? "-" : "", ex ? opt->excludes.items[i - opt->filters.n]
						  : opt->filters.items[i]);
		used += n > 0 ? (size_t)n : 0;
	}
	if (opt->platform)
		nc_kv_add(&run->env, &run->n_env, "platform", opt->platform);
	nc_kv_add(&run->env, &run->n_env, "selection", used ? text : "all");
	nc_kv_add(&run->env, &run->n_env, "expectations", opt->expect ? opt->expect : "none");
	if (opt->skip_file)
		nc_kv_add(&run->env, &run->n_env, "skip file", opt->skip_file);
	nc_kv_add(&run->env, &run->n_env, "fault backend",
		  nc_nft_available() ? "nftables (in process)" : "none: the kernel refuses nf_tables");
	snprintf(text, sizeof(text), "%u", opt->jobs);
	nc_kv_add(&run->env, &run->n_env, "jobs", text);
	snprintf(text, sizeof(text), "%u s", opt->timeout_s);
	nc_kv_add(&run->env, &run->n_env, "timeout", text);
	snprintf(text, sizeof(text), "%g", opt->deadline_scale);
	nc_kv_add(&run->env, &run->n_env, "deadline scale", text);
	if (opt->repeat > 1) {
		snprintf(text, sizeof(text), "%u", opt->repeat);
		nc_kv_add(&run->env, &run->n_env, "repeat", text);
	}
	if (opt->shuffle) {
		snprintf(text, sizeof(text), "%lu", opt->seed);
		nc_kv_add(&run->env, &run->n_env, "shuffle seed", text);
	}
}

struct given {
	bool libc, expect, scale;
};

static int note_given(void *ctx, const char *option, const char *arg)
{
	struct given *given = ctx;

	(void)arg;
	if (option) {
		given->libc |= strcmp(option, "libc") == 0;
		given->expect |= strcmp(option, "expect") == 0 || strcmp(option, "no-expect") == 0;
		given->scale |= strcmp(option, "deadline-scale") == 0;
	}
	return 0;
}

/* run --platform NAME: the command line it stands for (--libc, --expect,
 * --deadline-scale unless given; --kernel or --runtime with what
 * harness/platform.sh makes), parsed again into *opt. */
static int expand_platform(int *argc, char ***argv, struct options *opt)
{
	const char *name = opt->platform;
	struct nc_platform p;
	struct given given = { 0 };
	char err[1024], got[4096], relative[160], expect[4200];
	char **args = calloc((size_t)*argc + 9, sizeof(*args));
	int n = *argc, status;

	if (!args)
		abort();
	if (opt->vm.kernel || opt->runsc.runsc)
		return nc_die_usage("run", "--platform and --kernel or --runtime: one platform at a time");
	if (nc_platform_find(NC_PLATFORMS_FILE, name, &p, err, sizeof(err)) < 0) {
		fprintf(stderr, "netconform: %s\n", err);
		return 2;
	}
	if (strcmp(p.enter, "host") != 0 && (status = nc_platform_get(&p, got, sizeof(got))))
		return status;
	nc_cli_guest_args(opt->command, *argc, *argv, note_given, &given);
	memcpy(args, *argv, (size_t)n * sizeof(*args));
	if (opt->command == NC_CMD_DOCTOR)	/* what the platform offers: no run options */
		given.libc = given.expect = given.scale = true;
	if (!given.libc) {
		args[n++] = "--libc";
		args[n++] = strdup(p.libc);
	}
	snprintf(relative, sizeof(relative), "expectations/%s", p.expect);
	nc_data_path(relative, expect, sizeof(expect));
	if (!given.expect) {
		args[n++] = "--expect";
		args[n++] = strdup(expect);
	}
	if (!given.scale && strcmp(p.scale, "accel") != 0) {
		args[n++] = "--deadline-scale";
		args[n++] = strdup(p.scale);
	}
	if (strcmp(p.enter, "host") != 0) {
		args[n++] = strcmp(p.enter, "qemu") == 0 ? "--kernel" : "--runtime";
		args[n++] = strdup(got);
	}
	enum nc_command command = opt->command;

	nc_cli_free(opt);
	memset(opt, 0, sizeof(*opt));
	opt->command = command;
	status = nc_cli_parse(n, args, opt);
	if (status)
		return status == NC_CLI_DONE ? 0 : status;
	opt->platform = opt->vm.platform = opt->runsc.platform = strdup(name);
	*argc = n;
	*argv = args;	/* for the rest of the process */
	return 0;
}

static int cmd_run(struct nc_registry *reg, const struct options *opt, int argc, char **argv)
{
	struct nc_expectations exp = { 0 }, skips = { 0 };
	struct nc_sandbox_info info;
	struct nc_run run = { 0 }, ran = { 0 };
	struct nc_plan plan = { 0 };
	struct nc_report_dir out_dir = { .fd = -1 };
	struct nc_stream *stream = NULL;
	char elapsed[32], incomplete[128];
	double started = nc_now_s(), *expected = NULL;
	int status, err;

	status = prepare_run(reg, opt, &plan, &exp, &skips, &out_dir);
	if (status)
		goto out;
	err = nc_sandbox_enter(&info);
	if (err < 0) {
		fprintf(stderr, "netconform: cannot enter the sandbox: %s "
			"(run 'netconform doctor')\n", strerror(-err));
		status = 2;
		goto out;
	}
	nc_env_collect(&run, info.mode, argc, argv);
	nc_libc_env(&run, opt->libc);
	describe_run(&run, opt);
	add_clauses(&run, reg);
	nc_expectations_to_run(opt->expect ? &exp : NULL, &run);
	if (opt->shuffle)
		fprintf(stderr, "netconform: shuffled with seed %lu (replay: --shuffle=%lu)\n",
			opt->seed, opt->seed);

	stream = nc_stream_new(&plan, opt->skip_file ? &skips : NULL, opt->ktap,
			       nc_terminal.lines, opt->maxfail);
	struct nc_run_options run_opt = {
		.libc = opt->libc, .jobs = opt->jobs, .timeout_s = opt->timeout_s,
		.deadline_scale = opt->deadline_scale,
		.progress_tty = nc_terminal.progress,
		.on_result = nc_stream_result, .ctx = stream,
	};
	/* long timers first, unless the order is the point (--shuffle) or
	 * there is one slot (--jobs 1) */
	if (!opt->shuffle && opt->jobs != 1 && plan.n_order) {
		expected = calloc(plan.n_order, sizeof(*expected));
		if (!expected)
			abort();
		nc_schedule_expected(plan.order, plan.n_order, expected);
		run_opt.expected_s = expected;
	}
	err = nc_execute(plan.order, plan.n_order, &run_opt, opt->expect ? &exp : NULL, &ran);
	if (err < 0) {
		fprintf(stderr, "netconform: cannot run the checks: %s\n", strerror(-err));
		status = 2;
		goto out;
	}
	nc_stream_flush(stream, &ran);
	nc_plan_collect(&plan, &skips, &ran, &run);
	nc_stream_free(stream, &run);
	stream = NULL;
	run.seconds = nc_now_s() - started;
	snprintf(elapsed, sizeof(elapsed), "%.1f s", run.seconds);
	nc_kv_add(&run.env, &run.n_env, "duration", elapsed);
	if (run.n_not_run)
		nc_kv_add(&run.env, &run.n_env, "incomplete",
			  nc_run_incomplete_text(&run, incomplete, sizeof(incomplete)));
	status = write_reports(&run, &out_dir);
	if (status)
		goto out;
	/* A stop signal while the set was written: the set is whole (it was
	 * swapped in at once), and the signal still ends the run. */
	if (!run.interrupted && nc_stop_signal_pending()) {
		int signo = nc_stop_signal_pending();

		nc_recap_print(&run, opt, opt->ktap ? stderr : stdout);
		fprintf(stderr, "netconform: SIG%s while the reports were written: they are "
			"complete\n", sigabbrev_np(signo));
		status = 128 + signo;
		goto out;
	}
	nc_recap_print(&run, opt, opt->ktap ? stderr : stdout);
	if (run.interrupted) {
		fprintf(stderr, "netconform: %s; the reports hold the %zu that finished\n",
			nc_run_incomplete_text(&run, incomplete, sizeof(incomplete)),
			run.n_results);
		status = 128 + run.interrupted;
		goto out;
	}
	for (size_t i = 0; i < run.n_results; i++) {
		if (nc_verdict_is_problem(run.results[i].verdict))
			status = 1;
	}
out:
	free(expected);
	if (stream)
		nc_stream_free(stream, NULL);
	nc_report_dir_close(&out_dir);
	nc_run_free(&ran);
	nc_run_free(&run);
	nc_expectations_free(&exp);
	nc_expectations_free(&skips);
	nc_plan_free(&plan);
	return status;
}

/* A run forks a check's processes from here hundreds of times: every
 * symbol of every library is bound once, before the first fork, not again
 * in each child (a library's GOT written, so copied, in every one: 3% of a
 * run's CPU).  The checks' own processes get the environment as given. */
static void bind_symbols_now(char **argv)
{
	char self[PATH_MAX];
	/* the program by its name: /proc/self/exe would name the process "exe" */
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (getenv("LD_BIND_NOW")) {
		unsetenv("LD_BIND_NOW");
		return;
	}
	if (n <= 0 || n == (ssize_t)sizeof(self) - 1)
		return;
	self[n] = '\0';
	setenv("LD_BIND_NOW", "1", 1);
	execv(self, argv);
	unsetenv("LD_BIND_NOW");	/* no exec: bound lazily, as before */
}

int main(int argc, char **argv)
{
	struct nc_registry reg;
	struct options opt = { 0 };
	const char *cmd = argc > 1 ? argv[1] : NULL;
	int command, status, err;

	if (cmd && strcmp(cmd, "run") == 0) {
		bind_symbols_now(argv);
		nc_stop_signals_catch();
	}
	if (!cmd)
		return nc_die_usage(NULL, "no command given");
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		nc_cli_usage();
		return 0;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("netconform %s (%s)\ncommit %s\n", NC_VERSION, NC_DESCRIBE, NC_COMMIT);
		return 0;
	}
	if (strcmp(cmd, "matrix") == 0)	/* its own arguments: harness/matrix_cmd.c */
		return nc_matrix_main(argc, argv);
	command = nc_cli_command(cmd);
	if (command < 0)
		return nc_die_usage(NULL, "unknown command '%s'", cmd);
	opt.command = (enum nc_command)command;
	status = nc_cli_parse(argc, argv, &opt);
	if (status) {
		nc_cli_free(&opt);
		return status == NC_CLI_DONE ? 0 : status;
	}
	nc_terminal_setup(&opt);
	if (opt.command == NC_CMD_COMPARE) {
		status = nc_compare_main(&opt);
		nc_cli_free(&opt);
		return status;
	}
	if (opt.platform) {	/* the options a platform stands for: harness/platform.c */
		status = expand_platform(&argc, &argv, &opt);
		if (status) {
			nc_cli_free(&opt);
			return status;
		}
	}
	if (opt.runsc.runsc && opt.vm.kernel)
		return nc_die_usage("run", "--runtime and --kernel: one platform at a time");
	if (opt.runsc.runsc) {	/* a user-space kernel: harness/runsc.c */
		opt.runsc.out = opt.out;
		status = nc_runsc_main(&opt.runsc, argc, argv);
		nc_cli_free(&opt);
		return status;
	}
	if (opt.vm.kernel) {	/* another kernel: harness/vm.c */
		signal(SIGINT, SIG_DFL);	/* it handles its own */
		signal(SIGTERM, SIG_DFL);
		opt.vm.out = opt.out;
		status = nc_vm_main(&opt.vm, argc, argv);
		nc_cli_free(&opt);
		return status;
	}
	if (opt.command == NC_CMD_DOCTOR)
		return nc_doctor() ? 1 : 0;

	err = nc_registry_build(&reg);
	if (err < 0) {
		fprintf(stderr, "netconform: cannot build the check registry: %s\n", strerror(-err));
		return 2;
	}
	status = validate_clauses(&reg);
	if (!status)
		status = validate_axes(&reg);
	if (!status)
		status = validate_timers(&reg);
	if (!status)
		status = opt.command == NC_CMD_LIST ? nc_list_main(&reg, &opt)
						    : cmd_run(&reg, &opt, argc, argv);
	nc_registry_free(&reg);
	nc_cli_free(&opt);
	return status;
}
