#pragma once
// The campaign's oracle: what the store must hold after a cut, built from the workload and
// the markers the kernel stored up to the cut (DESIGN.md section 3). A walk feeds markers in
// boundary order; history() is then the check::History the host checker compares a crash
// state against.
//
// How markers map to transactions (docs/campaign.md):
//   op-submitted i   put/delete outside a transaction: a one-op transaction is submitted;
//                    inside one: the op joins it; commit: the open transaction is submitted;
//                    begin opens one (unless one is open: the call fails, see op-failed)
//   op-failed i      the op's call returned an error: a submitted transaction is withdrawn
//                    (the store dropped it); a failed put/delete inside a transaction leaves it;
//                    a failed begin/commit changes nothing more
//   op-durable i     sync returned: everything submitted so far is acknowledged durable

#include <cstdint>
#include <ferros/abi/workload.h>
#include <ferros/base/error_or.h>
#include <ferros/check/history.h>
#include <optional>
#include <vector>

namespace ferros::campaign {

class MarkerOracle {
public:
    // `workload` must outlive the oracle.
    explicit MarkerOracle(const abi::Workload& workload);

    // Takes one marker word (any kind; only op markers matter). Errors: BadFormat when the
    // markers do not fit the workload (an op index out of order or beyond it): the trace is
    // not of this workload.
    ErrorOr<void> take(uint64_t marker_word);

    const check::History& history() const { return m_history; }
    // The index of the last op submitted (or nothing), and of the last sync acknowledged.
    std::optional<uint32_t> last_submitted() const { return m_last_submitted; }
    std::optional<uint32_t> last_durable() const { return m_last_durable; }

private:
    ErrorOr<void> submitted(uint32_t index);
    ErrorOr<void> failed(uint32_t index);

    std::vector<abi::Op> m_ops;
    check::History m_history;
    bool m_in_transaction { false };
    check::Transaction m_open;
    // Whether op i submitted a transaction to the history (so a failure withdraws it), or
    // added an operation to the open transaction.
    enum class Effect : uint8_t { None, SubmittedTransaction, JoinedTransaction, Opened, Closed };
    std::vector<Effect> m_effects;
    std::optional<uint32_t> m_last_submitted;
    std::optional<uint32_t> m_last_durable;
    bool m_open_before_begin { false };
};

// A check::Operation for a put or delete op, its value materialized.
check::Operation to_operation(const abi::Op& op);

} // namespace ferros::campaign
