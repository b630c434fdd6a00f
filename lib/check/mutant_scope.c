/* The mutant scope (lib/check/mutant_scope.h): a switch the preloaded library
 * exports, found at run time so that nothing links against it. */
#include <dlfcn.h>
#include <stddef.h>

#include "mutant_scope.h"

static bool (*scope_set)(bool);

/* Looked up once, before main: a lookup that finds nothing walks every
 * loaded library, and done in each forked check it was 8% of a run's CPU. */
__attribute__((constructor)) static void find_scope_set(void)
{
	scope_set = (bool (*)(bool))dlsym(RTLD_DEFAULT, "nc_mutant_scope_set");
}

bool nc_mutant_scope(bool inside)
{
	return scope_set ? scope_set(inside) : false;
}
