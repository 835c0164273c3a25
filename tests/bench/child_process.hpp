// tests/bench/child_process.hpp
//
// A child process to talk to line by line: its stdin and stdout are pipes to this one. bench_speed runs
// the PyTorch peer this way (peer_torch.py --serve), to time the two sides in turns.
#pragma once

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>
#include <string>

extern char** environ;

namespace bench {

class ChildProcess {
public:
    // Runs `/bin/sh -c command`; its stderr stays this process's stderr.
    explicit ChildProcess(const std::string& command) {
        signal(SIGPIPE, SIG_IGN);  // writing to a child that has died must fail, not end this process
        int to_child[2], from_child[2];
        if (pipe(to_child) != 0) throw std::runtime_error("pipe failed");
        if (pipe(from_child) != 0) {
            close_both(to_child);
            throw std::runtime_error("pipe failed");
        }
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, to_child[0], STDIN_FILENO);
        posix_spawn_file_actions_adddup2(&actions, from_child[1], STDOUT_FILENO);
        for (const int fd : {to_child[0], to_child[1], from_child[0], from_child[1]})
            posix_spawn_file_actions_addclose(&actions, fd);
        const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
        const int error = posix_spawn(&pid_, "/bin/sh", &actions, nullptr, const_cast<char**>(argv), environ);
        posix_spawn_file_actions_destroy(&actions);
        close(to_child[0]);
        close(from_child[1]);
        if (error != 0) {
            close(to_child[1]);
            close(from_child[0]);
            throw std::runtime_error("cannot start: " + command);
        }
        in_ = fdopen(to_child[1], "w");
        out_ = fdopen(from_child[0], "r");
    }

    ~ChildProcess() {
        if (in_) std::fclose(in_);  // end of its input: the child's loop ends
        if (out_) std::fclose(out_);
        int status = 0;
        waitpid(pid_, &status, 0);
    }
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    // Sends one line; reads one line back ("" when the child has exited).
    std::string ask(const std::string& line) {
        std::fputs((line + "\n").c_str(), in_);
        std::fflush(in_);
        std::string answer;
        for (int c; (c = std::fgetc(out_)) != EOF && c != '\n';) answer += char(c);
        return answer;
    }

private:
    static void close_both(int fds[2]) {
        close(fds[0]);
        close(fds[1]);
    }

    pid_t pid_ = -1;
    FILE* in_ = nullptr;
    FILE* out_ = nullptr;
};

}  // namespace bench
