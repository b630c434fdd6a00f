/* Control bytes escaped for a terminal (lib/base/escape.h). */
#include <stdio.h>
#include <string.h>

#include "escape.h"

/* The escape of c into out (at least 5 bytes), or "" when c prints as itself. */
static const char *escape_of(unsigned char c, char *out)
{
	static const char named[] = "\a\b\f\n\r\v\033", letters[] = "abfnrve";
	const char *at = c ? strchr(named, c) : NULL;

	out[0] = '\0';
	if (at)
		snprintf(out, 5, "\\%c", letters[at - named]);
	else if ((c < 0x20 && c != '\t') || c == 0x7f)
		snprintf(out, 5, "\\x%02x", c);
	return out;
}

void nc_escape_put(FILE *out, const char *text, size_t len)
{
	char esc[5];

	for (size_t i = 0; i < len; i++)
		if (*escape_of((unsigned char)text[i], esc))
			fputs(esc, out);
		else
			fputc(text[i], out);
}

void nc_escape_line(FILE *out, const char *text)
{
	nc_escape_put(out, text, strlen(text));
	fputc('\n', out);
}

const char *nc_escape(const char *text, char *buf, size_t size)
{
	size_t used = 0;
	char esc[5];

	for (; *text && used + 1 < size; text++) {
		const char *put = escape_of((unsigned char)*text, esc);
		size_t n = *put ? strlen(put) : 1;

		if (used + n >= size)
			break;
		memcpy(buf + used, *put ? put : text, n);
		used += n;
	}
	if (size)
		buf[used] = '\0';
	return buf;
}
