/* What a run says of conformance (reports/clause_status.c, results.c): the status of a
 * clause from the checks that claim it, and the assertions, deviations and
 * checks beyond the document through results.xml and onto the page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "results.h"
#include "unit.h"

/* The raw result each verdict is made from here (no expectation turns a
 * pass into a fail). */
static const enum nc_raw raw_of[NC_N_VERDICTS] = {
	[NC_PASS] = NC_RAW_PASSED, [NC_FAIL] = NC_RAW_FAILED,
	[NC_XFAIL] = NC_RAW_FAILED, [NC_XPASS] = NC_RAW_PASSED,
	[NC_SKIP] = NC_RAW_SKIPPED, [NC_ERROR] = NC_RAW_ERROR,
};

static struct nc_result *add_check(struct nc_run *run, const char *id, const char *clause,
				   enum nc_verdict verdict)
{
	struct nc_result *r = nc_run_add_result(run);

	r->id = strdup(id);
	r->area = strndup(id, strcspn(id, "."));
	r->raw = raw_of[verdict];
	r->verdict = verdict;
	nc_result_add_clause(r, clause);
	return r;
}

/* One clause per status, and the checks that give it. */
static void sample(struct nc_run *run)
{
	static const struct {
		const char *clause;
		int n_checks;
	} clauses[] = {
		{ "c-contradicted", 2 }, { "c-deviates", 2 }, { "c-error", 1 }, { "c-holds", 2 },
		{ "c-skipped", 1 }, { "c-not-selected", 3 }, { "c-unchecked", 0 },
		{ "c-beyond-only", 1 },
	};
	struct nc_deviation_row *d;
	struct nc_result *r;

	memset(run, 0, sizeof(*run));
	for (size_t i = 0; i < sizeof(clauses) / sizeof(clauses[0]); i++)
		nc_run_add_clause(run, clauses[i].clause, "s", "文", "text")->n_checks =
			clauses[i].n_checks;
	add_check(run, "a.fails", "c-contradicted", NC_FAIL);
	add_check(run, "a.deviates_too", "c-contradicted", NC_XFAIL);
	add_check(run, "a.holds", "c-holds", NC_PASS);
	add_check(run, "a.xpass", "c-holds", NC_XPASS);
	add_check(run, "a.error", "c-error", NC_ERROR);
	add_check(run, "a.skip", "c-skipped", NC_SKIP);
	add_check(run, "a.skip_too", "c-deviates", NC_SKIP);
	r = add_check(run, "a.deviates", "c-deviates", NC_XFAIL);
	r->deviation = strdup("a.deviates");
	r->reason = strdup("answers 41");
	nc_result_add_assert(r, &(struct nc_assert_row){
		.key = "answer", .expected = "42", .observed = "41", .passed = 0,
		.role = "expect", .file = "a.c", .line = 7, .message = "answer = 41, expected 42" });
	nc_result_add_assert(r, &(struct nc_assert_row){
		.key = "tab\there", .expected = ">= 1", .observed = "1\n2", .passed = 1,
		.role = "setup", .file = "a.c", .line = 9, .message = "" });
	r = add_check(run, "a.beyond", "c-beyond-only", NC_FAIL);
	r->beyond = strdup("the document says nothing of it");
	d = nc_run_add_deviation(run, "a.deviates", "e.txt:3", "answers 41, not 42");
	nc_kv_add(&d->pins, &d->n_pins, "answer", "40..41");
}

static void clause_statuses(void)
{
	static const enum nc_clause_status want[] = {
		NC_CLAUSE_CONTRADICTED, NC_CLAUSE_DEVIATES, NC_CLAUSE_ERROR, NC_CLAUSE_HOLDS,
		NC_CLAUSE_SKIPPED, NC_CLAUSE_NOT_SELECTED, NC_CLAUSE_UNCHECKED,
		NC_CLAUSE_NOT_SELECTED,	/* a check beyond the document claims nothing */
	};
	struct nc_run run;

	sample(&run);
	for (size_t i = 0; i < run.n_clauses; i++) {
		enum nc_clause_status got = nc_clause_status(&run, &run.clauses[i]);

		if (got != want[i])
			fprintf(stderr, "\n  %s: %s, want %s\n", run.clauses[i].id,
				nc_clause_status_name(got), nc_clause_status_name(want[i]));
		CU_ASSERT_EQUAL(got, want[i]);
	}
	CU_ASSERT_STRING_EQUAL(nc_clause_status_name(NC_CLAUSE_NOT_SELECTED), "not-selected");
	nc_run_free(&run);
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t size = 0;

	if (!f)
		return NULL;
	if (getdelim(&text, &size, '\0', f) < 0) {
		free(text);
		text = NULL;
	}
	fclose(f);
	return text;
}

