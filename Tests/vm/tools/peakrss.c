/*
 * peakrss COMMAND [ARGS...]: runs COMMAND with its output discarded and prints its peak
 * resident set size in MiB (getrusage's ru_maxrss of the waited-for child).
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>

extern char **environ;

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: peakrss COMMAND [ARGS...]\n");
        return 64;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    if (posix_spawnp(&pid, argv[1], &actions, NULL, &argv[1], environ) != 0) {
        perror("peakrss: spawn");
        return 1;
    }
    int status;
    struct rusage usage;
    if (wait4(pid, &status, 0, &usage) < 0) {
        perror("peakrss: wait4");
        return 1;
    }
    printf("%.1f\n", usage.ru_maxrss / 1024.0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
