/* netconform: the command line. */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "error.h"
#include "harness.h"
#include "publish.h"
#include "sandbox.h"
#include "vm.h"	/* another kernel */

static const char usage[] =
	"usage: netconform run [--filter GLOB]... [--jobs N] [--timeout SECONDS]\n"
	"                      [--out DIR] [--expect FILE | --no-expect] [--scenarios DIR]\n"
	"       netconform run|doctor --kernel IMAGE [--initrd-modules-from DIR]\n"
	"                      [--vm-timeout SECONDS] [run options]\n"
	"       netconform list [--clauses]\n"
	"       netconform compare A B [--out DIR]\n"
	"       netconform doctor\n"
	"       netconform --help | --version\n"
	"\n"
	"run      runs the checks, each in its own sandbox, and writes results.xml,\n"
	"         junit.xml and index.html to DIR (default reports/out)\n"
	"list     lists the checks; with --clauses, every clause of the document\n"
	"         with the checks that verify it\n"
	"doctor   says what this machine offers and what is missing\n"
	"compare  compares two results.xml (or run directories): a text summary,\n"
	"         and compare.html in DIR; exit 1 when a verdict differs\n"
	"--kernel boots IMAGE in QEMU (KVM or TCG) and runs there, the reports\n"
	"         coming back to DIR (see README.md, Another kernel)\n";

#define DEFAULT_EXPECT NC_SRCDIR "/expectations/linux.txt"
#define DEFAULT_SCENARIOS NC_SRCDIR "/scenarios"

struct options {
	const char **filters;
	size_t n_filters;
	unsigned jobs;
	unsigned timeout_s;
	double deadline_scale;
	const char *out;
	const char *expect;
	const char *scenarios;
	bool clauses;
	struct nc_vm_request vm;	/* another kernel: harness/vm.c */
};

int nc_compare_main(int argc, char **argv);	/* issue 7: harness/compare.c */

static int __attribute__((format(printf, 1, 2))) die_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "netconform: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see netconform --help)\n");
	return 2;
}

static int parse_uint(const char *opt, const char *text, unsigned lo, unsigned hi,
		      unsigned *out)
{
	char *end;
	unsigned long value;

	errno = 0;
	value = strtoul(text, &end, 10);
	if (errno || end == text || *end || text[0] == '-' || value < lo || value > hi)
		return die_usage("%s: '%s' is not a number from %u to %u", opt, text, lo, hi);
	*out = (unsigned)value;
	return 0;
}

static int parse_options(int argc, char **argv, struct options *opt)
{
	static const struct option longopts[] = {
		{ "filter", required_argument, NULL, 'f' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, 't' },
		{ "out", required_argument, NULL, 'o' },
		{ "expect", required_argument, NULL, 'e' },
		{ "no-expect", no_argument, NULL, 'E' },
		{ "scenarios", required_argument, NULL, 's' },
		{ "deadline-scale", required_argument, NULL, 'S' },
		{ "clauses", no_argument, NULL, 'c' },
		/* another kernel: harness/vm.c */
		{ "kernel", required_argument, NULL, 'K' },
		{ "initrd-modules-from", required_argument, NULL, 'M' },
		{ "vm-timeout", required_argument, NULL, 'V' },
		{ 0 }
	};
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int c;

	/* Checks mostly wait on timers, so overlap them well past the cores. */
	opt->jobs = cpus > 2 ? (unsigned)cpus * 4 : 8;
	opt->timeout_s = 30;
	opt->deadline_scale = 1.0;
	opt->out = "reports/out";
	opt->expect = access(DEFAULT_EXPECT, F_OK) == 0 ? DEFAULT_EXPECT : NULL;
	opt->scenarios = DEFAULT_SCENARIOS;
	opterr = 0;
	optind = 2;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': {
			const char **grown = realloc(opt->filters, (opt->n_filters + 1) * sizeof(char *));

			if (!grown)
				return 2;
			opt->filters = grown;
			opt->filters[opt->n_filters++] = optarg;
			break;
		}
		case 'j':
			if (parse_uint("--jobs", optarg, 1, 256, &opt->jobs))
				return 2;
			break;
		case 't':
			if (parse_uint("--timeout", optarg, 1, 3600, &opt->timeout_s))
				return 2;
			break;
		case 'o':
			opt->out = optarg;
			break;
		case 'e':
			opt->expect = optarg;
			break;
		case 'E':
			opt->expect = NULL;
			break;
		case 's':
			opt->scenarios = optarg;
			break;
		case 'S': {
			char *end;

			opt->deadline_scale = strtod(optarg, &end);
			if (*end || end == optarg || opt->deadline_scale < 1 || opt->deadline_scale > 100)
				return die_usage("--deadline-scale: '%s' is not a number from 1 to 100", optarg);
			break;
		}
		case 'c':
			opt->clauses = true;
			break;
		case 'K':	/* another kernel: harness/vm.c */
			opt->vm.kernel = optarg;
			break;
		case 'M':
			opt->vm.modules_from = optarg;
			break;
		case 'V':
			if (parse_uint("--vm-timeout", optarg, 10, 86400, &opt->vm.timeout_s))
				return 2;
			break;
		default:
			if (optopt)
				return die_usage("option '-%c' is unknown or needs a value", optopt);
			return die_usage("option '%s' is unknown or needs a value", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return die_usage("unexpected argument '%s'", argv[optind]);
	return 0;
}

