/* The check API: what a suite/ file writes, and what the harness walks.
 *
 * A check is a declarative struct (after LTP's struct tst_test): the clause
 * ids it verifies, a one-line summary, an optional scenario and table of
 * cases, and one run function.  NC_CHECK(area, name) gives it the stable id
 * "area.name" and places it in the "nc_checks" linker section; the harness
 * runs every (check, case) as one test.  Everything a check reports goes out
 * as records (record.h); this layer needs nothing but libc.
 */
#ifndef NC_CHECK_H
#define NC_CHECK_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "errname.h"
#include "error.h"
#include "record.h"
#include "tcp_state.h"
#include "timing.h"

struct nc_net;

struct nc_case_ctx {
	const struct nc_check *check;
	const char *id;			/* "connect.refused.ipv4" */
	const void *data;		/* the row of .cases, or NULL */
	const char *case_name;		/* the row's name, or NULL */
	struct nc_net *net;		/* the built .scenario, or NULL */
};

struct nc_check {
	const char *summary;		/* one line: the behaviour checked */
	const char *const *clauses;	/* NULL-terminated clause ids */
	const char *scenario;		/* scenarios/NAME.scn, or NULL */
	const void *cases;		/* table of rows, each led by its name */
	size_t n_cases;
	size_t case_size;
	void (*run)(const struct nc_case_ctx *ctx);
	unsigned deadline_ms;		/* 0: the runner's --timeout */
	/* The longest timer, the kernel's or the resolver's, that one of its
	 * cases waits out on any platform, under either C library (3000:
	 * connect()'s timeout at tcp_syn_retries=1; 1000: a resolver timeout
	 * only musl waits): the runner starts the longest first
	 * (harness/schedule.h).  0: none of a second or more. */
	unsigned longest_timer_ms;
	/* Behaviour the document does not state, and why it is checked: the
	 * check then claims no clause (its .clauses are only its section). */
	const char *beyond;
	/* The values of the clause's axes its cases take, e.g.
	 * "mode:blocking,nonblocking form:v4,v6,mapped" (issue 20's coverage
	 * view: netconform list --clauses). */
	const char *covers;
	/* What the check cannot run without, words of "sock_diag nf_tables
	 * veth ipv6 sysctl:NAME" (a sysctl it must write): the runner checks
	 * each before the body runs, a missing one makes the check a skip
	 * that names it (as LTP's .needs_*). */
	const char *needs;
	/* Whether the runner captures the check's packets, for the reports'
	 * ladder diagrams (connection setup and teardown, errors on the wire). */
	bool capture;
};

/* What NC_CHECK puts in the "nc_checks" section: the check, its id, and
 * where it is. */
struct nc_check_entry {
	const struct nc_check *check;
	const char *id;			/* "area.name" */
	const char *file;
	int line;
};

/* NC_CHECK(connect, refused_loopback) = { ... }: id "connect.refused_loopback",
 * written once, so the C symbol and the id cannot drift apart. */
