/* The mutant scope (lib/check/mutant_scope.h): a switch the preloaded library
 * exports, found at run time so that nothing links against it. */
#include <dlfcn.h>
#include <stddef.h>

#include "mutant_scope.h"

static const char *(*scope_set)(const char *);

/* Looked up once, before main: a lookup that finds nothing walks every
 * loaded library, and done in each forked check it was 8% of a run's CPU. */
__attribute__((constructor)) static void find_scope_set(void)
{
	scope_set = (const char *(*)(const char *))dlsym(RTLD_DEFAULT, "nc_mutant_scope_set");
}

const char *nc_mutant_scope(const char *check)
{
	return scope_set ? scope_set(check) : NULL;
}
