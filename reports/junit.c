/* junit.xml for CI: one <testsuite> per area, one <testcase> per case, as
 * Jenkins and GitLab group them: classname "netconform.AREA.CHECK" (the
 * package tree and class), name the case.  A CI server knows pass, failure,
 * error and skipped only, so:
 *   fail, xpass -> <failure>     (an unexpected pass is news too)
 *   error       -> <error>
 *   skip        -> <skipped type="skip">reason</skipped>
 *   xfail       -> <skipped type="xfail">reason</skipped> plus the failure
 *                  text in <system-out>: a known deviation must not turn CI
 *                  red, but its evidence stays one click away.  The reason is
 *                  the element's text: GitLab shows nothing else.
 * Each suite carries kernel, libc and commit as properties.  The platform
 * (kernel and libc) is in each suite's name, "connect (Linux 6.1.0 x86_64,
 * glibc 2.36)", and each case's, "ipv4 [Linux 6.1.0 x86_64, glibc 2.36]",
 * so that the files of several platforms merge without two suites or two
 * (classname, name) pairs colliding.  A failure's file and line are those
 * of its first failed assertion, and its text ends with the command that
 * reruns it.  The top-level time is the run's wall clock (the checks ran in
 * parallel), the suites' the sum of their checks'.  tests/junit.xsd is the
 * schema kept to. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "results.h"
#include "writer.h"

struct area_totals {
	const char *name;
	size_t tests, failures, errors, skipped;
	double seconds;
};

static void count(struct area_totals *t, const struct nc_result *r)
{
	t->tests++;
	t->seconds += r->seconds;
	switch (r->verdict) {
	case NC_FAIL:
	case NC_XPASS:
		t->failures++;
		break;
	case NC_ERROR:
		t->errors++;
		break;
	case NC_SKIP:
	case NC_XFAIL:
		t->skipped++;
		break;
	default:
		break;
	}
}

/* Areas in the order they first appear in the run. */
static struct area_totals *areas_of(const struct nc_run *run, size_t *n_areas)
{
	struct area_totals *areas = calloc(run->n_results ? run->n_results : 1, sizeof(*areas));
	size_t n = 0;

	if (!areas)
		return NULL;
	for (size_t i = 0; i < run->n_results; i++) {
		const struct nc_result *r = &run->results[i];
		size_t a;

		for (a = 0; a < n; a++)
			if (strcmp(areas[a].name, r->area) == 0)
				break;
		if (a == n)
			areas[n++].name = r->area;
		count(&areas[a], r);
	}
	*n_areas = n;
	return areas;
}

static void write_totals(struct nc_xml *x, const struct area_totals *t)
{
	char seconds[32];

	nc_format_seconds(t->seconds, seconds, sizeof(seconds));
	nc_xml_attrf(x, "tests", "%zu", t->tests);
	nc_xml_attrf(x, "failures", "%zu", t->failures);
	nc_xml_attrf(x, "errors", "%zu", t->errors);
	nc_xml_attrf(x, "skipped", "%zu", t->skipped);
	nc_xml_attr(x, "time", seconds);
}

static void property(struct nc_xml *x, const char *name, const char *value)
{
	nc_xml_start(x, "property");
	nc_xml_attr(x, "name", name);
	nc_xml_attr(x, "value", value);
	nc_xml_end(x);
}

static void properties(struct nc_xml *x, const char *prefix, const struct nc_kv *values,
		       size_t n)
{
	for (size_t i = 0; i < n; i++) {
		nc_xml_start(x, "property");
		nc_xml_attrf(x, "name", "%s.%s", prefix, values[i].key);
		nc_xml_attr(x, "value", values[i].value);
		nc_xml_end(x);
	}
}

/* <failure message="the first line" type="fail">all of it</failure> */
static void problem(struct nc_xml *x, const char *element, const char *type, const char *text)
{
	nc_xml_start(x, element);
	nc_xml_attrf(x, "message", "%.*s", (int)strcspn(text, "\n"), text);
	nc_xml_attr(x, "type", type);
	nc_xml_text(x, text);
	nc_xml_end(x);
}

