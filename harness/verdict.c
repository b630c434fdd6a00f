/* The verdict: what a test did, judged against the expectation file, by
 * the first rule of one table that holds (verdict.h).  A known deviation
 * is xfail only as long as it stays what its line pins: the same
 * assertions failing with the same observed values. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "records.h"
#include "strnum.h"
#include "verdict.h"

/* A check that ran out of time while something waited for a CPU most of
 * that time (PSI's "some") tells no finding: the message names the load. */
#define OVERLOADED_SHARE 0.5

/* What the expectation's pins make of a failed test. */
enum pins {
	PINS_NONE,		/* no expectation, or nothing failed */
	PINS_SETUP_FAILED,	/* the deviation could not show */
	PINS_UNPINNED,		/* a failure the expectation does not pin */
	PINS_CHANGED,		/* a pinned value is another now */
	PINS_HOLD,		/* every failure pinned, every pin holding */
};

/* The facts, and what follows from them, as the rules read them. */
struct nc_judging {
	const struct nc_facts *f;
	const struct nc_records *rec;	/* f's, or empty */
	const char *overload;		/* the observed "overload" that matters */
	enum pins pins;
	char why[1024];			/* what the pins came to, in words */
};

/* --- the pins --- */

static const char *observed_value(const struct nc_facts *f, const char *key)
{
	for (size_t i = 0; i < f->n_observed; i++)
		if (strcmp(f->observed[i].key, key) == 0)
			return f->observed[i].value;
	return NULL;
}

/* A time judged with the scheduling delay taken out (lib/check/timing.h)
 * lies between its value and its value plus "sched_delay_ms": a range pin
 * of it holds when the two meet. */
static bool pin_holds(const struct nc_pin *pin, const char *value, const struct nc_facts *f)
{
	const char *delay_text = observed_value(f, "sched_delay_ms");
	size_t len = strlen(pin->key);
	long time, delay;

	if (nc_pin_matches(pin, value))
		return true;
	return pin->range && value && delay_text && len > 3 && strcmp(pin->key + len - 3, "_ms") == 0 &&
	       nc_parse_long(value, -1000000000L, 1000000000L, &time) == 0 &&
	       nc_parse_long(delay_text, 0, 1000000000L, &delay) == 0 &&
	       time <= pin->hi && time + delay >= pin->lo;
}

static const struct nc_pin *pin_of(const struct nc_expectation *e, const char *key)
{
	for (size_t i = 0; i < e->n_pins; i++)
		if (strcmp(e->pins[i].key, key) == 0)
			return &e->pins[i];
	return NULL;
}

/* The failed assertion of key, or else the last one that passed: what key
 * stands for now. */
static const struct nc_assertion *assertion_of(const struct nc_records *rec, const char *key)
{
	const struct nc_assertion *last = NULL;

	for (size_t i = 0; i < rec->n_assertions; i++) {
		const struct nc_assertion *a = &rec->assertions[i];

		if (a->role == NC_ASSERT_SETUP || strcmp(a->key, key) != 0)
			continue;
		if (!a->passed)
			return a;
		last = a;
	}
	return last;
}

static enum pins changed(struct nc_judging *j, const struct nc_pin *pin, const char *now,
			 const char *note)
{
	snprintf(j->why, sizeof(j->why), "pinned deviation changed: %s %s \xe2\x86\x92 %s%s",
		 pin->key, pin->value, now ? now : "(not observed)", note);
	return PINS_CHANGED;
}

/* "pinned deviation holds: errno = EHOSTUNREACH, elapsed_ms = 1015 (900..1500)" */
static enum pins held(struct nc_judging *j, const struct nc_expectation *e)
{
	size_t size = sizeof(j->why);
	size_t used = (size_t)snprintf(j->why, size, "pinned deviation holds:");

