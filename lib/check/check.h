/* The check API: what a suite/ file writes, and what the harness walks.
 *
 * A check is a declarative struct (after LTP's struct tst_test): its stable
 * id "area.case", the clause ids it verifies, a one-line summary, an optional
 * scenario and table of cases, and one run function.  NC_CHECK places a
 * pointer to it in the "nc_checks" linker section; the harness turns every
 * (check, case) into one CUnit test of its area's CUnit suite.
 */
#ifndef NC_CHECK_H
#define NC_CHECK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "errname.h"

struct nc_net;

/* Every row of a case table starts with its name: "ipv4", "ipv6", ... */
struct nc_case_head {
	const char *name;
};

struct nc_case_ctx {
	const struct nc_check *check;
	const void *data;		/* the row of .cases, or NULL */
	const char *case_name;		/* the row's name, or NULL */
	struct nc_net *net;		/* the built .scenario, or NULL */
};

struct nc_check {
	const char *id;			/* "area.case", stable */
	const char *summary;		/* one line: the behaviour checked */
	const char *const *clauses;	/* NULL-terminated clause ids */
	const char *scenario;		/* scenarios/NAME.scn, or NULL */
	const void *cases;		/* table of rows, each led by a name */
	size_t n_cases;
	size_t case_size;
	void (*run)(const struct nc_case_ctx *ctx);
	unsigned deadline_ms;		/* 0: the runner's --timeout */
};

/* What NC_CHECK puts in the "nc_checks" section: the check and where it is. */
struct nc_check_entry {
	const struct nc_check *check;
	const char *file;
	int line;
};

#define NC_CLAUSES(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define NC_CASES(table) \
	.cases = (table), .n_cases = sizeof(table) / sizeof((table)[0]), \
	.case_size = sizeof((table)[0])

#define NC_CHECK(name_)							\
	static const struct nc_check nc_check_##name_;			\
	static const struct nc_check_entry nc_check_entry_##name_	\
	__attribute__((used, section("nc_checks"), aligned(sizeof(void *)))) \
		= { &nc_check_##name_, __FILE__, __LINE__ };		\
	static const struct nc_check nc_check_##name_

/* Where the checks of a linked binary are. */
extern const struct nc_check_entry __start_nc_checks[] __attribute__((weak));
extern const struct nc_check_entry __stop_nc_checks[] __attribute__((weak));

/* The clause catalog of the document (suite/clauses.c). */
struct nc_clause {
	const char *id;		/* "connect-3" */
	const char *section;	/* "connect()" */
	const char *zh;		/* the document's sentence */
	const char *en;		/* an English rendering */
};
extern const struct nc_clause nc_clauses[];
extern const size_t nc_n_clauses;

/* --- Results, written by the check's child to the runner --- */

/* An observed value, shown beside the expected one in the reports. */
void nc_observe(const char *key, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void nc_expect(const char *key, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Ends the check as skip: a capability is missing. */
void nc_skip(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

/* A CUnit failure with a readable message; nc_fatal_ also ends the check. */
void nc_fail_(const char *file, int line, bool fatal, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
#define nc_fail(...)  nc_fail_(__FILE__, __LINE__, false, __VA_ARGS__)
#define nc_fatal(...) nc_fail_(__FILE__, __LINE__, true, __VA_ARGS__)
void nc_pass_(const char *file, int line);

/* --- Assertions that print the call as the reader thinks of it --- */

struct nc_sockaddr;

/* call must fail with want: "connect(198.18.0.2:9) = -1 EACCES, expected
 * ECONNREFUSED".  Records errno as the observed value "errno". */
#define NC_EXPECT_ERRNO(call, want, peer) do {				\
	errno = 0;							\
	long ret_ = (long)(call);					\
	int got_ = errno;	/* before anything clobbers it */	\
	nc_expect_errno_(#call, ret_, got_, (want), (peer), __FILE__, __LINE__); \
} while (0)
void nc_expect_errno_(const char *call, long ret, int got, int want,
		      const struct nc_sockaddr *peer, const char *file, int line);

/* A system call that must succeed; a failure ends the check. */
#define NC_ASSERT_SYS(call) ({						\
	errno = 0;							\
	long ret_ = (long)(call);					\
	if (ret_ < 0)							\
		nc_fail_(__FILE__, __LINE__, true, "%s = %ld %s",	\
			 #call, ret_, nc_errno_name(errno));		\
	ret_;								\
})
#define NC_ASSERT_FD(call) ((int)NC_ASSERT_SYS(call))

/* A lib/ call returning 0 or -errno; a failure ends the check. */
#define NC_ASSERT_OK(call) do {						\
	int err_ = (call);						\
	if (err_ < 0)							\
		nc_fail_(__FILE__, __LINE__, true, "%s = -%s",		\
			 #call, nc_errno_name(-err_));			\
} while (0)

/* got == want, named for the reader: "SO_PROTOCOL = 17, expected 6". */
#define NC_EXPECT_INT(what, got, want)					\
	nc_expect_int_((what), (long long)(got), (long long)(want),	\
		       __FILE__, __LINE__)
void nc_expect_int_(const char *what, long long got, long long want,
		    const char *file, int line);
/* got == want as addresses, both recorded: "getsockname = 127.0.0.1:80
 * (len 16), expected 127.0.0.1:81 (len 16)". */
#define NC_EXPECT_ADDR(what, got, want) \
	nc_expect_addr_((what), (got), (want), __FILE__, __LINE__)
void nc_expect_addr_(const char *what, const struct nc_sockaddr *got,
		     const struct nc_sockaddr *want, const char *file, int line);
#define NC_EXPECT_TRUE(cond, ...) do {					\
	if (cond)							\
		nc_pass_(__FILE__, __LINE__);				\
	else								\
		nc_fail_(__FILE__, __LINE__, false, __VA_ARGS__);	\
} while (0)


/* --- For the harness --- */

/* The descriptor the running check writes its records to. */
void nc_result_open(int fd);
void nc_record(const char *kind, const char *key, const char *value);
const char *nc_check_area(const struct nc_check *check, char *buf, size_t size);

#endif
