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

#include "results.h"
#include "style.h"
#include "writer.h"

static const char page_css[] =
	"h3{font-size:15px;margin:22px 0 6px}\n"
	"h2 .n,h3 .n{color:var(--muted);font-weight:400;font-size:13px;margin-left:6px}\n"
	"a{color:#0969da;text-decoration:none}a:hover{text-decoration:underline}\n"
	"pre{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}\n"
	".note,.muted{color:var(--muted)}.note{margin:-4px 0 8px}\n"
	".bar{display:flex;height:8px;border-radius:4px;overflow:hidden;background:#eaeef2;"
	"margin:10px 0 4px}\n"
	".bar span{background:var(--c)}"
	".bar.verdicts span:last-child{flex-grow:1}\n"	/* per-mille widths fall short */
	".badge.uncovered{background:#fff;color:var(--fail);border:1px dashed var(--fail)}\n"
	".cols{display:grid;grid-template-columns:3fr 2fr;gap:8px 32px}\n"
	"@media (max-width:900px){.cols{grid-template-columns:1fr}}\n"
	"table.kv th{width:9em;font-weight:600;color:var(--muted);white-space:nowrap}\n"
	"table.kv td{overflow-wrap:anywhere}\n"
	".big{font-size:15px;margin:4px 0}.big b{font-size:22px}\n"
	".filters{position:sticky;top:0;z-index:1;display:flex;flex-wrap:wrap;align-items:center;"
	"gap:6px 14px;margin-top:24px;padding:8px 0;background:rgba(255,255,255,.96);"
	"border-bottom:1px solid var(--line)}\n"
	".filters label{cursor:pointer;user-select:none;white-space:nowrap}\n"
	".filters select{font:inherit;padding:1px 4px}\n"
	/* fixed layout: every area's table lines up with the others */
	"table.checks{table-layout:fixed}\n"
	"table.checks th.c-id{width:17%}table.checks th.c-v{width:66px}"
	"table.checks th.c-sum{width:15%}table.checks th.c-cl{width:92px}"
	"table.checks th.c-eo{width:24%}table.checks td{overflow-wrap:break-word}\n"
	"table.checks tbody tr:hover{background:var(--soft)}\n"
	"tr.v-fail,tr.v-error,tr.v-xpass{background:#fff8f7}\n"
	"td.id code{font-weight:600;overflow-wrap:anywhere}\n"
	".where{font-size:12px;color:var(--muted);margin-top:2px}\n"
	".clause{display:inline-block;margin-right:6px;white-space:nowrap}\n"
	/* anchors land below the sticky filter bar, and show where they landed */
	"[id]{scroll-margin-top:56px}tr:target{background:#fff8c5!important}\n"
	"table.eo{width:auto}"
	"table.eo th,table.eo td{border:0;padding:0 10px 1px 0;font-size:12.5px}\n"
	"table.eo th{font-weight:400;color:var(--muted)}\n"
	"table.eo tr.head th{font-size:11px;text-transform:uppercase;letter-spacing:.03em}\n"
	"table.eo tr.diff td.obs{color:var(--fail);font-weight:600}\n"
	".reason{margin-top:3px}.reason .lbl{font-weight:600;color:var(--c)}\n"
	"table.clauses th.c-id{width:110px}table.clauses th.c-sec{width:80px}"
	"table.clauses th.c-chk{width:34%}\n"
	"tr.uncovered{background:#fffbf0}\n"
	".zh{font-size:15px}.en{color:var(--muted);margin-top:2px}\n"
	".chk{display:inline-block;margin:0 10px 4px 0;color:inherit}\n"
	".foot{margin-top:32px;font-size:12px;color:var(--muted)}\n"
	/* ladder diagrams: the packets of a check, client left, server right */
	".ladder{margin-top:6px;max-width:470px}.ladder svg{display:block;width:100%;height:auto;"
	"font:11px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}\n"
	".ladder .caption{font-size:12px;color:var(--muted)}\n"
	"svg .col{stroke:#8c959f;stroke-width:1.5}svg .end{font-weight:600;fill:#1f2328}\n"
	"svg .t{fill:var(--muted)}svg .pk line{stroke-width:1.6}\n"
	"svg .to-server{stroke:#0969da;fill:#0969da}svg .to-client{stroke:#1a7f37;fill:#1a7f37}\n"
	"svg .rst{stroke:#cf222e;fill:#cf222e}svg .icmp{stroke:#8250df;fill:#8250df}\n"
	"svg text{stroke:none}svg .lbl{fill:#1f2328}\n"
	"svg .dropped line{stroke-dasharray:4 3}svg .dropped .lbl{fill:var(--fail)}"
	"svg .x{stroke:var(--fail);stroke-width:2.2}\n";

/* Hides what the filters rule out: every element with data-verdict and
 * data-area, and the area blocks the select rules out.  Written without
 * "<" and "&" so that the page stays well-formed XML (XHTML-compatible). */
