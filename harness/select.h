/* Which checks a run takes, in which order, and which it only reports as
 * skipped (harness/select.c). */
#ifndef NC_SELECT_H
#define NC_SELECT_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "registry.h"
#include "results.h"

struct nc_expectations;

/* --filter (any, when given) and not --exclude: list and run alike. */
bool nc_selected(const struct options *opt, const char *id);
/* Every --filter and --exclude must match a check: else 2, said. */
int nc_select_validate(const struct nc_registry *reg, const struct options *opt,
		       const char *cmd);

struct nc_plan {
	struct nc_test **selected;	/* registry order */
	size_t n_selected;
	unsigned rounds;		/* --repeat */
	struct nc_test **order;		/* what runs, in execution order */
	size_t n_order;
	size_t *slot;			/* [round][selected]: index into order,
					 * or (size_t)-1: skipped by the skip file */
};

/* skips: the skip file's entries, or NULL.  Returns 0 or -ENOMEM. */
int nc_plan_make(const struct nc_registry *reg, const struct options *opt,
		 const struct nc_expectations *skips, struct nc_plan *plan);
/* The results of ran (order[]'s, moved out of it) and the skipped checks
 * into run, in registry order round after round; ids get "@ROUND" when
 * there is more than one round.  A check that did not run (a stopped run:
 * no id) goes to run->unrun; run says it was interrupted as ran does. */
void nc_plan_collect(const struct nc_plan *plan, const struct nc_expectations *skips,
		     struct nc_run *ran, struct nc_run *run);
void nc_plan_free(struct nc_plan *plan);
/* A place in the reports (round after round, registry order): from 0 to
 * n_selected * rounds.  Its id ("ID@ROUND" when more than one round),
 * malloc()ed; and the result of a check the skip file skips there. */
char *nc_plan_id(const struct nc_plan *plan, size_t pos);
void nc_plan_skipped(const struct nc_plan *plan, size_t pos, const struct nc_expectations *skips,
		     struct nc_result *r);

#endif
