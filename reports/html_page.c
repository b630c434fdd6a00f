/* What the parts of index.html share: small writers over libxml2's, and
 * what the page needs to know before writing. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page.h"

const char *const page_verdict_meanings[NC_N_VERDICTS] = {
	[NC_PASS] = "passed",
	[NC_FAIL] = "failed",
	[NC_XFAIL] = "failed as expected: a known deviation",
	[NC_XPASS] = "passed, but was expected to fail",
	[NC_SKIP] = "not run: its needs are not met here",
	[NC_ERROR] = "could not run to the end",
};

/* Display order: the bad news first. */
const enum nc_verdict page_verdict_order[NC_N_VERDICTS] = {
	NC_FAIL, NC_ERROR, NC_XPASS, NC_XFAIL, NC_SKIP, NC_PASS,
};


/* --- small writers --- */

void page_open(struct page *p, const char *name, const char *class)
{
	nc_xml_start(&p->x, name);
	nc_xml_attr(&p->x, "class", class);
}

void page_close(struct page *p)
{
	nc_xml_end_full(&p->x);
}

void page_close_block(struct page *p)
{
	nc_xml_end_full(&p->x);
	nc_xml_raw(&p->x, "\n");	/* readable page source */
}

void page_text(struct page *p, const char *name, const char *class, const char *text)
{
	page_open(p, name, class);
	nc_xml_text(&p->x, text);
	page_close(p);
}

void page_verdict_class(struct page *p, const char *prefix, enum nc_verdict verdict)
{
	nc_xml_attrf(&p->x, "class", "%sv-%s", prefix, nc_verdict_name(verdict));
}

void page_badge(struct page *p, enum nc_verdict verdict)
{
	nc_xml_start(&p->x, "span");
	page_verdict_class(p, "badge ", verdict);
	nc_xml_attr(&p->x, "title", page_verdict_meanings[verdict]);
	nc_xml_text(&p->x, nc_verdict_name(verdict));
	page_close(p);
}

/* An id attribute value (and fragment) from free text: HTML ids have no
 * spaces, and fragments read best without escapes. */
void page_id_attr(struct page *p, const char *attr, const char *prefix, const char *text)
{
	char *value = malloc(strlen(prefix) + strlen(text) + 2);
	char *out;

	if (!value) {
		p->x.err = p->x.err ? p->x.err : -ENOMEM;
		return;
	}
	out = value;
	if (strcmp(attr, "href") == 0)
		*out++ = '#';
	out = stpcpy(out, prefix);
	for (const char *in = text; *in; in++)
		*out++ = (strchr("-_.", *in) || (*in >= '0' && *in <= '9') ||
			  (*in >= 'a' && *in <= 'z') || (*in >= 'A' && *in <= 'Z')) ? *in : '_';
	*out = '\0';
	nc_xml_attr(&p->x, attr, value);
	free(value);
}

/* "412 ms", "7.3 s", "3 min 05 s": integers, so no locale's decimal comma. */
void page_duration(double seconds, char *buf, size_t size)
{
	long long ms = seconds > 0 && seconds < 1e12 ? (long long)(seconds * 1000 + 0.5) : 0;

	if (ms < 1000)
		snprintf(buf, size, "%lld ms", ms);
	else if (ms < 60000)
		snprintf(buf, size, "%lld.%lld s", (ms + 50) / 1000, (ms + 50) / 100 % 10);
	else
		snprintf(buf, size, "%lld min %02lld s", ms / 60000, (ms + 500) / 1000 % 60);
}

/* "33.3%": per mille in integers, for the same reason. */
void page_width(struct page *p, size_t part, size_t whole)
{
	size_t per_mille = whole ? part * 1000 / whole : 0;

	nc_xml_attrf(&p->x, "style", "width:%zu.%zu%%", per_mille / 10, per_mille % 10);
}

/* --- what the page needs to know first --- */

static bool page_in_list(const char **list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], name) == 0)
			return true;
	return false;
}

/* The catalog's row of clause, or NULL. */
static const struct nc_clause_row *page_catalog_row(const struct nc_run *run, const char *clause)
{
	for (size_t i = 0; i < run->n_clauses; i++)
		if (strcmp(run->clauses[i].id, clause) == 0)
			return &run->clauses[i];
	return NULL;
}

bool page_names_clause(const struct nc_result *r, const char *clause)
{
	for (size_t i = 0; i < r->n_clauses; i++)
		if (strcmp(r->clauses[i], clause) == 0)
			return true;
	return false;
}

bool page_is_checked(const struct nc_run *run, const char *clause)
{
	for (size_t i = 0; i < run->n_results; i++)
		if (page_names_clause(&run->results[i], clause))
			return true;
	return false;
}

int page_init(struct page *p, const struct nc_run *run)
{
	size_t max_stray = 0;

	memset(p, 0, sizeof(*p));
	p->run = run;
	for (size_t i = 0; i < run->n_results; i++)
		max_stray += run->results[i].n_clauses;
	p->areas = calloc(run->n_results + 1, sizeof(*p->areas));
	p->stray_clauses = calloc(max_stray + 1, sizeof(*p->stray_clauses));
	if (!p->areas || !p->stray_clauses)
		return -ENOMEM;
	for (size_t i = 0; i < run->n_results; i++) {
		const struct nc_result *r = &run->results[i];

		p->counts[r->verdict]++;
		if (!page_in_list(p->areas, p->n_areas, r->area))
			p->areas[p->n_areas++] = r->area;
		for (size_t c = 0; c < r->n_clauses; c++)
			if (!page_catalog_row(run, r->clauses[c]) &&
			    !page_in_list(p->stray_clauses, p->n_stray, r->clauses[c]))
				p->stray_clauses[p->n_stray++] = r->clauses[c];
	}
	return 0;
}

void page_free(struct page *p)
{
	free(p->areas);
	free(p->stray_clauses);
}

/* A chip with the clause's sentence on hover and focus: a tooltip of the
 * page's own, as text, which a touch screen can show too (libxml2 writes
 * a title attribute's Chinese as character references, and its own HTML
 * parser then stumbles on them). */
void page_clause_link(struct page *p, const char *clause)
{
	const struct nc_clause_row *row = page_catalog_row(p->run, clause);

	page_open(p, "span", "chip");
	page_open(p, "a", "clause");
	page_id_attr(p, "href", "clause-", clause);
	nc_xml_text(&p->x, clause);
	page_close(p);
	if (row && (row->en || row->zh)) {
		page_open(p, "span", "tip");
		nc_xml_attr(&p->x, "role", "tooltip");
		if (row->section)
			page_text(p, "span", "sec", row->section);
		if (row->en)
			page_text(p, "span", "en", row->en);
		if (row->zh) {
			page_open(p, "span", "zh");
			nc_xml_attr(&p->x, "lang", "zh");
			nc_xml_text(&p->x, row->zh);
			page_close(p);
		}
		page_close(p);
	}
	page_close(p);
}

void page_table_start(struct page *p, const char *class, const struct page_column *columns,
		      size_t n)
{
	page_open(p, "table", class);
	nc_xml_start(&p->x, "thead");
	nc_xml_start(&p->x, "tr");
	for (size_t i = 0; i < n; i++)
		page_text(p, "th", columns[i].class, columns[i].title);
	page_close(p);
	page_close_block(p);
}
