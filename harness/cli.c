/* The command line, one table: every option says which commands take it, so
 * the parser refuses the others and each command's --help lists its own. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "escape.h"
#include "datadir.h"
#include "strnum.h"
#include "wrap.h"


#define RUN	(1u << NC_CMD_RUN)
#define LIST	(1u << NC_CMD_LIST)
#define DOCTOR	(1u << NC_CMD_DOCTOR)
#define COMPARE	(1u << NC_CMD_COMPARE)
/* On another kernel, the host's own: not passed to the guest (vm.c). */
#define HOST	(1u << NC_N_COMMANDS)

static const struct command {
	const char *name, *synopsis, *what, *exits;
} commands[NC_N_COMMANDS] = {
	[NC_CMD_RUN] = {
		"run", "run [--libc glibc|musl] [OPTION]...",
		"Runs the checks, each in its own sandbox, and writes results.xml, junit.xml,\n"
		"ktap.txt and index.html to DIR.",
		"  0  every check passed, failed as expected (xfail) or was skipped\n"
		"  1  a check failed, could not run to the end (error), or passed although\n"
		"     expected to fail (xpass)\n"
		"  2  bad input (one line on stderr), or the run could not be made\n",
	},
	[NC_CMD_LIST] = {
		"list", "list [--filter GLOB]... [--exclude GLOB]... [--areas | --clauses]",
		"Lists the checks a run with the same --filter and --exclude would run; with\n"
		"--areas, the areas and their counts; with --clauses, every clause of the\n"
		"document with the checks that verify it.",
		"  0  listed\n"
		"  2  bad input (one line on stderr)\n",
	},
	[NC_CMD_DOCTOR] = {
		"doctor", "doctor [--kernel IMAGE [--initrd-modules-from DIR] [--vm-timeout S] | --runtime RUNSC | --platform NAME]",
		"Says what this machine (or, with --kernel, that kernel; with --runtime,\n"
		"gVisor; with --platform, a platform of harness/platforms.txt) offers and\n"
		"what is missing.",
		"  0  ready\n"
		"  1  something is missing\n"
		"  2  bad input (one line on stderr)\n",
	},
	[NC_CMD_COMPARE] = {
		"compare", "compare A B [--out DIR] [--noise]",
		"Compares two results.xml (or run directories): verdict changes first, with\n"
		"B's message; then checks whose observed values differ.  A page,\n"
		"compare.html, only with --out.",
		"  0  the same verdicts\n"
		"  1  a verdict differs, or a check is in one run only (same selection)\n"
		"  2  bad input (one line on stderr)\n",
	},
};

enum {
	OPT_FILTER = 256, OPT_EXCLUDE, OPT_SKIP_FILE, OPT_JOBS, OPT_TIMEOUT, OPT_DEADLINE,
	OPT_REPEAT, OPT_SHUFFLE, OPT_FORMAT, OPT_COLOR, OPT_OUT, OPT_EXPECT, OPT_NO_EXPECT,
	OPT_SCENARIOS, OPT_CLAUSES, OPT_AREAS, OPT_NOISE, OPT_KERNEL, OPT_MODULES,
	OPT_VM_TIMEOUT, OPT_RUNTIME, OPT_PLATFORM, OPT_LIBC, OPT_HELP, OPT_VERBOSE, OPT_QUIET,
	OPT_EXITFIRST, OPT_MAXFAIL, OPT_REASONS, OPT_DURATIONS,
};

