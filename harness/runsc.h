/* A user-space kernel: `netconform run --runtime RUNSC` runs the suite
 * inside gVisor (RUNSC is its runsc program, e.g. Debian's, unpacked under
 * build/platforms/ by harness/platform.sh runsc): an OCI bundle whose root
 * is the host's, read-only, with no network but its own loopback
 * (--network=none) and raw sockets allowed (--net-raw); the reports come
 * back through one writable bind mount under build/runsc/, and the results
 * name the runtime, its version and its platform (systrap or ptrace). */
#ifndef NC_RUNSC_H
#define NC_RUNSC_H

struct nc_runsc_request {
	const char *runsc;		/* the runsc program */
	const char *platform;		/* run --platform NAME, or NULL */
	const char *out;		/* where the reports go on the host */
};

/* argv is the command line as given; the sandbox runs it less --runtime and
 * --out, with the platform's --deadline-scale and --jobs unless given.
 * Returns the suite's exit status, or 2 when the sandbox could not run it
 * (said on stderr). */
int nc_runsc_main(const struct nc_runsc_request *req, int argc, char **argv);

#endif
