/* reports/: results.xml, junit.xml and index.html from one sample run.
 * Goldens, the round trip, the JUnit schema, the HTML parser, bad input to
 * the reader, and writes that must fail whole.
 *
 *   NC_UPDATE_GOLDEN=1 build/tests/unit reports   rewrites tests/golden/
 *   NC_REPORTS_OUT=DIR build/tests/unit reports   also leaves the sample's
 *                                                 three files in DIR */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>

#include "paths.h"
#include "results.h"
#include "unit.h"

static const char fail_message[] =
	"suite/connect.c:42: connect(198.18.0.2:9) = -1 ETIMEDOUT, expected ECONNREFUSED";
static const char zh_refused[] =
	"若目标地址上没有套接字在监听，connect() 应失败并将 errno 设为 ECONNREFUSED。";

static const struct sample_env {
	const char *key, *value;
} sample_env[] = {
	{ "kernel", "Linux 6.1.0-18-amd64 x86_64" },
	{ "kernel.version", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)" },
	{ "libc", "glibc 2.36" },
	{ "sandbox", "user namespace" },
	{ "netem", "not available (no sch_netem)" },
	{ "iptables", "iptables v1.8.9 (nf_tables)" },
	{ "command", "netconform run --out reports/out" },
	{ "date", "2024-05-01T12:00:00Z" },
	{ "hostname", "ci-runner-7" },
	{ "netconform", "0.1" },
};

static const struct { const char *id, *section, *zh, *en; } sample_clauses[] = {
	{ "connect-3", "4.2.3", (char *)zh_refused,
	  "If no socket listens at the destination, connect() shall fail with errno "
	  "set to ECONNREFUSED." },
	{ "gai-1", "6.1", "设置 AI_NUMERICHOST 时，getaddrinfo() 不得进行任何名称解析查询。",
	  "With AI_NUMERICHOST set, getaddrinfo() shall not send any name resolution query." },
	{ "gai-3", "6.3", "IPv4 映射的 IPv6 地址应按数字地址处理。",
	  "An IPv4-mapped IPv6 address shall be treated as a numeric address." },
	{ "gai-7", "6.7", "设置 AI_ADDRCONFIG 时，仅当本机配置了 IPv6 地址才返回 IPv6 地址。",
	  "With AI_ADDRCONFIG, IPv6 addresses shall be returned only if the host has one "
	  "configured." },
	{ "gai-9", "6.9", "getaddrinfo() 返回的地址应按 RFC 6724 的默认地址选择规则排序。",
	  "getaddrinfo() shall order its addresses by the default address selection rules "
	  "of RFC 6724." },
	{ "send-2", "5.2", "阻塞套接字的发送缓冲区已满时，send() 应阻塞，直到有空间或超时。",
	  "send() on a blocking socket shall block while the send buffer is full, until "
	  "there is room or the timeout expires." },
	{ "send-4", "5.4", "数据包乱序时，TCP 仍应按发送顺序交付字节流。",
	  "When packets are reordered, TCP shall still deliver the bytes in the order sent." },
};

static const struct sample_check {
	const char *id, *area, *summary, *file;
	int line;
	const char *clauses[3];
	enum nc_raw raw;
	enum nc_verdict verdict;
	const char *message, *reason;
	double seconds;
	const char *expected[3], *observed[3];	/* key, value */
} sample_checks[] = {
	{ "connect.refused.ipv4", "connect",
	  "connect() to a port nobody listens on fails with ECONNREFUSED",
	  "suite/connect.c", 30, { "connect-3" }, NC_RAW_FAILED, NC_FAIL, fail_message, NULL,
	  2.004, { "errno", "ECONNREFUSED" }, { "errno", "ETIMEDOUT" } },
	{ "connect.refused.ipv6", "connect",
	  "connect() to a port nobody listens on fails with ECONNREFUSED",
	  "suite/connect.c", 30, { "connect-3", "connect-9" }, NC_RAW_PASSED, NC_PASS, NULL, NULL,
	  0.388, { "errno", "ECONNREFUSED" }, { "errno", "ECONNREFUSED" } },
	{ "gai.numeric_host.v4mapped", "gai",
	  "getaddrinfo(AI_NUMERICHOST) answers from the string, never from DNS",
	  "suite/gai.c", 64, { "gai-1", "gai-3" }, NC_RAW_FAILED, NC_XFAIL,
	  "suite/gai.c:77: getaddrinfo(\"::ffff:198.18.0.2\", AI_NUMERICHOST) sent 1 DNS "
	  "query, expected 0\n"
	  "suite/gai.c:81: ai_canonname = \"<none>\" & ai_flags = 0x4, expected 0x4",
	  "glibc 2.36 asks the resolver about v4-mapped numeric hosts; reported upstream",
	  0.051, { "dns_queries", "0" }, { "dns_queries", "1" } },
	{ "gai.addrconfig.no_v6", "gai",
	  "AI_ADDRCONFIG returns no IPv6 address on a host without one",
	  "suite/gai.c", 120, { "gai-7" }, NC_RAW_PASSED, NC_XPASS, NULL,
	  "glibc 2.36 counts ::1 as a configured IPv6 address",
	  0.023, { "families", "AF_INET" }, { "families", "AF_INET" } },
	{ "send.reorder.stream_order", "send",
	  "TCP delivers bytes in order although netem reorders the segments",
	  "suite/send.c", 88, { "send-4" }, NC_RAW_SKIPPED, NC_SKIP,
	  "needs netem: sch_netem is not in this kernel", NULL, 0.0, { NULL }, { NULL } },
	{ "send.blocking.full_buffer", "send",
	  "send() on a blocking socket blocks while the send buffer is full",
	  "suite/send.c", 140, { "send-2" }, NC_RAW_ERROR, NC_ERROR, "timed out after 2 s", NULL,
	  2.011, { "state", "blocked in send()" }, { NULL } },
};

