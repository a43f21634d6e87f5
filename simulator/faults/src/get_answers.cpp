#include <ferros/abi/machine.h>
#include <ferros/base/crc32c.h>
#include <ferros/faults/get_answers.h>

namespace ferros::faults {

uint64_t answer_payload(const std::optional<std::vector<uint8_t>>& value)
{
    if (!value)
        return abi::kGetAnswerAbsent;
    return abi::get_answer_payload(value->size(), crc32c(0, value->data(), value->size()));
}

bool answer_is_right(const check::History& history, const std::string& key, uint64_t payload)
{
    // One pass over the transactions: the key's value after each prefix, checked from the
    // acknowledged ones on.
    std::optional<std::vector<uint8_t>> value;
    auto const& transactions = history.transactions();
    for (size_t count = 0;; ++count) {
        if (count >= history.acknowledged() && answer_payload(value) == payload)
            return true;
        if (count == transactions.size())
            return false;
        for (auto const& op : transactions[count].ops) {
            if (op.key != key)
                continue;
            if (op.kind == check::Operation::Kind::Put)
                value = op.value;
            else
                value.reset();
        }
    }
}

} // namespace ferros::faults
