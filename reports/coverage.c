/* A clause's axes and the values its checks cover (coverage.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "coverage.h"

const char *const nc_coverage_axes[] = {
	"mode", "sequence", "boundary", "state", "form", "field", "text", NULL,
};

#define N_AXES (sizeof(nc_coverage_axes) / sizeof(nc_coverage_axes[0]) - 1)
#define WORD_MAX 256

static int axis_index(const char *name, size_t len)
{
	for (size_t a = 0; a < N_AXES; a++)
		if (strlen(nc_coverage_axes[a]) == len && strncmp(nc_coverage_axes[a], name, len) == 0)
			return (int)a;
	return -1;
}

bool nc_coverage_axes_known(const char *axes)
{
	for (const char *at = axes; *at;) {
		size_t n = strcspn(at, " ");

		if (n && axis_index(at, n) < 0)
			return false;
		at += n + (at[n] == ' ');
	}
	return true;
}

/* Whether the comma-separated list has value (len bytes). */
static bool list_has(const char *list, const char *value, size_t len)
{
	for (const char *at = list; *at;) {
		size_t n = strcspn(at, ",");

		if (n == len && strncmp(at, value, len) == 0)
			return true;
		at += n + (at[n] == ',');
	}
	return false;
}

/* Adds the values of one "axis:v1,v2" word to per_axis[axis]. */
static int add_word(char per_axis[N_AXES][WORD_MAX * 4], const char *word, size_t len)
{
	const char *colon = memchr(word, ':', len);
	int axis = colon ? axis_index(word, (size_t)(colon - word)) : -1;
	const char *end = word + len;

	if (axis < 0)
		return -EINVAL;
	for (const char *value = colon + 1; value < end;) {
		const char *comma = memchr(value, ',', (size_t)(end - value));
		size_t n = (size_t)((comma ? comma : end) - value);
		char *list = per_axis[axis];
		size_t used = strlen(list);

		if (n && !list_has(list, value, n)) {
			if (used + n + 2 > sizeof(per_axis[axis]))
				return -ENOSPC;
			snprintf(list + used, sizeof(per_axis[axis]) - used, "%s%.*s",
				 used ? "," : "", (int)n, value);
		}
		value += n + 1;
	}
	return 0;
}

static int add_words(char per_axis[N_AXES][WORD_MAX * 4], const char *covers)
{
	for (const char *at = covers ? covers : ""; *at;) {
		size_t n = strcspn(at, " ");
		int err = n ? add_word(per_axis, at, n) : 0;

		if (err < 0)
			return err;
		at += n + (at[n] == ' ');
	}
	return 0;
}

int nc_coverage_merge(char *buf, size_t size, const char *covers)
{
	char per_axis[N_AXES][WORD_MAX * 4] = { { 0 } };
	char out[N_AXES * WORD_MAX * 4 + 64] = "";
	size_t used = 0;
	int err;

	if ((err = add_words(per_axis, buf)) < 0 || (err = add_words(per_axis, covers)) < 0)
		return err;
	for (size_t a = 0; a < N_AXES; a++)
		if (per_axis[a][0])
			used += (size_t)snprintf(out + used, sizeof(out) - used, "%s%s:%s",
						 used ? " " : "", nc_coverage_axes[a], per_axis[a]);
	if (used >= size)
		return -ENOSPC;
	memcpy(buf, out, used + 1);
	return 0;
}

bool nc_coverage_values(const char *covers, const char *axis, char *buf, size_t size)
{
	char per_axis[N_AXES][WORD_MAX * 4] = { { 0 } };
	int a = axis_index(axis, strlen(axis));
	size_t used = 0;

	buf[0] = '\0';
	if (a < 0 || add_words(per_axis, covers) < 0 || !per_axis[a][0])
		return false;
	for (const char *at = per_axis[a]; *at && used < size;) {
		size_t n = strcspn(at, ",");

		used += (size_t)snprintf(buf + used, size - used, "%s%.*s", used ? ", " : "",
					 (int)n, at);
		at += n + (at[n] == ',');
	}
	return true;
}

size_t nc_coverage_text(const char *axes, const char *covers, char *buf, size_t size)
{
	size_t used = 0, missing = 0;

	buf[0] = '\0';
	for (const char *at = axes ? axes : ""; *at && used < size;) {
		size_t n = strcspn(at, " ");
		char axis[64], values[WORD_MAX * 4];

		if (n && n < sizeof(axis)) {
			snprintf(axis, sizeof(axis), "%.*s", (int)n, at);
			if (!nc_coverage_values(covers, axis, values, sizeof(values))) {
				snprintf(values, sizeof(values), "missing");
				missing++;
			}
			used += (size_t)snprintf(buf + used, size - used, "%s%s: %s",
						 used ? " \u00b7 " : "", axis, values);
		}
		at += n + (at[n] == ' ');
	}
	return missing;
}
