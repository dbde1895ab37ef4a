/*
 * prompt.c - reading secrets from the terminal or a descriptor.
 *
 * Invariants: echo is restored on every path; every buffer that held the
 * secret is wiped; the input is capped at OPTT_SECRET_MAX.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "common/mem.h"
#include "common/prompt.h"

enum optt_status
optt_read_line_fd(int fd, char **ret, struct optt_err *err)
{
	struct optt_buf b;
	enum optt_status st = OPTT_OK;
	ssize_t n;
	char c;

	optt_buf_init(&b, OPTT_SECRET_MAX);
	if (optt_buf_append(&b, "", 0) != 0) {
		st = optt_err_set(err, OPTT_NOMEM, "out of memory");
		goto out;
	}
	for (;;) {
		n = read(fd, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			st = optt_err_set(err, OPTT_SYSTEM, "cannot read: %s", strerror(errno));
			goto out;
		}
		if (n == 0 || c == '\n')
			break;
		if (optt_buf_append(&b, &c, 1) != 0) {
			st = optt_err_set(err, OPTT_CONFIG, "input line longer than %d bytes",
					  OPTT_SECRET_MAX);
			goto out;
		}
	}
	if (b.len > 0 && b.data[b.len - 1] == '\r')
		b.data[--b.len] = '\0';
	*ret = optt_buf_steal(&b);
out:
	c = 0;
	OPTT_WIPE(&c, sizeof(c));
	optt_buf_clear(&b);
	return st;
}

enum optt_status
optt_prompt_tty(const char *prompt, int echo, char **ret, struct optt_err *err)
{
	struct termios old, quiet;
	enum optt_status st;
	int fd, restore = 0;

	if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)) < 0)
		return optt_err_set(err, OPTT_CONFIG, "no terminal to ask for the %s",
				    echo ? "user name" : "password");
	/* quiet first, then the prompt: what is typed once the prompt shows
	 * is neither echoed nor flushed away by TCSAFLUSH (only what was
	 * typed ahead of the question is) */
	if (!echo && tcgetattr(fd, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		quiet.c_lflag |= ICANON;
		restore = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
	}
	if (write(fd, prompt, strlen(prompt)) < 0)
		st = optt_err_set(err, OPTT_SYSTEM, "cannot write to the terminal");
	else
		st = optt_read_line_fd(fd, ret, err);
	if (restore) {
		tcsetattr(fd, TCSAFLUSH, &old);
		if (write(fd, "\n", 1) < 0) {
			/* nothing useful to do */
		}
	}
	close(fd);
	return st;
}

extern char **environ;

enum optt_status
optt_prompt_askpass(const char *prog, const char *prompt, char **ret, struct optt_err *err)
{
	posix_spawn_file_actions_t fa;
	enum optt_status st;
	char *argv[3];
	int pipefd[2], status = 0;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) != 0)
		return optt_err_set(err, OPTT_SYSTEM, "cannot create a pipe for the askpass program");
	if (posix_spawn_file_actions_init(&fa) != 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return optt_err_set(err, OPTT_NOMEM, "out of memory");
	}
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	argv[0] = (char *)prog;
	argv[1] = (char *)prompt; /* the question, never a secret */
	argv[2] = NULL;
	if (posix_spawnp(&pid, prog, &fa, NULL, argv, environ) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		close(pipefd[0]);
		close(pipefd[1]);
		return optt_err_set(err, OPTT_CONFIG, "cannot run the askpass program %.200s", prog);
	}
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	st = optt_read_line_fd(pipefd[0], ret, err);
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (st == OPTT_OK && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
		optt_free_str(ret);
		st = optt_err_set(err, OPTT_CONFIG, "the askpass program %.200s failed", prog);
	}
	return st;
}
