/* The expectation file parser: one pinned deviation a line. */
#include <gnu/libc-version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "expect.h"
#include "expect_parse.h"
#include "libc.h"
#include "unit.h"

static void good_file_parses(void)
{
	struct nc_expectations exp;
	const struct nc_expectation *e;
	char err[256] = "", pins[256];
	const char *text =
		"# known deviations\n"
		"\n"
		"listen.default_backlog  xfail  net.core.somaxconn=4096  somaxconn is 4096, not 128   \n"
		"accept.addrlen_*\txfail\taddrlen=16 a_key=\"-1 E#X \\\"q\\\"\" t=900..1500\t"
		"Linux returns the full length  # why\n";

	CU_ASSERT_EQUAL_FATAL(nc_expectations_parse("x.txt", text, &exp, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(exp.n_items, 2);
	e = nc_expectations_find(&exp, "listen.default_backlog");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_STRING_EQUAL(e->reason, "somaxconn is 4096, not 128");
	CU_ASSERT_EQUAL(e->n_pins, 1);
	CU_ASSERT_STRING_EQUAL(e->pins[0].key, "net.core.somaxconn");
	CU_ASSERT_STRING_EQUAL(e->pins[0].value, "4096");
	CU_ASSERT_FALSE(e->pins[0].range);
	e = nc_expectations_find(&exp, "accept.addrlen_short.ipv4");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_STRING_EQUAL(e->reason, "Linux returns the full length");
	CU_ASSERT_EQUAL_FATAL(e->n_pins, 3);
	CU_ASSERT_STRING_EQUAL(e->pins[1].key, "a_key");
	CU_ASSERT_STRING_EQUAL(e->pins[1].value, "-1 E#X \"q\"");
	CU_ASSERT_TRUE(e->pins[2].range);
	CU_ASSERT_EQUAL(e->pins[2].lo, 900);
	CU_ASSERT_EQUAL(e->pins[2].hi, 1500);
	CU_ASSERT_EQUAL(e->line, 4);
	nc_pins_format(e, pins, sizeof(pins));
	CU_ASSERT_STRING_EQUAL(pins, "addrlen=16 a_key=\"-1 E#X \\\"q\\\"\" t=900..1500");
	CU_ASSERT_PTR_NULL(nc_expectations_find(&exp, "listen.other"));
	nc_expectations_free(&exp);
}

static void pins_match(void)
{
	static const struct {
		struct nc_pin pin;
		const char *observed;
		bool matches;
	} rows[] = {
		{ { .value = "EHOSTUNREACH" }, "EHOSTUNREACH", true },
		{ { .value = "EHOSTUNREACH" }, "ENETUNREACH", false },
		{ { .value = "EHOSTUNREACH" }, NULL, false },
		{ { .value = "900..1500", .range = true, .lo = 900, .hi = 1500 }, "900", true },
		{ { .value = "900..1500", .range = true, .lo = 900, .hi = 1500 }, "1500", true },
		{ { .value = "900..1500", .range = true, .lo = 900, .hi = 1500 }, "1501", false },
		{ { .value = "900..1500", .range = true, .lo = 900, .hi = 1500 }, "1e3", false },
		{ { .value = "-5..-1", .range = true, .lo = -5, .hi = -1 }, "-3", true },
		/* either of two (a race a platform's kernel runs) */
		{ { .value = "SYN_SENT|CLOSED" }, "SYN_SENT", true },
		{ { .value = "SYN_SENT|CLOSED" }, "CLOSED", true },
		{ { .value = "SYN_SENT|CLOSED" }, "CLOSE", false },
		{ { .value = "SYN_SENT|CLOSED" }, "SYN_SENT|CLOSED", false },
		{ { .value = "EHOSTUNREACH|0" }, "0", true },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		CU_ASSERT_EQUAL(nc_pin_matches(&rows[i].pin, rows[i].observed), rows[i].matches);
}

static const struct bad_case {
	const char *text;
	const char *message;
} bad_cases[] = {
	{ "a.b\n", "bad.txt:1: 'a.b' has no verdict" },
	{ "\n\na.b  xfail  k=1\n", "bad.txt:3: 'a.b xfail' needs a reason" },
	{ "a.b  xfail  why\n", "bad.txt:1: 'a.b xfail' pins no value" },
	{ "a.b  pass  k=1 why\n", "bad.txt:1: unknown verdict 'pass'" },
	{ "a.b xfail k=1 one\na.b xfail k=2 two\n",
	  "bad.txt:2: 'a.b' is already expected at line 1" },
	{ "a.b xfail k= why\n", "bad.txt:1: 'k=' pins no value" },
	{ "a.b xfail =1 why\n", "bad.txt:1: '=1' is no KEY=VALUE" },
	{ "a.b xfail \"k=1 why\n", "bad.txt:1: unterminated quote" },
	{ "a.b xfail k=\"1 why\n", "bad.txt:1: unterminated quote" },
	{ "a.b xfail k=\"1\"x why\n", "bad.txt:1: 'k=\"1\"x' has text after its value" },
	{ "a.b xfail k=1 k=2 why\n", "bad.txt:1: 'k' is pinned twice" },
	{ "a.b xfail k=9..1 why\n", "bad.txt:1: 'k=9..1': a range is LO..HI" },
	{ "a.b xfail k=1..x why\n", "bad.txt:1: 'k=1..x': a range is LO..HI" },
	/* a pin names an id, never a label that may be reworded */
	{ "a.b xfail \"second connect()\"=0 why\n", "bad.txt:1: 'second connect()' is no id" },
	{ "a.b xfail state(client)=CLOSED why\n", "bad.txt:1: 'state(client)' is no id" },
	{ "a.b xfail 2nd=0 why\n", "bad.txt:1: '2nd' is no id" },
};

static void bad_files_say_where(void)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		struct nc_expectations exp;
		char err[256] = "";

		CU_ASSERT_EQUAL(nc_expectations_parse("bad.txt", bad_cases[i].text, &exp,
						      err, sizeof(err)), -1);
		if (!strstr(err, bad_cases[i].message))
			fprintf(stderr, "\n  got '%s', want '%s'\n", err, bad_cases[i].message);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, bad_cases[i].message));
		CU_ASSERT_EQUAL(exp.n_items, 0);
	}
}

