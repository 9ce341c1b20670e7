/*
 * syncfeed [-i IFACE|ADDR] [-s SYNCID] [-t TIMEOUT] [-r RATE] [-o FIRST] [-p K]
 *          [-m MAXLEN] [-w WINDOW] N
 * syncfeed -n [-o FIRST] [-p K] N
 * syncfeed -c
 *
 * Fills a real kernel IPVS connection table without traffic: sends IPVS sync messages
 * (protocol version 1, as net/netfilter/ipvs/ip_vs_sync.c reads them: an 8-byte header,
 * then up to 255 36-byte struct ip_vs_sync_v4) to the group 224.0.0.81 port 8848 out of
 * IFACE with IP_MULTICAST_LOOP on, so that a local backup daemon (ipvsadm --start-daemon
 * backup --mcast-interface IFACE) creates N distinct IPv4 entries. No virtual service is
 * needed. Entry i (FIRST <= i < FIRST+N) is, by i % 20:
 *
 *   0-11  TCP ESTABLISHED          16-17  UDP (state "UDP")
 *   12    TCP SYN_RECV  (inactive) 18     TCP persistence template, client port 0,
 *   13    TCP FIN_WAIT  (inactive)        state NONE or ASSURED (alternating)
 *   14    TCP TIME_WAIT (inactive) 19     firewall-mark template: protocol IP, ToIP =
 *   15    TCP CLOSE_WAIT (inactive)       the mark (1-4), ports 0, state NONE
 *
 * client 100.64.0.0 + i (so i < 4194304), client port 1024-65023, virtual address
 * 192.168.10.1-4 port 80/443 (UDP: 53), destination 172.16.0.1-13, same port (NAT).
 *
 *   -i IFACE|ADDR  the interface the backup listens on (name or one of its IPv4
 *                  addresses; default sync0)
 *   -s SYNCID      syncid in the message header (default 0; a backup started with
 *                  syncid 0 accepts any, one with syncid S>0 only S)
 *   -t TIMEOUT     entry timeout in seconds (default 600); 0 lets the kernel pick its
 *                  per-state timeout (180 s for templates). Sending an existing entry
 *                  again sets its timeout anew: -t 1 makes entries expire in a second.
 *   -r RATE        at most RATE entries per second (default: no cap)
 *   -o FIRST       index of the first entry (default 0): runs with disjoint ranges add
 *                  distinct entries; the same range again only refreshes them
 *   -p K           print the first K entries on stdout as /proc/net/ip_vs_conn prints
 *                  them, without the Expires column
 *   -m MAXLEN      largest datagram (default: what the backup reads at most,
 *                  clamp(MTU, 1500, 65535) - 28 as start_sync_thread computes it for
 *                  an IPv4 group; a backup started with --sync-maxlen needs the same).
 *                  A longer datagram is truncated on reading and dropped as "bogus".
 *   -w WINDOW      flow control (default 4): at most WINDOW datagrams sent and not yet
 *                  taken by the backup thread (UDP InDatagrams and InErrors in
 *                  /proc/net/snmp, so no other UDP receiver should be busy in the same
 *                  network namespace). At the end syncfeed waits until the thread has
 *                  taken everything and sleeps again, so the entries exist when it
 *                  returns. 0: no flow control, no waiting, no checks (a burst beyond
 *                  the backup's socket buffer, ~12 datagrams, is mostly dropped).
 *   -n             send nothing, only print the entries (all N, or the first K with -p)
 *   -c             only print how many entries /proc/net/ip_vs_conn holds (reads it in
 *                  64 KiB chunks; much faster than wc -l under TCG, but the kernel's
 *                  own cost, quadratic in the table size, stays).
 *
 * A datagram that finds the backup's socket buffer full is dropped silently (the
 * socket's "drops" in /proc/net/udp). syncfeed reports the drops during its run on stderr
 * and exits 3 if there were any (resending the same range is harmless).
 * Exit: 0 sent, 1 error, 2 no backup daemon listening (with flow control), 3 drops,
 * 64 usage.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SYNC_GROUP 0xE0000051u /* 224.0.0.81 */
