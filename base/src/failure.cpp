#include <ferros/base/failure.h>

namespace ferros {

std::string describe_error(const Error& error)
{
    return std::string(error.context() ? error.context() : error.message()) + " (" + error_name(error.code()) + ")";
}

} // namespace ferros
