#include <ferros/campaign/phases.h>
#include <ferros/qemu/paths.h>
#include <ferros/trace/trace_reader.h>
#include <fmt/format.h>

namespace ferros::campaign {

namespace {

    class NoProgress final : public Progress {
    public:
        void update(uint64_t, uint64_t, const std::string&) override { }
        void finish(const std::string&) override { }
    };

} // namespace

std::unique_ptr<Progress> QuietReporter::progress(const std::string&) { return std::make_unique<NoProgress>(); }

Result<reconstruct::Reconstructor> open_reconstructor(const std::string& trace_path, std::vector<uint8_t> initial)
{
    auto reader = trace::TraceReader::open(trace_path);
    if (reader.is_error())
        return Failure(reader.error()).in(fmt::format("trace '{}'", trace_path));
    auto reconstructor = reconstruct::Reconstructor::create(reader.release_value(), std::move(initial));
    if (reconstructor.is_error())
        return Failure(reconstructor.error()).in(fmt::format("trace '{}'", trace_path));
    return reconstructor.release_value();
}

RebootEnd reboot_end(const Plan& plan)
{
    return plan.options.no_live || plan.options.reboot_until == "ready" ? RebootEnd::Ready : RebootEnd::Live;
}

Result<machine::Machine> reboot_machine(
    const Plan& plan, const std::string& image_path, const qemu::ScratchDir& scratch, RebootEnd end)
{
    qemu::MachineOptions options;
    options.kernel = plan.kernel;
    options.ssd = image_path;
    options.append = plan.kernel_args();
    options.timeout = plan.options.timeout;
    auto m = TRY(qemu::make_machine(options, scratch));
    m.kernel_args.push_back(end == RebootEnd::Live ? "ferros.until=live" : "ferros.until=ready");
    auto plugin = TRY(qemu::plugin_config());
    plugin.policy = plan.policy.to_string();
    plugin.events = scratch.file("reboot-events.txt");
    plugin.image_out = scratch.file("reboot-after.img");
    m.plugin = plugin;
    return m;
}

} // namespace ferros::campaign
