/* libFuzzer: the skip file's parser (harness/expect_parse.c without verdict
 * and pins) on any text, and what a person is shown of it: the one-line
 * error, escaped (lib/base/escape.c), holds no control byte. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "expect.h"
#include "expect_parse.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ids[] = { "connect.refused.ipv4", "close.unread_data.tcp",
					   "getaddrinfo.eai_fail", "socket.create" };
	char *text = nc_fuzz_text(data, size), err[512], shown[2048];
	struct nc_expectations skips = { 0 };

	if (nc_skip_file_parse("fuzz.txt", text, &skips, err, sizeof(err)) == 0) {
		if (nc_expectations_validate(&skips, ids, sizeof(ids) / sizeof(ids[0]), err,
					     sizeof(err)) == 0)
			for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
				nc_expectations_reason(&skips, ids[i]);
	} else {
		NC_FUZZ_ASSERT(strchr(err, ':') && !strchr(err, '\n'));
	}
	/* the input itself, as a message would show it */
	nc_escape(text, shown, sizeof(shown));
	for (const char *c = shown; *c; c++)
		NC_FUZZ_ASSERT((unsigned char)*c >= 0x20 ? *c != 0x7f : *c == '\t');
	NC_FUZZ_ASSERT(strlen(shown) < sizeof(shown));
	nc_expectations_free(&skips);
	free(text);
	return 0;
}