/* Every line must name a known check, and no check two lines (one line a
 * deviation: a check expected twice is ambiguous). */
static const struct validate_case {
	const char *text;
	const char *message;
} validate_cases[] = {
	{ "connect.*  xfail  k=1 a\nnope  xfail  k=1 b\n",
	  "e.txt:2: 'nope' names no known check" },
	{ "connect.refused.*  xfail  k=1 a\nconnect.*.ipv6  xfail  k=2 b\n",
	  "e.txt:2: 'connect.refused.ipv6' is already expected at line 1 ('connect.refused.*')" },
};

static void validation_refuses(void)
{
	const char *ids[] = { "connect.refused.ipv4", "connect.refused.ipv6" };

	for (size_t i = 0; i < sizeof(validate_cases) / sizeof(validate_cases[0]); i++) {
		struct nc_expectations exp;
		char err[256] = "";

		CU_ASSERT_EQUAL_FATAL(nc_expectations_parse("e.txt", validate_cases[i].text, &exp,
							     err, sizeof(err)), 0);
		CU_ASSERT_EQUAL(nc_expectations_validate(&exp, ids, 2, err, sizeof(err)), -1);
		CU_ASSERT_STRING_EQUAL(err, validate_cases[i].message);
		nc_expectations_free(&exp);
	}
}

static void unreadable_file_says_so(void)
{
	struct nc_expectations exp;
	char err[256] = "";

	CU_ASSERT_EQUAL(nc_expectations_load("/nonexistent/x.txt", &exp, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent/x.txt:0: cannot read"));
}

/* --- include FILE --- */

/* dir/name with text in it. */
static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
}

static char *temp_dir(char *buf, size_t size)
{
	snprintf(buf, size, "/tmp/nc-include-XXXXXX");
	return mkdtemp(buf);
}

static void remove_files(const char *dir, const char *const *names)
{
	char path[512];

	for (; *names; names++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *names);
		remove(path);
	}
	rmdir(dir);
}

/* Included lines come where the include stands, each with its own
 * file:line; a name is relative to the including file's directory. */