static const char page_js[] =
	"(function () {\n"
	"\tvar boxes = Array.prototype.slice.call(\n"
	"\t\tdocument.querySelectorAll('#filters input[data-verdict]'));\n"
	"\tvar area = document.getElementById('filter-area');\n"
	"\tfunction each(selector, fn) {\n"
	"\t\tArray.prototype.forEach.call(document.querySelectorAll(selector), fn);\n"
	"\t}\n"
	"\tfunction apply() {\n"
	"\t\tvar show = {}, wanted = area.value;\n"
	"\t\tfunction outside(el) {\n"
	"\t\t\treturn wanted === '' ? false : wanted !== el.getAttribute('data-area');\n"
	"\t\t}\n"
	"\t\tboxes.forEach(function (box) {\n"
	"\t\t\tshow[box.getAttribute('data-verdict')] = box.checked;\n"
	"\t\t});\n"
	"\t\teach('[data-verdict][data-area]', function (el) {\n"
	"\t\t\tel.hidden = !show[el.getAttribute('data-verdict')] || outside(el);\n"
	"\t\t});\n"
	"\t\teach('div.area', function (el) {\n"
	"\t\t\tel.hidden = outside(el);\n"
	"\t\t});\n"
	"\t}\n"
	"\tboxes.forEach(function (box) {\n"
	"\t\tbox.addEventListener('change', apply);\n"
	"\t});\n"
	"\tarea.addEventListener('change', apply);\n"
	"\tapply();\t/* a reload keeps the form's state */\n"
	"})();\n";

/* What each verdict means, for the tiles and the filter tooltips. */
static const char *const verdict_meanings[NC_N_VERDICTS] = {
	[NC_PASS] = "passed",
	[NC_FAIL] = "failed",
	[NC_XFAIL] = "failed as expected: a known deviation",
	[NC_XPASS] = "passed, but was expected to fail",
	[NC_SKIP] = "not run: its needs are not met here",
	[NC_ERROR] = "could not run to the end",
};

/* Display order: the bad news first. */
static const enum nc_verdict verdict_order[NC_N_VERDICTS] = {
	NC_FAIL, NC_ERROR, NC_XPASS, NC_XFAIL, NC_SKIP, NC_PASS,
};

struct page {
	struct nc_xml x;
	const struct nc_run *run;
	size_t counts[NC_N_VERDICTS];
	const char **areas;		/* first-appearance order */
	size_t n_areas;
	const char **stray_clauses;	/* named by checks, not in the catalog */
	size_t n_stray;
};

/* --- small writers --- */

static void open_el(struct page *p, const char *name, const char *class)
{
	nc_xml_start(&p->x, name);
	nc_xml_attr(&p->x, "class", class);
}

static void close_el(struct page *p)
{
	nc_xml_end_full(&p->x);
}

static void close_block(struct page *p)
{
	nc_xml_end_full(&p->x);
	nc_xml_raw(&p->x, "\n");	/* readable page source */
}

static void text_el(struct page *p, const char *name, const char *class, const char *text)
{
	open_el(p, name, class);
	nc_xml_text(&p->x, text);
	close_el(p);
}

static void verdict_class(struct page *p, const char *prefix, enum nc_verdict verdict)
{
	nc_xml_attrf(&p->x, "class", "%sv-%s", prefix, nc_verdict_name(verdict));
}

static void badge(struct page *p, enum nc_verdict verdict)
{
	nc_xml_start(&p->x, "span");
	verdict_class(p, "badge ", verdict);
	nc_xml_attr(&p->x, "title", verdict_meanings[verdict]);
	nc_xml_text(&p->x, nc_verdict_name(verdict));
	close_el(p);
}

/* An id attribute value (and fragment) from free text: HTML ids have no
 * spaces, and fragments read best without escapes. */
static void id_attr(struct page *p, const char *attr, const char *prefix, const char *text)
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
static void duration(double seconds, char *buf, size_t size)
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
static void width_style(struct page *p, size_t part, size_t whole)
{
	size_t per_mille = whole ? part * 1000 / whole : 0;

	nc_xml_attrf(&p->x, "style", "width:%zu.%zu%%", per_mille / 10, per_mille % 10);
}

/* --- what the page needs to know first --- */

static bool in_list(const char **list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], name) == 0)
			return true;
	return false;
}

static bool in_catalog(const struct nc_run *run, const char *clause)
{
	for (size_t i = 0; i < run->n_clauses; i++)
		if (strcmp(run->clauses[i].id, clause) == 0)
			return true;
	return false;
}

static bool names_clause(const struct nc_result *r, const char *clause)
{
	for (size_t i = 0; i < r->n_clauses; i++)
		if (strcmp(r->clauses[i], clause) == 0)
			return true;
	return false;
}

