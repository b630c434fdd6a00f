/* The results while the run goes on, in plan order: checks finish in any
 * order (--jobs, --shuffle), and each is shown as soon as every check
 * before it in the plan has finished.  To stdout, as KTAP (--format ktap),
 * or as plain lines when no terminal shows the progress line (CI, a
 * pipe).  It also counts problems for --maxfail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream.h"
#include "terminal.h"
#include "verdict.h"

struct nc_stream {
	const struct nc_plan *plan;
	size_t n;			/* places: rounds x selected */
	size_t next;			/* the first not shown yet */
	const struct nc_result **done;	/* each place's result once finished */
	struct nc_result *skipped;	/* the skip file's, made beforehand */
	char **ids;
	const char **areas;
	size_t *place_of;		/* index in plan->order -> place */
	bool ktap, lines;
	struct nc_ktap k;
	unsigned maxfail, problems;
};

/* "fail  connect.refused.ipv4 (1.02 s)", the message under it. */
static void plain_line(const char *id, const struct nc_result *r)
{
	char painted[64];

	printf("%-5s %s (%.2f s)\n", nc_verdict_painted(r->verdict, painted, sizeof(painted)),
	       id, r->seconds);
	if (r->message)
		nc_print_wrapped(stdout, "      ", r->message, 80);
	fflush(stdout);
}

static void show(struct nc_stream *s, const struct nc_result *r)
{
	if (s->ktap)
		nc_ktap_next(&s->k, s->ids[s->next], r);
	else if (s->lines && r)
		plain_line(s->ids[s->next], r);
	s->next++;
}

struct nc_stream *nc_stream_new(const struct nc_plan *plan, const struct nc_expectations *skips,
				bool ktap, bool lines, unsigned maxfail)
{
	struct nc_stream *s = calloc(1, sizeof(*s));
	size_t n = plan->n_selected * plan->rounds;

	if (!s)
		abort();
	*s = (struct nc_stream){
		.plan = plan, .n = n, .ktap = ktap, .lines = lines, .maxfail = maxfail,
		.done = calloc(n + 1, sizeof(*s->done)),
		.skipped = calloc(n + 1, sizeof(*s->skipped)),
		.ids = calloc(n + 1, sizeof(*s->ids)),
		.areas = calloc(n + 1, sizeof(*s->areas)),
		.place_of = calloc(plan->n_order + 1, sizeof(*s->place_of)),
	};
	if (!s->done || !s->skipped || !s->ids || !s->areas || !s->place_of)
		abort();
	for (size_t at = 0; at < n; at++) {
		s->ids[at] = nc_plan_id(plan, at);
		s->areas[at] = plan->selected[at % plan->n_selected]->area;
		if (plan->slot[at] == (size_t)-1) {
			nc_plan_skipped(plan, at, skips, &s->skipped[at]);
			s->done[at] = &s->skipped[at];
		} else {
			s->place_of[plan->slot[at]] = at;
		}
	}
	if (ktap)
		nc_ktap_begin(&s->k, stdout, s->areas, n);
	while (s->next < s->n && s->done[s->next])
		show(s, s->done[s->next]);
	return s;
}

bool nc_stream_result(void *ctx, size_t index, const struct nc_result *r)
{
	struct nc_stream *s = ctx;

	s->done[s->place_of[index]] = r;
	s->problems += nc_verdict_is_problem(r->verdict);
	while (s->next < s->n && s->done[s->next])
		show(s, s->done[s->next]);
	return s->maxfail && s->problems >= s->maxfail;
}

void nc_stream_flush(struct nc_stream *s, const struct nc_run *ran)
{
	while (s->next < s->n) {
		size_t slot = s->plan->slot[s->next];

		show(s, slot == (size_t)-1 ? &s->skipped[s->next] :
			ran->results[slot].id ? &ran->results[slot] : NULL);
	}
}

void nc_stream_free(struct nc_stream *s, const struct nc_run *run)
{
	if (s->ktap && run)
		nc_ktap_end(&s->k, run);
	for (size_t at = 0; at < s->n; at++) {
		free(s->ids[at]);
		nc_result_free(&s->skipped[at]);
	}
	free(s->ids);
	free(s->skipped);
	free(s->done);
	free(s->areas);
	free(s->place_of);
	free(s);
}
