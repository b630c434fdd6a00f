/* The expectation file parser and the verdict table. */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "unit.h"

static void good_file_parses(void)
{
	struct nc_expectations exp;
	char err[256] = "";
	const char *text =
		"# known deviations\n"
		"\n"
		"listen.default_backlog  xfail  somaxconn is 4096, not 128   \n"
		"accept.addrlen_*\txfail\tLinux returns the full length  # why\n";

	CU_ASSERT_EQUAL_FATAL(nc_expectations_parse("x.txt", text, &exp, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(exp.n_items, 2);
	CU_ASSERT_STRING_EQUAL(nc_expectations_reason(&exp, "listen.default_backlog"),
			       "somaxconn is 4096, not 128");
	CU_ASSERT_STRING_EQUAL(nc_expectations_reason(&exp, "accept.addrlen_short.ipv4"),
			       "Linux returns the full length");
	CU_ASSERT_PTR_NULL(nc_expectations_reason(&exp, "listen.other"));
	CU_ASSERT_EQUAL(exp.items[1].line, 4);
	nc_expectations_free(&exp);
}

static const struct bad_case {
	const char *text;
	const char *message;
} bad_cases[] = {
	{ "a.b\n", "bad.txt:1: 'a.b' has no verdict" },
	{ "\n\na.b  xfail\n", "bad.txt:3: 'a.b xfail' needs a reason" },
	{ "a.b  pass  why\n", "bad.txt:1: unknown verdict 'pass'" },
	{ "a.b xfail one\na.b xfail two\n", "bad.txt:2: 'a.b' is already expected at line 1" },
};

static void bad_files_say_where(void)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		struct nc_expectations exp;
		char err[256] = "";

		CU_ASSERT_EQUAL(nc_expectations_parse("bad.txt", bad_cases[i].text, &exp,
						      err, sizeof(err)), -1);
		if (!strstr(err, bad_cases[i].message))
			fprintf(stderr, "\n  got '%s', want '%s'\n", err, bad_cases[i].message);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, bad_cases[i].message));
	}
}

static void unknown_check_is_refused(void)
{
	const char *ids[] = { "socket.created.inet-stream", "connect.refused.ipv4" };
	struct nc_expectations exp;
	char err[256] = "";

	CU_ASSERT_EQUAL_FATAL(nc_expectations_parse("e.txt", "socket.*  xfail  a\nnope  xfail  b\n",
						     &exp, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(nc_expectations_validate(&exp, ids, 2, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "e.txt:2: 'nope' names no known check");
	nc_expectations_free(&exp);
}

static void unreadable_file_says_so(void)
{
	struct nc_expectations exp;
	char err[256] = "";

	CU_ASSERT_EQUAL(nc_expectations_load("/nonexistent/x.txt", &exp, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent/x.txt:0: cannot read"));
}

static void verdict_table(void)
{
	static const struct {
		enum nc_verdict outcome;
		bool expected_to_fail;
		enum nc_verdict verdict;
	} rows[] = {
		{ NC_PASS, false, NC_PASS }, { NC_FAIL, false, NC_FAIL },
		{ NC_SKIP, false, NC_SKIP }, { NC_ERROR, false, NC_ERROR },
		{ NC_PASS, true, NC_XPASS }, { NC_FAIL, true, NC_XFAIL },
		{ NC_SKIP, true, NC_SKIP }, { NC_ERROR, true, NC_ERROR },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		CU_ASSERT_EQUAL(nc_verdict_of(rows[i].outcome, rows[i].expected_to_fail),
				rows[i].verdict);
}

NC_UNIT_SUITE(harness,
	NC_UNIT_TEST(good_file_parses),
	NC_UNIT_TEST(bad_files_say_where),
	NC_UNIT_TEST(unknown_check_is_refused),
	NC_UNIT_TEST(unreadable_file_says_so),
	NC_UNIT_TEST(verdict_table));
