/* What the three report writers share, private to reports/: an
 * xmlTextWriter on a memory buffer whose first error sticks (so a writer
 * checks once, at the end), and the PATH.tmp + rename(2) that publishes a
 * finished file and nothing else. */
#ifndef NC_REPORT_WRITER_H
#define NC_REPORT_WRITER_H

#include <libxml/xmlwriter.h>
#include <stdbool.h>
#include <stddef.h>

#include "results.h"

enum nc_xml_kind {
	NC_XML_DOCUMENT,	/* <?xml ...?> declaration, indented */
	NC_XML_HTML,		/* no declaration, no indentation: whitespace
				 * between inline HTML elements would show */
};

struct nc_xml {
	xmlBufferPtr buf;
	xmlTextWriterPtr writer;
	int err;		/* first failure as -errno; later calls no-ops */
};

int nc_xml_open(struct nc_xml *x, enum nc_xml_kind kind);
void nc_xml_start(struct nc_xml *x, const char *name);
/* Empty elements become <a/>: fine for XML and HTML void elements. */
void nc_xml_end(struct nc_xml *x);
/* Always <a></a>: an HTML parser reads <td/> as an unclosed <td>. */
void nc_xml_end_full(struct nc_xml *x);
/* A NULL value writes no attribute. */
void nc_xml_attr(struct nc_xml *x, const char *name, const char *value);
void nc_xml_attrf(struct nc_xml *x, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void nc_xml_text(struct nc_xml *x, const char *text);
void nc_xml_textf(struct nc_xml *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* <name>text</name>; nothing when text is NULL. */
void nc_xml_element(struct nc_xml *x, const char *name, const char *text);
/* Whether text is written as it is: valid UTF-8 without the control
 * characters that the writers replace with U+FFFD. */
bool nc_xml_writes_as_is(const char *text);
/* A check's verdict as a badge (class "badge v-VERDICT"), or "absent" for
 * a check not in the run (NULL): the comparison and matrix pages. */
void nc_xml_verdict_badge(struct nc_xml *x, const struct nc_result *r);
/* Constant markup, CSS and script written as is: never for data. */
void nc_xml_raw(struct nc_xml *x, const char *markup);
/* Closes what is open, writes prefix and the document to path via
 * path.tmp, and frees x.  Returns 0 or -errno. */
int nc_xml_commit(struct nc_xml *x, const char *path, const char *prefix);

/* Writes prefix then data to path.tmp, fsyncs, renames it over path; on any
 * failure removes path.tmp.  Returns 0 or -errno. */
int nc_file_replace(const char *path, const char *prefix, const void *data, size_t len);

/* results.xml's root element and format version: bump the version when a
 * reader of the old one would misread. */
#define NC_RESULTS_ROOT		"netconform-results"
#define NC_RESULTS_VERSION	"1"

/* -EINVAL when the run could not be written faithfully (a verdict out of
 * range, a check without id or area, a NULL key): better no report. */
int nc_run_check(const struct nc_run *run);
/* "1.250": seconds with three decimals, whatever LC_NUMERIC says. */
void nc_format_seconds(double seconds, char *buf, size_t size);
/* Reads what nc_format_seconds writes.  Returns 0, or -1 if text is not
 * "digits[.digits]". */
int nc_parse_seconds(const char *text, double *seconds);

#endif
