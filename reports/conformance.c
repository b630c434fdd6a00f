/* What a run says of conformance, beside its verdicts: every assertion
 * of a check, the known deviations the expectation file pinned, the checks
 * beyond the document, and so the status of each clause; with their part
 * of results.xml. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "conformance.h"
#include "writer.h"

static char *copy(const char *s)
{
	char *c = strdup(s ? s : "");

	if (!c)
		abort();
	return c;
}

void nc_result_add_assert(struct nc_result *result, const struct nc_assert_row *row)
{
	struct nc_assert_row *a;

	result->asserts = reallocarray(result->asserts, result->n_asserts + 1,
				       sizeof(*result->asserts));
	if (!result->asserts)
		abort();
	a = &result->asserts[result->n_asserts++];
	*a = (struct nc_assert_row){
		.key = copy(row->key), .label = nc_copy_if_new(row->label, row->key),
		.side = nc_copy_if_new(row->side, NULL), .expected = copy(row->expected),
		.observed = copy(row->observed), .passed = row->passed,
		.role = copy(row->role), .file = copy(row->file), .line = row->line,
		.message = copy(row->message),
	};
}

struct nc_deviation_row *nc_run_add_deviation(struct nc_run *run, const char *pattern,
					      const char *where, const char *reason)
{
	struct nc_deviation_row *d;

	run->deviations = reallocarray(run->deviations, run->n_deviations + 1,
				       sizeof(*run->deviations));
	if (!run->deviations)
		abort();
	d = &run->deviations[run->n_deviations++];
	*d = (struct nc_deviation_row){
		.pattern = copy(pattern), .where = copy(where), .reason = copy(reason),
	};
	return d;
}

static void kvs_free(struct nc_kv *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].key);
		free(list[i].value);
	}
	free(list);
}

void nc_result_free_conformance(struct nc_result *r)
{
	for (size_t i = 0; i < r->n_asserts; i++) {
		struct nc_assert_row *a = &r->asserts[i];

		free(a->key);
		free(a->label);
		free(a->side);
		free(a->expected);
		free(a->observed);
		free(a->role);
		free(a->file);
		free(a->message);
	}
	free(r->asserts);
	free(r->deviation);
	free(r->beyond);
}

void nc_run_free_deviations(struct nc_run *run)
{
	for (size_t i = 0; i < run->n_deviations; i++) {
		struct nc_deviation_row *d = &run->deviations[i];

		free(d->pattern);
		free(d->where);
		free(d->reason);
		kvs_free(d->pins, d->n_pins);
	}
	free(run->deviations);
	run->deviations = NULL;
	run->n_deviations = 0;
}

/* --- the status of a clause --- */

static const struct {
	const char *name, *meaning;
} statuses[NC_N_CLAUSE_STATUSES] = {
	[NC_CLAUSE_CONTRADICTED] = { "contradicted", "a check of it fails: the system does otherwise" },
	[NC_CLAUSE_DEVIATES] = { "deviates", "a known deviation, pinned in the expectation file" },
	[NC_CLAUSE_ERROR] = { "error", "its checks could not run to the end" },
	[NC_CLAUSE_HOLDS] = { "holds", "its checks pass" },
	[NC_CLAUSE_SKIPPED] = { "skipped", "its checks were all skipped here" },
	[NC_CLAUSE_NOT_SELECTED] = { "not-selected", "it has checks, but none ran in this run" },
	[NC_CLAUSE_UNCHECKED] = { "unchecked", "no check of the suite names it" },
};

const char *nc_clause_status_name(enum nc_clause_status status)
{
	return (unsigned)status < NC_N_CLAUSE_STATUSES ? statuses[status].name : "invalid";
}

const char *nc_clause_status_meaning(enum nc_clause_status status)
{
	return (unsigned)status < NC_N_CLAUSE_STATUSES ? statuses[status].meaning : "";
}

static enum nc_clause_status status_of_verdict(enum nc_verdict verdict)
{
	switch (verdict) {
	case NC_FAIL:
		return NC_CLAUSE_CONTRADICTED;
	case NC_XFAIL:
		return NC_CLAUSE_DEVIATES;
	case NC_ERROR:
		return NC_CLAUSE_ERROR;
	case NC_PASS:
	case NC_XPASS:	/* the document holds; the stale expectation is a problem of its own */
		return NC_CLAUSE_HOLDS;
	default:
		return NC_CLAUSE_SKIPPED;
	}
}

