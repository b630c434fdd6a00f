/* The record protocol (record.h): formatting, parsing, and the check
 * side's descriptor. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "record.h"
#include "state.h"
#include "strnum.h"

#define MAX_FIELDS 11

static const struct {
	const char *name;
	int n_fields;
} kinds[NC_RECORD_N_KINDS] = {
	[NC_RECORD_OBSERVED] = { "observed", 4 },
	[NC_RECORD_EXPECTED] = { "expected", 4 },
	[NC_RECORD_ASSERT] = { "assert", 10 },
	[NC_RECORD_SKIP] = { "skip", 1 },
	[NC_RECORD_ERROR] = { "error", 1 },
	[NC_RECORD_PACKET] = { "packet", 11 },
	[NC_RECORD_OUTPUT] = { "output", 1 },
	[NC_RECORD_EXIT] = { "exit", 1 },
	[NC_RECORD_DONE] = { "done", 1 },
};

static const char *const roles[] = {
	[NC_ASSERT_EXPECT] = "expect",
	[NC_ASSERT_FATAL] = "fatal",
	[NC_ASSERT_SETUP] = "setup",
};

/* Appends in, escaped, to out[*n], leaving `keep` bytes of size unused. */
static void put_escaped(char *out, size_t *n, size_t size, size_t keep, const char *in)
{
	for (; in && *in; in++) {
		const char *escape = *in == '\t' ? "\\t" : *in == '\n' ? "\\n" :
				     *in == '\\' ? "\\\\" : NULL;
		size_t len = escape ? 2 : 1;

		if (*n + len + keep > size)
			return;
		memcpy(out + *n, escape ? escape : in, len);
		*n += len;
	}
}

/* A label is written even when it is the id, so a reader needs no rule. */
static const char *label_of(const char *id, const char *label)
{
	return label && *label ? label : id;
}

size_t nc_record_format(const struct nc_record *r, char *buf, size_t size)
{
	char numbers[6][24];
	const char *fields[MAX_FIELDS] = { 0 };
	const struct nc_record_packet *p = &r->packet;
	const struct nc_assertion *a = &r->assertion;
	int n_fields;
	size_t n = 0;

	if ((unsigned)r->kind >= NC_RECORD_N_KINDS || size < 64)
		return 0;
	n_fields = kinds[r->kind].n_fields;
	switch (r->kind) {
	case NC_RECORD_OBSERVED:
	case NC_RECORD_EXPECTED:
		fields[0] = r->value.key;
		fields[1] = label_of(r->value.key, r->value.label);
		fields[2] = r->value.side;
		fields[3] = r->value.value;
		break;
	case NC_RECORD_ASSERT:
		snprintf(numbers[0], sizeof(numbers[0]), "%d", a->line);
		fields[0] = a->passed ? "pass" : "fail";
		fields[1] = (unsigned)a->role < 3 ? roles[a->role] : "expect";
		fields[2] = a->key;
		fields[3] = label_of(a->key, a->label);
		fields[4] = a->side;
		fields[5] = a->expected;
		fields[6] = a->observed;
		fields[7] = a->file;
		fields[8] = numbers[0];
		fields[9] = a->message;
		break;
	case NC_RECORD_PACKET:
		snprintf(numbers[0], sizeof(numbers[0]), "%u", p->conn);
		snprintf(numbers[1], sizeof(numbers[1]), "%lld", p->t_us < 0 ? 0 : p->t_us);
		snprintf(numbers[2], sizeof(numbers[2]), "%lu", p->seq);
		snprintf(numbers[3], sizeof(numbers[3]), "%lu", p->ack);
		snprintf(numbers[4], sizeof(numbers[4]), "%u", p->len);
		fields[0] = numbers[0];
		fields[1] = p->to_server ? ">" : "<";
		fields[2] = numbers[1];
		fields[3] = p->src;
		fields[4] = p->dst;
		fields[5] = p->flags;
		fields[6] = numbers[2];
		fields[7] = numbers[3];
		fields[8] = numbers[4];
		fields[9] = p->seen;
		fields[10] = p->dropped ? p->dropped : "-";
		break;
	case NC_RECORD_DONE:
		snprintf(numbers[0], sizeof(numbers[0]), "%u", r->assertions);
		fields[0] = numbers[0];
		break;
	default:
		fields[0] = r->text;
	}
	/* room kept for the separators still to come, the '\n' and a NUL */
	put_escaped(buf, &n, size, (size_t)n_fields + 2, kinds[r->kind].name);
	for (int i = 0; i < n_fields; i++) {
		buf[n++] = '\t';
		put_escaped(buf, &n, size, (size_t)(n_fields - i) + 1, fields[i]);
	}
	buf[n++] = '\n';
	buf[n] = '\0';
	return n;
}