static const struct option_spec {
	const char *name;
	int has_arg, key;
	unsigned commands;
	const char *arg, *help;
} specs[] = {
	{ "filter", required_argument, OPT_FILTER, RUN | LIST, "GLOB",
	  "only checks whose id matches GLOB (fnmatch; repeatable)" },
	{ "exclude", required_argument, OPT_EXCLUDE, RUN | LIST, "GLOB",
	  "not the checks whose id matches GLOB (repeatable)" },
	{ "skip-file", required_argument, OPT_SKIP_FILE, RUN, "FILE",
	  "\"ID-OR-GLOB  reason\" a line: reported as skip, not run" },
	{ "jobs", required_argument, OPT_JOBS, RUN, "N",
	  "checks at work at a time, 1 to 256 (default: 4 per core, at least 8); one waiting on timers makes room (1: strictly one)" },
	{ "exitfirst", no_argument, OPT_EXITFIRST, RUN, NULL,
	  "stop at the first problem (fail, error, xpass): --maxfail 1" },
	{ "maxfail", required_argument, OPT_MAXFAIL, RUN, "N",
	  "stop after N problems, 1 to 100000: no check is started after, the running are killed" },
	{ "verbose", no_argument, OPT_VERBOSE, RUN, NULL,
	  "a line for each check as it finishes, even on a terminal" },
	{ "quiet", no_argument, OPT_QUIET, RUN, NULL,
	  "no progress and no line per check: the summary only" },
	{ "reasons", no_argument, OPT_REASONS, RUN, NULL,
	  "list the known deviations (xfail) and skips with their reasons at the end" },
	{ "durations", required_argument, OPT_DURATIONS, RUN, "N",
	  "list the N slowest checks at the end, 1 to 100000" },
	{ "timeout", required_argument, OPT_TIMEOUT, RUN, "SECONDS",
	  "deadline of a check that sets none, 1 to 3600 (default 30)" },
	{ "deadline-scale", required_argument, OPT_DEADLINE, RUN, "X",
	  "stretch every deadline by X, 1 to 100 (default 1)" },
	{ "repeat", required_argument, OPT_REPEAT, RUN, "N",
	  "run the selection N times (1 to 1000); ids get \"@ROUND\"" },
	{ "shuffle", optional_argument, OPT_SHUFFLE, RUN, "[=SEED]",
	  "random order; the seed is printed: give it back to replay" },
	{ "format", required_argument, OPT_FORMAT, RUN, "FORMAT",
	  "text (default), or ktap: KTAP on stdout, the rest on stderr" },
	{ "color", optional_argument, OPT_COLOR, RUN, "[=WHEN]",
	  "colour verdicts: auto (a terminal, no NO_COLOR), always, never" },
	{ "out", required_argument, OPT_OUT, RUN | COMPARE | HOST, "DIR",
	  "where the reports go (run: default reports/out; compare: no page without)" },
	{ "libc", required_argument, OPT_LIBC, RUN, "glibc|musl",
	  "the C library the checks run on: glibc (default) or musl" },
	{ "expect", required_argument, OPT_EXPECT, RUN, "FILE",
	  "known deviations (default: linux[-musl].txt in the expectations directory, "
	  "netconform doctor says where)" },
	{ "no-expect", no_argument, OPT_NO_EXPECT, RUN, NULL,
	  "read no expectations: every deviation fails" },
	{ "scenarios", required_argument, OPT_SCENARIOS, RUN, "DIR",
	  "where the .scn files are (default: the scenarios directory, netconform doctor says where)" },
	{ "areas", no_argument, OPT_AREAS, LIST, NULL, "the areas, with their check counts" },
	{ "clauses", no_argument, OPT_CLAUSES, LIST, NULL,
	  "every clause of the document, with the checks that verify it" },
	{ "noise", no_argument, OPT_NOISE, COMPARE, NULL,
	  "also show noise: ports, descriptors, ISNs, timer remainders, ms" },
	{ "kernel", required_argument, OPT_KERNEL, RUN | DOCTOR | HOST, "IMAGE",
	  "boot IMAGE in QEMU and run there (README.md, Another kernel)" },
	{ "initrd-modules-from", required_argument, OPT_MODULES, RUN | DOCTOR | HOST, "DIR",
	  "the kernel's modules (default /lib/modules/VERSION)" },
	{ "vm-timeout", required_argument, OPT_VM_TIMEOUT, RUN | DOCTOR | HOST, "SECONDS",
	  "deadline of the whole VM, 10 to 86400" },
	{ "runtime", required_argument, OPT_RUNTIME, RUN | DOCTOR | HOST, "RUNSC",
	  "run inside gVisor's runsc (README.md, Adding a platform)" },
	{ "platform", required_argument, OPT_PLATFORM, RUN | DOCTOR | HOST, "NAME",
	  "run on a platform of harness/platforms.txt: its libc, deadline scale and expectations, in QEMU or gVisor as it says" },
	{ "help", no_argument, OPT_HELP, RUN | LIST | DOCTOR | COMPARE, NULL,
	  "this help" },
};
#define N_SPECS (sizeof(specs) / sizeof(specs[0]))

