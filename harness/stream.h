/* The results in plan order while the run goes on (harness/stream.c). */
#ifndef NC_STREAM_H
#define NC_STREAM_H

#include <stdbool.h>

#include "select.h"

struct nc_stream;

/* For plan (skips: the skip file's entries, or NULL): KTAP on stdout when
 * ktap, else one plain line per check when lines; maxfail problems (fail,
 * error, xpass) stop the run, 0 never. */
struct nc_stream *nc_stream_new(const struct nc_plan *plan, const struct nc_expectations *skips,
				bool ktap, bool lines, unsigned maxfail);
/* nc_run_options.on_result: shows what can be shown; true at --maxfail. */
bool nc_stream_result(void *stream, size_t index, const struct nc_result *r);
/* After nc_execute(): the rest, from ran (a check without id never ran). */
void nc_stream_flush(struct nc_stream *s, const struct nc_run *ran);
/* The KTAP totals of run (the collected run; NULL: none), and free. */
void nc_stream_free(struct nc_stream *s, const struct nc_run *run);

#endif
