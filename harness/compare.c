/* netconform compare A B [--out DIR]: the command line of reports/compare.c.
 * Exit status 0: the same verdicts; 1: a verdict differs (or a check is in
 * one run only); 2: bad input, said in one line "file:line: what is wrong". */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

int nc_compare_main(int argc, char **argv);

/* A run directory stands for its results.xml. */
static void results_path(const char *arg, char *buf, size_t size)
{
	struct stat st;

	if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode))
		snprintf(buf, size, "%s/results.xml", arg);
	else
		snprintf(buf, size, "%s", arg);
}

int nc_compare_main(int argc, char **argv)
{
	const char *inputs[2] = { NULL, NULL }, *out_dir = "reports/out";	/* as run's */
	char paths[2][4096], err[1024], page[4096];
	struct nc_run runs[2] = { { 0 } };
	size_t n_inputs = 0;
	int status = 2, diffs;

	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
			out_dir = argv[++i];
		} else if (strncmp(argv[i], "--out=", 6) == 0) {
			out_dir = argv[i] + 6;
		} else if (argv[i][0] == '-' || n_inputs == 2) {
			fprintf(stderr, "netconform: compare: unexpected '%s' "
				"(usage: netconform compare A B [--out DIR])\n", argv[i]);
			return 2;
		} else {
			inputs[n_inputs++] = argv[i];
		}
	}
	if (n_inputs != 2) {
		fprintf(stderr, "netconform: compare needs two results files "
			"(usage: netconform compare A B [--out DIR])\n");
		return 2;
	}
	for (int i = 0; i < 2; i++) {
		results_path(inputs[i], paths[i], sizeof(paths[i]));
		if (nc_results_read(paths[i], &runs[i], err, sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			goto out;
		}
	}
	if (mkdir(out_dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "netconform: --out %s: %s\n", out_dir, strerror(errno));
		goto out;
	}
	snprintf(page, sizeof(page), "%s/compare.html", out_dir);
	diffs = nc_compare_write(&runs[0], paths[0], &runs[1], paths[1], stdout, page);
	if (diffs < 0) {
		fprintf(stderr, "netconform: %s: %s\n", page, strerror(-diffs));
		goto out;
	}
	printf("page: %s\n", page);
	status = diffs ? 1 : 0;
out:
	nc_run_free(&runs[0]);
	nc_run_free(&runs[1]);
	return status;
}