static bool is_checked(const struct nc_run *run, const char *clause)
{
	for (size_t i = 0; i < run->n_results; i++)
		if (names_clause(&run->results[i], clause))
			return true;
	return false;
}

static bool is_problem(enum nc_verdict verdict)
{
	return verdict == NC_FAIL || verdict == NC_ERROR || verdict == NC_XPASS;
}

static int page_init(struct page *p, const struct nc_run *run)
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
		if (!in_list(p->areas, p->n_areas, r->area))
			p->areas[p->n_areas++] = r->area;
		for (size_t c = 0; c < r->n_clauses; c++)
			if (!in_catalog(run, r->clauses[c]) &&
			    !in_list(p->stray_clauses, p->n_stray, r->clauses[c]))
				p->stray_clauses[p->n_stray++] = r->clauses[c];
	}
	return 0;
}

static void page_free(struct page *p)
{
	free(p->areas);
	free(p->stray_clauses);
}

/* --- the parts of the page, top to bottom --- */

static void write_head(struct page *p)
{
	const char *date = nc_env_get(p->run, "date");
	size_t problems = p->counts[NC_FAIL] + p->counts[NC_ERROR] + p->counts[NC_XPASS];

	nc_xml_start(&p->x, "head");
	nc_xml_start(&p->x, "meta");
	nc_xml_attr(&p->x, "charset", "utf-8");
	nc_xml_end(&p->x);
	nc_xml_start(&p->x, "meta");
	nc_xml_attr(&p->x, "name", "viewport");
	nc_xml_attr(&p->x, "content", "width=device-width, initial-scale=1");
	nc_xml_end(&p->x);
	nc_xml_start(&p->x, "title");
	nc_xml_textf(&p->x, "netconform report: %zu problem%s%s%s", problems,
		     problems == 1 ? "" : "s", date ? ", " : "", date ? date : "");
	close_el(p);
	nc_xml_start(&p->x, "style");
	nc_xml_raw(&p->x, nc_css_base);
	nc_xml_raw(&p->x, page_css);
	close_el(p);
	close_block(p);
}

static void write_summary(struct page *p)
{
	static const char *const parts[] = { "kernel", "libc", "sandbox", "date" };
	bool first = true;

	text_el(p, "h1", NULL, "netconform report");
	open_el(p, "p", "sub");
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		const char *value = nc_env_get(p->run, parts[i]);

		if (!value || !*value)
			continue;
		nc_xml_textf(&p->x, "%s%s", first ? "" : " \xc2\xb7 ", value);
		first = false;
	}
	close_block(p);

	open_el(p, "div", "summary");
	nc_xml_attr(&p->x, "id", "summary");
	for (size_t i = 0; i < NC_N_VERDICTS; i++) {
		enum nc_verdict v = verdict_order[i];

		nc_xml_start(&p->x, "div");
		nc_xml_attrf(&p->x, "class", "tile v-%s%s", nc_verdict_name(v),
			     p->counts[v] ? "" : " zero");
		nc_xml_attr(&p->x, "title", verdict_meanings[v]);
		open_el(p, "span", "count");
		nc_xml_attrf(&p->x, "id", "count-%s", nc_verdict_name(v));
		nc_xml_attr(&p->x, "data-verdict", nc_verdict_name(v));
		nc_xml_textf(&p->x, "%zu", p->counts[v]);
		close_el(p);
		text_el(p, "span", "label", nc_verdict_name(v));
		close_el(p);
	}
	close_block(p);

	open_el(p, "div", "bar verdicts");
	for (size_t i = 0; i < NC_N_VERDICTS; i++) {
		enum nc_verdict v = verdict_order[i];

		if (!p->counts[v])
			continue;
		nc_xml_start(&p->x, "span");
		verdict_class(p, "", v);
		width_style(p, p->counts[v], p->run->n_results);
		nc_xml_attrf(&p->x, "title", "%zu %s", p->counts[v], nc_verdict_name(v));
		close_el(p);
	}
	close_block(p);
}

static void kv_row(struct page *p, const char *key, const char *value)
{
	nc_xml_start(&p->x, "tr");
	text_el(p, "th", NULL, key);
	text_el(p, "td", NULL, value);
	close_block(p);
}

static void write_environment(struct page *p)
{
	char took[48];

	open_el(p, "div", "panel");
	nc_xml_attr(&p->x, "id", "environment");
	text_el(p, "h2", NULL, "Environment");
	open_el(p, "table", "kv");
	nc_xml_start(&p->x, "tbody");
	for (size_t i = 0; i < p->run->n_env; i++)
		kv_row(p, p->run->env[i].key, p->run->env[i].value);
	if (!nc_env_get(p->run, "duration")) {
		duration(p->run->seconds, took, sizeof(took));
		kv_row(p, "duration", took);
	}
	close_el(p);
	close_el(p);
	close_block(p);
}

