/* gai_strerror(): a string for every EAI_* code (document section
 * "getaddrinfo() 和 getnameinfo()"). */
#include <netdb.h>
#include <string.h>

#include "check.h"

static const struct strerror_case {
	const char *name;
	int code;
} code_cases[] = {
	{ "EAI_AGAIN", EAI_AGAIN },
	{ "EAI_BADFLAGS", EAI_BADFLAGS },
	{ "EAI_FAIL", EAI_FAIL },
	{ "EAI_FAMILY", EAI_FAMILY },
	{ "EAI_MEMORY", EAI_MEMORY },
	{ "EAI_NONAME", EAI_NONAME },
	{ "EAI_SERVICE", EAI_SERVICE },
	{ "EAI_SOCKTYPE", EAI_SOCKTYPE },
	{ "EAI_SYSTEM", EAI_SYSTEM },
	{ "EAI_OVERFLOW", EAI_OVERFLOW },
}, unknown_cases[] = {
	{ "positive", 4242 },
	{ "negative", -4242 },
};

#define N_CODES (sizeof(code_cases) / sizeof(code_cases[0]))

/* Non-empty, and unlike the string of any other code of the table. */
static void strerror_names_code(const struct nc_case_ctx *ctx)
{
	const struct strerror_case *c = ctx->data;
	const char *text = gai_strerror(c->code);

	nc_observe("gai_strerror", "%s", text ? text : "(null)");
	if (!text || !*text)
		nc_fatal("gai_strerror(%s) = %s", c->name, text ? "\"\"" : "NULL");
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
	.summary = "gai_strerror() returns a non-empty string for every EAI_* code, different for each code",
	.clauses = NC_CLAUSES("gai-2"),
	NC_CASES(code_cases),
	.run = strerror_names_code,
	.deadline_ms = 2000,
};

static void strerror_of_unknown(const struct nc_case_ctx *ctx)
{
	const struct strerror_case *c = ctx->data;
	const char *text = gai_strerror(c->code);

	nc_observe("gai_strerror", "%s", text ? text : "(null)");
	NC_EXPECT_TRUE(text && *text, "gai_strerror(%d) = %s", c->code, text ? "\"\"" : "NULL");
}

NC_CHECK(gai_strerror, unknown) = {
	.beyond = "the document speaks only of the EAI_* codes getaddrinfo() and getnameinfo() return",
	.summary = "gai_strerror() of a code that is no EAI_* code still returns a non-empty string",
	.clauses = NC_CLAUSES("gai-2"),
	NC_CASES(unknown_cases),
	.run = strerror_of_unknown,
	.deadline_ms = 2000,
};
