/*
 * cipvs-cycles N: N get/set cycles through the CIPVS shim in this one process, each with
 * its own session (open, resolve, get, set, get, close), as every ipvstune command does,
 * plus a dump of services and daemons. Prints the open descriptors and VmRSS (KiB) before
 * and after, and exits 1 if either grew.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "CIPVS.h"

static int open_fds(void)
{
    int n = 0;
    DIR *dir = opendir("/proc/self/fd");
    if (!dir)
        return -1;
    while (readdir(dir))
        n++;
    closedir(dir);
    return n;
}

static long rss_kib(void)
{
    char line[256];
    long kib = -1;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kib = strtol(line + 6, NULL, 10);
    fclose(f);
    return kib;
}

static int cycle(unsigned i)
{
    cipvs_session *s;
    cipvs_timeouts t, v = { .tcp = 1000 + i % 2, .tcp_fin = 0, .udp = 0 };
    cipvs_service *services = NULL;
    cipvs_daemon *daemons = NULL;
    size_t n;
    int r = cipvs_open(&s);
    if (r < 0)
        return r;
    if ((r = cipvs_get_config(s, &t)) == 0 && (r = cipvs_set_config(s, &v)) == 0 &&
        (r = cipvs_get_config(s, &t)) == 0 && (r = cipvs_get_services(s, &services, &n)) == 0)
        r = cipvs_get_daemons(s, &daemons, &n);
    free(services);
    free(daemons);
    cipvs_close(s);
    if (r == 0 && t.tcp != v.tcp)
        r = -1;
    return r;
}

int main(int argc, char **argv)
{
    unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 10000;
    /* Warm up: the first cycles load modules and grow libc's heap to its working size. */
    for (unsigned i = 0; i < 100; i++)
        if (cycle(i) < 0)
            return 2;
    int fds = open_fds();
    long rss = rss_kib();
    for (unsigned i = 0; i < n; i++) {
        int r = cycle(i);
        if (r < 0) {
            fprintf(stderr, "cipvs-cycles: cycle %u failed: %d\n", i, r);
            return 2;
        }
    }
    int fds_after = open_fds();
    long rss_after = rss_kib();
    printf("cycles %u fds %d -> %d rss_kib %ld -> %ld\n", n, fds, fds_after, rss, rss_after);
    return fds_after > fds || rss_after > rss + 64 ? 1 : 0;
}