static void clause_link(struct page *p, const char *clause)
{
	open_el(p, "a", "clause");
	id_attr(p, "href", "clause-", clause);
	nc_xml_text(&p->x, clause);
	close_el(p);
}

static void write_coverage(struct page *p)
{
	const struct nc_run *run = p->run;
	size_t covered = 0, uncovered;

	for (size_t i = 0; i < run->n_clauses; i++)
		covered += is_checked(run, run->clauses[i].id);
	uncovered = run->n_clauses - covered;

	open_el(p, "div", "panel");
	nc_xml_attr(&p->x, "id", "coverage");
	text_el(p, "h2", NULL, "Clause coverage");
	open_el(p, "p", "big");
	open_el(p, "b", NULL);
	nc_xml_textf(&p->x, "%zu", covered);
	close_el(p);
	nc_xml_textf(&p->x, " of %zu clauses have at least one check (%zu%%)", run->n_clauses,
		     run->n_clauses ? covered * 100 / run->n_clauses : 0);
	close_block(p);
	open_el(p, "div", "bar");
	open_el(p, "span", "v-pass");
	width_style(p, covered, run->n_clauses);
	close_el(p);
	close_block(p);
	if (uncovered) {
		open_el(p, "p", NULL);
		nc_xml_textf(&p->x, "Uncovered (%zu): ", uncovered);
		for (size_t i = 0; i < run->n_clauses; i++)
			if (!is_checked(run, run->clauses[i].id))
				clause_link(p, run->clauses[i].id);
		close_block(p);
	}
	if (p->n_stray) {
		open_el(p, "p", "muted");
		nc_xml_text(&p->x, "Named by checks but not in the clause catalog: ");
		for (size_t i = 0; i < p->n_stray; i++)
			clause_link(p, p->stray_clauses[i]);
		close_block(p);
	}
	close_block(p);
}

static void write_filters(struct page *p)
{
	open_el(p, "div", "filters");
	nc_xml_attr(&p->x, "id", "filters");
	text_el(p, "b", NULL, "Show");
	for (size_t i = 0; i < NC_N_VERDICTS; i++) {
		enum nc_verdict v = verdict_order[i];

		nc_xml_start(&p->x, "label");
		nc_xml_attr(&p->x, "title", verdict_meanings[v]);
		nc_xml_start(&p->x, "input");
		nc_xml_attr(&p->x, "type", "checkbox");
		nc_xml_attr(&p->x, "data-verdict", nc_verdict_name(v));
		nc_xml_attr(&p->x, "checked", "checked");
		nc_xml_end(&p->x);
		nc_xml_text(&p->x, " ");
		badge(p, v);
		close_el(p);
	}
	nc_xml_start(&p->x, "label");
	nc_xml_text(&p->x, "Area ");
	nc_xml_start(&p->x, "select");
	nc_xml_attr(&p->x, "id", "filter-area");
	nc_xml_start(&p->x, "option");
	nc_xml_attr(&p->x, "value", "");
	nc_xml_text(&p->x, "all areas");
	close_el(p);
	for (size_t a = 0; a < p->n_areas; a++) {
		nc_xml_start(&p->x, "option");
		nc_xml_attr(&p->x, "value", p->areas[a]);
		nc_xml_text(&p->x, p->areas[a]);
		close_el(p);
	}
	close_el(p);
	close_el(p);
	close_block(p);
}

static const char *value_of(const struct nc_kv *list, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i].key, key) == 0)
			return list[i].value;
	return NULL;
}

static void eo_row(struct page *p, const char *key, const char *expected, const char *observed)
{
	bool differs = expected && observed && strcmp(expected, observed) != 0;

	open_el(p, "tr", differs ? "diff" : NULL);
	text_el(p, "th", NULL, key);
	text_el(p, "td", "exp", expected ? expected : "\xe2\x80\x94");
	text_el(p, "td", "obs", observed ? observed : "\xe2\x80\x94");
	close_el(p);
}

/* One row per key: the expected value next to the observed one. */
static void write_expected_observed(struct page *p, const struct nc_result *r)
{
	if (!r->n_expected && !r->n_observed)
		return;
	open_el(p, "table", "eo");
	nc_xml_start(&p->x, "tbody");
	open_el(p, "tr", "head");
	text_el(p, "th", NULL, "");
	text_el(p, "th", NULL, "expected");
	text_el(p, "th", NULL, "observed");
	close_el(p);
	for (size_t i = 0; i < r->n_expected; i++)
		eo_row(p, r->expected[i].key, r->expected[i].value,
		       value_of(r->observed, r->n_observed, r->expected[i].key));
	for (size_t i = 0; i < r->n_observed; i++)
		if (!value_of(r->expected, r->n_expected, r->observed[i].key))
			eo_row(p, r->observed[i].key, NULL, r->observed[i].value);
	close_el(p);
	close_el(p);
}

