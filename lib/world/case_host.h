/* A host of the check's scenario, by the name the .scn file gives it. */
#ifndef NC_CASE_HOST_H
#define NC_CASE_HOST_H

#include "check.h"

struct nc_host;

/* Host name of ctx's built scenario; a scenario without it ends the check
 * (fatal), so the result is never NULL. */
struct nc_host *nc_ctx_host(const struct nc_case_ctx *ctx, const char *name);

#endif
