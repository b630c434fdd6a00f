/* The records of one test, into its result (records.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "records.h"
#include "results.h"

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
	nc_kv_describe(nc_kv_set(&result->expected, &result->n_expected, a->key, a->expected),
		       a->label, a->side);
	nc_kv_describe(nc_kv_set(&result->observed, &result->n_observed, a->key, a->observed),
		       a->label, a->side);
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
			nc_kv_describe(nc_kv_set(&result->observed, &result->n_observed, r.value.key,
						 r.value.value), r.value.label, r.value.side);
			break;
		case NC_RECORD_EXPECTED:
			nc_kv_describe(nc_kv_set(&result->expected, &result->n_expected, r.value.key,
						 r.value.value), r.value.label, r.value.side);
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