static void labelled(struct page *p, enum nc_verdict verdict, const char *label, const char *text)
{
	nc_xml_start(&p->x, "div");
	verdict_class(p, "reason ", verdict);
	text_el(p, "span", "lbl", label);
	nc_xml_text(&p->x, " ");
	nc_xml_text(&p->x, text);
	close_el(p);
}

static void write_details(struct page *p, const struct nc_result *r)
{
	if (r->verdict == NC_SKIP) {
		if (r->message)
			labelled(p, r->verdict, "skipped:", r->message);
	} else if (r->message) {
		text_el(p, "pre", "msg", r->message);
	}
	if (r->reason)
		labelled(p, r->verdict, r->verdict == NC_XFAIL || r->verdict == NC_XPASS ?
			 "expected to fail:" : "reason:", r->reason);
}

/* --- ladder diagrams --- */

#define LADDER_W	470
#define LADDER_LEFT	140	/* the client's column; times to its left */
#define LADDER_RIGHT	390	/* the server's */
#define LADDER_TOP	34
#define LADDER_ROW	30
#define LADDER_SLANT	14	/* how far down an arrow travels */

/* "0.14 ms", "12.3 ms", "1.015 s": integers, whatever the locale. */
static void packet_time(long long t_us, char *buf, size_t size)
{
	if (t_us < 0)
		t_us = 0;
	if (t_us < 10000)
		snprintf(buf, size, "%lld.%02lld ms", t_us / 1000, t_us / 10 % 100);
	else if (t_us < 1000000)
		snprintf(buf, size, "%lld.%lld ms", t_us / 1000, t_us / 100 % 10);
	else
		snprintf(buf, size, "%lld.%03lld s", t_us / 1000000, t_us / 1000 % 1000);
}

static void svg_attr_num(struct page *p, const char *name, double value)
{
	nc_xml_attrf(&p->x, name, "%d", (int)lround(value));
}

static void svg_line(struct page *p, const char *class, double x1, double y1, double x2,
		     double y2)
{
	nc_xml_start(&p->x, "line");
	nc_xml_attr(&p->x, "class", class);
	svg_attr_num(p, "x1", x1);
	svg_attr_num(p, "y1", y1);
	svg_attr_num(p, "x2", x2);
	svg_attr_num(p, "y2", y2);
	nc_xml_end(&p->x);
}

static void svg_text(struct page *p, const char *class, double x, double y, const char *anchor,
		     const char *text)
{
	nc_xml_start(&p->x, "text");
	nc_xml_attr(&p->x, "class", class);
	svg_attr_num(p, "x", x);
	svg_attr_num(p, "y", y);
	nc_xml_attr(&p->x, "text-anchor", anchor);
	nc_xml_text(&p->x, text);
	nc_xml_end_full(&p->x);
}

/* An arrow head at (x, y) pointing along (dx, dy). */
static void svg_head(struct page *p, double x, double y, double dx, double dy)
{
	double len = hypot(dx, dy), ux = dx / len, uy = dy / len;

	nc_xml_start(&p->x, "polygon");
	nc_xml_attrf(&p->x, "points", "%d,%d %d,%d %d,%d", (int)lround(x), (int)lround(y),
		     (int)lround(x - 8 * ux - 3.5 * uy), (int)lround(y - 8 * uy + 3.5 * ux),
		     (int)lround(x - 8 * ux + 3.5 * uy), (int)lround(y - 8 * uy - 3.5 * ux));
	nc_xml_end(&p->x);
}

static bool has_flag(const char *flags, const char *flag)
{
	size_t len = strlen(flag);

	for (const char *f = flags; *f; f += strcspn(f, ","), f += *f == ',') {
		if (strncmp(f, flag, len) == 0 && (f[len] == ',' || f[len] == '\0'))
			return true;
	}
	return false;
}

/* "SYN,ACK seq 0 ack 1", "PSH,ACK seq 1:6 ack 1", "ICMP host-unreach" */
static void packet_label(const struct nc_packet *pk, char *buf, size_t size)
{
	if (strncmp(pk->flags, "ICMP", 4) == 0) {
		snprintf(buf, size, "%.*s %s", (int)strcspn(pk->flags, ":"), pk->flags,
			 pk->flags + strcspn(pk->flags, ":") + (strchr(pk->flags, ':') != NULL));
		return;
	}
	if (pk->len)
		snprintf(buf, size, "%s seq %lu:%lu", pk->flags, pk->seq, pk->seq + pk->len);
	else
		snprintf(buf, size, "%s seq %lu", pk->flags, pk->seq);
	if (has_flag(pk->flags, "ACK"))
		snprintf(buf + strlen(buf), size - strlen(buf), " ack %lu", pk->ack);
}

