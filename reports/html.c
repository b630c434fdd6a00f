/* index.html: the one page people read.  Problems first, then every area,
 * then the spec clause by clause, so an auditor can go either way.
 *
 * Self-contained (inline CSS and script, no fonts or images): it is opened
 * from a CI artefact or an e-mail, offline, over file://.  It is written as
 * XHTML-compatible HTML5 with libxml2's writer, which escapes every string;
 * only HTML 4 element names are used, because libxml2's HTML parser (and so
 * `xmllint --html`) flags HTML5-only ones such as <section>. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coverage.h"
#include "html_deviations.h"
#include "page.h"
#include "style.h"
/* --- the parts of the page, top to bottom --- */

static void write_head(struct page *p)
{
	const char *date = nc_env_get(p->run, "date");
	size_t problems = p->counts[NC_FAIL] + p->counts[NC_ERROR] + p->counts[NC_XPASS];
	char title[160];

	snprintf(title, sizeof(title), "netconform report: %s%zu problem%s%s%s",
		 p->run->n_not_run ? "INCOMPLETE, " : "", problems, problems == 1 ? "" : "s",
		 date ? ", " : "", date ? date : "");
	nc_page_start(&p->x, title, nc_css_base, page_css);
}

/* The page is long: its parts a click away. */
static void write_nav(struct page *p)
{
	static const struct {
		const char *href, *text;
	} parts[] = {
		{ "#problems", "Problems" }, { "#deviations", "Known deviations" },
		{ "#areas", "Checks by area" }, { "#clauses", "Clauses" },
		{ "#environment", "Environment" },
	};

	page_open(p, "div", "nav");
	nc_xml_attr(&p->x, "id", "nav");
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		page_open(p, "a", NULL);
		nc_xml_attr(&p->x, "href", parts[i].href);
		nc_xml_text(&p->x, parts[i].text);
		page_close(p);
	}
	page_close_block(p);
}

static void write_summary(struct page *p)
{
	static const char *const parts[] = { "kernel", "libc", "sandbox", "date" };
	bool first = true;

	page_text(p, "h1", NULL, "netconform report");
	page_open(p, "p", "sub");
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		const char *value = nc_env_get(p->run, parts[i]);

		if (!value || !*value)
			continue;
		nc_xml_textf(&p->x, "%s%s", first ? "" : " \xc2\xb7 ", value);
		first = false;
	}
	page_close_block(p);
	if (p->run->n_not_run) {	/* a run stopped early is no verdict on the rest */
		char text[128];

		page_open(p, "div", "banner");
		nc_xml_attr(&p->x, "id", "incomplete");
		nc_xml_attr(&p->x, "role", "alert");
		page_text(p, "b", NULL, "Incomplete run: ");
		nc_xml_textf(&p->x, "%s. The counts below are of the %zu checks that finished; the "
			     "other %zu say nothing.",
			     nc_run_incomplete_text(p->run, text, sizeof(text)), p->run->n_results,
			     p->run->n_not_run);
		page_close_block(p);
	}

	page_open(p, "div", "summary");
	nc_xml_attr(&p->x, "id", "summary");
	for (size_t i = 0; i < NC_N_VERDICTS; i++) {
		enum nc_verdict v = page_verdict_order[i];

		nc_xml_start(&p->x, "div");
		nc_xml_attrf(&p->x, "class", "tile v-%s%s", nc_verdict_name(v),
			     p->counts[v] ? "" : " zero");
		nc_xml_attr(&p->x, "title", page_verdict_meanings[v]);
		page_open(p, "span", "count");
		nc_xml_attrf(&p->x, "id", "count-%s", nc_verdict_name(v));
		nc_xml_attr(&p->x, "data-verdict", nc_verdict_name(v));
		nc_xml_textf(&p->x, "%zu", p->counts[v]);
		page_close(p);
		page_text(p, "span", "label", nc_verdict_name(v));
		page_close(p);
	}
	if (p->run->n_not_run) {
		page_open(p, "div", "tile not-run");
		nc_xml_attr(&p->x, "title", "planned, but the run stopped before they finished");
		page_open(p, "span", "count");
		nc_xml_attr(&p->x, "id", "count-not-run");
		nc_xml_textf(&p->x, "%zu", p->run->n_not_run);
		page_close(p);
		page_text(p, "span", "label", "not run");
		page_close(p);
	}
	page_close_block(p);

	page_open(p, "div", "bar verdicts");
	for (size_t i = 0; i < NC_N_VERDICTS; i++) {
		enum nc_verdict v = page_verdict_order[i];

		if (!p->counts[v])
			continue;
		nc_xml_start(&p->x, "span");
		page_verdict_class(p, "", v);
		page_width(p, p->counts[v], p->run->n_results);
		nc_xml_attrf(&p->x, "title", "%zu %s", p->counts[v], nc_verdict_name(v));
		page_close(p);
	}
	page_close_block(p);
	write_nav(p);
}

