/*
 * tcpgen: real traffic for the connection-table scenarios, inside the guest only.
 *   tcpgen listen PORT            accept TCP (IPv4 and IPv6), hold each until the peer closes
 *   tcpgen udplisten PORT         answer every UDP datagram
 *   tcpgen connect ADDR PORT N [-m MARK] [-k SECONDS] [-c]
 *                                 open N TCP connections (SO_MARK with -m), close them at once
 *                                 with -c (FIN: TIME_WAIT entries), else hold them SECONDS
 *   tcpgen udp ADDR PORT N        send one datagram from each of N sockets, wait for answers
 *   tcpgen udpsend ADDR PORT N    the same without waiting (one-packet scheduling: no answer
 *                                 comes back through a NAT director)
 * Exits non-zero when a connection or an answer fails.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAXFD 4096

static int addr_of(const char *host, int port, struct sockaddr_storage *ss, socklen_t *len)
{
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    memset(ss, 0, sizeof(*ss));
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        *len = sizeof(*v4);
        return AF_INET;
    }
    if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        *len = sizeof(*v6);
        return AF_INET6;
    }
    fprintf(stderr, "tcpgen: bad address %s\n", host);
    exit(64);
}

static int bound(int type, int port)
{
    int fd = socket(AF_INET6, type, 0), zero = 0, one = 1;
    struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(port), .sin6_addr = in6addr_any };
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
        perror("tcpgen: bind");
        exit(1);
    }
    return fd;
}

static int listen_tcp(int port)
{
    static struct pollfd fds[MAXFD];
    int n = 1;
    fds[0].fd = bound(SOCK_STREAM, port);
    fds[0].events = POLLIN;
    listen(fds[0].fd, 1024);
    for (;;) {
        if (poll(fds, n, -1) < 0 && errno != EINTR)
            return 1;
        if ((fds[0].revents & POLLIN) && n < MAXFD) {
            int c = accept(fds[0].fd, NULL, NULL);
            if (c >= 0) {
                fds[n].fd = c;
                fds[n].events = POLLIN;
                fds[n++].revents = 0;
            }
        }
        for (int i = 1; i < n; i++) {
            char buf[512];
            if (!fds[i].revents)
                continue;
            if (read(fds[i].fd, buf, sizeof(buf)) <= 0) {
                close(fds[i].fd);
                fds[i--] = fds[--n];
            }
        }
    }
}

static int listen_udp(int port)
{
    int fd = bound(SOCK_DGRAM, port);
    for (;;) {
        char buf[512];
        struct sockaddr_storage from;
        socklen_t len = sizeof(from);
        ssize_t r = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
        if (r >= 0)
            sendto(fd, buf, r, 0, (struct sockaddr *)&from, len);
        else if (errno != EINTR)
            return 1;
    }
}

static int connect_tcp(const char *host, int port, int count, int mark, int hold, int close_now)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int family = addr_of(host, port, &ss, &len), failed = 0;
    for (int i = 0; i < count; i++) {
        int fd = socket(family, SOCK_STREAM, 0);
        if (mark && setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)) < 0)
            perror("tcpgen: SO_MARK");
        if (connect(fd, (struct sockaddr *)&ss, len) < 0) {
            perror("tcpgen: connect");
            failed = 1;
            close(fd);
            continue;
        }
        if (close_now) {
            shutdown(fd, SHUT_WR);
            char buf[16];
            while (read(fd, buf, sizeof(buf)) > 0)
                ;
            close(fd);
        }
    }
    if (!close_now)
        sleep(hold);
    return failed;
}

static int send_udp(const char *host, int port, int count, int answered)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int family = addr_of(host, port, &ss, &len), failed = 0;
    for (int i = 0; i < count; i++) {
        int fd = socket(family, SOCK_DGRAM, 0);
        struct timeval tv = { .tv_sec = 5 };
        char buf[16];
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        if (sendto(fd, "ping", 4, 0, (struct sockaddr *)&ss, len) < 0 || (answered && recv(fd, buf, sizeof(buf), 0) < 0)) {
            perror("tcpgen: udp");
            failed = 1;
        }
        close(fd);
    }
    return failed;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "listen") == 0)
        return listen_tcp(atoi(argv[2]));
    if (argc >= 3 && strcmp(argv[1], "udplisten") == 0)
        return listen_udp(atoi(argv[2]));
    if (argc >= 5 && strcmp(argv[1], "udp") == 0)
        return send_udp(argv[2], atoi(argv[3]), atoi(argv[4]), 1);
    if (argc >= 5 && strcmp(argv[1], "udpsend") == 0)
        return send_udp(argv[2], atoi(argv[3]), atoi(argv[4]), 0);
    if (argc >= 5 && strcmp(argv[1], "connect") == 0) {
        int mark = 0, hold = 0, close_now = 0, opt;
        optind = 5;
        while ((opt = getopt(argc, argv, "m:k:c")) != -1) {
            if (opt == 'm') mark = atoi(optarg);
            else if (opt == 'k') hold = atoi(optarg);
            else if (opt == 'c') close_now = 1;
            else return 64;
        }
        return connect_tcp(argv[2], atoi(argv[3]), atoi(argv[4]), mark, hold, close_now);
    }
    fprintf(stderr, "usage: tcpgen listen|udplisten PORT | connect ADDR PORT N [-m MARK] [-k S] [-c] | udp|udpsend ADDR PORT N\n");
    return 64;
}
