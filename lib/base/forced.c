#include <stdlib.h>
#include <string.h>

#include "forced.h"

bool nc_forced_missing(const char *capability)
{
	const char *list = getenv("NC_FORCE_MISSING");
	size_t len = strlen(capability);

	for (const char *p = list; p && *p; p += strcspn(p, ",")) {
		p += strspn(p, ",");
		if (strncmp(p, capability, len) == 0 && (p[len] == ',' || p[len] == '\0'))
			return true;
	}
	return false;
}
