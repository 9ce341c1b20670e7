/* What the shim's files share; not part of the module Swift sees. */
#ifndef CIPVS_INTERNAL_H
#define CIPVS_INTERNAL_H

/* Every warning in the shim's own code, which comes after this header, is an error: the
 * package cannot pass -Werror without unsafeFlags, which would keep others from using it. */
#pragma GCC diagnostic error "-Wall"
#pragma GCC diagnostic error "-Wextra"

#include <stdbool.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>

struct cipvs_session {
    struct nl_sock *sock;
    int family;
    uint32_t version;
};

/* A generic netlink request for the family; NULL when out of memory. */
struct nl_msg *cipvs_new_request(int family, uint8_t cmd, uint8_t version, int flags);

/* Sends msg (consumed), passes each reply message to parse, and returns 0 or -errno:
 * the kernel's own errno when it refused the request. */
int cipvs_exchange(struct nl_sock *sock, struct nl_msg *msg,
                   int (*parse)(struct nlmsghdr *hdr, void *out), void *out);

/* The message fits in length and is a generic netlink message carrying command. */
bool cipvs_valid_reply(const struct nlmsghdr *hdr, size_t length, uint8_t command);

#endif