/* The short options people type without thinking, as the long ones. */
static const struct {
	char name;
	int key;
} shorts[] = {
	{ 'h', OPT_HELP }, { 'j', OPT_JOBS }, { 'x', OPT_EXITFIRST }, { 'v', OPT_VERBOSE },
	{ 'q', OPT_QUIET }, { 'r', OPT_REASONS },
};
#define N_SHORTS (sizeof(shorts) / sizeof(shorts[0]))

static char short_of(int key)
{
	for (size_t i = 0; i < N_SHORTS; i++)
		if (shorts[i].key == key)
			return shorts[i].name;
	return 0;
}
_Static_assert(N_SPECS <= NC_CLI_MAX_OPTIONS, "NC_CLI_MAX_OPTIONS is too small");

void nc_say_error_v(const char *who, const char *fmt, va_list ap)
{
	fprintf(stderr, "netconform: %s: ", who);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int nc_die_usage(const char *cmd, const char *fmt, ...)
{
	char text[4096];
	va_list ap;

	fprintf(stderr, "netconform: %s%s", cmd ? cmd : "", cmd ? ": " : "");
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	nc_escape_put(stderr, text, strlen(text));	/* an argument's newline stays in */
	fprintf(stderr, " (see netconform %s%s--help)\n", cmd ? cmd : "", cmd ? " " : "");
	return 2;
}

void nc_cli_usage(void)
{
	printf("usage: netconform COMMAND [OPTION]...\n\n");
	for (int c = 0; c < NC_N_COMMANDS; c++)
		nc_print_hanging(stdout, "  netconform ", "      ", commands[c].synopsis, 80);
	printf("  netconform matrix RUN... [--out DIR]\n"
	       "  netconform --help | --version\n\n"
	       "`netconform COMMAND --help` lists a command's options and exit codes.\n");
}

/* "  -j, --jobs N    what it does", the help wrapped under itself: 80
 * columns. */
static void help_line(const char *left, const char *help)
{
	const int room = 80 - 30;

	printf("  %-26s", left);
	if (strlen(left) > 26)
		printf("\n  %26s", "");
	while (*help) {
		int cut = (int)strlen(help);

		if (cut > room) {
			cut = room;
			while (cut > 0 && help[cut] != ' ')
				cut--;
			if (!cut)
				cut = room;
		}
		printf(" %.*s\n", cut, help);
		help += cut;
		while (*help == ' ')
			help++;
		if (*help)
			printf("  %26s", "");
	}
}

static void command_help(enum nc_command cmd)
{
	char left[64];

	nc_print_hanging(stdout, "usage: netconform ", "       ", commands[cmd].synopsis, 80);
	printf("\n%s\n\noptions:\n", commands[cmd].what);
	for (size_t i = 0; i < N_SPECS; i++) {
		if (!(specs[i].commands & (1u << cmd)))
			continue;
		char letter = short_of(specs[i].key);

		snprintf(left, sizeof(left), "%c%c%s--%s%s%s", letter ? '-' : ' ',
			 letter ? letter : ' ', letter ? ", " : "  ", specs[i].name,
			 specs[i].arg && specs[i].arg[0] != '[' ? " " : "",
			 specs[i].arg ? specs[i].arg : "");
		help_line(left, specs[i].help);
	}
	printf("\nexit status:\n%s", commands[cmd].exits);
}

int nc_cli_command(const char *name)
{
	for (int c = 0; c < NC_N_COMMANDS; c++)
		if (strcmp(commands[c].name, name) == 0)
			return c;
	return -1;
}

static int number_error(const char *cmd, const char *opt, const char *text, int err,
			const char *range)
{
	(void)err;	/* out of range or no number: the same remedy */
	return nc_die_usage(cmd, "--%s: '%s' is not a number from %s", opt, text, range);
}

static int parse_unsigned(const char *cmd, const char *opt, const char *text,
			  unsigned long lo, unsigned long hi, unsigned *out)
{
	char range[64];
	unsigned long value;
	int err = nc_parse_ulong(text, lo, hi, &value);

	snprintf(range, sizeof(range), "%lu to %lu", lo, hi);
	if (err)
		return number_error(cmd, opt, text, err, range);
	*out = (unsigned)value;
	return 0;
}

static int add_glob(struct nc_globs *globs, const char *glob)
{
	const char **grown = realloc(globs->items, (globs->n + 1) * sizeof(*grown));

	if (!grown)
		return -ENOMEM;
	globs->items = grown;
	globs->items[globs->n++] = glob;
	return 0;
}

static void set_defaults(struct options *opt)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	/* Checks mostly wait on timers, so overlap them well past the cores. */
	opt->jobs = cpus > 2 ? (unsigned)cpus * 4 : 8;
	opt->timeout_s = 30;
	opt->deadline_scale = 1.0;
	opt->repeat = 1;
	static char scenarios[4096];

	opt->scenarios = nc_data_path("scenarios", scenarios, sizeof(scenarios));
	opt->out = opt->command == NC_CMD_RUN ? "reports/out" : NULL;
}