static void skipped(struct nc_xml *x, const char *type, const char *reason)
{
	nc_xml_start(x, "skipped");
	nc_xml_attrf(x, "message", "%s: %.*s", type, (int)strcspn(reason, "\n"), reason);
	nc_xml_attr(x, "type", type);
	nc_xml_text(x, reason);
	nc_xml_end(x);
}

/* "Linux 6.1.0-18-amd64 x86_64, glibc 2.36": what runs differ by. */
static const char *platform_of(const struct nc_run *run, char *buf, size_t size)
{
	const char *kernel = nc_env_get(run, "kernel"), *libc = nc_env_get(run, "libc");

	snprintf(buf, size, "%s, %s", kernel ? kernel : "kernel ?", libc ? libc : "libc ?");
	return buf;
}

/* "accept.addrlen_value_result.ipv4-short": check ids are AREA.NAME, the
 * case follows; a check without cases is its own one case. */
static void names(struct nc_xml *x, const struct nc_result *r, const char *platform)
{
	const char *name = strchr(r->id, '.'), *tail = name ? strchr(name + 1, '.') : NULL;

	nc_xml_attrf(x, "classname", "netconform.%.*s", (int)(tail ? tail - r->id : (long)strlen(r->id)),
		     r->id);
	nc_xml_attrf(x, "name", "%s [%s]", tail ? tail + 1 : name ? name + 1 : r->id, platform);
}

/* Where it failed: the first failed assertion, else the check itself. */
static void place(struct nc_xml *x, const struct nc_result *r)
{
	const char *file = r->file;
	int line = r->line;

	for (size_t i = 0; i < r->n_asserts && r->verdict != NC_PASS; i++)
		if (!r->asserts[i].passed && r->asserts[i].file) {
			file = r->asserts[i].file;
			line = r->asserts[i].line;
			break;
		}
	nc_xml_attr(x, "file", file);
	if (file)
		nc_xml_attrf(x, "line", "%d", line > 0 ? line : 0);
}

static void write_testcase(struct nc_xml *x, const struct nc_run *run, const struct nc_result *r,
			   const char *platform)
{
	char seconds[32], rerun[256];
	char *text = NULL;

	nc_format_seconds(r->seconds, seconds, sizeof(seconds));
	nc_xml_start(x, "testcase");
	names(x, r, platform);
	nc_xml_attr(x, "time", seconds);
	place(x, r);
	nc_rerun_command(run, r->id, rerun, sizeof(rerun));

	nc_xml_start(x, "properties");
	for (size_t i = 0; i < r->n_clauses; i++)
		property(x, "clause", r->clauses[i]);
	properties(x, "expected", r->expected, r->n_expected);
	properties(x, "observed", r->observed, r->n_observed);
	property(x, "id", r->id);
	property(x, "verdict", nc_verdict_name(r->verdict));
	property(x, "rerun", rerun);
	if (r->reason)
		property(x, "reason", r->reason);
	nc_xml_end(x);

	switch (r->verdict) {
	case NC_FAIL:
	case NC_ERROR:
		if (asprintf(&text, "%s\nrerun: %s", r->message ? r->message : "(no message)",
			     rerun) < 0)
			abort();
		problem(x, r->verdict == NC_FAIL ? "failure" : "error",
			nc_verdict_name(r->verdict), text);
		break;
	case NC_XPASS:
		if (asprintf(&text, "passed, but expected to fail: %s\nrerun: %s",
			     r->reason ? r->reason : "(no reason given)", rerun) < 0)
			abort();
		problem(x, "failure", "xpass", text);
		break;
	case NC_SKIP:
		skipped(x, "skip", r->message ? r->message : r->reason ? r->reason : "skipped");
		break;
	case NC_XFAIL:
		/* and what the pinned deviation came to: the message's first line */
		if (asprintf(&text, "%s: %.*s", r->reason ? r->reason : "(no reason given)",
			     r->message ? (int)strcspn(r->message, "\n") : 0,
			     r->message ? r->message : "") < 0)
			text = NULL;
		skipped(x, "xfail", text ? text : "(no reason given)");
		nc_xml_element(x, "system-out", r->message);
		break;
	default:
		break;
	}
	free(text);
	nc_xml_end(x);
}

