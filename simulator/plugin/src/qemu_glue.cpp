// The plugin's face to QEMU: qemu_plugin_install parses the arguments and installs the
// callbacks; the callbacks turn QEMU's view (vCPU, meminfo, scoreboard) into PluginRuntime
// calls. docs/plugin.md explains the instrumentation choices and their cost.

#include "plugin_runtime.h"
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ferros/abi/machine.h>
#include <ferros/plugin/handoff.h>
#include <ferros/plugin/plugin_arguments.h>
#include <ferros/plugin/port_out.h>
#include <fmt/format.h>
#include <glib.h> // before qemu-plugin.h, outside extern "C": glib has C++ templates
#include <memory>
#include <string>
#include <string_view>

extern "C" {
#include <qemu/qemu-plugin.h>
}

using namespace ferros;
using namespace ferros::plugin;

extern "C" {
QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;
}

namespace {

// Deliberately never destroyed: the shared object's static destructors run before QEMU's
// atexit handler calls on_exit (they were registered later), so a unique_ptr would be gone.
PluginRuntime* g_runtime;
// Instructions retired, per vCPU (the machine has one). An inline add before each
// instruction keeps it exact at every instruction, not just at translation-block ends.
qemu_plugin_scoreboard* g_scoreboard;
qemu_plugin_u64 g_retired;
// The one vCPU's counter, read directly in callbacks: qemu_plugin_u64_get costs two calls
// and an assertion per store. Set at vCPU init, after QEMU has sized the scoreboard.
const uint64_t* g_retired_word;
// Where the plugin stops the machine by itself: min(cut_at, max_insns), if either is given.
bool g_stop_armed;
uint64_t g_stop_at;
// A per-instruction stop check bloats every translated instruction, so it is only put in
// once the count is within kPreciseMargin of the stop point: until then a check per block
// watches for the approach, and then the plugin resets itself (QEMU flushes all translated
// code) and retranslates with the precise checks. The margin is far beyond the few blocks
// QEMU runs before the reset takes effect; should it ever not be, the run fails loudly.
constexpr uint64_t kPreciseMargin = 1ULL << 20;
bool g_precise;
bool g_reset_requested;
qemu_plugin_id_t g_plugin_id;
// The window is compared with image_in once, before the guest's first instruction.
bool g_window_checked;
// A reboot worker's boundaries count as a fresh QEMU's: at each check's kernel entry
// (entry_at) this becomes entry_boundary minus the instructions retired so far, across every
// earlier check. Zero in a single run. Wraps modulo 2^64, as the sum does.
uint64_t g_boundary_offset;
// The guest wrote isa-debug-exit at this boundary. QEMU 10 only requests a shutdown there
// and the vCPU runs on until the main loop stops it, a timing-dependent number of
// instructions; the run ends, deterministically, right after the `out`.
bool g_guest_off;
uint64_t g_guest_off_at;
qemu_plugin_register* g_rdx; // for `out %al, %dx`
qemu_plugin_register* g_rax; // the exit value a reboot worker's guest writes
qemu_plugin_register* g_rbx; // the PVH start info's address at the kernel's entry
qemu_plugin_register* g_cs; // its low two bits: the privilege level an `out` runs at

// The watched physical range, [g_watch_low, g_watch_high): the window, widened down by 15
// bytes so that a store straddling its start is seen. Plain globals so that the test every
// store pays is two compares against registers-to-be, not a walk through the runtime.
uint64_t g_watch_low = ~0ULL;
uint64_t g_watch_high = ~0ULL;

[[noreturn]] void fail(int status, const std::string& why)
{
    fprintf(stderr, "ferros-plugin: error: %s\n", why.c_str());
    fflush(stderr);
    exit(status);
}

// A bad argument ends the run with kPluginExitBadArgs, any other failure with EXIT_FAILURE.
int exit_status_for(const Failure& failure)
{
    return failure.code() == ErrorCode::InvalidArgument ? ferros::abi::kPluginExitBadArgs : EXIT_FAILURE;
}

// Null only if QEMU exits before the vCPU starts: nothing has run, boundary 0.
Boundary retired() { return Boundary((g_retired_word ? *g_retired_word : 0) + g_boundary_offset); }

// Where the run ends if power goes away now.
Boundary end_of_run() { return g_guest_off ? Boundary(g_guest_off_at) : retired(); }

void on_vcpu_init(qemu_plugin_id_t, unsigned vcpu)
{
    g_retired_word = static_cast<const uint64_t*>(qemu_plugin_scoreboard_find(g_scoreboard, vcpu));
    GArray* registers = qemu_plugin_get_registers();
    for (guint i = 0; i < registers->len; ++i) {
        auto const& reg = g_array_index(registers, qemu_plugin_reg_descriptor, i);
        if (strcmp(reg.name, "rdx") == 0 || (!g_rdx && strcmp(reg.name, "edx") == 0))
            g_rdx = reg.handle;
        if (strcmp(reg.name, "rax") == 0 || (!g_rax && strcmp(reg.name, "eax") == 0))
            g_rax = reg.handle;
        if (strcmp(reg.name, "rbx") == 0 || (!g_rbx && strcmp(reg.name, "ebx") == 0))
            g_rbx = reg.handle;
        if (strcmp(reg.name, "cs") == 0)
            g_cs = reg.handle;
    }
    g_array_free(registers, true);
}

bool is_debug_exit_port(uint64_t port)
{
    return port - ferros::abi::kDebugExitPort < 4; // isa-debug-exit,iosize=0x04
}

// A reboot worker's guest asks to exit: report the value in %al; the guest halts, QEMU runs
// on, and the host resets it for the next state.
void guest_exits_in_worker()
{
    uint64_t value = ~0ULL;
    if (g_rax) {
        GByteArray* bytes = g_byte_array_new();
        if (qemu_plugin_read_register(g_rax, bytes) >= 1)
            value = bytes->data[0];
        g_byte_array_unref(bytes);
    }
    if (auto exited = g_runtime->guest_exit(retired(), static_cast<uint8_t>(value)); exited.is_error())
        fail(EXIT_FAILURE, exited.error().message());
}

// Whether the `out` about to run is the kernel's. The callback fires before the instruction
// executes, so an `out` in user mode, which faults (#GP: IOPL 0 and no I/O bitmap) and writes
// nothing, would otherwise end the run: every store after it went unrecorded, and a hostile
// program could make a trace end where it pleased. Without the CS register (never on x86),
// trust the `out`.
bool out_is_privileged()
{
    if (!g_cs)
        return true;
    GByteArray* bytes = g_byte_array_new();
    bool privileged = true;
    if (qemu_plugin_read_register(g_cs, bytes) >= 1)
        privileged = (bytes->data[0] & 3) == 0;
    g_byte_array_unref(bytes);
    return privileged;
}

void guest_powers_off()
{
    if (!out_is_privileged())
        return;
    if (g_runtime->arguments().worker) {
        guest_exits_in_worker();
        return;
    }
    if (g_guest_off)
        return;
    g_guest_off = true;
    // The inline add of the `out` has run: this is the boundary right after it.
    g_guest_off_at = retired().value();
}

void on_debug_exit(unsigned, void*) { guest_powers_off(); }

void on_out_dx(unsigned, void*)
{
    if (!g_rdx)
        return;
    GByteArray* value = g_byte_array_new();
    int size = qemu_plugin_read_register(g_rdx, value);
    uint64_t port = size >= 2 ? load_le16(value->data) : ~0ULL;
    g_byte_array_unref(value);
    if (is_debug_exit_port(port))
        guest_powers_off();
}

// Power goes away now: write what the device leaves and stop QEMU with `status`.
[[noreturn]] void cut(Boundary boundary, EndReason reason, int status)
{
    if (auto off = g_runtime->power_off(boundary, reason); off.is_error())
        fail(exit_status_for(off.error()), off.error().message());
    fprintf(stderr, "ferros-plugin: %s at boundary %llu\n",
        reason == EndReason::Cut ? "power cut" : "max-insns reached",
        static_cast<unsigned long long>(boundary.value()));
    fflush(stdout);
    fflush(stderr);
    // exit(), not _exit(): QEMU's own atexit handlers restore the terminal of -serial stdio.
    // Ours (on_exit) sees the runtime already powered off and does nothing.
    exit(status);
}

void on_stop(unsigned, void*)
{
    // Past the guest's own power-off: the boundary lies beyond the run.
    if (g_guest_off)
        return;
    Boundary boundary = retired();
    bool is_cut = g_runtime->arguments().cut_at && *g_runtime->arguments().cut_at == boundary;
    if (is_cut)
        cut(boundary, EndReason::Cut, ferros::abi::kPluginExitCut);
    cut(boundary, EndReason::MaxInsns, ferros::abi::kPluginExitMaxInsns);
}

void on_first_insn(unsigned, void*)
{
    if (g_window_checked)
        return;
    g_window_checked = true;
    const PluginArguments& a = g_runtime->arguments();
    if (!a.has_window())
        return;
    // Before the first instruction the CPU is in real mode with paging off, so a virtual
    // address is a physical one: this is the only moment the plugin can read the window.
    GByteArray* bytes = g_byte_array_sized_new(static_cast<guint>(*a.ssd_size));
    bool readable = qemu_plugin_read_memory_vaddr(a.ssd_base->value(), bytes, *a.ssd_size);
    if (!readable || bytes->len != *a.ssd_size) {
        g_byte_array_unref(bytes);
        fail(ferros::abi::kPluginExitBadArgs,
            fmt::format("bad argument ssd_base={:#x}: the window [{:#x}, +{:#x}) is not in guest RAM",
                a.ssd_base->value(), a.ssd_base->value(), *a.ssd_size));
    }
    auto same = g_runtime->check_initial_window(bytes->data);
    g_byte_array_unref(bytes);
    if (same.is_error())
        fail(exit_status_for(same.error()), same.error().message());
}

void on_store(unsigned, qemu_plugin_meminfo_t info, uint64_t vaddr, void*)
{
    if (g_guest_off) [[unlikely]]
        return;
    qemu_plugin_hwaddr* hwaddr = qemu_plugin_get_hwaddr(info, vaddr);
    if (!hwaddr)
        return;
    uint64_t address = qemu_plugin_hwaddr_phys_addr(hwaddr);
    // Cheap range test first: almost every store is to the stack or kernel data.
    bool in_fixed_pages = address - ferros::abi::kMarkerPage < 2 * ferros::abi::kPageSize;
    bool near_window = address - g_watch_low < g_watch_high - g_watch_low;
    if (!in_fixed_pages && !near_window) [[likely]]
        return;
    unsigned size = 1u << qemu_plugin_mem_size_shift(info);
    qemu_plugin_mem_value value = qemu_plugin_mem_get_value(info);
    uint8_t bytes[16];
    // x86 is little-endian and so is the host: the union's bytes are memory order.
    switch (value.type) {
    case QEMU_PLUGIN_MEM_VALUE_U8:
        bytes[0] = value.data.u8;
        break;
    case QEMU_PLUGIN_MEM_VALUE_U16:
        store_le16(bytes, value.data.u16);
        break;
    case QEMU_PLUGIN_MEM_VALUE_U32:
        store_le32(bytes, value.data.u32);
        break;
    case QEMU_PLUGIN_MEM_VALUE_U64:
        store_le64(bytes, value.data.u64);
        break;
    case QEMU_PLUGIN_MEM_VALUE_U128:
        store_le64(bytes, value.data.u128.low);
        store_le64(bytes + 8, value.data.u128.high);
        break;
    }
    // The inline add of this instruction has run: the counter is the boundary after it.
    Boundary boundary = retired();
    if (g_runtime->on_store(boundary, address, size, bytes))
        cut(boundary, EndReason::Cut, ferros::abi::kPluginExitCut);
}

// The kernel's first instruction is about to run: capture what the firmware handed over and
// end the run. Paging is off here, so virtual addresses are physical ones.
void on_handoff(unsigned, void*)
{
    const PluginArguments& a = g_runtime->arguments();
    uint64_t ebx = ~0ULL;
    if (g_rbx) {
        GByteArray* bytes = g_byte_array_new();
        if (qemu_plugin_read_register(g_rbx, bytes) >= 4)
            ebx = load_le32(bytes->data);
        g_byte_array_unref(bytes);
    }
    auto handoff = collect_handoff(ebx, [](uint64_t address, size_t length, uint8_t* out) {
        GByteArray* bytes = g_byte_array_sized_new(static_cast<guint>(length));
        bool ok = qemu_plugin_read_memory_vaddr(address, bytes, length) && bytes->len == length;
        if (ok)
            memcpy(out, bytes->data, length);
        g_byte_array_unref(bytes);
        return ok;
    });
    if (handoff.is_error())
        fail(EXIT_FAILURE, handoff.error().message());
    // The entry's inline add has not run: the count is the boundary at which it starts.
    handoff.value().entry_boundary = retired().value();
    FILE* out = fopen(a.handoff_out->c_str(), "w");
    auto text = format_handoff(handoff.value());
    if (!out || fwrite(text.data(), 1, text.size(), out) != text.size() || fclose(out) != 0)
        fail(EXIT_FAILURE, fmt::format("cannot write {}", *a.handoff_out));
    fflush(stdout);
    exit(ferros::abi::kPluginExitHandoff);
}

// A reboot worker's check begins: the kernel's entry is about to run (its inline add has not
// run, so the count is the boundary at which it starts, as in the capture run). Paging is
// off, so the window's physical address is a virtual one.
void on_check_begins(unsigned, void*)
{
    const PluginArguments& a = g_runtime->arguments();
    g_boundary_offset = 0;
    g_boundary_offset = a.entry_boundary->value() - retired().value();
    if (!a.trace)
        return;
    GByteArray* bytes = g_byte_array_sized_new(static_cast<guint>(*a.ssd_size));
    bool readable = qemu_plugin_read_memory_vaddr(a.ssd_base->value(), bytes, *a.ssd_size);
    if (!readable || bytes->len != *a.ssd_size) {
        g_byte_array_unref(bytes);
        fail(ferros::abi::kPluginExitBadArgs,
            fmt::format("bad argument ssd_base={:#x}: the window is not in guest RAM", a.ssd_base->value()));
    }
    auto begun = g_runtime->begin_check(bytes->data);
    g_byte_array_unref(bytes);
    if (begun.is_error())
        fail(EXIT_FAILURE, begun.error().message());
}

void on_tb_translate(qemu_plugin_id_t, qemu_plugin_tb* tb);
void on_exit(qemu_plugin_id_t, void*);

void on_reset_done(qemu_plugin_id_t id)
{
    g_precise = true;
    // The reset removed every callback: install them again, now with the precise checks.
    g_plugin_id = id;
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb_translate);
    qemu_plugin_register_atexit_cb(id, on_exit, nullptr);
}

