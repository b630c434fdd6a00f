/* A check's .needs (lib/observe/needs.h): a need this system lacks, or
 * NC_FORCE_MISSING names, is found before the body runs, with its reason;
 * a word that names nothing is the check's own mistake. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "needs.h"
#include "unit.h"

static void needs_are_found_missing(void)
{
	static const struct {
		const char *needs, *forced;
		int status;
		const char *reason;	/* a part of it */
	} rows[] = {
		{ NULL, "sock_diag", 0, NULL },
		{ "", "sock_diag", 0, NULL },
		{ "ipv6", "sock_diag", 0, NULL },
		{ "ipv6 sock_diag", "sock_diag", 1, "needs sock_diag" },
		{ "veth  nf_tables", "nf_tables", 1, "needs nf_tables" },
		{ "veth", "veth", 1, "needs veth links" },
		{ "sysctl:net.core.somaxconn", "sysctl:net.core.somaxconn", 1,
		  "writable sysctl net.core.somaxconn" },
		{ "sysctl:net.core.somaxconn", "sock_diag", 0, NULL },
		{ "sock-diag", "", -EINVAL, "needs 'sock-diag', which names nothing" },
		{ "sysctl:net.nope", "", -EINVAL, "no sysctl of lib/world/sysctl.c's table" },
	};
	const char *saved = getenv("NC_FORCE_MISSING");
	char *before = saved ? strdup(saved) : NULL;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char reason[256] = "";

		setenv("NC_FORCE_MISSING", rows[i].forced, 1);
		CU_ASSERT_EQUAL(nc_needs_missing(rows[i].needs, reason, sizeof(reason)),
				rows[i].status);
		if (rows[i].reason)
			CU_ASSERT_PTR_NOT_NULL(strstr(reason, rows[i].reason));
	}
	if (before)
		setenv("NC_FORCE_MISSING", before, 1);
	else
		unsetenv("NC_FORCE_MISSING");
	free(before);
}

NC_UNIT_SUITE(needs, NC_UNIT_TEST(needs_are_found_missing));
