/*
 * capexec UID GID COMMAND [ARGS...]: runs COMMAND as UID:GID keeping only CAP_NET_ADMIN
 * (as an ambient capability, so it survives exec). The VM tests use it to show that
 * CAP_NET_ADMIN alone, without root, is enough for ipvstune.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int set_caps(unsigned permitted_and_inheritable, unsigned effective)
{
    struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3 };
    struct __user_cap_data_struct data[2] = {
        { .effective = effective, .permitted = permitted_and_inheritable, .inheritable = permitted_and_inheritable },
    };
    return syscall(SYS_capset, &header, data);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: capexec UID GID COMMAND [ARGS...]\n");
        return 64;
    }
    uid_t uid = (uid_t)atoi(argv[1]);
    gid_t gid = (gid_t)atoi(argv[2]);
    unsigned net_admin = 1u << CAP_NET_ADMIN;
    if (prctl(PR_SET_KEEPCAPS, 1) < 0 || setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 ||
        setresuid(uid, uid, uid) < 0) {
        perror("capexec: switching user");
        return 1;
    }
    if (set_caps(net_admin, net_admin) < 0 ||
        prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_ADMIN, 0, 0) < 0) {
        perror("capexec: keeping CAP_NET_ADMIN");
        return 1;
    }
    execvp(argv[3], &argv[3]);
    perror("capexec: exec");
    return 127;
}
