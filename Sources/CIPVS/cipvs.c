#define _GNU_SOURCE
#include "CIPVS.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/ip_vs.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "internal.h"

_Static_assert(sizeof(cipvs_timeouts) == 12, "cipvs_timeouts is mirrored in Swift");

/* What one request expects back: a parser for each data message, and the outcome. */
struct exchange {
    int (*parse)(struct nlmsghdr *hdr, void *out);
    void *out;
    uint32_t port;
    int error;    /* 0 or a negative errno */
    int done;
};

/* libnl folds errno into its own codes; turn the ones it can produce back. */
static int errno_from_nle(int nle)
{
    switch (nle < 0 ? -nle : nle) {
    case NLE_NOMEM: return -ENOMEM;
    case NLE_PERM: return -EPERM;
    case NLE_NOACCESS: return -EACCES;
    case NLE_OBJ_NOTFOUND: return -ENOENT;
    case NLE_INVAL: return -EINVAL;
    case NLE_AGAIN: return -EAGAIN;
    case NLE_INTR: return -EINTR;
    case NLE_BAD_SOCK: return -EBADF;
    case NLE_OPNOTSUPP: return -EOPNOTSUPP;
    case NLE_AF_NOSUPPORT: return -EAFNOSUPPORT;
    case NLE_MSG_TRUNC: return -EMSGSIZE;
    case NLE_MSG_OVERFLOW: return -ENOBUFS;
    case NLE_SEQ_MISMATCH: return -EPROTO;
    case NLE_MSG_TOOSHORT:
    case NLE_PARSE_ERR: return -EBADMSG;
    default: return -EIO;
    }
}

static int on_valid(struct nl_msg *msg, void *arg)
{
    struct exchange *ex = arg;
    struct nlmsghdr *hdr = nlmsg_hdr(msg);

    if (hdr->nlmsg_pid != ex->port) {
        ex->error = -EPROTO;
        return NL_STOP;
    }
    if (ex->parse) {
        int r = ex->parse(hdr, ex->out);
        if (r < 0) {
            ex->error = r;
            return NL_STOP;
        }
    }
    return NL_OK;
}

/* Keeps the kernel's own errno: libnl's default handler would translate it. */
static int on_error(struct sockaddr_nl *who, struct nlmsgerr *err, void *arg)
{
    (void)who;
    struct exchange *ex = arg;
    ex->error = err->error < 0 ? err->error : -err->error;
    ex->done = 1;
    return NL_STOP;
}

static int on_done(struct nl_msg *msg, void *arg)
{
    (void)msg;
    struct exchange *ex = arg;
    ex->done = 1;
    return NL_STOP;
}

/* Sends msg (consumed) and reads replies until the ack, the error or the dump's end. */
int cipvs_exchange(struct nl_sock *sock, struct nl_msg *msg,
                   int (*parse)(struct nlmsghdr *, void *), void *out)
{
    struct exchange ex = { .parse = parse, .out = out,
                           .port = nl_socket_get_local_port(sock) };
    struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
    if (!cb) {
        nlmsg_free(msg);
        return -ENOMEM;
    }
    nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &ex);
    nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_done, &ex);
    nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, &ex);
    nl_cb_err(cb, NL_CB_CUSTOM, on_error, &ex);

    /* A dump ends with NLMSG_DONE; an ack after it would be left for the next request. */
    int dump = (nlmsg_hdr(msg)->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
    if (dump)
        nl_socket_disable_auto_ack(sock);
    int r = nl_send_auto(sock, msg);
    if (dump)
        nl_socket_enable_auto_ack(sock);
    nlmsg_free(msg);
    if (r < 0) {
        nl_cb_put(cb);
        return errno_from_nle(r);
    }
    while (!ex.done && ex.error == 0) {
        r = nl_recvmsgs(sock, cb);
        if (r < 0 && ex.error == 0)
            ex.error = errno_from_nle(r);
    }
    nl_cb_put(cb);
    return ex.error;
}

struct nl_msg *cipvs_new_request(int family, uint8_t cmd, uint8_t version, int flags)
{
    struct nl_msg *msg = nlmsg_alloc();
    if (!msg)
        return NULL;
    if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags, cmd, version)) {
        nlmsg_free(msg);
        return NULL;
    }
    return msg;
}

static int parse_family(struct nlmsghdr *hdr, void *out)
{
    static struct nla_policy policy[CTRL_ATTR_MAX + 1] = {
        [CTRL_ATTR_FAMILY_ID] = { .type = NLA_U16 },
        [CTRL_ATTR_VERSION] = { .type = NLA_U32 },
    };
    struct nlattr *tb[CTRL_ATTR_MAX + 1];
    struct cipvs_session *s = out;

    if (genlmsg_parse(hdr, 0, tb, CTRL_ATTR_MAX, policy) < 0 || !tb[CTRL_ATTR_FAMILY_ID])
        return -EBADMSG;
    s->family = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
    s->version = tb[CTRL_ATTR_VERSION] ? nla_get_u32(tb[CTRL_ATTR_VERSION]) : 0;
    return 0;
}

