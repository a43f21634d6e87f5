#include <ferros/base/error.h>

namespace ferros {

const char* error_message(ErrorCode code)
{
    switch (code) {
#define FERROS_ERROR(name, number, message)                                                                            \
    case ErrorCode::name:                                                                                              \
        return message;
#include <ferros/base/errors.def>
#undef FERROS_ERROR
    }
    return "unknown error";
}

const char* error_name(ErrorCode code)
{
    switch (code) {
#define FERROS_ERROR(name, number, message)                                                                            \
    case ErrorCode::name:                                                                                              \
        return #name;
#include <ferros/base/errors.def>
#undef FERROS_ERROR
    }
    return "Unknown";
}

} // namespace ferros
