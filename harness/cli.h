/* The command line: which commands there are, which options each takes,
 * their help and exit codes.  An option a command does not use is refused,
 * never ignored. */
#ifndef NC_CLI_H
#define NC_CLI_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "libc.h"
#include "runsc.h"
#include "vm.h"

enum nc_command { NC_CMD_RUN, NC_CMD_LIST, NC_CMD_DOCTOR, NC_CMD_COMPARE, NC_N_COMMANDS };

enum nc_color { NC_COLOR_AUTO, NC_COLOR_ALWAYS, NC_COLOR_NEVER };

struct nc_globs {
	const char **items;
	size_t n;
};

struct options {
	enum nc_command command;
	struct nc_globs filters;	/* --filter: run only these */
	struct nc_globs excludes;	/* --exclude: and not these */
	const char *skip_file;		/* ids or globs, each with a reason: skip */
	unsigned jobs;
	unsigned timeout_s;
	double deadline_scale;
	unsigned repeat;		/* rounds of the selection, 1 by default */
	bool shuffle;
	unsigned long seed;		/* the shuffle's; printed so a run replays */
	bool ktap;			/* --format ktap: KTAP on stdout */
	unsigned maxfail;		/* problems that stop the run; 0: none */
	bool verbose, quiet;		/* -v: a line per check; -q: the recap only */
	bool reasons;			/* -r: xfail and skip reasons at the end */
	unsigned durations;		/* --durations N: the N slowest at the end */
	enum nc_color color;
	const char *out;		/* NULL: the command's default */
	const char *expect;		/* NULL: none (--no-expect) */
	bool expect_default;		/* expect is the data directory's file */
	enum nc_libc libc;		/* run --libc: whose checks run */
	const char *scenarios;
	bool clauses, areas;		/* list --clauses, list --areas */
	bool noise;			/* compare --noise: run-to-run noise shown */
	const char *inputs[2];		/* compare A B */
	struct nc_vm_request vm;	/* another kernel: harness/vm.c */
	struct nc_runsc_request runsc;	/* a user-space kernel: harness/runsc.c */
	const char *platform;		/* run --platform: harness/platforms.txt */
};

/* The command's name, or -1 when argv[1] names none. */
int nc_cli_command(const char *name);
/* Parses argv[2..] for opt->command into opt (argv itself untouched).
 * Returns 0, NC_CLI_DONE when it printed the help (exit 0), or 2 after one
 * line on stderr. */
#define NC_CLI_DONE (-1)
int nc_cli_parse(int argc, char **argv, struct options *opt);
void nc_cli_free(struct options *opt);
/* For a run on another kernel (vm.c): cmd's options as getopt_long takes
 * them, a zero row last, into longopts (room for NC_CLI_MAX_OPTIONS + 1).
 * getopt_long returns NC_OPT_HOST for those the host keeps (--kernel,
 * --initrd-modules-from, --vm-timeout, --out), NC_OPT_GUEST for the rest,
 * which go to the guest as given. */
#define NC_CLI_MAX_OPTIONS 32
enum { NC_OPT_GUEST = 1000, NC_OPT_HOST };
struct option;
void nc_cli_guest_longopts(enum nc_command cmd, struct option *longopts);
/* argv (main's) less the host's options, as getopt_long parses it with the
 * same table as nc_cli_parse() (which validated it, so abbreviations resolve
 * the same way): emit gets each argument in order with the long option it
 * belongs to (NULL for an operand).  Returns emit's first nonzero, or 0. */
typedef int nc_cli_emit(void *ctx, const char *option, const char *arg);
int nc_cli_guest_args(enum nc_command cmd, int argc, char **argv, nc_cli_emit *emit, void *ctx);
/* `netconform --help`: the commands, each in a line. */
void nc_cli_usage(void);
/* One line "netconform: WHO: ..." on stderr (a platform that cannot run). */
void nc_say_error_v(const char *who, const char *fmt, va_list ap);
/* One line "netconform: ... (see netconform [CMD] --help)" on stderr; 2. */
int nc_die_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
