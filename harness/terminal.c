/* The terminal: who gets the progress line, colours, and the recap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "escape.h"
#include "harness.h"
#include "strnum.h"
#include "terminal.h"

struct nc_terminal_state nc_terminal;

static const char *const verdict_colors[NC_N_VERDICTS] = {
	[NC_PASS] = "32", [NC_FAIL] = "1;31", [NC_XFAIL] = "33", [NC_XPASS] = "1;35",
	[NC_SKIP] = "2", [NC_ERROR] = "1;31",
};

void nc_terminal_setup(enum nc_color color, bool ktap)
{
	bool ci = getenv("CI") != NULL;
	const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");
	FILE *human = ktap ? stderr : stdout;	/* where verdict words go */

	nc_terminal.progress = !ci && isatty(fileno(human)) ? human : NULL;
	nc_terminal.lines = !ktap && !nc_terminal.progress;
	if (color == NC_COLOR_AUTO)
		nc_terminal.color = isatty(fileno(human)) && !(no_color && *no_color) &&
				    !(term && strcmp(term, "dumb") == 0);
	else
		nc_terminal.color = color == NC_COLOR_ALWAYS;
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

static bool is_problem(enum nc_verdict verdict)
{
	return verdict == NC_FAIL || verdict == NC_ERROR || verdict == NC_XPASS;
}

/* A message of several lines, each indented under its check. */
static void indented(FILE *stream, const char *text)
{
	while (text && *text) {
		size_t len = strcspn(text, "\n");

		fputs("        ", stream);
		nc_escape_put(stream, text, len);	/* ESC, BEL from a file stay text */
		fputc('\n', stream);
		text += len + (text[len] == '\n');
	}
}

static const char *env_value(const struct nc_run *run, const char *key)
{
	for (size_t i = 0; i < run->n_env; i++)
		if (strcmp(run->env[i].key, key) == 0)
			return run->env[i].value;
	return NULL;
}

/* --repeat: checks whose verdict differed between rounds (ids "ID@ROUND",
 * round after round in the same order). */
static void flaky(const struct nc_run *run, FILE *stream)
{
	unsigned long rounds;
	size_t per_round, n_flaky = 0;
	char painted[64];

	if (nc_parse_ulong(env_value(run, "repeat"), 2, 100000, &rounds) ||
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

void nc_recap_print(const struct nc_run *run, const char *out, FILE *stream)
{
	size_t counts[NC_N_VERDICTS] = { 0 }, problems = 0;
	char painted[64], incomplete[128], escaped[1024];
	const char *result;

	for (size_t i = 0; i < run->n_results; i++) {
		const struct nc_result *r = &run->results[i];

		counts[r->verdict]++;
		if (!is_problem(r->verdict))
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
			indented(stream, r->message);
	}
	flaky(run, stream);
	result = run->interrupted ? "INCOMPLETE" : problems ? "FAIL" : "PASS";
	if (nc_terminal.color)
		fprintf(stream, "Result: \033[1;%sm%s\033[0m",
			problems || run->interrupted ? "31" : "32", result);
	else
		fprintf(stream, "Result: %s", result);
	fprintf(stream, "  %zu check%s in %.1f s:", run->n_results,
		run->n_results == 1 ? "" : "s", run->seconds);
	for (int v = 0; v < NC_N_VERDICTS; v++)
		fprintf(stream, " %zu %s%s", counts[v], nc_verdict_name(v),
			v + 1 < NC_N_VERDICTS ? "," : "\n");
	if (run->interrupted)
		fprintf(stream, "  %s\n", nc_run_incomplete_text(run, incomplete, sizeof(incomplete)));
	clause_recap(run, stream);
	fprintf(stream, "reports: %s/index.html %s/junit.xml %s/ktap.txt %s/results.xml\n",
		out, out, out, out);
	fflush(stream);
}
