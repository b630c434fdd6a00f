/* nc_fork_code_share() (lib/world/fork_code.h): a child forked after it
 * starts with the C library's code mapped whole, not page by page as it
 * runs it, and no mapping of a file is left writable. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fork_code.h"
#include "unit.h"

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

/* "lo-hi rwxp ... /path": a mapping of a file left writable. */
static bool a_file_mapping_is_writable_code(void)
{
	FILE *maps = fopen("/proc/self/maps", "re");
	char line[4200], perms[8];
	bool found = false;

	while (maps && fgets(line, sizeof(line), maps))
		if (sscanf(line, "%*x-%*x %7s", perms) == 1 && strchr(line, '/') &&
		    perms[1] == 'w' && perms[2] == 'x')
			found = true;
	if (maps)
		fclose(maps);
	return found;
}

static void forked_child_has_libc_code_mapped(void)
{
	long size, rss;
	int status = -1;
	pid_t pid;

	CU_ASSERT_EQUAL(nc_fork_code_share(), 0);
	CU_ASSERT_FALSE(a_file_mapping_is_writable_code());
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		/* 90%: a child that faulted its code in has run a small part of it */
		_exit(libc_code_kb(&size, &rss) && rss * 10 >= size * 9 ? 0 : 1);
	CU_ASSERT_FATAL(pid > 0);
	CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
	CU_ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

NC_UNIT_SUITE(fork_code, NC_UNIT_TEST(forked_child_has_libc_code_mapped));
