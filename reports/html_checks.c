/* index.html's check rows: a head per check (its name, summary and
 * clauses, once), then a row per case: verdict, expected beside observed,
 * the message and the ladders.  The problems table and the areas. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html_deviations.h"
#include "page.h"

static const char *value_of(const struct nc_kv *list, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i].key, key) == 0)
			return list[i].value;
	return NULL;
}

/* What the check's assertions say of key: the colour of its row comes from
 * them, never from comparing the texts ("32768..60999" holds 40000). */
enum key_status { KEY_OBSERVED, KEY_HELD, KEY_FAILED };

static enum key_status key_status(const struct nc_result *r, const char *key,
				  const char *expected, const char *observed)
{
	enum key_status status = KEY_OBSERVED;

	if (!r->n_asserts)	/* a results file from before the assertions */
		return r->raw == NC_RAW_FAILED && expected && observed &&
		       strcmp(expected, observed) != 0 ? KEY_FAILED : KEY_OBSERVED;
	for (size_t i = 0; i < r->n_asserts; i++) {
		const struct nc_assert_row *a = &r->asserts[i];

		if (strcmp(a->key, key) != 0 || (a->role && strcmp(a->role, "setup") == 0))
			continue;
		if (!a->passed)
			return KEY_FAILED;
		status = KEY_HELD;
	}
	return status;
}

/* A value's row: its label, and the id a pin names it by beside it. */
static void eo_row(struct page *p, const struct nc_result *r, const struct nc_kv *kv,
		   const char *expected, const char *observed)
{
	const char *key = kv->key;
	static const char *const classes[] = {
		[KEY_OBSERVED] = NULL, [KEY_HELD] = "held", [KEY_FAILED] = "failed",
	};
	static const char *const titles[] = {
		[KEY_OBSERVED] = "observed, not asserted",
		[KEY_HELD] = "asserted: holds", [KEY_FAILED] = "asserted: fails",
	};
	enum key_status status = key_status(r, key, expected, observed);

	page_open(p, "tr", classes[status]);
	nc_xml_attr(&p->x, "title", titles[status]);
	if (kv->label) {
		page_open(p, "th", NULL);
		nc_xml_text(&p->x, kv->label);
		page_text(p, "span", "id", key);
		page_close(p);
	} else {
		page_text(p, "th", NULL, key);
	}
	page_text(p, "td", "exp", expected ? expected : "\xe2\x80\x94");
	page_text(p, "td", "obs", observed ? observed : "\xe2\x80\x94");
	page_close(p);
}

/* One row per key: the expected value next to the observed one. */
static void write_expected_observed(struct page *p, const struct nc_result *r)
{
	if (!r->n_expected && !r->n_observed)
		return;
	page_open(p, "table", "eo");
	nc_xml_start(&p->x, "tbody");
	page_open(p, "tr", "head");
	page_text(p, "th", NULL, "");
	page_text(p, "th", NULL, "expected");
	page_text(p, "th", NULL, "observed");
	page_close(p);
	for (size_t i = 0; i < r->n_expected; i++)
		eo_row(p, r, &r->expected[i], r->expected[i].value,
		       value_of(r->observed, r->n_observed, r->expected[i].key));
	for (size_t i = 0; i < r->n_observed; i++)
		if (!value_of(r->expected, r->n_expected, r->observed[i].key) &&
		    !page_is_isn_key(r->observed[i].key))
			eo_row(p, r, &r->observed[i], NULL, r->observed[i].value);
	page_close(p);
	page_close(p);
}

static void labelled(struct page *p, enum nc_verdict verdict, const char *label, const char *text)
{
	nc_xml_start(&p->x, "div");
	page_verdict_class(p, "reason ", verdict);
	page_text(p, "span", "lbl", label);
	nc_xml_text(&p->x, " ");
	nc_xml_text(&p->x, text);
	page_close(p);
}

