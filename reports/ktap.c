/* ktap.txt: the run in KTAP version 1 (the kernel's
 * Documentation/dev-tools/ktap.rst), for kernel CI (LAVA, KernelCI,
 * kunit_parser.py) to read as is: one subtest per area, indented by two
 * spaces, a check per line under its name within the area,
 *
 *   KTAP version 1
 *   1..2
 *     KTAP version 1
 *     # Subtest: connect
 *     1..3
 *     ok 1 refused.ipv4
 *     # suite/connect.c:80: errno = ETIMEDOUT, expected ECONNREFUSED
 *     not ok 2 icmp_host_unreach.ipv4                a fail
 *     not ok 3 slow.ipv4 # TIMEOUT timed out after 30 s
 *   not ok 1 connect
 *     ...
 *   ok 5 accept.x # XFAIL the reason, not ok 6 y # XPASS the reason,
 *   ok 7 z # SKIP the reason, not ok 8 w # ERROR the reason
 *
 * and kselftest's "# Totals:" line.  Messages become "# " diagnostic lines
 * before the result they explain.  The plan is the run's plan: a run
 * stopped early (a signal, --maxfail) keeps it, so the checks that never
 * ran are missing from it for every reader to see (kunit_parser counts each
 * as crashed), and ends with "Bail out! ..." before the totals.
 *
 * The writer is incremental: `run --format ktap` prints each result as soon
 * as every one before it in the plan has finished (harness/stream.c), and
 * ktap.txt is the same text made from the finished run. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "results.h"
#include "writer.h"

#define INDENT "  "	/* one level of nesting, as ktap.rst says */

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

static void diagnostics(FILE *out, const char *text)
{
	while (text && *text) {
		size_t len = strcspn(text, "\n");

		fputs(INDENT "# ", out);
		nc_escape_put(out, text, len);
		fputc('\n', out);
		text += len + (text[len] == '\n');
	}
}

static void result_line(FILE *out, size_t n, const char *name, const struct nc_result *r)
{
	static const struct {
		const char *ok, *directive;
	} lines[NC_N_VERDICTS] = {
		[NC_PASS] = { "ok", NULL }, [NC_FAIL] = { "not ok", NULL },
		[NC_XFAIL] = { "ok", "XFAIL" }, [NC_XPASS] = { "not ok", "XPASS" },
		[NC_SKIP] = { "ok", "SKIP" }, [NC_ERROR] = { "not ok", "ERROR" },
	};
	const char *why = r->verdict == NC_XFAIL || r->verdict == NC_XPASS ? r->reason : r->message;
	const char *directive = r->timed_out && r->verdict == NC_ERROR ? "TIMEOUT"
								      : lines[r->verdict].directive;

	if (r->verdict == NC_FAIL || r->verdict == NC_ERROR || r->verdict == NC_XFAIL)
		diagnostics(out, r->message);
	fprintf(out, INDENT "%s %zu ", lines[r->verdict].ok, n);
	put_clean(out, name);
	if (directive) {
		fprintf(out, " # %s", directive);
		if (why && *why) {
			fputc(' ', out);
			put_clean(out, why);
		}
	}
	fputc('\n', out);
}

/* Areas come in runs of equal names (registry order, round after round). */
static bool starts_area(const struct nc_ktap *k, size_t at)
{
	return at == 0 || strcmp(k->areas[at], k->areas[at - 1]) != 0;
}

void nc_ktap_begin(struct nc_ktap *k, FILE *out, const char *const *areas, size_t n)
{
	size_t n_areas = 0;

	memset(k, 0, sizeof(*k));
	k->out = out;
	k->areas = areas;
	k->n = n;
	for (size_t at = 0; at < n; at++)
		n_areas += starts_area(k, at);
	fprintf(out, "KTAP version 1\n1..%zu\n", n_areas);
	fflush(out);
}

void nc_ktap_next(struct nc_ktap *k, const char *id, const struct nc_result *r)
{
	const char *area = k->areas[k->next];
	size_t prefix = strlen(area);

	if (starts_area(k, k->next)) {
		size_t end = k->next;

		while (end < k->n && strcmp(k->areas[end], area) == 0)
			end++;
		fprintf(k->out, INDENT "KTAP version 1\n" INDENT "# Subtest: %s\n" INDENT "1..%zu\n",
			area, end - k->next);
		k->area_first = k->next;
		k->area_number++;
		k->area_failed = false;
		k->area_all_skipped = true;
	}
	/* "getnameinfo.ni_nofqdn.dns" is ni_nofqdn.dns in getnameinfo */
	if (strncmp(id, area, prefix) != 0 || id[prefix] != '.')
		prefix = 0;
	if (r) {
		result_line(k->out, k->next - k->area_first + 1, id + prefix + !!prefix, r);
		k->counts[r->verdict]++;
		k->area_failed |= nc_verdict_is_problem(r->verdict);
		k->area_all_skipped &= r->verdict == NC_SKIP;
	} else {
		fprintf(k->out, INDENT "# not run: %s\n", id + prefix + !!prefix);
		k->area_failed = true;	/* a check of it never ran */
		k->area_all_skipped = false;
	}
	k->next++;
	if (k->next == k->n || starts_area(k, k->next))
		fprintf(k->out, "%s %zu %s%s\n", k->area_failed ? "not ok" : "ok", k->area_number,
			area, k->area_all_skipped ? " # SKIP" : "");
	fflush(k->out);
}

void nc_ktap_end(struct nc_ktap *k, const struct nc_run *run)
{
	const size_t *c = k->counts;

	if (run->n_not_run) {	/* as kselftest ends a run it cannot finish */
		char text[128];

		fprintf(k->out, "Bail out! %s\n", nc_run_incomplete_text(run, text, sizeof(text)));
	}
	fprintf(k->out, "# Totals: pass:%zu fail:%zu xfail:%zu xpass:%zu skip:%zu error:%zu\n",
		c[NC_PASS], c[NC_FAIL], c[NC_XFAIL], c[NC_XPASS], c[NC_SKIP], c[NC_ERROR]);
	fflush(k->out);
}

void nc_ktap_print(const struct nc_run *run, FILE *out)
{
	size_t n = run->n_results + run->n_unrun;
	const char **areas = calloc(n + 1, sizeof(*areas));
	struct nc_ktap k;

	if (!areas)
		abort();
	/* the plan: the results with the unrun checks back in their places */
	for (size_t at = 0, i = 0, u = 0; at < n; at++)
		areas[at] = u < run->n_unrun && run->unrun[u].at == at ? run->unrun[u++].area
								       : run->results[i++].area;
	nc_ktap_begin(&k, out, areas, n);
	for (size_t at = 0, i = 0, u = 0; at < n; at++) {
		if (u < run->n_unrun && run->unrun[u].at == at) {
			nc_ktap_next(&k, run->unrun[u++].id, NULL);
		} else {
			nc_ktap_next(&k, run->results[i].id, &run->results[i]);
			i++;
		}
	}
	nc_ktap_end(&k, run);
	free(areas);
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