/* Every clause a check names must be in the catalog. */
static int validate_clauses(const struct nc_registry *reg)
{
	for (size_t i = 0; i < reg->n_tests; i++) {
		const struct nc_check *check = reg->tests[i].check;

		if (!check->clauses || !check->clauses[0]) {
			fprintf(stderr, "%s:%d: check '%s' names no clause\n",
				reg->tests[i].file, reg->tests[i].line, check->id);
			return 2;
		}
		for (const char *const *c = check->clauses; *c; c++) {
			size_t k;

			for (k = 0; k < nc_n_clauses; k++)
				if (strcmp(nc_clauses[k].id, *c) == 0)
					break;
			if (k == nc_n_clauses) {
				fprintf(stderr, "%s:%d: check '%s' names unknown clause '%s'\n",
					reg->tests[i].file, reg->tests[i].line, check->id, *c);
				return 2;
			}
		}
	}
	return 0;
}

static int cmd_list(const struct nc_registry *reg, const struct options *opt)
{
	char checks[4096];
	size_t covered = 0;

	if (!opt->clauses) {
		for (size_t i = 0; i < reg->n_tests; i++) {
			const struct nc_check *check = reg->tests[i].check;
			size_t used = 0;

			checks[0] = '\0';
			for (const char *const *c = check->clauses; c && *c; c++) {
				int n = snprintf(checks + used, sizeof(checks) - used, "%s%s",
						 used ? "," : "", *c);
				if (n > 0 && (size_t)n < sizeof(checks) - used)
					used += (size_t)n;
			}
			printf("%-44s %-28s %s\n", reg->tests[i].id, checks, check->summary);
		}
		printf("%zu checks\n", reg->n_tests);
		return 0;
	}
	for (size_t k = 0; k < nc_n_clauses; k++) {
		const struct nc_clause *clause = &nc_clauses[k];
		size_t n = nc_registry_checks_of(reg, clause->id, checks, sizeof(checks));

		covered += n > 0;
		printf("%-24s %s\n", clause->id, clause->en);
		printf("%-24s %s\n", "", clause->zh);
		printf("%-24s %s\n\n", "", n ? checks : "UNCOVERED: no check");
	}
	printf("%zu of %zu clauses covered\n", covered, nc_n_clauses);
	return 0;
}

static bool selected(const struct options *opt, const char *id)
{
	if (!opt->n_filters)
		return true;
	for (size_t i = 0; i < opt->n_filters; i++)
		if (fnmatch(opt->filters[i], id, 0) == 0)
			return true;
	return false;
}

/* Before any check runs: the output directory is ours for the run (a
 * second run with the same --out is refused) and takes files. */
