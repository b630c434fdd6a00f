/* compare.html: the comparison of reports/compare.c as a page,
 * self-contained like index.html: verdict changes first with B's message,
 * then checks in one run only, then observed values; run-to-run noise is
 * on the page but hidden until asked for. */
#include <stdio.h>
#include <string.h>

#include "compare.h"
#include "style.h"
#include "writer.h"

static const char compare_css[] =
	".k-verdict{--c:var(--fail)}.k-values{--c:var(--xfail)}.k-only{--c:var(--xpass)}"
	".k-same{--c:var(--pass)}.k-noise{--c:var(--skip)}\n"
	".badge.none{background:#fff;color:var(--muted);border:1px dashed var(--muted)}\n"
	"table.diff{table-layout:fixed}table.diff td{overflow-wrap:anywhere}\n"
	"tr.verdict{background:#fff8f7}td.changed,tr.diffenv td.b{color:var(--fail);"
	"font-weight:600}\n"
	".vals div{font-size:12.5px}.vals .k{color:var(--muted)}.vals .noise{color:#8c959f}\n"
	"pre.msg{margin:4px 0 0;white-space:pre-wrap;font-size:12px}.cause{color:var(--fail)}\n"
	"body:not(.show-noise) tr.noise,body:not(.show-noise) .vals .noise{display:none}\n"
	"table.env{table-layout:fixed}table.env th{width:10em;color:var(--muted)}"
	"table.env td{overflow-wrap:anywhere}\n"
	/* narrow: a row's cells stacked, each saying whose it is, A or B */
	"@media (max-width:600px){table.diff thead{display:none}table.diff tr{display:block;"
	"border-bottom:1px solid var(--line)}table.diff td{display:block;border:0}"
	"table.diff td[data-label]::before{content:attr(data-label) ': ';font-weight:600;"
	"font-size:12px;color:var(--muted)}}\n";

static const char compare_js[] =
	"(function () {\n"
	"\tvar box = document.getElementById('show-noise');\n"
	"\tfunction apply() { document.body.classList.toggle('show-noise', box.checked); }\n"
	"\tbox.addEventListener('change', apply);\n"
	"\tapply();\n"
	"})();\n";

static const char *const kind_names[N_KINDS] = {
	[SAME] = "same", [VALUES] = "values", [NOISE] = "noise", [VERDICT] = "verdict",
	[ONLY_A] = "only-a", [ONLY_B] = "only-b",
};

/* The observed values of r, those that differ from other's marked. */
static void values_cell(struct nc_xml *x, const struct nc_result *r, const struct nc_result *other,
			const char *label)
{
	nc_xml_start(x, "td");
	nc_xml_attr(x, "class", "vals");
	nc_xml_attr(x, "data-label", label);
	for (size_t i = 0; r && i < r->n_observed; i++) {
		const char *key = r->observed[i].key;
		bool noise = false;
		bool changed = other && nc_value_differs(key, r->observed[i].value,
							 nc_kv_value(other->observed,
								     other->n_observed, key),
							 &noise);

		nc_xml_start(x, "div");
		nc_xml_attr(x, "class", changed ? "changed" : noise ? "noise" : NULL);
		if (noise)
			nc_xml_attr(x, "title", "differs from run to run: noise, not counted");
		nc_xml_start(x, "span");
		nc_xml_attr(x, "class", "k");
		nc_xml_textf(x, "%s: ", key);
		nc_xml_end_full(x);
		nc_xml_start(x, changed ? "b" : "span");
		nc_xml_text(x, r->observed[i].value);
		nc_xml_end_full(x);
		nc_xml_end_full(x);
	}
	nc_xml_end_full(x);
}

static void tile(struct nc_xml *x, const char *class, const char *id, size_t count,
		 const char *label)
{
	nc_xml_start(x, "div");
	nc_xml_attrf(x, "class", "tile %s%s", class, count ? "" : " zero");
	nc_xml_start(x, "span");
	nc_xml_attr(x, "class", "count");
	nc_xml_attr(x, "id", id);
	nc_xml_textf(x, "%zu", count);
	nc_xml_end_full(x);
	nc_xml_start(x, "span");
	nc_xml_attr(x, "class", "label");
	nc_xml_text(x, label);
	nc_xml_end_full(x);
	nc_xml_end_full(x);
}

