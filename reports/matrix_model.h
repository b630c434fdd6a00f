/* The matrix as matrix_model.c builds it and matrix.c (text) and
 * matrix_html.c (page) show it; private to reports/. */
#ifndef NC_MATRIX_MODEL_H
#define NC_MATRIX_MODEL_H

#include <stdbool.h>

#include "matrix.h"

/* How a clause fares on one platform, worst first wins. */
enum mx_state { MX_NOT_RUN, MX_UNTESTED, MX_HOLDS, MX_DEVIATES, MX_FAILS, MX_N_STATES };

struct mx_row {
	const char *id;
	const char *summary;
	const char *key;		/* the observed value shown, or NULL */
	const struct nc_result **cells;	/* per platform; NULL: absent or not run */
	bool differs;
};

struct mx_clause {
	const char *id;			/* NULL: checks that name no clause */
	const char *section, *en;
	enum mx_state *states;		/* per platform */
	size_t *rows;			/* indices into mx.rows */
	size_t n_rows;
	bool differs;			/* a row differs */
};

struct mx {
	const struct nc_platform *platforms;
	size_t n_platforms;
	struct mx_row *rows;
	size_t n_rows;
	struct mx_clause *clauses;	/* catalog order */
	size_t n_clauses;
	size_t n_differ;		/* rows */
};

extern const char *const mx_state_names[MX_N_STATES];

/* "6.1.0-56-amd64", "glibc 2.36", "QEMU TCG" or "host": the header. */
const char *mx_kernel(const struct nc_platform *p, char *buf, size_t size);
const char *mx_libc(const struct nc_platform *p);
const char *mx_machine(const struct nc_platform *p, char *buf, size_t size);
/* The cell's text: "pass", "fail ECONNREFUSED", "absent", "-". */
void mx_cell_text(const struct mx_row *row, const struct nc_result *r, char *buf, size_t size);

/* The two groups of rows: those that differ across platforms, then the
 * rest; a clause shows in a group when one of its rows is in it. */
const char *mx_group_title(bool differing);
size_t mx_group_size(const struct mx *m, bool differing);
bool mx_clause_in_group(const struct mx *m, const struct mx_clause *cl, bool differing);

/* The matrix of platforms[0..n): 0, or -errno; mx_release() frees it. */
int mx_build(struct mx *m, const struct nc_platform *platforms, size_t n);
void mx_release(struct mx *m);

#endif
