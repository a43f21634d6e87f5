#pragma once
// Each subcommand registers itself on the CLI11 app; one file per subcommand.

namespace CLI {
class App;
}

namespace ferros::tools {

void register_run(CLI::App& app);
void register_test(CLI::App& app);
void register_bench(CLI::App& app);
void register_workload(CLI::App& app);
void register_trace(CLI::App& app);
void register_cut(CLI::App& app);
void register_campaign(CLI::App& app);
void register_repro(CLI::App& app);
void register_report(CLI::App& app);
void register_fuzz(CLI::App& app);
void register_faults(CLI::App& app);

} // namespace ferros::tools
