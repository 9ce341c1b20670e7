/*
 * sessions: client sessions that idle, close, reset or keep talking, for the watch scenarios,
 * inside the guest only.
 *   sessions echo PORT                   TCP and UDP echo server (IPv4 and IPv6)
 *   sessions tcp ADDR PORT N MODE SECS   N TCP connections; prints each local port, then:
 *        idle       says nothing for SECS, then closes
 *        fin        closes with FIN after 1 s
 *        rst        closes with a reset (SO_LINGER 0) after 1 s
 *        talk       sends a byte every 2 s for SECS
 *        keepalive  TCP keepalive probes every 2 s (TCP_KEEPIDLE/INTVL), no data, for SECS
 *   sessions udp ADDR PORT N MODE SECS   N UDP flows (one datagram each to start), prints each
 *                                        local port; MODE idle or talk, as above
 *   sessions incident ADDR PORT SECS     one TCP session: prints its local port, idles SECS,
 *                                        writes, and prints "ok" when the echo comes back or
 *                                        "reset" when the connection was reset
 * Exits non-zero when a connection or an echo fails.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXFD 1024

static socklen_t address(const char *host, int port, struct sockaddr_storage *ss)
{
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    memset(ss, 0, sizeof(*ss));
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        return sizeof(*v4);
    }
    if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        return sizeof(*v6);
    }
    fprintf(stderr, "sessions: bad address %s\n", host);
    exit(64);
}

static int local_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    getsockname(fd, (struct sockaddr *)&ss, &len);
    return ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                         : ((struct sockaddr_in6 *)&ss)->sin6_port);
}

static int open_socket(const char *host, int port, int type)
{
    struct sockaddr_storage ss;
    socklen_t len = address(host, port, &ss);
    int fd = socket(ss.ss_family, type, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&ss, len) < 0) {
        perror("sessions: connect");
        exit(1);
    }
    return fd;
}

static int echo(int port)
{
    static struct pollfd fds[MAXFD];
    struct sockaddr_in6 any = { .sin6_family = AF_INET6, .sin6_port = htons(port), .sin6_addr = in6addr_any };
    int zero = 0, one = 1, n = 2;
    char buf[2048];
    for (int i = 0; i < 2; i++) {
        fds[i].fd = socket(AF_INET6, i == 0 ? SOCK_STREAM : SOCK_DGRAM, 0);
        fds[i].events = POLLIN;
        setsockopt(fds[i].fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
        setsockopt(fds[i].fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fds[i].fd, (struct sockaddr *)&any, sizeof(any)) < 0) {
            perror("sessions: bind");
            return 1;
        }
    }
    listen(fds[0].fd, 512);
    for (;;) {
        if (poll(fds, n, -1) < 0)
            continue;
        if (fds[0].revents & POLLIN) {
            int fd = accept(fds[0].fd, NULL, NULL);
            if (fd >= 0 && n < MAXFD) {
                fds[n].fd = fd;
                fds[n].events = POLLIN;
                n++;
            } else if (fd >= 0) {
                close(fd);
            }
        }
        if (fds[1].revents & POLLIN) {
            struct sockaddr_storage from;
            socklen_t len = sizeof(from);
            ssize_t r = recvfrom(fds[1].fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
            if (r > 0)
                sendto(fds[1].fd, buf, r, 0, (struct sockaddr *)&from, len);
        }
        for (int i = 2; i < n; i++) {
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t r = read(fds[i].fd, buf, sizeof(buf));
            if (r > 0 && write(fds[i].fd, buf, r) == r)
                continue;
            close(fds[i].fd);
            fds[i--] = fds[--n];
        }
    }
}

/* Reads one echo of `expected` bytes within `seconds`; 0, or -1 with errno (ETIMEDOUT). */
static int await_echo(int fd, size_t expected, int seconds)
{
    char buf[64];
    struct pollfd p = { .fd = fd, .events = POLLIN };
    if (poll(&p, 1, seconds * 1000) <= 0) {
        errno = ETIMEDOUT;
        return -1;
    }
    ssize_t r = read(fd, buf, sizeof(buf));
    if (r == (ssize_t)expected)
        return 0;
    if (r == 0)
        errno = ECONNRESET;
    return -1;
}

static void say_ports(int *fds, int count)
{
    for (int i = 0; i < count; i++)
        printf("%d\n", local_port(fds[i]));
    fflush(stdout);
}

static int sessions(int type, const char *host, int port, int count, const char *mode, int seconds)
{
    static int fds[MAXFD];
    struct linger reset = { .l_onoff = 1, .l_linger = 0 };
    int one = 1, two = 2, status = 0;
    if (count > MAXFD)
        count = MAXFD;
    for (int i = 0; i < count; i++) {
        fds[i] = open_socket(host, port, type);
        if (type == SOCK_DGRAM && (write(fds[i], "u", 1) != 1 || await_echo(fds[i], 1, 5) < 0)) {
            perror("sessions: first datagram");
            return 1;
        }
        if (strcmp(mode, "keepalive") == 0) {
            setsockopt(fds[i], SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
            setsockopt(fds[i], IPPROTO_TCP, TCP_KEEPIDLE, &two, sizeof(two));
            setsockopt(fds[i], IPPROTO_TCP, TCP_KEEPINTVL, &two, sizeof(two));
        }
    }
    say_ports(fds, count);
    if (strcmp(mode, "fin") == 0 || strcmp(mode, "rst") == 0) {
        sleep(1);
        for (int i = 0; i < count; i++) {
            if (mode[0] == 'r')
                setsockopt(fds[i], SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
            close(fds[i]);
        }
        return 0;
    }
    for (time_t end = time(NULL) + seconds; time(NULL) < end;) {
        sleep(2);
        if (strcmp(mode, "talk") != 0)
            continue;
        for (int i = 0; i < count; i++) {
            if (write(fds[i], "t", 1) != 1 || await_echo(fds[i], 1, 5) < 0) {
                perror("sessions: talk");
                status = 1;
            }
        }
    }
    for (int i = 0; i < count; i++)
        close(fds[i]);
    return status;
}

static int incident(const char *host, int port, int seconds)
{
    int fd = open_socket(host, port, SOCK_STREAM);
    printf("%d\n", local_port(fd));
    fflush(stdout);
    sleep(seconds);
    if (write(fd, "psql", 4) != 4 || await_echo(fd, 4, 5) < 0) {
        printf("%s\n", errno == ECONNRESET || errno == EPIPE ? "reset" : strerror(errno));
        return 0;
    }
    printf("ok\n");
    return 0;
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    if (argc == 3 && strcmp(argv[1], "echo") == 0)
        return echo(atoi(argv[2]));
    if (argc == 7 && (strcmp(argv[1], "tcp") == 0 || strcmp(argv[1], "udp") == 0))
        return sessions(argv[1][0] == 't' ? SOCK_STREAM : SOCK_DGRAM, argv[2], atoi(argv[3]), atoi(argv[4]),
                        argv[5], atoi(argv[6]));
    if (argc == 5 && strcmp(argv[1], "incident") == 0)
        return incident(argv[2], atoi(argv[3]), atoi(argv[4]));
    fprintf(stderr, "usage: sessions echo PORT | tcp|udp ADDR PORT N MODE SECS | incident ADDR PORT SECS\n");
    return 64;
}
