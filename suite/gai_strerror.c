/* gai_strerror(): a string for every EAI_* code (document section
 * "getaddrinfo() 和 getnameinfo()"). */
#include <ctype.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

/* Words that say what a code means, as the C libraries seen here word it
 * (glibc 2.36, musl 1.2.3 and 1.2.5), lower case; no two codes share one. */
#define SAYS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const struct strerror_case {
	const char *name;
	int code;
	const char *const *says;
} code_cases[] = {
	{ "EAI_AGAIN", EAI_AGAIN, SAYS("temporary", "try again") },
	{ "EAI_BADFLAGS", EAI_BADFLAGS, SAYS("flags") },
	{ "EAI_FAIL", EAI_FAIL, SAYS("non-recoverable") },
	{ "EAI_FAMILY", EAI_FAMILY, SAYS("family") },
	{ "EAI_MEMORY", EAI_MEMORY, SAYS("memory") },
	{ "EAI_NONAME", EAI_NONAME, SAYS("name or service not known", "does not resolve") },
	{ "EAI_SERVICE", EAI_SERVICE, SAYS("servname", "unrecognized service") },
	{ "EAI_SOCKTYPE", EAI_SOCKTYPE, SAYS("socktype not supported", "socket type") },
	{ "EAI_SYSTEM", EAI_SYSTEM, SAYS("system error") },
	{ "EAI_OVERFLOW", EAI_OVERFLOW, SAYS("overflow", "too large for supplied buffer") },
}, unknown_cases[] = {
	{ "positive", 4242, NULL },
	{ "negative", -4242, NULL },
};

#define N_CODES (sizeof(code_cases) / sizeof(code_cases[0]))

/* The codes whose words text holds, "+"-joined; "none" when it holds none. */
static const char *meaning_of(const char *text, char *buf, size_t size)
{
	char lower[256];
	size_t used = 0, i;

	for (i = 0; text[i] && i < sizeof(lower) - 1; i++)
		lower[i] = (char)tolower((unsigned char)text[i]);
	lower[i] = '\0';
	buf[0] = '\0';
	for (i = 0; i < N_CODES && used < size; i++)
		for (const char *const *word = code_cases[i].says; *word; word++)
			if (strstr(lower, *word)) {
				used += (size_t)snprintf(buf + used, size - used, "%s%s",
							 used ? "+" : "", code_cases[i].name);
				break;
			}
	return used ? buf : "none";
}

/* Non-empty, saying what its code means (a text given to another code says
 * that code's meaning), and unlike the string of any other code. */
static void strerror_names_code(const struct nc_case_ctx *ctx)
{
	const struct strerror_case *c = ctx->data;
	const char *text = gai_strerror(c->code);
	char meaning[256];

	nc_observe("gai_strerror", "%s", text ? text : "(null)");
	if (!text || !*text)
		nc_fatal("gai_strerror(%s) = %s", c->name, text ? "\"\"" : "NULL");
	NC_EXPECT_STR("meaning", meaning_of(text, meaning, sizeof(meaning)), c->name);
	for (size_t i = 0; i < N_CODES; i++) {
		const char *other;

		if (code_cases[i].code == c->code)
			continue;
		other = gai_strerror(code_cases[i].code);
		NC_EXPECT_TRUE(!other || strcmp(text, other) != 0,
			       "gai_strerror(%s) = gai_strerror(%s) = \"%s\"", c->name,
			       code_cases[i].name, text);
	}
}

NC_CHECK(gai_strerror, codes) = {
	.summary = "gai_strerror() returns a non-empty string for every EAI_* code that says what the code means (the words of glibc's and musl's texts), different for each code",
	.covers = "text:own-meaning,distinct",
	.clauses = NC_CLAUSES("gai-2"),
	NC_CASES(code_cases),
	.run = strerror_names_code,
	.deadline_ms = 2000,
};

static void strerror_of_unknown(const struct nc_case_ctx *ctx)
{
	const struct strerror_case *c = ctx->data;
	const char *text = gai_strerror(c->code);

	char meaning[256];

	nc_observe("gai_strerror", "%s", text ? text : "(null)");
	NC_EXPECT_TRUE(text && *text, "gai_strerror(%d) = %s", c->code, text ? "\"\"" : "NULL");
	if (text)	/* no code's meaning */
		NC_EXPECT_STR("meaning", meaning_of(text, meaning, sizeof(meaning)), "none");
}

NC_CHECK(gai_strerror, unknown) = {
	.beyond = "the document speaks only of the EAI_* codes getaddrinfo() and getnameinfo() return",
	.summary = "gai_strerror() of a code that is no EAI_* code still returns a non-empty string",
	.clauses = NC_CLAUSES("gai-2"),
	NC_CASES(unknown_cases),
	.run = strerror_of_unknown,
	.deadline_ms = 2000,
};
