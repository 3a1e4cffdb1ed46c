/*
 * boxinit: PID 1 of every sandbox container.
 *
 * The host sends everything on stdin, so no host path is ever shared with the box:
 *
 *   OJBOX1 <nonce>\n
 *   L <cpu_seconds> <file_size_bytes> <open_files> <stack_bytes>\n   limits for the program
 *   M <0|1>\n                        1: the program's stdout goes to stderr (compilers)
 *   C <path>\n                       zero or more: files or folders to send back afterwards
 *   F <mode-octal> <size> <path>\n   followed by <size> bytes; zero or more
 *   E\n
 *   ...the rest of stdin is the program's stdin.
 *
 * boxinit writes the files into the work dir, runs the program as its child, and when the child
 * ends kills every other process in the box (orphans die with the run). Then it writes the
 * collected files to stdout (after "OJART <nonce>\n", same F/E framing) and finally the status to
 * stderr as "\nOJEND <nonce> exit|signal|execfail <n> <seconds>\n", where <seconds> is CLOCK_MONOTONIC
 * when the program ended (the host's clock too: interactive pairs are ordered by it). The nonce is
 * random per run and only ever seen by boxinit, so a program cannot forge the status line. boxinit
 * makes itself undumpable so a
 * program running as the same uid cannot read or write its memory.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_LINE 4096
#define MAX_COLLECT 16

static char nonce[80];
static char *collect[MAX_COLLECT];
static int n_collect;
static int merge_stderr;
static unsigned long long lim_cpu, lim_fsize, lim_nofile, lim_stack;
static struct timespec ended;

static void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    dprintf(2, "\nOJERR ");
    vdprintf(2, fmt, ap);
    dprintf(2, "\n");
    va_end(ap);
    _exit(121);
}

static int read_line(char *buf) {
    int n = 0;
    while (n < MAX_LINE - 1) {
        ssize_t r = read(0, buf + n, 1);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        if (buf[n] == '\n') break;
        n++;
    }
    buf[n] = 0;
    return n;
}

static int safe_path(const char *p) {
    if (!*p || p[0] == '/') return 0;
    for (const char *s = p; *s;) {
        const char *e = strchrnul(s, '/');
        size_t len = (size_t)(e - s);
        if (len == 0 || (len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.')) return 0;
        s = *e ? e + 1 : e;
    }
    return 1;
}

static void make_parents(const char *path) {
    char tmp[MAX_LINE];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *s = tmp; (s = strchr(s, '/')); s++) {
        *s = 0;
        if (mkdir(tmp, 0755) < 0 && errno != EEXIST) die("mkdir %s: %s", tmp, strerror(errno));
        *s = '/';
    }
}

static void copy_in(const char *path, mode_t mode, unsigned long long size) {
    if (!safe_path(path)) die("bad path %s", path);
    make_parents(path);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode & 0755);
    if (fd < 0) die("create %s: %s", path, strerror(errno));
    char buf[65536];
    while (size > 0) {
        ssize_t r = read(0, buf, size < sizeof buf ? size : sizeof buf);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) die("short file %s", path);
        for (ssize_t off = 0; off < r;) {
            ssize_t w = write(fd, buf + off, (size_t)(r - off));
            if (w < 0) die("write %s: %s", path, strerror(errno));
            off += w;
        }
        size -= (unsigned long long)r;
    }
    close(fd);
}

static void read_header(void) {
    char line[MAX_LINE];
    if (read_line(line) < 0 || sscanf(line, "OJBOX1 %79s", nonce) != 1) die("bad header");
    for (;;) {
        if (read_line(line) < 0) die("header ended early");
        if (line[0] == 'E') return;
        if (line[0] == 'L') {
            if (sscanf(line, "L %llu %llu %llu %llu", &lim_cpu, &lim_fsize, &lim_nofile, &lim_stack) != 4)
                die("bad limits");
        } else if (line[0] == 'M') {
            merge_stderr = line[2] == '1';
        } else if (line[0] == 'C' && n_collect < MAX_COLLECT) {
            if (!safe_path(line + 2)) die("bad collect path");
            collect[n_collect++] = strdup(line + 2);
        } else if (line[0] == 'F') {
            unsigned mode;
            unsigned long long size;
            int at;
            if (sscanf(line, "F %o %llu %n", &mode, &size, &at) != 2) die("bad file line");
            copy_in(line + at, mode, size);
        } else {
            die("unknown header line");
        }
    }
}

static void set_limit(int resource, unsigned long long value) {
    struct rlimit rl = {value, value};
    if (value == 0 && resource != RLIMIT_CORE) return;
    if (setrlimit(resource, &rl) < 0) {
        getrlimit(resource, &rl);
        if (rl.rlim_max > value) die("setrlimit %d: %s", resource, strerror(errno));
    }
}

static void run_child(char **argv, int report_fd) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    int adj = open("/proc/self/oom_score_adj", O_WRONLY);
    if (adj >= 0) {
        /* The program, not boxinit, is what the OOM killer should take. */
        (void)!write(adj, "1000", 4);
        close(adj);
    }
    set_limit(RLIMIT_CPU, lim_cpu);
    set_limit(RLIMIT_FSIZE, lim_fsize);
    set_limit(RLIMIT_NOFILE, lim_nofile);
    set_limit(RLIMIT_STACK, lim_stack);
    set_limit(RLIMIT_CORE, 0);
    if (merge_stderr) dup2(2, 1);
    execvp(argv[0], argv);
    int err = errno;
    (void)!write(report_fd, &err, sizeof err);
    _exit(127);
}

