/* Splitting a line of a scenario (or a runtime spec such as a fault rule)
 * into words: blanks separate, "#" starts a comment. */
#ifndef NC_WORDS_H
#define NC_WORDS_H

#include <string.h>

/* Cuts line in place; returns the number of words, or -1 past max. */
static inline int nc_words_split(char *line, char **words, int max)
{
	int n = 0;
	char *hash = strchr(line, '#');

	if (hash)
		*hash = '\0';
	for (char *save = NULL, *w = strtok_r(line, " \t\r\n", &save); w;
	     w = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == max)
			return -1;
		words[n++] = w;
	}
	return n;
}

#endif
