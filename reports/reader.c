/* The plumbing under the reader of results.xml: see reader.h. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"
#include "results.h"

int nc_read_fail(const struct nc_reader *rd, long line, const char *fmt, ...)
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

long nc_node_line(const xmlNode *node)
{
	return xmlGetLineNo(node);
}

bool nc_node_is(const xmlNode *node, const char *name)
{
	return node->type == XML_ELEMENT_NODE &&
	       strcmp((const char *)node->name, name) == 0;
}

char *nc_node_prop(const xmlNode *node, const char *name)
{
	xmlChar *value = xmlGetProp(node, BAD_CAST name);
	char *copy;

	if (!value)
		return NULL;
	copy = nc_copy_or_abort((const char *)value);
	xmlFree(value);
	return copy;
}

char *nc_node_text(const xmlNode *node)
{
	xmlChar *text = xmlNodeGetContent(node);
	char *copy;

	copy = nc_copy_or_abort(text ? (const char *)text : "");
	xmlFree(text);
	return copy;
}

char *nc_node_child_text(const xmlNode *node, const char *name)
{
	for (const xmlNode *child = node->children; child; child = child->next)
		if (nc_node_is(child, name))
			return nc_node_text(child);
	return nc_copy_or_abort("");
}

int nc_read_prop(const struct nc_reader *rd, const xmlNode *node, const char *name,
		     char **out)
{
	*out = nc_node_prop(node, name);
	if (!*out)
		return nc_read_fail(rd, nc_node_line(node), "<%s> without %s=", node->name, name);
	return 0;
}

int nc_read_int(const struct nc_reader *rd, const xmlNode *node, const char *name,
		    const char *what, int *out)
{
	char *text = nc_node_prop(node, name), *end;
	long value;
	int err = 0;

	if (!text)
		return 0;
	errno = 0;
	value = strtol(text, &end, 10);
	if (errno || end == text || *end || value < 0 || value > INT_MAX)
		err = nc_read_fail(rd, nc_node_line(node), "%s=\"%s\" is not %s", name, text, what);
	else
		*out = (int)value;
	free(text);
	return err;
}

int nc_read_number(const struct nc_reader *rd, const xmlNode *node, const char *name,
		       unsigned long long max, unsigned long long *out)
{
	char *text, *end;
	int err = 0;

	if (nc_read_prop(rd, node, name, &text) < 0)
		return -1;
	errno = 0;
	*out = strtoull(text, &end, 10);
	if (errno || end == text || *end || text[0] == '-' || *out > max)
		err = nc_read_fail(rd, nc_node_line(node), "%s=\"%s\" is not a number up to %llu",
				   name, text, max);
	free(text);
	return err;
}