static void env_table(struct nc_xml *x, const struct nc_run *a, const struct nc_run *b)
{
	nc_xml_start(x, "table");
	nc_xml_attr(x, "class", "env");
	nc_xml_start(x, "thead");
	nc_xml_start(x, "tr");
	nc_xml_element(x, "th", "");
	nc_xml_element(x, "th", "A");
	nc_xml_element(x, "th", "B");
	nc_xml_end_full(x);
	nc_xml_end_full(x);
	nc_xml_start(x, "tbody");
	for (int side = 0; side < 2; side++) {
		const struct nc_run *run = side ? b : a, *other = side ? a : b;

		for (size_t i = 0; i < run->n_env; i++) {
			const char *key = run->env[i].key;
			const char *va = side ? nc_env_get(other, key) : run->env[i].value;
			const char *vb = side ? run->env[i].value : nc_env_get(other, key);

			if (side && va)
				continue;	/* shown with A's */
			nc_xml_start(x, "tr");
			nc_xml_attr(x, "class", (!va || !vb || strcmp(va, vb)) ? "diffenv" : NULL);
			nc_xml_element(x, "th", key);
			nc_xml_element(x, "td", va ? va : "\xe2\x80\x94");
			nc_xml_start(x, "td");
			nc_xml_attr(x, "class", "b");
			nc_xml_text(x, vb ? vb : "\xe2\x80\x94");
			nc_xml_end_full(x);
			nc_xml_end_full(x);
		}
	}
	nc_xml_end_full(x);
	nc_xml_end_full(x);
}

/* What a reader must know before the rows: causes and summaries. */
static void notes(struct nc_xml *x, const struct comparison *c)
{
	if (strcmp(c->a_expect, c->b_expect) != 0) {
		nc_xml_start(x, "p");
		nc_xml_attr(x, "class", "cause");
		nc_xml_attr(x, "id", "expect-note");
		nc_xml_textf(x, "The expectations files differ (A: %s, B: %s): a verdict that "
			     "changed while the outcome did not comes from them.", c->a_expect,
			     c->b_expect);
		nc_xml_end_full(x);
	}
	if (!c->same_selection) {
		nc_xml_start(x, "p");
		nc_xml_attr(x, "id", "selection-note");
		nc_xml_textf(x, "The runs selected different checks (A: %s, B: %s): %zu check%s "
			     "only in A, %zu only in B, not listed.", c->a_selection,
			     c->b_selection, c->counts[ONLY_A], c->counts[ONLY_A] == 1 ? "" : "s",
			     c->counts[ONLY_B]);
		nc_xml_end_full(x);
	}
}

static void diff_row(struct nc_xml *x, const struct comparison *c, const struct row *row)
{
	const struct nc_result *r = row->a ? row->a : row->b;

	nc_xml_start(x, "tr");
	nc_xml_attr(x, "class", kind_names[row->kind]);
	nc_xml_attr(x, "data-kind", kind_names[row->kind]);
	nc_xml_attr(x, "data-id", r->id);
	nc_xml_start(x, "td");
	nc_xml_element(x, "code", r->id);
	nc_xml_start(x, "div");
	nc_xml_attr(x, "class", "sub");
	nc_xml_text(x, r->summary ? r->summary : "");
	nc_xml_end_full(x);
	nc_xml_end_full(x);
	nc_xml_start(x, "td");
	nc_xml_attr(x, "data-label", "A");
	nc_xml_verdict_badge(x, row->a);
	nc_xml_end_full(x);
	nc_xml_start(x, "td");
	nc_xml_attr(x, "data-label", "B");
	nc_xml_verdict_badge(x, row->b);
	if (row->kind == VERDICT && row->b->message) {
		nc_xml_start(x, "pre");
		nc_xml_attr(x, "class", "msg");
		nc_xml_text(x, row->b->message);
		nc_xml_end_full(x);
	}
	if (row->kind == VERDICT && row->a->raw == row->b->raw) {
		nc_xml_start(x, "div");
		nc_xml_attr(x, "class", "cause");
		nc_xml_text(x, "same outcome: the expectations changed");
		nc_xml_end_full(x);
	}
	nc_xml_end_full(x);
	values_cell(x, row->a, row->b, "Observed in A");
	values_cell(x, row->b, row->a, "Observed in B");
	nc_xml_end_full(x);
	nc_xml_raw(x, "\n");
	(void)c;
}

