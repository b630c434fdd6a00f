/* Where a preloaded mutant (tests/mutants/) may misbehave: inside a check's
 * body only.  The runner opens the scope around the body, naming the check
 * (a plan may give each check a mutant of its own); engine code the body
 * calls that must stay real (the DNS server) closes it for its time.  The
 * scope is the calling thread's, and a thread starts in its creator's (so
 * the DNS server's, started while it is closed, never enters it).
 * Without the mutant library loaded every call is a no-op. */
#ifndef NC_MUTANT_SCOPE_H
#define NC_MUTANT_SCOPE_H

/* Enters the scope of the check whose id is check (it must outlive the
 * scope), or leaves it (NULL); returns the check whose scope it was in, or
 * NULL. */
const char *nc_mutant_scope(const char *check);

#endif
