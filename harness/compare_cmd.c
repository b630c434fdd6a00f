/* netconform compare A B [--out DIR] [--noise]: the command line of
 * reports/compare.c.  Everything that can be refused is refused before a
 * line is printed: a comparison is all there or not at all. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "compare_cmd.h"
#include "escape.h"
#include "results.h"

/* A run directory stands for its results.xml. */
static void results_path(const char *arg, char *buf, size_t size)
{
	struct stat st;

	if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode))
		snprintf(buf, size, "%s/results.xml", arg);
	else
		snprintf(buf, size, "%s", arg);
}

/* --out names a directory, made if missing; anything else is refused. */
static int out_dir_ok(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return nc_die_usage("compare", "--out %s: %s", dir, strerror(errno));
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return nc_die_usage("compare", "--out %s: not a directory", dir);
	return 0;
}

int nc_compare_main(const struct options *opt)
{
	char paths[2][4096], err[1024], page[4096];
	struct nc_run runs[2] = { { 0 } };
	int status = 2, diffs;

	for (int i = 0; i < 2; i++) {
		results_path(opt->inputs[i], paths[i], sizeof(paths[i]));
		if (nc_results_read(paths[i], &runs[i], err, sizeof(err)) < 0) {
			nc_escape_line(stderr, err);
			goto out;
		}
	}
	if (opt->out && out_dir_ok(opt->out))
		goto out;
	if (opt->out)
		snprintf(page, sizeof(page), "%s/compare.html", opt->out);
	diffs = nc_compare_write(&runs[0], paths[0], &runs[1], paths[1],
				 opt->noise,
				 stdout, opt->out ? page : NULL, err, sizeof(err));
	if (diffs < 0) {
		nc_escape_line(stderr, err);
		goto out;
	}
	if (opt->out)
		printf("page: %s\n", page);
	status = diffs ? 1 : 0;
out:
	nc_run_free(&runs[0]);
	nc_run_free(&runs[1]);
	return status;
}