/* A run stopped early (a signal, --maxfail) is an error of its own, so
 * that CI shows it. */
static void write_incomplete(struct nc_xml *x, const struct nc_run *run, const char *platform)
{
	const struct area_totals one = { .tests = 1, .errors = 1 };
	char text[128];

	if (!run->n_not_run)
		return;
	nc_run_incomplete_text(run, text, sizeof(text));
	nc_xml_start(x, "testsuite");
	nc_xml_attrf(x, "name", "netconform (%s)", platform);
	write_totals(x, &one);
	nc_xml_start(x, "testcase");
	nc_xml_attr(x, "classname", "netconform");
	nc_xml_attrf(x, "name", "run.complete [%s]", platform);
	problem(x, "error", run->interrupted ? "interrupted" : "stopped", text);
	nc_xml_end(x);
	nc_xml_end(x);
}

int nc_junit_write(const struct nc_run *run, const char *path)
{
	static const char *const suite_keys[] = { "kernel", "libc", "commit", "netconform" };
	const char *hostname = nc_env_get(run, "hostname");
	const char *timestamp = nc_env_get(run, "date");
	struct area_totals *areas, all = { .name = "netconform" };
	char platform[512];
	struct nc_xml x;
	size_t n_areas;
	int err;

	err = nc_run_check(run);
	if (err)
		return err;
	areas = areas_of(run, &n_areas);
	if (!areas)
		return -ENOMEM;
	err = nc_xml_open(&x, NC_XML_DOCUMENT);
	if (err) {
		free(areas);
		return err;
	}
	platform_of(run, platform, sizeof(platform));
	for (size_t i = 0; i < run->n_results; i++)
		count(&all, &run->results[i]);
	if (run->n_not_run) {
		all.tests++;
		all.errors++;
	}
	all.seconds = run->seconds;	/* wall clock: checks ran in parallel */

	nc_xml_start(&x, "testsuites");
	nc_xml_attr(&x, "name", all.name);
	write_totals(&x, &all);
	if (!x.err && xmlTextWriterWriteComment(x.writer, BAD_CAST " time: the run's wall clock; "
						"the checks ran in parallel, so the suites' times "
						"(each the sum of its checks') add up to more ") < 0)
		x.err = -EIO;
	for (size_t a = 0; a < n_areas; a++) {
		nc_xml_start(&x, "testsuite");
		nc_xml_attrf(&x, "name", "%s (%s)", areas[a].name, platform);
		write_totals(&x, &areas[a]);
		nc_xml_attr(&x, "timestamp", timestamp);
		nc_xml_attr(&x, "hostname", hostname ? hostname : "localhost");
		nc_xml_start(&x, "properties");
		property(&x, "platform", platform);
		property(&x, "area", areas[a].name);
		for (size_t k = 0; k < sizeof(suite_keys) / sizeof(suite_keys[0]); k++)
			if (nc_env_get(run, suite_keys[k]))
				property(&x, suite_keys[k], nc_env_get(run, suite_keys[k]));
		nc_xml_end(&x);
		for (size_t i = 0; i < run->n_results; i++)
			if (strcmp(run->results[i].area, areas[a].name) == 0)
				write_testcase(&x, run, &run->results[i], platform);
		nc_xml_end(&x);
	}
	write_incomplete(&x, run, platform);
	nc_xml_end(&x);
	free(areas);
	return nc_xml_commit(&x, path, "");
}
