/* Text in lines of a given width (lib/base/wrap.h). */
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "wrap.h"

void nc_print_hanging(FILE *stream, const char *lead, const char *indent, const char *text,
		      unsigned width)
{
	const char *first = lead;

	while (text && *text) {
		const char *margin = first ? first : indent;
		size_t room = width > strlen(margin) + 20 ? width - strlen(margin) : 20;
		size_t len = strcspn(text, "\n"), cut = len;

		if (len > room) {	/* at the last blank that fits, else mid-word */
			cut = room;
			while (cut > room / 2 && text[cut] != ' ')
				cut--;
			if (text[cut] != ' ')
				cut = room;
			while (cut > 1 && (text[cut] & 0xc0) == 0x80)
				cut--;	/* never inside a UTF-8 character (the Chinese text) */
		}
		fputs(margin, stream);
		nc_escape_put(stream, text, cut);	/* ESC, BEL from a file stay text */
		fputc('\n', stream);
		first = NULL;
		text += cut;
		while (cut < len && *text == ' ')	/* the blanks at a wrap */
			text++;
		if (*text == '\n')
			text++;
	}
}

void nc_print_wrapped(FILE *stream, const char *indent, const char *text, unsigned width)
{
	nc_print_hanging(stream, indent, indent, text, width);
}
