#pragma once
// The crash states a cut may leave, for a WindowState at one boundary: the crash model's
// StateSpace (crash/) over its durable image and pending writes. The plugin
// writes image(state) at a real cut; reconstruction offers the same images for a boundary of
// a trace, so both sides agree byte for byte by construction of one code path.

#include <cstdint>
#include <ferros/base/error_or.h>
#include <ferros/crash/pending_write.h>
#include <ferros/crash/policy.h>
#include <ferros/crash/state_space.h>
#include <ferros/reconstruct/window_state.h>
#include <memory>
#include <vector>

namespace ferros::reconstruct {

class CrashStates {
public:
    // `window` must stay unchanged while the CrashStates is in use (its durable image is
    // referred to, not copied). Errors: those of crash::StateSpace::create.
    static ErrorOr<CrashStates> create(const WindowState& window, const crash::Policy& policy, uint64_t seed);

    // How many states the policy allows here (>= 1); state 0 keeps nothing pending, the last
    // keeps everything.
    uint64_t count() const { return m_space->count(); }
    const crash::StateSpace& space() const { return *m_space; }
    // The whole image of state `index`. OutOfRange when index >= count().
    ErrorOr<std::vector<uint8_t>> image(uint64_t index) const;

private:
    CrashStates(const WindowState& window, std::unique_ptr<crash::StateSpace> space)
        : m_window(&window)
        , m_space(std::move(space))
    {
    }
    const WindowState* m_window;
    std::unique_ptr<crash::StateSpace> m_space;
};

} // namespace ferros::reconstruct
