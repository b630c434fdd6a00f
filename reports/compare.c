/* Two runs side by side (netconform compare A B): the checks whose verdict
 * or observed values differ, as a text summary and as a page (compare.html,
 * self-contained like index.html), with the environment of each run.
 *
 * Checks are matched by id.  A check in one run only counts as a verdict
 * difference: a check that vanished is news for CI too.  Observed values
 * that measure time or pick a number by chance (elapsed_ms, a source port)
 * differ on every run: they are shown, never counted. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results.h"
#include "values.h"
#include "writer.h"

/* Keys of a's and b's observed values whose values differ (volatile ones
 * only when count_volatile). */
static size_t value_diffs(const struct nc_result *a, const struct nc_result *b,
			  bool count_volatile)
{
	size_t n = 0;

	for (size_t i = 0; i < a->n_observed; i++)
		if ((count_volatile || !nc_value_is_volatile(a->observed[i].key)) &&
		    nc_value_differs(a->observed[i].value,
			    nc_kv_get(b->observed, b->n_observed, a->observed[i].key)))
			n++;
	for (size_t i = 0; i < b->n_observed; i++)
		if ((count_volatile || !nc_value_is_volatile(b->observed[i].key)) &&
		    !nc_kv_get(a->observed, a->n_observed, b->observed[i].key))
			n++;
	return n;
}

enum row_kind { SAME, VALUES, VERDICT, ONLY_A, ONLY_B };

struct row {
	const struct nc_result *a, *b;
	enum row_kind kind;
};

struct comparison {
	struct row *rows;	/* a's order, then b's own checks */
	size_t n_rows;
	size_t counts[ONLY_B + 1];
};

static int compare_runs(const struct nc_run *a, const struct nc_run *b, struct comparison *c)
{
	memset(c, 0, sizeof(*c));
	c->rows = calloc(a->n_results + b->n_results + 1, sizeof(*c->rows));
	if (!c->rows)
		return -ENOMEM;
	for (size_t i = 0; i < a->n_results; i++) {
		struct row *row = &c->rows[c->n_rows++];

		row->a = &a->results[i];
		row->b = nc_run_find(b, row->a->id);
		if (!row->b)
			row->kind = ONLY_A;
		else if (row->a->verdict != row->b->verdict)
			row->kind = VERDICT;
		else if (value_diffs(row->a, row->b, false))
			row->kind = VALUES;
		else
			row->kind = SAME;
		c->counts[row->kind]++;
	}
	for (size_t i = 0; i < b->n_results; i++)
		if (!nc_run_find(a, b->results[i].id)) {
			struct row *row = &c->rows[c->n_rows++];

			row->b = &b->results[i];
			row->kind = ONLY_B;
			c->counts[ONLY_B]++;
		}
	return 0;
}

static size_t verdict_diffs(const struct comparison *c)
{
	return c->counts[VERDICT] + c->counts[ONLY_A] + c->counts[ONLY_B];
}

/* --- text --- */

static void text_env(FILE *out, const char *label, const char *path, const struct nc_run *run)
{
	const char *kernel = nc_env_get(run, "kernel"), *libc = nc_env_get(run, "libc");
	const char *date = nc_env_get(run, "date");

	fprintf(out, "%s: %s (%s; %s; %s)\n", label, path, kernel ? kernel : "kernel ?",
		libc ? libc : "libc ?", date ? date : "date ?");
}

static void text_values(FILE *out, const struct nc_result *a, const struct nc_result *b)
{
	for (size_t i = 0; i < a->n_observed; i++) {
		const char *key = a->observed[i].key;
		const char *other = nc_kv_get(b->observed, b->n_observed, key);

		if (!nc_value_is_volatile(key) && nc_value_differs(a->observed[i].value, other))
			fprintf(out, "        %s: %s -> %s\n", key, a->observed[i].value,
				other ? other : "(none)");
	}
	for (size_t i = 0; i < b->n_observed; i++)
		if (!nc_value_is_volatile(b->observed[i].key) &&
		    !nc_kv_get(a->observed, a->n_observed, b->observed[i].key))
			fprintf(out, "        %s: (none) -> %s\n", b->observed[i].key,
				b->observed[i].value);
}

static void write_text(FILE *out, const struct comparison *c, const char *a_path,
		       const struct nc_run *a, const char *b_path, const struct nc_run *b)
{
	text_env(out, "A", a_path, a);
	text_env(out, "B", b_path, b);
	for (size_t i = 0; i < c->n_rows; i++) {
		const struct row *row = &c->rows[i];

		switch (row->kind) {
		case VERDICT:
			fprintf(out, "verdict  %-44s %s -> %s\n", row->a->id,
				nc_verdict_name(row->a->verdict), nc_verdict_name(row->b->verdict));
			text_values(out, row->a, row->b);
			break;
		case VALUES:
			fprintf(out, "values   %-44s %s\n", row->a->id,
				nc_verdict_name(row->a->verdict));
			text_values(out, row->a, row->b);
			break;
		case ONLY_A:
			fprintf(out, "only A   %-44s %s\n", row->a->id,
				nc_verdict_name(row->a->verdict));
			break;
		case ONLY_B:
			fprintf(out, "only B   %-44s %s\n", row->b->id,
				nc_verdict_name(row->b->verdict));
			break;
		case SAME:
			break;
		}
	}
	fprintf(out, "compare: %zu checks, %zu same, %zu verdicts differ, %zu values differ, "
		"%zu only in A, %zu only in B\n", c->n_rows, c->counts[SAME], c->counts[VERDICT],
		c->counts[VALUES], c->counts[ONLY_A], c->counts[ONLY_B]);
}

