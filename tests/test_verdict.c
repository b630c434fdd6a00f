/* The verdict table (harness/verdict.c), walked row by row: every rule has
 * facts here that it decides, with the raw result, verdict and message it
 * gives; then the pins, which keep a known deviation what its line pins. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "record.h"
#include "records.h"
#include "results.h"
#include "unit.h"
#include "verdict.h"

#define FAILED(key_, observed_) { .passed = false, .role = NC_ASSERT_EXPECT, .key = key_, \
				  .expected = "doc", .observed = observed_, .file = "c.c", \
				  .line = 1, .message = key_ " differs" }
#define PASSED(key_, observed_) { .passed = true, .role = NC_ASSERT_EXPECT, .key = key_, \
				  .expected = observed_, .observed = observed_, .file = "c.c", \
				  .line = 1, .message = "" }
#define SETUP_FAILED(key_) { .passed = false, .role = NC_ASSERT_SETUP, .key = key_, \
			     .expected = ">= 0", .observed = "-1 EPERM", .file = "c.c", \
			     .line = 1, .message = key_ " = -1 EPERM" }
#define FATAL_FAILED(message_) { .passed = false, .role = NC_ASSERT_FATAL, .key = "", \
				 .expected = "", .observed = "", .file = "c.c", .line = 1, \
				 .message = message_ }

static const struct nc_pin icmp_pins[] = {
	{ .key = "errno", .value = "EHOSTUNREACH" },
	{ .key = "syns", .value = "2" },
	{ .key = "elapsed_ms", .value = "900..1500", .range = true, .lo = 900, .hi = 1500 },
};
static const struct nc_expectation icmp = {
	.pattern = "connect.icmp_host_unreach.*", .pins = (struct nc_pin *)icmp_pins,
	.n_pins = 3, .reason = "at the first retransmission", .path = "linux.txt", .line = 5,
};
static const struct nc_kv icmp_observed[] = {
	{ .key = "syns", .value = "2" },
};
static const struct nc_kv syns_3[] = {
	{ .key = "syns", .value = "3" },
};
static const struct nc_kv loaded[] = {
	{ .key = "syns", .value = "2" },
	{ .key = "overload", .value = "waited 990 ms for a CPU in 1005 ms" },
};
/* a case not provoked (suite/icmp_arrival.c), beside a bound's "none" */
static const struct nc_kv not_provoked[] = {
	{ .key = "not_provoked", .value = "in 5 attempts the ICMP never found connect() holding the socket" },
	{ .key = "overload", .value = "none that matters: 12 ms, before the 1000 ms timer" },
};
static const struct nc_kv not_loaded[] = {
	{ .key = "overload", .value = "none that matters: 723 ms, before the 1000 ms timer" },
};

/* --- the table, row by row --- */

static const struct nc_assertion held[] = {
	PASSED("errno", "EHOSTUNREACH"), FAILED("elapsed_ms", "1015"),
};
static const struct nc_assertion setup[] = {
	FAILED("elapsed_ms", "1015"), SETUP_FAILED("nc_host_enter(c)"),
};
static const struct nc_assertion unpinned[] = {
	PASSED("errno", "EHOSTUNREACH"), FAILED("state", "CLOSED"),
};
static const struct nc_assertion out_of_range[] = {
	PASSED("errno", "EHOSTUNREACH"), FAILED("elapsed_ms", "2000"),
};

#define RECORDS(...) (&(const struct nc_records){ __VA_ARGS__ })
#define FAILURES(list_, text_) .failures = text_, .assertions = (struct nc_assertion *)list_, \
			       .n_assertions = sizeof(list_) / sizeof(list_[0])
#define OBSERVED(list_) .observed = list_, .n_observed = sizeof(list_) / sizeof(list_[0])

