/* Runs every NC_UNIT_SUITE linked in: build/tests/unit [SUITE]... */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"

extern const struct nc_unit_suite *const __start_nc_unit_suites[];
extern const struct nc_unit_suite *const __stop_nc_unit_suites[];

const char *nc_unit_srcdir(void)
{
	return NC_SRCDIR "/tests";
}

static int wanted(const char *name, int argc, char **argv)
{
	if (argc < 2)
		return 1;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned failed;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	for (const struct nc_unit_suite *const *s = __start_nc_unit_suites;
	     s < __stop_nc_unit_suites; s++) {
		CU_pSuite suite;

		if (!wanted((*s)->name, argc, argv))
			continue;
		suite = CU_add_suite((*s)->name, NULL, NULL);
		for (const struct nc_unit_test *t = (*s)->tests; t->name; t++)
			CU_add_test(suite, t->name, t->fn);
	}
	CU_basic_set_mode(CU_BRM_NORMAL);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures();
	printf("unit: %u passed, %u failed\n",
	       CU_get_number_of_tests_run() - CU_get_number_of_tests_failed(),
	       CU_get_number_of_tests_failed());
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
