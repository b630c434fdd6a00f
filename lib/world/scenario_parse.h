/* The scenario parser: a .scn file (scenarios/README.md), or its text, into
 * a struct nc_scenario (scenario.h), checked in full before anything is
 * built. */
#ifndef NC_SCENARIO_PARSE_H
#define NC_SCENARIO_PARSE_H

#include <stddef.h>

#include "scenario.h"

/* Parses text; name stands for the file in messages.  Returns 0, or -1 with
 * "name:line: what is wrong" in err. */
int nc_scenario_parse(const char *name, const char *text,
		      struct nc_scenario **out, char *err, size_t errsize);
/* Reads and parses path.  Returns 0, or -1 with "path:line: what is wrong"
 * (or "path: strerror") in err. */
int nc_scenario_load(const char *path, struct nc_scenario **out,
		     char *err, size_t errsize);

#endif