#define N_SAMPLE_CHECKS (sizeof(sample_checks) / sizeof(sample_checks[0]))

/* connect.refused.ipv4's packets: a SYN lost, its retransmission refused */
static const struct nc_packet sample_packets[] = {
	{ 0, 1, 180, "198.18.0.1:40012", "198.18.0.2:9", "SYN", 0, 0, 0, "c,s", "s:fault-1" },
	{ 0, 1, 1003412, "198.18.0.1:40012", "198.18.0.2:9", "SYN", 0, 0, 0, "c,s", NULL },
	{ 0, 0, 1003467, "198.18.0.2", "198.18.0.1", "ICMP:host-unreach", 0, 0, 0, "c,s", NULL },
};

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void sample_run(struct nc_run *run)
{
	memset(run, 0, sizeof(*run));
	run->seconds = 7.25;
	for (size_t i = 0; i < sizeof(sample_env) / sizeof(sample_env[0]); i++)
		nc_kv_add(&run->env, &run->n_env, sample_env[i].key, sample_env[i].value);
	for (size_t i = 0; i < sizeof(sample_clauses) / sizeof(sample_clauses[0]); i++)
		nc_run_add_clause(run, sample_clauses[i].id, sample_clauses[i].section,
				  sample_clauses[i].zh, sample_clauses[i].en);
	/* connect-3's paths: two axes covered, one missing */
	run->clauses[0].axes = strdup("mode state form");
	run->clauses[0].covers = strdup("mode:blocking,nonblocking form:v4");
	for (size_t i = 0; i < N_SAMPLE_CHECKS; i++) {
		const struct sample_check *c = &sample_checks[i];
		struct nc_result *r = nc_run_add_result(run);

		r->id = strdup(c->id);
		r->area = strdup(c->area);
		r->summary = strdup(c->summary);
		r->file = strdup(c->file);
		r->line = c->line;
		for (size_t k = 0; k < 3 && c->clauses[k]; k++)
			nc_result_add_clause(r, c->clauses[k]);
		r->raw = c->raw;
		r->verdict = c->verdict;
		r->message = dup_or_null(c->message);
		r->reason = dup_or_null(c->reason);
		r->seconds = c->seconds;
		if (c->expected[0])
			nc_kv_add(&r->expected, &r->n_expected, c->expected[0], c->expected[1]);
		if (c->observed[0])
			nc_kv_add(&r->observed, &r->n_observed, c->observed[0], c->observed[1]);
		for (size_t k = 0; i == 0 && k < sizeof(sample_packets) / sizeof(sample_packets[0]);
		     k++)
			nc_result_add_packet(r, &sample_packets[k]);
	}
}

/* --- files --- */

static char *path_in(const char *dir, const char *name)
{
	char *path;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		abort();
	return path;
}

static char *make_tmpdir(void)
{
	char templ[] = "/tmp/nc-reports-XXXXXX";

	if (!mkdtemp(templ))
		abort();
	return strdup(templ);
}

static void remove_tmpdir(char *dir)
{
	nc_remove_tree(dir);
	free(dir);
}

static bool exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* The file's bytes, NUL-terminated; NULL when it cannot be read. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	long size;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		data = malloc((size_t)size + 1);
		if (data && fread(data, 1, (size_t)size, f) == (size_t)size) {
			data[size] = '\0';
			if (len)
				*len = (size_t)size;
		} else {
			free(data);
			data = NULL;
		}
	}
	fclose(f);
	return data;
}

