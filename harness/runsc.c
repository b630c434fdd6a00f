/* The suite inside gVisor (runsc.h): the bundle, the sandbox's command
 * line, and the reports back as the host's. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "error.h"
#include "publish.h"
#include "results.h"
#include "runsc.h"
#include "paths.h"

/* gVisor's own: systrap (the default since 2023) or ptrace. */
#define RUNSC_PLATFORM "systrap"
/* What the sandbox needs of runsc: no network device, raw sockets for the
 * captures. */
#define RUNSC_FLAGS "--network=none", "--net-raw", "--platform=" RUNSC_PLATFORM
/* Every syscall crosses into the Sentry: deadlines stretch (2 to 4 needed
 * here), and fewer checks at once keep "at once" (500 ms) honest on 2 cores. */
#define RUNSC_DEADLINE_SCALE "3"
#define RUNSC_JOBS "2"

static int __attribute__((format(printf, 1, 2))) runsc_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	nc_say_error_v("runsc", fmt, ap);
	va_end(ap);
	return 2;
}

static const char *const capabilities[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_KILL", "CAP_SETGID", "CAP_SETUID",
	"CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_SYS_ADMIN",
	"CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SETFCAP", "CAP_MKNOD", NULL,
};

struct sandbox {
	const struct nc_runsc_request *req;
	char runsc[PATH_MAX];
	char version[128];		/* "0.0~20240729.0" */
	char self[PATH_MAX];
	char rundir[PATH_MAX];		/* build/runsc/run.PID.XXXXXX: bundle, state, reports */
	bool is_run;			/* run, or doctor */
	char **args;			/* the sandbox's netconform command line */
	size_t n_args;
	struct nc_report_dir out;
};

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void json_strings(FILE *f, char *const *list)
{
	fputc('[', f);
	for (size_t i = 0; list[i]; i++) {
		fputs(i ? ", " : "", f);
		json_string(f, list[i]);
	}
	fputc(']', f);
}

static void add_arg(struct sandbox *sb, const char *arg)
{
	char **grown = realloc(sb->args, (sb->n_args + 2) * sizeof(*grown));

	if (!grown || !(grown[sb->n_args] = strdup(arg)))
		abort();
	grown[++sb->n_args] = NULL;
	sb->args = grown;
}

struct given {
	struct sandbox *sb;
	bool scaled, jobs;		/* --deadline-scale, --jobs given */
};

static int take_arg(void *ctx, const char *option, const char *arg)
{
	struct given *given = ctx;

	given->scaled |= option && strcmp(option, "deadline-scale") == 0;
	given->jobs |= option && strcmp(option, "jobs") == 0;
	add_arg(given->sb, arg);
	return 0;
}

/* argv less the host's options (cli.c's table), with --out in the run
 * directory and the platform's --deadline-scale and --jobs unless given. */
static void guest_args(struct sandbox *sb, int argc, char **argv)
{
	struct given given = { .sb = sb };
	char reports[PATH_MAX];

	add_arg(sb, sb->self);
	add_arg(sb, argv[1]);
	nc_cli_guest_args(sb->is_run ? NC_CMD_RUN : NC_CMD_DOCTOR, argc, argv, take_arg, &given);
	if (!sb->is_run)
		return;
	nc_path_in(reports, sb->rundir, "reports");
	add_arg(sb, "--out");
	add_arg(sb, reports);
	if (!given.scaled) {
		add_arg(sb, "--deadline-scale");
		add_arg(sb, RUNSC_DEADLINE_SCALE);
	}
	if (!given.jobs) {
		add_arg(sb, "--jobs");
		add_arg(sb, RUNSC_JOBS);
	}
}

/* One bind mount of path at the same path, in the bundle's mounts list. */
static void bind_mount(FILE *f, const char *path, const char *mode)
{
	fprintf(f, " {\"type\": \"bind\", \"options\": [\"rbind\", \"%s\"], \"destination\": ",
		mode);
	json_string(f, path);
	fputs(", \"source\": ", f);
	json_string(f, path);
	fputs("}", f);
}

/* The OCI bundle: the host's root read-only, proc, tmpfs on /dev, /tmp and
 * /run, the reports directory writable at the same path, root with the
 * capabilities a sandbox of its own needs (user, net, mount namespaces). */
