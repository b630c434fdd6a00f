/* Progress: on a terminal one line that updates in place; otherwise (CI) one
 * plain line per finished check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

struct nc_progress {
	size_t total, done;
	size_t counts[NC_N_VERDICTS];
	bool tty;
	char running[128];
};

struct nc_progress *nc_progress_new(size_t total, bool tty)
{
	struct nc_progress *p = calloc(1, sizeof(*p));

	if (p) {
		p->total = total;
		p->tty = tty;
	}
	return p;
}

static void redraw(struct nc_progress *p)
{
	fprintf(stderr, "\r\033[K[%zu/%zu] pass %zu fail %zu xfail %zu skip %zu error %zu  %s",
		p->done, p->total, p->counts[NC_PASS], p->counts[NC_FAIL] + p->counts[NC_XPASS],
		p->counts[NC_XFAIL], p->counts[NC_SKIP], p->counts[NC_ERROR], p->running);
	fflush(stderr);
}

void nc_progress_start(struct nc_progress *p, const char *id)
{
	snprintf(p->running, sizeof(p->running), "%s", id);
	if (p->tty)
		redraw(p);
}

void nc_progress_done(struct nc_progress *p, const struct nc_result *r)
{
	p->done++;
	p->counts[r->verdict]++;
	if (p->tty) {
		/* Problems stay on screen above the progress line. */
		if (r->verdict == NC_FAIL || r->verdict == NC_ERROR || r->verdict == NC_XPASS)
			fprintf(stderr, "\r\033[K%-5s %s: %s\n", nc_verdict_name(r->verdict),
				r->id, r->message ? r->message : "");
		redraw(p);
		return;
	}
	printf("%-5s %s (%.2f s)%s%s\n", nc_verdict_name(r->verdict), r->id, r->seconds,
	       r->message ? ": " : "", r->message ? r->message : "");
	fflush(stdout);
}

void nc_progress_free(struct nc_progress *p)
{
	if (p->tty)
		fprintf(stderr, "\r\033[K");
	free(p);
}