static const char *packet_class(const struct nc_packet *pk)
{
	if (strncmp(pk->flags, "ICMP", 4) == 0)
		return "icmp";
	if (has_flag(pk->flags, "RST"))
		return "rst";
	return pk->to_server ? "to-server" : "to-client";
}

static void write_packet(struct page *p, const struct nc_packet *pk, double y)
{
	double from = pk->to_server ? LADDER_LEFT : LADDER_RIGHT;
	double to = pk->to_server ? LADDER_RIGHT : LADDER_LEFT;
	double end = pk->dropped ? from + (to - from) * 0.62 : to;
	double y_end = y + LADDER_SLANT * (end - from) / (to - from);
	char label[128], when[32];

	nc_xml_start(&p->x, "g");
	nc_xml_attrf(&p->x, "class", "pk %s%s", packet_class(pk), pk->dropped ? " dropped" : "");
	nc_xml_attr(&p->x, "data-flags", pk->flags);
	nc_xml_start(&p->x, "title");
	nc_xml_textf(&p->x, "%s \xe2\x86\x92 %s %s, %u bytes, seen by %s%s%s", pk->src, pk->dst,
		     pk->flags, pk->len, pk->seen, pk->dropped ? "; lost: " : "",
		     pk->dropped ? pk->dropped : "");
	nc_xml_end_full(&p->x);
	packet_time(pk->t_us, when, sizeof(when));
	svg_text(p, "t", 6, y + 4, "start", when);
	svg_line(p, NULL, from, y, end, y_end);
	if (pk->dropped) {
		svg_line(p, "x", end - 5, y_end - 5, end + 5, y_end + 5);
		svg_line(p, "x", end - 5, y_end + 5, end + 5, y_end - 5);
	} else {
		svg_head(p, end, y_end, to - from, LADDER_SLANT);
	}
	packet_label(pk, label, sizeof(label));
	if (pk->dropped) {
		size_t used = strlen(label);

		snprintf(label + used, sizeof(label) - used, " \xe2\x80\x94 lost at %.*s",
			 (int)strcspn(pk->dropped, ":"), pk->dropped);
	}
	svg_text(p, "lbl", (LADDER_LEFT + LADDER_RIGHT) / 2.0, y - 4 + LADDER_SLANT / 2.0 - 3,
		 "middle", label);
	nc_xml_end_full(&p->x);
}

/* One ladder per connection: client column left, server column right. */
static void write_ladder(struct page *p, const struct nc_result *r, unsigned conn,
			 unsigned n_conns)
{
	const struct nc_packet *first = NULL;
	char client[64], server[64];
	size_t n = 0;
	double y;

	/* the ends are a TCP segment's: an ICMP error may come from a router */
	for (size_t i = 0; i < r->n_packets; i++) {
		const struct nc_packet *pk = &r->packets[i];

		if (pk->conn != conn)
			continue;
		n++;
		if (!first || (strncmp(first->flags, "ICMP", 4) == 0 &&
			       strncmp(pk->flags, "ICMP", 4) != 0))
			first = pk;
	}
	if (!n)
		return;
	snprintf(client, sizeof(client), "%s", first->to_server ? first->src : first->dst);
	snprintf(server, sizeof(server), "%s", first->to_server ? first->dst : first->src);

	open_el(p, "div", "ladder");
	if (n_conns > 1) {
		open_el(p, "div", "caption");
		nc_xml_textf(&p->x, "connection %u of %u", conn + 1, n_conns);
		close_el(p);
	}
	nc_xml_start(&p->x, "svg");
	nc_xml_attr(&p->x, "xmlns", "http://www.w3.org/2000/svg");
	nc_xml_attr(&p->x, "class", "ladder");
	nc_xml_attrf(&p->x, "data-packets", "%zu", n);
	nc_xml_attrf(&p->x, "viewBox", "0 0 %d %d", LADDER_W,
		     LADDER_TOP + 16 + (int)n * LADDER_ROW);
	nc_xml_attr(&p->x, "role", "img");
	nc_xml_start(&p->x, "title");
	nc_xml_textf(&p->x, "packets between %s and %s", client, server);
	nc_xml_end_full(&p->x);
	svg_text(p, "end", LADDER_LEFT, 12, "middle", "client");
	svg_text(p, "t", LADDER_LEFT, 25, "middle", client);
	svg_text(p, "end", LADDER_RIGHT, 12, "middle", "server");
	svg_text(p, "t", LADDER_RIGHT, 25, "middle", server);
	y = LADDER_TOP + 8 + (int)n * LADDER_ROW;
	svg_line(p, "col", LADDER_LEFT, LADDER_TOP, LADDER_LEFT, y);
	svg_line(p, "col", LADDER_RIGHT, LADDER_TOP, LADDER_RIGHT, y);
	y = LADDER_TOP + 14;
	for (size_t i = 0; i < r->n_packets; i++)
		if (r->packets[i].conn == conn) {
			write_packet(p, &r->packets[i], y);
			y += LADDER_ROW;
		}
	nc_xml_end_full(&p->x);
	close_el(p);
}

