/* The check layer needs nothing but libc: this program is linked with
 * libnc-check.a and libnc-base.a alone (no CUnit, no libnl; see the
 * Makefile), and with musl-gcc -static when musl-gcc is there
 * (tests/t_libc_check.sh).  It runs one check whose assertions pass, fail
 * and end it, reads back the records it wrote, and verifies each one
 * through the same module's parser.  Exit 0 when all is as expected. */
#include <errno.h>
#include <netdb.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static unsigned reported;

static void count(const struct nc_assertion *a)
{
	(void)a;
	reported++;
}

static int add_address(void)
{
	return nc_error(-EEXIST, "address %s on %s", "198.18.0.1/24", "c");
}

static void asserts(const struct nc_case_ctx *ctx)
{
	(void)ctx;
	NC_EXPECT_INT("answer", 41, 42);
	NC_EXPECT_STATE(NC_STATE(client), TCP_ESTABLISHED, TCP_ESTABLISHED);
	NC_EXPECT_EAI("eai", EAI_AGAIN, EAI_NONAME);
	NC_EXPECT_STR("name", "tab\there", "tab\there");
	NC_EXPECT_ERRNO(close(-1), EBADF, NULL);
	NC_EXPECT_MIN("elapsed_ms", 5, 10);
	nc_observe("lines", "one\ntwo\\");
	NC_ASSERT_OK(add_address());
	NC_EXPECT_INT(NC_KEY(never_reached, "never reached"), 0, 1);
}

static const struct table_row {
	const char *name;
	int value;
} rows[] = { { "only", 1 } };

NC_CHECK(libc, records) = {
	.summary = "assertions that pass, fail and end the check",
	.clauses = NC_CLAUSES("socket-1"),
	NC_CASES(rows),
	.run = asserts,
};

static const struct want {
	enum nc_record_kind kind;
	const char *key;
	bool passed;
	enum nc_assert_role role;
	const char *expected, *observed;
	const char *message;	/* a part of it */
} wants[] = {
	{ NC_RECORD_ASSERT, "answer", false, NC_ASSERT_EXPECT, "42", "41",
	  "answer = 41, expected 42" },
	{ NC_RECORD_ASSERT, "state.client", true, NC_ASSERT_EXPECT, "ESTABLISHED",
	  "ESTABLISHED", "" },
	{ NC_RECORD_ASSERT, "eai", false, NC_ASSERT_EXPECT, "EAI_NONAME", "EAI_AGAIN",
	  "eai = EAI_AGAIN, expected EAI_NONAME" },
	{ NC_RECORD_ASSERT, "name", true, NC_ASSERT_EXPECT, "tab\there", "tab\there", "" },
	{ NC_RECORD_ASSERT, "errno", true, NC_ASSERT_EXPECT, "EBADF", "EBADF", "" },
	{ NC_RECORD_ASSERT, "elapsed_ms", false, NC_ASSERT_EXPECT, ">= 10", "5",
	  "elapsed_ms = 5, expected >= 10" },
	{ NC_RECORD_OBSERVED, "lines", false, 0, NULL, "one\ntwo\\", NULL },
	{ NC_RECORD_ASSERT, "add_address", false, NC_ASSERT_SETUP, ">= 0", "-EEXIST",
	  "add_address() = -EEXIST: address 198.18.0.1/24 on c: File exists" },
	{ NC_RECORD_DONE, NULL, false, 0, NULL, NULL, NULL },
	{ NC_RECORD_PACKET, NULL, false, 0, NULL, NULL, NULL },
};

static int failures;

static void verify(bool ok, size_t i, const char *what)
{
	if (!ok) {
		fprintf(stderr, "FAILED: record %zu: %s\n", i + 1, what);
		failures++;
	}
}

static void verify_record(size_t i, const struct nc_record *r)
{
	const struct want *w = &wants[i];
	const struct nc_assertion *a = &r->assertion;

	verify(r->kind == w->kind, i, "kind");
	if (r->kind != w->kind)
		return;
	switch (r->kind) {
	case NC_RECORD_ASSERT:
		verify(strcmp(a->key, w->key) == 0, i, a->key);
		verify(a->passed == w->passed && a->role == w->role, i, "pass/fail, role");
		verify(strcmp(a->expected, w->expected) == 0, i, a->expected);
		verify(strcmp(a->observed, w->observed) == 0, i, a->observed);
		verify(strstr(a->message, w->message) != NULL, i, a->message);
		verify(strstr(a->file, "libc_check.c") && a->line > 0, i, "file:line");
		/* a state names its end as a field, beside its id and label */
		if (strcmp(w->key, "state.client") == 0)
			verify(strcmp(a->label, "state(client)") == 0 &&
			       strcmp(a->side, "client") == 0, i, "label and side");
		break;
	case NC_RECORD_OBSERVED:
		verify(strcmp(r->value.key, w->key) == 0, i, r->value.key);
		verify(strcmp(r->value.value, w->observed) == 0, i, "escaped value");
		break;
	case NC_RECORD_DONE:
		verify(r->assertions == 6, i, "6 assertions counted, setup steps not");
		break;
	case NC_RECORD_PACKET:
		verify(r->packet.to_server && r->packet.seq == 4294967295ul &&
		       strcmp(r->packet.flags, "SYN,ACK") == 0 && r->packet.dropped == NULL,
		       i, "packet fields");
		break;
	default:
		break;
	}
}

int main(void)
{
	const struct nc_check_entry *entry = __start_nc_checks;
	FILE *records = tmpfile();
	char text[65536], *cursor = text, *line;
	size_t n, i = 0;

	if (!records || __stop_nc_checks - __start_nc_checks != 1 ||
	    strcmp(entry->id, "libc.records") != 0) {
		fprintf(stderr, "FAILED: no tmpfile, or NC_CHECK's section holds no libc.records\n");
		return 1;
	}
	nc_record_open(fileno(records));
	nc_check_set_reporter(count);
	nc_check_run(&(struct nc_case_ctx){ .check = entry->check, .id = entry->id,
					    .data = entry->check->cases });
	nc_check_done();
	nc_record_emit(&(struct nc_record){ .kind = NC_RECORD_PACKET, .packet = {
		.to_server = true, .src = "198.18.0.1:40000", .dst = "198.18.0.2:9",
		.flags = "SYN,ACK", .seq = 4294967295ul, .seen = "c,s" } });
	rewind(records);
	n = fread(text, 1, sizeof(text) - 1, records);
	text[n] = '\0';
	while ((line = strsep(&cursor, "\n")) != NULL && *line) {
		struct nc_record r;

		if (i == sizeof(wants) / sizeof(wants[0])) {
			verify(false, i, "one record too many");
			break;
		}
		verify(nc_record_parse(line, &r) == 0, i, "parses");
		verify_record(i++, &r);
	}
	verify(i == sizeof(wants) / sizeof(wants[0]), i, "records missing");
	verify(reported == 7, i, "the reporter saw every assertion");
	if (failures)
		return 1;
	printf("libc_check: %zu records written and read back\n", i);
	return 0;
}