static void unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			*out++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

static int number(const char *text, unsigned long max, unsigned long *out)
{
	return nc_parse_ulong(text, 0, max, out);
}

static int parse_assertion(char **f, struct nc_assertion *a)
{
	unsigned long line;
	int role = -1;

	for (int i = 0; i < 3; i++)
		if (strcmp(f[1], roles[i]) == 0)
			role = i;
	if ((strcmp(f[0], "pass") != 0 && strcmp(f[0], "fail") != 0) || role < 0 ||
	    number(f[8], INT_MAX, &line) < 0)
		return -EINVAL;
	a->passed = f[0][0] == 'p';
	a->role = (enum nc_assert_role)role;
	a->key = f[2];
	a->label = f[3];
	a->side = f[4];
	a->expected = f[5];
	a->observed = f[6];
	a->file = f[7];
	a->line = (int)line;
	a->message = f[9];
	return 0;
}

static int parse_packet(char **f, struct nc_record_packet *p)
{
	unsigned long conn, seq, ack, len;
	long t_us;

	if (number(f[0], UINT_MAX, &conn) < 0 || (strcmp(f[1], ">") != 0 && strcmp(f[1], "<") != 0) ||
	    nc_parse_long(f[2], 0, LONG_MAX, &t_us) < 0 || number(f[6], ULONG_MAX, &seq) < 0 ||
	    number(f[7], ULONG_MAX, &ack) < 0 || number(f[8], UINT_MAX, &len) < 0)
		return -EINVAL;
	*p = (struct nc_record_packet){
		.conn = (unsigned)conn, .to_server = f[1][0] == '>', .t_us = t_us,
		.src = f[3], .dst = f[4], .flags = f[5], .seq = seq, .ack = ack,
		.len = (unsigned)len, .seen = f[9],
		.dropped = strcmp(f[10], "-") != 0 ? f[10] : NULL,
	};
	return 0;
}

int nc_record_parse(char *line, struct nc_record *out)
{
	char *fields[MAX_FIELDS + 1], *kind = strsep(&line, "\t");
	unsigned long count;
	int n = 0, k;

	for (k = 0; k < NC_RECORD_N_KINDS; k++)
		if (strcmp(kind, kinds[k].name) == 0)
			break;
	if (k == NC_RECORD_N_KINDS)
		return -EINVAL;
	while (line && n <= MAX_FIELDS)
		fields[n++] = strsep(&line, "\t");
	if (n != kinds[k].n_fields)
		return -EINVAL;	/* a torn last line of a killed check, or garbage */
	for (int i = 0; i < n; i++)
		unescape(fields[i]);
	memset(out, 0, sizeof(*out));
	out->kind = (enum nc_record_kind)k;
	switch (out->kind) {
	case NC_RECORD_OBSERVED:
	case NC_RECORD_EXPECTED:
		out->value.key = fields[0];
		out->value.label = fields[1];
		out->value.side = fields[2];
		out->value.value = fields[3];
		return 0;
	case NC_RECORD_ASSERT:
		return parse_assertion(fields, &out->assertion);
	case NC_RECORD_PACKET:
		return parse_packet(fields, &out->packet);
	case NC_RECORD_DONE:
		if (number(fields[0], UINT_MAX, &count) < 0)
			return -EINVAL;
		out->assertions = (unsigned)count;
		return 0;
	default:
		out->text = fields[0];
		return 0;
	}
}

/* --- the check side --- */

void nc_record_open(int fd)
{
	nc_check_state.record_fd = fd;
}

int nc_record_emit(const struct nc_record *record)
{
	char line[16384];
	size_t n;

	if (nc_check_state.record_fd < 0)
		return 0;
	n = nc_record_format(record, line, sizeof(line));
	if (write(nc_check_state.record_fd, line, n) != (ssize_t)n)
		return -EIO;	/* the runner reports the check as lost */
	return 0;
}

int nc_record_text(enum nc_record_kind kind, const char *text)
{
	return nc_record_emit(&(struct nc_record){ .kind = kind, .text = text });
}
