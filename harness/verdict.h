/* The verdict of one test, from the facts the runner collected: one ordered
 * table of rules (verdict.c), the first whose condition holds decides.
 * A rule gives the raw result (what the test did, before any expectation)
 * and the verdict (after the expectation file), and says why.
 *
 * A check stopped by SIGINT or SIGTERM gets no verdict: it counts as not
 * run (runner.c), and the run ends 128 + the signal (main.c). */
#ifndef NC_VERDICT_H
#define NC_VERDICT_H

#include <stdbool.h>
#include <stddef.h>

#include "results.h"

struct nc_expectation;
struct nc_records;

/* Everything a test's verdict is made of. */
struct nc_facts {
	const char *skip_file;		/* the skip file listing the test: not run */
	const char *skip_reason;	/* its line's reason */
	bool timed_out;			/* killed at its deadline */
	double deadline_s;		/* that deadline, the check's own time */
	double stalled_share;		/* of its time, the share some task waited
					 * for a CPU (/proc/pressure/cpu) */
	bool killed;			/* its pid 1 ended by a signal */
	const struct nc_records *rec;	/* what its records said; NULL: none */
	const struct nc_kv *observed;	/* every value, asserted or observed */
	size_t n_observed;
	const struct nc_expectation *expectation;	/* NULL: none */
};

struct nc_judging;

/* One row of the table.  The message of its verdict is, a line or more
 * each: the overload's line (.overload), the expectation's line saying why
 * it is or is not xfail (.pin_line), what it .says (or its .text), and the
 * tail of what the check printed (.output_tail). */
struct nc_verdict_rule {
	const char *name;		/* the condition, in words */
	bool (*when)(const struct nc_judging *j);
	enum nc_raw raw;
	enum nc_verdict verdict;
	/* a timing bound undecided for the load (lib/check/timing.h): the
	 * verdict it would have been ("fail", "xpass") leads the message */
	const char *overload;
	bool pin_line;
	/* the facts' own words (a record's text), or words made in buf */
	const char *(*says)(const struct nc_judging *j, char *buf, size_t size);
	const char *text;		/* what it says, when always the same */
	bool output_tail;
};

extern const struct nc_verdict_rule nc_verdict_rules[];
extern const size_t nc_verdict_n_rules;

struct nc_judgement {
	const struct nc_verdict_rule *rule;	/* the row that decided */
	enum nc_raw raw;
	enum nc_verdict verdict;
	char *message;			/* "\n"-separated lines; NULL: none */
};

/* The first rule of the table that holds for f (the last holds always). */
void nc_verdict_decide(const struct nc_facts *f, struct nc_judgement *out);

/* f judged into result: its raw result, verdict and message, and the
 * expectation's pattern and reason when there is one. */
void nc_verdict_apply(const struct nc_facts *f, struct nc_result *result);


#endif