	for (size_t i = 0; i < e->n_pins && used < size; i++) {
		const struct nc_pin *pin = &e->pins[i];
		const struct nc_assertion *a = assertion_of(j->rec, pin->key);
		const char *now = a ? a->observed : observed_value(j->f, pin->key);

		used += (size_t)snprintf(j->why + used, size - used, "%s %s = %s", i ? "," : "",
					 pin->key, now ? now : "");
		if (pin->range && used < size)
			used += (size_t)snprintf(j->why + used, size - used, " (%s)", pin->value);
	}
	return PINS_HOLD;
}

/* What the pins of e make of the failed assertions of j. */
static enum pins pins_judge(struct nc_judging *j, const struct nc_expectation *e)
{
	const struct nc_records *rec = j->rec;

	for (size_t i = 0; i < rec->n_assertions; i++)
		if (!rec->assertions[i].passed && rec->assertions[i].role == NC_ASSERT_SETUP) {
			snprintf(j->why, sizeof(j->why), "a setup step failed, so the pinned "
				 "deviation could not show: %s", rec->assertions[i].key);
			return PINS_SETUP_FAILED;
		}
	for (size_t i = 0; i < rec->n_assertions; i++) {
		const struct nc_assertion *a = &rec->assertions[i];

		if (!a->passed && (!a->key[0] || !pin_of(e, a->key))) {
			snprintf(j->why, sizeof(j->why), "a failure the deviation does not pin: %s",
				 a->key[0] ? a->key : a->message);
			return PINS_UNPINNED;
		}
	}
	for (size_t i = 0; i < e->n_pins; i++) {
		const struct nc_pin *pin = &e->pins[i];
		const struct nc_assertion *a = assertion_of(rec, pin->key);

		if (a && !a->passed) {
			/* every failure of the key must still be the pinned one */
			for (size_t k = 0; k < rec->n_assertions; k++) {
				const struct nc_assertion *b = &rec->assertions[k];

				if (!b->passed && b->role != NC_ASSERT_SETUP &&
				    strcmp(b->key, pin->key) == 0 && !pin_holds(pin, b->observed, j->f))
					return changed(j, pin, b->observed, "");
			}
			continue;
		}
		if (a && !pin_holds(pin, a->observed, j->f))
			return changed(j, pin, a->observed, " (its assertion passes)");
		if (!a && !pin_holds(pin, observed_value(j->f, pin->key), j->f))
			return changed(j, pin, observed_value(j->f, pin->key), "");
	}
	return held(j, e);
}

/* --- the conditions --- */

static bool listed(const struct nc_judging *j) { return j->f->skip_file; }
static bool timed_out(const struct nc_judging *j) { return j->f->timed_out; }
static bool timed_out_loaded(const struct nc_judging *j)
{
	return j->f->timed_out && j->f->stalled_share >= OVERLOADED_SHARE;
}
static bool skipped(const struct nc_judging *j) { return j->rec->skip; }
static bool errored(const struct nc_judging *j) { return j->rec->error; }
static bool failed(const struct nc_judging *j) { return j->rec->failures; }
static bool setup_failed(const struct nc_judging *j) { return j->pins == PINS_SETUP_FAILED; }
static bool deviation_holds(const struct nc_judging *j) { return j->pins == PINS_HOLD; }
static bool failed_loaded(const struct nc_judging *j) { return j->rec->failures && j->overload; }
static bool unpinned(const struct nc_judging *j) { return j->pins == PINS_UNPINNED; }
static bool pin_changed(const struct nc_judging *j) { return j->pins == PINS_CHANGED; }
static bool miscounted(const struct nc_judging *j)
{
	return j->rec->done && j->rec->asserted != j->rec->done_assertions;
}
static bool asserted_nothing(const struct nc_judging *j)
{
	return j->rec->done && j->rec->asserted == 0;
}
static bool deviation_gone_loaded(const struct nc_judging *j)
{
	return j->rec->done && j->f->expectation && j->overload;
}
static bool deviation_gone(const struct nc_judging *j)
{
	return j->rec->done && j->f->expectation;
}
static bool done(const struct nc_judging *j) { return j->rec->done; }
static bool exited(const struct nc_judging *j) { return j->rec->exit; }
static bool killed(const struct nc_judging *j) { return j->f->killed; }
static bool always(const struct nc_judging *j) { (void)j; return true; }

