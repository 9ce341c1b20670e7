/*
 * conngen N [SEED]: prints a /proc/net/ip_vs_conn table of N entries, as a 6.1 kernel
 * formats it (ip_vs_conn_seq_show), with a realistic mix: TCP in several states, UDP,
 * persistence templates, a few IPv6 and firewall-mark rows. For benchmarks and tests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

static uint64_t state = 88172645463325252ull;

static uint32_t next(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return (uint32_t)state;
}

static const char *tcp_states[] = { "ESTABLISHED", "ESTABLISHED", "ESTABLISHED", "ESTABLISHED",
                                    "TIME_WAIT", "FIN_WAIT", "SYN_RECV", "CLOSE_WAIT", "CLOSE" };

static void v6(uint32_t host)
{
    printf("2001:0db8:0000:0000:0000:0000:%04x:%04x", host >> 16, host & 0xffff);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: conngen N [SEED]\n");
        return 64;
    }
    long n = strtol(argv[1], NULL, 10);
    if (argc > 2)
        state ^= strtoull(argv[2], NULL, 10) * 2654435761u;
    printf("Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\n");
    for (long i = 0; i < n; i++) {
        uint32_t r = next(), client = 0x0A640000u | (next() & 0xffff);
        uint32_t vip = 0xC0A80A01u + (r % 4), dest = 0x0A000001u + (next() % 16);
        uint16_t cport = 1024 + next() % 60000, vport = (r & 16) ? 443 : 80;
        unsigned kind = r % 100;
        if (kind < 70) {
            const char *st = tcp_states[next() % 9];
            printf("TCP %08X %04X %08X %04X %08X %04X %-11s %7u\n", client, cport, vip, vport, dest, vport,
                   st, next() % 7200);
        } else if (kind < 85) {
            printf("UDP %08X %04X %08X %04X %08X %04X %-11s %7u\n", client, cport, vip, 53, dest, 53,
                   "UDP", next() % 300);
        } else if (kind < 95) {  /* a persistence template: client port 0 */
            printf("TCP %08X %04X %08X %04X %08X %04X %-11s %7u\n", client, 0, vip, vport, dest, vport,
                   (next() & 1) ? "ASSURED" : "NONE", next() % 3600);
        } else if (kind < 98) {
            printf("TCP ");
            v6(client);
            printf(" %04X ", cport);
            v6(vip);
            printf(" %04X ", vport);
            v6(dest);
            printf(" %04X %-11s %7u\n", vport, "ESTABLISHED", next() % 900);
        } else {  /* a firewall-mark template: protocol IP, the mark in ToIP */
            printf("IP  %08X %04X %08X %04X %08X %04X %-11s %7u\n", client, 0, 1 + r % 3, 0, dest, 0,
                   "NONE", next() % 3600);
        }
    }
    return 0;
}
