/* Where a preloaded mutant (tests/mutants/) may misbehave: inside a check's
 * body only.  The runner opens the scope around the body; engine code the
 * body calls that must stay real (the DNS server) closes it for its time.
 * Without the mutant library loaded every call is a no-op. */
#ifndef NC_MUTANT_SCOPE_H
#define NC_MUTANT_SCOPE_H

#include <stdbool.h>

/* Enters (true) or leaves (false) the scope; returns whether it was in. */
bool nc_mutant_scope(bool inside);

#endif