static const struct row_case {
	const char *rule;		/* the row's name */
	struct nc_facts facts;
	enum nc_raw raw;
	enum nc_verdict verdict;
	const char *message;		/* NULL: none */
} row_cases[] = {
	{ "listed in the skip file: not run",
	  { .skip_file = "skips.txt", .skip_reason = "no IPv6 here" },
	  NC_RAW_SKIPPED, NC_SKIP, "skip file skips.txt: no IPv6 here" },
	{ "timed out while tasks waited for a CPU most of the time",
	  { .timed_out = true, .deadline_s = 5, .stalled_share = 0.8,
	    .rec = RECORDS(.output = "tail") },
	  NC_RAW_ERROR, NC_ERROR, "timed out after 5 s: too loaded to judge (tasks waited for a "
	  "CPU 80% of that time, /proc/pressure/cpu)\noutput (tail):\ntail" },
	{ "timed out",
	  { .timed_out = true, .deadline_s = 5, .stalled_share = 0.2, .expectation = &icmp,
	    .rec = RECORDS(FAILURES(held, "c.c:1: elapsed_ms differs")) },
	  NC_RAW_ERROR, NC_ERROR, "timed out after 5 s" },
	{ "skipped: a capability is missing",
	  { .rec = RECORDS(.skip = "no IPv6", .error = "later", .output = "tail") },
	  NC_RAW_SKIPPED, NC_SKIP, "no IPv6" },
	{ "could not run (an error record: a crash, a scenario not built)",
	  { .rec = RECORDS(.error = "killed by signal 11 (SIGSEGV)", .output = "boom",
			   FAILURES(held, "c.c:1: elapsed_ms differs")) },
	  NC_RAW_ERROR, NC_ERROR, "killed by signal 11 (SIGSEGV)\noutput (tail):\nboom" },
	{ "a setup step failed under an expectation",
	  { .expectation = &icmp, OBSERVED(loaded),
	    .rec = RECORDS(FAILURES(setup, "c.c:1: nc_host_enter(c) = -1 EPERM")) },
	  NC_RAW_FAILED, NC_ERROR, "linux.txt:5: a setup step failed, so the pinned deviation "
	  "could not show: nc_host_enter(c)\nc.c:1: nc_host_enter(c) = -1 EPERM" },
	{ "failed as the expectation pins",
	  { .expectation = &icmp, OBSERVED(loaded),
	    .rec = RECORDS(FAILURES(held, "c.c:1: elapsed_ms differs"), .output = "tail") },
	  NC_RAW_FAILED, NC_XFAIL, "linux.txt:5: pinned deviation holds: errno = EHOSTUNREACH, "
	  "syns = 2, elapsed_ms = 1015 (900..1500)\nc.c:1: elapsed_ms differs\n"
	  "output (tail):\ntail" },
	{ "failed, a timing bound undecided for the load",
	  { OBSERVED(loaded), .rec = RECORDS(FAILURES(held, "c.c:1: elapsed_ms = 1005")) },
	  NC_RAW_ERROR, NC_ERROR, "too loaded to judge (fail, not a finding): waited 990 ms "
	  "for a CPU in 1005 ms\nc.c:1: elapsed_ms = 1005" },
	{ "failed, a timing bound undecided for the load",
	  { .expectation = &icmp, OBSERVED(loaded),
	    .rec = RECORDS(FAILURES(unpinned, "c.c:1: state differs")) },
	  NC_RAW_ERROR, NC_ERROR, "too loaded to judge (fail, not a finding): waited 990 ms "
	  "for a CPU in 1005 ms\nlinux.txt:5: a failure the deviation does not pin: state\n"
	  "c.c:1: state differs" },
	{ "failed, a timing bound undecided for the load",
	  { OBSERVED(not_provoked), .rec = RECORDS(FAILURES(unpinned, "c.c:1: state differs")) },
	  NC_RAW_ERROR, NC_ERROR, "too loaded to judge (fail, not a finding): in 5 attempts the "
	  "ICMP never found connect() holding the socket\nc.c:1: state differs" },
	{ "failed where the expectation pins nothing",
	  { .expectation = &icmp, OBSERVED(icmp_observed),
	    .rec = RECORDS(FAILURES(unpinned, "c.c:1: state differs"), .output = "tail") },
	  NC_RAW_FAILED, NC_FAIL, "linux.txt:5: a failure the deviation does not pin: state\n"
	  "c.c:1: state differs\noutput (tail):\ntail" },
	{ "failed with a pinned value changed",
	  { .expectation = &icmp, OBSERVED(icmp_observed),
	    .rec = RECORDS(FAILURES(out_of_range, "c.c:1: elapsed_ms differs")) },
	  NC_RAW_FAILED, NC_FAIL, "linux.txt:5: pinned deviation changed: elapsed_ms 900..1500 "
	  "\xe2\x86\x92 2000\nc.c:1: elapsed_ms differs" },
	{ "failed",
	  { OBSERVED(not_loaded), .rec = RECORDS(FAILURES(held, "c.c:1: elapsed_ms differs")) },
	  NC_RAW_FAILED, NC_FAIL, "c.c:1: elapsed_ms differs" },
	{ "done, its count of assertions not the records'",
	  { .rec = RECORDS(.done = true, .done_assertions = 3, .asserted = 2) },
	  NC_RAW_ERROR, NC_ERROR, "3 assertions made, 2 recorded" },
	{ "done, having asserted nothing",
	  { .rec = RECORDS(.done = true, .output = "tail") },
	  NC_RAW_ERROR, NC_ERROR, "asserted nothing\noutput (tail):\ntail" },
	{ "passed under an expectation, a timing bound undecided for the load",
	  { .expectation = &icmp, OBSERVED(loaded),
	    .rec = RECORDS(.done = true, .done_assertions = 2, .asserted = 2, .output = "tail") },
	  NC_RAW_ERROR, NC_ERROR, "too loaded to judge (xpass, not a finding): waited 990 ms "
	  "for a CPU in 1005 ms" },
	{ "passed under an expectation: the deviation is gone",
	  { .expectation = &icmp, OBSERVED(syns_3),
	    .rec = RECORDS(.done = true, .done_assertions = 2, .asserted = 2) },
	  NC_RAW_PASSED, NC_XPASS, NULL },
	{ "passed",
	  { OBSERVED(loaded), .rec = RECORDS(.done = true, .done_assertions = 1, .asserted = 1,
					     .output = "tail") },
	  NC_RAW_PASSED, NC_PASS, NULL },
	{ "ended without a result, as its exit record says",
	  { .killed = true, .rec = RECORDS(.exit = "exited with status 3") },
	  NC_RAW_ERROR, NC_ERROR, "ended without a result (exited with status 3)" },
	{ "ended without a result, its namespace killed",
	  { .killed = true, .rec = RECORDS(.output = "tail") },
	  NC_RAW_ERROR, NC_ERROR, "ended without a result (its namespace was killed)\n"
	  "output (tail):\ntail" },
	{ "ended without a result, no records", { .rec = NULL },
	  NC_RAW_ERROR, NC_ERROR, "ended without a result (no records)" },
};

