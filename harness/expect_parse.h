/* Reading an expectation file (expectations/linux.txt) or a skip file.
 *
 *   CHECK-GLOB  xfail  KEY=VALUE...  REASON
 *
 * KEY is the id of an assertion (or of an observed value), VALUE the
 * observed text that is the deviation, or LO..HI for a number in a range;
 * VALUE may be "quoted" (\" and \\ inside), KEY is an id (check.h).  The reason starts at the first
 * word that is no KEY=VALUE.  "include FILE" reads FILE's lines there
 * (relative to the including file; a cycle is refused). */
#ifndef NC_EXPECT_PARSE_H
#define NC_EXPECT_PARSE_H

#include <stddef.h>

#include "expect.h"

/* Returns 0, or -1 with "file:line: what is wrong" in err. */
int nc_expectations_load(const char *path, struct nc_expectations *out,
			 char *err, size_t errsize);
int nc_expectations_parse(const char *path, const char *text,
			  struct nc_expectations *out, char *err, size_t errsize);
/* The skip file: "CHECK-ID-OR-GLOB  reason" a line (no verdict, no pins);
 * the same checks, the same errors. */
int nc_skip_file_load(const char *path, struct nc_expectations *out, char *err, size_t errsize);
/* The same from text in memory (the fuzz target's). */
int nc_skip_file_parse(const char *path, const char *text, struct nc_expectations *out,
		       char *err, size_t errsize);

#endif
