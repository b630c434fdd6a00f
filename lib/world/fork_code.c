/* The code a forked check finds mapped (fork_code.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "fork_code.h"

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22	/* Linux 5.14 */
#endif

/* Gives the read-only mapping [lo, hi) its private page.  Writing takes
 * the mapping writable for that one write, never longer; that it cannot
 * be made read-only again is the one error. */
static int give_private_page(char *lo, size_t len, int prot)
{
	if (mprotect(lo, len, prot | PROT_WRITE) < 0)
		return 0;	/* refused: the mapping is left as it was */
	*(volatile char *)lo = *(volatile char *)lo;
	return mprotect(lo, len, prot) < 0 ? -errno : 0;
}

/* Whether the mapping's file is the C library or its loader (glibc's
 * libc.so.6, ld-linux-x86-64.so.2 and its kin on other machines). */
static bool is_libc(const char *path)
{
	const char *base = strrchr(path, '/');

	return base && (strncmp(base + 1, "libc.so.", 8) == 0 ||
			strncmp(base + 1, "ld-linux", 8) == 0);
}

int nc_fork_code_share(void)
{
	FILE *maps = fopen("/proc/self/maps", "re");
	char line[4096 + 128], perms[8], path[4096];
	unsigned long lo, hi;
	int err = 0;

	if (!maps)
		return -errno;
	while (!err && fgets(line, sizeof(line), maps)) {
		/* "lo-hi perms offset dev inode path": a file's private code
		 * or constants */
		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %4095s", &lo, &hi, perms, path) != 4 ||
		    (strcmp(perms, "r-xp") != 0 && strcmp(perms, "r--p") != 0) || path[0] != '/')
			continue;
		err = give_private_page((char *)lo, hi - lo,
					perms[2] == 'x' ? PROT_READ | PROT_EXEC : PROT_READ);
		if (!err && is_libc(path))
			(void)madvise((void *)lo, hi - lo, MADV_POPULATE_READ);
	}
	fclose(maps);
	return err;
}
