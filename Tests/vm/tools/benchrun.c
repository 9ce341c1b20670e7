/*
 * benchrun N COMMAND [ARGS...]: runs COMMAND N times, one process after the other, with
 * its output discarded, and prints the mean wall time per run in microseconds. An
 * argument %ALT% becomes 7200 on even runs and 3600 on odd ones, so a repeated `set`
 * really changes the kernel every time. Exits 1 if any run failed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: benchrun N COMMAND [ARGS...]\n");
        return 64;
    }
    long n = strtol(argv[1], NULL, 10);
    char **args = &argv[2];
    int alt = -1;
    for (int i = 0; args[i]; i++)
        if (strcmp(args[i], "%ALT%") == 0)
            alt = i;

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);

    int failed = 0;
    double start = now_us();
    for (long i = 0; i < n; i++) {
        if (alt >= 0)
            args[alt] = (i % 2) ? "3600" : "7200";
        pid_t pid;
        int status;
        if (posix_spawnp(&pid, args[0], &actions, NULL, args, environ) != 0) {
            perror("benchrun: spawn");
            return 1;
        }
        waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            failed = 1;
    }
    printf("%.0f\n", (now_us() - start) / n);
    return failed;
}