/* --- what they say --- */

static const char *listed_text(const struct nc_judging *j, char *buf, size_t size)
{
	snprintf(buf, size, "skip file %s: %s", j->f->skip_file, j->f->skip_reason);
	return buf;
}

static const char *timed_out_text(const struct nc_judging *j, char *buf, size_t size)
{
	snprintf(buf, size, "timed out after %.0f s", j->f->deadline_s);
	return buf;
}

static const char *timed_out_loaded_text(const struct nc_judging *j, char *buf, size_t size)
{
	snprintf(buf, size, "timed out after %.0f s: too loaded to judge (tasks waited for a "
		 "CPU %.0f%% of that time, /proc/pressure/cpu)", j->f->deadline_s,
		 j->f->stalled_share * 100);
	return buf;
}

static const char *skip_text(const struct nc_judging *j, char *b, size_t s)
{
	(void)b, (void)s;
	return j->rec->skip;
}

static const char *error_text(const struct nc_judging *j, char *b, size_t s)
{
	(void)b, (void)s;
	return j->rec->error;
}

static const char *failures(const struct nc_judging *j, char *b, size_t s)
{
	(void)b, (void)s;
	return j->rec->failures;
}

static const char *miscount_text(const struct nc_judging *j, char *buf, size_t size)
{
	snprintf(buf, size, "%u assertions made, %u recorded", j->rec->done_assertions,
		 j->rec->asserted);
	return buf;
}

static const char *exit_text(const struct nc_judging *j, char *buf, size_t size)
{
	snprintf(buf, size, "ended without a result (%s)", j->rec->exit);
	return buf;
}

/* --- the table: the first row that holds decides --- */

const struct nc_verdict_rule nc_verdict_rules[] = {
	{ "listed in the skip file: not run", listed, NC_RAW_SKIPPED, NC_SKIP,
	  .says = listed_text },
	{ "timed out while tasks waited for a CPU most of the time", timed_out_loaded,
	  NC_RAW_ERROR, NC_ERROR, .says = timed_out_loaded_text, .output_tail = true },
	{ "timed out", timed_out, NC_RAW_ERROR, NC_ERROR, .says = timed_out_text,
	  .output_tail = true },
	{ "skipped: a capability is missing", skipped, NC_RAW_SKIPPED, NC_SKIP,
	  .says = skip_text },
	{ "could not run (an error record: a crash, a scenario not built)", errored,
	  NC_RAW_ERROR, NC_ERROR, .says = error_text, .output_tail = true },
	{ "a setup step failed under an expectation", setup_failed, NC_RAW_FAILED, NC_ERROR,
	  .pin_line = true, .says = failures, .output_tail = true },
	{ "failed as the expectation pins", deviation_holds, NC_RAW_FAILED, NC_XFAIL,
	  .pin_line = true, .says = failures, .output_tail = true },
	{ "failed, a timing bound undecided for the load", failed_loaded, NC_RAW_ERROR,
	  NC_ERROR, .overload = "fail", .pin_line = true, .says = failures,
	  .output_tail = true },
	{ "failed where the expectation pins nothing", unpinned, NC_RAW_FAILED, NC_FAIL,
	  .pin_line = true, .says = failures, .output_tail = true },
	{ "failed with a pinned value changed", pin_changed, NC_RAW_FAILED, NC_FAIL,
	  .pin_line = true, .says = failures, .output_tail = true },
	{ "failed", failed, NC_RAW_FAILED, NC_FAIL, .says = failures, .output_tail = true },
	{ "done, its count of assertions not the records'", miscounted, NC_RAW_ERROR, NC_ERROR,
	  .says = miscount_text, .output_tail = true },
	{ "done, having asserted nothing", asserted_nothing, NC_RAW_ERROR, NC_ERROR,
	  .text = "asserted nothing", .output_tail = true },
	{ "passed under an expectation, a timing bound undecided for the load",
	  deviation_gone_loaded, NC_RAW_ERROR, NC_ERROR, .overload = "xpass" },
	{ "passed under an expectation: the deviation is gone", deviation_gone,
	  NC_RAW_PASSED, NC_XPASS, .text = NULL },
	{ "passed", done, NC_RAW_PASSED, NC_PASS, .text = NULL },
	{ "ended without a result, as its exit record says", exited, NC_RAW_ERROR, NC_ERROR,
	  .says = exit_text, .output_tail = true },
	{ "ended without a result, its namespace killed", killed, NC_RAW_ERROR, NC_ERROR,
	  .text = "ended without a result (its namespace was killed)", .output_tail = true },
	{ "ended without a result, no records", always, NC_RAW_ERROR, NC_ERROR,
	  .text = "ended without a result (no records)", .output_tail = true },
};
const size_t nc_verdict_n_rules = sizeof(nc_verdict_rules) / sizeof(nc_verdict_rules[0]);

