/* What the reader of results.xml (results_read.c) needs of a parsed
 * document, private to reports/: attributes and texts as malloc()ed copies,
 * so that everything in a run is free()d alike, and a reader whose errors
 * are one line "file:line: what is wrong".  The writing side is writer.h. */
#ifndef NC_REPORT_READER_H
#define NC_REPORT_READER_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>

struct nc_reader {
	const char *path;	/* the file, as messages name it */
	char *err;		/* where the message goes, or NULL */
	size_t errsize;
};

/* "path:line: " and the message into rd->err.  Returns -1. */
int nc_read_fail(const struct nc_reader *rd, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

long nc_node_line(const xmlNode *node);
/* Whether node is the element name. */
bool nc_node_is(const xmlNode *node, const char *name);
/* A copy of the attribute, or NULL when it is absent. */
char *nc_node_prop(const xmlNode *node, const char *name);
/* A copy of node's text, "" when it has none. */
char *nc_node_text(const xmlNode *node);
/* A copy of the text of node's first child element name, "" without one. */
char *nc_node_child_text(const xmlNode *node, const char *name);

/* A required attribute, or -1 with "<element> without name=". */
int nc_read_prop(const struct nc_reader *rd, const xmlNode *node, const char *name,
		 char **out);
/* An optional attribute, a number 0..INT_MAX (what: "a line number"):
 * *out stays as it is when absent. */
int nc_read_int(const struct nc_reader *rd, const xmlNode *node, const char *name,
		const char *what, int *out);
/* A required attribute, digits only, up to max. */
int nc_read_number(const struct nc_reader *rd, const xmlNode *node, const char *name,
		   unsigned long long max, unsigned long long *out);

#endif
