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

#include "html_deviations.h"
#include "page.h"
#include "style.h"
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
	page_close(p);
	nc_xml_start(&p->x, "style");
	nc_xml_raw(&p->x, nc_css_base);
	nc_xml_raw(&p->x, page_css);
	page_close(p);
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
}

static void kv_row(struct page *p, const char *key, const char *value)
{
	nc_xml_start(&p->x, "tr");
	page_text(p, "th", NULL, key);
	page_text(p, "td", NULL, value);
	page_close_block(p);
}

static void write_environment(struct page *p)
{
	char took[48];

	page_open(p, "div", "panel");
	nc_xml_attr(&p->x, "id", "environment");
	page_text(p, "h2", NULL, "Environment");
	page_open(p, "table", "kv");
	nc_xml_start(&p->x, "tbody");
	for (size_t i = 0; i < p->run->n_env; i++)
		kv_row(p, p->run->env[i].key, p->run->env[i].value);
	if (!nc_env_get(p->run, "duration")) {
		page_duration(p->run->seconds, took, sizeof(took));
		kv_row(p, "duration", took);
	}
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
	page_close_block(p);
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
		if (row->zh) {
			page_open(p, "div", "zh");
			nc_xml_attr(&p->x, "lang", "zh");
			nc_xml_text(&p->x, row->zh);
			page_close(p);
		}
		if (row->en)
			page_text(p, "div", "en", row->en);
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
	nc_xml_start(&p.x, "html");
	nc_xml_attr(&p.x, "xmlns", "http://www.w3.org/1999/xhtml");
	nc_xml_attr(&p.x, "lang", "en");
	nc_xml_raw(&p.x, "\n");
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