#define SYNC_PORT 8848
#define MAX_CONNS 255          /* nr_conns is a u8 */
#define HDR_SIZE 8             /* struct ip_vs_sync_mesg */
#define V4_SIZE 36             /* struct ip_vs_sync_v4, no options */
#define MAX_ENTRIES 4194304L   /* clients are 100.64.0.0/10 */

/* include/uapi/linux/ip_vs.h */
#define F_MASQ 0x0000
#define F_INACTIVE 0x0100
#define F_TEMPLATE 0x1000

/* include/net/ip_vs.h: enum ip_vs_tcp_states, ip_vs_ctpl_states */
enum { TCP_NONE, TCP_ESTABLISHED, TCP_SYN_SENT, TCP_SYN_RECV, TCP_FIN_WAIT, TCP_TIME_WAIT,
       TCP_CLOSE, TCP_CLOSE_WAIT };
enum { CTPL_NONE, CTPL_ASSURED };

struct entry {
    uint8_t protocol;
    uint32_t flags;
    uint16_t state, cport, vport, dport;
    uint32_t fwmark, caddr, vaddr, daddr;
};

static const char *tcp_names[] = { "NONE", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT",
                                   "TIME_WAIT", "CLOSE", "CLOSE_WAIT" };

static void make_entry(long i, struct entry *e)
{
    unsigned kind = (unsigned)(i % 20), round = (unsigned)(i / 20);
    uint32_t h = (uint32_t)i * 2654435761u;

    memset(e, 0, sizeof(*e));
    e->caddr = 0x64400000u + (uint32_t)i;
    e->cport = (uint16_t)(1024 + (h >> 8) % 64000);
    e->vaddr = 0xC0A80A01u + round % 4;
    e->vport = (round / 4) % 2 ? 443 : 80;
    e->daddr = 0xAC100001u + (uint32_t)(i % 13);
    e->flags = F_MASQ;
    e->protocol = IPPROTO_TCP;
    if (kind < 12) {
        e->state = TCP_ESTABLISHED;
    } else if (kind < 16) {
        static const uint16_t closing[] = { TCP_SYN_RECV, TCP_FIN_WAIT, TCP_TIME_WAIT, TCP_CLOSE_WAIT };
        e->state = closing[kind - 12];
        e->flags |= F_INACTIVE;
    } else if (kind < 18) {
        e->protocol = IPPROTO_UDP;
        e->vport = 53;
        e->state = 0; /* IP_VS_UDP_S_NORMAL */
    } else if (kind == 18) {
        e->cport = 0;
        e->flags |= F_TEMPLATE;
        e->state = round % 2 ? CTPL_ASSURED : CTPL_NONE;
    } else {
        /* a firewall-mark service's template: protocol IP, the mark as the address */
        e->protocol = IPPROTO_IP;
        e->cport = 0;
        e->fwmark = 1 + round % 4;
        e->vaddr = e->fwmark;
        e->vport = 0;
        e->flags |= F_TEMPLATE;
        e->state = CTPL_NONE;
    }
    e->dport = e->vport;
}

static void print_entry(const struct entry *e)
{
    const char *proto = e->protocol == IPPROTO_TCP ? "TCP" : e->protocol == IPPROTO_UDP ? "UDP" : "IP";
    const char *state;
    if (e->flags & F_TEMPLATE)
        state = e->state == CTPL_ASSURED ? "ASSURED" : "NONE";
    else if (e->protocol == IPPROTO_UDP)
        state = "UDP";
    else
        state = tcp_names[e->state];
    printf("%-3s %08X %04X %08X %04X %08X %04X %s\n", proto, e->caddr, e->cport, e->vaddr, e->vport,
           e->daddr, e->dport, state);
}

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)(v >> 16)); put16(p + 2, (uint16_t)v); }

