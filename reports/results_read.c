/* Reading results.xml back (compare, the VM path): every field checked,
 * every error "file:line: what is wrong"; the libxml2 plumbing under it is
 * reader.c's. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <limits.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "file.h"
#include "reader.h"
#include "results.h"
#include "writer.h"

static void replace(char **field, char *value)
{
	free(*field);
	*field = value;
}

/* A name (a check id, an area): required, and written back as it is, so
 * that what is read names the same check in every report made from it. */
static int need_name(const struct nc_reader *rd, const xmlNode *node, const char *name,
		     char **out)
{
	if (nc_read_prop(rd, node, name, out) < 0)
		return -1;
	if (!nc_xml_writes_as_is(*out) || strpbrk(*out, " \t\r\n"))
		return nc_read_fail(rd, nc_node_line(node),
				    "%s=\"%s\" holds a space or a control character", name, *out);
	return 0;
}

/* The attribute name of node, one of the names parse knows (listed in
 * known, for the message): its index into out, or -1. */
static int read_named(const struct nc_reader *rd, const xmlNode *node, const char *name,
		      int (*parse)(const char *), const char *known, int *out)
{
	char *text;

	if (nc_read_prop(rd, node, name, &text) < 0)
		return -1;
	*out = parse(text);
	if (*out < 0)
		nc_read_fail(rd, nc_node_line(node), "unknown %s \"%s\" (%s)", name, text, known);
	free(text);
	return *out < 0 ? -1 : 0;
}

static int read_verdict(const struct nc_reader *rd, const xmlNode *node, enum nc_verdict *out)
{
	int v;

	if (read_named(rd, node, "verdict", nc_verdict_parse,
		       "pass, fail, xfail, xpass, skip, error", &v) < 0)
		return -1;
	*out = (enum nc_verdict)v;
	return 0;
}

/* The raw result: results.xml keeps its attribute name, outcome=. */
static int read_raw(const struct nc_reader *rd, const xmlNode *node, enum nc_raw *out)
{
	int raw;

	if (read_named(rd, node, "outcome", nc_raw_parse, "pass, fail, skip, error", &raw) < 0)
		return -1;
	*out = (enum nc_raw)raw;
	return 0;
}

static int read_seconds(const struct nc_reader *rd, const xmlNode *node, double *out)
{
	char *text = nc_node_prop(node, "seconds");
	int err = 0;

	*out = 0;
	if (text && nc_parse_seconds(text, out) < 0)
		err = nc_read_fail(rd, nc_node_line(node),
				   "seconds=\"%s\" is not a number of seconds", text);
	free(text);
	return err;
}

static int read_line(const struct nc_reader *rd, const xmlNode *node, int *out)
{
	*out = 0;
	return nc_read_int(rd, node, "line", "a line number", out);
}

/* <packet conn= dir= t_us= src= dst= flags= seq= ack= len= seen= [dropped=]/> */
static int read_packet(const struct nc_reader *rd, const xmlNode *node, struct nc_result *r)
{
	unsigned long long conn, t_us, seq, ack, len;
	struct nc_packet pk = { 0 };
	char *dir = NULL;
	int err = -1;

	if (nc_read_number(rd, node, "conn", UINT_MAX, &conn) < 0 ||
	    nc_read_number(rd, node, "t_us", LLONG_MAX, &t_us) < 0 ||
	    nc_read_number(rd, node, "seq", ULONG_MAX, &seq) < 0 ||
	    nc_read_number(rd, node, "ack", ULONG_MAX, &ack) < 0 ||
	    nc_read_number(rd, node, "len", UINT_MAX, &len) < 0 ||
	    nc_read_prop(rd, node, "dir", &dir) < 0)
		goto out;
	if (strcmp(dir, "to-server") != 0 && strcmp(dir, "to-client") != 0) {
		nc_read_fail(rd, nc_node_line(node),
			     "dir=\"%s\" is neither to-server nor to-client", dir);
		goto out;
	}
	if (nc_read_prop(rd, node, "src", &pk.src) < 0 ||
	    nc_read_prop(rd, node, "dst", &pk.dst) < 0 ||
	    nc_read_prop(rd, node, "flags", &pk.flags) < 0 ||
	    nc_read_prop(rd, node, "seen", &pk.seen) < 0)
		goto out;
	pk.dropped = nc_node_prop(node, "dropped");
	pk.conn = (unsigned)conn;
	pk.to_server = strcmp(dir, "to-server") == 0;
	pk.t_us = (long long)t_us;
	pk.seq = (unsigned long)seq;
	pk.ack = (unsigned long)ack;
	pk.len = (unsigned)len;
	nc_result_add_packet(r, &pk);
	err = 0;
out:
	free(dir);
	free(pk.src);
	free(pk.dst);
	free(pk.flags);
	free(pk.seen);
	free(pk.dropped);
	return err;
}

