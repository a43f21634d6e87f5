// `ferros report boot|shutdown`: the boot report and the shutdown report (docs/reports.md),
// each one self-contained HTML page and, with --json, its JSON twin on stdout. The reports
// are reports/; the boots are simulator/qemu's; this file parses, boots and writes.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <ferros/campaign/results_db.h>
#include <ferros/qemu/boot.h>
#include <ferros/qemu/files.h>
#include <ferros/qemu/machine_setup.h>
#include <ferros/qemu/paths.h>
#include <ferros/reports/boot_report.h>
#include <ferros/reports/boot_stores.h>
#include <ferros/reports/campaign_inputs.h>
#include <ferros/reports/shutdown_report.h>
#include <ferros/tools/commands.h>
#include <ferros/tools/error.h>
#include <ferros/trace/file_hash.h>
#include <filesystem>
#include <fmt/format.h>
#include <memory>

namespace ferros::tools {

namespace {

    struct BootReportOptions {
        std::vector<std::string> ssd;
        unsigned runs { 1 };
        std::string campaign;
        std::string kernel;
        double timeout { 120 };
        std::string out { "boot-report.html" };
        bool json { false };
    };

    struct ShutdownReportOptions {
        std::string campaign;
        std::string out;
        bool json { false };
    };

    void write_text(const std::string& path, const std::string& text)
    {
        must(qemu::write_file_atomically(path, std::vector<uint8_t>(text.begin(), text.end())));
    }

    campaign::ResultsDb open_results(const std::string& dir)
    {
        auto path = dir + "/results.db";
        if (!qemu::file_exists(path))
            fail(Exit::Usage, fmt::format("'{}' holds no campaign results (no results.db)", dir));
        auto db = campaign::ResultsDb::open(path);
        if (db.is_error())
            fail(Exit::Usage, fmt::format("cannot open the results database '{}'", path));
        return db.release_value();
    }

    // One boot to ready on a copy of `image` (a mount writes a new anchor: the image the
    // person gave stays as it was), under the plugin for exact instruction counts.
    reports::BootRun boot_once(const BootReportOptions& options, const std::vector<uint8_t>& image,
        const std::string& source, std::optional<uint64_t> live_bytes)
    {
        auto scratch = must(qemu::ScratchDir::create());
        auto image_path = scratch.file("ssd.img");
        must(qemu::write_file_atomically(image_path, image));
        qemu::MachineOptions machine_options;
        machine_options.kernel = options.kernel;
        machine_options.ssd = image_path;
        machine_options.timeout = options.timeout;
        auto m = must(qemu::make_machine(machine_options, scratch));
        m.kernel_args.push_back("ferros.until=ready");
        auto plugin = must(qemu::plugin_config());
        auto const events = scratch.file("events.txt");
        plugin.events = events;
        plugin.image_out = scratch.file("ssd.out");
        m.plugin = plugin;

        qemu::BootOptions boot_options;
        boot_options.echo_console = false;
        boot_options.timeout_seconds = options.timeout;
        auto result = qemu::boot(m, boot_options);
        if (!result.process.started)
            fail(Exit::Environment, fmt::format("cannot start QEMU: {}", result.process.error));
        if (qemu::file_exists(events))
            must(qemu::attach_plugin_events(events, result.timeline));

        reports::BootRun run;
        run.source = source;
        run.ssd_bytes = image.size();
        run.store_bytes = live_bytes;
        run.outcome = qemu::boot_outcome_name(result.outcome);
        run.wall_ms = result.wall_ms;
        for (auto const& stage : result.timeline.stages())
            run.stages.push_back({ stage.name, stage.virtual_ns, stage.boundary, stage.wall_ms });
        run.ready_instructions = qemu::ready_instructions(result.timeline);
        return run;
    }

