/* nc_fork_code_share() (lib/world/fork_code.h): a child forked after it
 * starts with the C library's code mapped whole, not page by page as it
 * runs it, and every mapping of a file keeps its permissions. */
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

/* The mappings of files, from /proc/self/maps: their ranges and
 * permissions.  Returns how many (at most max). */
struct mapping {
	unsigned long lo, hi;
	char perms[8];
};

static size_t file_mappings(struct mapping *m, size_t max)
{
	FILE *maps = fopen("/proc/self/maps", "re");
	char line[4200];
	size_t n = 0;

	while (maps && n < max && fgets(line, sizeof(line), maps))
		if (strchr(line, '/') &&
		    sscanf(line, "%lx-%lx %7s", &m[n].lo, &m[n].hi, m[n].perms) == 3)
			n++;
	if (maps)
		fclose(maps);
	return n;
}

/* Whether each range of before lies in a mapping of after with the same
 * permissions (neighbours of one file may have merged into one). */
static bool same_permissions(const struct mapping *before, size_t n_before,
			     const struct mapping *after, size_t n_after)
{
	for (size_t i = 0; i < n_before; i++) {
		bool kept = false;

		for (size_t j = 0; j < n_after && !kept; j++)
			kept = after[j].lo <= before[i].lo && before[i].hi <= after[j].hi &&
			       strcmp(after[j].perms, before[i].perms) == 0;
		if (!kept)
			return false;
	}
	return true;
}

static void forked_child_has_libc_code_mapped(void)
{
	static struct mapping before[512], after[512];
	size_t n_before = file_mappings(before, 512), n_after;
	long size, rss;
	int status = -1;
	pid_t pid;

	CU_ASSERT_EQUAL(nc_fork_code_share(), 0);
	/* every mapping of a file as it was: none left writable */
	n_after = file_mappings(after, 512);
	CU_ASSERT_TRUE(n_before > 0 && same_permissions(before, n_before, after, n_after));
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
