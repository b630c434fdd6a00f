/* What a running check reports: every assertion, pass or fail, as one
 * record (record.h) with its key, expected and observed value; a reporter
 * the harness installs sees each one too. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "sockaddr.h"
#include "state.h"

void nc_check_set_reporter(nc_check_reporter *hook)
{
	nc_check_state.reporter = hook;
}

void nc_check_run(const struct nc_case_ctx *ctx)
{
	jmp_buf here;

	if (setjmp(here) == 0) {
		nc_check_state.running = &here;
		ctx->check->run(ctx);
	}
	nc_check_state.running = NULL;
}

void nc_check_done(void)
{
	nc_record_emit(&(struct nc_record){ .kind = NC_RECORD_DONE,
					    .assertions = __atomic_load_n(&nc_check_state.assertions,
								       __ATOMIC_RELAXED) });
}

void nc_assert_(const struct nc_assertion *a)
{
	nc_record_emit(&(struct nc_record){ .kind = NC_RECORD_ASSERT, .assertion = *a });
	if (a->role != NC_ASSERT_SETUP)
		__atomic_fetch_add(&nc_check_state.assertions, 1, __ATOMIC_RELAXED);
	if (nc_check_state.reporter)
		nc_check_state.reporter(a);
	if (a->passed || a->role == NC_ASSERT_EXPECT)
		return;
	if (nc_check_state.running)
		longjmp(*nc_check_state.running, 1);
	_exit(1);	/* outside nc_check_run: nowhere to return to */
}

/* What an id is made of; it starts with no digit. */
static const char id_chars[] =
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.";

bool nc_key_is_id(const char *text)
{
	if (!*text || (*text >= '0' && *text <= '9'))
		return false;
	for (; *text; text++)
		if (!strchr(id_chars, *text))
			return false;
	return true;
}

struct nc_key nc_key_itself_(struct nc_key key)
{
	return key;
}

struct nc_key nc_key_text_(const char *id)
{
	return (struct nc_key){ id, id, NULL };
}

struct nc_key nc_state_key(const char *side)
{
	if (strcmp(side, "client") == 0)
		return NC_STATE(client);
	if (strcmp(side, "server") == 0)
		return NC_STATE(server);
	return (struct nc_key){ "state", "state", side };
}

/* A key whose id a pin could not name is the check's own defect: it ends
 * as an error, whatever it asserted, so no such key reaches a report. */
static void need_id(const struct nc_key *key)
{
	char message[2048];

	if (nc_key_is_id(key->id))
		return;
	snprintf(message, sizeof(message), "key \"%s\" is no id (letters, digits, '_', '.'): "
		 "write NC_KEY(id, \"%s\")", key->id, key->id);
	nc_record_text(NC_RECORD_ERROR, message);
	_exit(1);
}

/* The id of a text that has none of its own (a condition, a setup call):
 * the text with each run of other characters one '_', "true" if nothing
 * is left. */
static const char *text_id(const char *text, char *buf, size_t size)
{
	size_t n = 0;

	for (; *text && n + 2 < size; text++) {
		if (strchr(id_chars, *text))
			buf[n++] = *text;
		else if (n && buf[n - 1] != '_')
			buf[n++] = '_';
	}
	while (n && buf[n - 1] == '_')
		n--;
	buf[n] = '\0';
	if (!n || (buf[0] >= '0' && buf[0] <= '9'))
		snprintf(buf, size, "true");
	return buf;
}

static void record_v(enum nc_record_kind kind, struct nc_key key, const char *fmt, va_list ap)
{
	char value[2048];

	need_id(&key);
	vsnprintf(value, sizeof(value), fmt, ap);
	nc_record_emit(&(struct nc_record){ .kind = kind,
					    .value = { key.id, key.label, key.side, value } });
}

void nc_observe_(struct nc_key key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record_v(NC_RECORD_OBSERVED, key, fmt, ap);
	va_end(ap);
}

void nc_expect_(struct nc_key key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record_v(NC_RECORD_EXPECTED, key, fmt, ap);
	va_end(ap);
}

