/* The conformance matrix (netconform matrix): one row per check, grouped by
 * clause, one column per platform (a kernel and a C library), each cell the
 * verdict and the value that matters; the rows that differ across platforms
 * first.  A text table and a self-contained page, matrix.html. */
#ifndef NC_MATRIX_H
#define NC_MATRIX_H

#include <stdio.h>

#include "results.h"

/* A column: a run's results, or a platform that did not run and why. */
struct nc_platform {
	const char *name;		/* "trixie-glibc": the run directory's name */
	const struct nc_run *run;	/* NULL: not run */
	const char *status;		/* not run: "skipped" or "error" */
	const char *reason;		/* not run: why, in one line */
};

/* How many of a platform's checks are a fail, an error or an xpass. */
size_t nc_matrix_problems(const struct nc_platform *p);

/* Writes the table to out and the page to html_path (NULL: none).
 * Returns the number of checks that differ across platforms, or -errno
 * when the page cannot be written. */
int nc_matrix_write(const struct nc_platform *platforms, size_t n, FILE *out,
		    const char *html_path);

#endif
