/* Check ids to an index, by hashing: compare and the matrix match the
 * checks of runs in time linear in their number (50k checks are 50k
 * look-ups, not 50k²/2 string comparisons). */
#ifndef NC_ID_SET_H
#define NC_ID_SET_H

#include <stddef.h>

struct nc_id_set {
	struct nc_id_slot {
		const char *id;	/* not copied: the caller's, while the set lives */
		size_t value;
	} *slots;
	size_t mask;
};

/* A set for up to max ids.  Returns 0 or -ENOMEM. */
int nc_id_set_init(struct nc_id_set *set, size_t max);
/* Adds id with value: NULL when it is new, else the value it has already
 * (and nothing changes). */
const size_t *nc_id_set_put(struct nc_id_set *set, const char *id, size_t value);
/* The value of id, or NULL. */
const size_t *nc_id_set_get(const struct nc_id_set *set, const char *id);
void nc_id_set_free(struct nc_id_set *set);

struct nc_run;
/* The checks of run (read from path) by id.  A check twice is refused:
 * "PATH:LINE: check 'ID' is here a second time (first at line N): why". */
int nc_id_set_of_run(struct nc_id_set *set, const struct nc_run *run, const char *path,
		     const char *why, char *err, size_t errsize);

#endif
