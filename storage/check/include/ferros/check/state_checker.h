#pragma once
// Checks crash states over one durable image (a campaign's boundary classes between two
// FLUSHes), each against its history, on threads that live as long as the StateChecker: a
// walk hands over thousands of small rounds, far too small to start threads for. The states
// are read through StateViews over the durable image the caller holds, which must stay
// unchanged during check(): no image is copied, so memory does not grow with the device or
// the number of states.

#include <atomic>
#include <condition_variable>
#include <ferros/check/checker.h>
#include <ferros/crash/state_space.h>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ferros::check {

class StateChecker {
public:
    // `threads` >= 1 (the calling thread counts as one).
    explicit StateChecker(unsigned threads);
    ~StateChecker();
    StateChecker(const StateChecker&) = delete;
    StateChecker& operator=(const StateChecker&) = delete;

    struct Job {
        const crash::StateSpace* space { nullptr }; // made over the durable image
        uint64_t state { 0 }; // index into the space
        const History* history { nullptr };
        std::vector<Violation> violations; // filled by check()
    };
    // Checks state `job.state` of `job.space` against `job.history` for every job and fills
    // its violations. `durable` is the image the spaces were made over, `durable_hash` its
    // image_hash() if known.
    void check(std::span<const uint8_t> durable, std::optional<uint64_t> durable_hash, const CheckOptions& options,
        std::vector<Job>& jobs);

private:
    void work();
    void run_share();

    std::vector<std::thread> m_threads;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_finished;
    uint64_t m_generation { 0 };
    unsigned m_busy { 0 };
    bool m_stopping { false };
    // The current round, valid while m_busy > 0 or the caller runs its share.
    std::function<void(size_t)> m_task;
    size_t m_count { 0 };
    std::atomic<size_t> m_next { 0 };
};

} // namespace ferros::check