/* struct ip_vs_sync_v4, all fields in network order */
static void encode(uint8_t *p, const struct entry *e, uint32_t timeout)
{
    p[0] = 0;                   /* type: IPv4 */
    p[1] = e->protocol;
    put16(p + 2, V4_SIZE);      /* ver_size: version 0 in the top 4 bits, size */
    put32(p + 4, e->flags);
    put16(p + 8, e->state);
    put16(p + 10, e->cport);
    put16(p + 12, e->vport);
    put16(p + 14, e->dport);
    put32(p + 16, e->fwmark);
    put32(p + 20, timeout);
    put32(p + 24, e->caddr);
    put32(p + 28, e->vaddr);
    put32(p + 32, e->daddr);
}

/* The backup's sockets (bound to 224.0.0.81:8848) in /proc/net/udp: their "drops",
 * summed. Returns how many there are, -1 if the file is unreadable. */
static int backup_socket(unsigned long *drops)
{
    FILE *f = fopen("/proc/net/udp", "r");
    char line[512], want[16];
    int found = 0;

    if (!f)
        return -1;
    /* the address is the raw __be32 printed with %08X on a little-endian host */
    snprintf(want, sizeof(want), "%08X:%04X", (unsigned)htonl(SYNC_GROUP), SYNC_PORT);
    *drops = 0;
    while (fgets(line, sizeof(line), f)) {
        char *tok[16], *save = NULL, *t;
        int n = 0;
        for (t = strtok_r(line, " \t\n", &save); t && n < 16; t = strtok_r(NULL, " \t\n", &save))
            tok[n++] = t;
        if (n < 13 || strcmp(tok[1], want) != 0)
            continue;
        *drops += strtoul(tok[n - 1], NULL, 10);
        found++;
    }
    fclose(f);
    return found;
}

/* The network namespace's UDP counters (/proc/net/snmp): datagrams read by a receiver
 * (InDatagrams counts in udp_recvmsg, when the backup thread takes one) and datagrams
 * dropped on arrival (InErrors: receive buffer full, bad checksum). */
static int udp_counters(unsigned long *taken, unsigned long *dropped)
{
    FILE *f = fopen("/proc/net/snmp", "r");
    char line[1024];
    int seen = 0;

    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f)) {
        if (strncmp(line, "Udp: ", 5) != 0 || ++seen < 2)
            continue;  /* the first Udp: line holds the names */
        unsigned long v[3];
        if (sscanf(line + 5, "%lu %lu %lu", &v[0], &v[1], &v[2]) != 3)
            break;
        *taken = v[0];
        *dropped = v[2];
        fclose(f);
        return 0;
    }
    fclose(f);
    return -1;
}

/* 1 when every backup sync thread (kernel threads named ipvs-b:GEN:ID) sleeps, waiting
 * for a datagram: with an empty socket queue it has then processed all it received. */
static int backup_idle(void)
{
    DIR *d = opendir("/proc");
    struct dirent *de;
    int found = 0, busy = 0;

    if (!d)
        return 0;
    while ((de = readdir(d))) {
        char path[300], stat[256];
        if (de->d_name[0] < '1' || de->d_name[0] > '9')
            continue;
        snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
        int fd = open(path, O_RDONLY);
        if (fd < 0)
            continue;
        ssize_t len = read(fd, stat, sizeof(stat) - 1);
        close(fd);
        if (len <= 0)
            continue;
        stat[len] = 0;
        /* "PID (COMM) STATE ..." */
        char *comm = strchr(stat, '('), *end = strrchr(stat, ')');
        if (!comm || !end || strncmp(comm + 1, "ipvs-b:", 7) != 0 || end[1] != ' ')
            continue;
        found++;
        if (end[2] != 'S')
            busy++;
    }
    closedir(d);
    return found > 0 && busy == 0;
}

/* Entries in /proc/net/ip_vs_conn: lines minus the header, read in big chunks (the
 * kernel still hands out one page per read and restarts its walk for each). */
