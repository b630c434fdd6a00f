/* See values.h. */
#include <fnmatch.h>
#include <string.h>

#include "values.h"

/* Observed values that vary from run to run by nature (TCP sequence
 * numbers start at a random ISN). */
static const char *const volatile_keys[] = {
	"*_ms", "*_us", "*elapsed*", "*timer*", "*port", "fd", "heap_*", "*.seq", "*.ack",
};

bool nc_value_is_volatile(const char *key)
{
	for (size_t i = 0; i < sizeof(volatile_keys) / sizeof(volatile_keys[0]); i++)
		if (fnmatch(volatile_keys[i], key, 0) == 0)
			return true;
	return false;
}

const char *nc_kv_get(const struct nc_kv *list, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i].key, key) == 0)
			return list[i].value;
	return NULL;
}

const struct nc_result *nc_run_find(const struct nc_run *run, const char *id)
{
	for (size_t i = 0; i < run->n_results; i++)
		if (strcmp(run->results[i].id, id) == 0)
			return &run->results[i];
	return NULL;
}

bool nc_value_differs(const char *a, const char *b)
{
	return (a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0);
}