/* One option's value into opt; 0 or 2 (said). */
static int take(struct options *opt, const struct option_spec *spec, const char *arg)
{
	const char *cmd = commands[opt->command].name;
	unsigned long seed;
	int err;

	switch (spec->key) {
	case OPT_FILTER:
		return add_glob(&opt->filters, arg) ? 2 : 0;
	case OPT_EXCLUDE:
		return add_glob(&opt->excludes, arg) ? 2 : 0;
	case OPT_SKIP_FILE:
		opt->skip_file = arg;
		return 0;
	case OPT_EXITFIRST:
		opt->maxfail = 1;
		return 0;
	case OPT_MAXFAIL:
		return parse_unsigned(cmd, spec->name, arg, 1, 100000, &opt->maxfail);
	case OPT_DURATIONS:
		return parse_unsigned(cmd, spec->name, arg, 1, 100000, &opt->durations);
	case OPT_VERBOSE:
		opt->verbose = true;
		opt->quiet = false;
		return 0;
	case OPT_QUIET:
		opt->quiet = true;
		opt->verbose = false;
		return 0;
	case OPT_REASONS:
		opt->reasons = true;
		return 0;
	case OPT_JOBS:
		return parse_unsigned(cmd, spec->name, arg, 1, 256, &opt->jobs);
	case OPT_TIMEOUT:
		return parse_unsigned(cmd, spec->name, arg, 1, 3600, &opt->timeout_s);
	case OPT_REPEAT:
		return parse_unsigned(cmd, spec->name, arg, 1, 1000, &opt->repeat);
	case OPT_VM_TIMEOUT:
		return parse_unsigned(cmd, spec->name, arg, 10, 86400, &opt->vm.timeout_s);
	case OPT_DEADLINE:
		err = nc_parse_double(arg, 1, 100, &opt->deadline_scale);
		return err ? number_error(cmd, spec->name, arg, err, "1 to 100") : 0;
	case OPT_SHUFFLE:
		opt->shuffle = true;
		if (!arg) {
			/* any seed will do; it is printed */
			opt->seed = ((unsigned long)time(NULL) ^ (unsigned long)getpid() << 16) %
				    1000000000;
			return 0;
		}
		err = nc_parse_ulong(arg, 0, 4294967295ul, &seed);
		if (err)
			return number_error(cmd, spec->name, arg, err, "0 to 4294967295");
		opt->seed = seed;
		return 0;
	case OPT_FORMAT:
		if (strcmp(arg, "ktap") && strcmp(arg, "text"))
			return nc_die_usage(cmd, "--format: '%s' is neither text nor ktap", arg);
		opt->ktap = strcmp(arg, "ktap") == 0;
		return 0;
	case OPT_COLOR:
		if (!arg || strcmp(arg, "always") == 0)
			opt->color = NC_COLOR_ALWAYS;
		else if (strcmp(arg, "never") == 0)
			opt->color = NC_COLOR_NEVER;
		else if (strcmp(arg, "auto") == 0)
			opt->color = NC_COLOR_AUTO;
		else
			return nc_die_usage(cmd, "--color: '%s' is not auto, always or never", arg);
		return 0;
	case OPT_OUT:
		opt->out = arg;
		return 0;
	case OPT_LIBC:
		if (nc_libc_parse(arg, &opt->libc) < 0)
			return nc_die_usage(cmd, "--libc: '%s' is neither glibc nor musl", arg);
		return 0;
	case OPT_EXPECT:
		opt->expect = arg;
		return 0;
	case OPT_NO_EXPECT:
		opt->expect = NULL;
		return 0;
	case OPT_SCENARIOS:
		opt->scenarios = arg;
		return 0;
	case OPT_AREAS:
		opt->areas = true;
		return 0;
	case OPT_CLAUSES:
		opt->clauses = true;
		return 0;
	case OPT_NOISE:
		opt->noise = true;
		return 0;
	case OPT_KERNEL:
		opt->vm.kernel = arg;
		return 0;
	case OPT_MODULES:
		opt->vm.modules_from = arg;
		return 0;
	case OPT_RUNTIME:
		opt->runsc.runsc = arg;
		return 0;
	case OPT_PLATFORM:
		opt->platform = arg;
		return 0;
	}
	return 2;
}

