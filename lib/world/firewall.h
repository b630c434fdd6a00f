/* Faults: packet filter rules (DROP, REJECT).  Installed in process as
 * nf_tables rules (lib/nftables.h), or, when the kernel refuses that, with
 * iptables-restore and ip6tables-restore, one exec per host and family, run
 * inside the host.  Either way no lock is shared between namespaces. */
#ifndef NC_FIREWALL_H
#define NC_FIREWALL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum nc_fault_hook { NC_HOOK_INPUT, NC_HOOK_OUTPUT, NC_HOOK_FORWARD };
enum nc_fault_proto { NC_PROTO_ANY, NC_PROTO_TCP, NC_PROTO_UDP, NC_PROTO_ICMP,
		      NC_PROTO_ICMPV6 };

/* What a matching packet gets: dropped, or rejected with a reply whose kind
 * each family names its own way (icmp-host-unreachable/icmp6-addr-unreachable). */
enum nc_fault_action {
	NC_FAULT_DROP,
	NC_REJECT_TCP_RESET,
	NC_REJECT_NET_UNREACHABLE,
	NC_REJECT_HOST_UNREACHABLE,
	NC_REJECT_PORT_UNREACHABLE,
	NC_REJECT_ADMIN_PROHIBITED,
	NC_REJECT_NET_PROHIBITED,	/* IPv4 only; IPv6 says adm-prohibited */
	NC_REJECT_HOST_PROHIBITED,	/* IPv4 only; IPv6 says adm-prohibited */
};

#define NC_FAULT_IP4 1u
#define NC_FAULT_IP6 2u

struct nc_fault {
	enum nc_fault_hook hook;
	enum nc_fault_proto proto;
	unsigned families;		/* NC_FAULT_IP4 | NC_FAULT_IP6 */
	char sport[12], dport[12];	/* "9", "1000:2000", or "" (any) */
	char flags_mask[48];		/* "SYN,ACK,FIN,RST", or "" (any) */
	char flags_comp[48];		/* "ACK" */
	double probability;		/* 1: every matching packet */
	enum nc_fault_action action;
};

/* "input tcp dport 9 reject tcp-reset" (a scenario's fault line without
 * "fault HOST").  Returns 0, or -1 with what is wrong in err. */
int nc_fault_parse(const char *text, struct nc_fault *out, char *err, size_t errsize);
int nc_fault_parse_words(char **words, int n_words, struct nc_fault *out,
			 char *err, size_t errsize);

/* The rule as iptables-restore reads it for family (AF_INET, AF_INET6),
 * without the leading "-A", tagged "-m comment --comment nc-ID". */
int nc_fault_render(const struct nc_fault *fault, int family, int id,
		    char *buf, size_t size);

/* --- Which way rules reach the kernel --- */

/* "nftables (in process)" or "iptables-restore".  The first call without a
 * build before it tries nf_tables in a throwaway namespace (~1 ms).
 * NC_FIREWALL=iptables-restore in the environment forces the fallback. */
const char *nc_firewall_backend(void);
/* Whether to try nf_tables (lib/nftables.h) first. */
bool nc_fw_nft_enabled(void);
/* Records how an nc_nft_* call ended.  True when the kernel refused
 * nf_tables itself (and nf_tables never worked in this process before):
 * from then on iptables-restore is used, and the caller redoes the work that
 * way. */
bool nc_fw_nft_refused(int err);

/* --- Running (ip6)iptables-restore/-save in the current network namespace --- */

struct nc_fw_job {
	pid_t pid;
	int out_fd;		/* memfd: what the program printed */
};

/* Starts "iptables-restore --noflush" (save false) reading script, or
 * "iptables-save -c -t filter" (save true), for family.  The program runs in
 * the calling thread's network namespace.  Returns 0 or -errno. */
int nc_fw_spawn(int family, bool save, const char *script, struct nc_fw_job *job);
/* The same in a network namespace of its own, made by the child
 * (unshare(CLONE_NEWNET) in a forked child, before the exec): the namespace
 * is made on another CPU while the caller goes on.  *ns_sock receives the
 * namespace's descriptor: nc_fw_receive_netns(). */
int nc_fw_spawn_in_new_netns(int family, const char *script, struct nc_fw_job *job,
			     int *ns_sock);
/* The namespace descriptor a child of nc_fw_spawn_in_new_netns sends; closes
 * ns_sock.  Returns the fd, or -errno (-ECHILD: the child died first). */
int nc_fw_receive_netns(int ns_sock);
/* Waits for it; its output (NUL-terminated, cut to size) in out if not
 * NULL.  Returns 0, -ENOENT (no such program), or -EINVAL (it failed). */
int nc_fw_wait(struct nc_fw_job *job, char *out, size_t size);
/* Packets counted by rule nc-ID in iptables-save -c output; -ENOENT if it
 * is not there. */
int nc_fw_counter(const char *save_output, int id, unsigned long long *packets);

#endif