static int open_out(const char *dir, struct nc_report_dir *out)
{
	char text[1024];
	int err = nc_report_dir_open(dir, out);

	if (err < 0) {
		fprintf(stderr, "netconform: %s\n", nc_error_text(err, text, sizeof(text)));
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
static void add_clauses(struct nc_run *run)
{
	run->clauses = calloc(nc_n_clauses, sizeof(*run->clauses));
	if (!run->clauses)
		abort();
	for (size_t k = 0; k < nc_n_clauses; k++) {
		run->clauses[k] = (struct nc_clause_row){
			strdup(nc_clauses[k].id), strdup(nc_clauses[k].section),
			strdup(nc_clauses[k].zh), strdup(nc_clauses[k].en),
		};
		if (!run->clauses[k].id || !run->clauses[k].section ||
		    !run->clauses[k].zh || !run->clauses[k].en)
			abort();
	}
	run->n_clauses = nc_n_clauses;
}

/* Everything that can be refused is refused before the sandbox is entered. */
static int prepare_run(struct nc_registry *reg, const struct options *opt,
		       struct nc_test **tests, size_t *n, struct nc_expectations *exp,
		       struct nc_report_dir *out)
{
	const char **ids = calloc(reg->n_tests + 1, sizeof(*ids));
	char err[1024];
	int status = 0;

	if (!ids)
		return 2;
	*n = 0;
	for (size_t i = 0; i < reg->n_tests; i++) {
		ids[i] = reg->tests[i].id;
		if (selected(opt, reg->tests[i].id))
			tests[(*n)++] = &reg->tests[i];
	}
	for (size_t f = 0; f < opt->n_filters && !status; f++) {
		bool any = false;

		for (size_t i = 0; i < reg->n_tests && !any; i++)
			any = fnmatch(opt->filters[f], reg->tests[i].id, 0) == 0;
		if (!any)
			status = die_usage("--filter '%s' matches no check", opt->filters[f]);
	}
	if (!status && opt->expect &&
	    (nc_expectations_load(opt->expect, exp, err, sizeof(err)) < 0 ||
	     nc_expectations_validate(exp, ids, reg->n_tests, err, sizeof(err)) < 0)) {
		fprintf(stderr, "%s\n", err);
		status = 2;
	}
	if (!status && nc_registry_load_scenarios(reg, opt->scenarios, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		status = 2;
	}
	if (!status)
		status = open_out(opt->out, out);
	free(ids);
	return status;
}

static void print_summary(const struct nc_run *run, const char *out)
{
	size_t counts[NC_N_VERDICTS] = { 0 };

	for (size_t i = 0; i < run->n_results; i++)
		counts[run->results[i].verdict]++;
	printf("netconform: %zu checks in %.1f s:", run->n_results, run->seconds);
	for (int v = 0; v < NC_N_VERDICTS; v++)
		printf(" %zu %s%s", counts[v], nc_verdict_name(v), v + 1 < NC_N_VERDICTS ? "," : "\n");
	printf("reports: %s/junit.xml %s/index.html %s/results.xml\n", out, out, out);
}

static int cmd_run(struct nc_registry *reg, const struct options *opt, int argc, char **argv)
{
	struct nc_expectations exp = { 0 };
	struct nc_report_dir out_dir = { .fd = -1 };
	struct nc_sandbox_info info;
	struct nc_run run = { 0 };
	struct nc_test **tests;
	size_t n = 0;
	char elapsed[32], incomplete[128];
	double started = nc_now_s();
	int status, err;

	tests = calloc(reg->n_tests + 1, sizeof(*tests));
	if (!tests)
		return 2;
	status = prepare_run(reg, opt, tests, &n, &exp, &out_dir);
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
	if (opt->expect)
		nc_kv_add(&run.env, &run.n_env, "expectations", opt->expect);
	add_clauses(&run);

	struct nc_run_options run_opt = {
		.jobs = opt->jobs, .timeout_s = opt->timeout_s,
		.deadline_scale = opt->deadline_scale,
		.progress_tty = isatty(STDERR_FILENO) && getenv("CI") == NULL,
	};
	err = nc_execute(tests, n, &run_opt, opt->expect ? &exp : NULL, &run);
	if (err < 0) {
		fprintf(stderr, "netconform: cannot run the checks: %s\n", strerror(-err));
		status = 2;
		goto out;
	}
	run.seconds = nc_now_s() - started;
	snprintf(elapsed, sizeof(elapsed), "%.1f s", run.seconds);
	nc_kv_add(&run.env, &run.n_env, "duration", elapsed);
	if (run.interrupted)
		nc_kv_add(&run.env, &run.n_env, "incomplete",
			  nc_run_incomplete_text(&run, incomplete, sizeof(incomplete)));
	status = write_reports(&run, &out_dir);
	if (status)
		goto out;
	if (run.interrupted) {
		fprintf(stderr, "netconform: %s; the reports hold the %zu that finished\n",
			nc_run_incomplete_text(&run, incomplete, sizeof(incomplete)), run.n_results);
		status = 128 + run.interrupted;
		goto out;
	}
	print_summary(&run, opt->out);
	for (size_t i = 0; i < run.n_results; i++) {
		enum nc_verdict v = run.results[i].verdict;

		if (v == NC_FAIL || v == NC_ERROR || v == NC_XPASS)
			status = 1;
	}
out:
	nc_report_dir_close(&out_dir);
	nc_run_free(&run);
	nc_expectations_free(&exp);
	free(tests);
	return status;
}

int main(int argc, char **argv)
{
	struct nc_registry reg;
	struct options opt = { 0 };
	const char *cmd = argc > 1 ? argv[1] : NULL;
	int status, err;

	if (!cmd)
		return die_usage("no command given");
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("netconform %s\n", NC_VERSION);
		return 0;
	}
	if (strcmp(cmd, "compare") == 0)	/* issue 7: harness/compare.c */
		return nc_compare_main(argc, argv);
	if (strcmp(cmd, "run") && strcmp(cmd, "list") && strcmp(cmd, "doctor"))
		return die_usage("unknown command '%s'", cmd);
	status = parse_options(argc, argv, &opt);
	if (status)
		return status;
	if (opt.vm.kernel) {	/* another kernel: harness/vm.c */
		opt.vm.out = opt.out;
		status = nc_vm_main(&opt.vm, argc, argv);
		free(opt.filters);
		return status;
	}
	if (strcmp(cmd, "doctor") == 0)
		return nc_doctor() ? 1 : 0;

	err = nc_registry_build(&reg);
	if (err < 0) {
		fprintf(stderr, "netconform: cannot build the check registry: %s\n", strerror(-err));
		return 2;
	}
	status = validate_clauses(&reg);
	if (!status)
		status = strcmp(cmd, "list") == 0 ? cmd_list(&reg, &opt)
						  : cmd_run(&reg, &opt, argc, argv);
	nc_registry_free(&reg);
	free(opt.filters);
	return status;
}
