/* netconform compare A B [--out DIR] [--noise]: the command line of
 * reports/compare.c. */
#ifndef NC_COMPARE_CMD_H
#define NC_COMPARE_CMD_H

#include "cli.h"

/* Compares the two runs opt names; returns the exit status. */
int nc_compare_main(const struct options *opt);

#endif
