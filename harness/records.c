/* The records of one test, into its result (records.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "records.h"

/* key is the value's id, label and side as struct nc_kv has them. */
static void set_kv(struct nc_kv **list, size_t *n, const char *key, const char *value,
		   const char *label, const char *side)
{
	size_t i;

	for (i = 0; i < *n && strcmp((*list)[i].key, key) != 0; i++)
		;
	if (i < *n)
		nc_kv_set(list, n, key, value);	/* the last one observed counts */
	else
		nc_kv_add(list, n, key, value);
	nc_kv_describe(&(*list)[i], label, side);
}

void nc_append_line(char **text, size_t *len, const char *line)
{
	size_t add = strlen(line);
	char *grown = realloc(*text, *len + add + 2);

	if (!grown)
		abort();
	if (*len)
		grown[(*len)++] = '\n';
	memcpy(grown + *len, line, add + 1);
	*len += add;
	*text = grown;
}

static void first_text(char **slot, const char *text)
{
	if (!*slot && !(*slot = strdup(text)))
		abort();
}

static void packet_add(struct nc_result *result, const struct nc_record_packet *p)
{
	struct nc_packet packet = {
		.conn = p->conn, .to_server = p->to_server, .t_us = p->t_us,
		.src = (char *)p->src, .dst = (char *)p->dst, .flags = (char *)p->flags,
		.seq = p->seq, .ack = p->ack, .len = p->len, .seen = (char *)p->seen,
		.dropped = (char *)p->dropped,
	};

	nc_result_add_packet(result, &packet);
}

static const char *role_name(enum nc_assert_role role)
{
	return role == NC_ASSERT_SETUP ? "setup" : role == NC_ASSERT_FATAL ? "fatal" : "expect";
}

/* An assertion's values go to the reports beside the explicit ones; a
 * failed one's stay, whatever passes under the same key later. */
static void assertion_add(struct nc_records *rec, struct nc_result *result,
			  const struct nc_assertion *a)
{
	char line[4096];
	size_t i;

	rec->assertions = reallocarray(rec->assertions, rec->n_assertions + 1,
				       sizeof(*rec->assertions));
	if (!rec->assertions)
		abort();
	rec->assertions[rec->n_assertions++] = *a;
	nc_result_add_assert(result, &(struct nc_assert_row){
		.key = (char *)a->key, .label = (char *)a->label, .side = (char *)a->side,
		.expected = (char *)a->expected,
		.observed = (char *)a->observed, .passed = a->passed,
		.role = (char *)role_name(a->role), .file = (char *)a->file,
		.line = a->line, .message = (char *)a->message,
	});
	if (a->role != NC_ASSERT_SETUP)
		rec->asserted++;
	if (!a->passed) {
		snprintf(line, sizeof(line), "%s:%d: %s", a->file, a->line, a->message);
		nc_append_line(&rec->failures, &rec->failures_len, line);
	}
	if (!a->key[0] || a->role == NC_ASSERT_SETUP)
		return;
	for (i = 0; i < rec->n_assertions - 1; i++)
		if (!rec->assertions[i].passed && strcmp(rec->assertions[i].key, a->key) == 0)
			return;
	set_kv(&result->expected, &result->n_expected, a->key, a->expected, a->label, a->side);
	set_kv(&result->observed, &result->n_observed, a->key, a->observed, a->label, a->side);
}

void nc_records_parse(char *text, struct nc_records *rec, struct nc_result *result)
{
	struct nc_record r;
	char *line;

	while ((line = strsep(&text, "\n")) != NULL) {
		if (nc_record_parse(line, &r) < 0)
			continue;	/* a torn last line of a killed check */
		switch (r.kind) {
		case NC_RECORD_OBSERVED:
			set_kv(&result->observed, &result->n_observed, r.value.key, r.value.value,
			       r.value.label, r.value.side);
			break;
		case NC_RECORD_EXPECTED:
			set_kv(&result->expected, &result->n_expected, r.value.key, r.value.value,
			       r.value.label, r.value.side);
			break;
		case NC_RECORD_ASSERT:
			assertion_add(rec, result, &r.assertion);
			break;
		case NC_RECORD_SKIP:
			first_text(&rec->skip, r.text);
			break;
		case NC_RECORD_ERROR:
			first_text(&rec->error, r.text);
			break;
		case NC_RECORD_EXIT:
			first_text(&rec->exit, r.text);
			break;
		case NC_RECORD_OUTPUT:
			first_text(&rec->output, r.text);
			break;
		case NC_RECORD_PACKET:
			packet_add(result, &r.packet);
			break;
		case NC_RECORD_DONE:
			rec->done = true;
			rec->done_assertions = r.assertions;
			break;
		default:
			break;
		}
	}
}

void nc_records_free(struct nc_records *rec)
{
	free(rec->skip);
	free(rec->error);
	free(rec->exit);
	free(rec->output);
	free(rec->failures);
	free(rec->assertions);
}

/* line first in *message ("\n"-separated). */
static void prepend_line(char **message, const char *line)
{
	char *rest = *message;
	size_t len = 0;

	*message = NULL;
	nc_append_line(message, &len, line);
	if (rest)
		nc_append_line(message, &len, rest);
	free(rest);
}

/* A timing bound the check could not decide for the load (lib/check/
 * timing.h): a failure or an xpass of that check is no finding about the
 * system, it is an error naming the overload; a pass, an xfail that holds
 * and a skip stand. */
static void judge_overload(struct nc_result *result)
{
	const char *overload = NULL;
	char line[1024];

	for (size_t i = 0; i < result->n_observed && !overload; i++)
		if (strcmp(result->observed[i].key, "overload") == 0)
			overload = result->observed[i].value;
	if (!overload || strncmp(overload, "none", 4) == 0 ||
	    (result->verdict != NC_FAIL && result->verdict != NC_XPASS))
		return;
	snprintf(line, sizeof(line), "too loaded to judge (%s, not a finding): %s",
		 nc_verdict_name(result->verdict), overload);
	prepend_line(&result->message, line);
	result->verdict = NC_ERROR;
	result->outcome = NC_ERROR;
}

/* e's reason and pattern go with the result, and the line saying why it
 * is not xfail, led by e's file:line, leads its message. */
static void name_expectation(const struct nc_expectation *e, const char *why,
			     struct nc_result *result)
{
	char line[1200];

	result->deviation = strdup(e->pattern);
	result->reason = strdup(e->reason);
	if (!result->deviation || !result->reason)
		abort();
	if (why[0]) {
		snprintf(line, sizeof(line), "%s:%d: %s", e->path, e->line, why);
		prepend_line(&result->message, line);
	}
}

void nc_records_judge(const struct nc_records *rec, const struct nc_expectation *e,
		      struct nc_result *result)
{
	const struct nc_outcome outcome = {
		.outcome = result->outcome,
		.assertions = rec->assertions, .n_assertions = rec->n_assertions,
		.observed = result->observed, .n_observed = result->n_observed,
	};
	char why[1024];

	result->verdict = nc_verdict_judge(e, &outcome, why, sizeof(why));
	if (e)
		name_expectation(e, why, result);
	judge_overload(result);
}
