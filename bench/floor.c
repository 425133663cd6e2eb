/* The floor for the spawn workload: the least any runner must do to run N
 * processes at most J at a time: posix_spawn and waitpid, nothing else.
 * With "capture", each process's stdout and stderr go to a pipe that is
 * read to end of file (all open pipes polled together), as a runner that
 * keeps output must do.
 *
 * Usage: floor N J direct|sh [capture]
 *   direct: runs /bin/true;  sh: runs /bin/sh -c true
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

int main(int argc, char** argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: floor N J direct|sh [capture]\n");
    return 2;
  }
  int n = atoi(argv[1]), jobs = atoi(argv[2]);
  int shell = strcmp(argv[3], "sh") == 0;
  int capture = argc > 4 && strcmp(argv[4], "capture") == 0;
  char* direct_argv[] = {"/bin/true", NULL};
  char* shell_argv[] = {"/bin/sh", "-c", "true", NULL};
  char** child_argv = shell ? shell_argv : direct_argv;
  struct pollfd* pipes = calloc(jobs, sizeof *pipes);
  for (int i = 0; i < jobs; ++i) pipes[i].fd = -1;
  int running = 0, open_pipes = 0, started = 0, failed = 0;
  while (started < n || running > 0 || open_pipes > 0) {
    for (int slot = 0; slot < jobs && started < n && running < jobs && (!capture || pipes[slot].fd < 0); ++slot) {
      if (capture && pipes[slot].fd >= 0) continue;
      posix_spawn_file_actions_t actions;
      posix_spawn_file_actions_init(&actions);
      int fds[2];
      if (capture) {
        if (pipe2(fds, O_CLOEXEC) != 0) return 1;
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
        posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
      }
      pid_t pid;
      if (posix_spawn(&pid, child_argv[0], &actions, NULL, child_argv, environ) != 0) return 1;
      posix_spawn_file_actions_destroy(&actions);
      if (capture) {
        close(fds[1]);
        pipes[slot].fd = fds[0];
        pipes[slot].events = POLLIN;
        ++open_pipes;
      }
      ++started;
      ++running;
    }
    if (capture && open_pipes > 0) {
      poll(pipes, jobs, -1);
      for (int i = 0; i < jobs; ++i) {
        if (pipes[i].fd < 0 || !pipes[i].revents) continue;
        char buffer[4096];
        if (read(pipes[i].fd, buffer, sizeof buffer) <= 0) {
          close(pipes[i].fd);
          pipes[i].fd = -1;
          --open_pipes;
        }
      }
    }
    int status;
    while (running > 0 && waitpid(-1, &status, capture && open_pipes > 0 ? WNOHANG : 0) > 0) {
      --running;
      failed += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
  }
  return failed != 0;
}
