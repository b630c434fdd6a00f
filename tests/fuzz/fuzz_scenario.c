/* libFuzzer: the scenario parser (lib/world/scenario_parse.c) on any text.  A
 * scenario it accepts must hold only what the builder may trust. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "scenario_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = nc_fuzz_text(data, size), err[512];
	struct nc_scenario *scn = NULL;

	if (nc_scenario_parse("fuzz.scn", text, &scn, err, sizeof(err)) == 0) {
		for (size_t i = 0; i < scn->n_addrs; i++)
			NC_FUZZ_ASSERT(scn->addrs[i].ifname[0] != '\0');
		for (size_t i = 0; i < scn->n_links; i++)
			NC_FUZZ_ASSERT((size_t)scn->links[i].host_a < scn->n_hosts &&
				       (size_t)scn->links[i].host_b < scn->n_hosts);
		nc_scenario_free(scn);
	} else {
		NC_FUZZ_ASSERT(strncmp(err, "fuzz.scn", 8) == 0 && !strchr(err, '\n'));
	}
	free(text);
	return 0;
}