static void round_trip_and_page(void)
{
	char dir[] = "/tmp/nc-conformance-XXXXXX", path[64], page[64], err[256] = "";
	struct nc_run run, back;
	const struct nc_result *r;
	char *html;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/results.xml", dir);
	snprintf(page, sizeof(page), "%s/index.html", dir);
	sample(&run);
	CU_ASSERT_EQUAL_FATAL(nc_results_write(&run, path), 0);
	CU_ASSERT_EQUAL_FATAL(nc_results_read(path, &back, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(back.clauses[5].n_checks, 3);
	CU_ASSERT_EQUAL_FATAL(back.n_deviations, 1);
	CU_ASSERT_STRING_EQUAL(back.deviations[0].where, "e.txt:3");
	CU_ASSERT_STRING_EQUAL(back.deviations[0].reason, "answers 41, not 42");
	CU_ASSERT_EQUAL_FATAL(back.deviations[0].n_pins, 1);
	CU_ASSERT_STRING_EQUAL(back.deviations[0].pins[0].value, "40..41");
	r = &back.results[7];
	CU_ASSERT_STRING_EQUAL(r->deviation, "a.deviates");
	CU_ASSERT_EQUAL_FATAL(r->n_asserts, 2);
	CU_ASSERT_STRING_EQUAL(r->asserts[0].observed, "41");
	CU_ASSERT_FALSE(r->asserts[0].passed);
	CU_ASSERT_EQUAL(r->asserts[0].line, 7);
	CU_ASSERT_STRING_EQUAL(r->asserts[1].key, "tab\there");
	CU_ASSERT_STRING_EQUAL(r->asserts[1].observed, "1\n2");
	CU_ASSERT_STRING_EQUAL(r->asserts[1].role, "setup");
	CU_ASSERT_TRUE(r->asserts[1].passed);
	CU_ASSERT_STRING_EQUAL(back.results[8].beyond, "the document says nothing of it");
	CU_ASSERT_PTR_NULL(back.results[0].beyond);

	/* the page: a section of its own for the deviation, statuses, beyond */
	CU_ASSERT_EQUAL_FATAL(nc_html_write(&back, page), 0);
	html = read_all(page);
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<h2 id=\"deviations\">Known deviations"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<tr id=\"deviation-1\">"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "answers 41, not 42"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<td class=\"exp\">40..41</td><td class=\"obs\">41</td>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, ">contradicted</span>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, ">not-selected</span>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "beyond the document: the document says nothing"));
	free(html);
	nc_run_free(&back);
	nc_run_free(&run);
	unlink(path);
	unlink(page);
	rmdir(dir);
}

/* A <assert> without its key, or with a result that is neither pass nor
 * fail, is refused with its line. */
static void bad_assert_is_refused(void)
{
	static const struct {
		const char *element, *message;
	} rows[] = {
		{ "<assert result=\"fail\" role=\"expect\" line=\"1\"/>", ":4: <assert> without key=" },
		{ "<assert key=\"k\" result=\"maybe\" role=\"expect\" line=\"1\"/>",
		  ":4: <assert> without result= (pass or fail)" },
		{ "<assert key=\"k\" result=\"pass\" role=\"expect\" line=\"x\"/>",
		  ":4: <assert> without line= (a line number)" },
	};
	char dir[] = "/tmp/nc-conformance-XXXXXX", path[64];

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/results.xml", dir);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		FILE *f = fopen(path, "w");
		struct nc_run run;
		char err[256] = "";

		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		fprintf(f, "<?xml version=\"1.0\"?>\n<netconform-results version=\"1\" seconds=\"1\">\n"
			"<check id=\"a.b\" area=\"a\" verdict=\"pass\" outcome=\"pass\">\n%s\n"
			"</check>\n</netconform-results>\n", rows[i].element);
		fclose(f);
		CU_ASSERT_EQUAL(nc_results_read(path, &run, err, sizeof(err)), -1);
		if (!strstr(err, rows[i].message))
			fprintf(stderr, "\n  got '%s', want '%s'\n", err, rows[i].message);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, rows[i].message));
	}
	unlink(path);
	rmdir(dir);
}

NC_UNIT_SUITE(conformance,
	NC_UNIT_TEST(clause_statuses),
	NC_UNIT_TEST(round_trip_and_page),
	NC_UNIT_TEST(bad_assert_is_refused));
