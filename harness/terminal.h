/* What a person at a terminal sees: the progress line (never wider than the
 * terminal), colours (--color, NO_COLOR), and the recap at the end of a run,
 * as prove prints it.  CI output stays plain. */
#ifndef NC_TERMINAL_H
#define NC_TERMINAL_H

#include <stdbool.h>
#include <stdio.h>

#include "cli.h"
#include "results.h"

struct nc_terminal_state {
	FILE *progress;		/* where the progress line is redrawn, or NULL */
	bool lines;		/* one plain line per finished check on stdout */
	bool color;
};
extern struct nc_terminal_state nc_terminal;

/* ktap: stdout carries KTAP only. */
void nc_terminal_setup(enum nc_color color, bool ktap);
/* Columns of the terminal behind stream (80 when it will not say). */
unsigned nc_terminal_width(FILE *stream);
/* The verdict's name, coloured when colours are on. */
const char *nc_verdict_painted(enum nc_verdict verdict, char *buf, size_t size);
/* Every fail, error and xpass with its message, flaky checks of --repeat,
 * then "Result: PASS|FAIL  N checks in T s: ..." and where the reports are. */
void nc_recap_print(const struct nc_run *run, const char *out, FILE *stream);

#endif
