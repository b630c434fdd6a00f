/* netconform matrix RUN... [--out DIR]: the command line of
 * reports/matrix.c.  A RUN is a results.xml or a run directory; a run
 * directory without one but with platform.txt ("status: skipped" or
 * "status: error", then "reason: ...") is a platform that did not run, and
 * stays a column saying why.  The text table goes to stdout and
 * DIR/matrix.txt, the page to DIR/matrix.html.  Exit status 1 when a
 * platform has a fail, error or xpass (or did not run by error); 2 for bad
 * input, said in one line "file:line: what is wrong". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escape.h"
#include "file.h"
#include "id_set.h"
#include "matrix.h"
#include "matrix_cmd.h"
#include "results.h"
#include "writer.h"

#define USAGE "(usage: netconform matrix RUN... [--out DIR])"

struct column {
	struct nc_platform platform;
	struct nc_run run;
	char name[256];
	char status[32];
	char reason[1024];
};

/* "a/b/run" -> "run"; "a/run/results.xml" -> "run"; "a/x.xml" -> "x". */
static void platform_name(const char *arg, bool is_dir, char *buf, size_t size)
{
	char path[4096];
	char *base;
	size_t len;

	snprintf(path, sizeof(path), "%s", arg);
	while ((len = strlen(path)) > 1 && path[len - 1] == '/')
		path[len - 1] = '\0';
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (!is_dir && strcmp(base, "results.xml") == 0 && base != path) {
		base[-1] = '\0';
		base = strrchr(path, '/');
		base = base ? base + 1 : path;
	} else if (!is_dir && (len = strlen(base)) > 4 && strcmp(base + len - 4, ".xml") == 0) {
		base[len - 4] = '\0';
	}
	snprintf(buf, size, "%.*s", (int)size - 1, base);
}

/* platform.txt: "status: skipped|error" and "reason: TEXT". */
static int read_not_run(const char *path, struct column *col)
{
	char *text, *line, *next;
	int lineno = 0, err = nc_file_read_text(path, NC_TEXT_INPUT_MAX, &text);

	if (err < 0) {
		fprintf(stderr, "%s: %s\n", path, nc_file_input_error(err));
		return -1;
	}
	for (next = text; (line = strsep(&next, "\n")) != NULL;) {
		lineno++;
		if (strncmp(line, "status: ", 8) == 0 &&
		    (strcmp(line + 8, "skipped") == 0 || strcmp(line + 8, "error") == 0)) {
			strcpy(col->status, line[8] == 's' ? "skipped" : "error");
		} else if (strncmp(line, "reason: ", 8) == 0 && line[8]) {
			snprintf(col->reason, sizeof(col->reason), "%.*s",
				 (int)sizeof(col->reason) - 1, line + 8);
		} else if (line[0]) {
			fprintf(stderr, "%s:%d: expected \"status: skipped|error\" or "
				"\"reason: TEXT\"\n", path, lineno);
			free(text);
			return -1;
		}
	}
	free(text);
	if (!col->status[0] || !col->reason[0]) {
		fprintf(stderr, "%s:%d: a platform that did not run needs a status "
			"and a reason\n", path, lineno);
		return -1;
	}
	col->platform.status = col->status;
	col->platform.reason = col->reason;
	return 0;
}

static int load(const char *arg, struct column *col)
{
	char path[4096], err[1024];
	struct nc_id_set ids;
	struct stat st;
	bool is_dir = stat(arg, &st) == 0 && S_ISDIR(st.st_mode);

	platform_name(arg, is_dir, col->name, sizeof(col->name));
	col->platform.name = col->name;
	snprintf(path, sizeof(path), is_dir ? "%s/results.xml" : "%s", arg);
	if (is_dir && access(path, F_OK) < 0) {
		snprintf(path, sizeof(path), "%s/platform.txt", arg);
		if (access(path, F_OK) == 0)
			return read_not_run(path, col);
		fprintf(stderr, "%s: a run directory holds results.xml (or platform.txt)\n", arg);
		return -1;
	}
	if (nc_results_read(path, &col->run, err, sizeof(err)) < 0 ||
	    nc_id_set_of_run(&ids, &col->run, path, "a column has each check once",
			     err, sizeof(err)) < 0) {
		nc_escape_line(stderr, err);
		return -1;
	}
	nc_id_set_free(&ids);
	col->platform.run = &col->run;
	return 0;
}

static int write_outputs(const struct nc_platform *platforms, size_t n, const char *dir)
{
	char txt[4096], page[4096];
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	int err, differ;

	if (!mem || (mkdir(dir, 0755) < 0 && errno != EEXIST)) {
		fprintf(stderr, "netconform: --out %s: %s\n", dir, strerror(errno));
		if (mem)
			fclose(mem);
		free(text);
		return -1;
	}
	snprintf(txt, sizeof(txt), "%s/matrix.txt", dir);
	snprintf(page, sizeof(page), "%s/matrix.html", dir);
	differ = nc_matrix_write(platforms, n, mem, page);
	fclose(mem);
	err = differ < 0 ? differ : nc_file_replace(txt, "", text, len);
	if (err < 0) {
		fprintf(stderr, "netconform: %s: %s\n", differ < 0 ? page : txt, strerror(-err));
		free(text);
		return -1;
	}
	fwrite(text, 1, len, stdout);
	printf("matrix: %s %s\n", txt, page);
	free(text);
	return 0;
}

int nc_matrix_main(int argc, char **argv)
{
	const char *out_dir = "reports/matrix";
	struct column *cols = calloc((size_t)argc, sizeof(*cols));
	struct nc_platform *platforms = calloc((size_t)argc, sizeof(*platforms));
	size_t n = 0;
	int status = 2;

	if (!cols || !platforms) {
		fprintf(stderr, "netconform: matrix: %s\n", strerror(ENOMEM));
		goto out;
	}
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf("usage: netconform matrix RUN... [--out DIR]\n\n"
			       "Puts runs of several platforms side by side: a column per RUN (a\n"
			       "results.xml or a run directory), a row per check.  The table goes to\n"
			       "stdout and DIR/matrix.txt, the page to DIR/matrix.html.\n\n"
			       "options:\n"
			       "  --out DIR                  where they go (default reports/matrix)\n"
			       "  -h, --help                 this help\n\n"
			       "exit status:\n"
			       "  0  no platform has a problem\n"
			       "  1  a platform has a fail, error or xpass, or did not run by error\n"
			       "  2  bad input (one line on stderr)\n");
			status = 0;
			goto out;
		}
		if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
			out_dir = argv[++i];
		} else if (strncmp(argv[i], "--out=", 6) == 0) {
			out_dir = argv[i] + 6;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "netconform: matrix: unexpected '%s' " USAGE "\n", argv[i]);
			goto out;
		} else if (load(argv[i], &cols[n]) < 0) {
			n++;
			goto out;
		} else {
			n++;
		}
	}
	if (n == 0) {
		fprintf(stderr, "netconform: matrix needs results files or run directories "
			USAGE "\n");
		goto out;
	}
	status = 0;
	for (size_t i = 0; i < n; i++) {
		platforms[i] = cols[i].platform;
		if (cols[i].platform.run ? nc_matrix_problems(&cols[i].platform) != 0
					 : strcmp(cols[i].status, "error") == 0)
			status = 1;
	}
	if (write_outputs(platforms, n, out_dir) < 0)
		status = 2;
out:
	for (size_t i = 0; i < n; i++)
		nc_run_free(&cols[i].run);
	free(cols);
	free(platforms);
	return status;
}
