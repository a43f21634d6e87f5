#pragma once
// The names of the power-cut plugin's arguments (`-plugin libferros_plugin.so,KEY=VALUE,...`).
// The plugin parses them (simulator/plugin); the machine description emits them
// (simulator/machine). One list, so neither side can spell a key the other does not know.
// docs/plugin.md says what each means.

namespace ferros::plugin_args {

inline constexpr const char* kSsdBase = "ssd_base"; // guest-physical base of the SSD window
inline constexpr const char* kSsdSize = "ssd_size"; // its size in bytes
inline constexpr const char* kImageIn = "image_in"; // the image the window held at power-on
inline constexpr const char* kImageOut = "image_out"; // where the durable image goes at power-off/cut
inline constexpr const char* kPolicy = "policy"; // crash policy (docs/crash-model.md)
inline constexpr const char* kState = "state"; // which allowed state a cut leaves (index)
inline constexpr const char* kSeed = "seed"; // seed for sampled states beyond K
inline constexpr const char* kCutAt = "cut_at"; // cut power at boundary N
inline constexpr const char* kCutMarker = "cut_marker"; // cut at a named event: KIND:PAYLOAD
inline constexpr const char* kMaxInsns = "max_insns"; // stop (as a cut) after N instructions
inline constexpr const char* kTrace = "trace"; // write a FlatBuffers trace here
inline constexpr const char* kEvents = "events"; // write marker events (text) here
inline constexpr const char* kKernel = "kernel"; // kernel ELF path, hashed into the trace header
inline constexpr const char* kWorkload = "workload"; // workload path, hashed into the trace header
inline constexpr const char* kMachine = "machine"; // machine description text (for the trace header)
inline constexpr const char* kWorker = "worker"; // on: a reboot worker (guest exits become events)
inline constexpr const char* kHandoffAt = "handoff_at"; // the kernel's entry: capture the PVH hand-off there
inline constexpr const char* kHandoffOut = "handoff_out"; // write the captured hand-off here, then exit
inline constexpr const char* kEntryAt = "entry_at"; // a worker's check begins at the kernel's entry here
inline constexpr const char* kEntryBoundary = "entry_boundary"; // the boundary that entry has in a fresh run

} // namespace ferros::plugin_args
