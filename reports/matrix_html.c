/* matrix.html: the matrix as a page, self-contained (no file or network
 * beside it).  One table: a column per platform (name, kernel, C library,
 * where it ran; or why it did not run), the rows that differ across
 * platforms first and highlighted, each clause's row saying where it holds,
 * deviates or fails above its checks.  A checkbox hides the rows that are
 * the same everywhere; without script every row shows. */
#include <stdlib.h>
#include <string.h>

#include "matrix_html.h"
#include "matrix_model.h"
#include "compare.h"
#include "style.h"
#include "writer.h"

static const char matrix_css[] =
	":root{--pass:#1a7f37;--fail:#cf222e;--error:#82071e;--xfail:#b76e00;"
	"--xpass:#8250df;--skip:#6e7781;--line:#d8dee4;--muted:#59636e;--soft:#f6f8fa}\n"
	"[hidden]{display:none!important}*{box-sizing:border-box}\n"
	"body{margin:0;color:#1f2328;font:14px/1.45 system-ui,-apple-system,\"Segoe UI\","
	"Roboto,\"Noto Sans\",\"Noto Sans CJK SC\",sans-serif}\n"
	".page{padding:20px 24px 40px}h1{font-size:22px;margin:0}\n"
	".sub{color:var(--muted);margin:2px 0 14px}\n"
	"code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}\n"
	"table{border-collapse:collapse}th,td{text-align:left;vertical-align:top;"
	"padding:4px 8px;border-bottom:1px solid var(--line)}\n"
	"thead th{position:sticky;top:0;background:var(--soft);font-weight:normal;"
	"font-size:12px;color:var(--muted);min-width:150px;z-index:1}\n"
	"thead th b{display:block;color:#1f2328;font-size:13px}\n"
	"thead th.notrun{background:#fff8c5}thead th .why{color:#7d4e00}\n"
	"tr.group th{background:#fff;font-size:15px;padding-top:18px;color:#1f2328}\n"
	"tr.clause td{background:var(--soft);font-size:12.5px}tr.clause td.text{color:var(--muted)}\n"
	"tr.check td:first-child{padding-left:22px}\n"
	"tr.differs td{background:#fff8f7}tr.differs td:first-child{border-left:3px solid var(--fail)}\n"
	".s-holds{color:var(--pass)}.s-deviates{color:var(--xfail)}.s-fails{color:var(--fail);"
	"font-weight:600}.s-untested,.s-notrun{color:var(--muted)}\n"
	".v-pass{--c:var(--pass)}.v-fail{--c:var(--fail)}.v-error{--c:var(--error)}"
	".v-xfail{--c:var(--xfail)}.v-xpass{--c:var(--xpass)}.v-skip{--c:var(--skip)}\n"
	".badge{display:inline-block;min-width:42px;padding:1px 7px;border-radius:10px;"
	"text-align:center;font-size:12px;font-weight:600;color:#fff;background:var(--c)}\n"
	".badge.none{background:#fff;color:var(--muted);border:1px dashed var(--muted)}\n"
	"td .val{margin-left:6px}td .val .k{color:var(--muted)}label.only{display:block;margin:0 0 10px}\n"
	".legend{display:flex;flex-wrap:wrap;gap:4px 16px;margin:0 0 10px;font-size:12.5px;"
	"color:var(--muted)}.legend span{white-space:nowrap}\n"
	".legend .differs{border-left:3px solid var(--fail);background:#fff8f7;padding:0 6px}\n"
	/* narrow: each check a block, each cell under its platform's name */
	"@media (max-width:600px){.page{padding:12px 10px 28px}"
	"table#matrix,table#matrix tbody,table#matrix tr,table#matrix td,table#matrix th"
	"{display:block;width:auto;min-width:0}table#matrix thead{display:none}"
	"table#matrix tr{border-bottom:1px solid var(--line);padding:4px 0}"
	"table#matrix td{border:0;padding:2px 8px;overflow-wrap:anywhere}"
	"tr.check td:first-child{padding-left:8px}"
	"table#matrix td[data-platform]::before{content:attr(data-platform) ': ';"
	"color:var(--muted);font-size:12px}}\n";

/* The checkbox: rows the same everywhere hidden, and clause rows left
 * without a visible check. */
static const char matrix_js[] =
	"(function(){var box=document.getElementById('only-differ');"
	"function apply(){var only=box.checked;"
	"document.querySelectorAll('tbody.same').forEach(function(b){b.hidden=only;});}"
	"box.addEventListener('change',apply);apply();})();";

