/* The project's own unit tests: CUnit suites that register themselves. */
#ifndef NC_UNIT_H
#define NC_UNIT_H

#include <CUnit/CUnit.h>

struct nc_unit_test {
	const char *name;
	void (*fn)(void);
};

struct nc_unit_suite {
	const char *name;
	const struct nc_unit_test *tests;	/* ends with { NULL, NULL } */
};

#define NC_UNIT_SUITE(name_, ...)					\
	static const struct nc_unit_test name_##_tests[] = {		\
		__VA_ARGS__, { NULL, NULL } };				\
	static const struct nc_unit_suite name_##_suite = {		\
		#name_, name_##_tests };				\
	static const struct nc_unit_suite *const name_##_suitep	\
	__attribute__((used, section("nc_unit_suites"),			\
		       aligned(sizeof(void *)))) = &name_##_suite

#define NC_UNIT_TEST(fn) { #fn, fn }

/* Where the test binary's data lives: tests/ of the source tree. */
const char *nc_unit_srcdir(void);

#endif