static void include_reads_relative_files(void)
{
	static const char *const names[] = { "sub/kernel.txt", "sub/libc.txt", "top.txt",
					     "sub", NULL };
	struct nc_expectations exp;
	const struct nc_expectation *e;
	char dir[64], sub[128], top[128], err[512] = "";

	CU_ASSERT_PTR_NOT_NULL_FATAL(temp_dir(dir, sizeof(dir)));
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	CU_ASSERT_EQUAL_FATAL(mkdir(sub, 0700), 0);
	write_file(sub, "kernel.txt", "# the kernel\na.k  xfail  k=1  kernel\n");
	write_file(sub, "libc.txt", "include kernel.txt   # beside me\nb.l  xfail  l=2  libc\n");
	write_file(dir, "top.txt", "\ninclude \"sub/libc.txt\"\nc.t  xfail  t=3..4  top\n");
	snprintf(top, sizeof(top), "%s/top.txt", dir);
	CU_ASSERT_EQUAL_FATAL(nc_expectations_load(top, &exp, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(exp.n_items, 3);
	CU_ASSERT_STRING_EQUAL(exp.path, top);
	e = nc_expectations_find(&exp, "a.k");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_PTR_NOT_NULL(strstr(e->path, "/sub/kernel.txt"));
	CU_ASSERT_EQUAL(e->line, 2);
	e = nc_expectations_find(&exp, "b.l");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_PTR_NOT_NULL(strstr(e->path, "/sub/libc.txt"));
	CU_ASSERT_EQUAL(e->line, 2);
	e = nc_expectations_find(&exp, "c.t");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_STRING_EQUAL(e->path, top);
	CU_ASSERT_EQUAL(e->line, 3);
	nc_expectations_free(&exp);
	remove_files(dir, names);
}

static const struct include_case {
	const char *name;
	const char *a, *b;		/* a.txt (loaded), b.txt */
	const char *message;		/* after "DIR/" */
} include_cases[] = {
	{ "a missing file", "# x\ninclude nope.txt\n", "",
	  "a.txt:2: include 'nope.txt': cannot read " },
	{ "a file that includes itself", "include a.txt\n", "",
	  "a.txt:1: include 'a.txt' makes a cycle" },
	{ "a cycle through another file", "include b.txt\n", "\n\ninclude ./a.txt\n",
	  "b.txt:3: include './a.txt' makes a cycle" },
	{ "no file name", "include\n", "", "a.txt:1: 'include' needs a file name" },
	{ "two file names", "include b.txt c.txt\n", "",
	  "a.txt:1: 'include b.txt' has text after the file name" },
	{ "a line in both files", "include b.txt\nx.y  xfail  k=1  a\n", "x.y  xfail  k=2  b\n",
	  "a.txt:2: 'x.y' is already expected at " },
};

static void include_errors_say_where(void)
{
	static const char *const names[] = { "a.txt", "b.txt", NULL };

	for (size_t i = 0; i < sizeof(include_cases) / sizeof(include_cases[0]); i++) {
		const struct include_case *c = &include_cases[i];
		struct nc_expectations exp;
		char dir[64], path[128], want[256], err[512] = "";

		CU_ASSERT_PTR_NOT_NULL_FATAL(temp_dir(dir, sizeof(dir)));
		write_file(dir, "a.txt", c->a);
		write_file(dir, "b.txt", c->b);
		snprintf(path, sizeof(path), "%s/a.txt", dir);
		snprintf(want, sizeof(want), "%s/%s", dir, c->message);
		CU_ASSERT_EQUAL(nc_expectations_load(path, &exp, err, sizeof(err)), -1);
		if (!strstr(err, want))
			fprintf(stderr, "\n  %s: got '%s', want '%s'\n", c->name, err, want);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
		CU_ASSERT_EQUAL(exp.n_items, 0);
		remove_files(dir, names);
	}
}

/* The default expectation file: the running version's, else the C
 * library's own, else none.  (No netconform-musl beside the unit tests:
 * musl's version is unknown, so musl's own file.) */
static void default_follows_libc_version(void)
{
	static const char *const names[] = { "linux.txt", "linux-musl.txt", NULL };
	char dir[64], versioned[256], buf[512], want[512];

	CU_ASSERT_PTR_NOT_NULL_FATAL(temp_dir(dir, sizeof(dir)));
	CU_ASSERT_PTR_NULL(nc_libc_expectations(NC_LIBC_GLIBC, dir, buf, sizeof(buf)));
	write_file(dir, "linux.txt", "");
	write_file(dir, "linux-musl.txt", "");
	snprintf(want, sizeof(want), "%s/linux.txt", dir);
	CU_ASSERT_STRING_EQUAL(nc_libc_expectations(NC_LIBC_GLIBC, dir, buf, sizeof(buf)), want);
	snprintf(versioned, sizeof(versioned), "linux-glibc-%s.txt", gnu_get_libc_version());
	write_file(dir, versioned, "");
	snprintf(want, sizeof(want), "%s/%s", dir, versioned);
	CU_ASSERT_STRING_EQUAL(nc_libc_expectations(NC_LIBC_GLIBC, dir, buf, sizeof(buf)), want);
	snprintf(want, sizeof(want), "%s/linux-musl.txt", dir);
	CU_ASSERT_STRING_EQUAL(nc_libc_expectations(NC_LIBC_MUSL, dir, buf, sizeof(buf)), want);
	snprintf(buf, sizeof(buf), "%s/%s", dir, versioned);
	remove(buf);
	remove_files(dir, names);
}

NC_UNIT_SUITE(harness,
	NC_UNIT_TEST(good_file_parses),
	NC_UNIT_TEST(pins_match),
	NC_UNIT_TEST(bad_files_say_where),
	NC_UNIT_TEST(validation_refuses),
	NC_UNIT_TEST(unreadable_file_says_so),
	NC_UNIT_TEST(include_reads_relative_files),
	NC_UNIT_TEST(include_errors_say_where),
	NC_UNIT_TEST(default_follows_libc_version));
