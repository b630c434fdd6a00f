/* The registry of tests: each check linked in (its "nc_checks" section),
 * or each case of its table, as one CUnit test, one CUnit suite per area. */
#ifndef NC_REGISTRY_H
#define NC_REGISTRY_H

#include <CUnit/CUnit.h>
#include <stddef.h>

#include "check.h"

struct nc_scenario;

/* One CUnit test: a check, or one case of a check. */
struct nc_test {
	const struct nc_check *check;
	const char *check_id;		/* "area.name" */
	const char *file;		/* where NC_CHECK stands */
	int line;
	const void *row;		/* the case, or NULL */
	const char *case_name;
	char id[128];			/* check id, plus "." and the case name */
	char area[32];
	CU_pSuite cu_suite;
	CU_pTest cu_test;
	const struct nc_scenario *scenario;
	const struct nc_case_ctx *ctx;	/* while it runs (nc_registry_bind()) */
};

struct nc_result;

struct nc_registry {
	struct nc_test *tests;
	size_t n_tests;
	struct nc_scenario **scenarios;	/* loaded, each once */
	size_t n_scenarios;
};

/* Walks the checks linked in, adds them to the CUnit registry (one suite
 * per area), in id order.  Returns 0 or -errno. */
int nc_registry_build(struct nc_registry *reg);
void nc_registry_free(struct nc_registry *reg);
/* The checks that name clause id, joined by ", " into buf; 0 when none.
 * A check beyond the document claims no clause. */
size_t nc_registry_checks_of(const struct nc_registry *reg, const char *clause,
			     char *buf, size_t size);
/* The values of the axes the checks naming clause cover (their .covers
 * merged: "mode:blocking,nonblocking form:v4"), into buf; "" when none.
 * Returns 0, or -EINVAL for a .covers that names no known axis. */
int nc_registry_covers_of(const struct nc_registry *reg, const char *clause, char *buf,
			  size_t size);

/* Loads each scenario the selected tests name, from dir.  Returns 0, or -1
 * with "file:line: what is wrong" in err. */
int nc_registry_load_scenarios(struct nc_registry *reg, const char *dir,
			       char *err, size_t errsize);

/* How a check body gets its context.  A CUnit test takes no arguments:
 * the runner's child binds the context it built to the test it is about
 * to run, and the CUnit test asks for the context of CUnit's current test
 * (CU_get_current_test()) here, and calls nc_check_run() with it, as the
 * musl program does with the context it builds. */
void nc_registry_bind(struct nc_test *test, const struct nc_case_ctx *ctx);
/* The context bound to cu_test, or NULL. */
const struct nc_case_ctx *nc_registry_context(CU_pTest cu_test);

/* What test is, into result (not its id, which a round may suffix):
 * area, summary, what it goes beyond, where it stands, its clauses. */
void nc_test_describe(const struct nc_test *test, struct nc_result *result);

#endif
