/* The in-memory run and results.xml, its canonical file: everything else
 * (JUnit, HTML) can be made again from results.xml alone. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "conformance.h"
#include "results.h"
#include "writer.h"

#define RESULTS_ROOT	"netconform-results"
#define RESULTS_VERSION	"1"	/* bump when a reader of 1 would misread */

static const char *const verdict_names[NC_N_VERDICTS] = {
	[NC_PASS] = "pass",
	[NC_FAIL] = "fail",
	[NC_XFAIL] = "xfail",
	[NC_XPASS] = "xpass",
	[NC_SKIP] = "skip",
	[NC_ERROR] = "error",
};

const char *nc_verdict_name(enum nc_verdict verdict)
{
	if ((unsigned)verdict >= NC_N_VERDICTS)
		return "invalid";
	return verdict_names[verdict];
}

int nc_verdict_parse(const char *name)
{
	for (int v = 0; v < NC_N_VERDICTS; v++)
		if (name && strcmp(name, verdict_names[v]) == 0)
			return v;
	return -1;
}

/* --- building a run: copies, and abort() on ENOMEM (see results.h) --- */

static char *copy_or_abort(const char *s)
{
	char *copy = strdup(s);

	if (!copy)
		abort();
	return copy;
}

static void *grow_or_abort(void *array, size_t n, size_t size)
{
	void *grown = reallocarray(array, n, size);

	if (!grown)
		abort();
	return grown;
}

void nc_kv_add(struct nc_kv **list, size_t *n, const char *key, const char *value)
{
	struct nc_kv *kv;

	*list = grow_or_abort(*list, *n + 1, sizeof(**list));
	kv = &(*list)[(*n)++];
	/* NULL is kept out: every reader may print a value. */
	kv->key = copy_or_abort(key ? key : "");
	kv->value = copy_or_abort(value ? value : "");
}

struct nc_result *nc_run_add_result(struct nc_run *run)
{
	struct nc_result *result;

	run->results = grow_or_abort(run->results, run->n_results + 1, sizeof(*run->results));
	result = &run->results[run->n_results++];
	memset(result, 0, sizeof(*result));
	return result;
}

void nc_result_add_clause(struct nc_result *result, const char *clause)
{
	result->clauses = grow_or_abort(result->clauses, result->n_clauses + 2,
					sizeof(*result->clauses));
	result->clauses[result->n_clauses++] = copy_or_abort(clause ? clause : "");
	result->clauses[result->n_clauses] = NULL;
}

void nc_result_add_packet(struct nc_result *result, const struct nc_packet *packet)
{
	struct nc_packet *copy;

	result->packets = grow_or_abort(result->packets, result->n_packets + 1,
					sizeof(*result->packets));
	copy = &result->packets[result->n_packets++];
	*copy = *packet;
	copy->src = copy_or_abort(packet->src ? packet->src : "");
	copy->dst = copy_or_abort(packet->dst ? packet->dst : "");
	copy->flags = copy_or_abort(packet->flags ? packet->flags : "");
	copy->seen = copy_or_abort(packet->seen ? packet->seen : "");
	copy->dropped = packet->dropped ? copy_or_abort(packet->dropped) : NULL;
}

struct nc_clause_row *nc_run_add_clause(struct nc_run *run, const char *id,
					const char *section, const char *zh,
					const char *en)
{
	struct nc_clause_row *row;

	run->clauses = grow_or_abort(run->clauses, run->n_clauses + 1, sizeof(*run->clauses));
	row = &run->clauses[run->n_clauses++];
	row->id = copy_or_abort(id ? id : "");
	row->section = section ? copy_or_abort(section) : NULL;
	row->zh = zh ? copy_or_abort(zh) : NULL;
	row->en = en ? copy_or_abort(en) : NULL;
	row->n_checks = -1;
	return row;
}

static void kvs_free(struct nc_kv *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].key);
		free(list[i].value);
	}
	free(list);
}

static void result_free(struct nc_result *r)
{
	free(r->id);
	free(r->area);
	free(r->summary);
	free(r->file);
	for (size_t i = 0; i < r->n_clauses; i++)
		free(r->clauses[i]);
	free(r->clauses);
	free(r->message);
	free(r->reason);
	kvs_free(r->expected, r->n_expected);
	kvs_free(r->observed, r->n_observed);
	for (size_t i = 0; i < r->n_packets; i++) {
		free(r->packets[i].src);
		free(r->packets[i].dst);
		free(r->packets[i].flags);
		free(r->packets[i].seen);
		free(r->packets[i].dropped);
	}
	free(r->packets);
	nc_result_free_conformance(r);
}

void nc_run_free(struct nc_run *run)
{
	kvs_free(run->env, run->n_env);
	for (size_t i = 0; i < run->n_results; i++)
		result_free(&run->results[i]);
	free(run->results);
	for (size_t i = 0; i < run->n_clauses; i++) {
		free(run->clauses[i].id);
		free(run->clauses[i].section);
		free(run->clauses[i].zh);
		free(run->clauses[i].en);
	}
	free(run->clauses);
	nc_run_free_deviations(run);
	memset(run, 0, sizeof(*run));
}