/* The "overload" a check observed (lib/check/timing.h), when it says one;
 * or the case it could not provoke on a machine this busy ("not_provoked":
 * the connect-6 checks' ICMP, which a late softirq delivers otherwise), which
 * no bound's "none that matters" undoes. */
static const char *overload_of(const struct nc_facts *f)
{
	const char *not_provoked = observed_value(f, "not_provoked");
	const char *overload = observed_value(f, "overload");

	if (not_provoked)
		return not_provoked;
	return overload && strncmp(overload, "none", 4) != 0 ? overload : NULL;
}

static char *message_of(const struct nc_verdict_rule *rule, const struct nc_judging *j)
{
	const struct nc_expectation *e = j->f->expectation;
	char *message = NULL, line[1200];
	const char *says;
	size_t len = 0;

	if (rule->overload) {
		snprintf(line, sizeof(line), "too loaded to judge (%s, not a finding): %s",
			 rule->overload, j->overload);
		nc_append_line(&message, &len, line);
	}
	if (rule->pin_line && e && j->why[0]) {
		snprintf(line, sizeof(line), "%s:%d: %s", e->path, e->line, j->why);
		nc_append_line(&message, &len, line);
	}
	says = rule->says ? rule->says(j, line, sizeof(line)) : rule->text;
	if (says)
		nc_append_line(&message, &len, says);
	if (rule->output_tail && j->rec->output) {
		nc_append_line(&message, &len, "output (tail):");
		nc_append_line(&message, &len, j->rec->output);
	}
	return message;
}

void nc_verdict_decide(const struct nc_facts *f, struct nc_judgement *out)
{
	static const struct nc_records no_records;
	struct nc_judging j = { .f = f, .rec = f->rec ? f->rec : &no_records };
	const struct nc_verdict_rule *rule = nc_verdict_rules;

	j.overload = overload_of(f);
	if (f->expectation && j.rec->failures)
		j.pins = pins_judge(&j, f->expectation);
	while (!rule->when(&j))
		rule++;
	out->rule = rule;
	out->raw = rule->raw;
	out->verdict = rule->verdict;
	out->message = message_of(rule, &j);
}

static char *copy(const char *s)
{
	char *c = strdup(s);

	if (!c)
		abort();
	return c;
}

void nc_verdict_apply(const struct nc_facts *f, struct nc_result *result)
{
	struct nc_judgement j;

	nc_verdict_decide(f, &j);
	result->raw = j.raw;
	result->verdict = j.verdict;
	result->timed_out = f->timed_out;
	free(result->message);
	result->message = j.message;
	if (f->expectation) {
		result->deviation = copy(f->expectation->pattern);
		result->reason = copy(f->expectation->reason);
	}
}
