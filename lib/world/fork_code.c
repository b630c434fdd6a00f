/* The code a forked check finds mapped (fork_code.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fork_code.h"

/* Gives the mapping at lo its private page: its first byte written over
 * itself through /proc/self/mem, which copies the page as a debugger's
 * breakpoint does, the mapping's permissions untouched.  A page past the
 * end of its file is EIO here, not a SIGBUS. */
static int give_private_page(int mem, unsigned long lo)
{
	char byte;

	if (pread(mem, &byte, 1, (off_t)lo) != 1 || pwrite(mem, &byte, 1, (off_t)lo) != 1)
		return -errno;
	return 0;
}

/* Whether the mapping's file is glibc or its loader (libc.so.6;
 * ld-linux-x86-64.so.2, ld-linux-aarch64.so.1, ld64.so.2 ...). */
static bool is_libc(const char *path)
{
	const char *base = strrchr(path, '/');

	return base && (strncmp(base + 1, "libc.so.", 8) == 0 ||
			strncmp(base + 1, "ld-linux", 8) == 0 ||
			strncmp(base + 1, "ld64.so.", 8) == 0);
}

int nc_fork_code_share(void)
{
	FILE *maps = fopen("/proc/self/maps", "re");
	int mem = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	char line[4096 + 128], perms[8], path[4096];
	unsigned long lo, hi;
	int err = maps && mem >= 0 ? 0 : -errno;

	while (!err && fgets(line, sizeof(line), maps)) {
		/* "lo-hi perms offset dev inode path": a file's private code
		 * or constants */
		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %4095s", &lo, &hi, perms, path) != 4 ||
		    (strcmp(perms, "r-xp") != 0 && strcmp(perms, "r--p") != 0) || path[0] != '/')
			continue;
		err = give_private_page(mem, lo);
		if (err == -EIO)	/* that file's page, not the others' */
			err = 0;
		else if (!err && is_libc(path))
			(void)madvise((void *)lo, hi - lo, MADV_POPULATE_READ);
	}
	if (maps)
		fclose(maps);
	if (mem >= 0)
		close(mem);
	return err;
}
