/* From the records a test's child wrote (lib/check/record.h) to what goes
 * into its result: observed and expected values, packets, failures, and
 * the facts its verdict is made of. */
#ifndef NC_RECORDS_H
#define NC_RECORDS_H

#include <stdbool.h>
#include <stddef.h>

#include "record.h"
#include "results.h"

/* What the records of one test said (record.h).  The assertions point
 * into the text read, which lives as long as they are needed. */
struct nc_records {
	bool done;
	unsigned done_assertions;	/* what the check counted */
	char *skip;
	char *error;
	char *exit;
	char *output;
	char *failures;
	size_t failures_len;
	struct nc_assertion *assertions;	/* setup steps included */
	size_t n_assertions;
	unsigned asserted;		/* setup steps not counted */
};

/* Parses text (modified in place; rec's assertions point into it) into rec,
 * and the values and packets into result.  Malformed lines are skipped: a
 * killed check may leave a torn last one. */
void nc_records_parse(char *text, struct nc_records *rec, struct nc_result *result);
void nc_records_free(struct nc_records *rec);
/* Appends line to *text ("\n"-separated), *len its length. */
void nc_append_line(char **text, size_t *len, const char *line);

#endif
