// The summary: the engine end to end (plan, trace phase on a recorded trace, walk, reboot phase
// with --reboot none) and reports::summarize over its database, as `ferros campaign` prints it.

#include "campaign_test_support.h"
#include <ferros/campaign/merge.h>
#include <ferros/reports/campaign_report.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace ferros;
using namespace ferros::campaign;
using namespace ferros::campaign::test;

namespace {

struct EndToEnd {
    Campaign campaign;
    WalkProgress walked;
    reports::CampaignSummary summary;
};

void run_campaign(const CampaignOptions& options, EndToEnd& e)
{
    ASSERT_NO_FATAL_FAILURE(prepare(options, e.campaign));
    auto& c = e.campaign;
    ASSERT_NO_FATAL_FAILURE(walk_to_end(c, e.walked));
    std::atomic<bool> stop { false };
    QuietReporter quiet;
    auto rebooted = reboot_phase(c.plan, c.trace, *c.db, quiet, stop);
    ASSERT_FALSE(rebooted.is_error()) << rebooted.error().message();
    auto summary = reports::summarize(*c.db);
    ASSERT_FALSE(summary.is_error()) << c.db->last_error();
    e.summary = summary.release_value();
    auto total = trace_boundaries(c.trace);
    ASSERT_FALSE(total.is_error());
    e.summary.total_boundaries = total.value();
}

void expect_counts(const EndToEnd& e, const nlohmann::json& j)
{
    auto const& w = e.walked;
    EXPECT_EQ(j.at("boundaries_total").get<uint64_t>(), w.boundaries);
    EXPECT_EQ(j.at("boundaries_covered").get<uint64_t>(), w.boundaries);
    EXPECT_DOUBLE_EQ(j.at("coverage_percent").get<double>(), 100.0);
    EXPECT_EQ(j.at("classes").get<uint64_t>(), w.classes);
    EXPECT_EQ(j.at("states").get<uint64_t>(), w.states);
    EXPECT_EQ(j.at("distinct_states").get<uint64_t>(), w.distinct);
    EXPECT_EQ(j.at("states_checked").get<uint64_t>(), w.checked);
    EXPECT_EQ(j.at("reboots").get<uint64_t>(), 0u);
    EXPECT_EQ(j.at("nested_states").get<uint64_t>(), 0u);
    EXPECT_EQ(j.at("violations").get<uint64_t>(), e.summary.violations);
    EXPECT_EQ(j.at("violation_list").size(), e.summary.violations);
    uint64_t by_invariant = 0;
    for (auto const& [id, count] : j.at("violations_by_invariant").items())
        by_invariant += count.get<uint64_t>();
    EXPECT_EQ(by_invariant, e.summary.violations);
    EXPECT_EQ(j.at("identity").at("policy").get<std::string>(), "cache:512:4");
}

} // namespace

TEST(CampaignSummary, CountsOfTheRealStoreEndToEnd)
{
    EndToEnd e;
    ASSERT_NO_FATAL_FAILURE(run_campaign(small_campaign(temp_path("out"), dummy_kernel()), e));
    auto const& s = e.summary;
    EXPECT_EQ(describe(s.walk), describe(e.walked));
    EXPECT_EQ(s.total_boundaries, e.walked.boundaries);
    EXPECT_DOUBLE_EQ(s.coverage_percent(), 100.0);
    EXPECT_EQ(s.identity, e.campaign.plan.identity());
    EXPECT_EQ(s.violations, 0u);
    EXPECT_TRUE(s.violation_rows.empty());
    ASSERT_EQ(s.violations_by_invariant.size(), std::size(check::kInvariants)) << "every R1..R9 and R14, zero or not";
    for (auto const& [id, count] : s.violations_by_invariant)
        EXPECT_EQ(count, 0u) << id;
    EXPECT_EQ(s.reboots, 0u) << "--reboot none";
    EXPECT_EQ(s.nested_states, 0u);

    auto j = nlohmann::json::parse(reports::render_json(s));
    ASSERT_NO_FATAL_FAILURE(expect_counts(e, j));
    EXPECT_EQ(j.at("identity").at("bug").get<std::string>(), "none");

    auto text = reports::render_text(s, e.campaign.plan.out_dir);
    EXPECT_NE(
        text.find(fmt::format("boundaries covered  {} of {} (100.00%)", e.walked.boundaries, e.walked.boundaries)),
        std::string::npos)
        << text;
    EXPECT_NE(
        text.find(fmt::format("{} enumerated, {} distinct", e.walked.states, e.walked.distinct)), std::string::npos)
        << text;
}

TEST(CampaignSummary, CountsOfASeededBugEndToEnd)
{
    auto options = small_campaign(temp_path("out"), dummy_kernel());
    options.bug = "checksums-not-verified";
    EndToEnd e;
    ASSERT_NO_FATAL_FAILURE(run_campaign(options, e));
    auto const& s = e.summary;
    EXPECT_EQ(describe(s.walk), describe(e.walked));
    auto rows = e.campaign.db->violations().value();
    ASSERT_FALSE(rows.empty());
    EXPECT_EQ(s.violations, rows.size());
    EXPECT_EQ(describe(s.violation_rows), describe(rows));
    for (auto invariant : check::kInvariants) {
        uint64_t expected = 0;
        for (auto const& v : rows)
            expected += v.invariant == invariant;
        EXPECT_EQ(s.violations_by_invariant.at(check::invariant_id(invariant)), expected)
            << check::invariant_id(invariant);
    }

    auto j = nlohmann::json::parse(reports::render_json(s));
    ASSERT_NO_FATAL_FAILURE(expect_counts(e, j));
    EXPECT_EQ(j.at("identity").at("bug").get<std::string>(), "checksums-not-verified");
    ASSERT_EQ(j.at("violation_list").size(), rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
        auto const& v = j.at("violation_list").at(i);
        EXPECT_EQ(v.at("invariant").get<std::string>(), check::invariant_id(rows[i].invariant));
        EXPECT_EQ(v.at("boundary").get<uint64_t>(), rows[i].boundary);
        EXPECT_EQ(v.at("token").get<std::string>(), rows[i].token);
        EXPECT_EQ(v.at("checker").get<std::string>(), "host");
    }
}