static void each_rule_decides_its_facts(void)
{
	for (size_t r = 0; r < nc_verdict_n_rules; r++) {
		const struct nc_verdict_rule *rule = &nc_verdict_rules[r];
		size_t walked = 0;

		for (size_t i = 0; i < sizeof(row_cases) / sizeof(row_cases[0]); i++) {
			const struct row_case *c = &row_cases[i];
			struct nc_judgement j;

			if (strcmp(c->rule, rule->name) != 0)
				continue;
			walked++;
			nc_verdict_decide(&c->facts, &j);
			if (j.rule != rule || j.verdict != c->verdict ||
			    (j.message ? !c->message || strcmp(j.message, c->message) != 0
				       : c->message != NULL))
				fprintf(stderr, "\n  %s: decided by '%s': %s '%s', want %s '%s'\n",
					rule->name, j.rule->name, nc_verdict_name(j.verdict),
					j.message ? j.message : "(none)",
					nc_verdict_name(c->verdict),
					c->message ? c->message : "(none)");
			CU_ASSERT_PTR_EQUAL(j.rule, rule);
			CU_ASSERT_EQUAL(j.raw, c->raw);
			CU_ASSERT_EQUAL(j.verdict, c->verdict);
			if (c->message) {
				CU_ASSERT_STRING_EQUAL(j.message ? j.message : "", c->message);
			} else {
				CU_ASSERT_PTR_NULL(j.message);
			}
			free(j.message);
		}
		if (!walked)
			fprintf(stderr, "\n  no facts for the rule '%s'\n", rule->name);
		CU_ASSERT_TRUE(walked > 0);
	}
	/* a case naming no row is a row removed or renamed */
	for (size_t i = 0; i < sizeof(row_cases) / sizeof(row_cases[0]); i++) {
		size_t r = 0;

		while (r < nc_verdict_n_rules && strcmp(nc_verdict_rules[r].name, row_cases[i].rule))
			r++;
		CU_ASSERT_TRUE(r < nc_verdict_n_rules);
	}
}