static void kv_row(struct page *p, const char *class, const char *key, const char *value)
{
	page_open(p, "tr", class);
	page_text(p, "th", NULL, key);
	page_text(p, "td", NULL, value);
	page_close_block(p);
}

/* How the run was made, first: what a reader needs to repeat it or to
 * trust it.  The first five every run records; an older results file may
 * not, and the page says so rather than leave them out. */
static const char *const run_keys[] = {
	"expectations", "fault backend", "jobs", "timeout", "deadline scale",
	"selection", "skip file", "repeat", "shuffle seed", "duration",
};
#define N_REQUIRED_RUN_KEYS 5

static bool is_run_key(const char *key)
{
	for (size_t i = 0; i < sizeof(run_keys) / sizeof(run_keys[0]); i++)
		if (strcmp(key, run_keys[i]) == 0)
			return true;
	return false;
}

static void write_environment(struct page *p)
{
	char took[48];

	page_open(p, "div", "panel");
	nc_xml_attr(&p->x, "id", "environment");
	page_text(p, "h2", NULL, "Environment");
	page_open(p, "table", "kv");
	nc_xml_start(&p->x, "tbody");
	for (size_t i = 0; i < sizeof(run_keys) / sizeof(run_keys[0]); i++) {
		const char *value = nc_env_get(p->run, run_keys[i]);

		if (!value && strcmp(run_keys[i], "duration") == 0) {
			page_duration(p->run->seconds, took, sizeof(took));
			value = took;
		}
		if (value || i < N_REQUIRED_RUN_KEYS)
			kv_row(p, value ? "run" : "run missing", run_keys[i],
			       value ? value : "not recorded");
	}
	for (size_t i = 0; i < p->run->n_env; i++)
		if (!is_run_key(p->run->env[i].key))
			kv_row(p, NULL, p->run->env[i].key, p->run->env[i].value);
	page_close(p);
	page_close(p);
	page_close_block(p);
}

static void write_coverage(struct page *p)
{
	const struct nc_run *run = p->run;
	size_t covered = 0, uncovered;

	for (size_t i = 0; i < run->n_clauses; i++)
		covered += page_is_checked(run, run->clauses[i].id);
	uncovered = run->n_clauses - covered;

	page_open(p, "div", "panel");
	nc_xml_attr(&p->x, "id", "coverage");
	page_text(p, "h2", NULL, "Clause coverage");
	page_open(p, "p", "big");
	page_open(p, "b", NULL);
	nc_xml_textf(&p->x, "%zu", covered);
	page_close(p);
	nc_xml_textf(&p->x, " of %zu clauses have at least one check (%zu%%)", run->n_clauses,
		     run->n_clauses ? covered * 100 / run->n_clauses : 0);
	page_close_block(p);
	page_open(p, "div", "bar");
	page_open(p, "span", "v-pass");
	page_width(p, covered, run->n_clauses);
	page_close(p);
	page_close_block(p);
	nc_html_clause_tally(&p->x, run);
	if (uncovered) {
		page_open(p, "p", NULL);
		nc_xml_textf(&p->x, "Uncovered (%zu): ", uncovered);
		for (size_t i = 0; i < run->n_clauses; i++)
			if (!page_is_checked(run, run->clauses[i].id))
				page_clause_link(p, run->clauses[i].id);
		page_close_block(p);
	}
	if (p->n_stray) {
		page_open(p, "p", "muted");
		nc_xml_text(&p->x, "Named by checks but not in the clause catalog: ");
		for (size_t i = 0; i < p->n_stray; i++)
			page_clause_link(p, p->stray_clauses[i]);
		page_close_block(p);
	}
	page_close_block(p);
}

