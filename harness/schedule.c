/* Longest expected first (schedule.h). */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "schedule.h"

struct timed {
	const char *id;		/* without "@ROUND" */
	size_t id_len;
	double seconds;
};

static int compare_timed(const void *a, const void *b)
{
	const struct timed *x = a, *y = b;
	size_t len = x->id_len < y->id_len ? x->id_len : y->id_len;
	int c = strncmp(x->id, y->id, len);

	return c ? c : (x->id_len > y->id_len) - (x->id_len < y->id_len);
}

void nc_schedule_expected(struct nc_test *const *tests, size_t n, const char *previous,
			  unsigned timeout_s, double *expected)
{
	struct nc_run run = { 0 };
	struct timed *times = NULL;
	size_t n_times = 0;
	char err[256];

	for (size_t i = 0; i < n; i++)
		expected[i] = (tests[i]->check->deadline_ms ? tests[i]->check->deadline_ms
							      : timeout_s * 1000) / 1000.0;
	if (!previous || nc_results_read(previous, &run, err, sizeof(err)) < 0)
		return;		/* no run before this one: the declared deadlines */
	times = calloc(run.n_results ? run.n_results : 1, sizeof(*times));
	if (!times)
		goto out;
	for (size_t i = 0; i < run.n_results; i++) {
		const struct nc_result *r = &run.results[i];

		if (!r->id || r->verdict == NC_SKIP)
			continue;
		times[n_times++] = (struct timed){ r->id, strcspn(r->id, "@"), r->seconds };
	}
	qsort(times, n_times, sizeof(*times), compare_timed);
	for (size_t i = 0; i < n; i++) {
		struct timed key = { tests[i]->id, strlen(tests[i]->id), 0 };
		const struct timed *found = bsearch(&key, times, n_times, sizeof(*times),
						    compare_timed);

		if (found)
			expected[i] = found->seconds;
	}
out:
	free(times);
	nc_run_free(&run);
}

static int longest_first(const void *a, const void *b, void *arg)
{
	const double *expected = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (expected[x] != expected[y])
		return expected[x] < expected[y] ? 1 : -1;
	return (x > y) - (x < y);
}

void nc_schedule_order(const double *expected, size_t n, size_t *order)
{
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	qsort_r(order, n, sizeof(*order), longest_first, (void *)expected);
}