static void diff_table(struct nc_xml *x, const struct comparison *c)
{
	static const char *const heads[] = { "Check", "A", "B", "Observed in A",
					     "Observed in B" };

	nc_xml_start(x, "table");
	nc_xml_attr(x, "class", "diff");
	nc_xml_attr(x, "id", "diffs");
	nc_xml_start(x, "thead");
	nc_xml_start(x, "tr");
	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		nc_xml_element(x, "th", heads[i]);
	nc_xml_end_full(x);
	nc_xml_end_full(x);
	nc_xml_start(x, "tbody");
	for (enum row_kind kind = VERDICT; kind < SAME; kind++) {
		if ((kind == ONLY_A || kind == ONLY_B) && !c->same_selection)
			continue;
		for (size_t i = 0; i < c->n_rows; i++)
			if (c->rows[i].kind == kind)
				diff_row(x, c, &c->rows[i]);
	}
	nc_xml_end_full(x);
	nc_xml_end_full(x);
}

int nc_compare_page(const char *path, const struct comparison *c)
{
	struct nc_xml x;
	char title[128];
	int err = nc_xml_open(&x, NC_XML_HTML);

	if (err)
		return err;
	snprintf(title, sizeof(title), "netconform compare: %zu verdicts differ",
		 nc_verdict_diffs(c));
	nc_page_start(&x, title, nc_css_base, compare_css);
	nc_xml_start(&x, "body");
	nc_xml_attr(&x, "class", c->show_noise ? "show-noise" : NULL);
	nc_xml_start(&x, "div");
	nc_xml_attr(&x, "class", "page");
	nc_xml_element(&x, "h1", "netconform: two runs compared");
	nc_xml_start(&x, "p");
	nc_xml_attr(&x, "class", "sub");
	nc_xml_textf(&x, "A: %s \xc2\xb7 B: %s", c->a_path, c->b_path);
	nc_xml_end_full(&x);

	nc_xml_start(&x, "div");
	nc_xml_attr(&x, "class", "summary");
	nc_xml_attr(&x, "id", "summary");
	tile(&x, "k-verdict", "count-verdict", c->counts[VERDICT], "verdicts differ");
	tile(&x, "k-only", "count-only", c->counts[ONLY_A] + c->counts[ONLY_B],
	     c->same_selection ? "in one run only" : "in one run only (selections differ)");
	tile(&x, "k-values", "count-values", c->counts[VALUES], "observed values differ");
	tile(&x, "k-noise", "count-noise", c->counts[NOISE], "differ by noise only");
	tile(&x, "k-same", "count-same", c->counts[SAME], "same");
	nc_xml_end_full(&x);
	nc_xml_raw(&x, "\n");
	notes(&x, c);

	nc_xml_element(&x, "h2", "Checks that differ");
	nc_xml_start(&x, "label");
	nc_xml_start(&x, "input");
	nc_xml_attr(&x, "type", "checkbox");
	nc_xml_attr(&x, "id", "show-noise");
	nc_xml_attr(&x, "checked", c->show_noise ? "checked" : NULL);
	nc_xml_end(&x);
	nc_xml_text(&x, " show run-to-run noise (ports, descriptors, ISNs, timer remainders, "
		    "a few ms)");
	nc_xml_end_full(&x);
	if (c->n_rows == c->counts[SAME])
		nc_xml_element(&x, "p", "Every check has the same verdict and observed values.");
	else
		diff_table(&x, c);
	nc_xml_element(&x, "h2", "Environments");
	env_table(&x, c->a, c->b);
	nc_xml_end_full(&x);
	nc_xml_start(&x, "script");
	nc_xml_raw(&x, compare_js);
	nc_xml_end_full(&x);
	nc_xml_end_full(&x);
	nc_xml_end_full(&x);
	return nc_xml_commit(&x, path, "<!DOCTYPE html>\n");
}
