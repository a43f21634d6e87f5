#pragma once
// The tool's one error path. Host tool code signals a fatal, user-facing problem by throwing
// UserError; main() prints it as the single line `ferros: error: MESSAGE` and exits with its
// status. Library code below the tool returns ErrorOr values instead (STYLE.md); the tool
// turns those into UserErrors at its edge. CLI11 itself reports through exceptions, so the
// command layer already has to catch them: one mechanism for both keeps main() simple.

#include <stdexcept>
#include <string>

namespace ferros::tools {

enum class Exit : int {
#define FERROS_EXIT(name, status, meaning) name = status,
#include <ferros/tools/exit_codes.def>
#undef FERROS_EXIT
};

class UserError : public std::runtime_error {
public:
    UserError(Exit status, const std::string& message)
        : std::runtime_error(message)
        , m_status(status)
    {
    }
    Exit status() const { return m_status; }

private:
    Exit m_status;
};

[[noreturn]] inline void fail(Exit status, const std::string& message) { throw UserError(status, message); }

} // namespace ferros::tools