/* --- the page --- */

static const char compare_css[] =
	":root{--pass:#1a7f37;--fail:#cf222e;--error:#82071e;--xfail:#b76e00;"
	"--xpass:#8250df;--skip:#6e7781;--line:#d8dee4;--muted:#59636e;--soft:#f6f8fa}\n"
	"[hidden]{display:none!important}*{box-sizing:border-box}\n"
	"body{margin:0;color:#1f2328;font:14px/1.45 system-ui,-apple-system,\"Segoe UI\","
	"Roboto,\"Noto Sans\",\"Noto Sans CJK SC\",sans-serif}\n"
	".page{max-width:1440px;margin:0 auto;padding:20px 24px 40px}\n"
	"h1{font-size:22px;margin:0}h2{font-size:17px;margin:28px 0 10px;padding-bottom:4px;"
	"border-bottom:1px solid var(--line)}\n"
	"code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}\n"
	".sub{color:var(--muted);margin:2px 0 14px}\n"
	".summary{display:flex;flex-wrap:wrap;gap:8px}\n"
	".tile{flex:1 1 0;min-width:130px;border:1px solid var(--line);border-top:4px solid var(--c);"
	"border-radius:6px;padding:6px 12px}.tile .count{display:block;font-size:26px;"
	"font-weight:650;color:var(--c)}.tile .label{font-size:12px;color:var(--muted)}\n"
	".k-verdict{--c:var(--fail)}.k-values{--c:var(--xfail)}.k-only{--c:var(--xpass)}"
	".k-same{--c:var(--pass)}\n"
	".v-pass{--c:var(--pass)}.v-fail{--c:var(--fail)}.v-error{--c:var(--error)}"
	".v-xfail{--c:var(--xfail)}.v-xpass{--c:var(--xpass)}.v-skip{--c:var(--skip)}\n"
	".badge{display:inline-block;min-width:42px;padding:1px 7px;border-radius:10px;"
	"text-align:center;font-size:12px;font-weight:600;color:#fff;background:var(--c)}\n"
	".badge.none{background:#fff;color:var(--muted);border:1px dashed var(--muted)}\n"
	"table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;"
	"padding:5px 8px;border-bottom:1px solid var(--line)}\n"
	"thead th{background:var(--soft);font-size:12px;color:var(--muted)}\n"
	"table.diff{table-layout:fixed}table.diff td{overflow-wrap:anywhere}\n"
	"tr.verdict{background:#fff8f7}td.changed,tr.diffenv td.b{color:var(--fail);"
	"font-weight:600}\n"
	".vals div{font-size:12.5px}.vals .k{color:var(--muted)}.vals .vol{color:#8c959f}\n"
	"table.env th{width:10em;color:var(--muted)}\n";

static void badge(struct nc_xml *x, const struct nc_result *r)
{
	nc_xml_start(x, "span");
	if (r) {
		nc_xml_attrf(x, "class", "badge v-%s", nc_verdict_name(r->verdict));
		nc_xml_text(x, nc_verdict_name(r->verdict));
	} else {
		nc_xml_attr(x, "class", "badge none");
		nc_xml_text(x, "absent");
	}
	nc_xml_end_full(x);
}

