/* reports/coverage.c: a clause's axes against the values its checks cover
 * (issue 20's coverage view). */
#include <errno.h>
#include <string.h>

#include "coverage.h"
#include "unit.h"

static void test_merge(void)
{
	char buf[256] = "";

	CU_ASSERT_EQUAL(nc_coverage_merge(buf, sizeof(buf), "form:v4,v6 mode:blocking"), 0);
	/* axes in their fixed order, each value once */
	CU_ASSERT_STRING_EQUAL(buf, "mode:blocking form:v4,v6");
	CU_ASSERT_EQUAL(nc_coverage_merge(buf, sizeof(buf), "form:v6,mapped mode:nonblocking"), 0);
	CU_ASSERT_STRING_EQUAL(buf, "mode:blocking,nonblocking form:v4,v6,mapped");
	CU_ASSERT_EQUAL(nc_coverage_merge(buf, sizeof(buf), NULL), 0);
	CU_ASSERT_STRING_EQUAL(buf, "mode:blocking,nonblocking form:v4,v6,mapped");
	/* an unknown axis, a word without one: refused, buf kept */
	CU_ASSERT_EQUAL(nc_coverage_merge(buf, sizeof(buf), "colour:red"), -EINVAL);
	CU_ASSERT_EQUAL(nc_coverage_merge(buf, sizeof(buf), "v4"), -EINVAL);
	CU_ASSERT_STRING_EQUAL(buf, "mode:blocking,nonblocking form:v4,v6,mapped");
	CU_ASSERT_EQUAL(nc_coverage_merge(buf, 8, "state:syn-sent"), -ENOSPC);
}

static void test_text(void)
{
	char buf[256];

	/* an applicable axis without a value is missing, and counted */
	CU_ASSERT_EQUAL(nc_coverage_text("mode state form", "form:v4,v6 mode:nonblocking",
					 buf, sizeof(buf)), 1);
	CU_ASSERT_STRING_EQUAL(buf, "mode: nonblocking \u00b7 state: missing \u00b7 form: v4, v6");
	/* a value of an axis that does not apply is not shown */
	CU_ASSERT_EQUAL(nc_coverage_text("form", "form:v4 field:sin_zero", buf, sizeof(buf)), 0);
	CU_ASSERT_STRING_EQUAL(buf, "form: v4");
	CU_ASSERT_EQUAL(nc_coverage_text("mode boundary", NULL, buf, sizeof(buf)), 2);
	CU_ASSERT_STRING_EQUAL(buf, "mode: missing \u00b7 boundary: missing");
	CU_ASSERT_EQUAL(nc_coverage_text("", "form:v4", buf, sizeof(buf)), 0);
	CU_ASSERT_STRING_EQUAL(buf, "");
	CU_ASSERT(nc_coverage_axes_known("mode sequence boundary state form field text"));
	CU_ASSERT(!nc_coverage_axes_known("mode speed"));
}

NC_UNIT_SUITE(coverage,
	NC_UNIT_TEST(test_merge),
	NC_UNIT_TEST(test_text));
