/* The mutant scope (lib/check/mutant_scope.h): a switch the preloaded library
 * exports, found at run time so that nothing links against it. */
#include <dlfcn.h>
#include <stddef.h>

#include "mutant_scope.h"

bool nc_mutant_scope(bool inside)
{
	static bool (*set)(bool);
	static bool looked_up;

	if (!looked_up) {	/* first called before the body starts any thread */
		set = (bool (*)(bool))dlsym(RTLD_DEFAULT, "nc_mutant_scope_set");
		looked_up = true;
	}
	return set ? set(inside) : false;
}
