#include <ferros/reconstruct/crash_states.h>

namespace ferros::reconstruct {

ErrorOr<CrashStates> CrashStates::create(const WindowState& window, const crash::Policy& policy, uint64_t seed)
{
    auto durable = window.durable();
    auto space = TRY(crash::StateSpace::create(policy, std::span<const uint8_t>(durable.data(), durable.size()),
        window.durable_hash(), window.pending(), seed, &window.unit_deltas()));
    return CrashStates(window, std::make_unique<crash::StateSpace>(std::move(space)));
}

ErrorOr<std::vector<uint8_t>> CrashStates::image(uint64_t index) const
{
    if (index >= m_space->count())
        return Error(ErrorCode::OutOfRange, "no such state at this boundary");
    auto durable = m_window->durable();
    std::vector<uint8_t> image(durable.begin(), durable.end());
    m_space->apply(index, image);
    return image;
}

} // namespace ferros::reconstruct
