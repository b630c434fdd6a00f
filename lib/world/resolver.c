/* The hermetic resolver of a check (lib/world/resolver.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net.h"
#include "error.h"
#include "file.h"
#include "resolver.h"

/* Where the files are written before they are bound over /etc: a tmpfs
 * mounted for the moment on /tmp and detached again, so the check sees the
 * same /tmp as before and the files live only as long as their binds. */
#define STAGING "/tmp"

/* Only the databases the checks use, from files and DNS, never from nscd,
 * systemd-resolved, mdns or a machine's LDAP. */
static const char nsswitch_conf[] =
	"hosts: files dns\n"
	"services: files\n"
	"protocols: files\n";

/* env's nameservers: its list, or the one address as a list of one. */
static size_t nameservers_of(const struct nc_resolver_env *env,
			     struct nc_nameserver out[NC_MAX_NAMESERVERS])
{
	size_t n = 0;

	if (!env->nameservers) {
		out[0] = (struct nc_nameserver){ env->nameserver ? env->nameserver : "127.0.0.1",
						 NC_DNS_ANSWERS, 0 };
		return 1;
	}
	for (; env->nameservers[n].address && n < NC_MAX_NAMESERVERS; n++)
		out[n] = env->nameservers[n];
	return n;
}

int nc_resolver_conf_text(const struct nc_resolver_env *env, char *buf, size_t size)
{
	struct nc_nameserver servers[NC_MAX_NAMESERVERS];
	size_t n_servers = nameservers_of(env, servers), used = 0;
	int n = 0;

	for (size_t i = 0; i < n_servers && n >= 0 && used < size; i++) {
		n = snprintf(buf + used, size - used, "nameserver %s\n", servers[i].address);
		used += n > 0 ? (size_t)n : 0;
	}
	if (n >= 0 && used < size)
		n = snprintf(buf + used, size - used, "options %s\n%s%s%s",
			     env->options ? env->options : "timeout:1 attempts:1",
			     env->search ? "search " : "", env->search ? env->search : "",
			     env->search ? "\n" : "");
	return n < 0 || used + (size_t)n >= size ? -ENOSPC : 0;
}

/* The served nameservers as the DNS server's listeners, each with its line's
 * index as id. */
static int listeners_of(const struct nc_resolver_env *env, struct nc_dns_listener *out,
			size_t *n_out)
{
	struct nc_nameserver servers[NC_MAX_NAMESERVERS];
	size_t n_servers = nameservers_of(env, servers);
	int err;

	*n_out = 0;
	for (size_t i = 0; i < n_servers; i++) {
		struct nc_dns_listener *l = &out[*n_out];

		if (servers[i].manner == NC_DNS_NOT_SERVED)
			continue;
		err = nc_sockaddr_parse(servers[i].address, &l->addr);
		if (err < 0)
			return nc_error(err, "resolver world: nameserver \"%s\"",
					servers[i].address);
		l->id = (int)i;
		l->manner = servers[i].manner;
		l->delay_ms = servers[i].delay_ms;
		(*n_out)++;
	}
	return 0;
}

/* The files a check's resolver reads, and whether the machine may lack
 * them without harm (the C library then reads nothing). */
static const struct etc_file {
	const char *path;
	bool optional;
} etc_files[] = {
	{ "/etc/hosts", false },
	{ "/etc/services", false },
	{ "/etc/resolv.conf", false },
	{ "/etc/nsswitch.conf", false },
	/* "multi on": every address of a name in /etc/hosts, not the first. */
	{ "/etc/host.conf", true },
	/* An empty gai.conf: glibc's default address order (RFC 6724). */
	{ "/etc/gai.conf", true },
};

static bool missing(const char *path)
{
	struct stat st;

	return stat(path, &st) < 0 && errno == ENOENT;
}

/* Writes text to the staging tmpfs and binds it over target, or, where
 * /etc is an overlay of the check's own, writes it there. */
static int place_file(const char *target, const char *text, bool overlay)
{
	char staged[128];
	int err;

	if (overlay) {
		err = nc_file_write(target, text, true);
		return err < 0 ? nc_error(err, "resolver world: write %s", target) : 0;
	}
	snprintf(staged, sizeof(staged), STAGING "/%s", strrchr(target, '/') + 1);
	err = nc_file_write(staged, text, true);
	if (err < 0)
		return nc_error(err, "resolver world: write %s", staged);
	if (mount(staged, target, NULL, MS_BIND, NULL) < 0)
		return nc_error(-errno, "resolver world: bind %s over %s", staged, target);
	return 0;
}

