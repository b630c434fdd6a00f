/* The one voice of another-kernel runs (vm_guest.h): "netconform: vm: what
 * is wrong" on stderr, and the exit status it ends the run with. */
#include <stdarg.h>

#include "cli.h"
#include "vm_guest.h"

int nc_vm_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	nc_say_error_v("vm", fmt, ap);
	va_end(ap);
	return 2;
}
