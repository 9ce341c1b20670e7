#define _GNU_SOURCE
#include "CIPVS.h"

#include <errno.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

/* Swift's Glibc module does not carry <sys/signalfd.h>. */
int cipvs_signal_fd(const int *signals, int count)
{
    sigset_t set;
    sigemptyset(&set);
    for (int i = 0; i < count; i++)
        sigaddset(&set, signals[i]);
    int r = pthread_sigmask(SIG_BLOCK, &set, NULL);
    if (r != 0)
        return -r;
    int fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    return fd < 0 ? -errno : fd;
}

int cipvs_signal_read(int fd)
{
    struct signalfd_siginfo info;
    /* Non-blocking, with the signals it reads blocked: it returns at once, never EINTR. */
    ssize_t n = read(fd, &info, sizeof info);
    if (n == (ssize_t)sizeof info)
        return (int)info.ssi_signo;
    return n < 0 ? -errno : -EIO;
}