enum nc_clause_status nc_clause_status(const struct nc_run *run, const struct nc_clause_row *row)
{
	enum nc_clause_status worst = NC_CLAUSE_UNCHECKED;
	bool named = false;

	for (size_t i = 0; i < run->n_results; i++) {
		const struct nc_result *r = &run->results[i];
		enum nc_clause_status s;

		if (r->beyond)
			continue;
		for (size_t c = 0; c < r->n_clauses; c++)
			if (strcmp(r->clauses[c], row->id) == 0) {
				named = true;
				s = status_of_verdict(r->verdict);
				if (s < worst)
					worst = s;
			}
	}
	if (named)
		return worst;
	return row->n_checks > 0 ? NC_CLAUSE_NOT_SELECTED : NC_CLAUSE_UNCHECKED;
}

/* --- results.xml --- */

void nc_results_write_assertions(struct nc_xml *x, const struct nc_result *r)
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

void nc_results_write_deviations(struct nc_xml *x, const struct nc_run *run)
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

static char *prop(const xmlNode *node, const char *name)
{
	xmlChar *value = xmlGetProp(node, BAD_CAST name);
	char *c;

	if (!value)
		return NULL;
	c = copy((const char *)value);
	xmlFree(value);
	return c;
}

static char *text_of(const xmlNode *node)
{
	xmlChar *text = xmlNodeGetContent(node);
	char *c = copy(text ? (const char *)text : "");

	xmlFree(text);
	return c;
}

static bool is_element(const xmlNode *node, const char *name)
{
	return node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0;
}

static char *child_text(const xmlNode *node, const char *name)
{
	for (const xmlNode *c = node->children; c; c = c->next)
		if (is_element(c, name))
			return text_of(c);
	return copy("");
}

/* <assert key= [label=] [side=] result= role= file= line=><expected/><observed/>
 * <message/></assert> */
static const char *read_assert(const xmlNode *node, struct nc_result *r)
{
	struct nc_assert_row a = { 0 };
	char *result = prop(node, "result"), *line = prop(node, "line"), *end = NULL;
	const char *bad = NULL;
	long n = 0;

	a.key = prop(node, "key");
	a.label = prop(node, "label");
	a.side = prop(node, "side");
	a.role = prop(node, "role");
	a.file = prop(node, "file");
	if (line) {
		errno = 0;
		n = strtol(line, &end, 10);
	}
	if (!a.key)
		bad = "key=";
	else if (!result || (strcmp(result, "pass") && strcmp(result, "fail")))
		bad = "result= (pass or fail)";
	else if (!a.role)
		bad = "role=";
	else if (!line || errno || end == line || *end || n < 0 || n > INT_MAX)
		bad = "line= (a line number)";
	if (!bad) {
		a.passed = strcmp(result, "pass") == 0;
		a.line = (int)n;
		a.expected = child_text(node, "expected");
		a.observed = child_text(node, "observed");
		a.message = child_text(node, "message");
		nc_result_add_assert(r, &a);
	}
	free(a.key);
	free(a.label);
	free(a.side);
	free(a.role);
	free(a.file);
	free(a.expected);
	free(a.observed);
	free(a.message);
	free(result);
	free(line);
	return bad;
}

const char *nc_results_read_assertion(const xmlNode *node, struct nc_result *r)
{
	if (is_element(node, "beyond")) {
		free(r->beyond);
		r->beyond = text_of(node);
		return NULL;
	}
	return is_element(node, "assert") ? read_assert(node, r) : NULL;
}

const char *nc_results_read_deviations(const xmlNode *node, struct nc_run *run,
				       const xmlNode **where)
{
	for (const xmlNode *d = node->children; d; d = d->next) {
		struct nc_deviation_row *row;
		char *pattern, *at, *reason;

		if (!is_element(d, "deviation"))
			continue;
		*where = d;
		pattern = prop(d, "pattern");
		if (!pattern)
			return "pattern=";
		at = prop(d, "where");
		reason = child_text(d, "reason");
		row = nc_run_add_deviation(run, pattern, at, reason);
		free(pattern);
		free(at);
		free(reason);
		for (const xmlNode *pin = d->children; pin; pin = pin->next) {
			char *key, *value;

			if (!is_element(pin, "pin"))
				continue;
			*where = pin;
			key = prop(pin, "key");
			if (!key)
				return "key=";
			value = text_of(pin);
			nc_kv_add(&row->pins, &row->n_pins, key, value);
			free(key);
			free(value);
		}
	}
	return NULL;
}
