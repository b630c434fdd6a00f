/* Writing results.xml: the run as it is, every field, so that the other
 * reports can be made again from it alone. */
#include <string.h>

#include "results.h"
#include "writer.h"

static void write_values(struct nc_xml *x, const char *element,
			 const struct nc_kv *values, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		nc_xml_start(x, element);
		nc_xml_attr(x, "name", values[i].key);
		if (values[i].label)
			nc_xml_attr(x, "label", values[i].label);
		if (values[i].side)
			nc_xml_attr(x, "side", values[i].side);
		nc_xml_text(x, values[i].value);
		nc_xml_end_full(x);
	}
}

/* <beyond> and every <assert> of a check. */
static void write_assertions(struct nc_xml *x, const struct nc_result *r)
{
	nc_xml_element(x, "beyond", r->beyond);
	for (size_t i = 0; i < r->n_asserts; i++) {
		const struct nc_assert_row *a = &r->asserts[i];

		nc_xml_start(x, "assert");
		nc_xml_attr(x, "key", a->key);
		if (a->label)
			nc_xml_attr(x, "label", a->label);
		if (a->side)
			nc_xml_attr(x, "side", a->side);
		nc_xml_attr(x, "result", a->passed ? "pass" : "fail");
		nc_xml_attr(x, "role", a->role);
		nc_xml_attr(x, "file", a->file);
		nc_xml_attrf(x, "line", "%d", a->line);
		nc_xml_element(x, "expected", a->expected);
		nc_xml_element(x, "observed", a->observed);
		nc_xml_element(x, "message", a->message);
		nc_xml_end(x);
	}
}

/* The expectation file's lines: <deviations>, each <deviation> with its <pin>s. */
static void write_deviations(struct nc_xml *x, const struct nc_run *run)
{
	if (!run->n_deviations)
		return;
	nc_xml_start(x, "deviations");
	for (size_t i = 0; i < run->n_deviations; i++) {
		const struct nc_deviation_row *d = &run->deviations[i];

		nc_xml_start(x, "deviation");
		nc_xml_attr(x, "pattern", d->pattern);
		nc_xml_attr(x, "where", d->where);
		for (size_t k = 0; k < d->n_pins; k++) {
			nc_xml_start(x, "pin");
			nc_xml_attr(x, "key", d->pins[k].key);
			nc_xml_text(x, d->pins[k].value);
			nc_xml_end_full(x);
		}
		nc_xml_element(x, "reason", d->reason);
		nc_xml_end(x);
	}
	nc_xml_end(x);
}

static void write_check(struct nc_xml *x, const struct nc_result *r)
{
	char seconds[32];

	nc_format_seconds(r->seconds, seconds, sizeof(seconds));
	nc_xml_start(x, "check");
	nc_xml_attr(x, "id", r->id);
	nc_xml_attr(x, "area", r->area);
	nc_xml_attr(x, "verdict", nc_verdict_name(r->verdict));
	nc_xml_attr(x, "outcome", nc_raw_name(r->raw));
	nc_xml_attr(x, "deviation", r->deviation);
	nc_xml_attr(x, "seconds", seconds);
	if (r->timed_out)
		nc_xml_attr(x, "timed-out", "true");
	nc_xml_attr(x, "file", r->file);
	if (r->file || r->line)
		nc_xml_attrf(x, "line", "%d", r->line);
	nc_xml_element(x, "summary", r->summary);
	for (size_t i = 0; i < r->n_clauses; i++) {
		nc_xml_start(x, "clause");
		nc_xml_attr(x, "id", r->clauses[i]);
		nc_xml_end(x);
	}
	write_values(x, "expected", r->expected, r->n_expected);
	write_values(x, "observed", r->observed, r->n_observed);
	nc_xml_element(x, "message", r->message);
	nc_xml_element(x, "reason", r->reason);
	write_assertions(x, r);
	for (size_t i = 0; i < r->n_packets; i++) {
		const struct nc_packet *pk = &r->packets[i];

		nc_xml_start(x, "packet");
		nc_xml_attrf(x, "conn", "%u", pk->conn);
		nc_xml_attr(x, "dir", pk->to_server ? "to-server" : "to-client");
		nc_xml_attrf(x, "t_us", "%lld", pk->t_us);
		nc_xml_attr(x, "src", pk->src);
		nc_xml_attr(x, "dst", pk->dst);
		nc_xml_attr(x, "flags", pk->flags);
		nc_xml_attrf(x, "seq", "%lu", pk->seq);
		nc_xml_attrf(x, "ack", "%lu", pk->ack);
		nc_xml_attrf(x, "len", "%u", pk->len);
		nc_xml_attr(x, "seen", pk->seen);
		nc_xml_attr(x, "dropped", pk->dropped);
		nc_xml_end(x);
	}
	nc_xml_end(x);
}

int nc_results_write(const struct nc_run *run, const char *path)
{
	struct nc_xml x;
	char seconds[32];
	int err;

	err = nc_run_check(run);
	if (err)
		return err;
	err = nc_xml_open(&x, NC_XML_DOCUMENT);
	if (err)
		return err;
	nc_format_seconds(run->seconds, seconds, sizeof(seconds));
	nc_xml_start(&x, NC_RESULTS_ROOT);
	nc_xml_attr(&x, "version", NC_RESULTS_VERSION);
	nc_xml_attr(&x, "seconds", seconds);
	if (run->interrupted) {
		const char *name = sigabbrev_np(run->interrupted);

		nc_xml_attrf(&x, "interrupted", "SIG%s", name ? name : "?");
	}
	/* interrupted, or stopped by --maxfail; with interrupted always, 0 too
	 * (a signal after the last check), as the reader wants it */
	if (run->interrupted || run->n_not_run)
		nc_xml_attrf(&x, "not-run", "%zu", run->n_not_run);

	nc_xml_start(&x, "environment");
	write_values(&x, "item", run->env, run->n_env);
	nc_xml_end(&x);

	nc_xml_start(&x, "clauses");
	for (size_t i = 0; i < run->n_clauses; i++) {
		const struct nc_clause_row *row = &run->clauses[i];

		nc_xml_start(&x, "clause");
		nc_xml_attr(&x, "id", row->id);
		nc_xml_attr(&x, "section", row->section);
		if (row->n_checks >= 0)
			nc_xml_attrf(&x, "checks", "%d", row->n_checks);
		nc_xml_attr(&x, "status", nc_clause_status_name(nc_clause_status(run, row)));
		if (row->axes)
			nc_xml_attr(&x, "axes", row->axes);
		if (row->covers)
			nc_xml_attr(&x, "covers", row->covers);
		nc_xml_element(&x, "zh", row->zh);
		nc_xml_element(&x, "en", row->en);
		nc_xml_end(&x);
	}
	nc_xml_end(&x);
	write_deviations(&x, run);

	for (size_t i = 0; i < run->n_results; i++)
		write_check(&x, &run->results[i]);
	nc_xml_end(&x);
	return nc_xml_commit(&x, path, "");
}
