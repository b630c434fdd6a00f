/* What a running check reports: records on a descriptor the runner reads,
 * and failures through CUnit, so CUnit stays the assertion layer. */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "sockaddr.h"

static int result_fd = -1;

void nc_result_open(int fd)
{
	result_fd = fd;
}

/* Tabs and newlines would split the record: escape them. */
static size_t escape(char *out, size_t size, const char *in)
{
	size_t n = 0;

	for (; *in && n + 2 < size; in++) {
		switch (*in) {
		case '\t': out[n++] = '\\'; out[n++] = 't'; break;
		case '\n': out[n++] = '\\'; out[n++] = 'n'; break;
		case '\\': out[n++] = '\\'; out[n++] = '\\'; break;
		default: out[n++] = *in;
		}
	}
	out[n] = '\0';
	return n;
}

/* One record, one write(): records of a crashing check stay whole. */
void nc_record(const char *kind, const char *key, const char *value)
{
	char line[8192];
	size_t n;

	if (result_fd < 0)
		return;
	n = escape(line, sizeof(line) / 4, kind);
	line[n++] = '\t';
	n += escape(line + n, sizeof(line) / 4, key ? key : "");
	line[n++] = '\t';
	n += escape(line + n, sizeof(line) - n - 1, value ? value : "");
	line[n++] = '\n';
	if (write(result_fd, line, n) < 0)
		return;	/* the runner reports the check as lost */
}

static void record_v(const char *kind, const char *key, const char *fmt, va_list ap)
{
	char value[2048];

	vsnprintf(value, sizeof(value), fmt, ap);
	nc_record(kind, key, value);
}

void nc_observe(const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record_v("observed", key, fmt, ap);
	va_end(ap);
}

void nc_expect(const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record_v("expected", key, fmt, ap);
	va_end(ap);
}

void nc_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record_v("skip", "", fmt, ap);
	va_end(ap);
	_exit(0);
}

void nc_fail_(const char *file, int line, bool fatal, const char *fmt, ...)
{
	char message[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	CU_assertImplementation(CU_FALSE, (unsigned)line, message, file, "",
				fatal ? CU_TRUE : CU_FALSE);
}

void nc_pass_(const char *file, int line)
{
	CU_assertImplementation(CU_TRUE, (unsigned)line, "", file, "", CU_FALSE);
}

void nc_expect_errno_(const char *call, long ret, int got, int want,
		      const struct nc_sockaddr *peer, const char *file, int line)
{
	char where[NC_SOCKADDR_STRLEN], got_str[48];
	int name_len = (int)strcspn(call, "(");

	nc_expect("errno", "%s", nc_errno_name(want));
	nc_observe("errno", "%s", ret == -1 ? nc_errno_name(got) : "none");
	if (ret == -1 && got == want) {
		nc_pass_(file, line);
		return;
	}
	if (peer)
		nc_sockaddr_str(peer, where, sizeof(where));
	if (ret == -1)
		snprintf(got_str, sizeof(got_str), "-1 %s", nc_errno_name(got));
	else
		snprintf(got_str, sizeof(got_str), "%ld", ret);
	if (peer)
		nc_fail_(file, line, false, "%.*s(%s) = %s, expected -1 %s",
			 name_len, call, where, got_str, nc_errno_name(want));
	else
		nc_fail_(file, line, false, "%s = %s, expected -1 %s",
			 call, got_str, nc_errno_name(want));
}

void nc_expect_int_(const char *what, long long got, long long want,
		    const char *file, int line)
{
	if (got == want)
		nc_pass_(file, line);
	else
		nc_fail_(file, line, false, "%s = %lld, expected %lld", what, got, want);
}

void nc_expect_addr_(const char *what, const struct nc_sockaddr *got,
		     const struct nc_sockaddr *want, const char *file, int line)
{
	char got_text[NC_SOCKADDR_STRLEN], want_text[NC_SOCKADDR_STRLEN];

	nc_sockaddr_str(got, got_text, sizeof(got_text));
	nc_sockaddr_str(want, want_text, sizeof(want_text));
	nc_expect(what, "%s (len %u)", want_text, (unsigned)want->len);
	nc_observe(what, "%s (len %u)", got_text, (unsigned)got->len);
	if (nc_sockaddr_equal(got, want))
		nc_pass_(file, line);
	else
		nc_fail_(file, line, false, "%s = %s (len %u), expected %s (len %u)", what,
			 got_text, (unsigned)got->len, want_text, (unsigned)want->len);
}

const char *nc_check_area(const struct nc_check *check, char *buf, size_t size)
{
	size_t len = strcspn(check->id, ".");

	if (len >= size)
		len = size - 1;
	memcpy(buf, check->id, len);
	buf[len] = '\0';
	return buf;
}
