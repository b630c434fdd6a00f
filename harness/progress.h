/* Progress on a terminal: one line redrawn in place, problems above it. */
#ifndef NC_PROGRESS_H
#define NC_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "results.h"

struct nc_progress;
/* NULL when out of memory. */
struct nc_progress *nc_progress_new(size_t total, bool tty);
void nc_progress_start(struct nc_progress *p, const char *id);
void nc_progress_done(struct nc_progress *p, const struct nc_result *r);
void nc_progress_free(struct nc_progress *p);

#endif
