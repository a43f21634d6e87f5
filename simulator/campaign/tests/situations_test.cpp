// Situation coverage (docs/campaign.md, "Situations"): the counts the trace gives are the
// store's own, and every boundary falls in the phase of the protocol step it lies in.
#include "campaign_test_support.h"
#include <ferros/campaign/situations.h>
#include <ferros/reports/campaign_report.h>

namespace ferros::campaign {
namespace {

    using test::Campaign;

    // The store's own statistics and refusals for a plan's workload: the same run as the
    // recorded trace's, counted inside the store instead of from the device's side.
    struct StoreCounts {
        storage::WriteStats stats;
        uint64_t nospace { 0 };
        uint64_t too_big { 0 };
    };

    StoreCounts count_in_store(const Plan& plan)
    {
        StoreCounts counts;
        storage::HostSsd ssd(plan.initial_image, storage::HostSsd::Tracking::Off);
        std::vector<uint64_t> memory(storage::Store::kMemorySize / 8 + 1);
        std::vector<uint8_t> scratch(abi::kMaxValueLength);
        storage::Store store(ssd, Bytes(reinterpret_cast<uint8_t*>(memory.data()), storage::Store::kMemorySize),
            storage::StoreOptions { plan.bug });
        EXPECT_FALSE(store.mount().is_error());
        auto workload = plan.workload();
        bool open = false;
        for (auto cursor = workload.ops(); !cursor.at_end();) {
            auto result = test::detail::run_op(store, cursor.next(), open, Bytes(scratch.data(), scratch.size()));
            if (result.is_error() && result.error().code() == ErrorCode::NoSpace)
                ++counts.nospace;
            if (result.is_error() && result.error().code() == ErrorCode::TooBig)
                ++counts.too_big;
        }
        counts.stats = store.write_stats();
        return counts;
    }

    CampaignOptions ring_campaign(const std::string& name, uint32_t ops)
    {
        auto options = test::small_campaign(test::temp_path(name), test::dummy_kernel());
        options.profile = "ring";
        options.ops = ops;
        options.seed = 1;
        return options;
    }

    TEST(Situations, CountsFromTheTraceAreTheStoresOwn)
    {
        Campaign campaign;
        test::prepare(ring_campaign("out", 600), campaign);
        auto scan = scan_situations(campaign.trace, campaign.plan.initial_image, campaign.plan.workload());
        ASSERT_FALSE(scan.is_error()) << scan.error().message();
        auto const& r = scan.value().situations();
        auto const store = count_in_store(campaign.plan);

        EXPECT_EQ(r.checkpoints, store.stats.checkpoints);
        EXPECT_EQ(r.cleaning_passes, store.stats.cleanings);
        EXPECT_EQ(r.relocated_bytes, store.stats.relocation_bytes);
        EXPECT_EQ(r.node_bytes, store.stats.node_bytes);
        EXPECT_EQ(r.commit_bytes, store.stats.txn_bytes);
        EXPECT_EQ(r.pads * ring::kRecordHeaderSize, store.stats.pad_bytes);
        EXPECT_EQ(r.anchors * ring::kAnchorSize, store.stats.anchor_bytes);
        EXPECT_EQ(r.mount_anchors, 1u);
        EXPECT_EQ(r.anchors, r.mount_anchors + r.checkpoints);
        EXPECT_EQ(r.refused_nospace, store.nospace);
        EXPECT_EQ(r.refused_too_big, store.too_big);
        EXPECT_EQ(r.stray_writes, 0u);
        // The profile is made to reach these on the default store: the ring turns more than
        // twice, cleaning carries live data, and the store refuses for want of space.
        EXPECT_GE(r.ring_bytes, 2 * r.ring_length);
        EXPECT_GE(r.wraps, 2u);
        EXPECT_GT(r.relocated_bytes, 0u);
        EXPECT_GT(r.refused_nospace, 0u);
        EXPECT_LE(r.max_live_charge, r.capacity);
        EXPECT_GT(r.max_live_charge, r.capacity / 2);

        auto round_trip = RunSituations::from_fields(r.fields());
        ASSERT_FALSE(round_trip.is_error());
        EXPECT_EQ(round_trip.value(), r);
    }

