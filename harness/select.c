/* Which checks a run takes and in which order: --filter and --exclude (list
 * uses the same), the skip file, --repeat and --shuffle.  The order of
 * execution may be shuffled; the reports keep the registry's order, round
 * after round, so two runs line up whatever the seed. */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "results.h"
#include "select.h"
#include "verdict.h"

static bool matches_any(const struct nc_globs *globs, const char *id)
{
	for (size_t i = 0; i < globs->n; i++)
		if (fnmatch(globs->items[i], id, 0) == 0)
			return true;
	return false;
}

bool nc_selected(const struct options *opt, const char *id)
{
	return (!opt->filters.n || matches_any(&opt->filters, id)) &&
	       !matches_any(&opt->excludes, id);
}

/* A glob that matches nothing is a typo, not an empty selection. */
static int check_globs(const struct nc_registry *reg, const char *cmd, const char *opt,
		       const struct nc_globs *globs)
{
	for (size_t g = 0; g < globs->n; g++) {
		bool any = false;

		for (size_t i = 0; i < reg->n_tests && !any; i++)
			any = fnmatch(globs->items[g], reg->tests[i].id, 0) == 0;
		if (!any)
			return nc_die_usage(cmd, "--%s '%s' matches no check", opt, globs->items[g]);
	}
	return 0;
}

int nc_select_validate(const struct nc_registry *reg, const struct options *opt,
		       const char *cmd)
{
	int status = check_globs(reg, cmd, "filter", &opt->filters);
	bool any = false;

	if (!status)
		status = check_globs(reg, cmd, "exclude", &opt->excludes);
	/* Nothing to run is a mistake, not a PASS of 0 checks. */
	for (size_t i = 0; i < reg->n_tests && !status && !any; i++)
		any = nc_selected(opt, reg->tests[i].id);
	if (!status && !any && reg->n_tests)
		status = nc_die_usage(cmd, "--filter and --exclude select no check");
	return status;
}

/* xorshift64*: the same order for the same seed on every libc. */
static unsigned long long next_random(unsigned long long *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 2685821657736338717ull;
}

int nc_plan_make(const struct nc_registry *reg, const struct options *opt,
		 const struct nc_expectations *skips, struct nc_plan *plan)
{
	size_t n_runnable = 0;

	memset(plan, 0, sizeof(*plan));
	plan->rounds = opt->repeat ? opt->repeat : 1;
	plan->selected = calloc(reg->n_tests + 1, sizeof(*plan->selected));
	if (!plan->selected)
		return -ENOMEM;
	for (size_t i = 0; i < reg->n_tests; i++)
		if (nc_selected(opt, reg->tests[i].id)) {
			plan->selected[plan->n_selected++] = &reg->tests[i];
			n_runnable += !nc_expectations_reason(skips, reg->tests[i].id);
		}
	plan->order = calloc(n_runnable * plan->rounds + 1, sizeof(*plan->order));
	plan->slot = calloc(plan->n_selected * plan->rounds + 1, sizeof(*plan->slot));
	if (!plan->order || !plan->slot)
		return -ENOMEM;
	for (unsigned r = 0; r < plan->rounds; r++)
		for (size_t i = 0; i < plan->n_selected; i++) {
			size_t at = r * plan->n_selected + i;

			if (nc_expectations_reason(skips, plan->selected[i]->id)) {
				plan->slot[at] = (size_t)-1;
				continue;
			}
			plan->slot[at] = plan->n_order;
			plan->order[plan->n_order++] = plan->selected[i];
		}
	if (opt->shuffle) {
		unsigned long long state = opt->seed * 0x9e3779b97f4a7c15ull + 1;
		size_t *where = calloc(plan->n_order + 1, sizeof(*where));

		if (!where)
			return -ENOMEM;
		for (size_t k = 0; k < plan->n_order; k++)
			where[k] = k;
		for (size_t k = plan->n_order; k > 1; k--) {	/* Fisher-Yates */
			size_t j = (size_t)(next_random(&state) % k);
			struct nc_test *test = plan->order[k - 1];
			size_t w = where[k - 1];

			plan->order[k - 1] = plan->order[j];
			plan->order[j] = test;
			where[k - 1] = where[j];
			where[j] = w;
		}
		/* slot[] pointed into the unshuffled order */
		size_t *position = calloc(plan->n_order + 1, sizeof(*position));

		if (!position) {
			free(where);
			return -ENOMEM;
		}
		for (size_t k = 0; k < plan->n_order; k++)
			position[where[k]] = k;
		for (size_t s = 0; s < plan->n_selected * plan->rounds; s++)
			if (plan->slot[s] != (size_t)-1)
				plan->slot[s] = position[plan->slot[s]];
		free(position);
		free(where);
	}
	return 0;
}

char *nc_plan_id(const struct nc_plan *plan, size_t pos)
{
	const char *id = plan->selected[pos % plan->n_selected]->id;
	char *text;

	if (plan->rounds == 1)
		return nc_copy_or_abort(id);
	if (asprintf(&text, "%s@%zu", id, pos / plan->n_selected + 1) < 0)
		abort();
	return text;
}

void nc_plan_skipped(const struct nc_plan *plan, size_t pos, const struct nc_expectations *skips,
		     struct nc_result *r)
{
	const struct nc_test *test = plan->selected[pos % plan->n_selected];
	const char *reason = nc_expectations_reason(skips, test->id);

	r->id = nc_plan_id(plan, pos);
	nc_test_describe(test, r);
	nc_verdict_apply(&(struct nc_facts){ .skip_file = skips->path, .skip_reason = reason }, r);
}

void nc_plan_collect(const struct nc_plan *plan, const struct nc_expectations *skips,
		     struct nc_run *ran, struct nc_run *run)
{
	for (size_t pos = 0; pos < plan->n_selected * plan->rounds; pos++) {
		size_t slot = plan->slot[pos];
		struct nc_result *result;
		char *id;

		if (slot == (size_t)-1) {
			nc_plan_skipped(plan, pos, skips, nc_run_add_result(run));
			continue;
		}
		id = nc_plan_id(plan, pos);
		if (!ran->results[slot].id) {	/* not run: the run was stopped */
			nc_run_add_unrun(run, id, plan->selected[pos % plan->n_selected]->area,
					 pos);
			free(id);
			continue;
		}
		result = nc_run_add_result(run);
		*result = ran->results[slot];
		memset(&ran->results[slot], 0, sizeof(ran->results[slot]));
		free(result->id);
		result->id = id;
	}
	run->interrupted = ran->interrupted;
	run->n_not_run = ran->n_not_run;
}

void nc_plan_free(struct nc_plan *plan)
{
	free(plan->selected);
	free(plan->order);
	free(plan->slot);
	memset(plan, 0, sizeof(*plan));
}
