/* The runner's parts: the registry of tests, expectations, verdicts,
 * the parallel executor, progress, and what the machine offers. */
#ifndef NC_HARNESS_H
#define NC_HARNESS_H

#include <CUnit/CUnit.h>
#include <stdbool.h>
#include <stddef.h>

#include "check.h"
#include "expect.h"
#include "expect_parse.h"
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

/* --- verdicts (verdict.c) --- */

/* What a test did, as its records said. */
struct nc_outcome {
	enum nc_verdict outcome;	/* pass, fail, skip or error */
	const struct nc_assertion *assertions;	/* setup steps included */
	size_t n_assertions;
	const struct nc_kv *observed;	/* every value, asserted or observed */
	size_t n_observed;
};

/* The verdict of o under e (NULL: no expectation).  Under an expectation
 * the verdict is xfail only when every failed assertion's key is pinned and
 * every pin matches what was observed; a pass is xpass; a failed setup
 * step is an error; anything else a fail.  why gets one line saying what
 * the pinned deviation came to: "pinned deviation holds: ...", "pinned
 * deviation changed: syns 2 -> 3", ...; "" for a pass, skip or error. */
enum nc_verdict nc_verdict_judge(const struct nc_expectation *e, const struct nc_outcome *o,
				 char *why, size_t whysize);

/* --- running --- */

struct nc_run_options {
	enum nc_libc libc;
	unsigned jobs;
	unsigned timeout_s;		/* for checks without their own deadline */
	double deadline_scale;		/* slow machines (TCG) stretch deadlines */
	bool progress_tty;
	/* Each result as it finishes (index: into tests); true stops the
	 * run there, the checks still running killed (--maxfail). */
	bool (*on_result)(void *ctx, size_t index, const struct nc_result *r);
	void *ctx;
};

/* Runs tests[0..n) and fills run->results in the same order.  SIGINT or
 * SIGTERM stops it early: run->interrupted says which, the results of the
 * checks not run have no id, and run->n_not_run counts them. */
/* SIGINT and SIGTERM from now on stop the run (nc_execute() starts no
 * check after one); call it first thing. */
void nc_stop_signals_catch(void);
/* The stop signal received or pending (blocked after nc_execute()), or 0. */
int nc_stop_signal_pending(void);
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
