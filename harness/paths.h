/* Paths the harness builds and the programs it runs: dir/name into a
 * PATH_MAX buffer, a program found on $PATH, a run directory removed
 * (vm.c, runsc.c). */
#ifndef NC_PATHS_H
#define NC_PATHS_H

#include <stdbool.h>
#include <stddef.h>

/* dir/name into buf (PATH_MAX).  False when it did not fit. */
bool nc_path_in(char *buf, const char *dir, const char *name);
/* The first name on $PATH (else /usr/bin:/bin) that may be run, into buf.
 * False when there is none, or it did not fit. */
bool nc_find_in_path(const char *name, char *buf, size_t size);
/* dir and all under it, symbolic links not followed; what cannot be
 * removed stays. */
void nc_remove_tree(const char *dir);

#endif
