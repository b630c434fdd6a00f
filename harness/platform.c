/* harness/platforms.txt (platform.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "platform.h"
#include "strnum.h"

static const char *const enters[] = { "host", "qemu", "runsc", NULL };
static const char *const libcs[] = { "glibc", "musl", NULL };

static bool one_of(const char *word, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(word, *list) == 0)
			return true;
	return false;
}

/* One line's fields into p; -1 with what is wrong in why. */
static int parse_line(char *line, struct nc_platform *p, char *why, size_t size)
{
	char *field[6], *rest = line, extra[2];
	double scale;
	size_t n = 0;

	for (char *word; n < 6 && (word = strtok_r(rest, " \t", &rest)); )
		field[n++] = word;
	if (n < 6 || sscanf(rest, "%1s", extra) == 1) {
		snprintf(why, size, "6 fields (NAME GET ENTER LIBC SCALE EXPECT), not %s",
			 n < 6 ? "fewer" : "more");
		return -1;
	}
	if (!one_of(field[2], enters) || !one_of(field[3], libcs)) {
		snprintf(why, size, "ENTER is host, qemu or runsc, LIBC glibc or musl: not %s %s",
			 field[2], field[3]);
		return -1;
	}
	if (strcmp(field[4], "accel") != 0 &&
	    (nc_parse_double(field[4], 1, 100, &scale) < 0 || strcmp(field[2], "qemu") == 0)) {
		snprintf(why, size, "SCALE %s: a number from 1 to 100, or accel for qemu", field[4]);
		return -1;
	}
	if ((strcmp(field[1], "-") == 0) != (strcmp(field[2], "host") == 0)) {
		snprintf(why, size, "GET is - exactly when ENTER is host");
		return -1;
	}
	if (snprintf(p->name, sizeof(p->name), "%s", field[0]) >= (int)sizeof(p->name) ||
	    snprintf(p->get, sizeof(p->get), "%s", field[1]) >= (int)sizeof(p->get) ||
	    snprintf(p->expect, sizeof(p->expect), "%s", field[5]) >= (int)sizeof(p->expect) ||
	    strchr(p->expect, '/')) {
		snprintf(why, size, "a name, GET or EXPECT too long, or EXPECT not a file name");
		return -1;
	}
	snprintf(p->enter, sizeof(p->enter), "%s", field[2]);
	snprintf(p->libc, sizeof(p->libc), "%s", field[3]);
	snprintf(p->scale, sizeof(p->scale), "%s", field[4]);
	return 0;
}

int nc_platform_find(const char *path, const char *name, struct nc_platform *out, char *err,
		     size_t errsize)
{
	char line[1024], why[256], names[512] = "";
	size_t used = 0;
	int number = 0, found = -ENOENT;
	FILE *f = fopen(path, "re");

	if (!f) {
		snprintf(err, errsize, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		struct nc_platform p;

		number++;
		line[strcspn(line, "\n")] = '\0';
		if (line[strspn(line, " \t")] == '\0' || line[strspn(line, " \t")] == '#')
			continue;
		if (parse_line(line, &p, why, sizeof(why)) < 0) {
			snprintf(err, errsize, "%s:%d: %s", path, number, why);
			fclose(f);
			return -1;
		}
		if (strcmp(p.name, name) == 0 && found == 0) {
			snprintf(err, errsize, "%s:%d: a second platform %s", path, number, name);
			fclose(f);
			return -1;
		}
		if (strcmp(p.name, name) == 0) {
			*out = p;
			found = 0;
		}
		if (used < sizeof(names))
			used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s",
						 used ? ", " : "", p.name);
	}
	fclose(f);
	if (found < 0)
		snprintf(err, errsize, "no platform %s in %s (%s)", name, path, names);
	return found;
}

int nc_platform_get(const struct nc_platform *p, char *buf, size_t size)
{
	char command[256];
	int status;
	FILE *out;

	snprintf(command, sizeof(command), "bash '%s/harness/platform.sh' '%s'", NC_SRCDIR,
		 p->get);
	out = popen(command, "r");
	if (!out || !fgets(buf, (int)size, out))
		buf[0] = '\0';
	status = out ? pclose(out) : -1;
	buf[strcspn(buf, "\n")] = '\0';
	if (status == 0 && buf[0])
		return 0;
	fprintf(stderr, "netconform: platform %s: harness/platform.sh %s %s\n", p->name, p->get,
		WIFEXITED(status) && WEXITSTATUS(status) == 3 ? "cannot make it here (said above)"
							       : "failed (said above)");
	return 2;
}
