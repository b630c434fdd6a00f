/* gai_strerror() for every EAI_* code the C library defines beyond the
 * document's table (EAI_NODATA, EAI_ADDRFAMILY, glibc's asynchronous and
 * IDN codes): each text recorded, and each its code's own, neither another
 * code's text nor the one for a code the library does not know. */
#include <netdb.h>
#include <string.h>

#include "check.h"

#define CODE(name) { #name, name }

static const struct platform_code {
	const char *name;
	int code;
} platform_codes[] = {
#ifdef EAI_NODATA
	CODE(EAI_NODATA),
#endif
#ifdef EAI_ADDRFAMILY
	CODE(EAI_ADDRFAMILY),
#endif
#ifdef EAI_INPROGRESS
	CODE(EAI_INPROGRESS),
#endif
#ifdef EAI_CANCELED
	CODE(EAI_CANCELED),
#endif
#ifdef EAI_NOTCANCELED
	CODE(EAI_NOTCANCELED),
#endif
#ifdef EAI_ALLDONE
	CODE(EAI_ALLDONE),
#endif
#ifdef EAI_INTR
	CODE(EAI_INTR),
#endif
#ifdef EAI_IDN_ENCODE
	CODE(EAI_IDN_ENCODE),
#endif
}, document_codes[] = {	/* the document's table's, to compare with too */
	CODE(EAI_AGAIN), CODE(EAI_BADFLAGS), CODE(EAI_FAIL), CODE(EAI_FAMILY),
	CODE(EAI_MEMORY), CODE(EAI_NONAME), CODE(EAI_SERVICE), CODE(EAI_SOCKTYPE),
	CODE(EAI_SYSTEM), CODE(EAI_OVERFLOW),
};

#define COUNT(codes) (sizeof(codes) / sizeof((codes)[0]))
#define UNKNOWN_CODE 4242	/* no C library's */

/* How many of codes[0..n), c's own left out, have the text. */
static unsigned codes_with_text_in(const struct platform_code *codes, size_t n,
				   const struct platform_code *c, const char *text)
{
	unsigned found = 0;

	for (size_t i = 0; i < n; i++) {
		const char *other = gai_strerror(codes[i].code);

		found += codes[i].code != c->code && other && strcmp(other, text) == 0;
	}
	return found;
}

/* How many other codes, the document's and the platform's, have the same text. */
static unsigned codes_with_text(const struct platform_code *c, const char *text)
{
	return codes_with_text_in(document_codes, COUNT(document_codes), c, text) +
	       codes_with_text_in(platform_codes, COUNT(platform_codes), c, text);
}

static void strerror_knows_code(const struct nc_case_ctx *ctx)
{
	const struct platform_code *c = ctx->data;
	const char *text = gai_strerror(c->code), *unknown = gai_strerror(UNKNOWN_CODE);

	nc_observe("value", "%d", c->code);
	nc_observe("gai_strerror", "%s", text ? text : "(null)");
	if (!text || !*text)
		nc_fatal("gai_strerror(%s) = %s", c->name, text ? "\"\"" : "NULL");
	NC_EXPECT_INT("other_codes_same_text", codes_with_text(c, text), 0);
	NC_EXPECT_STR("known_code", unknown && strcmp(text, unknown) == 0 ?
		      "no (the text of an unknown code)" : "yes", "yes");
}

NC_CHECK(gai_strerror, platform_codes) = {
	.beyond = "the document's table lists ten EAI_* codes; these are the C library's own (its netdb.h)",
	.summary = "gai_strerror() of every EAI_* code the C library defines beyond the document's: a text of its own, not another code's nor an unknown code's",
	.clauses = NC_CLAUSES("gai-2"),
	NC_CASES(platform_codes),
	.run = strerror_knows_code,
	.deadline_ms = 2000,
};
