#pragma once
// How the engine tells a person what it is doing, without knowing about terminals: the
// command draws bars on stderr; tests and benchmarks stay quiet. Nothing a campaign reports
// depends on it.

#include <cstdint>
#include <memory>
#include <string>

namespace ferros::campaign {

class Progress {
public:
    virtual ~Progress() = default;
    // `done` of `total`, and a short detail ("1234 states").
    virtual void update(uint64_t done, uint64_t total, const std::string& detail) = 0;
    virtual void finish(const std::string& detail) = 0;
};

class Reporter {
public:
    virtual ~Reporter() = default;
    // A progress display for one phase ("walk", "reboot").
    virtual std::unique_ptr<Progress> progress(const std::string& label) = 0;
    // One line for the person running the campaign ("tracing the run ...").
    virtual void note(const std::string& line) = 0;
};

// Says nothing: for tests, benchmarks and nested uses.
class QuietReporter final : public Reporter {
public:
    std::unique_ptr<Progress> progress(const std::string&) override;
    void note(const std::string&) override { }
};

} // namespace ferros::campaign