/* The result takes the judgement, and the expectation's pattern and reason. */
static void applied_to_the_result(void)
{
	struct nc_result r = { 0 };
	const struct nc_facts facts = {
		.expectation = &icmp, OBSERVED(icmp_observed),
		.rec = RECORDS(FAILURES(held, "c.c:1: elapsed_ms differs")),
	};

	nc_verdict_apply(&facts, &r);
	CU_ASSERT_EQUAL(r.raw, NC_RAW_FAILED);
	CU_ASSERT_EQUAL(r.verdict, NC_XFAIL);
	CU_ASSERT_FALSE(r.timed_out);
	CU_ASSERT_STRING_EQUAL(r.deviation, icmp.pattern);
	CU_ASSERT_STRING_EQUAL(r.reason, icmp.reason);
	CU_ASSERT_TRUE(r.message && strstr(r.message, "pinned deviation holds"));
	free(r.message);
	free(r.deviation);
	free(r.reason);
}

static void problem_verdicts(void)
{
	for (int v = 0; v < NC_N_VERDICTS; v++)
		CU_ASSERT_EQUAL(nc_verdict_is_problem(v),
				v == NC_FAIL || v == NC_ERROR || v == NC_XPASS);
}

/* --- the pins --- */

static const struct pin_row {
	const char *name;
	const struct nc_expectation *expectation;
	enum nc_raw raw;			/* how the check ran: the facts made of it */
	struct nc_assertion assertions[4];
	size_t n_assertions;
	const struct nc_kv *observed;
	enum nc_verdict verdict;
	const char *why;		/* the expectation's line, less "linux.txt:5: " */
} pin_rows[] = {
	{ "no expectation: the outcome", NULL, NC_RAW_FAILED, { FAILED("errno", "EPERM") }, 1, NULL,
	  NC_FAIL, "" },
	{ "no expectation, pass", NULL, NC_RAW_PASSED, { PASSED("errno", "EPERM") }, 1, NULL,
	  NC_PASS, "" },
	{ "every failure pinned, every pin holding: xfail", &icmp, NC_RAW_FAILED,
	  { PASSED("errno", "EHOSTUNREACH"), FAILED("elapsed_ms", "1015") }, 2, icmp_observed,
	  NC_XFAIL, "pinned deviation holds: errno = EHOSTUNREACH, syns = 2, elapsed_ms = 1015 "
	  "(900..1500)" },
	{ "a pinned value out of its range: fail", &icmp, NC_RAW_FAILED,
	  { PASSED("errno", "EHOSTUNREACH"), FAILED("elapsed_ms", "2000") }, 2, icmp_observed,
	  NC_FAIL, "pinned deviation changed: elapsed_ms 900..1500 \xe2\x86\x92 2000" },
	{ "an observed-only pin changed: fail", &icmp, NC_RAW_FAILED,
	  { PASSED("errno", "EHOSTUNREACH"), FAILED("elapsed_ms", "1015") }, 2, syns_3,
	  NC_FAIL, "pinned deviation changed: syns 2 \xe2\x86\x92 3" },
	{ "a pinned value not observed at all: fail", &icmp, NC_RAW_FAILED,
	  { PASSED("errno", "EHOSTUNREACH"), FAILED("elapsed_ms", "1015") }, 2, NULL,
	  NC_FAIL, "pinned deviation changed: syns 2 \xe2\x86\x92 (not observed)" },
	{ "a pinned key that passes with another value: fail", &icmp, NC_RAW_FAILED,
	  { PASSED("errno", "ETIMEDOUT"), FAILED("elapsed_ms", "1015") }, 2, icmp_observed,
	  NC_FAIL, "pinned deviation changed: errno EHOSTUNREACH \xe2\x86\x92 ETIMEDOUT "
	  "(its assertion passes)" },
	{ "a pinned key failing with another value: fail", &icmp, NC_RAW_FAILED,
	  { FAILED("errno", "ECONNREFUSED"), FAILED("elapsed_ms", "1015") }, 2, icmp_observed,
	  NC_FAIL, "pinned deviation changed: errno EHOSTUNREACH \xe2\x86\x92 ECONNREFUSED" },
	{ "the same key failing twice, once otherwise: fail", &icmp, NC_RAW_FAILED,
	  { PASSED("errno", "EHOSTUNREACH"), FAILED("elapsed_ms", "1015"),
	    FAILED("elapsed_ms", "40") }, 3, icmp_observed,
	  NC_FAIL, "pinned deviation changed: elapsed_ms 900..1500 \xe2\x86\x92 40" },
	{ "a failure it does not pin: fail", &icmp, NC_RAW_FAILED,
	  { PASSED("errno", "EHOSTUNREACH"), FAILED("elapsed_ms", "1015"),
	    FAILED("state", "CLOSED") }, 3, icmp_observed,
	  NC_FAIL, "a failure the deviation does not pin: state" },
	{ "a fatal failure without key: fail", &icmp, NC_RAW_FAILED,
	  { FAILED("elapsed_ms", "1015"), FATAL_FAILED("lookup = NULL") }, 2, icmp_observed,
	  NC_FAIL, "a failure the deviation does not pin: lookup = NULL" },
	{ "a failed setup step: error, never xfail", &icmp, NC_RAW_FAILED,
	  { FAILED("elapsed_ms", "1015"), SETUP_FAILED("nc_host_enter(c)") }, 2, icmp_observed,
	  NC_ERROR, "a setup step failed, so the pinned deviation could not show: "
	  "nc_host_enter(c)" },
	{ "the deviation gone, all passes: xpass", &icmp, NC_RAW_PASSED,
	  { PASSED("errno", "EHOSTUNREACH"), PASSED("elapsed_ms", "3000") }, 2, syns_3,
	  NC_XPASS, "" },
	{ "a skip stays a skip", &icmp, NC_RAW_SKIPPED, { { 0 } }, 0, NULL, NC_SKIP, "" },
	{ "an error stays an error", &icmp, NC_RAW_ERROR, { FAILED("elapsed_ms", "1015") }, 1,
	  icmp_observed, NC_ERROR, "" },
};