#define NC_CHECK(area, name)						\
	static const struct nc_check nc_check_##area##__##name;	\
	static const struct nc_check_entry nc_check_entry_##area##__##name \
	__attribute__((used, section("nc_checks"), aligned(sizeof(void *)))) \
		= { &nc_check_##area##__##name, #area "." #name, __FILE__, __LINE__ }; \
	static const struct nc_check nc_check_##area##__##name

#define NC_CLAUSES(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* A table of cases: an array whose rows start with `const char *name`,
 * which the compiler checks here (the harness reads each row's name). */
struct nc_case_head {
	const char *name;
};
#define NC_CASES(table)							\
	.cases = (table),						\
	.n_cases = sizeof(table) / sizeof((table)[0]) + 0 * sizeof(struct { \
		int nc_unused_;						\
		_Static_assert(!__builtin_types_compatible_p(__typeof__(table), \
							     __typeof__(&(table)[0])), \
			       "NC_CASES wants an array, not a pointer");	\
		_Static_assert(offsetof(__typeof__((table)[0]), name) == 0 && \
			       __builtin_types_compatible_p(__typeof__((table)[0].name), \
							    const char *),	\
			       "a case row must start with const char *name"); \
	}),								\
	.case_size = sizeof((table)[0])

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

/* The axes of issue 20 that apply to a clause (suite/clause_axes.c), words
 * of "mode sequence boundary state form field text": the values the checks
 * claiming it cover (their .covers) are shown against them, an axis with
 * none as missing. */
struct nc_clause_axes {
	const char *clause;	/* "connect-5" */
	const char *axes;	/* "mode sequence form field" */
};
extern const struct nc_clause_axes nc_clause_axes[];
extern const size_t nc_n_clause_axes;
/* The axes of clause, or NULL when the table has no row for it. */
const char *nc_clause_axes_of(const char *clause);

/* --- Keys: what an assertion or a value is, to pins and to people --- */

/* Every value a check reports has an id, which expectation files pin and
 * which stays put when its wording changes, and a label for the reports.
 * A key that is already an id ("errno", "elapsed_ms", "syns": letters,
 * digits, '_' and '.', not starting with a digit) is its own label; prose
 * gets an explicit id:
 *
 *   NC_EXPECT_INT(NC_KEY(second_connect, "second connect() (the socket is unusable)"),
 *                 connect(fd, ...), -1);
 *
 * A TCP state carries the end it was read from as a field (the reports
 * draw it on that end's column): NC_STATE(client) is id "state.client",
 * label "state(client)"; NC_STATE_AS(server, sock_diag, "state(server,
 * sock_diag)") is id "state.server.sock_diag". */
struct nc_key {
	const char *id;		/* "second_connect", "state.client" */
	const char *label;	/* "second connect() (the socket is unusable)" */
	const char *side;	/* a TCP state's end, "client" or "server"; else NULL */
};
#define NC_KEY(id, label) ((struct nc_key){ #id, (label), NULL })
#define NC_STATE(side) ((struct nc_key){ "state." #side, "state(" #side ")", #side })
#define NC_STATE_AS(side, id, label) \
	((struct nc_key){ "state." #side "." #id, (label), #side })
/* NC_STATE(client) or NC_STATE(server) by the end's name, known only at
 * run time (whichever end closed first). */
struct nc_key nc_state_key(const char *side);
/* key, written as an id-shaped string or as an nc_key, as an nc_key. */
#define NC_KEY_OF(key)							\
	_Generic((key), struct nc_key: nc_key_itself_, default: nc_key_text_)(key)
/* Whether text is id-shaped (what an expectation file may pin). */
bool nc_key_is_id(const char *text);

/* --- Values for the reports --- */

/* A value the check saw, or what the document says it should be, shown side
 * by side in the reports.  Every NC_EXPECT_* records both by itself: these
 * are for values no assertion covers. */
#define nc_observe(key, ...) nc_observe_(NC_KEY_OF(key), __VA_ARGS__)
#define nc_expect(key, ...) nc_expect_(NC_KEY_OF(key), __VA_ARGS__)

/* Ends the check as skip: a capability is missing. */
void nc_skip(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

/* --- Assertions: each records its key, expected and observed value --- */

/* call fails with want (errno), key "errno": "connect(198.18.0.2:9) = -1
 * EACCES, expected -1 ECONNREFUSED".  peer (may be NULL) is shown in place
 * of the call's arguments. */
#define NC_EXPECT_ERRNO(call, want, peer) do {				\
	errno = 0;							\
	long ret_ = (long)(call);					\
	int got_ = errno;	/* before anything clobbers it */	\
	nc_expect_errno_(#call, ret_, got_, (want), (peer), __FILE__, __LINE__); \
} while (0)
/* The same for a call made before, its return and errno kept: the one of
 * several attempts that a check judges.  name: "connect". */
#define NC_EXPECT_ERRNO_KEPT(name, ret, err, want, peer)		\
	nc_expect_errno_((name), (ret), (err), (want), (peer), __FILE__, __LINE__)

/* got == want: "SO_PROTOCOL = 17, expected 6". */
#define NC_EXPECT_INT(key, got, want)					\
	nc_expect_int_(NC_KEY_OF(key), (long long)(got), (long long)(want), __FILE__, __LINE__)
/* min <= got <= max, and one-sided bounds: "elapsed_ms = 1042, expected >= 2900". */
#define NC_EXPECT_RANGE(key, got, min, max)				\
	nc_expect_range_(NC_KEY_OF(key), (long long)(got), (long long)(min), (long long)(max), \
			 true, true, __FILE__, __LINE__)
#define NC_EXPECT_MIN(key, got, min)					\
	nc_expect_range_(NC_KEY_OF(key), (long long)(got), (long long)(min), 0, true, false, \
			 __FILE__, __LINE__)
#define NC_EXPECT_MAX(key, got, max)					\
	nc_expect_range_(NC_KEY_OF(key), (long long)(got), 0, (long long)(max), false, true, \
			 __FILE__, __LINE__)
/* A TCP state by name, key NC_STATE(...): "state(client) = SYN_SENT,
 * expected ESTABLISHED"; got may be -errno (nc_tcp_state() failing), shown
 * as the errno's name. */
#define NC_EXPECT_STATE(key, got, want)					\
	nc_expect_state_(NC_KEY_OF(key), (got), (want), __FILE__, __LINE__)
/* An EAI_* code by name: "eai = EAI_AGAIN, expected EAI_NONAME". */
#define NC_EXPECT_EAI(key, got, want)					\
	nc_expect_eai_(NC_KEY_OF(key), (got), (want), __FILE__, __LINE__)
/* Strings, NULL only equal to NULL: "h_name = \"a\", expected \"b\"". */
#define NC_EXPECT_STR(key, got, want)					\
	nc_expect_str_(NC_KEY_OF(key), (got), (want), __FILE__, __LINE__)
/* Socket addresses: "getsockname = 127.0.0.1:80 (len 16), expected ...". */
#define NC_EXPECT_ADDR(key, got, want)					\
	nc_expect_addr_(NC_KEY_OF(key), (got), (want), __FILE__, __LINE__)
/* Anything else: the condition's text is the label (its id the text with
 * each run of other characters made one '_'), the message says why. */
#define NC_EXPECT_TRUE(cond, ...)					\
	nc_expect_true_((struct nc_key){ NULL, #cond, NULL }, (cond) ? true : false, \
			__FILE__, __LINE__, __VA_ARGS__)
/* The same under an explicit key, for a condition a pin names. */
#define NC_EXPECT_THAT(key, cond, ...)					\
	nc_expect_true_(NC_KEY_OF(key), (cond) ? true : false, __FILE__, __LINE__, __VA_ARGS__)

/* A failure that no macro above expresses; nc_fatal also ends the check. */
#define nc_fail(...)  nc_failf_(NC_ASSERT_EXPECT, __FILE__, __LINE__, __VA_ARGS__)
#define nc_fatal(...) nc_failf_(NC_ASSERT_FATAL, __FILE__, __LINE__, __VA_ARGS__)

/* --- Setup steps: a failure ends the check, a success records nothing --- */

/* A system call that must succeed: its value. */
#define NC_ASSERT_SYS(call) ({						\
	errno = 0;							\
	long ret_ = (long)(call);					\
	if (ret_ < 0)							\
		nc_setup_failed_sys_(#call, ret_, errno, __FILE__, __LINE__); \
	ret_;								\
})
#define NC_ASSERT_FD(call) ((int)NC_ASSERT_SYS(call))

/* A lib/ call returning >= 0 or -errno; a failure prints lib/'s message:
 * "nc_host_enter(c) = -EEXIST: address 198.18.0.1/24 on c: File exists".
 * -EOPNOTSUPP is lib/'s word for a capability this system lacks: the check
 * ends as skip, with that message as the reason. */
#define NC_ASSERT_OK(call) do {						\
	nc_error_clear();						\
	int err_ = (call);						\
	if (err_ < 0)							\
		nc_setup_failed_(#call, err_, __FILE__, __LINE__);	\
} while (0)

/* --- For the harness, and any program that runs checks --- */

/* Sees every assertion record as it is written: the harness counts them
 * in CUnit.  A fatal failure ends the check after the reporter returns. */
typedef void nc_check_reporter(const struct nc_assertion *assertion);
void nc_check_set_reporter(nc_check_reporter *reporter);
/* Runs ctx's check until it returns or a fatal assertion ends it. */
void nc_check_run(const struct nc_case_ctx *ctx);
/* The "done" record, with the number of assertions made (setup steps not
 * counted): the runner calls a check that asserted nothing an error. */
void nc_check_done(void);

/* --- The implementation of the macros --- */

struct nc_sockaddr;
struct nc_key nc_key_itself_(struct nc_key key);
struct nc_key nc_key_text_(const char *id);
void nc_observe_(struct nc_key key, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void nc_expect_(struct nc_key key, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void nc_assert_(const struct nc_assertion *assertion);
void nc_expect_errno_(const char *call, long ret, int got, int want,
		      const struct nc_sockaddr *peer, const char *file, int line);
void nc_expect_int_(struct nc_key key, long long got, long long want,
		    const char *file, int line);
void nc_expect_range_(struct nc_key key, long long got, long long min, long long max,
		      bool has_min, bool has_max, const char *file, int line);
void nc_expect_state_(struct nc_key key, int got, int want, const char *file, int line);
void nc_expect_eai_(struct nc_key key, int got, int want, const char *file, int line);
void nc_expect_str_(struct nc_key key, const char *got, const char *want,
		    const char *file, int line);
void nc_expect_addr_(struct nc_key key, const struct nc_sockaddr *got,
		     const struct nc_sockaddr *want, const char *file, int line);
void nc_expect_true_(struct nc_key key, bool passed, const char *file, int line,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void nc_failf_(enum nc_assert_role role, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void nc_setup_failed_sys_(const char *call, long ret, int err, const char *file, int line);
void nc_setup_failed_(const char *call, int err, const char *file, int line);

#endif