/* --- writing --- */

static void write_values(struct nc_xml *x, const char *element,
			 const struct nc_kv *values, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		nc_xml_start(x, element);
		nc_xml_attr(x, "name", values[i].key);
		nc_xml_text(x, values[i].value);
		nc_xml_end_full(x);
	}
}

static void write_check(struct nc_xml *x, const struct nc_result *r)
{
	char seconds[32];

	nc_format_seconds(r->seconds, seconds, sizeof(seconds));
	nc_xml_start(x, "check");
	nc_xml_attr(x, "id", r->id);
	nc_xml_attr(x, "area", r->area);
	nc_xml_attr(x, "verdict", nc_verdict_name(r->verdict));
	nc_xml_attr(x, "outcome", nc_verdict_name(r->outcome));
	nc_xml_attr(x, "deviation", r->deviation);
	nc_xml_attr(x, "seconds", seconds);
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
	nc_results_write_assertions(x, r);
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
	nc_xml_start(&x, RESULTS_ROOT);
	nc_xml_attr(&x, "version", RESULTS_VERSION);
	nc_xml_attr(&x, "seconds", seconds);

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
		nc_xml_element(&x, "zh", row->zh);
		nc_xml_element(&x, "en", row->en);
		nc_xml_end(&x);
	}
	nc_xml_end(&x);
	nc_results_write_deviations(&x, run);

	for (size_t i = 0; i < run->n_results; i++)
		write_check(&x, &run->results[i]);
	nc_xml_end(&x);
	return nc_xml_commit(&x, path, "");
}

/* --- reading --- */

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
	copy = copy_or_abort((const char *)value);
	xmlFree(value);
	return copy;
}

static char *text_of(const xmlNode *node)
{
	xmlChar *text = xmlNodeGetContent(node);
	char *copy;

	copy = copy_or_abort(text ? (const char *)text : "");
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

/* <item name="k">v</item>, <expected ...>, <observed ...> */
static int read_value(const struct reader *rd, const xmlNode *node,
		      struct nc_kv **list, size_t *n)
{
	char *name, *value;

	if (need_prop(rd, node, "name", &name) < 0)
		return -1;
	value = text_of(node);
	nc_kv_add(list, n, name, value);
	free(name);
	free(value);
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

	if (need_prop(rd, node, "id", &r->id) < 0 ||
	    need_prop(rd, node, "area", &r->area) < 0 ||
	    read_verdict(rd, node, "verdict", &r->verdict) < 0 ||
	    read_verdict(rd, node, "outcome", &r->outcome) < 0 ||
	    read_seconds(rd, node, &r->seconds) < 0 ||
	    read_line(rd, node, &r->line) < 0)
		return -1;
	r->file = prop(node, "file");
	r->deviation = prop(node, "deviation");
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

/* Unknown elements are skipped: a later writer of version 1 may add some. */
static int read_root(const struct reader *rd, const xmlNode *root, struct nc_run *run)
{
	char *version;
	int err = 0;

	if (!root)
		return fail_at(rd, 1, "no root element");
	if (!is_element(root, RESULTS_ROOT))
		return fail_at(rd, line_of(root),
			       "not a netconform results file: root <%s>, expected <"
			       RESULTS_ROOT ">", root->name);
	version = prop(root, "version");
	if (!version)
		err = fail_at(rd, line_of(root), "<" RESULTS_ROOT "> without version=");
	else if (strcmp(version, RESULTS_VERSION) != 0)
		err = fail_at(rd, line_of(root),
			      "results version \"%s\", this netconform reads version "
			      RESULTS_VERSION, version);
	free(version);
	if (err || read_seconds(rd, root, &run->seconds) < 0)
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

/* The whole file, so that open errors carry their errno. Returns 0 or -errno. */
static int read_file(const char *path, char **data, size_t *len)
{
	struct stat st;
	size_t used = 0, size;
	char *buf;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	if (S_ISDIR(st.st_mode) || st.st_size >= INT_MAX) {	/* libxml2 takes an int */
		close(fd);
		return S_ISDIR(st.st_mode) ? -EISDIR : -EFBIG;
	}
	size = (size_t)st.st_size + 1;
	buf = malloc(size);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t n = read(fd, buf + used, size - used);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		used += (size_t)n;
		if (used == size) {	/* it grew while we read */
			err = -EFBIG;
			break;
		}
	}
	close(fd);
	if (err) {
		free(buf);
		return err;
	}
	*data = buf;
	*len = used;
	return 0;
}

int nc_results_read(const char *path, struct nc_run *out, char *err, size_t errsize)
{
	const struct reader rd = { path, err, errsize };
	const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
			    XML_PARSE_BIG_LINES;
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc = NULL;
	char *data = NULL;
	size_t len = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = read_file(path, &data, &len);
	if (ret < 0)
		return fail_at(&rd, 0, "cannot read: %s", strerror(-ret));
	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		free(data);
		return fail_at(&rd, 0, "cannot read: %s", strerror(ENOMEM));
	}
	doc = xmlCtxtReadMemory(ctxt, data, (int)len, path, NULL, options);
	free(data);
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