static long count_entries(void)
{
    static char buf[1 << 16];
    int fd = open("/proc/net/ip_vs_conn", O_RDONLY);
    long lines = 0;
    ssize_t len;

    if (fd < 0)
        return -1;
    while ((len = read(fd, buf, sizeof(buf))) > 0)
        for (char *p = buf; (p = memchr(p, '\n', (size_t)(buf + len - p))); p++)
            lines++;
    close(fd);
    return len < 0 ? -1 : lines - 1;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap(double seconds)
{
    struct timespec ts = { (time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9) };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* The interface by name or by one of its IPv4 addresses: index and MTU. */
static int find_iface(const char *spec, unsigned *ifindex, int *mtu)
{
    struct in_addr addr;
    int by_addr = inet_pton(AF_INET, spec, &addr) == 1;
    char name[IF_NAMESIZE] = "";

    if (by_addr) {
        struct ifaddrs *ifa, *p;
        if (getifaddrs(&ifa) != 0)
            return -1;
        for (p = ifa; p; p = p->ifa_next) {
            if (p->ifa_addr && p->ifa_addr->sa_family == AF_INET &&
                ((struct sockaddr_in *)p->ifa_addr)->sin_addr.s_addr == addr.s_addr) {
                snprintf(name, sizeof(name), "%s", p->ifa_name);
                break;
            }
        }
        freeifaddrs(ifa);
    } else {
        snprintf(name, sizeof(name), "%s", spec);
    }
    if (!name[0] || !(*ifindex = if_nametoindex(name)))
        return -1;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
    if (fd < 0 || ioctl(fd, SIOCGIFMTU, &ifr) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    *mtu = ifr.ifr_mtu;
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: syncfeed [-i IFACE|ADDR] [-s SYNCID] [-t TIMEOUT] [-r RATE] [-o FIRST] [-p K]\n"
                    "                [-m MAXLEN] [-w WINDOW] N\n"
                    "       syncfeed -n [-o FIRST] [-p K] N\n"
                    "       syncfeed -c\n");
    exit(64);
}

static long number(const char *s, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        usage();
    return v;
}

int main(int argc, char **argv)
{
    const char *iface = "sync0";
    long syncid = 0, timeout = 600, rate = 0, first = 0, print = 0, maxlen = 0, window = 4;
    int c, dry = 0;

    while ((c = getopt(argc, argv, "cni:s:t:r:o:p:m:w:")) != -1) {
        switch (c) {
        case 'c': {
            long entries = count_entries();
            if (entries < 0) {
                perror("syncfeed: /proc/net/ip_vs_conn");
                return 1;
            }
            printf("%ld\n", entries);
            return 0;
        }
        case 'n': dry = 1; break;
        case 'i': iface = optarg; break;
        case 's': syncid = number(optarg, 0, 255); break;
        case 't': timeout = number(optarg, 0, 0x7fffffffL); break;
        case 'r': rate = number(optarg, 0, 100000000L); break;
        case 'o': first = number(optarg, 0, MAX_ENTRIES - 1); break;
        case 'p': print = number(optarg, 0, MAX_ENTRIES); break;
        case 'm': maxlen = number(optarg, HDR_SIZE + V4_SIZE, 65507); break;
        case 'w': window = number(optarg, 0, 1000000); break;
        default: usage();
        }
    }
    if (optind != argc - 1)
        usage();
    long n = number(argv[optind], 0, MAX_ENTRIES - first);
    if (dry) {
        struct entry e;
        for (long i = first; i < first + n && (!print || i - first < print); i++) {
            make_entry(i, &e);
            print_entry(&e);
        }
        return 0;
    }

    unsigned ifindex;
    int mtu;
    if (find_iface(iface, &ifindex, &mtu) != 0) {
        fprintf(stderr, "syncfeed: no interface '%s'\n", iface);
        return 1;
    }
    if (!maxlen) {
        /* start_sync_thread: sync_maxlen = clamp(mtu, 1500, 65535) - (iphdr + udphdr) */
        int m = mtu < 1500 ? 1500 : mtu > 65535 ? 65535 : mtu;
        maxlen = m - 28;
    }
    long per = (maxlen - HDR_SIZE) / V4_SIZE;
    if (per > MAX_CONNS)
        per = MAX_CONNS;

    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) {
        perror("syncfeed: socket");
        return 1;
    }
    struct ip_mreqn mreq;
    memset(&mreq, 0, sizeof(mreq));
    mreq.imr_ifindex = (int)ifindex;
    unsigned char loop = 1, ttl = 1;
    if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mreq, sizeof(mreq)) != 0 ||
        setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof(loop)) != 0 ||
        setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) != 0) {
        perror("syncfeed: setsockopt");
        return 1;
    }
    struct sockaddr_in group = { .sin_family = AF_INET, .sin_port = htons(SYNC_PORT),
                                 .sin_addr.s_addr = htonl(SYNC_GROUP) };

    /* Flow control: datagrams sent but neither taken by the backup thread nor dropped.
     * The socket's own queue (rx_queue) is no measure: under load the loopback copies
     * can wait in the softirq backlog and then reach the socket all at once. */
    unsigned long drops0 = 0, drops1 = 0, taken0 = 0, lost0 = 0, taken = 0, lost = 0;
    if (window) {
        if (backup_socket(&drops0) <= 0) {
            fprintf(stderr, "syncfeed: no backup sync daemon listening on 224.0.0.81:%d "
                            "(ipvsadm --start-daemon backup --mcast-interface %s)\n", SYNC_PORT, iface);
            return 2;
        }
        if (udp_counters(&taken0, &lost0) != 0) {
            fprintf(stderr, "syncfeed: cannot read /proc/net/snmp\n");
            return 1;
        }
    }

    uint8_t buf[HDR_SIZE + MAX_CONNS * V4_SIZE];
    struct entry e;
    long sent = 0, datagrams = 0, waits = 0;
    double start = now();
    while (sent < n) {
        long count = n - sent < per ? n - sent : per;
        size_t size = HDR_SIZE + (size_t)count * V4_SIZE;
        buf[0] = 0;                       /* reserved: must be 0 for version 1 */
        buf[1] = (uint8_t)syncid;
        put16(buf + 2, (uint16_t)size);   /* the whole datagram */
        buf[4] = (uint8_t)count;
        buf[5] = 1;                       /* SYNC_PROTO_VER */
        buf[6] = buf[7] = 0;              /* spare: must be 0 */
        for (long k = 0; k < count; k++) {
            long i = first + sent + k;
            make_entry(i, &e);
            encode(buf + HDR_SIZE + k * V4_SIZE, &e, (uint32_t)timeout);
            if (i - first < print)
                print_entry(&e);
        }
        if (window) {
            double deadline = now() + 60;
            while (udp_counters(&taken, &lost) == 0 &&
                   (long)(datagrams - (long)(taken - taken0) - (long)(lost - lost0)) >= window) {
                if (now() > deadline) {
                    fprintf(stderr, "syncfeed: the backup took nothing for 60 s\n");
                    return 1;
                }
                waits++;
                nap(0.001);
            }
        }
        if (sendto(fd, buf, size, 0, (struct sockaddr *)&group, sizeof(group)) != (ssize_t)size) {
            perror("syncfeed: sendto");
            return 1;
        }
        sent += count;
        datagrams++;
        if (rate) {
            double due = start + (double)sent / (double)rate;
            double t = now();
            if (due > t)
                nap(due - t);
        }
    }
    fflush(stdout);
    if (window) {
        /* Done when every datagram was taken (or dropped) and the backup thread has gone
         * back to sleep, i.e. has processed the last one: seen twice in a row. */
        double deadline = now() + 120;
        int idle = 0;
        while (idle < 2 && now() < deadline) {
            nap(0.002);
            if (udp_counters(&taken, &lost) != 0)
                break;
            long pending = datagrams - (long)(taken - taken0) - (long)(lost - lost0);
            idle = pending <= 0 && backup_idle() ? idle + 1 : 0;
        }
        backup_socket(&drops1);
        if (idle < 2) {
            fprintf(stderr, "syncfeed: the backup had not processed everything after 120 s\n");
            return 1;
        }
    }
    double took = now() - start;
    fprintf(stderr, "syncfeed: sent %ld entries (%ld-%ld) in %ld datagrams of up to %ld, %.2f s",
            n, first, first + n - 1, datagrams, per, took);
    if (window) {
        fprintf(stderr, ", %ld flow-control waits, %lu dropped\n", waits, drops1 - drops0);
        if (drops1 != drops0)
            return 3;
    } else {
        fprintf(stderr, "\n");
    }
    return 0;
}