    TEST(Situations, EveryBoundaryLiesInThePhaseOfItsProtocolStep)
    {
        Campaign campaign;
        test::prepare(ring_campaign("out", 600), campaign);
        auto scan = scan_situations(campaign.trace, campaign.plan.initial_image, campaign.plan.workload());
        ASSERT_FALSE(scan.is_error()) << scan.error().message();
        auto const& phases = scan.value().phases();
        ASSERT_GE(phases.size(), 4u);
        // Boot writes nothing until the mount's anchor of a new epoch; then the workload commits.
        EXPECT_EQ(phases[0].phase, CutPhase::Idle);
        EXPECT_EQ(phases[1].phase, CutPhase::MountAnchorWritten);
        EXPECT_EQ(phases[2].phase, CutPhase::MountAnchorFlushed);
        EXPECT_EQ(phases[3].phase, CutPhase::CommitWritten);
        std::set<CutPhase> seen;
        for (size_t i = 1; i < phases.size(); ++i) {
            EXPECT_LT(phases[i - 1].boundary, phases[i].boundary);
            EXPECT_NE(phases[i - 1].phase, phases[i].phase);
            seen.insert(phases[i].phase);
            // A checkpoint's anchor is written only after its data was flushed (or, with
            // nothing to write, after commits were), and it is followed by its FLUSH.
            if (phases[i].phase == CutPhase::CheckpointAnchorWritten) {
                EXPECT_TRUE(phases[i - 1].phase == CutPhase::CheckpointDataFlushed
                    || phases[i - 1].phase == CutPhase::CommitFlushed
                    || phases[i - 1].phase == CutPhase::CheckpointAnchorFlushed)
                    << cut_phase_name(phases[i - 1].phase) << " at " << phases[i].boundary;
                if (i + 1 < phases.size()) {
                    EXPECT_EQ(phases[i + 1].phase, CutPhase::CheckpointAnchorFlushed);
                }
            }
        }
        for (auto phase : kAllCutPhases) {
            if (cut_phase_expected(phase)) {
                EXPECT_TRUE(seen.count(phase)) << cut_phase_name(phase);
            }
        }
        EXPECT_FALSE(seen.count(CutPhase::Other));
    }

    TEST(Situations, LossPassLabelsClassesAndTheSummaryCountsThem)
    {
        Campaign campaign;
        test::prepare(ring_campaign("out", 100), campaign);
        WalkProgress progress;
        test::walk_to_end(campaign, progress);
        std::atomic<bool> stop { false };
        QuietReporter quiet;
        auto lost = loss_phase(campaign.plan, campaign.trace, *campaign.db, quiet, stop);
        ASSERT_FALSE(lost.is_error()) << lost.error().message();

        auto summary = reports::summarize(*campaign.db);
        ASSERT_FALSE(summary.is_error());
        auto const& s = summary.value();
        ASSERT_TRUE(s.situations.has_value());
        uint64_t boundaries = 0, classes = 0;
        for (auto const& [name, cuts] : s.cuts_by_phase) {
            EXPECT_TRUE(cut_phase_from_name(name).has_value()) << name;
            boundaries += cuts.boundaries;
            classes += cuts.classes;
        }
        // Every boundary of the run lies in exactly one phase.
        EXPECT_EQ(boundaries, progress.boundaries);
        EXPECT_EQ(classes, progress.classes);
        EXPECT_GT(s.cuts_by_phase.at("commit.written").boundaries, 0u);
        EXPECT_GT(s.cuts_by_phase.at("checkpoint.anchor-written").states, 0u);
        auto text = reports::render_text(s, "out");
        EXPECT_NE(text.find("cuts in checkpoints"), std::string::npos) << text;
        auto json = reports::render_json(s);
        EXPECT_NE(json.find("\"cuts_by_phase\""), std::string::npos);
        EXPECT_NE(json.find("\"relocated_bytes\""), std::string::npos);
    }

    TEST(Situations, AWorkloadThatNeverCheckpointsSaysSo)
    {
        // 12 small ops on a 64 KiB store: commits and syncs, no checkpoint, no cleaning.
        auto options = test::small_campaign(test::temp_path("out"), test::dummy_kernel());
        options.ops = 12;
        options.profile = "small";
        Campaign campaign;
        test::prepare(options, campaign);
        WalkProgress progress;
        test::walk_to_end(campaign, progress);
        std::atomic<bool> stop { false };
        QuietReporter quiet;
        ASSERT_FALSE(loss_phase(campaign.plan, campaign.trace, *campaign.db, quiet, stop).is_error());
        auto summary = reports::summarize(*campaign.db);
        ASSERT_FALSE(summary.is_error());
        auto const& missing = summary.value().phases_not_exercised;
        EXPECT_NE(std::find(missing.begin(), missing.end(), "clean.relocating"), missing.end());
        EXPECT_NE(std::find(missing.begin(), missing.end(), "checkpoint.anchor-written"), missing.end());
        EXPECT_EQ(std::find(missing.begin(), missing.end(), "commit.written"), missing.end());
        auto text = reports::render_text(summary.value(), "out");
        EXPECT_NE(text.find("not exercised       "), std::string::npos) << text;
    }

} // namespace
} // namespace ferros::campaign