/* A file this machine lacks (a minimal Debian has no /etc/services without
 * netbase, a chroot may have no /etc/resolv.conf) has no mount point to bind
 * over: /etc then becomes, in the check's own mount namespace, an overlay
 * whose upper layer is on the staging tmpfs.  The host's /etc is never
 * written either way. */
static int etc_overlay(void)
{
	if (mkdir(STAGING "/etc.upper", 0755) < 0 || mkdir(STAGING "/etc.work", 0755) < 0 ||
	    mount("nc-etc", "/etc", "overlay", MS_NOSUID | MS_NODEV,
		  "lowerdir=/etc,upperdir=" STAGING "/etc.upper,workdir=" STAGING "/etc.work") < 0)
		return nc_error(-errno, "resolver world: an overlay on /etc, for the files "
				"this machine lacks");
	return 0;
}

static int place_files(const struct nc_resolver_env *env)
{
	char resolv_conf[512];
	const char *text[] = {
		env->hosts ? env->hosts : "", env->services ? env->services : "",
		resolv_conf, nsswitch_conf, "multi on\n", "",
	};
	bool overlay = false;
	int err;

	_Static_assert(sizeof(text) / sizeof(text[0]) ==
		       sizeof(etc_files) / sizeof(etc_files[0]), "a text per file");
	err = nc_resolver_conf_text(env, resolv_conf, sizeof(resolv_conf));
	if (err < 0)
		return nc_error(err, "resolver world: resolv.conf");
	if (mount("nc-resolver", STAGING, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m") < 0)
		return nc_error(-errno, "resolver world: tmpfs on " STAGING);
	for (size_t i = 0; i < sizeof(etc_files) / sizeof(etc_files[0]); i++)
		overlay |= !etc_files[i].optional && missing(etc_files[i].path);
	err = overlay ? etc_overlay() : 0;
	for (size_t i = 0; !err && i < sizeof(etc_files) / sizeof(etc_files[0]); i++)
		if (!etc_files[i].optional || !missing(etc_files[i].path))
			err = place_file(etc_files[i].path, text[i], overlay);
	if (umount2(STAGING, MNT_DETACH) < 0 && !err)
		err = nc_error(-errno, "resolver world: umount " STAGING);
	return err;
}

int nc_resolver_setup(const struct nc_case_ctx *ctx, const struct nc_resolver_env *env,
		      struct nc_resolver *out)
{
	static const struct nc_dns_zone no_records = { 0 };
	struct nc_dns_listener listeners[NC_MAX_NAMESERVERS];
	size_t n_listeners;
	int err;

	memset(out, 0, sizeof(*out));
	/* The environment can also steer the resolver: not in our world. */
	unsetenv("LOCALDOMAIN");
	unsetenv("RES_OPTIONS");
	unsetenv("HOSTALIASES");
	err = place_files(env);
	if (err < 0)
		return err;
	err = listeners_of(env, listeners, &n_listeners);
	if (err < 0)
		return err;
	if (ctx->net) {
		out->client = nc_net_host(ctx->net, "c");
		out->server = nc_net_host(ctx->net, "ns");
		if (!out->client || !out->server)
			return nc_error(-ENOENT, "resolver world: the scenario needs hosts c and ns");
		err = nc_host_enter(out->server);
		if (err < 0)
			return err;
	}
	if (n_listeners == 0)	/* every nameserver elsewhere: nothing to serve */
		return out->client ? nc_host_enter(out->client) : 0;
	err = nc_dns_servers_start(env->zone ? env->zone : &no_records, listeners, n_listeners,
				   &out->dns);
	if (err < 0)
		return nc_error(err, "resolver world: DNS server on %s%s",
				nc_sockaddr_str(&listeners[0].addr, (char[NC_SOCKADDR_STRLEN]){ 0 },
						NC_SOCKADDR_STRLEN),
				n_listeners > 1 ? " and more" : "");
	return out->client ? nc_host_enter(out->client) : 0;
}
