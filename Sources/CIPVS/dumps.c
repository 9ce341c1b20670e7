/* Dumps of services, their real servers, and sync daemons. */
#define _GNU_SOURCE
#include "CIPVS.h"
#include "internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ip_vs.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

_Static_assert(sizeof(cipvs_service) == 72, "cipvs_service is mirrored in Swift");
_Static_assert(sizeof(cipvs_dest) == 48, "cipvs_dest is mirrored in Swift");
_Static_assert(sizeof(cipvs_daemon) == 48, "cipvs_daemon is mirrored in Swift");

/* A growing array of fixed-size items, filled by a dump's parser. */
struct collection {
    int (*parse_one)(const void *message, size_t length, void *out);
    size_t size, count, capacity;
    void *items;
};

static int collect(struct nlmsghdr *hdr, void *arg)
{
    struct collection *c = arg;
    if (c->count == c->capacity) {
        size_t capacity = c->capacity ? c->capacity * 2 : 16;
        void *items = realloc(c->items, capacity * c->size);
        if (!items)
            return -ENOMEM;
        c->items = items;
        c->capacity = capacity;
    }
    void *slot = (char *)c->items + c->count * c->size;
    memset(slot, 0, c->size);
    int r = c->parse_one(hdr, hdr->nlmsg_len, slot);
    if (r == 0)
        c->count++;
    return r;
}

static int dump(cipvs_session *s, struct nl_msg *msg, struct collection *c, void **items, size_t *count)
{
    int r = cipvs_exchange(s->sock, msg, collect, c);
    if (r < 0) {
        free(c->items);
        return r;
    }
    *items = c->items;
    *count = c->count;
    return 0;
}

/* Copies an address attribute: 4 bytes for IPv4, 16 for IPv6 (the kernel sends 16). */
static int copy_addr(uint8_t out[16], const struct nlattr *attr, uint16_t af)
{
    int need = af == AF_INET6 ? 16 : 4;
    if (!attr || nla_len(attr) < need)
        return -EBADMSG;
    memcpy(out, nla_data(attr), need);
    return 0;
}

static void copy_string(char *out, size_t size, const struct nlattr *attr)
{
    if (attr)
        nla_strlcpy(out, attr, size);
}

/* Parses the nested attribute `outer` of a reply carrying `command` into tb. */
static int parse_nested(const void *message, size_t length, uint8_t command, int outer,
                        struct nlattr **tb, int max, struct nla_policy *policy)
{
    struct nla_policy top[IPVS_CMD_ATTR_MAX + 1];
    struct nlattr *attrs[IPVS_CMD_ATTR_MAX + 1];
    memset(top, 0, sizeof(top));
    top[outer].type = NLA_NESTED;
    const struct nlmsghdr *hdr = message;

    if (!cipvs_valid_reply(hdr, length, command) ||
        genlmsg_parse((struct nlmsghdr *)hdr, 0, attrs, IPVS_CMD_ATTR_MAX, top) < 0 || !attrs[outer] ||
        nla_parse_nested(tb, max, attrs[outer], policy) < 0)
        return -EBADMSG;
    return 0;
}

