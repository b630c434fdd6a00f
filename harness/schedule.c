/* Longest timer first (schedule.h). */
#include <stdlib.h>

#include "registry.h"
#include "schedule.h"

void nc_schedule_expected(struct nc_test *const *tests, size_t n, double *expected)
{
	for (size_t i = 0; i < n; i++)
		expected[i] = tests[i]->check->longest_timer_ms / 1000.0;
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
