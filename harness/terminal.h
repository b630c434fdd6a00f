/* What a person at a terminal sees: the progress line (never wider than the
 * terminal), colours (--color, NO_COLOR), and the recap at the end of a run,
 * as prove prints it.  CI output stays plain. */
#ifndef NC_TERMINAL_H
#define NC_TERMINAL_H

#include <stdbool.h>
#include <stdio.h>

#include "cli.h"
#include "results.h"
#include "wrap.h"

struct nc_terminal_state {
	FILE *progress;		/* where the progress line is redrawn, or NULL */
	bool lines;		/* one plain line per finished check on stdout */
	bool color;
};
extern struct nc_terminal_state nc_terminal;

/* --format ktap: stdout carries KTAP only; -v: lines, not the progress
 * line; -q: neither. */
void nc_terminal_setup(const struct options *opt);
/* Columns of the terminal behind stream (80 when it will not say). */
unsigned nc_terminal_width(FILE *stream);
/* The verdict's name, coloured when colours are on. */
const char *nc_verdict_painted(enum nc_verdict verdict, char *buf, size_t size);
/* With -r the xfail and skip reasons, with --durations N the slowest
 * checks; every fail, error and xpass with its message and the command that
 * reruns it, flaky checks of --repeat, then "Result: PASS|FAIL  N checks in
 * T s", the counts, and where the reports are: lines of 80 columns. */
void nc_recap_print(const struct nc_run *run, const struct options *opt, FILE *stream);


#endif