static void send_file(const char *path, const struct stat *st) {
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat now;
    if (fd < 0 || fstat(fd, &now) < 0 || !S_ISREG(now.st_mode)) {
        if (fd >= 0) close(fd);
        return;
    }
    dprintf(1, "F %o %lld %s\n", (unsigned)(st->st_mode & 0755), (long long)now.st_size, path);
    off_t left = now.st_size;
    char buf[65536];
    while (left > 0) {
        ssize_t r = read(fd, buf, left < (off_t)sizeof buf ? (size_t)left : sizeof buf);
        if (r <= 0) die("read back %s", path);
        for (ssize_t off = 0; off < r;) {
            ssize_t w = write(1, buf + off, (size_t)(r - off));
            if (w < 0) die("send %s: %s", path, strerror(errno));
            off += w;
        }
        left -= r;
    }
    close(fd);
}

static void send_tree(const char *path, int depth) {
    struct stat st;
    if (depth > 8 || lstat(path, &st) < 0) return;
    if (S_ISREG(st.st_mode)) {
        send_file(path, &st);
        return;
    }
    if (!S_ISDIR(st.st_mode)) return;
    DIR *dir = opendir(path);
    if (!dir) return;
    for (struct dirent *e; (e = readdir(dir));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char child[PATH_MAX];
        if (snprintf(child, sizeof child, "%s/%s", path, e->d_name) < (int)sizeof child) send_tree(child, depth + 1);
    }
    closedir(dir);
}

static int reap_until(pid_t child) {
    int status = 0, child_status = -1;
    for (;;) {
        pid_t pid = wait(&status);
        if (pid < 0) {
            if (errno == EINTR) continue;
            return child_status;
        }
        if (pid == child) {
            clock_gettime(CLOCK_MONOTONIC, &ended);
            child_status = status;
            /* The program is done: nothing it started may outlive it. */
            kill(-1, SIGKILL);
        }
    }
}

int main(int argc, char **argv) {
    if (argc < 2) die("usage: init program [args...]");
    prctl(PR_SET_DUMPABLE, 0);
    signal(SIGPIPE, SIG_IGN);
    read_header();
    int report[2];
    if (pipe2(report, O_CLOEXEC) < 0) die("pipe: %s", strerror(errno));
    pid_t child = fork();
    if (child < 0) die("fork: %s", strerror(errno));
    if (child == 0) run_child(argv + 1, report[1]);
    close(0);
    close(report[1]);
    int exec_errno = 0;
    /* Closed by a successful exec, so this read ends as soon as the program starts. */
    if (read(report[0], &exec_errno, sizeof exec_errno) != sizeof exec_errno) exec_errno = 0;
    close(report[0]);
    int status = reap_until(child);
    if (n_collect) {
        dprintf(1, "OJART %s\n", nonce);
        for (int i = 0; i < n_collect; i++) send_tree(collect[i], 0);
        dprintf(1, "E\n");
    }
    const char *kind = exec_errno ? "execfail" : WIFSIGNALED(status) ? "signal" : "exit";
    int value = exec_errno ? exec_errno : WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status);
    dprintf(2, "\nOJEND %s %s %d %lld.%09ld\n", nonce, kind, value, (long long)ended.tv_sec, ended.tv_nsec);
    return 0;
}