// Runs at the start of every block once the count has come within the margin, until the
// reset has happened. The block's own instructions are not yet counted here.
void on_near_stop(unsigned, void*)
{
    uint64_t now = retired().value();
    if (now == g_stop_at)
        on_stop(0, nullptr);
    if (now > g_stop_at)
        fail(EXIT_FAILURE, "internal error: the stop point passed before the precise checks were in place");
    if (g_reset_requested)
        return;
    g_reset_requested = true;
    qemu_plugin_reset(g_plugin_id, on_reset_done);
}

void on_tb_translate(qemu_plugin_id_t, qemu_plugin_tb* tb)
{
    if (g_stop_armed && !g_precise)
        qemu_plugin_register_vcpu_tb_exec_cond_cb(tb, on_near_stop, QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_COND_GE,
            g_retired, g_stop_at - kPreciseMargin, nullptr);
    size_t count = qemu_plugin_tb_n_insns(tb);
    for (size_t i = 0; i < count; ++i) {
        qemu_plugin_insn* insn = qemu_plugin_tb_get_insn(tb, i);
        if (i == 0 && !g_window_checked)
            qemu_plugin_register_vcpu_insn_exec_cb(insn, on_first_insn, QEMU_PLUGIN_CB_NO_REGS, nullptr);
        auto const& handoff_at = g_runtime->arguments().handoff_at;
        if (handoff_at && qemu_plugin_insn_vaddr(insn) == handoff_at->value())
            qemu_plugin_register_vcpu_insn_exec_cb(insn, on_handoff, QEMU_PLUGIN_CB_R_REGS, nullptr);
        auto const& entry_at = g_runtime->arguments().entry_at;
        if (entry_at && qemu_plugin_insn_vaddr(insn) == entry_at->value())
            qemu_plugin_register_vcpu_insn_exec_cb(insn, on_check_begins, QEMU_PLUGIN_CB_NO_REGS, nullptr);
        // Order matters: the stop check sees the count before this instruction, i.e. the
        // boundary at which it would start, and fires before it executes.
        if (g_stop_armed && g_precise)
            qemu_plugin_register_vcpu_insn_exec_cond_cb(
                insn, on_stop, QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_COND_EQ, g_retired, g_stop_at, nullptr);
        qemu_plugin_register_vcpu_insn_exec_inline_per_vcpu(insn, QEMU_PLUGIN_INLINE_ADD_U64, g_retired, 1);
        // After the add, so that the callback sees the boundary after the `out`.
        uint8_t bytes[16];
        size_t size = qemu_plugin_insn_data(insn, bytes, sizeof(bytes));
        if (auto out = decode_port_out(bytes, size)) {
            if (out->port_in_dx)
                qemu_plugin_register_vcpu_insn_exec_cb(insn, on_out_dx, QEMU_PLUGIN_CB_R_REGS, nullptr);
            else if (is_debug_exit_port(out->port))
                qemu_plugin_register_vcpu_insn_exec_cb(insn, on_debug_exit, QEMU_PLUGIN_CB_R_REGS, nullptr);
        }
        if (g_runtime->watches_stores())
            qemu_plugin_register_vcpu_mem_cb(insn, on_store, QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_MEM_W, nullptr);
    }
}

