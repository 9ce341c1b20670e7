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

/* Moves the calling thread into the network namespace at path (setns). */
int cipvs_enter_netns(const char *path);

#ifdef __cplusplus
}
#endif

#endif