/* <item name="k">v</item>, <expected ...>, <observed name= [label=] [side=]> */
static int read_value(const struct nc_reader *rd, const xmlNode *node,
		      struct nc_kv **list, size_t *n)
{
	char *name, *value, *label, *side;

	if (nc_read_prop(rd, node, "name", &name) < 0)
		return -1;
	value = nc_node_text(node);
	label = nc_node_prop(node, "label");
	side = nc_node_prop(node, "side");
	nc_kv_add(list, n, name, value);
	nc_kv_describe(&(*list)[*n - 1], label, side);
	free(name);
	free(value);
	free(label);
	free(side);
	return 0;
}

/* <assert key= [label=] [side=] result= role= file= line=><expected/><observed/>
 * <message/></assert> */
static int read_assert(const struct nc_reader *rd, const xmlNode *node, struct nc_result *r)
{
	struct nc_assert_row a = { 0 };
	char *result = nc_node_prop(node, "result"), *line = nc_node_prop(node, "line");
	char *end = NULL;
	const char *bad = NULL;
	long n = 0;

	a.key = nc_node_prop(node, "key");
	a.label = nc_node_prop(node, "label");
	a.side = nc_node_prop(node, "side");
	a.role = nc_node_prop(node, "role");
	a.file = nc_node_prop(node, "file");
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
		a.expected = nc_node_child_text(node, "expected");
		a.observed = nc_node_child_text(node, "observed");
		a.message = nc_node_child_text(node, "message");
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
	return bad ? nc_read_fail(rd, nc_node_line(node), "<assert> without %s", bad) : 0;
}

static int read_clause_row(const struct nc_reader *rd, const xmlNode *node, struct nc_run *run)
{
	struct nc_clause_row *row;
	char *id;

	if (nc_read_prop(rd, node, "id", &id) < 0)
		return -1;
	row = nc_run_add_clause(run, id, NULL, NULL, NULL);
	free(id);
	row->section = nc_node_prop(node, "section");
	row->axes = nc_node_prop(node, "axes");
	row->covers = nc_node_prop(node, "covers");
	if (nc_read_int(rd, node, "checks", "a count", &row->n_checks) < 0)
		return -1;
	for (const xmlNode *child = node->children; child; child = child->next) {
		if (nc_node_is(child, "zh"))
			replace(&row->zh, nc_node_text(child));
		else if (nc_node_is(child, "en"))
			replace(&row->en, nc_node_text(child));
	}
	return 0;
}

