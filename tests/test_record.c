/* The record protocol (lib/check/record.h): a record goes out and comes
 * back the same, escapes and all; a torn or foreign line is refused. */
#include <errno.h>
#include <string.h>

#include "record.h"
#include "unit.h"

static void assertion_round_trips(void)
{
	const struct nc_assertion sent = {
		.passed = false, .role = NC_ASSERT_FATAL, .key = "state.client",
		.expected = "ESTABLISHED", .observed = "SYN_SENT", .file = "suite/x.c",
		.line = 42, .message = "two\tfields\nand a \\ backslash",
		.label = "state(client, after\tclose)", .side = "client",
	};
	struct nc_record got;
	char line[1024];
	size_t n = nc_record_format(&(struct nc_record){ .kind = NC_RECORD_ASSERT,
							 .assertion = sent }, line, sizeof(line));

	CU_ASSERT_EQUAL_FATAL(line[n - 1], '\n');
	CU_ASSERT_PTR_NULL(memchr(line, '\n', n - 1));	/* one line, whatever the message */
	line[n - 1] = '\0';
	CU_ASSERT_EQUAL_FATAL(nc_record_parse(line, &got), 0);
	CU_ASSERT_EQUAL(got.kind, NC_RECORD_ASSERT);
	CU_ASSERT_FALSE(got.assertion.passed);
	CU_ASSERT_EQUAL(got.assertion.role, NC_ASSERT_FATAL);
	CU_ASSERT_STRING_EQUAL(got.assertion.key, sent.key);
	CU_ASSERT_STRING_EQUAL(got.assertion.label, sent.label);
	CU_ASSERT_STRING_EQUAL(got.assertion.side, sent.side);
	CU_ASSERT_STRING_EQUAL(got.assertion.expected, sent.expected);
	CU_ASSERT_STRING_EQUAL(got.assertion.observed, sent.observed);
	CU_ASSERT_EQUAL(got.assertion.line, 42);
	CU_ASSERT_STRING_EQUAL(got.assertion.message, sent.message);
}

static void long_fields_are_cut_whole(void)
{
	char value[600], line[256];
	struct nc_record got;
	size_t n;

	memset(value, '\t', sizeof(value) - 1);	/* every byte needs an escape */
	value[sizeof(value) - 1] = '\0';
	n = nc_record_format(&(struct nc_record){ .kind = NC_RECORD_OBSERVED,
						  .value = { .key = "key", .value = value } },
			     line, sizeof(line));
	CU_ASSERT_TRUE_FATAL(n > 0 && n < sizeof(line));
	line[n - 1] = '\0';
	CU_ASSERT_EQUAL_FATAL(nc_record_parse(line, &got), 0);
	CU_ASSERT_STRING_EQUAL(got.value.key, "key");
	CU_ASSERT_STRING_EQUAL(got.value.label, "key");	/* a label is written even when the id */
	CU_ASSERT_STRING_EQUAL(got.value.side, "");
	CU_ASSERT_EQUAL(strspn(got.value.value, "\t"), strlen(got.value.value));
}

static void bad_lines_are_refused(void)
{
	static const char *const bad[] = {
		"",
		"observed\tonly-a-key",
		"observed\tk\tl\t\tv\textra",
		"observed\tk\tv",				/* before labels */
		"failure\t\tthe old kind",
		"assert\tfail\texpect\tk\te\to\tf.c\t1\tm",	/* before labels */
		"assert\tmaybe\texpect\tk\tl\t\te\to\tf.c\t1\tm",
		"assert\tfail\tsevere\tk\tl\t\te\to\tf.c\t1\tm",
		"assert\tfail\texpect\tk\tl\t\te\to\tf.c\tone\tm",
		"packet\t0\t>\t10\ta\tb\tSYN\t0\t0\t0\tc",	/* torn: no dropped */
		"packet\t0\t^\t10\ta\tb\tSYN\t0\t0\t0\tc\t-",
		"done\t-1",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char line[128];
		struct nc_record got;

		strcpy(line, bad[i]);
		CU_ASSERT_EQUAL(nc_record_parse(line, &got), -EINVAL);
	}
}

static void packet_dropped_none_is_null(void)
{
	char line[] = "packet\t1\t<\t1042\t198.18.0.2:9\t198.18.0.1:40012\tRST,ACK\t0\t1\t0\tc,s\t-";
	char lost[] = "packet\t0\t>\t7\t198.18.0.1:40012\t198.18.0.2:9\tSYN\t0\t0\t0\ts\ts:fault-1";
	struct nc_record got;

	CU_ASSERT_EQUAL_FATAL(nc_record_parse(line, &got), 0);
	CU_ASSERT_FALSE(got.packet.to_server);
	CU_ASSERT_EQUAL(got.packet.t_us, 1042);
	CU_ASSERT_PTR_NULL(got.packet.dropped);
	CU_ASSERT_EQUAL_FATAL(nc_record_parse(lost, &got), 0);
	CU_ASSERT_STRING_EQUAL(got.packet.dropped, "s:fault-1");
}

NC_UNIT_SUITE(record,
	NC_UNIT_TEST(assertion_round_trips),
	NC_UNIT_TEST(long_fields_are_cut_whole),
	NC_UNIT_TEST(bad_lines_are_refused),
	NC_UNIT_TEST(packet_dropped_none_is_null));
