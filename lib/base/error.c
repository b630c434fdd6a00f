#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

static __thread char message[512];

int nc_error(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	return err;
}

const char *nc_error_message(void)
{
	return message;
}

void nc_error_clear(void)
{
	message[0] = '\0';
}

const char *nc_error_text(int err, char *buf, unsigned size)
{
	if (message[0])
		snprintf(buf, size, "%s: %s", message, strerror(err < 0 ? -err : err));
	else
		snprintf(buf, size, "%s", strerror(err < 0 ? -err : err));
	return buf;
}