static void write_filters(struct page *p)
{
	page_open(p, "div", "filters");
	nc_xml_attr(&p->x, "id", "filters");
	page_text(p, "b", NULL, "Show");
	for (size_t i = 0; i < NC_N_VERDICTS; i++) {
		enum nc_verdict v = page_verdict_order[i];

		nc_xml_start(&p->x, "label");
		nc_xml_attr(&p->x, "title", page_verdict_meanings[v]);
		nc_xml_start(&p->x, "input");
		nc_xml_attr(&p->x, "type", "checkbox");
		nc_xml_attr(&p->x, "data-verdict", nc_verdict_name(v));
		nc_xml_attr(&p->x, "checked", "checked");
		nc_xml_end(&p->x);
		nc_xml_text(&p->x, " ");
		page_badge(p, v);
		page_close(p);
	}
	nc_xml_start(&p->x, "label");
	nc_xml_text(&p->x, "Area ");
	nc_xml_start(&p->x, "select");
	nc_xml_attr(&p->x, "id", "filter-area");
	nc_xml_start(&p->x, "option");
	nc_xml_attr(&p->x, "value", "");
	nc_xml_text(&p->x, "all areas");
	page_close(p);
	for (size_t a = 0; a < p->n_areas; a++) {
		nc_xml_start(&p->x, "option");
		nc_xml_attr(&p->x, "value", p->areas[a]);
		nc_xml_text(&p->x, p->areas[a]);
		page_close(p);
	}
	page_close(p);
	page_close(p);
	nc_xml_start(&p->x, "input");
	nc_xml_attr(&p->x, "type", "search");
	nc_xml_attr(&p->x, "id", "filter-search");
	nc_xml_attr(&p->x, "placeholder", "Search ids, summaries, values, messages");
	nc_xml_attr(&p->x, "aria-label", "Search the checks");
	nc_xml_end(&p->x);
	page_open(p, "span", NULL);
	nc_xml_attr(&p->x, "id", "filter-count");
	nc_xml_attr(&p->x, "aria-live", "polite");
	nc_xml_textf(&p->x, "%zu checks", p->run->n_results);
	page_close(p);
	page_close_block(p);
}

/* The axes that apply to the clause, each with the values its checks
 * cover or "missing": "mode: blocking, nonblocking · form: v4, v6". */
static void clause_paths(struct page *p, const struct nc_clause_row *row)
{
	char values[1024];
	bool first = true;

	page_open(p, "div", "paths");
	for (const char *at = row->axes; *at;) {
		size_t n = strcspn(at, " ");
		char axis[32];

		if (n && n < sizeof(axis)) {
			bool has;

			snprintf(axis, sizeof(axis), "%.*s", (int)n, at);
			has = nc_coverage_values(row->covers, axis, values, sizeof(values));
			if (!first)
				nc_xml_text(&p->x, " \u00b7 ");
			first = false;
			page_open(p, "span", has ? "axis" : "axis missing");
			nc_xml_textf(&p->x, "%s: %s", axis, has ? values : "missing");
			page_close(p);
		}
		at += n + (at[n] == ' ');
	}
	page_close(p);
}