static int write_bundle(struct sandbox *sb, const char *cwd)
{
	static const char *const env_kept[] = { "TERM", "CI", "NO_COLOR", "COLUMNS",
						"NC_FORCE_MISSING", NULL };
	char path[PATH_MAX], reports[PATH_MAX];
	FILE *f;

	nc_path_in(reports, sb->rundir, "reports");
	nc_path_in(path, sb->rundir, "config.json");
	f = fopen(path, "we");
	if (!f)
		return runsc_error("%s: %s", path, strerror(errno));
	fputs("{\"ociVersion\": \"1.0.0\", \"process\": {\"user\": {\"uid\": 0, \"gid\": 0},\n"
	      "\"args\": ", f);
	json_strings(f, sb->args);
	fputs(",\n\"env\": [\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"",
	      f);
	for (size_t i = 0; env_kept[i]; i++) {
		const char *value = getenv(env_kept[i]);
		char text[1024];

		if (!value)
			continue;
		snprintf(text, sizeof(text), "%s=%s", env_kept[i], value);
		fputs(", ", f);
		json_string(f, text);
	}
	fputs("],\n\"cwd\": ", f);
	json_string(f, cwd);
	fputs(",\n\"capabilities\": {", f);
	for (int set = 0; set < 4; set++) {
		static const char *const sets[] = { "bounding", "effective", "permitted",
						    "inheritable" };

		fprintf(f, "%s\"%s\": ", set ? ", " : "", sets[set]);
		json_strings(f, (char *const *)capabilities);
	}
	fputs("},\n\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"hard\": 65536, \"soft\": 65536}]},\n"
	      "\"root\": {\"path\": \"/\", \"readonly\": true}, \"hostname\": \"netconform\",\n"
	      "\"mounts\": [{\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\"},\n"
	      " {\"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"},\n"
	      " {\"destination\": \"/tmp\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"},\n"
	      " {\"destination\": \"/run\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"},\n", f);
	/* A checkout under /tmp or /run (CI clones into /tmp) is put back over
	 * the tmpfs, read-only, as the VM's init does: the program, its
	 * scenarios and expectations are there. */
	const char *const put_back[] = { cwd, strcmp(NC_SRCDIR, cwd) ? NC_SRCDIR : "" };
	for (size_t i = 0; i < sizeof(put_back) / sizeof(put_back[0]); i++)
		if (strncmp(put_back[i], "/tmp/", 5) == 0 || strncmp(put_back[i], "/run/", 5) == 0) {
			bind_mount(f, put_back[i], "ro");
			fputs(",\n", f);
		}
	bind_mount(f, reports, "rw");
	fputs("],\n\"linux\": {\"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"network\"}, "
	      "{\"type\": \"ipc\"}, {\"type\": \"uts\"}, {\"type\": \"mount\"}]}}\n", f);
	if (fclose(f) != 0)
		return runsc_error("%s: %s", path, strerror(errno));
	return 0;
}

/* "runsc version 0.0~20240729.0" */
static int runsc_version(struct sandbox *sb)
{
	char command[PATH_MAX + 32], line[256] = "";
	FILE *p;

	snprintf(command, sizeof(command), "'%s' --version 2>/dev/null", sb->runsc);
	p = popen(command, "r");
	if (p && !fgets(line, sizeof(line), p))
		line[0] = '\0';
	if (p)
		pclose(p);
	if (sscanf(line, "runsc version %127s", sb->version) != 1)
		return runsc_error("%s: not runsc (its --version says \"%.*s\")", sb->runsc,
				 (int)strcspn(line, "\n"), line);
	return 0;
}

static int locate(struct sandbox *sb)
{
	char dir[PATH_MAX - 32], name[32];

	if (!realpath(sb->req->runsc, sb->runsc))
		return runsc_error("--runtime %s: %s", sb->req->runsc, strerror(errno));
	if (access(sb->runsc, X_OK) < 0)
		return runsc_error("--runtime %s: %s", sb->req->runsc, strerror(errno));
	if (geteuid() != 0)
		return runsc_error("--runtime: runsc runs the sandbox as root here (run as root)");
	if (!realpath("/proc/self/exe", sb->self))
		return runsc_error("/proc/self/exe: %s", strerror(errno));
	snprintf(dir, sizeof(dir), "%.*s/runsc", (int)(strrchr(sb->self, '/') - sb->self),
		 sb->self);
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return runsc_error("%s: %s", dir, strerror(errno));
	snprintf(name, sizeof(name), "run.%d.XXXXXX", (int)getpid());
	if (!nc_path_in(sb->rundir, dir, name) || !mkdtemp(sb->rundir))
		return runsc_error("%s: %s", sb->rundir, strerror(errno));
	return runsc_version(sb);
}

/* runsc run, waited for: the suite's exit status, or 2 when runsc could not
 * start it. */
