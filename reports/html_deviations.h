/* The page's parts about conformance (html_deviations.c), private to
 * reports/: the known deviations, the status of each clause, the checks
 * beyond the document. */
#ifndef NC_HTML_DEVIATIONS_H
#define NC_HTML_DEVIATIONS_H

#include "results.h"
#include "writer.h"

/* The section "Known deviations": per line of the expectation file, the
 * document's sentences, what Linux/glibc do instead, the pinned values
 * beside the observed ones, and the checks it names. */
void nc_html_deviations(struct nc_xml *x, const struct nc_run *run);
/* The clauses counted by status, as a line of badges. */
void nc_html_clause_tally(struct nc_xml *x, const struct nc_run *run);
/* A clause's status as a badge. */
void nc_html_clause_status(struct nc_xml *x, const struct nc_run *run,
			   const struct nc_clause_row *row);
/* "beyond the document", with why, for a check that claims no clause. */
void nc_html_beyond(struct nc_xml *x, const struct nc_result *r);

#endif
