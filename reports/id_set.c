/* Check ids to an index (reports/id_set.h): open addressing, at most half full. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "id_set.h"
#include "results.h"

static uint64_t hash_id(const char *id)
{
	uint64_t h = 1469598103934665603ull;	/* FNV-1a */

	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 1099511628211ull;
	return h;
}

int nc_id_set_init(struct nc_id_set *set, size_t max)
{
	size_t size = 16;

	while (size < 2 * max)
		size *= 2;
	set->slots = calloc(size, sizeof(*set->slots));
	set->mask = size - 1;
	return set->slots ? 0 : -ENOMEM;
}

static struct nc_id_slot *slot_of(const struct nc_id_set *set, const char *id)
{
	size_t s = hash_id(id) & set->mask;

	while (set->slots[s].id && strcmp(set->slots[s].id, id) != 0)
		s = (s + 1) & set->mask;
	return &set->slots[s];
}

const size_t *nc_id_set_put(struct nc_id_set *set, const char *id, size_t value)
{
	struct nc_id_slot *slot = slot_of(set, id);

	if (slot->id)
		return &slot->value;
	slot->id = id;
	slot->value = value;
	return NULL;
}

const size_t *nc_id_set_get(const struct nc_id_set *set, const char *id)
{
	const struct nc_id_slot *slot = slot_of(set, id);

	return slot->id ? &slot->value : NULL;
}

void nc_id_set_free(struct nc_id_set *set)
{
	free(set->slots);
	set->slots = NULL;
}

/* The line of the n-th (from 1) <check id="ID" in path, or 0. */
static int line_of_check(const char *path, const char *id, int nth)
{
	FILE *f = fopen(path, "re");
	char line[8192], needle[512];
	int lineno = 0, found = 0;

	snprintf(needle, sizeof(needle), "<check id=\"%s\"", id);
	while (f && fgets(line, sizeof(line), f)) {
		lineno++;
		if (strstr(line, needle) && ++found == nth)
			break;
	}
	if (f)
		fclose(f);
	return found == nth ? lineno : 0;
}

int nc_id_set_of_run(struct nc_id_set *set, const struct nc_run *run, const char *path,
		     const char *why, char *err, size_t errsize)
{
	if (nc_id_set_init(set, run->n_results) < 0) {
		snprintf(err, errsize, "%s: out of memory", path);
		return -1;
	}
	for (size_t i = 0; i < run->n_results; i++) {
		const char *id = run->results[i].id;

		if (nc_id_set_put(set, id, i)) {
			snprintf(err, errsize, "%s:%d: check '%s' is here a second time "
				 "(first at line %d): %s", path, line_of_check(path, id, 2), id,
				 line_of_check(path, id, 1), why);
			nc_id_set_free(set);
			return -1;
		}
	}
	return 0;
}
