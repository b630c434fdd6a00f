/* netconform list: the checks a run with the same --filter and --exclude
 * would run, the areas (--areas), or the clauses with their checks; in
 * lines of 80 columns, the text under its id. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "cli.h"
#include "coverage.h"
#include "list.h"
#include "registry.h"
#include "select.h"
#include "terminal.h"

static void list_checks(const struct nc_registry *reg, const struct options *opt)
{
	char clauses[4096], lead[160];
	size_t listed = 0;

	for (size_t i = 0; i < reg->n_tests; i++) {
		const struct nc_check *check = reg->tests[i].check;
		size_t used = 0;

		if (!nc_selected(opt, reg->tests[i].id))
			continue;
		clauses[0] = '\0';
		for (const char *const *c = check->clauses; c && *c; c++) {
			int n = snprintf(clauses + used, sizeof(clauses) - used, "%s%s",
					 used ? ", " : "", *c);
			if (n > 0 && (size_t)n < sizeof(clauses) - used)
				used += (size_t)n;
		}
		snprintf(lead, sizeof(lead), "%s  ", reg->tests[i].id);
		nc_print_hanging(stdout, lead, "      ",
				 check->beyond ? "(beyond the document)" : clauses, 80);
		nc_print_wrapped(stdout, "    ", check->summary, 80);
		listed++;
	}
	printf("%zu check%s\n", listed, listed == 1 ? "" : "s");
}

/* Tests come in id order, so an area's are adjacent. */
static void list_areas(const struct nc_registry *reg, const struct options *opt)
{
	size_t n_areas = 0;

	for (size_t i = 0, count = 0; i < reg->n_tests; i++) {
		bool last = i + 1 == reg->n_tests ||
			    strcmp(reg->tests[i + 1].area, reg->tests[i].area) != 0;

		count += nc_selected(opt, reg->tests[i].id);
		if (!last)
			continue;
		if (count) {
			printf("%-20s %zu check%s\n", reg->tests[i].area, count,
			       count == 1 ? "" : "s");
			n_areas++;
		}
		count = 0;
	}
	printf("%zu area%s\n", n_areas, n_areas == 1 ? "" : "s");
}

static void list_clauses(const struct nc_registry *reg)
{
	char checks[4096], covers[4096], paths[4096];
	size_t covered = 0, missing = 0, axes_listed = 0;

	for (size_t k = 0; k < nc_n_clauses; k++) {
		const struct nc_clause *clause = &nc_clauses[k];
		const char *axes = nc_clause_axes_of(clause->id);
		size_t n = nc_registry_checks_of(reg, clause->id, checks, sizeof(checks));

		covered += n > 0;
		printf("%s\n", clause->id);
		nc_print_wrapped(stdout, "    ", clause->en, 80);
		nc_print_wrapped(stdout, "    ", clause->zh, 80);
		nc_print_hanging(stdout, "    checks: ", "      ", n ? checks : "UNCOVERED: no check",
				 80);
		if (nc_registry_covers_of(reg, clause->id, covers, sizeof(covers)) < 0)
			covers[0] = '\0';
		if (axes) {
			axes_listed++;
			missing += nc_coverage_text(axes, covers, paths, sizeof(paths));
		}
		nc_print_hanging(stdout, "    axes: ", "      ",
				 !axes ? "not listed (suite/clause_axes.c)" : *axes ? paths : "none apply",
				 80);
		printf("\n");
	}
	printf("%zu of %zu clauses covered\n", covered, nc_n_clauses);
	printf("%zu of %zu clauses have their axes listed, %zu applicable axes missing\n",
	       axes_listed, nc_n_clauses, missing);
}

int nc_list_main(const struct nc_registry *reg, const struct options *opt)
{
	int status;

	if (opt->areas && opt->clauses)
		return nc_die_usage("list", "--areas and --clauses are two lists: pick one");
	if (opt->clauses && (opt->filters.n || opt->excludes.n))
		return nc_die_usage("list", "--clauses lists every clause: no --filter or --exclude");
	status = nc_select_validate(reg, opt, "list");
	if (status)
		return status;
	if (opt->clauses)
		list_clauses(reg);
	else if (opt->areas)
		list_areas(reg, opt);
	else
		list_checks(reg, opt);
	return 0;
}
