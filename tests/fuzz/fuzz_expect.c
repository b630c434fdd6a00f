/* libFuzzer: the expectations parser (harness/expect_parse.c) on any text, then
 * validation, lookups and the deviations a run records, as a run makes
 * them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "expect_parse.h"
#include "fuzz.h"
#include "results.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ids[] = { "connect.refused.ipv4", "close.unread_data.tcp",
					   "getaddrinfo.eai_fail", "socket.create" };
	char *text = nc_fuzz_text(data, size), err[512];
	struct nc_expectations exp = { 0 };
	struct nc_run run = { 0 };

	if (nc_expectations_parse("fuzz.txt", text, &exp, err, sizeof(err)) == 0) {
		nc_expectations_validate(&exp, ids, sizeof(ids) / sizeof(ids[0]), err, sizeof(err));
		for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
			nc_expectations_reason(&exp, ids[i]);
		nc_expectations_to_run(&exp, &run);
		nc_run_free(&run);
	} else {
		/* one line, "FILE:LINE: ": fuzz.txt's, or a file it includes */
		const char *colon = strchr(err, ':');

		NC_FUZZ_ASSERT(colon && colon > err && !strchr(err, '\n'));
		NC_FUZZ_ASSERT(strspn(colon + 1, "0123456789") > 0 &&
			       colon[1 + strspn(colon + 1, "0123456789")] == ':');
	}
	nc_expectations_free(&exp);
	free(text);
	return 0;
}
