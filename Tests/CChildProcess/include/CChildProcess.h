#ifndef C_CHILD_PROCESS_H
#define C_CHILD_PROCESS_H

#include <sys/types.h>

/// Starts `file` (looked up on PATH, no signal blocked) with stdin and stderr on /dev/null, stdout on `stdout_fd`
/// (or /dev/null when it is -1), and no other descriptor of the caller's, so a daemon the child
/// leaves behind holds nothing the caller waits on. Returns 0 or an errno value.
int child_process_spawn(const char *file, char *const argv[], char *const envp[], int stdout_fd, pid_t *pid);

/// A pipe whose two ends close on exec. Returns 0 or an errno value.
int child_process_pipe(int fds[2]);

/// Waits for `pid` to end, through interrupted calls. Returns its wait status, or -1.
int child_process_wait(pid_t pid);

#endif
