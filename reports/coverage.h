/* The paths of a clause (issue 20): which axes apply to it (mode, sequence,
 * boundary, state, form, field, text) and which values of them its checks'
 * cases take.  Both are words: the axes "mode form", the values
 * "mode:blocking,nonblocking form:v4,v6,mapped" (struct nc_check's .covers).
 * An axis that applies and has no value is missing, shown as such. */
#ifndef NC_REPORT_COVERAGE_H
#define NC_REPORT_COVERAGE_H

#include <stdbool.h>
#include <stddef.h>

/* The axes a clause may name, in the order they are shown. */
extern const char *const nc_coverage_axes[];

/* Whether every word of axes ("mode form") is one of nc_coverage_axes. */
bool nc_coverage_axes_known(const char *axes);

/* Adds the values of covers ("axis:v1,v2 axis:v3") to those already in buf
 * (the same form), each value once, axes in nc_coverage_axes order.
 * Returns 0, or -EINVAL for a word without "axis:" or an unknown axis
 * (buf unchanged), -ENOSPC when buf is too small. */
int nc_coverage_merge(char *buf, size_t size, const char *covers);

/* The values covers gives axis, "blocking, nonblocking", into buf; false
 * (buf "") when it gives none. */
bool nc_coverage_values(const char *covers, const char *axis, char *buf, size_t size);

/* "mode: blocking, nonblocking · form: v4 · state: missing": every axis of
 * axes (NULL or "": none apply, buf ""), with its values or "missing".
 * Returns how many are missing. */
size_t nc_coverage_text(const char *axes, const char *covers, char *buf, size_t size);

#endif
