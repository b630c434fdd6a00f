/* results.xml's part for conformance.c, private to reports/. */
#ifndef NC_REPORT_CONFORMANCE_H
#define NC_REPORT_CONFORMANCE_H

#include <libxml/tree.h>

#include "results.h"
#include "writer.h"

void nc_result_free_conformance(struct nc_result *r);
void nc_run_free_deviations(struct nc_run *run);

/* <beyond> and every <assert> of a check; the <deviations> of a run. */
void nc_results_write_assertions(struct nc_xml *x, const struct nc_result *r);
void nc_results_write_deviations(struct nc_xml *x, const struct nc_run *run);
/* A child of <check>: reads it if it is <beyond> or <assert>.  NULL, or the
 * attribute that is missing or wrong. */
const char *nc_results_read_assertion(const xmlNode *node, struct nc_result *r);
/* <deviations>: NULL, or what is missing and, in *where, the element. */
const char *nc_results_read_deviations(const xmlNode *node, struct nc_run *run,
				       const xmlNode **where);

#endif
