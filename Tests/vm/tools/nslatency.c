/*
 * nslatency DIR COUNT TCP [KEEP]: makes COUNT network namespaces one after the other, each
 * mounted on DIR/latN as Docker does (file first, then a bind mount of a new namespace), and
 * times how long after the mount the namespace holds tcp = TCP, read with GET_CONFIG every
 * 5 ms inside it. Prints one line per namespace, then "median MS max MS"; exits 1 when one
 * took over 10 s. Without KEEP each namespace is unmounted and removed after it is timed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "CIPVS.h"

static long long now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000LL + t.tv_nsec / 1000;
}

static int compare(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

/* The mount time, from a child that made the namespace; -1 on failure. */
static long long make_namespace(const char *path)
{
    int fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0444);
    if (fd < 0)
        return -1;
    close(fd);
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        long long t = -1;
        if (unshare(CLONE_NEWNET) == 0 && mount("/proc/self/ns/net", path, NULL, MS_BIND, NULL) == 0)
            t = now_us();
        if (write(fds[1], &t, sizeof t) != sizeof t)
            _exit(1);
        _exit(0);
    }
    close(fds[1]);
    long long t = -1;
    if (read(fds[0], &t, sizeof t) != sizeof t)
        t = -1;
    close(fds[0]);
    waitpid(pid, NULL, 0);
    return t;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: nslatency DIR COUNT TCP [KEEP]\n");
        return 2;
    }
    int count = atoi(argv[2]);
    unsigned tcp = (unsigned)strtoul(argv[3], NULL, 10);
    int keep = argc > 4;
    int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    long long *took = calloc((size_t)count, sizeof *took);
    int late = 0;
    for (int i = 0; i < count; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/lat%d", argv[1], i);
        long long mounted = make_namespace(path);
        if (mounted < 0 || cipvs_enter_netns(path) != 0) {
            fprintf(stderr, "nslatency: cannot make %s: %s\n", path, strerror(errno));
            return 1;
        }
        cipvs_session *session = NULL;
        cipvs_timeouts t = {0, 0, 0};
        long long done = -1;
        while (now_us() - mounted < 15000000LL) {
            if (!session && cipvs_open(&session) != 0)
                session = NULL;
            if (session && cipvs_get_config(session, &t) == 0 && t.tcp == tcp) {
                done = now_us();
                break;
            }
            usleep(5000);
        }
        if (session)
            cipvs_close(session);
        cipvs_enter_netns_fd(home);
        took[i] = done < 0 ? 15000000LL : done - mounted;
        if (done < 0 || took[i] > 10000000LL)
            late++;
        printf("%s %lld.%03lld ms%s\n", path, took[i] / 1000, took[i] % 1000, done < 0 ? " (never)" : "");
        if (!keep) {
            umount2(path, MNT_DETACH);
            unlink(path);
        }
    }
    qsort(took, (size_t)count, sizeof *took, compare);
    printf("median %lld.%03lld max %lld.%03lld ms\n", took[count / 2] / 1000, took[count / 2] % 1000,
           took[count - 1] / 1000, took[count - 1] % 1000);
    return late ? 1 : 0;
}
