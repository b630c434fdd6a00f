/* Paths the harness builds and the programs it runs: see paths.h. */
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"

/* The callers keep their directories short enough that it always fits. */
bool nc_path_in(char *buf, const char *dir, const char *name)
{
	size_t dir_len = strlen(dir), name_len = strlen(name);

	if (dir_len + 1 + name_len >= PATH_MAX)
		return false;
	memcpy(buf, dir, dir_len);
	buf[dir_len] = '/';
	memcpy(buf + dir_len + 1, name, name_len + 1);
	return true;
}

bool nc_find_in_path(const char *name, char *buf, size_t size)
{
	const char *path = getenv("PATH");

	for (const char *dir = path ? path : "/usr/bin:/bin"; *dir; ) {
		size_t len = strcspn(dir, ":");

		if (len && (size_t)snprintf(buf, size, "%.*s/%s", (int)len, dir, name) < size &&
		    access(buf, X_OK) == 0)
			return true;
		dir += len + (dir[len] == ':');
	}
	return false;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;	/* on with the rest */
}

void nc_remove_tree(const char *dir)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}
