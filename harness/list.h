/* netconform list: the checks, the areas, or the clauses with their checks. */
#ifndef NC_LIST_H
#define NC_LIST_H

#include "cli.h"
#include "registry.h"

/* Prints what opt asks for of reg; returns the exit status. */
int nc_list_main(const struct nc_registry *reg, const struct options *opt);

#endif
