/* The page's parts about conformance: the known deviations as a section of
 * their own (not only as filtered rows), the status of each clause, and
 * the mark of a check beyond the document.  The page's CSS (html.c) has
 * the classes used here. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "html_deviations.h"

static const char *const status_class[NC_N_CLAUSE_STATUSES] = {
	[NC_CLAUSE_CONTRADICTED] = "badge v-fail",
	[NC_CLAUSE_DEVIATES] = "badge v-xfail",
	[NC_CLAUSE_ERROR] = "badge v-error",
	[NC_CLAUSE_HOLDS] = "badge v-pass",
	[NC_CLAUSE_SKIPPED] = "badge v-skip",
	[NC_CLAUSE_NOT_SELECTED] = "badge uncovered",
	[NC_CLAUSE_UNCHECKED] = "badge uncovered",
};

static void element(struct nc_xml *x, const char *name, const char *class, const char *text)
{
	nc_xml_start(x, name);
	nc_xml_attr(x, "class", class);
	nc_xml_text(x, text);
	nc_xml_end_full(x);
}

/* "#check-ID" and "#clause-ID", as html.c writes those ids. */
static void href(struct nc_xml *x, const char *prefix, const char *id)
{
	char value[512];
	size_t n = (size_t)snprintf(value, sizeof(value), "#%s", prefix);

	for (const char *p = id; *p && n + 1 < sizeof(value); p++)
		value[n++] = (strchr("-_.", *p) || (*p >= '0' && *p <= '9') ||
			      (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) ? *p : '_';
	value[n] = '\0';
	nc_xml_attr(x, "href", value);
}

static void status_badge(struct nc_xml *x, enum nc_clause_status s)
{
	nc_xml_start(x, "span");
	nc_xml_attr(x, "class", status_class[s]);
	nc_xml_attr(x, "title", nc_clause_status_meaning(s));
	nc_xml_text(x, nc_clause_status_name(s));
	nc_xml_end_full(x);
}

void nc_html_clause_status(struct nc_xml *x, const struct nc_run *run,
			   const struct nc_clause_row *row)
{
	status_badge(x, nc_clause_status(run, row));
	nc_xml_text(x, " ");
}

void nc_html_clause_tally(struct nc_xml *x, const struct nc_run *run)
{
	size_t counts[NC_N_CLAUSE_STATUSES] = { 0 };

	for (size_t i = 0; i < run->n_clauses; i++)
		counts[nc_clause_status(run, &run->clauses[i])]++;
	nc_xml_start(x, "p");
	nc_xml_attr(x, "class", "tally");
	for (int s = 0; s < NC_N_CLAUSE_STATUSES; s++) {
		if (!counts[s])
			continue;
		status_badge(x, s);
		nc_xml_textf(x, " %zu ", counts[s]);
	}
	nc_xml_end_full(x);
}

void nc_html_beyond(struct nc_xml *x, const struct nc_result *r)
{
	if (!r->beyond)
		return;
	nc_xml_start(x, "div");
	nc_xml_attr(x, "class", "beyond muted");
	nc_xml_attr(x, "title", r->beyond);
	nc_xml_text(x, "beyond the document: ");
	nc_xml_text(x, r->beyond);
	nc_xml_end_full(x);
}

static bool names(const struct nc_result *r, const char *clause)
{
	for (size_t i = 0; i < r->n_clauses; i++)
		if (strcmp(r->clauses[i], clause) == 0)
			return true;
	return false;
}

static bool is_of(const struct nc_result *r, const struct nc_deviation_row *d)
{
	return r->deviation && strcmp(r->deviation, d->pattern) == 0;
}

/* The document's sentences: every clause the deviation's checks claim. */
static void write_sentences(struct nc_xml *x, const struct nc_run *run,
			    const struct nc_deviation_row *d)
{
	nc_xml_start(x, "td");
	for (size_t c = 0; c < run->n_clauses; c++) {
		const struct nc_clause_row *row = &run->clauses[c];
		bool claimed = false;

		for (size_t i = 0; i < run->n_results && !claimed; i++)
			claimed = is_of(&run->results[i], d) && !run->results[i].beyond &&
				  names(&run->results[i], row->id);
		if (!claimed)
			continue;
		nc_xml_start(x, "div");
		nc_xml_start(x, "a");
		nc_xml_attr(x, "class", "clause");
		href(x, "clause-", row->id);
		nc_xml_text(x, row->id);
		nc_xml_end_full(x);
		if (row->en)	/* English first, as everywhere on the page */
			element(x, "div", "en", row->en);
		if (row->zh) {
			nc_xml_start(x, "div");
			nc_xml_attr(x, "class", "zh");
			nc_xml_attr(x, "lang", "zh");
			nc_xml_text(x, row->zh);
			nc_xml_end_full(x);
		}
		nc_xml_end_full(x);
	}
	nc_xml_end_full(x);
}

/* What a check observed under key: its assertion's value, else its own. */
static const char *observed_of(const struct nc_result *r, const char *key)
{
	const char *last = NULL;

	for (size_t i = 0; i < r->n_asserts; i++)
		if (strcmp(r->asserts[i].key, key) == 0) {
			if (!r->asserts[i].passed)
				return r->asserts[i].observed;
			last = r->asserts[i].observed;
		}
	for (size_t i = 0; !last && i < r->n_observed; i++)
		if (strcmp(r->observed[i].key, key) == 0)
			last = r->observed[i].value;
	return last;
}

/* Each pin beside the values its checks observed, each value once. */
static void write_pins(struct nc_xml *x, const struct nc_run *run,
		       const struct nc_deviation_row *d)
{
	nc_xml_start(x, "td");
	nc_xml_start(x, "table");
	nc_xml_attr(x, "class", "eo");
	nc_xml_start(x, "tbody");
	nc_xml_start(x, "tr");
	nc_xml_attr(x, "class", "head");
	element(x, "th", NULL, "");
	element(x, "th", NULL, "pinned");
	element(x, "th", NULL, "observed");
	nc_xml_end_full(x);
	for (size_t k = 0; k < d->n_pins; k++) {
		const char *seen[64];
		size_t n_seen = 0;

		for (size_t i = 0; i < run->n_results && n_seen < 64; i++) {
			const char *v = is_of(&run->results[i], d) ?
					observed_of(&run->results[i], d->pins[k].key) : NULL;
			bool dup = false;

			for (size_t j = 0; v && j < n_seen && !dup; j++)
				dup = strcmp(seen[j], v) == 0;
			if (v && !dup)
				seen[n_seen++] = v;
		}
		nc_xml_start(x, "tr");
		element(x, "th", NULL, d->pins[k].key);
		element(x, "td", "exp", d->pins[k].value);
		nc_xml_start(x, "td");
		nc_xml_attr(x, "class", "obs");
		for (size_t j = 0; j < n_seen; j++)
			nc_xml_textf(x, "%s%s", j ? ", " : "", seen[j]);
		if (!n_seen)
			nc_xml_text(x, "\xe2\x80\x94");
		nc_xml_end_full(x);
		nc_xml_end_full(x);
	}
	nc_xml_end_full(x);
	nc_xml_end_full(x);
	nc_xml_end_full(x);
}

static void write_checks(struct nc_xml *x, const struct nc_run *run,
			 const struct nc_deviation_row *d)
{
	nc_xml_start(x, "td");
	for (size_t i = 0; i < run->n_results; i++) {
		const struct nc_result *r = &run->results[i];

		if (!is_of(r, d))
			continue;
		nc_xml_start(x, "a");
		nc_xml_attr(x, "class", "chk");
		href(x, "check-", r->id);
		nc_xml_attr(x, "data-verdict", nc_verdict_name(r->verdict));
		nc_xml_attr(x, "data-area", r->area);
		nc_xml_start(x, "span");
		nc_xml_attrf(x, "class", "badge v-%s", nc_verdict_name(r->verdict));
		nc_xml_text(x, nc_verdict_name(r->verdict));
		nc_xml_end_full(x);
		nc_xml_text(x, " ");
		element(x, "code", NULL, r->id);
		nc_xml_end_full(x);
	}
	nc_xml_end_full(x);
}

void nc_html_deviations(struct nc_xml *x, const struct nc_run *run)
{
	static const char *const columns[] = {
		"The document says", "Linux / glibc do instead", "Pinned values",
		"Checks",
	};

	nc_xml_start(x, "h2");
	nc_xml_attr(x, "id", "deviations");
	nc_xml_text(x, "Known deviations");
	nc_xml_start(x, "span");
	nc_xml_attr(x, "class", "n");
	nc_xml_textf(x, "%zu", run->n_deviations);
	nc_xml_end_full(x);
	nc_xml_end_full(x);
	nc_xml_raw(x, "\n");
	if (!run->n_deviations) {
		element(x, "p", "note", "No expectation file: no deviation is known.");
		return;
	}
	element(x, "p", "note", "Where Linux and its C library do otherwise than the "
		"document, one line of the expectation file each, pinned to the values that "
		"make up the deviation: a check stays xfail only while every failure is "
		"pinned and every pinned value holds; otherwise it fails.");
	nc_xml_start(x, "table");
	nc_xml_attr(x, "class", "deviations");
	nc_xml_start(x, "thead");
	nc_xml_start(x, "tr");
	for (size_t i = 0; i < sizeof(columns) / sizeof(columns[0]); i++)
		element(x, "th", NULL, columns[i]);
	nc_xml_end_full(x);
	nc_xml_end_full(x);
	nc_xml_start(x, "tbody");
	for (size_t i = 0; i < run->n_deviations; i++) {
		const struct nc_deviation_row *d = &run->deviations[i];

		nc_xml_raw(x, "\n");
		nc_xml_start(x, "tr");
		nc_xml_attrf(x, "id", "deviation-%zu", i + 1);
		write_sentences(x, run, d);
		nc_xml_start(x, "td");
		nc_xml_text(x, d->reason);
		nc_xml_start(x, "div");
		nc_xml_attr(x, "class", "where");
		nc_xml_textf(x, "%s \xc2\xb7 %s", d->where, d->pattern);
		nc_xml_end_full(x);
		nc_xml_end_full(x);
		write_pins(x, run, d);
		write_checks(x, run, d);
		nc_xml_end_full(x);
	}
	nc_xml_end_full(x);
	nc_xml_end_full(x);
	nc_xml_raw(x, "\n");
}