/* What getopt_long refused, in one line. */
static int refused(const char *cmd, const char *text, int optopt_seen)
{
	char name[128];

	for (size_t i = 0; optopt_seen && i < N_SHORTS; i++)
		if (shorts[i].name == optopt_seen)	/* known: "-j" with nothing after */
			return nc_die_usage(cmd, "option '-%c' needs a value", optopt_seen);
	if (optopt_seen && optopt_seen < 256)
		return nc_die_usage(cmd, "option '-%c' is unknown", optopt_seen);
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(text, "="), text);
	for (size_t i = 0; i < N_SPECS; i++)
		if (strncmp(name, "--", 2) == 0 && strcmp(name + 2, specs[i].name) == 0) {
			if (specs[i].has_arg == required_argument && !strchr(text, '='))
				return nc_die_usage(cmd, "option '%s' needs a value", name);
			return nc_die_usage(cmd, "option '%s' takes no value", name);
		}
	return nc_die_usage(cmd, "option '%s' is unknown", name);
}

int nc_cli_parse(int argc, char **argv, struct options *opt)
{
	struct option longopts[N_SPECS + 1];
	char letters[2 * N_SHORTS + 2] = "-";	/* "-": operands in order, as 1 */
	const char *cmd = commands[opt->command].name;
	char **args = calloc((size_t)argc + 1, sizeof(*args));
	size_t n_inputs = 0;
	bool expect_given = false;
	int c, index, status = 0;

	if (!args)
		return 2;
	memcpy(args, argv, (size_t)argc * sizeof(*args));	/* getopt permutes */
	memset(longopts, 0, sizeof(longopts));
	for (size_t i = 0, n = 1; i < N_SPECS; i++) {
		longopts[i] = (struct option){ specs[i].name, specs[i].has_arg, NULL,
					       specs[i].key };
		if (short_of(specs[i].key)) {
			letters[n++] = short_of(specs[i].key);
			if (specs[i].has_arg == required_argument)
				letters[n++] = ':';
		}
	}
	set_defaults(opt);
	opterr = 0;
	optind = 2;
	while (!status && (c = getopt_long(argc, args, letters, longopts, &index)) != -1) {
		for (size_t i = 0; c > 1 && c < 256 && c != '?' && c != ':' && i < N_SPECS; i++)
			if (short_of(specs[i].key) == c) {	/* -j: as --jobs */
				index = (int)i;
				c = specs[i].key;
			}
		if (c == 1) {
			if (opt->command == NC_CMD_COMPARE && n_inputs < 2)
				opt->inputs[n_inputs++] = optarg;
			else
				status = nc_die_usage(cmd, "unexpected argument '%s'", optarg);
		} else if (c == '?' || c == ':') {
			status = refused(cmd, args[optind - 1], optopt);
		} else if (!(specs[index].commands & (1u << opt->command))) {
			status = nc_die_usage(cmd, "option '--%s' is not one of %s's",
					      specs[index].name, cmd);
		} else if (c == OPT_HELP) {
			command_help(opt->command);
			status = NC_CLI_DONE;
		} else {
			expect_given |= c == OPT_EXPECT || c == OPT_NO_EXPECT;
			status = take(opt, &specs[index], optarg);
		}
	}
	/* each C library, and each version of it, has its own deviations */
	if (!status && !expect_given && opt->command == NC_CMD_RUN) {
		static char expect[4096];
		char dir[4096];

		nc_data_path("expectations", dir, sizeof(dir));
		opt->expect = nc_libc_expectations(opt->libc, dir, expect, sizeof(expect));
		if (!opt->expect)	/* refused when read, saying where it was looked for */
			opt->expect = strcat(strcpy(expect, dir), opt->libc == NC_LIBC_MUSL ?
							     "/linux-musl.txt" : "/linux.txt");
		opt->expect_default = true;
	}
	if (!status && opt->command == NC_CMD_COMPARE && n_inputs != 2)
		status = nc_die_usage(cmd, "needs two results files, A and B");
	free(args);
	return status;
}

