/* Where scenarios/ and expectations/ are (harness/datadir.c). */
#ifndef NC_DATADIR_H
#define NC_DATADIR_H

#include <stdbool.h>
#include <stddef.h>

/* The directory holding scenarios/ and expectations/: the install's
 * share/netconform, or the source tree. */
const char *nc_data_dir(void);
/* nc_data_dir()/name into buf. */
const char *nc_data_path(const char *name, char *buf, size_t size);

#endif
