// The `ferros` command: one entry point for running, tracing, cutting, checking and
// reporting. Every error is one line `ferros: error: ...` and a status from exit_codes.def.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <ferros/tools/commands.h>
#include <ferros/tools/error.h>
#include <string>

namespace {

std::string exit_code_table()
{
    std::string text = "Exit statuses:\n";
#define FERROS_EXIT(name, status, meaning) text += "  " #status "\t" meaning "\n";
#include <ferros/tools/exit_codes.def>
#undef FERROS_EXIT
    return text;
}

} // namespace

int main(int argc, char** argv)
{
    using namespace ferros::tools;
    CLI::App app { "ferros: the power-loss-tolerant OS and the instrument that proves it" };
    app.require_subcommand(1);
    app.footer(exit_code_table());
    app.failure_message([](const CLI::App*, const CLI::Error& e) {
        return std::string("ferros: error: ") + e.what() + " (see --help)\n";
    });
    register_run(app);
    register_test(app);
    register_bench(app);
    register_workload(app);
    register_trace(app);
    register_cut(app);
    register_campaign(app);
    register_repro(app);
    register_report(app);
    register_fuzz(app);
    register_faults(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::RuntimeError& e) {
        // A subcommand finished and hands back its status.
        return e.get_exit_code();
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return static_cast<int>(Exit::Usage);
    } catch (const UserError& e) {
        std::fflush(stdout);
        std::fprintf(stderr, "ferros: error: %s\n", e.what());
        return static_cast<int>(e.status());
    }
    return static_cast<int>(Exit::Ok);
}
