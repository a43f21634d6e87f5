#include "plugin_runtime.h"
#include <cstdio>
#include <cstring>
#include <ferros/abi/machine.h>
#include <ferros/reconstruct/crash_states.h>
#include <ferros/trace/file_hash.h>
#include <fmt/format.h>
#include <link.h>

namespace ferros::plugin {

static bool read_file(const std::string& path, std::vector<uint8_t>& bytes)
{
    FILE* file = fopen(path.c_str(), "rb");
    if (!file)
        return false;
    bytes.clear();
    uint8_t buffer[65536];
    size_t got;
    while ((got = fread(buffer, 1, sizeof(buffer), file)) > 0)
        bytes.insert(bytes.end(), buffer, buffer + got);
    bool ok = ferror(file) == 0;
    fclose(file);
    return ok;
}

static bool write_file(const std::string& path, ReadonlyBytes bytes)
{
    FILE* file = fopen(path.c_str(), "wb");
    if (!file)
        return false;
    bool ok = fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
    ok &= fclose(file) == 0;
    return ok;
}

// The QEMU version for the trace header. QEMU gives plugins no version string, but its
// `--version` text is one string literal in its own read-only data ("QEMU emulator version
// X (...)\n" QEMU_COPYRIGHT), already mapped in this process: find it there. Running
// `qemu --version` instead cost a whole second QEMU start-up per traced run.
static int find_version(dl_phdr_info* info, size_t, void* out)
{
    // The first object is the executable itself; stop after it either way.
    static constexpr char kPrefix[] = "QEMU emulator version ";
    auto* version = static_cast<std::string*>(out);
    for (int i = 0; i < info->dlpi_phnum; ++i) {
        const ElfW(Phdr)& segment = info->dlpi_phdr[i];
        if (segment.p_type != PT_LOAD || (segment.p_flags & PF_W) || !(segment.p_flags & PF_R))
            continue;
        auto const* begin = reinterpret_cast<const char*>(info->dlpi_addr + segment.p_vaddr);
        auto const* found = static_cast<const char*>(memmem(begin, segment.p_memsz, kPrefix, sizeof(kPrefix) - 1));
        if (!found)
            continue;
        auto const* limit = begin + segment.p_memsz;
        auto const* line_end = static_cast<const char*>(memchr(found, '\n', static_cast<size_t>(limit - found)));
        if (line_end && line_end - found < 256)
            *version = std::string(found, line_end);
        break;
    }
    return 1;
}

static std::string qemu_version()
{
    std::string version = "unknown";
    dl_iterate_phdr(find_version, &version);
    return version;
}

// An argument QEMU was given that the plugin cannot honour: the run exits with
// kPluginExitBadArgs (the campaign tells it apart from a failure of the plugin itself).
static Failure bad_argument(std::string message) { return Failure(ErrorCode::InvalidArgument, std::move(message)); }

PluginRuntime::PluginRuntime(PluginArguments arguments)
    : m_arguments(std::move(arguments))
{
}

Result<std::unique_ptr<PluginRuntime>> PluginRuntime::create(PluginArguments arguments)
{
    std::unique_ptr<PluginRuntime> runtime(new PluginRuntime(std::move(arguments)));
    const PluginArguments& a = runtime->m_arguments;
    // Stores matter only to an output (image, trace, events) or a marker cut; a run with a
    // window but none of those (counting only) is spared the memory callback.
    runtime->m_watches_stores = a.image_out || a.trace || a.events || a.cut_marker;
    if (a.has_window()) {
        runtime->m_window_base = a.ssd_base->value();
        runtime->m_window_end = a.ssd_base->value() + *a.ssd_size;
        runtime->m_initial.assign(*a.ssd_size, 0);
        if (a.image_in) {
            if (!read_file(*a.image_in, runtime->m_initial)) {
                return bad_argument(fmt::format("bad argument image_in={}: cannot read it", *a.image_in));
            }
            if (runtime->m_initial.size() != *a.ssd_size) {
                return bad_argument(fmt::format("bad argument image_in={}: it is {} bytes, but ssd_size is {}",
                    *a.image_in, runtime->m_initial.size(), *a.ssd_size));
            }
        }
        runtime->m_window.emplace(runtime->m_initial);
        // Refuse a policy that cannot be honoured now, not at the cut.
        auto policy = crash::Policy::parse(a.policy);
        if (policy.is_error()) {
            return bad_argument(fmt::format("bad argument policy={}: {}", a.policy, policy.error().context()));
        }
        runtime->m_policy = policy.release_value();
    }
    if (a.events) {
        auto events = EventsFile::create(*a.events);
        if (events.is_error()) {
            return bad_argument(fmt::format("bad argument events={}: cannot create it", *a.events));
        }
        runtime->m_events.emplace(events.release_value());
        if (a.worker)
            runtime->m_events->flush_each_line();
    }
    if (a.trace) {
        struct Hashed {
            const std::optional<std::string>& path;
            const char* key;
            uint64_t& hash;
        };
        for (Hashed hashed : { Hashed { a.kernel, "kernel", runtime->m_kernel_hash },
                 Hashed { a.workload, "workload", runtime->m_workload_hash } }) {
            if (!hashed.path)
                continue;
            auto hash = trace::hash_file(*hashed.path);
            if (hash.is_error()) {
                return bad_argument(fmt::format("bad argument {}={}: cannot read it", hashed.key, *hashed.path));
            }
            hashed.hash = hash.value();
        }
        // A worker's traces begin with its checks (begin_check); a single run's now.
        if (!a.worker)
            runtime->m_trace = TRY(runtime->open_trace());
    }
    return runtime;
}

Result<std::unique_ptr<trace::TraceWriter>> PluginRuntime::open_trace() const
{
    const PluginArguments& a = m_arguments;
    trace::TraceHeader header;
    header.has_workload = a.workload.has_value();
    header.kernel_hash = m_kernel_hash;
    header.workload_hash = m_workload_hash;
    header.image_hash = trace::hash_bytes(ReadonlyBytes(m_initial.data(), m_initial.size()));
    header.policy = a.policy;
    header.qemu_version = qemu_version();
    header.machine = a.machine;
    header.ssd_base = m_window_base;
    header.ssd_size = *a.ssd_size;
    auto writer = trace::TraceWriter::create(*a.trace, std::move(header));
    if (writer.is_error()) {
        return bad_argument(fmt::format("bad argument trace={}: cannot create it", *a.trace));
    }
    return writer.release_value();
}

Result<void> PluginRuntime::begin_check(const uint8_t* window)
{
    if (!m_arguments.trace)
        return {};
    m_initial.assign(window, window + m_initial.size());
    m_window.emplace(m_initial);
    auto writer = open_trace();
    if (writer.is_error())
        return Failure(ErrorCode::Io, writer.error().message());
    m_trace = writer.release_value();
    return {};
}

Result<void> PluginRuntime::check_initial_window(const uint8_t* bytes) const
{
    if (memcmp(bytes, m_initial.data(), m_initial.size()) == 0)
        return {};
    return bad_argument(
        fmt::format("bad argument image_in={}: guest memory at ssd_base={:#x} does not hold it at power-on "
                    "(QEMU's loader must be given the same file and address)",
            m_arguments.image_in.value_or("(none: zeros)"), m_window_base));
}

void PluginRuntime::on_window_store(Boundary boundary, uint64_t address, unsigned size, const uint8_t* value)
{
    // Clip a store that straddles an edge of the window to the part inside it.
    uint64_t start = address < m_window_base ? m_window_base : address;
    uint64_t end = address + size > m_window_end ? m_window_end : address + size;
    if (start >= end)
        return;
    const uint8_t* bytes = value + (start - address);
    auto length = static_cast<unsigned>(end - start);
    m_window->store(boundary, DeviceOffset(start - m_window_base), ReadonlyBytes(bytes, length));
    if (m_trace)
        m_trace->add(trace::EventKind::Store, boundary, start, length, bytes);
}

bool PluginRuntime::on_store(Boundary boundary, uint64_t address, unsigned size, const uint8_t* value)
{
    if (m_window && address < m_window_end && address + size > m_window_base) {
        on_window_store(boundary, address, size, value);
        return false;
    }
    if (address == abi::kControlFlush) {
        if (m_window)
            m_window->flush();
        if (m_trace)
            m_trace->add(trace::EventKind::Flush, boundary, address, size, value);
        return false;
    }
    // A marker is one aligned 8-byte store anywhere in the marker page; anything else there
    // is not a marker and is ignored (docs/plugin.md).
    if (address - abi::kMarkerPage >= abi::kPageSize || size != 8 || address % 8 != 0)
        return false;
    uint64_t word = load_le64(value);
    if (m_events)
        m_events->marker(boundary, word);
    if (m_trace)
        m_trace->add(trace::EventKind::Marker, boundary, address, size, value);
    return m_arguments.cut_marker && *m_arguments.cut_marker == word;
}

Result<void> PluginRuntime::guest_exit(Boundary boundary, uint8_t value)
{
    // The guest's exit is its power-off, as a fresh QEMU's trace ends there (on_exit's
    // EndReason::Exit at the boundary after the `out`).
    if (m_trace) {
        auto finished = m_trace->finish(boundary, static_cast<uint8_t>(EndReason::Exit));
        m_trace.reset();
        if (finished.is_error())
            return Failure(ErrorCode::Io, fmt::format("cannot write trace={}", *m_arguments.trace));
    }
    if (m_events)
        m_events->exit(boundary, value);
    return {};
}

ErrorOr<std::vector<uint8_t>> PluginRuntime::cut_image() const
{
    auto states = TRY(reconstruct::CrashStates::create(*m_window, m_policy, m_arguments.seed));
    m_state_count = states.count();
    return states.image(m_arguments.state);
}

Result<void> PluginRuntime::power_off(Boundary boundary, EndReason reason)
{
    if (m_powered_off)
        return {};
    m_powered_off = true;
    // Every output is attempted even when an earlier one failed; the first failure is reported.
    std::optional<Failure> failure;
    if (m_arguments.image_out) {
        auto image = cut_image();
        if (image.is_error()) {
            if (m_state_count > 0 && m_arguments.state >= m_state_count)
                failure = bad_argument(
                    fmt::format("bad argument state={}: the policy allows {} states (0..{}) at boundary {}",
                        m_arguments.state, m_state_count, m_state_count - 1, boundary.value()));
            else
                // Not the caller's argument: the plugin itself could not do its job.
                failure = Failure(ErrorCode::Io,
                    fmt::format("cannot build the crash state at boundary {}: {}", boundary.value(),
                        describe_error(image.error())));
        } else if (!write_file(*m_arguments.image_out, ReadonlyBytes(image.value().data(), image.value().size()))) {
            failure = Failure(ErrorCode::Io, fmt::format("cannot write image_out={}", *m_arguments.image_out));
        }
    }
    if (m_events && m_events->end(boundary, reason).is_error() && !failure)
        failure = Failure(ErrorCode::Io, fmt::format("cannot write events={}", *m_arguments.events));
    if (m_trace && m_trace->finish(boundary, static_cast<uint8_t>(reason)).is_error() && !failure)
        failure = Failure(ErrorCode::Io, fmt::format("cannot write trace={}", *m_arguments.trace));
    if (failure)
        return *failure;
    return {};
}

} // namespace ferros::plugin
