/* netconform-musl: the suite's checks built with musl, run one (check, case)
 * at a time by the glibc worker that built its world (harness/musl_serve.c):
 *
 *   netconform-musl run RECORD_FD ENGINE_FD CHECK_ID CASE|- [HOST=NS_FD]...
 *   netconform-musl version
 *   netconform-musl list
 *
 * The check reports through records on RECORD_FD (lib/check/record.h), and
 * calls the engine on ENGINE_FD (lib/check/remote.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "musl_world.h"
#include "remote.h"
#include "strnum.h"

#ifndef NC_MUSL_VERSION
#define NC_MUSL_VERSION "unknown"
#endif

static const struct nc_check_entry *find_check(const char *id)
{
	for (const struct nc_check_entry *e = __start_nc_checks; e < __stop_nc_checks; e++)
		if (strcmp(e->id, id) == 0)
			return e;
	return NULL;
}

static const void *find_case(const struct nc_check *check, const char *name)
{
	for (size_t i = 0; i < check->n_cases; i++) {
		const void *row = (const char *)check->cases + i * check->case_size;

		if (strcmp(((const struct nc_case_head *)row)->name, name) == 0)
			return row;
	}
	return NULL;
}

static int fd_arg(const char *text)
{
	unsigned long fd;

	return nc_parse_ulong(text, 0, 65535, &fd) < 0 ? -1 : (int)fd;
}

static int run(int argc, char **argv)
{
	const struct nc_check_entry *entry = argc >= 6 ? find_check(argv[4]) : NULL;
	int record_fd = argc >= 6 ? fd_arg(argv[2]) : -1, engine_fd = argc >= 6 ? fd_arg(argv[3]) : -1;
	struct nc_case_ctx ctx = { 0 };
	char id[256];

	if (!entry || record_fd < 0 || engine_fd < 0) {
		fprintf(stderr, "netconform-musl: usage: run RECORD_FD ENGINE_FD CHECK_ID CASE|- [HOST=FD]...\n");
		return 2;
	}
	nc_record_open(record_fd);
	nc_remote_open(engine_fd);
	ctx.check = entry->check;
	ctx.id = entry->id;
	if (strcmp(argv[5], "-") != 0) {
		ctx.data = find_case(entry->check, argv[5]);
		if (!ctx.data) {
			nc_record_text(NC_RECORD_ERROR, "musl program: no such case");
			return 2;
		}
		ctx.case_name = argv[5];
		snprintf(id, sizeof(id), "%s.%s", entry->id, argv[5]);
		ctx.id = id;
	}
	for (int i = 6; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		int ns_fd = eq ? fd_arg(eq + 1) : -1;

		if (ns_fd < 0) {
			nc_record_text(NC_RECORD_ERROR, "musl program: bad host argument");
			return 2;
		}
		*eq = '\0';
		ctx.net = nc_musl_net_add(argv[i], ns_fd);
		if (!ctx.net) {
			nc_record_text(NC_RECORD_ERROR, "musl program: too many hosts");
			return 2;
		}
	}
	nc_check_run(&ctx);
	nc_check_done();
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "run") == 0)
		return run(argc, argv);
	if (argc == 2 && strcmp(argv[1], "version") == 0) {
		printf("musl %s\n", NC_MUSL_VERSION);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "list") == 0) {
		for (const struct nc_check_entry *e = __start_nc_checks; e < __stop_nc_checks; e++)
			printf("%s\n", e->id);
		return 0;
	}
	fprintf(stderr, "usage: netconform-musl run|version|list\n");
	return 2;
}
