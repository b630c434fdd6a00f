/* Progress: on a terminal one line redrawn in place, cut to the terminal's
 * width so it never wraps, with problems printed above it as they come.
 * Elsewhere (CI, a pipe) harness/stream.c prints a line per check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "progress.h"
#include "results.h"
#include "terminal.h"
#include "verdict.h"

struct nc_progress {
	size_t total, done;
	size_t counts[NC_N_VERDICTS];
	FILE *tty;
	char running[128];
};

struct nc_progress *nc_progress_new(size_t total, bool tty)
{
	struct nc_progress *p = calloc(1, sizeof(*p));

	if (p) {
		p->total = total;
		p->tty = tty ? nc_terminal.progress : NULL;
	}
	return p;
}

static void redraw(struct nc_progress *p)
{
	char line[512];
	unsigned width = nc_terminal_width(p->tty);
	int n = snprintf(line, sizeof(line), "[%zu/%zu] pass %zu fail %zu xfail %zu skip %zu "
			 "error %zu  %s", p->done, p->total, p->counts[NC_PASS],
			 p->counts[NC_FAIL] + p->counts[NC_XPASS], p->counts[NC_XFAIL],
			 p->counts[NC_SKIP], p->counts[NC_ERROR], p->running);

	/* the last column would wrap on some terminals: stop before it */
	if (n > 0 && width > 1 && (size_t)n >= width)
		line[width - 1 < sizeof(line) ? width - 1 : sizeof(line) - 1] = '\0';
	fprintf(p->tty, "\r\033[K%s", line);
	fflush(p->tty);
}

void nc_progress_start(struct nc_progress *p, const char *id)
{
	snprintf(p->running, sizeof(p->running), "%s", id);
	if (p->tty)
		redraw(p);
}

void nc_progress_done(struct nc_progress *p, const struct nc_result *r)
{
	char painted[64], escaped[1024];

	p->done++;
	p->counts[r->verdict]++;
	if (p->tty) {
		/* Problems stay on screen above the progress line, a line each:
		 * the recap at the end has their whole message. */
		if (nc_verdict_is_problem(r->verdict)) {
			int room = (int)nc_terminal_width(p->tty) - 1 -
				   (int)strlen(nc_verdict_name(r->verdict)) - 1;
			char line[512], message[512];

			snprintf(message, sizeof(message), "%.*s",
				 r->message ? (int)strcspn(r->message, "\n") : 0,
				 r->message ? r->message : "");
			snprintf(line, sizeof(line), "%s: %s", r->id,
				 nc_escape(message, escaped, sizeof(escaped)));
			fprintf(p->tty, "\r\033[K%s %.*s\n",
				nc_verdict_painted(r->verdict, painted, sizeof(painted)),
				room > 0 ? room : 0, line);
		}
		redraw(p);
	}
}

void nc_progress_free(struct nc_progress *p)
{
	if (p->tty) {
		fprintf(p->tty, "\r\033[K");
		fflush(p->tty);
	}
	free(p);
}