static void write_ladders(struct page *p, const struct nc_result *r)
{
	unsigned n_conns = 0;

	for (size_t i = 0; i < r->n_packets; i++)
		if (r->packets[i].conn + 1 > n_conns)
			n_conns = r->packets[i].conn + 1;
	for (unsigned c = 0; c < n_conns && c < 8; c++)
		write_ladder(p, r, c, n_conns);
}

/* Whether "verdict" alone tells what happened, or the outcome needs saying. */
static bool outcome_obvious(const struct nc_result *r)
{
	return r->outcome == r->verdict ||
	       (r->verdict == NC_XFAIL && r->outcome == NC_FAIL) ||
	       (r->verdict == NC_XPASS && r->outcome == NC_PASS);
}

static void write_check_row(struct page *p, const struct nc_result *r, bool anchor)
{
	char took[48];

	nc_xml_start(&p->x, "tr");
	verdict_class(p, "", r->verdict);
	if (anchor)
		id_attr(p, "id", "check-", r->id);
	nc_xml_attr(&p->x, "data-verdict", nc_verdict_name(r->verdict));
	nc_xml_attr(&p->x, "data-area", r->area);

	open_el(p, "td", "id");
	text_el(p, "code", NULL, r->id);
	open_el(p, "div", "where");
	duration(r->seconds, took, sizeof(took));
	if (r->file)
		nc_xml_textf(&p->x, "%s:%d \xc2\xb7 %s", r->file, r->line, took);
	else
		nc_xml_text(&p->x, took);
	close_el(p);
	close_el(p);

	nc_xml_start(&p->x, "td");
	badge(p, r->verdict);
	if (!outcome_obvious(r)) {
		open_el(p, "div", "where");
		nc_xml_textf(&p->x, "outcome: %s", nc_verdict_name(r->outcome));
		close_el(p);
	}
	close_el(p);

	text_el(p, "td", NULL, r->summary ? r->summary : "");

	nc_xml_start(&p->x, "td");
	for (size_t i = 0; i < r->n_clauses; i++)
		clause_link(p, r->clauses[i]);
	close_el(p);

	nc_xml_start(&p->x, "td");
	write_expected_observed(p, r);
	close_el(p);

	nc_xml_start(&p->x, "td");
	write_details(p, r);
	write_ladders(p, r);
	close_el(p);
	close_block(p);
}

static void write_checks_table(struct page *p, const char *area, bool problems_only)
{
	static const struct { const char *class, *title; } columns[] = {
		{ "c-id", "Check" }, { "c-v", "Verdict" }, { "c-sum", "Summary" },
		{ "c-cl", "Clauses" }, { "c-eo", "Expected / observed" },
		{ "c-msg", "Message / reason" },
	};

	open_el(p, "table", "checks");
	nc_xml_start(&p->x, "thead");
	nc_xml_start(&p->x, "tr");
	for (size_t i = 0; i < sizeof(columns) / sizeof(columns[0]); i++)
		text_el(p, "th", columns[i].class, columns[i].title);
	close_el(p);
	close_block(p);
	nc_xml_start(&p->x, "tbody");
	nc_xml_raw(&p->x, "\n");
	for (size_t i = 0; i < p->run->n_results; i++) {
		const struct nc_result *r = &p->run->results[i];

		if (problems_only ? is_problem(r->verdict) : strcmp(r->area, area) == 0)
			write_check_row(p, r, !problems_only);
	}
	close_el(p);
	close_block(p);
}

static void write_problems(struct page *p)
{
	size_t problems = p->counts[NC_FAIL] + p->counts[NC_ERROR] + p->counts[NC_XPASS];

	nc_xml_start(&p->x, "h2");
	nc_xml_attr(&p->x, "id", "problems");
	nc_xml_text(&p->x, "Problems first");
	open_el(p, "span", "n");
	nc_xml_textf(&p->x, "%zu", problems);
	close_el(p);
	close_block(p);
	if (!problems) {
		text_el(p, "p", "note", "No failures, errors or unexpected passes.");
		return;
	}
	text_el(p, "p", "note", "Failures, errors, and checks that passed although a known "
		"deviation said they would fail.");
	write_checks_table(p, NULL, true);
}