static int spill(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -1;
	ok = fputs(text, f) >= 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* Runs argv with its output captured in out.  Returns its exit status,
 * or -1 when it did not exit. */
static int run_captured(char *const argv[], char *out, size_t outsize)
{
	size_t used = 0;
	int pipefd[2], status;
	pid_t pid;

	out[0] = '\0';
	if (pipe(pipefd) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		dup2(pipefd[1], STDERR_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		execvp(argv[0], argv);
		fprintf(stderr, "%s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	for (;;) {
		char chunk[512];
		ssize_t n = read(pipefd[0], chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (used + 1 < outsize) {
			size_t room = outsize - 1 - used;
			size_t take = (size_t)n < room ? (size_t)n : room;

			memcpy(out + used, chunk, take);
			used += take;
			out[used] = '\0';
		}
	}
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* written must equal tests/golden/NAME; NC_UPDATE_GOLDEN=1 makes it so. */
static void compare_with_golden(const char *written, const char *name)
{
	char *golden_dir = path_in(nc_unit_srcdir(), "golden");
	char *golden = path_in(golden_dir, name);
	char *want, *got, diff_out[8192];
	size_t want_len = 0, got_len = 0;

	got = slurp(written, &got_len);
	CU_ASSERT_PTR_NOT_NULL(got);
	if (getenv("NC_UPDATE_GOLDEN") && got) {
		mkdir(golden_dir, 0755);
		CU_ASSERT_EQUAL(spill(golden, got), 0);
		printf("\n  golden updated: %s\n", golden);
	}
	want = slurp(golden, &want_len);
	CU_ASSERT_PTR_NOT_NULL(want);
	if (want && got) {
		bool same = want_len == got_len && memcmp(want, got, got_len) == 0;

		CU_ASSERT(same);
		if (!same) {
			char *argv[] = { "diff", "-u", golden, (char *)written, NULL };

			run_captured(argv, diff_out, sizeof(diff_out));
			printf("\n%s differs from its golden (NC_UPDATE_GOLDEN=1 to accept):\n%s",
			       name, diff_out);
		}
	}
	free(want);
	free(got);
	free(golden);
	free(golden_dir);
}

/* err reads "path:LINE: something"; returns LINE, or -1. */
static long located_line(const char *err, const char *path)
{
	size_t len = strlen(path);
	char *end;
	long line;

	if (strncmp(err, path, len) != 0 || err[len] != ':')
		return -1;
	line = strtol(err + len + 1, &end, 10);
	if (end == err + len + 1 || strncmp(end, ": ", 2) != 0 || !end[2])
		return -1;
	return line;
}

/* Reading path must fail with "path:LINE: ..."; returns LINE. */
static long read_must_fail(const char *path)
{
	struct nc_run run;
	char err[512] = "";
	long line;

	CU_ASSERT_EQUAL(nc_results_read(path, &run, err, sizeof(err)), -1);
	line = located_line(err, path);
	CU_ASSERT(line >= 0);
	if (line < 0)
		printf("\n  not \"path:line: what\": %s\n", err);
	CU_ASSERT_EQUAL(run.n_results, 0);
	CU_ASSERT_PTR_NULL(run.results);
	return line;
}

/* --- tests --- */

static void test_verdict_names(void)
{
	static const char *const names[] = { "pass", "fail", "xfail", "xpass", "skip", "error" };

	for (int v = 0; v < NC_N_VERDICTS; v++) {
		CU_ASSERT_STRING_EQUAL(nc_verdict_name(v), names[v]);
		CU_ASSERT_EQUAL(nc_verdict_parse(names[v]), v);
	}
	CU_ASSERT_EQUAL(nc_verdict_parse("PASS"), -1);
	CU_ASSERT_EQUAL(nc_verdict_parse(""), -1);
	CU_ASSERT_EQUAL(nc_verdict_parse(NULL), -1);
}

/* The raw results keep the names results.xml has always written. */
static void test_raw_names(void)
{
	static const char *const names[] = { "pass", "fail", "skip", "error" };

	for (int raw = 0; raw < NC_N_RAWS; raw++) {
		CU_ASSERT_STRING_EQUAL(nc_raw_name(raw), names[raw]);
		CU_ASSERT_EQUAL(nc_raw_parse(names[raw]), raw);
	}
	CU_ASSERT_STRING_EQUAL(nc_raw_name(NC_N_RAWS), "invalid");
	CU_ASSERT_EQUAL(nc_raw_parse("xfail"), -1);
	CU_ASSERT_EQUAL(nc_raw_parse("xpass"), -1);
	CU_ASSERT_EQUAL(nc_raw_parse(NULL), -1);
}

static void test_results_golden(void)
{
	char *dir = make_tmpdir(), *path = path_in(dir, "results.xml");
	struct nc_run run;

	sample_run(&run);
	CU_ASSERT_EQUAL(nc_results_write(&run, path), 0);
	compare_with_golden(path, "results.xml");
	nc_run_free(&run);
	free(path);
	remove_tmpdir(dir);
}

/* run written, read back into *back, written again: the two files the
 * same bytes.  0, or -1 when the first did not read (back is then empty). */
static int round_trip(const struct nc_run *run, struct nc_run *back)
{
	char *dir = make_tmpdir();
	char *first = path_in(dir, "first.xml"), *second = path_in(dir, "second.xml");
	char *first_text, *second_text, err[512] = "";
	int status;

	CU_ASSERT_EQUAL(nc_results_write(run, first), 0);
	status = nc_results_read(first, back, err, sizeof(err));
	CU_ASSERT_EQUAL(status, 0);
	if (status == 0) {
		CU_ASSERT_EQUAL(nc_results_write(back, second), 0);
		first_text = slurp(first, NULL);
		second_text = slurp(second, NULL);
		CU_ASSERT(first_text && second_text && strcmp(first_text, second_text) == 0);
		free(first_text);
		free(second_text);
	}
	free(first);
	free(second);
	remove_tmpdir(dir);
	return status == 0 ? 0 : -1;
}

static void test_results_round_trip(void)
{
	struct nc_run run, back;

	sample_run(&run);
	if (round_trip(&run, &back) < 0) {
		nc_run_free(&run);
		CU_FAIL_FATAL("results.xml did not read back");
	}

	/* and the values themselves, not just their bytes */
	CU_ASSERT_EQUAL(back.n_results, run.n_results);
	CU_ASSERT_EQUAL(back.n_env, run.n_env);
	CU_ASSERT_EQUAL(back.n_clauses, run.n_clauses);
	CU_ASSERT_EQUAL(back.seconds, 7.25);
	CU_ASSERT_STRING_EQUAL(back.clauses[0].zh, zh_refused);
	CU_ASSERT_STRING_EQUAL(back.clauses[0].axes, "mode state form");
	CU_ASSERT_STRING_EQUAL(back.clauses[0].covers, "mode:blocking,nonblocking form:v4");
	CU_ASSERT_PTR_NULL(back.clauses[1].axes);
	for (size_t i = 0; i < back.n_results && i < run.n_results; i++) {
		const struct nc_result *a = &run.results[i], *b = &back.results[i];

		CU_ASSERT_STRING_EQUAL(a->id, b->id);
		CU_ASSERT_EQUAL(a->verdict, b->verdict);
		CU_ASSERT_EQUAL(a->raw, b->raw);
		CU_ASSERT_EQUAL(a->line, b->line);
		CU_ASSERT_EQUAL(a->n_clauses, b->n_clauses);
		CU_ASSERT_PTR_NULL(b->clauses[b->n_clauses]);
		CU_ASSERT_EQUAL(a->message == NULL, b->message == NULL);
		if (a->message && b->message)
			CU_ASSERT_STRING_EQUAL(a->message, b->message);
		CU_ASSERT_EQUAL(a->reason == NULL, b->reason == NULL);
		CU_ASSERT_EQUAL(a->n_expected, b->n_expected);
		CU_ASSERT_EQUAL(a->n_observed, b->n_observed);
		CU_ASSERT_EQUAL(a->n_packets, b->n_packets);
		for (size_t k = 0; k < a->n_packets && k < b->n_packets; k++) {
			CU_ASSERT_EQUAL(a->packets[k].t_us, b->packets[k].t_us);
			CU_ASSERT_EQUAL(a->packets[k].to_server, b->packets[k].to_server);
			CU_ASSERT_STRING_EQUAL(a->packets[k].flags, b->packets[k].flags);
			CU_ASSERT_EQUAL(a->packets[k].dropped == NULL, b->packets[k].dropped == NULL);
		}
	}
	nc_run_free(&back);
	nc_run_free(&run);
}

/* A message may hold whatever a socket returned: what XML cannot carry
 * becomes U+FFFD, and the file still reads and round-trips. */
static void test_results_unwritable_bytes(void)
{
	struct nc_run run, back;

	sample_run(&run);
	free(run.results[0].message);
	run.results[0].message = strdup("got \x01\x1b[0m\xff\xc3 and \r\n\t ok");
	if (round_trip(&run, &back) == 0) {
		CU_ASSERT_STRING_EQUAL(back.results[0].message, "got \xef\xbf\xbd\xef\xbf\xbd[0m"
				       "\xef\xbf\xbd\xef\xbf\xbd and \r\n\t ok");
		nc_run_free(&back);
	}
	nc_run_free(&run);
}

static char *xpath_text(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr found = ctx ? xmlXPathEvalExpression(BAD_CAST expr, ctx) : NULL;
	char *text = NULL;

	if (found && found->type == XPATH_STRING)
		text = strdup((const char *)found->stringval);
	else if (found && found->type == XPATH_NUMBER && asprintf(&text, "%g", found->floatval) < 0)
		text = NULL;
	xmlXPathFreeObject(found);
	xmlXPathFreeContext(ctx);
	return text;
}

static void expect_xpath(xmlDocPtr doc, const char *expr, const char *want)
{
	char *got = xpath_text(doc, expr);

	CU_ASSERT(got && strcmp(got, want) == 0);
	if (!got || strcmp(got, want) != 0)
		printf("\n  %s = \"%s\", expected \"%s\"\n", expr, got ? got : "(null)", want);
	free(got);
}

/* The layout Jenkins and GitLab read: classname netconform.AREA.CHECK, name
 * the case and the platform, skipped with a type and the reason as text,
 * file and line (a failure's: its failed assertion's), the command that
 * reruns a failure, the run's kernel, libc and commit on each suite, whose
 * name says the platform, the wall clock on top. */
#define PLATFORM "Linux 6.1.0-18-amd64 x86_64, glibc 2.36"
static const struct { const char *expr, *want; } junit_layout[] = {
	{ "string(//testcase[1]/@classname)", "netconform.connect.refused" },
	{ "string(//testcase[1]/@name)", "ipv4 [" PLATFORM "]" },
	{ "string(//testcase[1]/@file)", "suite/connect.c" },
	{ "string(//testcase[1]/@line)", "42" },
	{ "string(//testcase[2]/@line)", "30" },
	{ "substring-after(//testcase[1]/failure, 'rerun: ')",
	  "netconform run --filter 'connect.refused.ipv4'" },
	{ "string(//testcase[1]/properties/property[@name='rerun']/@value)",
	  "netconform run --filter 'connect.refused.ipv4'" },
	{ "string(//testcase[@name='v4mapped [" PLATFORM "]']/skipped/@type)", "xfail" },
	/* the reason, and what the pinned deviation came to (the message's first line) */
	{ "string(//testcase[@name='v4mapped [" PLATFORM "]']/skipped)",
	  "glibc 2.36 asks the resolver about v4-mapped numeric hosts; reported upstream: "
	  "suite/gai.c:77: getaddrinfo(\"::ffff:198.18.0.2\", AI_NUMERICHOST) sent 1 DNS query, "
	  "expected 0" },
	{ "string(//testcase[@name='stream_order [" PLATFORM "]']/skipped/@type)", "skip" },
	{ "string(//testcase[@name='stream_order [" PLATFORM "]']/skipped)",
	  "needs netem: sch_netem is not in this kernel" },
	{ "string(//testcase[@name='no_v6 [" PLATFORM "]']/failure/@type)", "xpass" },
	{ "count(//testsuite)", "3" },
	{ "string(//testsuite[1]/@name)", "connect (" PLATFORM ")" },
	{ "string(//testsuite[1]/properties/property[@name='platform']/@value)", PLATFORM },
	{ "count(//testsuite/properties/property[@name='kernel'])", "3" },
	{ "string(//testsuite[1]/properties/property[@name='libc']/@value)", "glibc 2.36" },
	{ "string(//testsuite[1]/properties/property[@name='commit']/@value)", "0123abc" },
	{ "string(/testsuites/@time)", "7.250" },
	{ "count(/testsuites/comment()[contains(., 'wall clock')])", "1" },
};

static void test_junit_layout(void)
{
	static const struct nc_assert_row failed = {
		"errno", "ECONNREFUSED", "ETIMEDOUT", 0, "expect", "suite/connect.c", 42,
		"connect(198.18.0.2:9) = -1 ETIMEDOUT, expected ECONNREFUSED", NULL, NULL,
	};
	char *dir = make_tmpdir(), *path = path_in(dir, "junit.xml");
	struct nc_run run;
	xmlDocPtr doc;

	sample_run(&run);
	nc_result_add_assert(&run.results[0], &failed);
	nc_kv_add(&run.env, &run.n_env, "commit", "0123abc");
	CU_ASSERT_EQUAL_FATAL(nc_junit_write(&run, path), 0);
	doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	for (size_t i = 0; i < sizeof(junit_layout) / sizeof(junit_layout[0]); i++)
		expect_xpath(doc, junit_layout[i].expr, junit_layout[i].want);
	xmlFreeDoc(doc);
	nc_run_free(&run);
	free(path);
	remove_tmpdir(dir);
}

static void test_junit_golden(void)
{
	char *dir = make_tmpdir(), *path = path_in(dir, "junit.xml");
	struct nc_run run;

	sample_run(&run);
	CU_ASSERT_EQUAL(nc_junit_write(&run, path), 0);
	compare_with_golden(path, "junit.xml");
	nc_run_free(&run);
	free(path);
	remove_tmpdir(dir);
}

static void test_junit_schema(void)
{
	char *dir = make_tmpdir(), *path = path_in(dir, "junit.xml");
	char *xsd = path_in(nc_unit_srcdir(), "junit.xsd"), output[4096];
	char *argv[] = { "xmllint", "--noout", "--schema", xsd, path, NULL };
	struct nc_run run;
	int status;

	sample_run(&run);
	CU_ASSERT_EQUAL(nc_junit_write(&run, path), 0);
	status = run_captured(argv, output, sizeof(output));
	CU_ASSERT_EQUAL(status, 0);
	if (status != 0)
		printf("\n  xmllint --schema (exit %d): %s\n", status, output);

	/* an empty run is still a valid report */
	nc_run_free(&run);
	CU_ASSERT_EQUAL(nc_junit_write(&run, path), 0);
	status = run_captured(argv, output, sizeof(output));
	CU_ASSERT_EQUAL(status, 0);
	if (status != 0)
		printf("\n  xmllint --schema, empty run (exit %d): %s\n", status, output);
	free(xsd);
	free(path);
	remove_tmpdir(dir);
}


/* Whether xmllint --html's output holds only "Tag X invalid" for the SVG
 * elements a ladder diagram uses (each error is 3 lines: the message, the
 * context, a caret). */
static bool only_svg_complaints(const char *output)
{
	static const char *const svg_tags[] = { "svg", "g", "line", "polygon", "text", "title" };
	const char *line = output;

	while ((line = strstr(line, "HTML parser error : ")) != NULL) {
		bool known = false;

		line += strlen("HTML parser error : ");
		for (size_t i = 0; i < sizeof(svg_tags) / sizeof(svg_tags[0]); i++) {
			char want[64];

			snprintf(want, sizeof(want), "Tag %s invalid\n", svg_tags[i]);
			known |= strncmp(line, want, strlen(want)) == 0;
		}
		if (!known) {
			printf("\n  xmllint --html: %.*s\n", (int)strcspn(line, "\n"), line);
			return false;
		}
	}
	return true;
}

/* NC_REPORTS_OUT=DIR: the sample's files, to look at. */
static void keep_sample(const struct nc_run *run)
{
	const char *out = getenv("NC_REPORTS_OUT");
	char *path;

	if (!out)
		return;
	mkdir(out, 0755);
	path = path_in(out, "results.xml");
	CU_ASSERT_EQUAL(nc_results_write(run, path), 0);
	free(path);
	path = path_in(out, "junit.xml");
	CU_ASSERT_EQUAL(nc_junit_write(run, path), 0);
	free(path);
	path = path_in(out, "index.html");
	CU_ASSERT_EQUAL(nc_html_write(run, path), 0);
	free(path);
}

static void test_html(void)
{
	char *dir = make_tmpdir(), *path = path_in(dir, "index.html");
	char *argv[] = { "xmllint", "--html", "--noout", path, NULL };
	static char output[1 << 17];	/* a complaint per SVG element */
	char *html;
	htmlParserCtxtPtr ctxt;
	xmlDocPtr doc, xml_doc;
	struct nc_run run;
	int status;

	sample_run(&run);
	keep_sample(&run);
	CU_ASSERT_EQUAL_FATAL(nc_html_write(&run, path), 0);

	/* libxml2's HTML parser knows HTML 4 only, so it flags the ladders'
	 * inline SVG (HTML5): every other error still shows. */
	ctxt = htmlNewParserCtxt();
	CU_ASSERT_PTR_NOT_NULL_FATAL(ctxt);
	doc = htmlCtxtReadFile(ctxt, path, NULL, HTML_PARSE_NONET);
	CU_ASSERT_PTR_NOT_NULL(doc);
	htmlFreeParserCtxt(ctxt);

	status = run_captured(argv, output, sizeof(output));
	CU_ASSERT_EQUAL(status, 0);
	CU_ASSERT(only_svg_complaints(output));

	/* XHTML-compatible: an XML parser reads it, and without an error */
	xml_doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
			      XML_PARSE_NOWARNING);
	CU_ASSERT_PTR_NOT_NULL(xml_doc);
	xmlFreeDoc(xml_doc);

	if (doc) {
		expect_xpath(doc, "string(//*[@id='count-pass'])", "1");
		expect_xpath(doc, "string(//*[@id='count-fail'])", "1");
		expect_xpath(doc, "string(//*[@id='count-xfail'])", "1");
		expect_xpath(doc, "string(//*[@id='count-xpass'])", "1");
		expect_xpath(doc, "string(//*[@id='count-skip'])", "1");
		expect_xpath(doc, "string(//*[@id='count-error'])", "1");
		expect_xpath(doc, "string(//*[@id='count-fail']/@data-verdict)", "fail");
		/* a row per check per area, and the problems again up front */
		expect_xpath(doc, "count(//tr[@data-verdict][@data-area])", "9");
		expect_xpath(doc, "count(//div[@class='area'])", "3");
		expect_xpath(doc, "string(//tr[@id='clause-gai-9']/@class)", "uncovered");
		/* the clause's paths: an applicable axis left uncovered reads missing */
		expect_xpath(doc, "string(//tr[@id='clause-connect-3']//div[@class='paths'])",
			     "mode: blocking, nonblocking \u00b7 state: missing \u00b7 form: v4");
		expect_xpath(doc, "string(//tr[@id='clause-connect-3']//span[@class='axis missing'])",
			     "state: missing");
		expect_xpath(doc, "count(//div[@class='paths'])", "1");
		expect_xpath(doc, "count(//tr[@class='uncovered'])", "1");
		expect_xpath(doc, "string(//tr[@id='clause-connect-9']//div)",
			     "not in the clause catalog");
		expect_xpath(doc, "string(//*[@id='coverage']//p[@class='big'])",
			     "6 of 7 clauses have at least one check (85%)");
		expect_xpath(doc, "string(//tr[@id='check-connect.refused.ipv4']//pre)",
			     fail_message);
		expect_xpath(doc, "count(//select[@id='filter-area']/option)", "4");
		expect_xpath(doc, "count(//script[@src] | //link | //img)", "0");
		/* the failing check's ladder, in the problems table and in its area */
		expect_xpath(doc, "count(//svg[@class='ladder'][@data-packets='3'])", "2");
		expect_xpath(doc, "count(//tr[@id='check-connect.refused.ipv4']//svg//g)", "3");
		expect_xpath(doc, "string(//tr[@id='check-connect.refused.ipv4']//g[1]/@class)",
			     "pk to-server dropped");
		expect_xpath(doc, "string(//tr[@id='check-connect.refused.ipv4']//g[3]/@data-flags)",
			     "ICMP:host-unreach");
		xmlFreeDoc(doc);
	}

	html = slurp(path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	CU_ASSERT(strncmp(html, "<!DOCTYPE html>\n", 16) == 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<meta charset=\"utf-8\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, zh_refused));	/* as UTF-8, not escaped */
	for (size_t i = 0; i < N_SAMPLE_CHECKS; i++) {
		char *needle;

		if (asprintf(&needle, ">%s<", sample_checks[i].id) < 0)
			abort();
		CU_ASSERT_PTR_NOT_NULL(strstr(html, needle));
		free(needle);
	}
	for (size_t i = 0; i < N_SAMPLE_CHECKS; i++)
		CU_ASSERT_PTR_NOT_NULL(strstr(html, sample_checks[i].summary));
	free(html);
	nc_run_free(&run);
	free(path);
	remove_tmpdir(dir);
}

/* The colour of a value comes from its assertion: a range that holds is
 * not red although its text differs from the value, a failed one is; the
 * assertions go through results.xml and back. */
static void test_html_assertions(void)
{
	static const struct nc_assert_row asserts[] = {
		{ "local_port", "32768..60999", "40012", 1, "expect", "suite/connect.c", 50, "",
		  "local port", NULL },
		{ "retries", ">= 2", "3", 1, "expect", "suite/connect.c", 51, "", NULL, NULL },
		{ "errno", "ECONNREFUSED", "ETIMEDOUT", 0, "expect", "suite/connect.c", 52,
		  "connect() = -1 ETIMEDOUT, expected ECONNREFUSED", NULL, NULL },
	};
	char *dir = make_tmpdir(), *html = path_in(dir, "index.html");
	char *results = path_in(dir, "results.xml");
	struct nc_run run, back;
	struct nc_result *r;
	htmlParserCtxtPtr ctxt;
	char err[512] = "";
	xmlDocPtr doc;

	sample_run(&run);
	r = &run.results[0];	/* connect.refused.ipv4, a failure */
	nc_kv_add(&r->expected, &r->n_expected, "local_port", "32768..60999");
	nc_kv_describe(&r->expected[r->n_expected - 1], "local port", NULL);
	nc_kv_add(&r->observed, &r->n_observed, "local_port", "40012");
	nc_kv_describe(&r->observed[r->n_observed - 1], "local port", NULL);
	nc_kv_add(&r->expected, &r->n_expected, "retries", ">= 2");
	nc_kv_add(&r->observed, &r->n_observed, "retries", "3");
	nc_kv_add(&r->observed, &r->n_observed, "isn(client)", "1000");
	for (size_t i = 0; i < sizeof(asserts) / sizeof(asserts[0]); i++)
		nc_result_add_assert(r, &asserts[i]);
	CU_ASSERT_EQUAL_FATAL(nc_results_write(&run, results), 0);
	CU_ASSERT_EQUAL_FATAL(nc_results_read(results, &back, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(back.results[0].n_asserts, 3);
	CU_ASSERT_STRING_EQUAL(back.results[0].asserts[0].expected, "32768..60999");
	CU_ASSERT_STRING_EQUAL(back.results[0].asserts[0].label, "local port");
	CU_ASSERT_PTR_NULL(back.results[0].asserts[1].label);
	CU_ASSERT_STRING_EQUAL(back.results[0].asserts[2].message, asserts[2].message);
	CU_ASSERT_FALSE(back.results[0].asserts[2].passed);
	CU_ASSERT(back.results[0].asserts[1].passed);
	CU_ASSERT_EQUAL(back.results[0].asserts[1].line, 51);
	CU_ASSERT_EQUAL_FATAL(nc_html_write(&back, html), 0);
	ctxt = htmlNewParserCtxt();
	CU_ASSERT_PTR_NOT_NULL_FATAL(ctxt);
	doc = htmlCtxtReadFile(ctxt, html, NULL, HTML_PARSE_NONET | HTML_PARSE_NOERROR |
			       HTML_PARSE_NOWARNING);
	htmlFreeParserCtxt(ctxt);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
#define ROW(key) "//*[@id='check-connect.refused.ipv4']//table[@class='eo']//tr[th='" key "']"
	/* a labelled value: its label, and the id a pin names beside it */
	expect_xpath(doc, "string(//*[@id='check-connect.refused.ipv4']//table[@class='eo']"
		     "//tr[th/span[@class='id']='local_port']/@class)", "held");
	expect_xpath(doc, "string(//*[@id='check-connect.refused.ipv4']//table[@class='eo']"
		     "//tr[th/span[@class='id']='local_port']/th/text())", "local port");
	expect_xpath(doc, "string(" ROW("retries") "/@class)", "held");
	expect_xpath(doc, "string(" ROW("errno") "/@class)", "failed");
	expect_xpath(doc, "count(//*[@id='check-connect.refused.ipv4']//tr[@class='failed'])",
		     "1");
	expect_xpath(doc, "count(" ROW("isn(client)") ")", "0");	/* the ladder's */
#undef ROW
	/* the check's summary once, above its cases; the case by its name */
	expect_xpath(doc, "count(//div[@class='area'][@data-area='connect']//tr[@class='check-head'])",
		     "1");
	expect_xpath(doc, "string(//*[@id='check-connect.refused.ipv6']/td[1]/code)", "ipv6");
	expect_xpath(doc, "string(//*[@id='check-connect.refused.ipv6']/@data-id)",
		     "connect.refused.ipv6");
	/* a clause chip says its sentence on hover */
	expect_xpath(doc, "string((//a[@class='clause'][.='connect-3'])[1]/../span[@class='tip']"
		     "/span[@class='en'])", sample_clauses[0].en);
	expect_xpath(doc, "string((//a[@class='clause'][.='connect-3'])[1]/../span[@class='tip']"
		     "/span[@class='zh'])", zh_refused);
	/* the run's settings, "not recorded" when the file predates them */
	expect_xpath(doc, "string(//*[@id='environment']//tr[th='fault backend']/td)",
		     "not recorded");
	expect_xpath(doc, "count(//input[@id='filter-search'])", "1");
	expect_xpath(doc, "count(//div[@class='legend'])", "2");
	xmlFreeDoc(doc);
	nc_run_free(&run);
	nc_run_free(&back);
	free(html);
	free(results);
	remove_tmpdir(dir);
}

/* No checks, no clauses, no environment: still three valid files. */
static void test_empty_run(void)
{
	char *dir = make_tmpdir(), *results = path_in(dir, "results.xml");
	char *junit = path_in(dir, "junit.xml"), *html = path_in(dir, "index.html");
	char err[512] = "";
	struct nc_run run, back;
	htmlParserCtxtPtr ctxt;
	xmlDocPtr doc;

	memset(&run, 0, sizeof(run));
	CU_ASSERT_EQUAL(nc_results_write(&run, results), 0);
	CU_ASSERT_EQUAL(nc_junit_write(&run, junit), 0);
	CU_ASSERT_EQUAL(nc_html_write(&run, html), 0);
	CU_ASSERT_EQUAL(nc_results_read(results, &back, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(back.n_results + back.n_env + back.n_clauses, 0);
	nc_run_free(&back);

	ctxt = htmlNewParserCtxt();
	CU_ASSERT_PTR_NOT_NULL_FATAL(ctxt);
	doc = htmlCtxtReadFile(ctxt, html, NULL, HTML_PARSE_NONET);
	CU_ASSERT(doc && ctxt->wellFormed);
	if (doc)
		expect_xpath(doc, "string(//*[@id='count-pass'])", "0");
	xmlFreeDoc(doc);
	htmlFreeParserCtxt(ctxt);
	free(results);
	free(junit);
	free(html);
	remove_tmpdir(dir);
}

static void test_read_missing(void)
{
	char *dir = make_tmpdir(), *path = path_in(dir, "results.xml");

	read_must_fail(path);
	free(path);
	remove_tmpdir(dir);
}

static void test_read_truncated(void)
{
	char *dir = make_tmpdir(), *path = path_in(dir, "results.xml");
	struct nc_run run;
	size_t len = 0;
	char *text;

	sample_run(&run);
	CU_ASSERT_EQUAL(nc_results_write(&run, path), 0);
	nc_run_free(&run);
	text = slurp(path, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	text[len / 2] = '\0';
	CU_ASSERT_EQUAL(spill(path, text), 0);
	CU_ASSERT(read_must_fail(path) > 1);
	CU_ASSERT_EQUAL(spill(path, ""), 0);
	CU_ASSERT(read_must_fail(path) >= 1);
	free(text);
	free(path);
	remove_tmpdir(dir);
}

static void test_read_foreign(void)
{
	char *dir = make_tmpdir(), *path = path_in(dir, "results.xml");

	CU_ASSERT_EQUAL(spill(path, "<foo/>\n"), 0);
	CU_ASSERT_EQUAL(read_must_fail(path), 1);
	CU_ASSERT_EQUAL(spill(path, "<?xml version=\"1.0\"?>\n<testsuites name=\"x\"/>\n"), 0);
	CU_ASSERT_EQUAL(read_must_fail(path), 2);
	free(path);
	remove_tmpdir(dir);
}

static void test_read_wrong_version(void)
{
	char *dir = make_tmpdir(), *path = path_in(dir, "results.xml");

	CU_ASSERT_EQUAL(spill(path, "<?xml version=\"1.0\"?>\n"
			      "<netconform-results version=\"2\" seconds=\"1.000\"/>\n"), 0);
	CU_ASSERT_EQUAL(read_must_fail(path), 2);
	CU_ASSERT_EQUAL(spill(path, "<netconform-results seconds=\"1.000\"/>\n"), 0);
	CU_ASSERT_EQUAL(read_must_fail(path), 1);
	free(path);
	remove_tmpdir(dir);
}

/* A broken check is reported at its own line. */
static void test_read_bad_check(void)
{
	char *dir = make_tmpdir(), *path = path_in(dir, "results.xml");

	CU_ASSERT_EQUAL(spill(path, "<netconform-results version=\"1\" seconds=\"1.000\">\n"
			      "  <check id=\"a.b\" area=\"a\" verdict=\"pass\" outcome=\"pass\"/>\n"
			      "  <check id=\"a.c\" area=\"a\" verdict=\"maybe\" "
			      "outcome=\"pass\"/>\n"
			      "</netconform-results>\n"), 0);
	CU_ASSERT_EQUAL(read_must_fail(path), 3);
	CU_ASSERT_EQUAL(spill(path, "<netconform-results version=\"1\" seconds=\"1.000\">\n"
			      "  <check area=\"a\" verdict=\"pass\" outcome=\"pass\"/>\n"
			      "</netconform-results>\n"), 0);
	CU_ASSERT_EQUAL(read_must_fail(path), 2);
	CU_ASSERT_EQUAL(spill(path, "<netconform-results version=\"1\" seconds=\"1,5\"/>\n"), 0);
	CU_ASSERT_EQUAL(read_must_fail(path), 1);
	free(path);
	remove_tmpdir(dir);
}

static int (*const writers[])(const struct nc_run *, const char *) = {
	nc_results_write, nc_junit_write, nc_html_write,
};

#define N_WRITERS (sizeof(writers) / sizeof(writers[0]))

/* A failed write returns -errno and leaves neither the file nor PATH.tmp. */
static void expect_failed_write(const struct nc_run *run, const char *path, int want_err)
{
	char *tmp_path;

	if (asprintf(&tmp_path, "%s.tmp", path) < 0)
		abort();
	for (size_t w = 0; w < N_WRITERS; w++) {
		int err = writers[w](run, path);

		CU_ASSERT_EQUAL(err, want_err);
		if (err != want_err)
			printf("\n  writer %zu: %d (%s), expected %d\n", w, err,
			       strerror(-err), want_err);
		CU_ASSERT(!exists(tmp_path));
	}
	free(tmp_path);
}

static void test_write_failures(void)
{
	char *dir = make_tmpdir();
	char *missing = path_in(dir, "no/such/dir/out.xml");
	char *is_dir = path_in(dir, "out.xml");
	char *read_only = path_in(dir, "ro"), *in_read_only = path_in(read_only, "out.xml");
	struct nc_run run;

	sample_run(&run);
	expect_failed_write(&run, missing, -ENOENT);
	CU_ASSERT(!exists(missing));

	/* the rename is what fails: PATH.tmp must go */
	CU_ASSERT_EQUAL_FATAL(mkdir(is_dir, 0755), 0);
	expect_failed_write(&run, is_dir, -EISDIR);

	/* root writes anywhere: this one only means something as a user */
	CU_ASSERT_EQUAL(mkdir(read_only, 0555), 0);
	if (geteuid() != 0) {
		expect_failed_write(&run, in_read_only, -EACCES);
		CU_ASSERT(!exists(in_read_only));
	}

	/* a run that cannot be written faithfully is not written at all */
	run.results[2].verdict = NC_N_VERDICTS;
	expect_failed_write(&run, in_read_only, -EINVAL);
	CU_ASSERT(!exists(in_read_only));

	nc_run_free(&run);
	free(missing);
	free(is_dir);
	free(in_read_only);
	free(read_only);
	remove_tmpdir(dir);
}

/* The writers replace an older report whole. */
static void test_write_replaces(void)
{
	char *dir = make_tmpdir(), *path = path_in(dir, "results.xml"), *text;
	struct nc_run run;

	CU_ASSERT_EQUAL(spill(path, "old and much longer than anything we will write there, "
			      "really, a lot longer, so that a missing O_TRUNC would show"), 0);
	memset(&run, 0, sizeof(run));
	CU_ASSERT_EQUAL(nc_results_write(&run, path), 0);
	text = slurp(path, NULL);
	CU_ASSERT(text && strstr(text, "old and") == NULL);
	CU_ASSERT(text && strstr(text, "<netconform-results version=\"1\" seconds=\"0.000\">"));
	free(text);
	free(path);
	remove_tmpdir(dir);
}

NC_UNIT_SUITE(reports,
	NC_UNIT_TEST(test_verdict_names),
	NC_UNIT_TEST(test_raw_names),
	NC_UNIT_TEST(test_results_golden),
	NC_UNIT_TEST(test_results_round_trip),
	NC_UNIT_TEST(test_results_unwritable_bytes),
	NC_UNIT_TEST(test_junit_golden),
	NC_UNIT_TEST(test_junit_schema),
	NC_UNIT_TEST(test_junit_layout),
	NC_UNIT_TEST(test_html),
	NC_UNIT_TEST(test_html_assertions),
	NC_UNIT_TEST(test_empty_run),
	NC_UNIT_TEST(test_read_missing),
	NC_UNIT_TEST(test_read_truncated),
	NC_UNIT_TEST(test_read_foreign),
	NC_UNIT_TEST(test_read_wrong_version),
	NC_UNIT_TEST(test_read_bad_check),
	NC_UNIT_TEST(test_write_failures),
	NC_UNIT_TEST(test_write_replaces));