    int report_boot(const BootReportOptions& options)
    {
        if (options.runs == 0)
            fail(Exit::Usage, "--runs must be at least 1");
        // Validate everything before the first boot.
        std::vector<std::pair<std::string, std::vector<uint8_t>>> images;
        for (auto const& path : options.ssd) {
            must(qemu::check_ssd_image(path, machine::max_ssd_size(machine::Machine {}.ram_bytes)));
            images.emplace_back(
                std::filesystem::path(path).filename().string(), must(qemu::read_file(path, "SSD image")));
        }
        std::optional<campaign::ResultsDb> db;
        if (!options.campaign.empty())
            db.emplace(open_results(options.campaign));
        auto kernel = options.kernel.empty() ? qemu::paths().kernel : options.kernel;
        auto kernel_hash = trace::hash_file(kernel);
        if (kernel_hash.is_error())
            fail(Exit::Environment, fmt::format("cannot read the kernel '{}'", kernel));

        reports::BootReport report;
        report.kernel = fmt::format("{:016x}", kernel_hash.value());
        if (images.empty() && !db) {
            // No images given: the default stores, of growing size and fill.
            auto stores = reports::default_boot_stores(1);
            if (stores.is_error())
                fail(Exit::Failed, fmt::format("cannot make the default stores: {}", describe_error(stores.error())));
            size_t done = 0;
            for (auto const& store : stores.value()) {
                std::fprintf(stderr, "\rferros: booting %zu of %zu stores", ++done, stores.value().size());
                for (unsigned i = 0; i < options.runs; ++i)
                    report.runs.push_back(boot_once(options, store.image, store.name, store.live_bytes));
            }
            std::fprintf(stderr, "\n");
        }
        for (auto const& [name, image] : images) {
            for (unsigned i = 0; i < options.runs; ++i)
                report.runs.push_back(boot_once(options, image, name, std::nullopt));
        }
        if (db) {
            for (auto& run : must(reports::campaign_boots(*db)))
                report.runs.push_back(std::move(run));
        }

        write_text(options.out, reports::boot_report_html(report));
        if (options.json)
            std::printf("%s\n", reports::boot_report_json(report).c_str());
        else
            std::printf("ferros report boot: %zu boots, report %s\n", report.runs.size(), options.out.c_str());
        std::fflush(stdout);
        return static_cast<int>(Exit::Ok);
    }

    int report_shutdown(const ShutdownReportOptions& options)
    {
        auto db = open_results(options.campaign);
        auto input = must(reports::shutdown_input(db));
        auto out = options.out.empty() ? options.campaign + "/shutdown-report.html" : options.out;
        write_text(out, reports::shutdown_report_html(input));
        if (options.json)
            std::printf("%s\n", reports::shutdown_report_json(input).c_str());
        else
            std::printf("ferros report shutdown: %zu boundary classes, %zu reboots, report %s\n", input.classes.size(),
                input.reboots.size(), out.c_str());
        std::fflush(stdout);
        return static_cast<int>(Exit::Ok);
    }

} // namespace

void register_report(CLI::App& app)
{
    auto* report = app.add_subcommand("report", "Boot and shutdown reports as HTML with charts (docs/reports.md)");
    report->require_subcommand(1);

    auto boot = std::make_shared<BootReportOptions>();
    auto* b
        = report->add_subcommand("boot", "Boot Ferros and report time to ready, stage by stage and over many boots");
    b->add_option("--ssd", boot->ssd,
        "SSD image to boot (repeatable; not changed). Without --ssd and --campaign: stores of 64 KiB to 4 MiB, "
        "empty to full");
    b->add_option("--runs", boot->runs, "Boots of each image");
    b->add_option("--campaign", boot->campaign, "Add every reboot of this campaign directory's results");
    b->add_option("--kernel", boot->kernel, "Kernel ELF (default: the built kernel)");
    b->add_option("--timeout", boot->timeout, "Wall-clock watchdog per boot, in seconds");
    b->add_option("--out", boot->out, "The HTML page to write");
    b->add_flag("--json", boot->json, "Print the report's JSON twin on stdout");
    b->callback([boot] { throw CLI::RuntimeError(report_boot(*boot)); });

    auto shutdown = std::make_shared<ShutdownReportOptions>();
    auto* s = report->add_subcommand("shutdown", "What a power cut at each boundary of a campaign's run costs");
    s->add_option("CAMPAIGN_DIR", shutdown->campaign, "A finished campaign's output directory")->required();
    s->add_option("--out", shutdown->out, "The HTML page to write (default: CAMPAIGN_DIR/shutdown-report.html)");
    s->add_flag("--json", shutdown->json, "Print the report's JSON twin on stdout");
    s->callback([shutdown] { throw CLI::RuntimeError(report_shutdown(*shutdown)); });
}

} // namespace ferros::tools