static void write_areas(struct page *p)
{
	text_el(p, "h2", NULL, "Checks by area");
	for (size_t a = 0; a < p->n_areas; a++) {
		size_t counts[NC_N_VERDICTS] = { 0 }, total = 0;

		for (size_t i = 0; i < p->run->n_results; i++)
			if (strcmp(p->run->results[i].area, p->areas[a]) == 0) {
				counts[p->run->results[i].verdict]++;
				total++;
			}
		open_el(p, "div", "area");
		id_attr(p, "id", "area-", p->areas[a]);
		nc_xml_attr(&p->x, "data-area", p->areas[a]);
		nc_xml_start(&p->x, "h3");
		nc_xml_text(&p->x, p->areas[a]);
		open_el(p, "span", "n");
		nc_xml_textf(&p->x, "%zu check%s", total, total == 1 ? "" : "s");
		for (size_t i = 0; i < NC_N_VERDICTS; i++)
			if (counts[verdict_order[i]])
				nc_xml_textf(&p->x, " \xc2\xb7 %zu %s", counts[verdict_order[i]],
					     nc_verdict_name(verdict_order[i]));
		close_el(p);
		close_block(p);
		write_checks_table(p, p->areas[a], false);
		close_block(p);
	}
}

static void clause_row(struct page *p, const char *id, const struct nc_clause_row *row)
{
	bool checked = is_checked(p->run, id);

	nc_xml_start(&p->x, "tr");
	id_attr(p, "id", "clause-", id);
	if (!checked)
		nc_xml_attr(&p->x, "class", "uncovered");
	open_el(p, "td", "id");
	text_el(p, "code", NULL, id);
	close_el(p);
	text_el(p, "td", NULL, row && row->section ? row->section : "");
	nc_xml_start(&p->x, "td");
	if (!row) {
		text_el(p, "div", "muted", "not in the clause catalog");
	} else {
		if (row->zh) {
			open_el(p, "div", "zh");
			nc_xml_attr(&p->x, "lang", "zh");
			nc_xml_text(&p->x, row->zh);
			close_el(p);
		}
		if (row->en)
			text_el(p, "div", "en", row->en);
	}
	close_el(p);
	nc_xml_start(&p->x, "td");
	if (!checked)
		text_el(p, "span", "badge uncovered", "uncovered");
	for (size_t i = 0; i < p->run->n_results; i++) {
		const struct nc_result *r = &p->run->results[i];

		if (!names_clause(r, id))
			continue;
		open_el(p, "a", "chk");
		id_attr(p, "href", "check-", r->id);
		nc_xml_attr(&p->x, "data-verdict", nc_verdict_name(r->verdict));
		nc_xml_attr(&p->x, "data-area", r->area);
		badge(p, r->verdict);
		nc_xml_text(&p->x, " ");
		text_el(p, "code", NULL, r->id);
		close_el(p);
	}
	close_el(p);
	close_block(p);
}

static void write_clauses(struct page *p)
{
	static const struct { const char *class, *title; } columns[] = {
		{ "c-id", "Clause" }, { "c-sec", "Section" }, { "c-text", "Text" },
		{ "c-chk", "Checks" },
	};

	nc_xml_start(&p->x, "h2");
	nc_xml_attr(&p->x, "id", "clauses");
	nc_xml_text(&p->x, "Clauses");
	open_el(p, "span", "n");
	nc_xml_textf(&p->x, "%zu", p->run->n_clauses);
	close_el(p);
	close_block(p);
	open_el(p, "table", "clauses");
	nc_xml_start(&p->x, "thead");
	nc_xml_start(&p->x, "tr");
	for (size_t i = 0; i < sizeof(columns) / sizeof(columns[0]); i++)
		text_el(p, "th", columns[i].class, columns[i].title);
	close_el(p);
	close_block(p);
	nc_xml_start(&p->x, "tbody");
	nc_xml_raw(&p->x, "\n");
	for (size_t i = 0; i < p->run->n_clauses; i++)
		clause_row(p, p->run->clauses[i].id, &p->run->clauses[i]);
	for (size_t i = 0; i < p->n_stray; i++)
		clause_row(p, p->stray_clauses[i], NULL);
	close_el(p);
	close_block(p);
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
	nc_xml_start(&p.x, "html");
	nc_xml_attr(&p.x, "xmlns", "http://www.w3.org/1999/xhtml");
	nc_xml_attr(&p.x, "lang", "en");
	nc_xml_raw(&p.x, "\n");
	write_head(&p);
	nc_xml_start(&p.x, "body");
	open_el(&p, "div", "page");
	nc_xml_raw(&p.x, "\n");
	write_summary(&p);
	open_el(&p, "div", "cols");
	write_environment(&p);
	write_coverage(&p);
	close_block(&p);
	write_filters(&p);
	write_problems(&p);
	write_areas(&p);
	write_clauses(&p);
	text_el(&p, "p", "foot", "Written by netconform from its results; results.xml holds "
		"the same data for tools, junit.xml for CI.");
	close_block(&p);
	nc_xml_start(&p.x, "script");
	nc_xml_raw(&p.x, page_js);
	close_block(&p);
	close_block(&p);	/* body */
	close_block(&p);	/* html */
	page_free(&p);
	return nc_xml_commit(&p.x, path, "<!DOCTYPE html>\n");
}
