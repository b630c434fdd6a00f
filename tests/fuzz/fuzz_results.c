/* libFuzzer: the results reader (reports/results_read.c) on any bytes, and
 * what consumes what it accepts: the report writers, compare and the
 * matrix.  A results.xml written from what was read must read back the
 * same. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "matrix.h"
#include "results.h"

static char dir[64];

static void write_and_compare(const struct nc_run *run)
{
	char path[128], err[512];
	struct nc_run again;
	FILE *devnull;
	struct nc_platform platforms[2] = { { .name = "a" }, { .name = "b" } };

	snprintf(path, sizeof(path), "%s/results.xml", dir);
	if (nc_results_write(run, path) < 0)
		return;	/* refused (a run it cannot write faithfully): fine */
	/* What results.xml holds, the other reports can show. */
	snprintf(path, sizeof(path), "%s/junit.xml", dir);
	NC_FUZZ_ASSERT(nc_junit_write(run, path) == 0);
	snprintf(path, sizeof(path), "%s/ktap.txt", dir);
	NC_FUZZ_ASSERT(nc_ktap_write(run, path) == 0);
	snprintf(path, sizeof(path), "%s/index.html", dir);
	NC_FUZZ_ASSERT(nc_html_write(run, path) == 0);
	snprintf(path, sizeof(path), "%s/results.xml", dir);
	NC_FUZZ_ASSERT(nc_results_read(path, &again, err, sizeof(err)) == 0);
	NC_FUZZ_ASSERT(again.n_results == run->n_results && again.n_env == run->n_env &&
		       again.interrupted == run->interrupted && again.n_not_run == run->n_not_run);
	for (size_t i = 0; i < run->n_results; i++)
		NC_FUZZ_ASSERT(strcmp(again.results[i].id, run->results[i].id) == 0 &&
			       again.results[i].verdict == run->results[i].verdict &&
			       again.results[i].n_packets == run->results[i].n_packets);
	devnull = fopen("/dev/null", "w");
	if (devnull) {
		nc_compare_write(run, "a.xml", &again, "b.xml", true, devnull, NULL,
				 err, sizeof(err));
		platforms[0].run = run;
		platforms[1].run = &again;
		nc_matrix_write(platforms, 2, devnull, NULL);
		fclose(devnull);
	}
	nc_run_free(&again);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* tmpfs: the writers fsync. */
	snprintf(dir, sizeof(dir), "/dev/shm/netconform-fuzz.XXXXXX");
	if (!mkdtemp(dir))
		snprintf(dir, sizeof(dir), "/tmp");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nc_run run;
	char err[512];

	if (nc_results_parse("fuzz.xml", (const char *)data, size, &run, err, sizeof(err)) == 0) {
		write_and_compare(&run);
		nc_run_free(&run);
	} else {
		NC_FUZZ_ASSERT(strncmp(err, "fuzz.xml:", 9) == 0 && !strchr(err, '\n'));
	}
	return 0;
}
