// Fuzzes the power-cut plugin's argument parsing (simulator/plugin): the input is QEMU's
// `-plugin` list after the library name, split on ',' into KEY=VALUE arguments as QEMU does.
// A refused argument must change nothing (validate, then act), an accepted window must obey
// its documented limits, and check_arguments must only pass a complete, non-wrapping window.
#include <ferros/abi/machine.h>
#include <ferros/base/verify.h>
#include <ferros/plugin/plugin_arguments.h>
#include <string_view>
#include <tuple>

using namespace ferros;
using ferros::plugin::PluginArguments;

namespace {

auto fields(const PluginArguments& a)
{
    return std::tie(a.ssd_base, a.ssd_size, a.image_in, a.image_out, a.policy, a.state, a.seed, a.cut_at, a.cut_marker,
        a.max_insns, a.trace, a.events, a.kernel, a.workload, a.machine);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::string_view list(reinterpret_cast<const char*>(data), size);
    PluginArguments arguments;
    while (true) {
        auto comma = list.find(',');
        std::string_view argument = list.substr(0, comma);
        // The plugin refuses an argument without '=' before calling apply_argument; the rest of
        // the list is still applied here, to reach every key from one input.
        auto equals = argument.find('=');
        if (equals != std::string_view::npos) {
            PluginArguments const before = arguments;
            auto applied = plugin::apply_argument(arguments, argument.substr(0, equals), argument.substr(equals + 1));
            if (applied.is_error())
                VERIFY(fields(arguments) == fields(before));
        }
        if (comma == std::string_view::npos)
            break;
        list.remove_prefix(comma + 1);
    }

    if (arguments.ssd_base)
        VERIFY(arguments.ssd_base->value() % abi::kPageSize == 0 && arguments.ssd_base->value() >= abi::kSsdMinBase);
    if (arguments.ssd_size)
        VERIFY(*arguments.ssd_size > 0 && *arguments.ssd_size % abi::kPageSize == 0);
    if (plugin::check_arguments(arguments).is_error())
        return 0;
    VERIFY(arguments.ssd_base.has_value() == arguments.ssd_size.has_value());
    if (arguments.has_window())
        VERIFY(arguments.ssd_base->value() + *arguments.ssd_size > arguments.ssd_base->value());
    else
        VERIFY(!arguments.image_in && !arguments.image_out && !arguments.trace);
    return 0;
}
