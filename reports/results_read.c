/* Reading results.xml back (compare, the VM path): every field checked,
 * every error "file:line: what is wrong". */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "conformance.h"
#include "file.h"
#include "results.h"
#include "writer.h"

struct reader {
	const char *path;
	char *err;
	size_t errsize;
};

static int fail_at(const struct reader *rd, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(const struct reader *rd, long line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!rd->err || !rd->errsize)
		return -1;
	n = snprintf(rd->err, rd->errsize, "%s:%ld: ", rd->path, line);
	if (n >= 0 && (size_t)n < rd->errsize) {
		va_start(ap, fmt);
		vsnprintf(rd->err + n, rd->errsize - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static long line_of(const xmlNode *node)
{
	return xmlGetLineNo(node);
}

static bool is_element(const xmlNode *node, const char *name)
{
	return node->type == XML_ELEMENT_NODE &&
	       strcmp((const char *)node->name, name) == 0;
}

/* malloc()ed copies, so that everything in a run is free()d alike. */
static char *prop(const xmlNode *node, const char *name)
{
	xmlChar *value = xmlGetProp(node, BAD_CAST name);
	char *copy;

	if (!value)
		return NULL;
	copy = nc_copy_or_abort((const char *)value);
	xmlFree(value);
	return copy;
}

static char *text_of(const xmlNode *node)
{
	xmlChar *text = xmlNodeGetContent(node);
	char *copy;

	copy = nc_copy_or_abort(text ? (const char *)text : "");
	xmlFree(text);
	return copy;
}

static void replace(char **field, char *value)
{
	free(*field);
	*field = value;
}

/* A required attribute, or -1 with the message. */
static int need_prop(const struct reader *rd, const xmlNode *node, const char *name,
		     char **out)
{
	*out = prop(node, name);
	if (!*out)
		return fail_at(rd, line_of(node), "<%s> without %s=", node->name, name);
	return 0;
}

/* A name (a check id, an area): required, and written back as it is, so
 * that what is read names the same check in every report made from it. */
static int need_name(const struct reader *rd, const xmlNode *node, const char *name,
		     char **out)
{
	if (need_prop(rd, node, name, out) < 0)
		return -1;
	if (!nc_xml_writes_as_is(*out) || strpbrk(*out, " \t\r\n"))
		return fail_at(rd, line_of(node), "%s=\"%s\" holds a space or a control character",
			       name, *out);
	return 0;
}

static int read_verdict(const struct reader *rd, const xmlNode *node, const char *name,
			enum nc_verdict *out)
{
	char *text;
	int verdict;

	if (need_prop(rd, node, name, &text) < 0)
		return -1;
	verdict = nc_verdict_parse(text);
	if (verdict < 0)
		fail_at(rd, line_of(node),
			"unknown %s \"%s\" (pass, fail, xfail, xpass, skip, error)", name, text);
	free(text);
	if (verdict < 0)
		return -1;
	*out = (enum nc_verdict)verdict;
	return 0;
}

static int read_seconds(const struct reader *rd, const xmlNode *node, double *out)
{
	char *text = prop(node, "seconds");
	int err = 0;

	*out = 0;
	if (text && nc_parse_seconds(text, out) < 0)
		err = fail_at(rd, line_of(node), "seconds=\"%s\" is not a number of seconds", text);
	free(text);
	return err;
}

/* An optional attribute, a number 0..INT_MAX (what: "a line number"):
 * *out stays as it is when absent. */
static int prop_int(const struct reader *rd, const xmlNode *node, const char *name,
		    const char *what, int *out)
{
	char *text = prop(node, name), *end;
	long value;
	int err = 0;

	if (!text)
		return 0;
	errno = 0;
	value = strtol(text, &end, 10);
	if (errno || end == text || *end || value < 0 || value > INT_MAX)
		err = fail_at(rd, line_of(node), "%s=\"%s\" is not %s", name, text, what);
	else
		*out = (int)value;
	free(text);
	return err;
}

static int read_line(const struct reader *rd, const xmlNode *node, int *out)
{
	*out = 0;
	return prop_int(rd, node, "line", "a line number", out);
}

/* An unsigned attribute: required, digits only. */
static int read_number(const struct reader *rd, const xmlNode *node, const char *name,
		       unsigned long long max, unsigned long long *out)
{
	char *text, *end;
	int err = 0;

	if (need_prop(rd, node, name, &text) < 0)
		return -1;
	errno = 0;
	*out = strtoull(text, &end, 10);
	if (errno || end == text || *end || text[0] == '-' || *out > max)
		err = fail_at(rd, line_of(node), "%s=\"%s\" is not a number up to %llu",
			      name, text, max);
	free(text);
	return err;
}

/* <packet conn= dir= t_us= src= dst= flags= seq= ack= len= seen= [dropped=]/> */
static int read_packet(const struct reader *rd, const xmlNode *node, struct nc_result *r)
{
	unsigned long long conn, t_us, seq, ack, len;
	struct nc_packet pk = { 0 };
	char *dir = NULL;
	int err = -1;

	if (read_number(rd, node, "conn", UINT_MAX, &conn) < 0 ||
	    read_number(rd, node, "t_us", LLONG_MAX, &t_us) < 0 ||
	    read_number(rd, node, "seq", ULONG_MAX, &seq) < 0 ||
	    read_number(rd, node, "ack", ULONG_MAX, &ack) < 0 ||
	    read_number(rd, node, "len", UINT_MAX, &len) < 0 ||
	    need_prop(rd, node, "dir", &dir) < 0)
		goto out;
	if (strcmp(dir, "to-server") != 0 && strcmp(dir, "to-client") != 0) {
		fail_at(rd, line_of(node), "dir=\"%s\" is neither to-server nor to-client", dir);
		goto out;
	}
	if (need_prop(rd, node, "src", &pk.src) < 0 || need_prop(rd, node, "dst", &pk.dst) < 0 ||
	    need_prop(rd, node, "flags", &pk.flags) < 0 ||
	    need_prop(rd, node, "seen", &pk.seen) < 0)
		goto out;
	pk.dropped = prop(node, "dropped");
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
static int read_value(const struct reader *rd, const xmlNode *node,
		      struct nc_kv **list, size_t *n)
{
	char *name, *value, *label, *side;

	if (need_prop(rd, node, "name", &name) < 0)
		return -1;
	value = text_of(node);
	label = prop(node, "label");
	side = prop(node, "side");
	nc_kv_add(list, n, name, value);
	nc_kv_describe(&(*list)[*n - 1], label, side);
	free(name);
	free(value);
	free(label);
	free(side);
	return 0;
}

static int read_clause_row(const struct reader *rd, const xmlNode *node, struct nc_run *run)
{
	struct nc_clause_row *row;
	char *id;

	if (need_prop(rd, node, "id", &id) < 0)
		return -1;
	row = nc_run_add_clause(run, id, NULL, NULL, NULL);
	free(id);
	row->section = prop(node, "section");
	row->axes = prop(node, "axes");
	row->covers = prop(node, "covers");
	if (prop_int(rd, node, "checks", "a count", &row->n_checks) < 0)
		return -1;
	for (const xmlNode *child = node->children; child; child = child->next) {
		if (is_element(child, "zh"))
			replace(&row->zh, text_of(child));
		else if (is_element(child, "en"))
			replace(&row->en, text_of(child));
	}
	return 0;
}

static int read_check(const struct reader *rd, const xmlNode *node, struct nc_run *run)
{
	struct nc_result *r = nc_run_add_result(run);

	if (need_name(rd, node, "id", &r->id) < 0 ||
	    need_name(rd, node, "area", &r->area) < 0 ||
	    read_verdict(rd, node, "verdict", &r->verdict) < 0 ||
	    read_verdict(rd, node, "outcome", &r->outcome) < 0 ||
	    read_seconds(rd, node, &r->seconds) < 0 ||
	    read_line(rd, node, &r->line) < 0)
		return -1;
	r->file = prop(node, "file");
	r->deviation = prop(node, "deviation");
	r->timed_out = xmlHasProp(node, BAD_CAST "timed-out") != NULL;
	for (const xmlNode *child = node->children; child; child = child->next) {
		const char *bad = nc_results_read_assertion(child, r);

		if (bad)
			return fail_at(rd, line_of(child), "<%s> without %s", child->name, bad);
		if (is_element(child, "summary")) {
			replace(&r->summary, text_of(child));
		} else if (is_element(child, "clause")) {
			char *id;

			if (need_prop(rd, child, "id", &id) < 0)
				return -1;
			nc_result_add_clause(r, id);
			free(id);
		} else if (is_element(child, "expected")) {
			if (read_value(rd, child, &r->expected, &r->n_expected) < 0)
				return -1;
		} else if (is_element(child, "observed")) {
			if (read_value(rd, child, &r->observed, &r->n_observed) < 0)
				return -1;
		} else if (is_element(child, "message")) {
			replace(&r->message, text_of(child));
		} else if (is_element(child, "reason")) {
			replace(&r->reason, text_of(child));
		} else if (is_element(child, "packet")) {
			if (read_packet(rd, child, r) < 0)
				return -1;
		}
	}
	return 0;
}

/* interrupted="SIGTERM" not-run="3": a run stopped by a signal; not-run alone: by --maxfail. */
static int read_interrupted(const struct reader *rd, const xmlNode *root, struct nc_run *run)
{
	char *name = prop(root, "interrupted");
	unsigned long long not_run;
	int err = 0;

	if (!name && !xmlHasProp(root, BAD_CAST "not-run"))
		return 0;
	for (int sig = 1; name && sig < NSIG && !run->interrupted; sig++)
		if (sigabbrev_np(sig) && strncmp(name, "SIG", 3) == 0 &&
		    strcmp(name + 3, sigabbrev_np(sig)) == 0)
			run->interrupted = sig;
	if (name && !run->interrupted)	/* no name: stopped by --maxfail */
		err = fail_at(rd, line_of(root), "interrupted=\"%s\" is not a signal", name);
	else if (read_number(rd, root, "not-run", SIZE_MAX, &not_run) < 0)
		err = -1;
	else
		run->n_not_run = (size_t)not_run;
	free(name);
	return err;
}

/* Unknown elements are skipped: a later writer of version 1 may add some. */
static int read_root(const struct reader *rd, const xmlNode *root, struct nc_run *run)
{
	char *version;
	int err = 0;

	if (!root)
		return fail_at(rd, 1, "no root element");
	if (!is_element(root, NC_RESULTS_ROOT))
		return fail_at(rd, line_of(root),
			       "not a netconform results file: root <%s>, expected <"
			       NC_RESULTS_ROOT ">", root->name);
	version = prop(root, "version");
	if (!version)
		err = fail_at(rd, line_of(root), "<" NC_RESULTS_ROOT "> without version=");
	else if (strcmp(version, NC_RESULTS_VERSION) != 0)
		err = fail_at(rd, line_of(root),
			      "results version \"%s\", this netconform reads version "
			      NC_RESULTS_VERSION, version);
	free(version);
	if (err || read_seconds(rd, root, &run->seconds) < 0 ||
	    read_interrupted(rd, root, run) < 0)
		return -1;

	for (const xmlNode *node = root->children; node; node = node->next) {
		if (is_element(node, "environment")) {
			for (const xmlNode *item = node->children; item; item = item->next)
				if (is_element(item, "item") &&
				    read_value(rd, item, &run->env, &run->n_env) < 0)
					return -1;
		} else if (is_element(node, "clauses")) {
			for (const xmlNode *row = node->children; row; row = row->next)
				if (is_element(row, "clause") && read_clause_row(rd, row, run) < 0)
					return -1;
		} else if (is_element(node, "check")) {
			if (read_check(rd, node, run) < 0)
				return -1;
		} else if (is_element(node, "deviations")) {
			const xmlNode *where = node;
			const char *bad = nc_results_read_deviations(node, run, &where);

			if (bad)
				return fail_at(rd, line_of(where), "<%s> without %s", where->name,
					       bad);
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
	const struct reader rd = { name, err, errsize };
	const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
			    XML_PARSE_BIG_LINES;
	xmlGenericErrorFunc saved_handler;
	void *saved_context;
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	int ret;

	memset(out, 0, sizeof(*out));
	if (len >= INT_MAX)	/* libxml2 takes an int */
		return fail_at(&rd, 0, "cannot read: %s", strerror(EFBIG));
	/* netconform writes no DOCTYPE: one would only bring entities whose
	 * expansion (a few KB making GBs) the reader must never do. */
	if (memmem(data, len, "<!DOCTYPE", 9) || memmem(data, len, "<!ENTITY", 8))
		return fail_at(&rd, 1, "a DOCTYPE or ENTITY declaration: not a results file "
			       "of netconform");
	ctxt = xmlNewParserCtxt();
	if (!ctxt)
		return fail_at(&rd, 0, "cannot read: %s", strerror(ENOMEM));
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
		ret = fail_at(&rd, e && e->line > 0 ? e->line : 1, "not well-formed XML: %.*s",
			      (int)strcspn(what, "\n"), what);
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
	const struct reader rd = { path, err, errsize };
	char *data = NULL;
	size_t len = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = nc_file_read_input(path, NC_RESULTS_INPUT_MAX, &data, &len);
	if (ret < 0)
		return fail_at(&rd, 0, "cannot read: %s", nc_file_input_error(ret));
	ret = nc_results_parse(path, data, len, out, err, errsize);
	free(data);
	return ret;
}
