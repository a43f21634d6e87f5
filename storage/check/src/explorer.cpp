#include <ferros/check/explorer.h>
#include <ferros/crash/content_hash.h>
#include <ferros/crash/state_space.h>
#include <ferros/storage/host_ssd.h>
#include <ferros/storage/store.h>
#include <unordered_set>

namespace ferros::check {

bool ExploreReport::found(Invariant invariant) const
{
    for (auto const& found : violations)
        if (found.violation.invariant == invariant)
            return true;
    return false;
}

std::string ExploreReport::summary() const
{
    std::string text = std::to_string(cuts) + " cuts, " + std::to_string(states) + " states, "
        + std::to_string(distinct_states) + " distinct, " + std::to_string(nested_states) + " nested, "
        + std::to_string(violations.size()) + " violations\n";
    for (auto const& found : violations) {
        text += std::string("  ") + invariant_id(found.violation.invariant) + " at cut " + std::to_string(found.cut)
            + " state " + std::to_string(found.state) + (found.nested ? " (cut again during recovery)" : "") + ": "
            + found.violation.message + "\n";
    }
    return text;
}

namespace {

    class Explorer {
    public:
        Explorer(const Workload& workload, const ExploreOptions& options)
            : m_workload(workload)
            , m_options(options)
        {
        }

        ExploreReport run()
        {
            storage::HostSsd formatted(m_options.device_size);
            if (auto done = storage::Store::format(formatted); done.is_error()) {
                m_report.violations.push_back({ 0, 0, false, { Invariant::R1, "format failed" } });
                return m_report;
            }
            m_base.assign(formatted.model().durable().begin(), formatted.model().durable().end());

            // One run visits every cut point: the device calls back before each operation with
            // the durable image and pending writes a cut there would leave, and the history as
            // it stands (the workload is paused inside the callback).
            storage::HostSsd ssd(m_base);
            History history;
            uint64_t operation = 0;
            ssd.observe([&](const storage::HostSsd& device) {
                if (wanted(operation))
                    explore_cut(operation, device, history);
                ++operation;
            });
            auto const completed = run_workload(m_workload, ssd, m_options.store, history);
            ssd.observe({});
            if (completed.is_error()) {
                m_report.violations.push_back({ operation, 0, false,
                    { Invariant::R1,
                        std::string("the workload failed without a cut: ") + error_name(completed.error().code()) } });
                return m_report;
            }
            if (wanted(operation))
                explore_cut(operation, ssd, history);
            m_report.operations = operation;
            m_report.withdrawn = history.withdrawn();
            {
                storage::HostSsd final_device(
                    std::vector<uint8_t>(ssd.model().durable().begin(), ssd.model().durable().end()));
                storage::Store store(
                    final_device, Bytes(memory().data(), storage::Store::kMemorySize), m_options.store);
                if (!store.mount().is_error())
                    m_report.ring_turns = static_cast<double>(store.shape().head.value())
                        / static_cast<double>(m_options.device_size - ring::kRingStart);
            }
            return m_report;
        }

    private:
        bool done() const { return m_report.violations.size() >= m_options.max_violations; }
        bool wanted(uint64_t cut) const
        {
            return cut >= m_options.first_cut && (cut - m_options.first_cut) % m_options.cut_stride == 0
                && m_report.cuts < m_options.max_cuts && !done();
        }

        void record(uint64_t cut, uint64_t state, bool nested, std::vector<Violation> violations)
        {
            for (auto& violation : violations) {
                if (done())
                    return;
                if (nested) {
                    violation.message = std::string(invariant_id(violation.invariant))
                        + " after a cut during recovery: " + violation.message;
                    violation.invariant = Invariant::R8;
                }
                m_report.violations.push_back({ cut, state, nested, std::move(violation) });
            }
        }

        void explore_cut(uint64_t cut, const storage::HostSsd& ssd, const History& history)
        {
            m_report.cuts++;
            auto space = ssd.states(m_options.policy, m_options.seed * 0x9E3779B97F4A7C15ULL + cut);
            if (space.is_error()) {
                record(cut, 0, false, { { Invariant::R1, "no state space" } });
                return;
            }
            auto const& states = space.value();
            // States are views of the durable image, as in a campaign: what the checker verified
            // on it (a replay, a walk, a clean continuation) is shared by the states over it.
            auto const durable = ssd.model().durable();
            uint64_t const durable_hash = crash::image_hash(durable);
            std::vector<uint8_t> image;
            if (m_options.nested_cuts)
                image.assign(durable.begin(), durable.end());
            std::unordered_set<uint64_t> seen;
            for (uint64_t index = 0; index < states.count() && !done(); ++index) {
                m_report.states++;
                if (!seen.insert(states.hash(index)).second)
                    continue;
                m_report.distinct_states++;
                CheckOptions check_options;
                check_options.store = m_options.store;
                check_options.live = m_options.live;
                StateView view { durable, durable_hash, {} };
                states.changes(index, view.changes);
                record(cut, index, false, check_state(view, history, check_options));
                if (m_options.nested_cuts) {
                    states.apply(index, image);
                    explore_recovery(cut, index, image, history);
                    states.restore(index, image);
                }
            }
        }

        // R8: cut before each device operation the recovery of `image` makes, and check every
        // state that second cut may leave.
        void explore_recovery(uint64_t cut, uint64_t state, const std::vector<uint8_t>& image, const History& history)
        {
            uint64_t recovery_operations = 0;
            {
                storage::HostSsd probe(image);
                storage::Store store(probe, Bytes(memory().data(), storage::Store::kMemorySize), m_options.store);
                if (store.mount().is_error())
                    return; // R1 is already reported for this state
                recovery_operations = probe.operations();
            }
            for (uint64_t second = 0; second < recovery_operations && !done(); ++second) {
                storage::HostSsd ssd(image);
                ssd.cut_after_operations(second);
                {
                    storage::Store store(ssd, Bytes(memory().data(), storage::Store::kMemorySize), m_options.store);
                    (void)store.mount();
                }
                auto space = ssd.states(m_options.policy, m_options.seed + second);
                if (space.is_error())
                    continue;
                auto const nested = ssd.model().durable();
                uint64_t const nested_hash = crash::image_hash(nested);
                for (uint64_t index = 0; index < space.value().count() && !done(); ++index) {
                    m_report.nested_states++;
                    CheckOptions check_options;
                    check_options.store = m_options.store;
                    check_options.live = m_options.live;
                    StateView view { nested, nested_hash, {} };
                    space.value().changes(index, view.changes);
                    record(cut, state, true, check_state(view, history, check_options));
                }
            }
        }

        static std::vector<uint8_t>& memory()
        {
            static thread_local std::vector<uint8_t> buffer(storage::Store::kMemorySize + 8);
            return buffer;
        }

        const Workload& m_workload;
        ExploreOptions m_options;
        std::vector<uint8_t> m_base;
        ExploreReport m_report;
    };

} // namespace

ExploreReport explore(const Workload& workload, const ExploreOptions& options)
{
    return Explorer(workload, options).run();
}

} // namespace ferros::check
