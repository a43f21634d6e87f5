#include "phases.h"
#include <ferros/tools/error.h>
#include <ferros/tools/plugin_run.h>
#include <ferros/trace/trace_reader.h>
#include <fmt/format.h>

namespace ferros::tools::campaign {

reconstruct::Reconstructor open_reconstructor(const std::string& trace_path, std::vector<uint8_t> initial)
{
    auto reader = trace::TraceReader::open(trace_path);
    if (reader.is_error())
        fail(Exit::Failed, fmt::format("trace '{}': {}", trace_path, describe_error(reader.error())));
    auto reconstructor = reconstruct::Reconstructor::create(reader.release_value(), std::move(initial));
    if (reconstructor.is_error())
        fail(Exit::Failed, fmt::format("trace '{}': {}", trace_path, describe_error(reconstructor.error())));
    return reconstructor.release_value();
}

machine::Machine reboot_machine(const Plan& plan, const std::string& image_path, const ScratchDir& scratch)
{
    MachineOptions options;
    options.kernel = plan.kernel;
    options.ssd = image_path;
    options.append = plan.kernel_args();
    options.timeout = plan.options.timeout;
    auto m = make_machine(options, scratch);
    m.kernel_args.push_back("ferros.until=ready");
    auto plugin = plugin_config();
    plugin.policy = plan.policy.to_string();
    plugin.events = scratch.file("reboot-events.txt");
    plugin.image_out = scratch.file("reboot-after.img");
    m.plugin = plugin;
    return m;
}

} // namespace ferros::tools::campaign
