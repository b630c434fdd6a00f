/* ktap.txt: the run in KTAP version 1, as kselftest prints it, for kernel CI
 * (LAVA, KernelCI) to read as is: one subtest per area, a check per line,
 *
 *   ok 3 connect.refused.ipv4
 *   not ok 4 connect.icmp_host_unreach.ipv4          a fail
 *   ok 5 accept.addrlen_value_result.ipv4-short # XFAIL the reason
 *   not ok 6 listen.x # XPASS the reason            an unexpected pass is news
 *   ok 7 listen.y # SKIP the reason
 *   not ok 8 eof.z # ERROR timed out after 30 s
 *
 * and kselftest's "# Totals:" line.  Messages become "# " diagnostic lines
 * before the result they explain.  A run stopped by a signal ends with
 * "Bail out! interrupted by SIGTERM: 3 of 12 checks not run" before the
 * totals, as kselftest's ksft_exit_fail_msg() does. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "results.h"
#include "writer.h"

/* KTAP lines end at a newline and a directive starts at '#': keep both out
 * of names and reasons. */
static void put_clean(FILE *out, const char *text)
{
	for (const char *c = text ? text : ""; *c; c++)
		if (*c == '\n' || *c == '\r' || *c == '#')
			fputc(*c == '#' ? '%' : ' ', out);
		else
			nc_escape_put(out, c, 1);	/* ESC, BEL: text, not terminal codes */
}

static void diagnostics(FILE *out, const char *indent, const char *text)
{
	while (text && *text) {
		size_t len = strcspn(text, "\n");

		fprintf(out, "%s# ", indent);
		nc_escape_put(out, text, len);
		fputc('\n', out);
		text += len + (text[len] == '\n');
	}
}

static void result_line(FILE *out, const char *indent, size_t n, const struct nc_result *r)
{
	static const struct {
		const char *ok, *directive;
	} lines[NC_N_VERDICTS] = {
		[NC_PASS] = { "ok", NULL }, [NC_FAIL] = { "not ok", NULL },
		[NC_XFAIL] = { "ok", "XFAIL" }, [NC_XPASS] = { "not ok", "XPASS" },
		[NC_SKIP] = { "ok", "SKIP" }, [NC_ERROR] = { "not ok", "ERROR" },
	};
	const char *why = r->verdict == NC_XFAIL || r->verdict == NC_XPASS ? r->reason : r->message;

	if (r->verdict == NC_FAIL || r->verdict == NC_ERROR || r->verdict == NC_XFAIL)
		diagnostics(out, indent, r->message);
	fprintf(out, "%s%s %zu ", indent, lines[r->verdict].ok, n);
	put_clean(out, r->id);
	if (lines[r->verdict].directive) {
		fprintf(out, " # %s", lines[r->verdict].directive);
		if (why && *why) {
			fputc(' ', out);
			put_clean(out, why);
		}
	}
	fputc('\n', out);
}

static bool is_problem(enum nc_verdict v)
{
	return v == NC_FAIL || v == NC_XPASS || v == NC_ERROR;
}

void nc_ktap_print(const struct nc_run *run, FILE *out)
{
	size_t counts[NC_N_VERDICTS] = { 0 }, n_areas = 0;

	/* results come area by area (registry order) */
	for (size_t i = 0; i < run->n_results; i++) {
		counts[run->results[i].verdict]++;
		n_areas += i == 0 || strcmp(run->results[i].area, run->results[i - 1].area) != 0;
	}
	fprintf(out, "KTAP version 1\n1..%zu\n", n_areas);
	for (size_t i = 0, area = 0; i < run->n_results; area++) {
		const char *name = run->results[i].area;
		size_t end = i, n = 0;
		bool failed = false, all_skipped = true;

		while (end < run->n_results && strcmp(run->results[end].area, name) == 0)
			end++;
		fprintf(out, "    KTAP version 1\n    # Subtest: %s\n    1..%zu\n", name, end - i);
		for (; i < end; i++) {
			result_line(out, "    ", ++n, &run->results[i]);
			failed |= is_problem(run->results[i].verdict);
			all_skipped &= run->results[i].verdict == NC_SKIP;
		}
		fprintf(out, "%s %zu %s%s\n", failed ? "not ok" : "ok", area + 1, name,
			all_skipped ? " # SKIP" : "");
	}
	if (run->interrupted) {	/* as kselftest ends a run it cannot finish */
		char text[128];

		fprintf(out, "Bail out! %s\n", nc_run_incomplete_text(run, text, sizeof(text)));
	}
	fprintf(out, "# Totals: pass:%zu fail:%zu xfail:%zu xpass:%zu skip:%zu error:%zu\n",
		counts[NC_PASS], counts[NC_FAIL], counts[NC_XFAIL], counts[NC_XPASS],
		counts[NC_SKIP], counts[NC_ERROR]);
	fflush(out);
}

int nc_ktap_write(const struct nc_run *run, const char *path)
{
	char *text = NULL;
	size_t size = 0;
	FILE *mem;
	int err = nc_run_check(run);

	if (err)
		return err;
	mem = open_memstream(&text, &size);
	if (!mem)
		return -errno;
	nc_ktap_print(run, mem);
	if (fclose(mem) != 0) {
		free(text);
		return -ENOMEM;
	}
	err = nc_file_replace(path, "", text, size);
	free(text);
	return err;
}