/* genl_ctrl_resolve() would hide the kernel's ENOENT behind NLE_OBJ_NOTFOUND. */
static int resolve_family(struct cipvs_session *s)
{
    struct nl_msg *msg = cipvs_new_request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
    if (!msg)
        return -ENOMEM;
    if (nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, IPVS_GENL_NAME) < 0) {
        nlmsg_free(msg);
        return -ENOMEM;
    }
    s->family = 0;
    int r = cipvs_exchange(s->sock, msg, parse_family, s);
    if (r == 0 && s->family == 0)
        r = -ENOENT;
    return r;
}

int cipvs_open(cipvs_session **out)
{
    struct cipvs_session *s = calloc(1, sizeof(*s));
    if (!s)
        return -ENOMEM;
    s->sock = nl_socket_alloc();
    if (!s->sock) {
        free(s);
        return -ENOMEM;
    }
    int r = nl_connect(s->sock, NETLINK_GENERIC);
    if (r < 0)
        r = errno_from_nle(r);
    else
        r = resolve_family(s);
    if (r < 0) {
        cipvs_close(s);
        return r;
    }
    *out = s;
    return 0;
}

void cipvs_close(cipvs_session *s)
{
    if (!s)
        return;
    nl_socket_free(s->sock);  /* closes the descriptor too */
    free(s);
}

uint32_t cipvs_family_version(const cipvs_session *s)
{
    return s->version;
}

int cipvs_parse_config_reply(const void *message, size_t length, cipvs_timeouts *out)
{
    static struct nla_policy policy[IPVS_CMD_ATTR_MAX + 1] = {
        [IPVS_CMD_ATTR_TIMEOUT_TCP] = { .type = NLA_U32 },
        [IPVS_CMD_ATTR_TIMEOUT_TCP_FIN] = { .type = NLA_U32 },
        [IPVS_CMD_ATTR_TIMEOUT_UDP] = { .type = NLA_U32 },
    };
    struct nlattr *tb[IPVS_CMD_ATTR_MAX + 1];
    const struct nlmsghdr *hdr = message;

    if (!cipvs_valid_reply(hdr, length, IPVS_CMD_SET_CONFIG) ||
        genlmsg_parse((struct nlmsghdr *)hdr, 0, tb, IPVS_CMD_ATTR_MAX, policy) < 0)
        return -EBADMSG;
    out->tcp = tb[IPVS_CMD_ATTR_TIMEOUT_TCP] ? nla_get_u32(tb[IPVS_CMD_ATTR_TIMEOUT_TCP]) : 0;
    out->tcp_fin = tb[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN] ? nla_get_u32(tb[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN]) : 0;
    out->udp = tb[IPVS_CMD_ATTR_TIMEOUT_UDP] ? nla_get_u32(tb[IPVS_CMD_ATTR_TIMEOUT_UDP]) : 0;
    return 0;
}

bool cipvs_valid_reply(const struct nlmsghdr *hdr, size_t length, uint8_t command)
{
    if (length < NLMSG_HDRLEN || hdr->nlmsg_len < NLMSG_HDRLEN || hdr->nlmsg_len > length)
        return false;
    if (!genlmsg_valid_hdr((struct nlmsghdr *)hdr, 0))
        return false;
    return ((struct genlmsghdr *)nlmsg_data(hdr))->cmd == command;
}

static int parse_config(struct nlmsghdr *hdr, void *out)
{
    return cipvs_parse_config_reply(hdr, hdr->nlmsg_len, out);
}

int cipvs_get_config(cipvs_session *s, cipvs_timeouts *out)
{
    struct nl_msg *msg = cipvs_new_request(s->family, IPVS_CMD_GET_CONFIG, IPVS_GENL_VERSION, 0);
    if (!msg)
        return -ENOMEM;
    memset(out, 0, sizeof(*out));
    return cipvs_exchange(s->sock, msg, parse_config, out);
}

int cipvs_set_config(cipvs_session *s, const cipvs_timeouts *v)
{
    struct nl_msg *msg = cipvs_new_request(s->family, IPVS_CMD_SET_CONFIG, IPVS_GENL_VERSION, 0);
    if (!msg)
        return -ENOMEM;
    /* A missing attribute leaves that timeout unchanged, as 0 would. */
    if ((v->tcp && nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_TCP, v->tcp) < 0) ||
        (v->tcp_fin && nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, v->tcp_fin) < 0) ||
        (v->udp && nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_UDP, v->udp) < 0)) {
        nlmsg_free(msg);
        return -ENOMEM;
    }
    return cipvs_exchange(s->sock, msg, NULL, NULL);
}

int cipvs_is_namespace_file(const char *path)
{
    struct statfs info;
    return statfs(path, &info) == 0 && info.f_type == NSFS_MAGIC;
}

int cipvs_enter_netns_fd(int fd)
{
    return setns(fd, CLONE_NEWNET) < 0 ? -errno : 0;
}

int cipvs_enter_netns(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    int r = setns(fd, CLONE_NEWNET) < 0 ? -errno : 0;
    close(fd);
    return r;
}
