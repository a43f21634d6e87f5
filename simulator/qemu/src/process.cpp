#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <ferros/qemu/process.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ferros::qemu {

namespace {

    volatile sig_atomic_t g_child_pid = 0;
    volatile sig_atomic_t g_interrupted = 0;

    void forward_sigint(int)
    {
        g_interrupted = 1;
        if (g_child_pid > 0)
            ::kill(g_child_pid, SIGINT);
    }

    struct SigintForwarder {
        struct sigaction previous { };
        SigintForwarder()
        {
            struct sigaction action { };
            action.sa_handler = forward_sigint;
            sigemptyset(&action.sa_mask);
            ::sigaction(SIGINT, &action, &previous);
        }
        ~SigintForwarder() { ::sigaction(SIGINT, &previous, nullptr); }
    };

    void drain(int fd, std::string& buffer, bool& open)
    {
        char chunk[4096];
        ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n > 0)
            buffer.append(chunk, static_cast<size_t>(n));
        else if (n == 0 || (errno != EINTR && errno != EAGAIN))
            open = false;
    }

} // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options)
{
    ProcessResult result;
    int out_pipe[2] = { -1, -1 }, err_pipe[2] = { -1, -1 }, exec_pipe[2] = { -1, -1 };
    if ((!options.inherit_stdout && ::pipe2(out_pipe, O_CLOEXEC) != 0) || ::pipe2(err_pipe, O_CLOEXEC) != 0
        || ::pipe2(exec_pipe, O_CLOEXEC) != 0) {
        result.error = std::string("pipe: ") + std::strerror(errno);
        return result;
    }
    std::vector<char*> cargv;
    for (auto const& a : argv)
        cargv.push_back(const_cast<char*>(a.c_str()));
    cargv.push_back(nullptr);

    SigintForwarder forwarder;
    g_interrupted = 0;
    pid_t pid = ::fork();
    if (pid < 0) {
        result.error = std::string("fork: ") + std::strerror(errno);
        return result;
    }
    if (pid == 0) {
        ::signal(SIGINT, SIG_DFL);
        if (!options.inherit_stdout)
            ::dup2(out_pipe[1], STDOUT_FILENO);
        ::dup2(err_pipe[1], STDERR_FILENO);
        ::execvp(cargv[0], cargv.data());
        int e = errno;
        (void)!::write(exec_pipe[1], &e, sizeof e);
        ::_exit(127);
    }
    g_child_pid = pid;
    if (!options.inherit_stdout)
        ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    ::close(exec_pipe[1]);
    int exec_errno = 0;
    if (::read(exec_pipe[0], &exec_errno, sizeof exec_errno) == sizeof exec_errno) {
        ::close(exec_pipe[0]);
        ::waitpid(pid, nullptr, 0);
        g_child_pid = 0;
        result.error = argv[0] + ": " + std::strerror(exec_errno);
        return result;
    }
    ::close(exec_pipe[0]);
    result.started = true;

    auto const start = std::chrono::steady_clock::now();
    std::string out_buffer, err_buffer;
    bool out_open = !options.inherit_stdout, err_open = true;
    bool killed = false;
    auto flush_lines = [&](bool final) {
        size_t pos;
        while ((pos = out_buffer.find('\n')) != std::string::npos) {
            std::string line = out_buffer.substr(0, pos);
            if (!line.empty() && line.back() == '\r')
                line.pop_back();
            out_buffer.erase(0, pos + 1);
            if (options.on_line)
                options.on_line(line);
        }
        if (final && !out_buffer.empty() && options.on_line) {
            options.on_line(out_buffer);
            out_buffer.clear();
        }
    };
    while (out_open || err_open) {
        pollfd fds[2];
        nfds_t count = 0;
        int out_index = -1, err_index = -1;
        if (out_open) {
            out_index = static_cast<int>(count);
            fds[count++] = { out_pipe[0], POLLIN, 0 };
        }
        if (err_open) {
            err_index = static_cast<int>(count);
            fds[count++] = { err_pipe[0], POLLIN, 0 };
        }
        int ready = ::poll(fds, count, 200);
        if (ready > 0) {
            if (out_index >= 0 && fds[out_index].revents) {
                drain(out_pipe[0], out_buffer, out_open);
                flush_lines(false);
            }
            if (err_index >= 0 && fds[err_index].revents) {
                size_t before = err_buffer.size();
                drain(err_pipe[0], err_buffer, err_open);
                if (options.echo_stderr && err_buffer.size() > before)
                    (void)!::write(STDERR_FILENO, err_buffer.data() + before, err_buffer.size() - before);
            }
        }
        if (options.timeout_seconds && !killed) {
            std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
            if (elapsed.count() > *options.timeout_seconds) {
                ::kill(pid, SIGKILL);
                killed = true;
                result.timed_out = true;
            }
        }
    }
    flush_lines(true);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) { }
    g_child_pid = 0;
    if (!options.inherit_stdout)
        ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    result.stderr_text = std::move(err_buffer);
    result.interrupted = g_interrupted != 0;
    if (WIFEXITED(status)) {
        result.exited = true;
        result.exit_status = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        result.signal = WTERMSIG(status);
    }
    return result;
}

std::string shell_quote(const std::vector<std::string>& argv)
{
    std::string line;
    for (auto const& arg : argv) {
        if (!line.empty())
            line += ' ';
        bool plain = !arg.empty();
        for (char c : arg) {
            if (!(std::isalnum(static_cast<unsigned char>(c)) || std::strchr("-_./=:,+%@", c)))
                plain = false;
        }
        if (plain) {
            line += arg;
            continue;
        }
        line += '\'';
        for (char c : arg) {
            if (c == '\'')
                line += "'\\''";
            else
                line += c;
        }
        line += '\'';
    }
    return line;
}

} // namespace ferros::qemu