int cipvs_parse_service_reply(const void *message, size_t length, cipvs_service *out)
{
    static struct nla_policy policy[IPVS_SVC_ATTR_MAX + 1] = {
        [IPVS_SVC_ATTR_AF] = { .type = NLA_U16 },
        [IPVS_SVC_ATTR_PROTOCOL] = { .type = NLA_U16 },
        [IPVS_SVC_ATTR_ADDR] = { .type = NLA_UNSPEC, .minlen = 4 },
        [IPVS_SVC_ATTR_PORT] = { .type = NLA_U16 },
        [IPVS_SVC_ATTR_FWMARK] = { .type = NLA_U32 },
        [IPVS_SVC_ATTR_SCHED_NAME] = { .type = NLA_STRING, .maxlen = IP_VS_SCHEDNAME_MAXLEN },
        [IPVS_SVC_ATTR_PE_NAME] = { .type = NLA_STRING, .maxlen = IP_VS_PENAME_MAXLEN },
        [IPVS_SVC_ATTR_FLAGS] = { .type = NLA_UNSPEC, .minlen = sizeof(struct ip_vs_flags) },
        [IPVS_SVC_ATTR_TIMEOUT] = { .type = NLA_U32 },
        [IPVS_SVC_ATTR_NETMASK] = { .type = NLA_U32 },
        [IPVS_SVC_ATTR_STATS] = { .type = NLA_NESTED },
        [IPVS_SVC_ATTR_STATS64] = { .type = NLA_NESTED },
    };
    struct nlattr *tb[IPVS_SVC_ATTR_MAX + 1];
    int r = parse_nested(message, length, IPVS_CMD_NEW_SERVICE, IPVS_CMD_ATTR_SERVICE, tb, IPVS_SVC_ATTR_MAX, policy);
    if (r < 0 || !tb[IPVS_SVC_ATTR_AF])
        return -EBADMSG;
    out->af = nla_get_u16(tb[IPVS_SVC_ATTR_AF]);
    if (out->af != AF_INET && out->af != AF_INET6)
        return -EBADMSG;
    if (tb[IPVS_SVC_ATTR_FWMARK]) {
        out->fwmark = nla_get_u32(tb[IPVS_SVC_ATTR_FWMARK]);
    } else {
        if (!tb[IPVS_SVC_ATTR_PROTOCOL] || !tb[IPVS_SVC_ATTR_PORT] ||
            copy_addr(out->addr, tb[IPVS_SVC_ATTR_ADDR], out->af) < 0)
            return -EBADMSG;
        out->protocol = nla_get_u16(tb[IPVS_SVC_ATTR_PROTOCOL]);
        out->port = ntohs(nla_get_u16(tb[IPVS_SVC_ATTR_PORT]));
    }
    copy_string(out->scheduler, sizeof(out->scheduler), tb[IPVS_SVC_ATTR_SCHED_NAME]);
    copy_string(out->pe_name, sizeof(out->pe_name), tb[IPVS_SVC_ATTR_PE_NAME]);
    if (tb[IPVS_SVC_ATTR_FLAGS]) {
        struct ip_vs_flags flags;
        memcpy(&flags, nla_data(tb[IPVS_SVC_ATTR_FLAGS]), sizeof(flags));
        out->flags = flags.flags;
    }
    out->timeout = tb[IPVS_SVC_ATTR_TIMEOUT] ? nla_get_u32(tb[IPVS_SVC_ATTR_TIMEOUT]) : 0;
    out->netmask = tb[IPVS_SVC_ATTR_NETMASK] ? nla_get_u32(tb[IPVS_SVC_ATTR_NETMASK]) : 0;
    return 0;
}

