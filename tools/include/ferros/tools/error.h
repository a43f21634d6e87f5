#pragma once
// The tool's one error path. Command code signals a fatal, user-facing problem by throwing
// UserError; main() prints it as the single line `ferros: error: MESSAGE` and exits with its
// status. Library code below the tool returns ErrorOr values instead (STYLE.md); must() turns
// those into UserErrors at the command's edge. CLI11 itself reports through exceptions, so the
// command layer already has to catch them: one mechanism for both keeps main() simple.

#include <ferros/base/failure.h>
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

// The exit status for a library failure's code (docs/cli.md): bad input is Usage, a missing
// tool or artefact Environment, a guest that faulted GuestFault, and so on.
Exit exit_for(ErrorCode code);

// The command's edge: a library failure becomes the one error line and its exit status.
template<typename T>
T must(ErrorOr<T, Failure> result)
{
    if (result.is_error())
        fail(exit_for(result.error().code()), result.error().message());
    return result.release_value();
}
inline void must(ErrorOr<void, Failure> result)
{
    if (result.is_error())
        fail(exit_for(result.error().code()), result.error().message());
}

} // namespace ferros::tools
