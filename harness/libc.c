/* The C library the checks run against: glibc (this program), or musl
 * (netconform-musl, the same suite/ built with musl-gcc -static, next to
 * this program): its name, its version, its expectation file.  How a body
 * runs in the musl program is musl_serve.c. */
#include <errno.h>
#include <gnu/libc-version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libc.h"
#include "results.h"

static const char *const libc_names[] = { [NC_LIBC_GLIBC] = "glibc", [NC_LIBC_MUSL] = "musl" };

int nc_libc_parse(const char *name, enum nc_libc *out)
{
	for (size_t i = 0; i < sizeof(libc_names) / sizeof(libc_names[0]); i++)
		if (strcmp(name, libc_names[i]) == 0) {
			*out = (enum nc_libc)i;
			return 0;
		}
	return -EINVAL;
}

int nc_musl_program(char *path, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", path, size - 1);
	char *slash;

	if (n < 0)
		return -errno;
	path[n] = '\0';
	slash = strrchr(path, '/');
	snprintf(slash + 1, size - (size_t)(slash + 1 - path), "netconform-musl");
	return access(path, X_OK) == 0 ? 0 : -errno;
}

int nc_musl_status(char *text, size_t size)
{
	/* the program's answer, asked once: a run asks three times (the check
	 * that it runs, its expectations' name, its environment) */
	static char known[64];
	char path[4096], version[64] = "";
	FILE *p;

	if (known[0]) {
		snprintf(text, size, "%s", known);
		return 0;
	}
	if (nc_musl_program(path, sizeof(path)) < 0) {
		if (system("command -v musl-gcc >/dev/null 2>&1") != 0)
			snprintf(text, size, "musl-gcc not found: install the Debian package musl-tools");
		else
			snprintf(text, size, "%s not built: make %s", path, "build/netconform-musl");
		return -ENOENT;
	}
	snprintf(text, size, "%s version", path);
	p = popen(text, "r");
	if (p && fgets(version, sizeof(version), p) && strchr(version, '\n')) {
		version[strcspn(version, "\n")] = '\0';
		snprintf(known, sizeof(known), "%s", version);
	}
	if (p)
		pclose(p);
	snprintf(text, size, "%s", known[0] ? known : "musl (version unknown)");
	return 0;
}

/* "2.36", "1.2.3": the version of libc that runs; "" when unknown. */
static void libc_version(enum nc_libc libc, char *buf, size_t size)
{
	char text[160];

	buf[0] = '\0';
	if (libc == NC_LIBC_GLIBC)
		snprintf(buf, size, "%s", gnu_get_libc_version());
	else if (nc_musl_status(text, sizeof(text)) == 0 && strncmp(text, "musl ", 5) == 0 &&
		 strspn(text + 5, "0123456789.") == strlen(text + 5))
		snprintf(buf, size, "%s", text + 5);
}

const char *nc_libc_expectations(enum nc_libc libc, const char *dir, char *buf, size_t size)
{
	static const char *const own[] = { [NC_LIBC_GLIBC] = "linux.txt",
					   [NC_LIBC_MUSL] = "linux-musl.txt" };
	char version[160];

	libc_version(libc, version, sizeof(version));
	if (version[0]) {
		snprintf(buf, size, "%s/linux-%s-%s.txt", dir, libc_names[libc], version);
		if (access(buf, F_OK) == 0)
			return buf;
	}
	snprintf(buf, size, "%s/%s", dir, own[libc]);
	return access(buf, F_OK) == 0 ? buf : NULL;
}

void nc_libc_env(struct nc_run *run, enum nc_libc libc)
{
	char text[160];

	snprintf(text, sizeof(text), "glibc %s", gnu_get_libc_version());
	for (size_t i = 0; libc == NC_LIBC_MUSL && i < run->n_env; i++)
		if (strcmp(run->env[i].key, "libc") == 0 && nc_musl_status(text, sizeof(text)) == 0) {
			free(run->env[i].value);
			run->env[i].value = strdup(text);
			if (!run->env[i].value)
				abort();
			snprintf(text, sizeof(text), "glibc %s", gnu_get_libc_version());
			nc_kv_add(&run->env, &run->n_env, "libc.harness", text);
		}
}
