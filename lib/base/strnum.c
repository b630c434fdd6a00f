#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "strnum.h"

/* strto*() skip leading blanks and take a sign; we take neither loosely. */
static int starts_well(const char *text, int allow_minus)
{
	if (!text || !*text)
		return 0;
	if (*text == '-' && allow_minus)
		text++;
	return isdigit((unsigned char)*text) || (*text == '.' && isdigit((unsigned char)text[1]));
}

int nc_parse_ulong(const char *text, unsigned long min, unsigned long max,
		   unsigned long *out)
{
	char *end;
	unsigned long value;

	if (!starts_well(text, 0))
		return -EINVAL;
	errno = 0;
	value = strtoul(text, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || value < min || value > max)
		return -ERANGE;
	*out = value;
	return 0;
}

int nc_parse_long(const char *text, long min, long max, long *out)
{
	char *end;
	long value;

	if (!starts_well(text, 1))
		return -EINVAL;
	errno = 0;
	value = strtol(text, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || value < min || value > max)
		return -ERANGE;
	*out = value;
	return 0;
}

int nc_parse_double(const char *text, double min, double max, double *out)
{
	char *end;
	double value;

	if (!starts_well(text, 1) || strpbrk(text, "xX"))
		return -EINVAL;	/* also "nan", "inf", "infinity", hexadecimal */
	errno = 0;
	value = strtod(text, &end);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || !isfinite(value) || value < min || value > max)
		return -ERANGE;
	*out = value;
	return 0;
}
