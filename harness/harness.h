/* The runner's parts: the registry of tests, expectations, verdicts,
 * the parallel executor, progress, and what the machine offers. */
#ifndef NC_HARNESS_H
#define NC_HARNESS_H

#include <CUnit/CUnit.h>
#include <stdbool.h>
#include <stddef.h>

#include "check.h"
#include "libc.h"
#include "results.h"

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
};

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
/* The checks that name clause id, joined by ", " into buf; 0 when none. */
size_t nc_registry_checks_of(const struct nc_registry *reg, const char *clause,
			     char *buf, size_t size);

/* Loads each scenario the selected tests name, from dir.  Returns 0, or -1
 * with "file:line: what is wrong" in err. */
int nc_registry_load_scenarios(struct nc_registry *reg, const char *dir,
			       char *err, size_t errsize);

/* --- expectations/linux.txt: "check-id  xfail  reason" --- */

struct nc_expectation {
	char *pattern;			/* a check id, or a glob over ids */
	char *reason;
	int line;
	bool used;
};

struct nc_expectations {
	char *path;
	struct nc_expectation *items;
	size_t n_items;
};

/* Returns 0, or -1 with "file:line: what is wrong" in err. */
int nc_expectations_load(const char *path, struct nc_expectations *out,
			 char *err, size_t errsize);
int nc_expectations_parse(const char *path, const char *text,
			  struct nc_expectations *out, char *err, size_t errsize);
/* Every pattern must name at least one of ids: else -1 and the message. */
int nc_expectations_validate(const struct nc_expectations *exp,
			     const char *const *ids, size_t n_ids,
			     char *err, size_t errsize);
/* The skip file: "CHECK-ID-OR-GLOB  reason" a line; the same checks. */
int nc_skip_file_load(const char *path, struct nc_expectations *out, char *err, size_t errsize);
const char *nc_expectations_reason(const struct nc_expectations *exp, const char *id);
void nc_expectations_free(struct nc_expectations *exp);

/* What happened, and what was expected, make the verdict. */
enum nc_verdict nc_verdict_of(enum nc_verdict outcome, bool expected_to_fail);

/* --- running --- */

struct nc_run_options {
	enum nc_libc libc;
	unsigned jobs;
	unsigned timeout_s;		/* for checks without their own deadline */
	double deadline_scale;		/* slow machines (TCG) stretch deadlines */
	bool progress_tty;
};

/* Runs tests[0..n) and fills run->results in the same order. */
int nc_execute(struct nc_test *const *tests, size_t n,
	       const struct nc_run_options *opt,
	       const struct nc_expectations *exp, struct nc_run *run);


/* --- progress --- */
struct nc_progress;
struct nc_progress *nc_progress_new(size_t total, bool tty);
void nc_progress_start(struct nc_progress *p, const char *id);
void nc_progress_done(struct nc_progress *p, const struct nc_result *r);
void nc_progress_free(struct nc_progress *p);

/* --- the machine --- */
void nc_env_collect(struct nc_run *run, const char *sandbox_mode, int argc, char **argv);
int nc_doctor(void);

#endif
