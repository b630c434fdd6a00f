/* nc_fork_code_share() (lib/world/fork_code.h): a child forked after it
 * starts with the C library's code mapped whole, not page by page as it
 * runs it, and the maps of files are as they were. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fork_code.h"
#include "unit.h"

/* The lines of /proc/self/maps that map a file, one after another. */
static void file_mappings(char *buf, size_t size)
{
	FILE *maps = fopen("/proc/self/maps", "re");
	char line[4200];
	size_t used = 0;

	buf[0] = '\0';
	while (maps && fgets(line, sizeof(line), maps))
		if (strchr(line, '/') && used + strlen(line) < size) {
			memcpy(buf + used, line, strlen(line) + 1);
			used += strlen(line);
		}
	if (maps)
		fclose(maps);
}

/* Of the C library's code mapping, from /proc/self/smaps: its size and how
 * much of it this process has mapped, in kB; false when not found. */
static bool libc_code_kb(long *size, long *rss)
{
	FILE *smaps = fopen("/proc/self/smaps", "re");
	char line[4200];
	bool in_libc = false, found = false;

	*size = *rss = -1;
	while (smaps && fgets(line, sizeof(line), smaps)) {
		char perms[8];

		if (sscanf(line, "%*x-%*x %7s", perms) == 1 && strchr(line, '/'))
			in_libc = strcmp(perms, "r-xp") == 0 && strstr(line, "/libc.so.");
		else if (in_libc && sscanf(line, "Size: %ld kB", size) == 1)
			continue;
		else if (in_libc && sscanf(line, "Rss: %ld kB", rss) == 1)
			found = *size > 0, in_libc = false;
	}
	if (smaps)
		fclose(smaps);
	return found;
}

static void forked_child_has_libc_code_mapped(void)
{
	static char before[1 << 16], after[1 << 16];
	long size, rss;
	int status = -1, err;
	pid_t pid;

	/* where the kernel cannot populate a mapping, there is nothing to see */
	if (madvise((void *)((uintptr_t)before & ~(uintptr_t)4095), 4096, MADV_POPULATE_READ) < 0 &&
	    errno == EINVAL) {
		printf("fork_code: skipped: no MADV_POPULATE_READ (Linux 5.14)\n");
		return;
	}
	file_mappings(before, sizeof(before));
	err = nc_fork_code_share();
	if (err == -EACCES || err == -EPERM) {
		printf("fork_code: skipped: /proc/self/mem refuses writes here\n");
		return;
	}
	CU_ASSERT_EQUAL(err, 0);
	file_mappings(after, sizeof(after));
	if (strcmp(after, before) != 0)
		printf("fork_code: the maps of files changed:\n%s\nto:\n%s\n", before, after);
	CU_ASSERT_STRING_EQUAL(after, before);
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		/* 90%: a child that faults its code in holds about half of it
		 * (the kernel maps 16 pages around each fault) */
		_exit(libc_code_kb(&size, &rss) && rss * 10 >= size * 9 ? 0 : 1);
	CU_ASSERT_FATAL(pid > 0);
	CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
	CU_ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

NC_UNIT_SUITE(fork_code, NC_UNIT_TEST(forked_child_has_libc_code_mapped));