void nc_skip(const char *fmt, ...)
{
	char reason[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	nc_record_text(NC_RECORD_SKIP, reason);
	_exit(0);
}

/* One assertion whose message is "label = observed, expected expected", or
 * the caller's own. */
static void assert_values(bool passed, struct nc_key key, const char *expected,
			  const char *observed, const char *file, int line, const char *message)
{
	char standard[2048];

	need_id(&key);
	if (!message) {
		snprintf(standard, sizeof(standard), "%s = %s, expected %s", key.label, observed,
			 expected);
		message = standard;
	}
	nc_assert_(&(struct nc_assertion){
		.passed = passed, .role = NC_ASSERT_EXPECT, .key = key.id, .label = key.label,
		.side = key.side, .expected = expected, .observed = observed, .file = file,
		.line = line, .message = passed ? "" : message,
	});
}

void nc_expect_errno_(const char *call, long ret, int got, int want,
		      const struct nc_sockaddr *peer, const char *file, int line)
{
	char where[NC_SOCKADDR_STRLEN], got_str[48], message[2048];
	int name_len = (int)strcspn(call, "(");
	bool passed = ret == -1 && got == want;

	if (ret == -1)
		snprintf(got_str, sizeof(got_str), "-1 %s", nc_errno_name(got));
	else
		snprintf(got_str, sizeof(got_str), "%ld", ret);
	if (peer)
		snprintf(message, sizeof(message), "%.*s(%s) = %s, expected -1 %s", name_len, call,
			 nc_sockaddr_str(peer, where, sizeof(where)), got_str, nc_errno_name(want));
	else
		snprintf(message, sizeof(message), "%s = %s, expected -1 %s", call, got_str,
			 nc_errno_name(want));
	assert_values(passed, nc_key_text_("errno"), nc_errno_name(want),
		      ret == -1 ? nc_errno_name(got) : "none", file, line, message);
}

void nc_expect_int_(struct nc_key key, long long got, long long want, const char *file, int line)
{
	char got_text[24], want_text[24];

	snprintf(got_text, sizeof(got_text), "%lld", got);
	snprintf(want_text, sizeof(want_text), "%lld", want);
	assert_values(got == want, key, want_text, got_text, file, line, NULL);
}

void nc_expect_range_(struct nc_key key, long long got, long long min, long long max,
		      bool has_min, bool has_max, const char *file, int line)
{
	char got_text[24], want_text[56];

	snprintf(got_text, sizeof(got_text), "%lld", got);
	if (has_min && has_max)
		snprintf(want_text, sizeof(want_text), "%lld..%lld", min, max);
	else if (has_min)
		snprintf(want_text, sizeof(want_text), ">= %lld", min);
	else
		snprintf(want_text, sizeof(want_text), "<= %lld", max);
	assert_values((!has_min || got >= min) && (!has_max || got <= max), key, want_text,
		      got_text, file, line, NULL);
}

void nc_expect_state_(struct nc_key key, int got, int want, const char *file, int line)
{
	assert_values(got == want, key, nc_tcp_state_name(want),
		      got < 0 ? nc_errno_name(-got) : nc_tcp_state_name(got), file, line, NULL);
}

void nc_expect_eai_(struct nc_key key, int got, int want, const char *file, int line)
{
	assert_values(got == want, key, nc_eai_name(want), nc_eai_name(got), file, line, NULL);
}

void nc_expect_str_(struct nc_key key, const char *got, const char *want,
		    const char *file, int line)
{
	char message[2048];

	snprintf(message, sizeof(message), "%s = \"%s\", expected \"%s\"", key.label,
		 got ? got : "(null)", want ? want : "(null)");
	assert_values(got == want || (got && want && strcmp(got, want) == 0), key,
		      want ? want : "(null)", got ? got : "(null)", file, line, message);
}

/* The fields an address's text leaves out, where they are not zero:
 * " sin_zero 0102030405060708", " sin6_flowinfo 5", " sin6_scope_id 2". */
static void hidden_fields(const struct nc_sockaddr *addr, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	if (addr->sa.sa_family == AF_INET &&
	    memcmp(addr->in.sin_zero, (char[sizeof(addr->in.sin_zero)]){ 0 },
		   sizeof(addr->in.sin_zero)) != 0) {
		used += (size_t)snprintf(buf, size, " sin_zero ");
		for (size_t i = 0; i < sizeof(addr->in.sin_zero) && used < size; i++)
			used += (size_t)snprintf(buf + used, size - used, "%02x",
						 addr->in.sin_zero[i]);
	}
	if (addr->sa.sa_family == AF_INET6 && addr->in6.sin6_flowinfo)
		used += (size_t)snprintf(buf + used, size - used, " sin6_flowinfo %u",
					 (unsigned)ntohl(addr->in6.sin6_flowinfo));
	if (addr->sa.sa_family == AF_INET6 && addr->in6.sin6_scope_id && used < size)
		snprintf(buf + used, size - used, " sin6_scope_id %u",
			 (unsigned)addr->in6.sin6_scope_id);
}

/* Every field: family, port and address by their text, the length, and
 * the fields the text leaves out (sin_zero, sin6_flowinfo, sin6_scope_id). */
void nc_expect_addr_(struct nc_key key, const struct nc_sockaddr *got,
		     const struct nc_sockaddr *want, const char *file, int line)
{
	char got_text[NC_SOCKADDR_STRLEN + 96], want_text[NC_SOCKADDR_STRLEN + 96];
	char address[NC_SOCKADDR_STRLEN], got_hidden[64], want_hidden[64];

	hidden_fields(got, got_hidden, sizeof(got_hidden));
	hidden_fields(want, want_hidden, sizeof(want_hidden));
	snprintf(got_text, sizeof(got_text), "%s (len %u)%s",
		 nc_sockaddr_str(got, address, sizeof(address)), (unsigned)got->len, got_hidden);
	snprintf(want_text, sizeof(want_text), "%s (len %u)%s",
		 nc_sockaddr_str(want, address, sizeof(address)), (unsigned)want->len,
		 want_hidden);
	assert_values(nc_sockaddr_equal(got, want) && strcmp(got_hidden, want_hidden) == 0, key,
		      want_text, got_text, file, line, NULL);
}

void nc_expect_true_(struct nc_key key, bool passed, const char *file, int line,
		     const char *fmt, ...)
{
	char message[2048] = "", id[128];
	va_list ap;

	if (!key.id)
		key.id = text_id(key.label, id, sizeof(id));
	if (!passed) {
		va_start(ap, fmt);
		vsnprintf(message, sizeof(message), fmt, ap);
		va_end(ap);
	}
	assert_values(passed, key, "true", passed ? "true" : "false", file, line, message);
}

void nc_failf_(enum nc_assert_role role, const char *file, int line, const char *fmt, ...)
{
	char message[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	nc_assert_(&(struct nc_assertion){
		.passed = false, .role = role, .key = "", .expected = "", .observed = "",
		.file = file, .line = line, .message = message,
	});
}

void nc_setup_failed_sys_(const char *call, long ret, int err, const char *file, int line)
{
	char observed[48], message[2048], id[128];

	snprintf(observed, sizeof(observed), "%ld %s", ret, nc_errno_name(err));
	snprintf(message, sizeof(message), "%s = %s", call, observed);
	nc_assert_(&(struct nc_assertion){
		.passed = false, .role = NC_ASSERT_SETUP, .key = text_id(call, id, sizeof(id)),
		.label = call, .expected = ">= 0",
		.observed = observed, .file = file, .line = line, .message = message,
	});
}

void nc_setup_failed_(const char *call, int err, const char *file, int line)
{
	char observed[48], text[1024], message[2048], id[128];

	/* lib/'s word for a capability this system lacks (a read-only sysctl,
	 * no sock_diag, no sch_netem): the check cannot run here */
	if (err == -EOPNOTSUPP)
		nc_skip("%s: %s", call, nc_error_text(err, text, sizeof(text)));

	snprintf(observed, sizeof(observed), "-%s", nc_errno_name(-err));
	snprintf(message, sizeof(message), "%s = %s: %s", call, observed,
		 nc_error_text(err, text, sizeof(text)));
	nc_assert_(&(struct nc_assertion){
		.passed = false, .role = NC_ASSERT_SETUP, .key = text_id(call, id, sizeof(id)),
		.label = call, .expected = ">= 0",
		.observed = observed, .file = file, .line = line, .message = message,
	});
}