/* The observed values of r, those that differ from other's marked. */
static void values_cell(struct nc_xml *x, const struct nc_result *r, const struct nc_result *other)
{
	nc_xml_start(x, "td");
	nc_xml_attr(x, "class", "vals");
	for (size_t i = 0; r && i < r->n_observed; i++) {
		const char *key = r->observed[i].key;
		bool vol = nc_value_is_volatile(key);
		bool changed = other && !vol &&
			       nc_value_differs(r->observed[i].value, nc_kv_get(other->observed,
								      other->n_observed, key));

		nc_xml_start(x, "div");
		nc_xml_attr(x, "class", changed ? "changed" : vol ? "vol" : NULL);
		if (vol)
			nc_xml_attr(x, "title", "varies from run to run: not compared");
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

static const char *const kind_names[] = {
	[SAME] = "same", [VALUES] = "values", [VERDICT] = "verdict",
	[ONLY_A] = "only-a", [ONLY_B] = "only-b",
};

static void tile(struct nc_xml *x, const char *class, const char *id, size_t count,
		 const char *label)
{
	nc_xml_start(x, "div");
	nc_xml_attrf(x, "class", "tile %s", class);
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
			nc_xml_attr(x, "class", nc_value_differs(va, vb) ? "diffenv" : NULL);
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

static int write_page(const char *path, const struct comparison *c, const char *a_path,
		      const struct nc_run *a, const char *b_path, const struct nc_run *b)
{
	static const enum row_kind order[] = { VERDICT, ONLY_A, ONLY_B, VALUES };
	struct nc_xml x;
	int err = nc_xml_open(&x, NC_XML_HTML);

	if (err)
		return err;
	nc_xml_start(&x, "html");
	nc_xml_attr(&x, "xmlns", "http://www.w3.org/1999/xhtml");
	nc_xml_attr(&x, "lang", "en");
	nc_xml_start(&x, "head");
	nc_xml_start(&x, "meta");
	nc_xml_attr(&x, "charset", "utf-8");
	nc_xml_end(&x);
	nc_xml_start(&x, "title");
	nc_xml_textf(&x, "netconform compare: %zu verdicts differ", verdict_diffs(c));
	nc_xml_end_full(&x);
	nc_xml_start(&x, "style");
	nc_xml_raw(&x, compare_css);
	nc_xml_end_full(&x);
	nc_xml_end_full(&x);
	nc_xml_raw(&x, "\n");
	nc_xml_start(&x, "body");
	nc_xml_start(&x, "div");
	nc_xml_attr(&x, "class", "page");
	nc_xml_element(&x, "h1", "netconform: two runs compared");
	nc_xml_start(&x, "p");
	nc_xml_attr(&x, "class", "sub");
	nc_xml_textf(&x, "A: %s \xc2\xb7 B: %s", a_path, b_path);
	nc_xml_end_full(&x);

	nc_xml_start(&x, "div");
	nc_xml_attr(&x, "class", "summary");
	nc_xml_attr(&x, "id", "summary");
	tile(&x, "k-verdict", "count-verdict", c->counts[VERDICT], "verdicts differ");
	tile(&x, "k-only", "count-only", c->counts[ONLY_A] + c->counts[ONLY_B],
	     "in one run only");
	tile(&x, "k-values", "count-values", c->counts[VALUES], "observed values differ");
	tile(&x, "k-same", "count-same", c->counts[SAME], "same");
	nc_xml_end_full(&x);
	nc_xml_raw(&x, "\n");

	nc_xml_element(&x, "h2", "Checks that differ");
	if (c->n_rows == c->counts[SAME]) {
		nc_xml_element(&x, "p", "Every check has the same verdict and observed values.");
	} else {
		nc_xml_start(&x, "table");
		nc_xml_attr(&x, "class", "diff");
		nc_xml_attr(&x, "id", "diffs");
		nc_xml_start(&x, "thead");
		nc_xml_start(&x, "tr");
		nc_xml_element(&x, "th", "Check");
		nc_xml_element(&x, "th", "A");
		nc_xml_element(&x, "th", "B");
		nc_xml_element(&x, "th", "Observed in A");
		nc_xml_element(&x, "th", "Observed in B");
		nc_xml_end_full(&x);
		nc_xml_end_full(&x);
		nc_xml_start(&x, "tbody");
		for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++)
			for (size_t i = 0; i < c->n_rows; i++) {
				const struct row *row = &c->rows[i];
				const struct nc_result *r = row->a ? row->a : row->b;

				if (row->kind != order[k])
					continue;
				nc_xml_start(&x, "tr");
				nc_xml_attr(&x, "class", kind_names[row->kind]);
				nc_xml_attr(&x, "data-kind", kind_names[row->kind]);
				nc_xml_attr(&x, "data-id", r->id);
				nc_xml_start(&x, "td");
				nc_xml_element(&x, "code", r->id);
				nc_xml_start(&x, "div");
				nc_xml_attr(&x, "class", "sub");
				nc_xml_text(&x, r->summary ? r->summary : "");
				nc_xml_end_full(&x);
				nc_xml_end_full(&x);
				nc_xml_start(&x, "td");
				badge(&x, row->a);
				nc_xml_end_full(&x);
				nc_xml_start(&x, "td");
				badge(&x, row->b);
				nc_xml_end_full(&x);
				values_cell(&x, row->a, row->b);
				values_cell(&x, row->b, row->a);
				nc_xml_end_full(&x);
				nc_xml_raw(&x, "\n");
			}
		nc_xml_end_full(&x);
		nc_xml_end_full(&x);
	}
	nc_xml_element(&x, "h2", "Environments");
	env_table(&x, a, b);
	nc_xml_end_full(&x);
	nc_xml_end_full(&x);
	nc_xml_end_full(&x);
	return nc_xml_commit(&x, path, "<!DOCTYPE html>\n");
}

int nc_compare_write(const struct nc_run *a, const char *a_path,
		     const struct nc_run *b, const char *b_path,
		     FILE *out, const char *html_path)
{
	struct comparison c;
	int err = compare_runs(a, b, &c);

	if (err)
		return err;
	if (out)
		write_text(out, &c, a_path, a, b_path, b);
	if (html_path)
		err = write_page(html_path, &c, a_path, a, b_path, b);
	free(c.rows);
	return err ? err : (int)verdict_diffs(&c);
}