void nc_cli_guest_longopts(enum nc_command cmd, struct option *longopts)
{
	size_t n = 0;

	for (size_t i = 0; i < N_SPECS; i++)
		if (specs[i].commands & (1u << cmd))
			longopts[n++] = (struct option){ specs[i].name, specs[i].has_arg, NULL,
							 specs[i].commands & HOST ?
							 NC_OPT_HOST : NC_OPT_GUEST };
	longopts[n] = (struct option){ 0 };
}

int nc_cli_guest_args(enum nc_command cmd, int argc, char **argv, nc_cli_emit *emit, void *ctx)
{
	struct option options[NC_CLI_MAX_OPTIONS + 1];
	int err = 0;

	nc_cli_guest_longopts(cmd, options);
	/* argv + 1: the command ("run") stands where getopt wants a program name. */
	opterr = 0;
	optind = 0;
	for (;;) {
		int first = optind ? optind : 1;
		int index = -1, c = getopt_long(argc - 1, argv + 1, "-", options, &index);

		if (c == -1)
			break;
		for (int i = first; !err && c != NC_OPT_HOST && i < optind; i++)
			err = emit(ctx, index >= 0 ? options[index].name : NULL, argv[1 + i]);
	}
	for (int i = optind; !err && i < argc - 1; i++)
		err = emit(ctx, NULL, argv[1 + i]);
	return err;
}

void nc_cli_free(struct options *opt)
{
	free(opt->filters.items);
	free(opt->excludes.items);
}
