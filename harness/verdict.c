/* The verdict: what a test did, judged against the expectation file.  A
 * known deviation is xfail only as long as it stays what its line pins:
 * the same assertions failing with the same observed values. */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "strnum.h"

static const char *observed_value(const struct nc_outcome *o, const char *key)
{
	for (size_t i = 0; i < o->n_observed; i++)
		if (strcmp(o->observed[i].key, key) == 0)
			return o->observed[i].value;
	return NULL;
}

/* A time judged with the scheduling delay taken out (lib/check/timing.h)
 * lies between its value and its value plus "sched_delay_ms": a range pin
 * of it holds when the two meet. */
static bool pin_holds(const struct nc_pin *pin, const char *value, const struct nc_outcome *o)
{
	const char *delay_text = observed_value(o, "sched_delay_ms");
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
static const struct nc_assertion *assertion_of(const struct nc_outcome *o, const char *key)
{
	const struct nc_assertion *last = NULL;

	for (size_t i = 0; i < o->n_assertions; i++) {
		const struct nc_assertion *a = &o->assertions[i];

		if (a->role == NC_ASSERT_SETUP || strcmp(a->key, key) != 0)
			continue;
		if (!a->passed)
			return a;
		last = a;
	}
	return last;
}

static enum nc_verdict changed(char *why, size_t size, const struct nc_pin *pin,
			       const char *now, const char *note)
{
	snprintf(why, size, "pinned deviation changed: %s %s \xe2\x86\x92 %s%s", pin->key,
		 pin->value, now ? now : "(not observed)", note);
	return NC_FAIL;
}

/* "pinned deviation holds: errno = EHOSTUNREACH, elapsed_ms = 1015 (900..1500)" */
static void held(const struct nc_expectation *e, const struct nc_outcome *o, char *why,
		 size_t size)
{
	size_t used = (size_t)snprintf(why, size, "pinned deviation holds:");

	for (size_t i = 0; i < e->n_pins && used < size; i++) {
		const struct nc_pin *pin = &e->pins[i];
		const struct nc_assertion *a = assertion_of(o, pin->key);
		const char *now = a ? a->observed : observed_value(o, pin->key);

		used += (size_t)snprintf(why + used, size - used, "%s %s = %s", i ? "," : "",
					 pin->key, now ? now : "");
		if (pin->range && used < size)
			used += (size_t)snprintf(why + used, size - used, " (%s)", pin->value);
	}
}

enum nc_verdict nc_verdict_judge(const struct nc_expectation *e, const struct nc_outcome *o,
				 char *why, size_t whysize)
{
	if (whysize)
		why[0] = '\0';
	if (!e || o->outcome == NC_SKIP || o->outcome == NC_ERROR)
		return o->outcome;
	if (o->outcome == NC_PASS)
		return NC_XPASS;	/* the deviation no longer shows */
	for (size_t i = 0; i < o->n_assertions; i++)
		if (!o->assertions[i].passed && o->assertions[i].role == NC_ASSERT_SETUP) {
			snprintf(why, whysize, "a setup step failed, so the pinned deviation "
				 "could not show: %s", o->assertions[i].key);
			return NC_ERROR;
		}
	for (size_t i = 0; i < o->n_assertions; i++) {
		const struct nc_assertion *a = &o->assertions[i];

		if (a->passed)
			continue;
		if (!a->key[0] || !pin_of(e, a->key)) {
			snprintf(why, whysize, "a failure the deviation does not pin: %s",
				 a->key[0] ? a->key : a->message);
			return NC_FAIL;
		}
	}
	for (size_t i = 0; i < e->n_pins; i++) {
		const struct nc_pin *pin = &e->pins[i];
		const struct nc_assertion *a = assertion_of(o, pin->key);

		if (a && !a->passed) {
			/* every failure of the key must still be the pinned one */
			for (size_t k = 0; k < o->n_assertions; k++) {
				const struct nc_assertion *b = &o->assertions[k];

				if (!b->passed && b->role != NC_ASSERT_SETUP &&
				    strcmp(b->key, pin->key) == 0 &&
				    !pin_holds(pin, b->observed, o))
					return changed(why, whysize, pin, b->observed, "");
			}
			continue;
		}
		if (a && !pin_holds(pin, a->observed, o))
			return changed(why, whysize, pin, a->observed,
				       " (its assertion passes)");
		if (!a && !pin_holds(pin, observed_value(o, pin->key), o))
			return changed(why, whysize, pin, observed_value(o, pin->key), "");
	}
	held(e, o, why, whysize);
	return NC_XFAIL;
}