static void write_details(struct page *p, const struct nc_result *r)
{
	if (r->verdict == NC_SKIP) {
		if (r->message)
			labelled(p, r->verdict, "skipped:", r->message);
	} else if (r->message) {
		page_text(p, "pre", "msg", r->message);
	}
	if (nc_verdict_is_problem(r->verdict)) {	/* what reruns it, ready to paste */
		char rerun[256];

		nc_xml_start(&p->x, "div");
		nc_xml_attr(&p->x, "class", "rerun");
		page_text(p, "span", "lbl", "rerun:");
		nc_xml_text(&p->x, " ");
		page_text(p, "code", NULL, nc_rerun_command(p->run, r->id, rerun, sizeof(rerun)));
		page_close(p);
	}
	if (r->reason)
		labelled(p, r->verdict, r->verdict == NC_XFAIL || r->verdict == NC_XPASS ?
			 "expected to fail:" : "reason:", r->reason);
}

/* Whether "verdict" alone tells what happened, or the outcome needs saying. */
static bool outcome_obvious(const struct nc_result *r)
{
	switch (r->raw) {
	case NC_RAW_PASSED:
		return r->verdict == NC_PASS || r->verdict == NC_XPASS;
	case NC_RAW_FAILED:
		return r->verdict == NC_FAIL || r->verdict == NC_XFAIL;
	case NC_RAW_SKIPPED:
		return r->verdict == NC_SKIP;
	case NC_RAW_ERROR:
		return r->verdict == NC_ERROR;
	default:
		return false;
	}
}

/* "accept.addrlen_value_result.ipv4-short": the check is AREA.NAME, the case
 * follows; a check without cases is its own one case. */
static size_t check_len(const char *id)
{
	const char *name = strchr(id, '.'), *tail = name ? strchr(name + 1, '.') : NULL;

	return tail ? (size_t)(tail - id) : strlen(id);
}

static bool same_check(const struct nc_result *a, const struct nc_result *b)
{
	size_t len = check_len(a->id);

	return len == check_len(b->id) && strncmp(a->id, b->id, len) == 0;
}

