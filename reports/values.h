/* What comparing runs needs, private to reports/ (compare.c, matrix.c):
 * a check found by id, an observed value by key, and which observed values
 * vary from run to run by nature (never counted as a difference). */
#ifndef NC_REPORT_VALUES_H
#define NC_REPORT_VALUES_H

#include <stdbool.h>
#include <stddef.h>

#include "results.h"

/* elapsed_ms, a source port, an fd number, ... */
bool nc_value_is_volatile(const char *key);
/* The value of key in list, or NULL. */
const char *nc_kv_get(const struct nc_kv *list, size_t n, const char *key);
/* The check of run with that id, or NULL. */
const struct nc_result *nc_run_find(const struct nc_run *run, const char *id);
/* One is NULL and the other not, or both are and their text differs. */
bool nc_value_differs(const char *a, const char *b);

#endif
