/* The platforms of harness/platforms.txt (its first comment says what each
 * field is): read strictly, every mistake `file:line: what is wrong`. */
#ifndef NC_PLATFORM_H
#define NC_PLATFORM_H

#include <stddef.h>

#define NC_PLATFORMS_FILE NC_SRCDIR "/harness/platforms.txt"

struct nc_platform {
	char name[64];
	char get[64];		/* harness/platform.sh's argument, "-": none */
	char enter[16];		/* host, qemu, runsc */
	char libc[16];		/* glibc, musl */
	char scale[16];		/* a number, or "accel" */
	char expect[128];	/* under expectations/ */
};

/* The platform called name, from path, into *out.  Returns 0, -ENOENT when
 * path has none of that name (err lists the names), or -1 with
 * `file:line: what is wrong` in err. */
int nc_platform_find(const char *path, const char *name, struct nc_platform *out, char *err,
		     size_t errsize);

/* `harness/platform.sh GET`: the kernel image or program it prints, into
 * buf.  Returns 0, or 2 after one line on stderr (3 from platform.sh: this
 * machine cannot make it, said why). */
int nc_platform_get(const struct nc_platform *p, char *buf, size_t size);

#endif