int cipvs_parse_dest_reply(const void *message, size_t length, cipvs_dest *out)
{
    static struct nla_policy policy[IPVS_DEST_ATTR_MAX + 1] = {
        [IPVS_DEST_ATTR_ADDR] = { .type = NLA_UNSPEC, .minlen = 4 },
        [IPVS_DEST_ATTR_PORT] = { .type = NLA_U16 },
        [IPVS_DEST_ATTR_FWD_METHOD] = { .type = NLA_U32 },
        [IPVS_DEST_ATTR_WEIGHT] = { .type = NLA_U32 },
        [IPVS_DEST_ATTR_U_THRESH] = { .type = NLA_U32 },
        [IPVS_DEST_ATTR_L_THRESH] = { .type = NLA_U32 },
        [IPVS_DEST_ATTR_ACTIVE_CONNS] = { .type = NLA_U32 },
        [IPVS_DEST_ATTR_INACT_CONNS] = { .type = NLA_U32 },
        [IPVS_DEST_ATTR_PERSIST_CONNS] = { .type = NLA_U32 },
        [IPVS_DEST_ATTR_STATS] = { .type = NLA_NESTED },
        [IPVS_DEST_ATTR_ADDR_FAMILY] = { .type = NLA_U16 },
        [IPVS_DEST_ATTR_STATS64] = { .type = NLA_NESTED },
    };
    struct nlattr *tb[IPVS_DEST_ATTR_MAX + 1];
    int r = parse_nested(message, length, IPVS_CMD_NEW_DEST, IPVS_CMD_ATTR_DEST, tb, IPVS_DEST_ATTR_MAX, policy);
    if (r < 0 || !tb[IPVS_DEST_ATTR_PORT])
        return -EBADMSG;
    /* Kernels before 4.3 send no family: the address is then of the service's family,
     * which cipvs_get_dests fills in (0 here). */
    out->af = tb[IPVS_DEST_ATTR_ADDR_FAMILY] ? nla_get_u16(tb[IPVS_DEST_ATTR_ADDR_FAMILY]) : 0;
    if (out->af != 0 && out->af != AF_INET && out->af != AF_INET6)
        return -EBADMSG;
    if (copy_addr(out->addr, tb[IPVS_DEST_ATTR_ADDR], out->af == AF_INET ? AF_INET : AF_INET6) < 0 &&
        copy_addr(out->addr, tb[IPVS_DEST_ATTR_ADDR], out->af == 0 ? AF_INET : AF_INET6) < 0)
        return -EBADMSG;
    out->port = ntohs(nla_get_u16(tb[IPVS_DEST_ATTR_PORT]));
#define U32(attr) (tb[attr] ? nla_get_u32(tb[attr]) : 0)
    out->forward = U32(IPVS_DEST_ATTR_FWD_METHOD) & IP_VS_CONN_F_FWD_MASK;
    out->weight = U32(IPVS_DEST_ATTR_WEIGHT);
    out->upper_threshold = U32(IPVS_DEST_ATTR_U_THRESH);
    out->lower_threshold = U32(IPVS_DEST_ATTR_L_THRESH);
    out->active = U32(IPVS_DEST_ATTR_ACTIVE_CONNS);
    out->inactive = U32(IPVS_DEST_ATTR_INACT_CONNS);
    out->persistent = U32(IPVS_DEST_ATTR_PERSIST_CONNS);
#undef U32
    return 0;
}

int cipvs_parse_daemon_reply(const void *message, size_t length, cipvs_daemon *out)
{
    static struct nla_policy policy[IPVS_DAEMON_ATTR_MAX + 1] = {
        [IPVS_DAEMON_ATTR_STATE] = { .type = NLA_U32 },
        [IPVS_DAEMON_ATTR_MCAST_IFN] = { .type = NLA_STRING, .maxlen = IP_VS_IFNAME_MAXLEN },
        [IPVS_DAEMON_ATTR_SYNC_ID] = { .type = NLA_U32 },
        [IPVS_DAEMON_ATTR_SYNC_MAXLEN] = { .type = NLA_U16 },
        [IPVS_DAEMON_ATTR_MCAST_GROUP] = { .type = NLA_U32 },
        [IPVS_DAEMON_ATTR_MCAST_GROUP6] = { .type = NLA_UNSPEC, .minlen = 16 },
        [IPVS_DAEMON_ATTR_MCAST_PORT] = { .type = NLA_U16 },
        [IPVS_DAEMON_ATTR_MCAST_TTL] = { .type = NLA_U8 },
    };
    struct nlattr *tb[IPVS_DAEMON_ATTR_MAX + 1];
    int r = parse_nested(message, length, IPVS_CMD_NEW_DAEMON, IPVS_CMD_ATTR_DAEMON, tb, IPVS_DAEMON_ATTR_MAX, policy);
    if (r < 0 || !tb[IPVS_DAEMON_ATTR_STATE] || !tb[IPVS_DAEMON_ATTR_SYNC_ID])
        return -EBADMSG;
    out->state = nla_get_u32(tb[IPVS_DAEMON_ATTR_STATE]);
    out->syncid = nla_get_u32(tb[IPVS_DAEMON_ATTR_SYNC_ID]);
    copy_string(out->ifname, sizeof(out->ifname), tb[IPVS_DAEMON_ATTR_MCAST_IFN]);
    out->maxlen = tb[IPVS_DAEMON_ATTR_SYNC_MAXLEN] ? nla_get_u16(tb[IPVS_DAEMON_ATTR_SYNC_MAXLEN]) : 0;
    /* Host order here, unlike the service and real-server ports (nla_put_u16 of mcast_port). */
    out->port = tb[IPVS_DAEMON_ATTR_MCAST_PORT] ? nla_get_u16(tb[IPVS_DAEMON_ATTR_MCAST_PORT]) : 0;
    out->ttl = tb[IPVS_DAEMON_ATTR_MCAST_TTL] ? nla_get_u8(tb[IPVS_DAEMON_ATTR_MCAST_TTL]) : 0;
    if (tb[IPVS_DAEMON_ATTR_MCAST_GROUP]) {
        uint32_t group = nla_get_u32(tb[IPVS_DAEMON_ATTR_MCAST_GROUP]);  /* network order */
        out->group_af = AF_INET;
        memcpy(out->group, &group, 4);
    } else if (tb[IPVS_DAEMON_ATTR_MCAST_GROUP6]) {
        out->group_af = AF_INET6;
        memcpy(out->group, nla_data(tb[IPVS_DAEMON_ATTR_MCAST_GROUP6]), 16);
    }
    return 0;
}

