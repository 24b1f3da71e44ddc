// wsinspector-rusage: runs one program and reports its own peak resident memory.
//
//   wsinspector-rusage RESULT_FILE TIMEOUT_MS PROGRAM [ARGS...]
//
// Writes "maxrss_kib=<n> end_ns=<CLOCK_MONOTONIC> exit=<code> signal=<n> timed_out=<0|1>" to
// RESULT_FILE and exits with the program's exit code. Why a separate process: Linux keeps a
// process's ru_maxrss across execve, starting from the memory of whoever forked it, so a child
// spawned straight from the benchmark (hundreds of MiB after the ingest scenario) would report the
// benchmark's size. This helper is small, so what its child reports is the child's own peak.
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace {

volatile sig_atomic_t g_timedOut = 0;
volatile pid_t g_child = -1;

void onAlarm(int)
{
    g_timedOut = 1;
    if (g_child > 0)
        kill(g_child, SIGKILL);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 4) {
        std::fprintf(stderr, "usage: wsinspector-rusage RESULT_FILE TIMEOUT_MS PROGRAM [ARGS...]\n");
        return 2;
    }
    const long timeoutMs = std::strtol(argv[2], nullptr, 10);
    const pid_t pid = fork();
    if (pid < 0) {
        std::perror("wsinspector-rusage: fork");
        return 2;
    }
    if (pid == 0) {
        execv(argv[3], argv + 3);
        std::fprintf(stderr, "wsinspector-rusage: cannot run %s\n", argv[3]);
        _exit(127);
    }
    g_child = pid;
    std::signal(SIGALRM, onAlarm);
    if (timeoutMs > 0) {
        itimerval t {};
        t.it_value.tv_sec = timeoutMs / 1000;
        t.it_value.tv_usec = (timeoutMs % 1000) * 1000;
        setitimer(ITIMER_REAL, &t, nullptr);
    }
    int status = 0;
    rusage usage {};
    while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) { }
    timespec now {};
    clock_gettime(CLOCK_MONOTONIC, &now);
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    const int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    if (FILE* f = std::fopen(argv[1], "w")) {
        std::fprintf(f, "maxrss_kib=%ld end_ns=%lld exit=%d signal=%d timed_out=%d\n", usage.ru_maxrss,
            (long long)now.tv_sec * 1000000000LL + now.tv_nsec, code, sig, int(g_timedOut));
        std::fclose(f);
    }
    return sig ? 128 + sig : code;
}