static int read_check(const struct nc_reader *rd, const xmlNode *node, struct nc_run *run)
{
	struct nc_result *r = nc_run_add_result(run);

	if (need_name(rd, node, "id", &r->id) < 0 ||
	    need_name(rd, node, "area", &r->area) < 0 ||
	    read_verdict(rd, node, &r->verdict) < 0 ||
	    read_raw(rd, node, &r->raw) < 0 ||
	    read_seconds(rd, node, &r->seconds) < 0 ||
	    read_line(rd, node, &r->line) < 0)
		return -1;
	r->file = nc_node_prop(node, "file");
	r->deviation = nc_node_prop(node, "deviation");
	r->timed_out = xmlHasProp(node, BAD_CAST "timed-out") != NULL;
	for (const xmlNode *child = node->children; child; child = child->next) {
		if (nc_node_is(child, "summary")) {
			replace(&r->summary, nc_node_text(child));
		} else if (nc_node_is(child, "clause")) {
			char *id;

			if (nc_read_prop(rd, child, "id", &id) < 0)
				return -1;
			nc_result_add_clause(r, id);
			free(id);
		} else if (nc_node_is(child, "expected")) {
			if (read_value(rd, child, &r->expected, &r->n_expected) < 0)
				return -1;
		} else if (nc_node_is(child, "observed")) {
			if (read_value(rd, child, &r->observed, &r->n_observed) < 0)
				return -1;
		} else if (nc_node_is(child, "message")) {
			replace(&r->message, nc_node_text(child));
		} else if (nc_node_is(child, "reason")) {
			replace(&r->reason, nc_node_text(child));
		} else if (nc_node_is(child, "packet")) {
			if (read_packet(rd, child, r) < 0)
				return -1;
		} else if (nc_node_is(child, "beyond")) {
			replace(&r->beyond, nc_node_text(child));
		} else if (nc_node_is(child, "assert")) {
			if (read_assert(rd, child, r) < 0)
				return -1;
		}
	}
	return 0;
}

/* <deviations>: the expectation file's lines, each <deviation pattern= where=>
 * with its <pin key=>VALUE</pin>s and <reason>. */
static int read_deviations(const struct nc_reader *rd, const xmlNode *node, struct nc_run *run)
{
	for (const xmlNode *d = node->children; d; d = d->next) {
		struct nc_deviation_row *row;
		char *pattern, *at, *reason;

		if (!nc_node_is(d, "deviation"))
			continue;
		if (nc_read_prop(rd, d, "pattern", &pattern) < 0)
			return -1;
		at = nc_node_prop(d, "where");
		reason = nc_node_child_text(d, "reason");
		row = nc_run_add_deviation(run, pattern, at, reason);
		free(pattern);
		free(at);
		free(reason);
		for (const xmlNode *pin = d->children; pin; pin = pin->next) {
			char *key, *value;

			if (!nc_node_is(pin, "pin"))
				continue;
			if (nc_read_prop(rd, pin, "key", &key) < 0)
				return -1;
			value = nc_node_text(pin);
			nc_kv_add(&row->pins, &row->n_pins, key, value);
			free(key);
			free(value);
		}
	}
	return 0;
}

/* interrupted="SIGTERM" not-run="3": a run stopped by a signal; not-run alone: by --maxfail. */
static int read_interrupted(const struct nc_reader *rd, const xmlNode *root, struct nc_run *run)
{
	char *name = nc_node_prop(root, "interrupted");
	unsigned long long not_run;
	int err = 0;

	if (!name && !xmlHasProp(root, BAD_CAST "not-run"))
		return 0;
	for (int sig = 1; name && sig < NSIG && !run->interrupted; sig++)
		if (sigabbrev_np(sig) && strncmp(name, "SIG", 3) == 0 &&
		    strcmp(name + 3, sigabbrev_np(sig)) == 0)
			run->interrupted = sig;
	if (name && !run->interrupted)	/* no name: stopped by --maxfail */
		err = nc_read_fail(rd, nc_node_line(root),
				   "interrupted=\"%s\" is not a signal", name);
	else if (nc_read_number(rd, root, "not-run", SIZE_MAX, &not_run) < 0)
		err = -1;
	else
		run->n_not_run = (size_t)not_run;
	free(name);
	return err;
}

