#include <ferros/check/state_checker.h>

namespace ferros::check {

StateChecker::StateChecker(unsigned threads)
{
    for (unsigned i = 1; i < threads; ++i)
        m_threads.emplace_back([this] { work(); });
}

StateChecker::~StateChecker()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    for (auto& thread : m_threads)
        thread.join();
}

void StateChecker::run_share()
{
    for (size_t i = m_next++; i < m_count; i = m_next++)
        m_task(i);
}

void StateChecker::work()
{
    uint64_t seen = 0;
    while (true) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stopping || m_generation != seen; });
            if (m_stopping)
                return;
            seen = m_generation;
        }
        run_share();
        {
            std::lock_guard lock(m_mutex);
            --m_busy;
        }
        m_finished.notify_one();
    }
}

void StateChecker::check(std::span<const uint8_t> durable, std::optional<uint64_t> durable_hash,
    const CheckOptions& options, std::vector<Job>& jobs)
{
    auto check_one = [&](size_t i) {
        StateView view { durable, durable_hash, {} };
        jobs[i].space->changes(jobs[i].state, view.changes);
        jobs[i].violations = check_state(view, *jobs[i].history, options);
    };
    if (m_threads.empty() || jobs.size() < 2) {
        for (size_t i = 0; i < jobs.size(); ++i)
            check_one(i);
        return;
    }
    {
        std::lock_guard lock(m_mutex);
        m_task = check_one;
        m_count = jobs.size();
        m_next = 0;
        m_busy = static_cast<unsigned>(m_threads.size());
        ++m_generation;
    }
    m_wake.notify_all();
    run_share();
    std::unique_lock lock(m_mutex);
    m_finished.wait(lock, [&] { return m_busy == 0; });
    m_task = nullptr;
}

} // namespace ferros::check
