/*
 * CIPVS: a small C shim over libnl generic netlink for the IPVS family.
 *
 * Every function returns 0 (or a count) on success and a negative errno on
 * failure. When the kernel refused a request, that errno is the kernel's own
 * (EPERM, EINVAL, ENOENT, ...), never a libnl NLE_* code.
 */
#ifndef CIPVS_H
#define CIPVS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An open generic netlink socket with the IPVS family resolved. */
typedef struct cipvs_session cipvs_session;

/* The three timeouts, in seconds. In a set request 0 leaves a value alone. */
typedef struct cipvs_timeouts {
    uint32_t tcp;
    uint32_t tcp_fin;
    uint32_t udp;
} cipvs_timeouts;

/*
 * Opens a socket in the calling thread's network namespace and resolves the
 * "IPVS" family. -ENOENT means the family does not exist (ip_vs not loaded).
 */
int cipvs_open(cipvs_session **out);
void cipvs_close(cipvs_session *session);

/* The family's version as the kernel reported it while resolving. */
uint32_t cipvs_family_version(const cipvs_session *session);

int cipvs_get_config(cipvs_session *session, cipvs_timeouts *out);
int cipvs_set_config(cipvs_session *session, const cipvs_timeouts *values);

/*
 * Parses one generic netlink message (header included) as a GET_CONFIG reply.
 * Exposed so the reply parser can be tested and fuzzed without a kernel.
 * Attributes that are absent come back as 0.
 */
int cipvs_parse_config_reply(const void *message, size_t length, cipvs_timeouts *out);

/* A virtual service, as GET_SERVICE dumps it. A firewall-mark service has fwmark != 0
 * and no protocol, address or port. Addresses are in network order, 4 or 16 bytes by af. */
typedef struct cipvs_service {
    uint16_t af;
    uint16_t protocol;
    uint8_t addr[16];
    uint16_t port;          /* host order */
    uint32_t fwmark;
    char scheduler[16];     /* NUL-terminated */
    char pe_name[16];       /* NUL-terminated, empty without a persistence engine */
    uint32_t flags;         /* IP_VS_SVC_F_*: PERSISTENT, ONEPACKET, ... */
    uint32_t timeout;       /* persistence timeout, seconds */
    uint32_t netmask;       /* persistence netmask (IPv4) or prefix length (IPv6) */
} cipvs_service;

/* A real server of a service, as GET_DEST dumps it, with its connection counters. */
typedef struct cipvs_dest {
    uint16_t af;
    uint8_t addr[16];
    uint16_t port;          /* host order */
    uint32_t forward;       /* IP_VS_CONN_F_MASQ, _LOCALNODE, _TUNNEL, _DROUTE */
    uint32_t weight;
    uint32_t upper_threshold;
    uint32_t lower_threshold;
    uint32_t active;
    uint32_t inactive;
    uint32_t persistent;
} cipvs_dest;

/* A sync daemon, as GET_DAEMON dumps it. */
typedef struct cipvs_daemon {
    uint32_t state;         /* IP_VS_STATE_MASTER 1, IP_VS_STATE_BACKUP 2 */
    char ifname[16];        /* NUL-terminated */
    uint32_t syncid;
    uint16_t maxlen;
    uint16_t port;          /* 0 when the kernel did not say (the default 8848) */
    uint8_t ttl;
    uint16_t group_af;      /* 0 when the kernel did not say (the default 224.0.0.81) */
    uint8_t group[16];
} cipvs_daemon;

/* Dumps: on success *items is a malloc'd array the caller frees with free(). */
int cipvs_get_services(cipvs_session *session, cipvs_service **items, size_t *count);
int cipvs_get_dests(cipvs_session *session, const cipvs_service *service, cipvs_dest **items, size_t *count);
int cipvs_get_daemons(cipvs_session *session, cipvs_daemon **items, size_t *count);

/* One reply message each, exposed for tests and fuzzing like cipvs_parse_config_reply. */
int cipvs_parse_service_reply(const void *message, size_t length, cipvs_service *out);
int cipvs_parse_dest_reply(const void *message, size_t length, cipvs_dest *out);
int cipvs_parse_daemon_reply(const void *message, size_t length, cipvs_daemon *out);

/* Moves the calling thread into the network namespace at path (setns). */
int cipvs_enter_netns(const char *path);

/* 1 when path is a namespace file (on nsfs), as a bind-mounted network namespace is;
 * 0 for anything else, such as a file not mounted yet. */
int cipvs_is_namespace_file(const char *path);

/* The same for an open namespace descriptor, such as one of /proc/self/ns/net kept to
 * come back to after visiting others. */
int cipvs_enter_netns_fd(int fd);

/* Blocks the signals in this thread and returns a signalfd (non-blocking, close-on-exec)
 * that reads them, so a poll() loop can wait for them with its other descriptors. */
int cipvs_signal_fd(const int *signals, int count);

/* The number of the next pending signal on such a descriptor; -EAGAIN when none. */
int cipvs_signal_read(int fd);

#ifdef __cplusplus
}
#endif

#endif
