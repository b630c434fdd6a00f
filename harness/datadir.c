/* Where the data a run reads is: scenarios/ and expectations/.  Found from
 * the program's own place, not the directory it runs in nor the tree it was
 * built in, so that an installed netconform runs from anywhere:
 *
 *   PREFIX/bin/netconform      PREFIX/share/netconform/   (make install)
 *   TREE/build/netconform      TREE/                      (the source tree)
 *   TREE/build/asan/netconform TREE/
 *
 * and, when none of these holds a scenarios/ directory, the tree it was
 * built in (NC_SRCDIR). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "datadir.h"

static bool has_scenarios(const char *dir)
{
	char path[PATH_MAX + 64];
	struct stat st;

	snprintf(path, sizeof(path), "%s/scenarios", dir);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *nc_data_dir(void)
{
	static char dir[PATH_MAX];
	static const char *const beside_bin[] = { "/../share/netconform", "/..", "/../.." };
	char exe[PATH_MAX - 32], candidate[PATH_MAX];
	ssize_t n;

	if (dir[0])
		return dir;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		*strrchr(exe, '/') = '\0';	/* the program's directory */
		for (size_t i = 0; i < sizeof(beside_bin) / sizeof(beside_bin[0]); i++) {
			snprintf(candidate, sizeof(candidate), "%s%s", exe, beside_bin[i]);
			if (has_scenarios(candidate) && realpath(candidate, dir))
				return dir;
		}
	}
	snprintf(dir, sizeof(dir), "%s", NC_SRCDIR);
	return dir;
}

const char *nc_data_path(const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", nc_data_dir(), name);
	return buf;
}