static int run_sandbox(struct sandbox *sb)
{
	char state[PATH_MAX], id[64];
	char *const argv[] = { sb->runsc, "--root", state, RUNSC_FLAGS, "run", "--bundle",
			       sb->rundir, id, NULL };
	int status;
	pid_t pid;

	nc_path_in(state, sb->rundir, "state");
	snprintf(id, sizeof(id), "netconform-%d", (int)getpid());
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return runsc_error("fork: %s", strerror(errno));
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return runsc_error("waitpid: %s", strerror(errno));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}

/* The sandbox's results.xml as the host's reports, naming the runtime. */
static int publish_results(struct sandbox *sb, int argc, char **argv)
{
	char path[PATH_MAX], text[2048], err[1024];
	struct nc_run run;
	struct utsname uts;
	size_t used = 0;
	int werr;

	nc_path_in(path, sb->rundir, "reports/results.xml");
	if (access(path, F_OK) < 0)
		return runsc_error("the sandbox wrote no results (runsc: %s)", sb->runsc);
	if (nc_results_read(path, &run, err, sizeof(err)) < 0)
		return runsc_error("%s", err);
	for (size_t i = 0; i < run.n_env; i++)
		if (strcmp(run.env[i].key, "kernel") == 0) {
			const char *arch = strrchr(run.env[i].value, ' ');	/* "Linux 4.4.0 x86_64" */

			snprintf(text, sizeof(text), "gVisor %s (%s; says %.*s)%s", sb->version,
				 RUNSC_PLATFORM, (int)(arch ? arch - run.env[i].value
							    : (long)strlen(run.env[i].value)),
				 run.env[i].value, arch ? arch : "");
			nc_kv_set(&run.env, &run.n_env, "kernel", text);
			break;
		}
	snprintf(text, sizeof(text), "gVisor runsc %s, platform %s, --network=none --net-raw, "
		 "the host's root read-only", sb->version, RUNSC_PLATFORM);
	nc_kv_set(&run.env, &run.n_env, "runtime", text);
	nc_kv_set(&run.env, &run.n_env, "runtime.program", sb->runsc);
	for (int i = 0; i < argc && used < sizeof(text) - 1; i++) {
		int n = snprintf(text + used, sizeof(text) - used, "%s%s", i ? " " : "", argv[i]);

		if (n > 0)
			used += (size_t)n;
	}
	nc_kv_set(&run.env, &run.n_env, "command", text);
	uname(&uts);
	snprintf(text, sizeof(text), "%s %s %s", uts.sysname, uts.release, uts.machine);
	nc_kv_set(&run.env, &run.n_env, "host.kernel", text);
	if (sb->req->platform)
		nc_kv_set(&run.env, &run.n_env, "platform", sb->req->platform);
	werr = nc_report_dir_publish(&sb->out, &run);
	nc_run_free(&run);
	if (werr < 0)
		return runsc_error("%s (the previous reports are kept)",
				 nc_error_text(werr, err, sizeof(err)));
	printf("reports: %s/junit.xml %s/index.html %s/ktap.txt %s/results.xml\n",
	       sb->req->out, sb->req->out, sb->req->out, sb->req->out);
	return 0;
}

int nc_runsc_main(const struct nc_runsc_request *req, int argc, char **argv)
{
	struct sandbox sb = { .req = req, .out = { .fd = -1 } };
	char cwd[PATH_MAX], reports[PATH_MAX], text[1024];
	int status, err;

	sb.is_run = strcmp(argv[1], "run") == 0;
	if (!sb.is_run && strcmp(argv[1], "doctor") != 0)
		return runsc_error("--runtime goes with run or doctor");
	status = locate(&sb);
	if (status) {
		if (sb.rundir[0] && !strstr(sb.rundir, "XXXXXX"))
			nc_remove_tree(sb.rundir);
		return status;
	}
	err = sb.is_run ? nc_report_dir_open(req->out, &sb.out) : 0;
	if (err < 0)
		status = runsc_error("%s", nc_error_text(err, text, sizeof(text)));
	nc_path_in(reports, sb.rundir, "reports");
	if (!status && (mkdir(reports, 0755) < 0 || !getcwd(cwd, sizeof(cwd))))
		status = runsc_error("%s: %s", reports, strerror(errno));
	if (!status) {
		guest_args(&sb, argc, argv);
		status = write_bundle(&sb, cwd);
	}
	if (!status) {
		status = run_sandbox(&sb);
		if (sb.is_run && (status < 2 || status == 130 || status == 143)) {	/* results, or some */
			err = publish_results(&sb, argc, argv);
			status = err ? err : status;
		}
	}
	nc_remove_tree(sb.rundir);
	for (size_t i = 0; i < sb.n_args; i++)
		free(sb.args[i]);
	free(sb.args);
	if (sb.is_run)
		nc_report_dir_close(&sb.out);
	return status;
}