/* Unknown elements are skipped: a later writer of version 1 may add some. */
static int read_root(const struct nc_reader *rd, const xmlNode *root, struct nc_run *run)
{
	char *version;
	int err = 0;

	if (!root)
		return nc_read_fail(rd, 1, "no root element");
	if (!nc_node_is(root, NC_RESULTS_ROOT))
		return nc_read_fail(rd, nc_node_line(root),
				    "not a netconform results file: root <%s>, expected <"
				    NC_RESULTS_ROOT ">", root->name);
	version = nc_node_prop(root, "version");
	if (!version)
		err = nc_read_fail(rd, nc_node_line(root),
				   "<" NC_RESULTS_ROOT "> without version=");
	else if (strcmp(version, NC_RESULTS_VERSION) != 0)
		err = nc_read_fail(rd, nc_node_line(root),
				   "results version \"%s\", this netconform reads version "
				   NC_RESULTS_VERSION, version);
	free(version);
	if (err || read_seconds(rd, root, &run->seconds) < 0 ||
	    read_interrupted(rd, root, run) < 0)
		return -1;

	for (const xmlNode *node = root->children; node; node = node->next) {
		if (nc_node_is(node, "environment")) {
			for (const xmlNode *item = node->children; item; item = item->next)
				if (nc_node_is(item, "item") &&
				    read_value(rd, item, &run->env, &run->n_env) < 0)
					return -1;
		} else if (nc_node_is(node, "clauses")) {
			for (const xmlNode *row = node->children; row; row = row->next)
				if (nc_node_is(row, "clause") && read_clause_row(rd, row, run) < 0)
					return -1;
		} else if (nc_node_is(node, "check")) {
			if (read_check(rd, node, run) < 0)
				return -1;
		} else if (nc_node_is(node, "deviations")) {
			if (read_deviations(rd, node, run) < 0)
				return -1;
		}
	}
	return 0;
}

static void say_nothing(void *context, const char *fmt, ...)
{
	(void)context;
	(void)fmt;
}

int nc_results_parse(const char *name, const char *data, size_t len, struct nc_run *out,
		     char *err, size_t errsize)
{
	const struct nc_reader rd = { name, err, errsize };
	const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
			    XML_PARSE_BIG_LINES;
	xmlGenericErrorFunc saved_handler;
	void *saved_context;
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	int ret;

	memset(out, 0, sizeof(*out));
	if (len >= INT_MAX)	/* libxml2 takes an int */
		return nc_read_fail(&rd, 0, "cannot read: %s", strerror(EFBIG));
	/* netconform writes no DOCTYPE: one would only bring entities whose
	 * expansion (a few KB making GBs) the reader must never do. */
	if (memmem(data, len, "<!DOCTYPE", 9) || memmem(data, len, "<!ENTITY", 8))
		return nc_read_fail(&rd, 1, "a DOCTYPE or ENTITY declaration: not a results "
				    "file of netconform");
	ctxt = xmlNewParserCtxt();
	if (!ctxt)
		return nc_read_fail(&rd, 0, "cannot read: %s", strerror(ENOMEM));
	/* Read as the UTF-8 we write, whatever it declares: no converter, and
	 * none of libxml2's own messages on stderr (our one line says it all). */
	saved_handler = xmlGenericError;
	saved_context = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, say_nothing);
	doc = xmlCtxtReadMemory(ctxt, data, (int)len, name, "UTF-8", options);
	xmlSetGenericErrorFunc(saved_context, saved_handler);
	if (!doc || !ctxt->wellFormed) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);
		const char *what = e && e->message ? e->message : "cannot parse";

		/* libxml2's messages end with a newline */
		ret = nc_read_fail(&rd, e && e->line > 0 ? e->line : 1,
				   "not well-formed XML: %.*s", (int)strcspn(what, "\n"), what);
	} else {
		ret = read_root(&rd, xmlDocGetRootElement(doc), out);
	}
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	if (ret < 0)
		nc_run_free(out);
	return ret;
}

int nc_results_read(const char *path, struct nc_run *out, char *err, size_t errsize)
{
	const struct nc_reader rd = { path, err, errsize };
	char *data = NULL;
	size_t len = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = nc_file_read_input(path, NC_RESULTS_INPUT_MAX, &data, &len);
	if (ret < 0)
		return nc_read_fail(&rd, 0, "cannot read: %s", nc_file_input_error(ret));
	ret = nc_results_parse(path, data, len, out, err, errsize);
	free(data);
	return ret;
}