static bool same_text(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static void write_check_head(struct page *p, const struct nc_result *r)
{
	size_t len = check_len(r->id);

	page_open(p, "tr", "check-head");
	page_open(p, "td", NULL);
	nc_xml_attr(&p->x, "colspan", "4");
	page_open(p, "code", "name");
	nc_xml_textf(&p->x, "%.*s", (int)len, r->id);
	page_close(p);
	if (r->file) {
		page_open(p, "span", "where");
		nc_xml_textf(&p->x, "%s:%d", r->file, r->line);
		page_close(p);
	}
	page_open(p, "span", "cls");
	for (size_t i = 0; i < r->n_clauses; i++)
		page_clause_link(p, r->clauses[i]);
	nc_html_beyond(&p->x, r);
	page_close(p);
	if (r->summary)
		page_text(p, "div", "sum", r->summary);
	page_close(p);
	page_close_block(p);
}

static void write_case_row(struct page *p, const struct nc_result *r,
			   const struct nc_result *head, bool anchor)
{
	size_t len = check_len(r->id);
	char took[48];

	nc_xml_start(&p->x, "tr");
	/* a pass is folded to its one line; a click unfolds it */
	page_verdict_class(p, r->verdict == NC_PASS ? "case folded " : "case ", r->verdict);
	if (anchor)
		page_id_attr(p, "id", "check-", r->id);
	nc_xml_attr(&p->x, "data-id", r->id);
	nc_xml_attr(&p->x, "data-verdict", nc_verdict_name(r->verdict));
	nc_xml_attr(&p->x, "data-area", r->area);

	page_open(p, "td", "id");
	page_text(p, "code", NULL, r->id[len] ? r->id + len + 1 : "\xe2\x80\x94");
	page_open(p, "div", "where");
	page_duration(r->seconds, took, sizeof(took));
	nc_xml_text(&p->x, took);
	page_close(p);
	page_close(p);

	page_open(p, "td", "v");
	page_badge(p, r->verdict);
	if (!outcome_obvious(r)) {
		page_open(p, "div", "where");
		nc_xml_textf(&p->x, "outcome: %s", nc_raw_name(r->raw));
		page_close(p);
	}
	page_close(p);

	page_open(p, "td", "eo");
	write_expected_observed(p, r);
	page_close(p);

	page_open(p, "td", "msg");
	if (!same_text(r->summary, head->summary) && r->summary)
		page_text(p, "div", "sum", r->summary);
	write_details(p, r);
	page_ladders(p, r);
	page_close(p);
	page_close_block(p);
}

/* A <tbody> per check: its head, then its cases that wanted says. */
static void write_checks_table(struct page *p, const char *area, bool problems_only)
{
	static const struct page_column columns[] = {
		{ "c-id", "Case" }, { "c-v", "Verdict" }, { "c-eo", "Expected / observed" },
		{ "c-msg", "Message, reason, packets" },
	};
	const struct nc_result *head = NULL;

	page_table_start(p, "checks", columns, sizeof(columns) / sizeof(columns[0]));
	for (size_t i = 0; i < p->run->n_results; i++) {
		const struct nc_result *r = &p->run->results[i];

		if (!(problems_only ? nc_verdict_is_problem(r->verdict) : strcmp(r->area, area) == 0))
			continue;
		if (!head || !same_check(head, r)) {
			if (head)
				page_close_block(p);
			head = r;
			nc_xml_start(&p->x, "tbody");
			nc_xml_attr(&p->x, "class", "check");
			nc_xml_raw(&p->x, "\n");
			write_check_head(p, r);
		}
		write_case_row(p, r, head, !problems_only);
	}
	if (head)
		page_close_block(p);
	page_close_block(p);
}

void page_problems(struct page *p)
{
	size_t problems = p->counts[NC_FAIL] + p->counts[NC_ERROR] + p->counts[NC_XPASS];

	nc_xml_start(&p->x, "h2");
	nc_xml_attr(&p->x, "id", "problems");
	nc_xml_text(&p->x, "Problems first");
	page_open(p, "span", "n");
	nc_xml_textf(&p->x, "%zu", problems);
	page_close(p);
	page_close_block(p);
	if (!problems) {
		page_text(p, "p", "note", "No failures, errors or unexpected passes.");
		return;
	}
	page_open(p, "div", "problems");
	page_text(p, "p", "note", "Failures, errors, and checks that passed although a known "
		"deviation said they would fail.");
	write_checks_table(p, NULL, true);
	page_close_block(p);
}

void page_areas(struct page *p)
{
	nc_xml_start(&p->x, "h2");
	nc_xml_attr(&p->x, "id", "areas");
	nc_xml_text(&p->x, "Checks by area");
	page_close_block(p);
	page_text(p, "p", "note", "Passing cases are folded to one line: click one to see its "
		  "values and packets.");
	for (size_t a = 0; a < p->n_areas; a++) {
		size_t counts[NC_N_VERDICTS] = { 0 }, total = 0;

		for (size_t i = 0; i < p->run->n_results; i++)
			if (strcmp(p->run->results[i].area, p->areas[a]) == 0) {
				counts[p->run->results[i].verdict]++;
				total++;
			}
		page_open(p, "div", "area");
		page_id_attr(p, "id", "area-", p->areas[a]);
		nc_xml_attr(&p->x, "data-area", p->areas[a]);
		nc_xml_start(&p->x, "h3");
		nc_xml_text(&p->x, p->areas[a]);
		page_open(p, "span", "n");
		nc_xml_textf(&p->x, "%zu check%s", total, total == 1 ? "" : "s");
		for (size_t i = 0; i < NC_N_VERDICTS; i++)
			if (counts[page_verdict_order[i]])
				nc_xml_textf(&p->x, " \xc2\xb7 %zu %s", counts[page_verdict_order[i]],
					     nc_verdict_name(page_verdict_order[i]));
		page_close(p);
		page_close_block(p);
		write_checks_table(p, p->areas[a], false);
		page_close_block(p);
	}
	page_open(p, "p", "note");
	nc_xml_attr(&p->x, "id", "no-match");
	nc_xml_attr(&p->x, "hidden", "hidden");
	nc_xml_text(&p->x, "No check matches the filters.");
	page_close_block(p);
}