static void cell_badge(struct nc_xml *x, const struct nc_result *r, const struct mx_row *row)
{
	const char *value = r && row->key && r->verdict != NC_SKIP
			    ? nc_kv_value(r->observed, r->n_observed, row->key) : NULL;

	nc_xml_verdict_badge(x, r);
	if (value) {	/* the value with its key: "elapsed_ms 205", not a bare 205 */
		nc_xml_start(x, "code");
		nc_xml_attr(x, "class", "val");
		nc_xml_start(x, "span");
		nc_xml_attr(x, "class", "k");
		nc_xml_textf(x, "%s ", row->key);
		nc_xml_end_full(x);
		nc_xml_text(x, value);
		nc_xml_end_full(x);
	}
}

static void header(struct nc_xml *x, const struct mx *m)
{
	char kernel[128], machine[64];

	nc_xml_start(x, "thead");
	nc_xml_start(x, "tr");
	nc_xml_start(x, "th");
	nc_xml_element(x, "b", "Check");
	nc_xml_text(x, "grouped by clause");
	nc_xml_end_full(x);
	for (size_t p = 0; p < m->n_platforms; p++) {
		const struct nc_platform *pl = &m->platforms[p];

		nc_xml_start(x, "th");
		nc_xml_attr(x, "class", pl->run ? NULL : "notrun");
		nc_xml_attr(x, "data-platform", pl->name);
		nc_xml_element(x, "b", pl->name);
		if (pl->run) {
			nc_xml_element(x, "div", mx_kernel(pl, kernel, sizeof(kernel)));
			nc_xml_element(x, "div", mx_libc(pl));
			nc_xml_element(x, "div", mx_machine(pl, machine, sizeof(machine)));
		} else {
			nc_xml_start(x, "div");
			nc_xml_attr(x, "class", "why");
			nc_xml_textf(x, "%s: %s", pl->status, pl->reason);
			nc_xml_end_full(x);
		}
		nc_xml_end_full(x);
	}
	nc_xml_end_full(x);
	nc_xml_end_full(x);
}

static void clause_row(struct nc_xml *x, const struct mx *m, const struct mx_clause *cl)
{
	nc_xml_start(x, "tr");
	nc_xml_attr(x, "class", "clause");
	nc_xml_attr(x, "data-clause", cl->id ? cl->id : "");
	nc_xml_start(x, "td");
	nc_xml_attr(x, "class", "text");
	nc_xml_element(x, "code", cl->id ? cl->id : "(no clause)");
	if (cl->en) {
		nc_xml_text(x, " ");
		nc_xml_text(x, cl->en);
	}
	nc_xml_end_full(x);
	for (size_t p = 0; p < m->n_platforms; p++) {
		enum mx_state s = cl->states[p];

		nc_xml_start(x, "td");
		nc_xml_attr(x, "class", s == MX_NOT_RUN ? "s-notrun" : NULL);
		nc_xml_attr(x, "data-platform", m->platforms[p].name);
		nc_xml_attr(x, "data-state", mx_state_names[s]);
		nc_xml_start(x, "span");
		nc_xml_attrf(x, "class", "s-%s", mx_state_names[s]);
		nc_xml_text(x, s == MX_NOT_RUN ? "\xe2\x80\x94" : mx_state_names[s]);
		nc_xml_end_full(x);
		nc_xml_end_full(x);
	}
	nc_xml_end_full(x);
	nc_xml_raw(x, "\n");
}

static void check_row(struct nc_xml *x, const struct mx *m, const struct mx_row *row)
{
	nc_xml_start(x, "tr");
	nc_xml_attr(x, "class", row->differs ? "check differs" : "check");
	nc_xml_attr(x, "data-id", row->id);
	nc_xml_start(x, "td");
	nc_xml_attr(x, "title", row->summary);
	nc_xml_element(x, "code", row->id);
	nc_xml_end_full(x);
	for (size_t p = 0; p < m->n_platforms; p++) {
		const struct nc_result *r = row->cells[p];

		nc_xml_start(x, "td");
		nc_xml_attr(x, "data-platform", m->platforms[p].name);
		if (!m->platforms[p].run) {
			nc_xml_attr(x, "class", "s-notrun");
			nc_xml_text(x, "\xe2\x80\x94");
		} else {
			nc_xml_attr(x, "data-verdict", r ? nc_verdict_name(r->verdict) : "absent");
			nc_xml_attr(x, "title", r ? r->message : NULL);
			cell_badge(x, r, row);
		}
		nc_xml_end_full(x);
	}
	nc_xml_end_full(x);
	nc_xml_raw(x, "\n");
}

