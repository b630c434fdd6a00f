/* Two runs matched check by check (reports/compare.c), for the text summary
 * (compare_text.c) and the page (compare_page.c).  Private to reports/. */
#ifndef NC_REPORT_COMPARE_H
#define NC_REPORT_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "results.h"

/* In the order a reader wants them: what changed the verdict first. */
enum row_kind { VERDICT, ONLY_A, ONLY_B, VALUES, NOISE, SAME, N_KINDS };

struct row {
	const struct nc_result *a, *b;
	enum row_kind kind;
};

struct comparison {
	const struct nc_run *a, *b;
	const char *a_path, *b_path;
	struct row *rows;	/* a's order, then b's own checks */
	size_t n_rows;
	size_t counts[N_KINDS];
	bool same_selection;	/* else ONLY_A/ONLY_B are the selections' doing */
	const char *a_selection, *b_selection;
	const char *a_expect, *b_expect;	/* the expectations files, "none" */
	bool show_noise;
};

/* Fills c (rows, counts, selections, expectations) from c->a and c->b, the
 * rows matched by check id.  Returns 0, or -1 with "file: what is wrong" in
 * err (an id twice in a run).  c->rows is the caller's to free(). */
int nc_compare_runs(struct comparison *c, char *err, size_t errsize);
/* Whether a check's value for key differs between the runs by more than
 * run-to-run noise; *noise set when it differs by noise only. */
bool nc_value_differs(const char *key, const char *a, const char *b, bool *noise);
/* A value that says nothing across runs: a port, a descriptor, an ISN. */
bool nc_key_is_noise(const char *key);
const char *nc_kv_value(const struct nc_kv *list, size_t n, const char *key);
/* The checks whose verdict differs, as the exit status counts them. */
size_t nc_verdict_diffs(const struct comparison *c);

int nc_compare_page(const char *path, const struct comparison *c);

#endif