static void pins_keep_the_deviation(void)
{
	for (size_t i = 0; i < sizeof(pin_rows) / sizeof(pin_rows[0]); i++) {
		const struct pin_row *row = &pin_rows[i];
		const struct nc_records rec = {
			.done = row->raw == NC_RAW_PASSED, .done_assertions = 2, .asserted = 2,
			.skip = row->raw == NC_RAW_SKIPPED ? "skipped" : NULL,
			.error = row->raw == NC_RAW_ERROR ? "error" : NULL,
			.failures = row->raw == NC_RAW_FAILED ? "c.c:1: failures" : NULL,
			.assertions = (struct nc_assertion *)row->assertions,
			.n_assertions = row->n_assertions,
		};
		const struct nc_facts facts = {
			.rec = &rec, .observed = row->observed, .n_observed = row->observed ? 1 : 0,
			.expectation = row->expectation,
		};
		const char *lead = "linux.txt:5: ";
		struct nc_judgement j;
		const char *why;

		nc_verdict_decide(&facts, &j);
		why = j.message && strncmp(j.message, lead, strlen(lead)) == 0
		      ? j.message + strlen(lead) : "";
		if (j.verdict != row->verdict || strncmp(why, row->why, strlen(row->why)) != 0)
			fprintf(stderr, "\n  %s: got %s '%s', want %s '%s'\n", row->name,
				nc_verdict_name(j.verdict), why, nc_verdict_name(row->verdict),
				row->why);
		CU_ASSERT_EQUAL(j.verdict, row->verdict);
		CU_ASSERT_EQUAL(strcspn(why, "\n"), strlen(row->why));
		CU_ASSERT_NSTRING_EQUAL(why, row->why, strlen(row->why));
		free(j.message);
	}
}

NC_UNIT_SUITE(verdict,
	NC_UNIT_TEST(each_rule_decides_its_facts),
	NC_UNIT_TEST(applied_to_the_result),
	NC_UNIT_TEST(problem_verdicts),
	NC_UNIT_TEST(pins_keep_the_deviation));