/* One tbody: the rows that differ (or not), under their clauses. */
static void group(struct nc_xml *x, const struct mx *m, bool differing)
{
	size_t count = mx_group_size(m, differing);

	if (!count)
		return;
	nc_xml_start(x, "tbody");
	nc_xml_attr(x, "class", differing ? "differ" : "same");
	nc_xml_attr(x, "id", differing ? "differ" : "same");
	nc_xml_start(x, "tr");
	nc_xml_attr(x, "class", "group");
	nc_xml_start(x, "th");
	nc_xml_attrf(x, "colspan", "%zu", m->n_platforms + 1);
	nc_xml_textf(x, "%s (%zu checks)", mx_group_title(differing), count);
	nc_xml_end_full(x);
	nc_xml_end_full(x);
	for (size_t c = 0; c < m->n_clauses; c++) {
		const struct mx_clause *cl = &m->clauses[c];

		if (!mx_clause_in_group(m, cl, differing))
			continue;
		clause_row(x, m, cl);
		for (size_t i = 0; i < cl->n_rows; i++)
			if (m->rows[cl->rows[i]].differs == differing)
				check_row(x, m, &m->rows[cl->rows[i]]);
	}
	nc_xml_end_full(x);
}

/* What the cells say. */
static void legend(struct nc_xml *x)
{
	static const char *const verdicts[] = { "pass", "fail", "xfail", "xpass", "skip", "error" };
	static const char *const meanings[] = {
		"as the document says", "not as the document says",
		"a known deviation, pinned", "passes, though pinned as a deviation",
		"could not run here", "did not run to the end",
	};

	nc_xml_start(x, "div");
	nc_xml_attr(x, "class", "legend");
	nc_xml_attr(x, "id", "legend");
	for (size_t i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++) {
		nc_xml_start(x, "span");
		nc_xml_start(x, "span");
		nc_xml_attrf(x, "class", "badge v-%s", verdicts[i]);
		nc_xml_text(x, verdicts[i]);
		nc_xml_end_full(x);
		nc_xml_textf(x, " %s", meanings[i]);
		nc_xml_end_full(x);
	}
	nc_xml_element(x, "span", "clause rows: holds, deviates, fails on each platform");
	nc_xml_element(x, "span", "after a verdict: the value that matters, with its key");
	nc_xml_element(x, "span", "\xe2\x80\x94 the platform did not run");
	nc_xml_start(x, "span");
	nc_xml_attr(x, "class", "differs");
	nc_xml_text(x, "differs across platforms");
	nc_xml_end_full(x);
	nc_xml_end_full(x);
}

int mx_write_page(const struct mx *m, const char *path)
{
	struct nc_xml x;
	char title[128];
	size_t ran = 0;
	int err = nc_xml_open(&x, NC_XML_HTML);

	if (err)
		return err;
	for (size_t p = 0; p < m->n_platforms; p++)
		ran += m->platforms[p].run != NULL;
	snprintf(title, sizeof(title), "netconform matrix: %zu checks differ across %zu platforms",
		 m->n_differ, ran);
	nc_page_start(&x, title, matrix_css, NULL);
	nc_xml_start(&x, "body");
	nc_xml_start(&x, "div");
	nc_xml_attr(&x, "class", "page");
	nc_xml_element(&x, "h1", "netconform: the conformance matrix");
	nc_xml_start(&x, "p");
	nc_xml_attr(&x, "class", "sub");
	nc_xml_attr(&x, "id", "summary");
	nc_xml_textf(&x, "%zu platforms (%zu ran, %zu did not) \xc2\xb7 %zu checks \xc2\xb7 "
		     "%zu differ across platforms", m->n_platforms, ran, m->n_platforms - ran,
		     m->n_rows, m->n_differ);
	nc_xml_end_full(&x);
	nc_xml_start(&x, "label");
	nc_xml_attr(&x, "class", "only");
	nc_xml_start(&x, "input");
	nc_xml_attr(&x, "type", "checkbox");
	nc_xml_attr(&x, "id", "only-differ");
	nc_xml_end(&x);
	nc_xml_text(&x, " only the checks that differ across platforms");
	nc_xml_end_full(&x);
	legend(&x);
	nc_xml_start(&x, "table");
	nc_xml_attr(&x, "id", "matrix");
	header(&x, m);
	group(&x, m, true);
	group(&x, m, false);
	nc_xml_end_full(&x);
	nc_xml_end_full(&x);
	nc_xml_start(&x, "script");
	nc_xml_raw(&x, matrix_js);
	nc_xml_end_full(&x);
	nc_xml_end_full(&x);
	nc_xml_end_full(&x);
	return nc_xml_commit(&x, path, "<!DOCTYPE html>\n");
}
