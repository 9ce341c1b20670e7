/*
 * cipvs-setconfig TCP TCPFIN UDP: sends one SET_CONFIG through the CIPVS shim, with no
 * validation of its own, and exits with the errno the shim returned (0 on success).
 * Lets the VM tests see what the kernel itself refuses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "CIPVS.h"

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: cipvs-setconfig TCP TCPFIN UDP\n");
        return 64;
    }
    cipvs_timeouts t = {
        .tcp = (uint32_t)strtoul(argv[1], NULL, 10),
        .tcp_fin = (uint32_t)strtoul(argv[2], NULL, 10),
        .udp = (uint32_t)strtoul(argv[3], NULL, 10),
    };
    cipvs_session *s;
    int r = cipvs_open(&s);
    if (r == 0) {
        r = cipvs_set_config(s, &t);
        cipvs_close(s);
    }
    if (r < 0)
        fprintf(stderr, "cipvs-setconfig: %s\n", strerror(-r));
    return -r;
}