static int parse_service(const void *m, size_t n, void *out) { return cipvs_parse_service_reply(m, n, out); }
static int parse_dest(const void *m, size_t n, void *out) { return cipvs_parse_dest_reply(m, n, out); }
static int parse_daemon(const void *m, size_t n, void *out) { return cipvs_parse_daemon_reply(m, n, out); }

int cipvs_get_services(cipvs_session *s, cipvs_service **items, size_t *count)
{
    struct collection c = { .parse_one = parse_service, .size = sizeof(cipvs_service) };
    struct nl_msg *msg = cipvs_new_request(s->family, IPVS_CMD_GET_SERVICE, IPVS_GENL_VERSION, NLM_F_DUMP);
    if (!msg)
        return -ENOMEM;
    return dump(s, msg, &c, (void **)items, count);
}

/* GET_DEST names its service by family and firewall mark, or protocol, address and port. */
static int put_service(struct nl_msg *msg, const cipvs_service *svc)
{
    struct nlattr *nest = nla_nest_start(msg, IPVS_CMD_ATTR_SERVICE);
    if (!nest || nla_put_u16(msg, IPVS_SVC_ATTR_AF, svc->af) < 0)
        return -ENOMEM;
    if (svc->fwmark) {
        if (nla_put_u32(msg, IPVS_SVC_ATTR_FWMARK, svc->fwmark) < 0)
            return -ENOMEM;
    } else if (nla_put_u16(msg, IPVS_SVC_ATTR_PROTOCOL, svc->protocol) < 0 ||
               nla_put(msg, IPVS_SVC_ATTR_ADDR, svc->af == AF_INET6 ? 16 : 4, svc->addr) < 0 ||
               nla_put_u16(msg, IPVS_SVC_ATTR_PORT, htons(svc->port)) < 0) {
        return -ENOMEM;
    }
    nla_nest_end(msg, nest);
    return 0;
}

int cipvs_get_dests(cipvs_session *s, const cipvs_service *service, cipvs_dest **items, size_t *count)
{
    struct collection c = { .parse_one = parse_dest, .size = sizeof(cipvs_dest) };
    struct nl_msg *msg = cipvs_new_request(s->family, IPVS_CMD_GET_DEST, IPVS_GENL_VERSION, NLM_F_DUMP);
    if (!msg)
        return -ENOMEM;
    if (put_service(msg, service) < 0) {
        nlmsg_free(msg);
        return -ENOMEM;
    }
    int r = dump(s, msg, &c, (void **)items, count);
    for (size_t i = 0; r == 0 && i < *count; i++)
        if ((*items)[i].af == 0)
            (*items)[i].af = service->af;
    return r;
}

int cipvs_get_daemons(cipvs_session *s, cipvs_daemon **items, size_t *count)
{
    struct collection c = { .parse_one = parse_daemon, .size = sizeof(cipvs_daemon) };
    struct nl_msg *msg = cipvs_new_request(s->family, IPVS_CMD_GET_DAEMON, IPVS_GENL_VERSION, NLM_F_DUMP);
    if (!msg)
        return -ENOMEM;
    return dump(s, msg, &c, (void **)items, count);
}
