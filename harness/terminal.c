/* The terminal: who gets the progress line, colours, and the recap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "escape.h"
#include "results.h"
#include "strnum.h"
#include "terminal.h"
#include "verdict.h"

struct nc_terminal_state nc_terminal;

static const char *const verdict_colors[NC_N_VERDICTS] = {
	[NC_PASS] = "32", [NC_FAIL] = "1;31", [NC_XFAIL] = "33", [NC_XPASS] = "1;35",
	[NC_SKIP] = "2", [NC_ERROR] = "1;31",
};

void nc_terminal_setup(const struct options *opt)
{
	bool ci = getenv("CI") != NULL;
	const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");
	FILE *human = opt->ktap ? stderr : stdout;	/* where verdict words go */

	nc_terminal.progress = !ci && !opt->verbose && !opt->quiet && isatty(fileno(human)) ?
			       human : NULL;
	nc_terminal.lines = !opt->ktap && !opt->quiet && !nc_terminal.progress;
	if (opt->color == NC_COLOR_AUTO)
		nc_terminal.color = isatty(fileno(human)) && !(no_color && *no_color) &&
				    !(term && strcmp(term, "dumb") == 0);
	else
		nc_terminal.color = opt->color == NC_COLOR_ALWAYS;
}

unsigned nc_terminal_width(FILE *stream)
{
	struct winsize ws;
	unsigned long columns;

	if (ioctl(fileno(stream), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (nc_parse_ulong(getenv("COLUMNS"), 10, 10000, &columns) == 0)
		return (unsigned)columns;
	return 80;
}

const char *nc_verdict_painted(enum nc_verdict verdict, char *buf, size_t size)
{
	if (nc_terminal.color)
		snprintf(buf, size, "\033[%sm%s\033[0m", verdict_colors[verdict],
			 nc_verdict_name(verdict));
	else
		snprintf(buf, size, "%s", nc_verdict_name(verdict));
	return buf;
}

/* --repeat: checks whose verdict differed between rounds (ids "ID@ROUND",
 * round after round in the same order). */
static void flaky(const struct nc_run *run, FILE *stream)
{
	unsigned long rounds;
	size_t per_round, n_flaky = 0;
	char painted[64];

	if (nc_parse_ulong(nc_env_get(run, "repeat"), 2, 100000, &rounds) ||
	    run->n_results % rounds)
		return;
	per_round = run->n_results / rounds;
	for (size_t i = 0; i < per_round; i++) {
		size_t counts[NC_N_VERDICTS] = { 0 }, kinds = 0;
		const char *id = run->results[i].id;

		for (size_t r = 0; r < rounds; r++)
			counts[run->results[r * per_round + i].verdict]++;
		for (int v = 0; v < NC_N_VERDICTS; v++)
			kinds += counts[v] > 0;
		if (kinds < 2)
			continue;
		if (!n_flaky++)
			fprintf(stream, "\nFlaky over %lu rounds:\n", rounds);
		fprintf(stream, "  %.*s:", (int)strcspn(id, "@"), id);
		for (int v = 0; v < NC_N_VERDICTS; v++)
			if (counts[v])
				fprintf(stream, " %zu %s", counts[v],
					nc_verdict_painted(v, painted, sizeof(painted)));
		fprintf(stream, "\n");
	}
}

/* "clauses: 9 deviates, 86 holds": what the run says of the document. */
static void clause_recap(const struct nc_run *run, FILE *stream)
{
	size_t counts[NC_N_CLAUSE_STATUSES] = { 0 };
	const char *sep = "";

	if (!run->n_clauses)
		return;
	for (size_t k = 0; k < run->n_clauses; k++)
		counts[nc_clause_status(run, &run->clauses[k])]++;
	fprintf(stream, "clauses:");
	for (int s = 0; s < NC_N_CLAUSE_STATUSES; s++)
		if (counts[s]) {
			fprintf(stream, "%s %zu %s", sep, counts[s], nc_clause_status_name(s));
			sep = ",";
		}
	fprintf(stream, "\n");
}

/* pytest's -r: the known deviations and the skips, with their reasons. */
static void reasons(const struct nc_run *run, FILE *stream)
{
	char painted[64];
	size_t listed = 0;

	for (size_t i = 0; i < run->n_results; i++) {
		const struct nc_result *r = &run->results[i];

		if (r->verdict != NC_XFAIL && r->verdict != NC_SKIP)
			continue;
		if (!listed++)
			fprintf(stream, "\nKnown deviations (xfail) and skips, with their reasons:\n");
		fprintf(stream, "  %-5s %s\n", nc_verdict_painted(r->verdict, painted, sizeof(painted)),
			r->id);
		nc_print_wrapped(stream, "        ", r->verdict == NC_XFAIL ? r->reason : r->message,
				 80);
	}
}

static int by_seconds(const void *a, const void *b)
{
	double x = (*(const struct nc_result *const *)a)->seconds;
	double y = (*(const struct nc_result *const *)b)->seconds;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* pytest's --durations N: the slowest checks. */
static void durations(const struct nc_run *run, unsigned n, FILE *stream)
{
	const struct nc_result **sorted = calloc(run->n_results + 1, sizeof(*sorted));

	if (!sorted || !run->n_results) {
		free(sorted);
		return;
	}
	for (size_t i = 0; i < run->n_results; i++)
		sorted[i] = &run->results[i];
	qsort(sorted, run->n_results, sizeof(*sorted), by_seconds);
	fprintf(stream, "\nSlowest %u check%s:\n", n, n == 1 ? "" : "s");
	for (size_t i = 0; i < n && i < run->n_results; i++)
		fprintf(stream, "  %7.2f s  %s\n", sorted[i]->seconds, sorted[i]->id);
	free(sorted);
}

void nc_recap_print(const struct nc_run *run, const struct options *opt, FILE *stream)
{
	size_t counts[NC_N_VERDICTS] = { 0 }, problems = 0;
	char painted[64], text[256], escaped[1024];
	const char *result;

	if (opt->reasons)
		reasons(run, stream);
	if (opt->durations)
		durations(run, opt->durations, stream);
	for (size_t i = 0; i < run->n_results; i++) {
		const struct nc_result *r = &run->results[i];

		counts[r->verdict]++;
		if (!nc_verdict_is_problem(r->verdict))
			continue;
		if (!problems++)
			fprintf(stream, "\nTest summary: failures, errors and unexpected passes\n");
		fprintf(stream, "  %s  %s\n", nc_verdict_painted(r->verdict, painted,
								  sizeof(painted)), r->id);
		if (r->verdict == NC_XPASS)
			fprintf(stream, "        passed, but expected to fail: %s\n",
				nc_escape(r->reason ? r->reason : "(no reason given)", escaped,
					  sizeof(escaped)));
		else
			nc_print_wrapped(stream, "        ", r->message, 80);
		fprintf(stream, "        rerun: %s\n", nc_rerun_command(run, r->id, text,
									 sizeof(text)));
	}
	flaky(run, stream);
	result = run->interrupted || (run->n_not_run && !problems) ? "INCOMPLETE" :
		 problems ? "FAIL" : "PASS";
	if (nc_terminal.color)
		fprintf(stream, "Result: \033[1;%sm%s\033[0m",
			problems || run->n_not_run ? "31" : "32", result);
	else
		fprintf(stream, "Result: %s", result);
	fprintf(stream, "  %zu check%s in %.1f s\n ", run->n_results,
		run->n_results == 1 ? "" : "s", run->seconds);
	for (int v = 0; v < NC_N_VERDICTS; v++)
		fprintf(stream, " %zu %s%s", counts[v], nc_verdict_name(v),
			v + 1 < NC_N_VERDICTS ? "," : "\n");
	if (run->n_not_run)
		nc_print_wrapped(stream, "  ", nc_run_incomplete_text(run, text, sizeof(text)), 80);
	clause_recap(run, stream);
	fprintf(stream, "reports: %s/index.html\n", opt->out);
	fprintf(stream, "         (junit.xml, ktap.txt and results.xml beside it)\n");
	fflush(stream);
}