// QEMU exits on its own: the guest powered off (isa-debug-exit), shut down, or the user
// interrupted the run (QEMU turns SIGINT into a shutdown). Each is a loss of power too.
void on_exit(qemu_plugin_id_t, void*)
{
    if (auto off = g_runtime->power_off(end_of_run(), EndReason::Exit); off.is_error()) {
        fprintf(stderr, "ferros-plugin: error: %s\n", off.error().message().c_str());
        fflush(stderr);
        // We are inside exit(): only _exit may change the status now.
        _exit(exit_status_for(off.error()));
    }
}

} // namespace

extern "C" QEMU_PLUGIN_EXPORT int qemu_plugin_install(
    qemu_plugin_id_t id, const qemu_info_t* info, int argc, char** argv)
{
    PluginArguments arguments;
    for (int i = 0; i < argc; ++i) {
        std::string_view argument(argv[i]);
        auto equals = argument.find('=');
        std::string_view key = argument.substr(0, equals);
        std::string_view value = equals == std::string_view::npos ? std::string_view() : argument.substr(equals + 1);
        auto applied = equals == std::string_view::npos
            ? ErrorOr<void>(Error(ErrorCode::InvalidArgument, "expected KEY=VALUE"))
            : apply_argument(arguments, key, value);
        if (applied.is_error())
            fail(ferros::abi::kPluginExitBadArgs,
                "bad argument " + std::string(argument) + ": " + applied.error().context());
    }
    auto checked = check_arguments(arguments);
    if (checked.is_error())
        fail(ferros::abi::kPluginExitBadArgs, std::string("bad arguments: ") + checked.error().context());
    if (!info->system_emulation || info->system.max_vcpus != 1)
        fail(ferros::abi::kPluginExitBadArgs, "bad machine: the plugin needs system emulation with exactly one vCPU");

    auto runtime = PluginRuntime::create(std::move(arguments));
    if (runtime.is_error())
        fail(exit_status_for(runtime.error()), runtime.error().message());
    g_runtime = runtime.release_value().release();
    const PluginArguments& a = g_runtime->arguments();
    if (a.cut_at || a.max_insns) {
        g_stop_armed = true;
        g_stop_at = std::min(a.cut_at.value_or(Boundary(~0ULL)).value(), a.max_insns.value_or(Boundary(~0ULL)).value());
        g_precise = g_stop_at < kPreciseMargin;
    }
    g_scoreboard = qemu_plugin_scoreboard_new(sizeof(uint64_t));
    g_retired = qemu_plugin_u64 { g_scoreboard, 0 };
    // A worker's window holds whatever the host wrote before each check, never image_in.
    g_window_checked = !a.has_window() || a.worker;
    if (a.has_window()) {
        g_watch_low = a.ssd_base->value() - 15;
        g_watch_high = a.ssd_base->value() + *a.ssd_size;
    }
    qemu_plugin_register_vcpu_init_cb(id, on_vcpu_init);
    g_plugin_id = id;
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb_translate);
    qemu_plugin_register_atexit_cb(id, on_exit, nullptr);
    return 0;
}
