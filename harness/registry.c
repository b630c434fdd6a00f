/* From the "nc_checks" linker section to the CUnit registry: one CUnit suite
 * per area, one CUnit test per check or per case of its table. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "coverage.h"
#include "registry.h"
#include "results.h"
#include "scenario_parse.h"

/* The registry the CUnit tests belong to (nc_registry_build()). */
static const struct nc_registry *built;

void nc_registry_bind(struct nc_test *test, const struct nc_case_ctx *ctx)
{
	test->ctx = ctx;
}

const struct nc_case_ctx *nc_registry_context(CU_pTest cu_test)
{
	for (size_t i = 0; built && i < built->n_tests; i++)
		if (built->tests[i].cu_test == cu_test)
			return built->tests[i].ctx;
	return NULL;
}

/* Every CUnit test: the body of the check CUnit runs, with its context. */
static void run_current_case(void)
{
	const struct nc_case_ctx *ctx = nc_registry_context(CU_get_current_test());

	if (ctx)
		nc_check_run(ctx);
	else
		nc_fatal("no context bound to CUnit's current test");
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct nc_test *)a)->id, ((const struct nc_test *)b)->id);
}

static int add_test(struct nc_registry *reg, const struct nc_check_entry *entry,
		    const void *row)
{
	const struct nc_check *check = entry->check;
	struct nc_test *test = &reg->tests[reg->n_tests];
	int n;

	memset(test, 0, sizeof(*test));
	test->check = check;
	test->check_id = entry->id;
	test->file = entry->file;
	test->line = entry->line;
	test->row = row;
	test->case_name = row ? ((const struct nc_case_head *)row)->name : NULL;
	if (test->case_name)
		n = snprintf(test->id, sizeof(test->id), "%s.%s", entry->id, test->case_name);
	else
		n = snprintf(test->id, sizeof(test->id), "%s", entry->id);
	if (n < 0 || (size_t)n >= sizeof(test->id))
		return -ENAMETOOLONG;
	n = snprintf(test->area, sizeof(test->area), "%.*s", (int)strcspn(entry->id, "."),
		     entry->id);
	if (n < 0 || (size_t)n >= sizeof(test->area))
		return -ENAMETOOLONG;
	reg->n_tests++;
	return 0;
}

int nc_registry_build(struct nc_registry *reg)
{
	const struct nc_check_entry *p;
	size_t total = 0;
	int err;

	memset(reg, 0, sizeof(*reg));
	if (!__start_nc_checks)
		return 0;
	for (p = __start_nc_checks; p < __stop_nc_checks; p++)
		total += p->check->n_cases ? p->check->n_cases : 1;
	reg->tests = calloc(total ? total : 1, sizeof(*reg->tests));
	if (!reg->tests)
		return -ENOMEM;
	for (p = __start_nc_checks; p < __stop_nc_checks; p++) {
		const struct nc_check *check = p->check;

		if (!check->n_cases) {
			err = add_test(reg, p, NULL);
			if (err < 0)
				return err;
		}
		for (size_t i = 0; i < check->n_cases; i++) {
			err = add_test(reg, p, (const char *)check->cases + i * check->case_size);
			if (err < 0)
				return err;
		}
	}
	qsort(reg->tests, reg->n_tests, sizeof(*reg->tests), by_id);
	for (size_t i = 1; i < reg->n_tests; i++)
		if (strcmp(reg->tests[i - 1].id, reg->tests[i].id) == 0)
			return -EEXIST;

	if (CU_get_registry() == NULL && CU_initialize_registry() != CUE_SUCCESS)
		return -ENOMEM;
	for (size_t i = 0; i < reg->n_tests; i++) {
		struct nc_test *test = &reg->tests[i];

		test->cu_suite = CU_get_suite(test->area);
		if (!test->cu_suite)
			test->cu_suite = CU_add_suite(test->area, NULL, NULL);
		if (!test->cu_suite)
			return -ENOMEM;
		test->cu_test = CU_add_test(test->cu_suite, test->id, run_current_case);
		if (!test->cu_test)
			return -ENOMEM;
	}
	built = reg;
	return 0;
}

void nc_registry_free(struct nc_registry *reg)
{
	if (built == reg)
		built = NULL;
	for (size_t i = 0; i < reg->n_scenarios; i++)
		nc_scenario_free(reg->scenarios[i]);
	free(reg->scenarios);
	reg->scenarios = NULL;
	reg->n_scenarios = 0;
	free(reg->tests);
	reg->tests = NULL;
	reg->n_tests = 0;
	if (CU_get_registry())
		CU_cleanup_registry();
}

size_t nc_registry_checks_of(const struct nc_registry *reg, const char *clause,
			     char *buf, size_t size)
{
	const struct nc_check *last = NULL;
	size_t count = 0, used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < reg->n_tests; i++) {
		const struct nc_check *check = reg->tests[i].check;
		const char *check_id = reg->tests[i].check_id;

		if (check == last || check->beyond)
			continue;
		for (const char *const *c = check->clauses; c && *c; c++) {
			if (strcmp(*c, clause) != 0)
				continue;
			int n = snprintf(buf + used, size - used, "%s%s",
					 count ? ", " : "", check_id);
			if (n > 0 && (size_t)n < size - used)
				used += (size_t)n;
			count++;
			last = check;
			break;
		}
	}
	return count;
}

int nc_registry_covers_of(const struct nc_registry *reg, const char *clause, char *buf,
			  size_t size)
{
	const struct nc_check *last = NULL;

	buf[0] = '\0';
	for (size_t i = 0; i < reg->n_tests; i++) {
		const struct nc_check *check = reg->tests[i].check;

		if (check == last || check->beyond || !check->covers)
			continue;
		last = check;
		for (const char *const *c = check->clauses; c && *c; c++) {
			int err;

			if (strcmp(*c, clause) != 0)
				continue;
			err = nc_coverage_merge(buf, size, check->covers);
			if (err < 0)
				return err;
			break;
		}
	}
	return 0;
}

/* Scenarios are parsed, and so refused, before any check runs. */
int nc_registry_load_scenarios(struct nc_registry *reg, const char *dir,
			       char *err, size_t errsize)
{
	const char **names = calloc(reg->n_tests + 1, sizeof(*names));

	reg->scenarios = calloc(reg->n_tests + 1, sizeof(*reg->scenarios));
	if (!names || !reg->scenarios) {
		free(names);
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < reg->n_tests; i++) {
		const char *name = reg->tests[i].check->scenario;
		char path[4096];
		size_t j;

		if (!name)
			continue;
		for (j = 0; j < reg->n_scenarios; j++)
			if (strcmp(names[j], name) == 0)
				break;
		if (j == reg->n_scenarios) {
			snprintf(path, sizeof(path), "%s/%s.scn", dir, name);
			if (nc_scenario_load(path, &reg->scenarios[j], err, errsize) < 0) {
				free(names);
				return -1;
			}
			names[j] = name;
			reg->n_scenarios++;
		}
		reg->tests[i].scenario = reg->scenarios[j];
	}
	free(names);
	return 0;
}

/* NULL stays NULL: "beyond" is there or not. */
static char *copy_or_null(const char *s)
{
	return s ? nc_copy_or_abort(s) : NULL;
}

void nc_test_describe(const struct nc_test *test, struct nc_result *result)
{
	result->area = copy_or_null(test->area);
	result->summary = copy_or_null(test->check->summary);
	result->beyond = copy_or_null(test->check->beyond);
	result->file = copy_or_null(test->file);
	result->line = test->line;
	for (const char *const *c = test->check->clauses; c && *c; c++)
		nc_result_add_clause(result, *c);
}