static void clause_row(struct page *p, const char *id, const struct nc_clause_row *row)
{
	bool checked = page_is_checked(p->run, id);

	nc_xml_start(&p->x, "tr");
	page_id_attr(p, "id", "clause-", id);
	if (!checked)
		nc_xml_attr(&p->x, "class", "uncovered");
	page_open(p, "td", "id");
	page_text(p, "code", NULL, id);
	page_close(p);
	page_text(p, "td", NULL, row && row->section ? row->section : "");
	nc_xml_start(&p->x, "td");
	if (!row) {
		page_text(p, "div", "muted", "not in the clause catalog");
	} else {
		/* English first: a machine without CJK fonts shows the Chinese as boxes */
		if (row->en)
			page_text(p, "div", "en", row->en);
		if (row->zh) {
			page_open(p, "div", "zh");
			nc_xml_attr(&p->x, "lang", "zh");
			nc_xml_text(&p->x, row->zh);
			page_close(p);
		}
		if (row->axes)
			clause_paths(p, row);
	}
	page_close(p);
	nc_xml_start(&p->x, "td");
	if (row)
		nc_html_clause_status(&p->x, p->run, row);
	else if (!checked)
		page_text(p, "span", "badge uncovered", "uncovered");
	for (size_t i = 0; i < p->run->n_results; i++) {
		const struct nc_result *r = &p->run->results[i];

		if (!page_names_clause(r, id))
			continue;
		page_open(p, "a", "chk");
		page_id_attr(p, "href", "check-", r->id);
		nc_xml_attr(&p->x, "data-verdict", nc_verdict_name(r->verdict));
		nc_xml_attr(&p->x, "data-area", r->area);
		page_badge(p, r->verdict);
		nc_xml_text(&p->x, " ");
		page_text(p, "code", NULL, r->id);
		page_close(p);
	}
	page_close(p);
	page_close_block(p);
}

static void write_clauses(struct page *p)
{
	static const struct page_column columns[] = {
		{ "c-id", "Clause" }, { "c-sec", "Section" }, { "c-text", "Text" },
		{ "c-chk", "Checks" },
	};

	nc_xml_start(&p->x, "h2");
	nc_xml_attr(&p->x, "id", "clauses");
	nc_xml_text(&p->x, "Clauses");
	page_open(p, "span", "n");
	nc_xml_textf(&p->x, "%zu", p->run->n_clauses);
	page_close(p);
	page_close_block(p);
	page_table_start(p, "clauses", columns, sizeof(columns) / sizeof(columns[0]));
	nc_xml_start(&p->x, "tbody");
	for (size_t i = 0; i < p->run->n_clauses; i++)
		clause_row(p, p->run->clauses[i].id, &p->run->clauses[i]);
	for (size_t i = 0; i < p->n_stray; i++)
		clause_row(p, p->stray_clauses[i], NULL);
	page_close(p);
	page_close_block(p);
}

int nc_html_write(const struct nc_run *run, const char *path)
{
	struct page p;
	int err;

	err = nc_run_check(run);
	if (err)
		return err;
	err = page_init(&p, run);
	if (!err)
		err = nc_xml_open(&p.x, NC_XML_HTML);
	if (err) {
		page_free(&p);
		return err;
	}
	write_head(&p);
	nc_xml_start(&p.x, "body");
	page_open(&p, "div", "page");
	nc_xml_raw(&p.x, "\n");
	write_summary(&p);
	page_open(&p, "div", "cols");
	write_environment(&p);
	write_coverage(&p);
	page_close_block(&p);
	write_filters(&p);
	page_problems(&p);
	page_areas(&p);
	nc_html_deviations(&p.x, p.run);
	write_clauses(&p);
	page_text(&p, "p", "foot", "Written by netconform from its results; results.xml holds "
		"the same data for tools, junit.xml for CI.");
	page_close_block(&p);
	nc_xml_start(&p.x, "script");
	nc_xml_raw(&p.x, page_js);
	page_close_block(&p);
	page_close_block(&p);	/* body */
	page_close_block(&p);	/* html */
	page_free(&p);
	return nc_xml_commit(&p.x, path, "<!DOCTYPE html>\n");
}
