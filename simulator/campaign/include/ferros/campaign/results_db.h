#pragma once
// Campaign results in SQLite (docs/campaign.md has the schema). Written crash-safely: WAL
// journal (synchronous=NORMAL: a killed process loses nothing committed; an OS crash may lose
// the last batches but never leaves a half-written one), and every batch of checked states lands in one transaction
// together with the walk's progress, so a campaign killed at any point (Ctrl-C or kill -9)
// resumes from its last committed batch and neither loses nor double-counts a state.

#include <cstdint>
#include <ferros/base/error_or.h>
#include <ferros/campaign/situations.h>
#include <ferros/check/invariant.h>
#include <map>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace ferros::campaign {

// Where the walk stands; stored in the same transaction as the states it counts.
struct WalkProgress {
    uint64_t next_boundary { 0 }; // the first boundary not yet walked
    uint64_t class_index { 0 }; // classes walked so far, this shard's and others'
    uint64_t boundaries { 0 }; // boundaries covered so far
    uint64_t classes { 0 }; // boundary classes (same durable base and pending set)
    uint64_t states { 0 }; // crash states enumerated (with repeats)
    uint64_t distinct { 0 }; // distinct states by content hash
    uint64_t checked { 0 }; // distinct states checked by the host-native checker
    bool done { false };
};

struct StateRow {
    uint64_t hash { 0 };
    uint64_t boundary { 0 }; // first boundary where the state appeared
    uint64_t state { 0 }; // its index there
    int depth { 1 };
    std::vector<check::Invariant> invariants; // empty when the state passed (stored as "R3,R5")
};

// Which checker found a violation (stored as "host" / "reboot").
enum class Checker { Host, Reboot };
const char* checker_name(Checker checker);

struct ViolationRow {
    check::Invariant invariant { check::Invariant::R1 }; // stored as its ID, "R3"
    uint64_t boundary { 0 };
    uint64_t state { 0 };
    int depth { 1 };
    Checker checker { Checker::Host };
    std::string token;
    std::string message;
};

struct RebootRow {
    uint64_t hash { 0 };
    uint64_t boundary { 0 };
    uint64_t state { 0 };
    std::string outcome; // ready, self-check-failed, fault, ...
    uint64_t ready_instructions { 0 }; // kernel-entry to ready; 0 if not reached
    bool host_passed { false };
    bool reboot_passed { false };
};

// One boundary class of the main walk (boundaries first_boundary .. first_boundary +
// boundaries - 1: the same durable base and pending writes), for the shutdown report
// (docs/reports.md): what a cut there can lose, and whether its crash states kept the
// invariants. Stored in the batch that checks the class's new states.
struct LossClassRow {
    uint64_t first_boundary { 0 };
    uint64_t boundaries { 0 };
    uint64_t transactions { 0 }; // committed and not acknowledged durable
    uint64_t operations { 0 }; // their puts and deletes
    uint64_t bytes { 0 }; // their keys and values
    // At first_boundary; one more at each later boundary of the class. The durable point is
    // the last op-durable marker; before the first, the `ready` stage; before ready, none (0).
    uint64_t instructions_since_durable { 0 };
    uint64_t states { 0 }; // crash states the policy allows here (with repeats of earlier ones)
    std::vector<check::Invariant> invariants; // violated by any of them, also by states seen earlier
    // The protocol step a cut here falls in (cut_phase_name; docs/campaign.md, "Situations");
    // empty in a database written before phases were recorded.
    std::string phase;
};

class ResultsDb {
public:
    // Opens or creates the database. Errors: Io (the text of last_error() says why).
    static ErrorOr<ResultsDb> open(const std::string& path);
    // Opens a database that already holds a campaign (merge reads shards this way). A missing
    // file, or a missing table of the first version of the format, is an error (Io) when read,
    // never an empty result; only tables added since (loss_classes) are created, empty.
    static ErrorOr<ResultsDb> open_existing(const std::string& path);
    ResultsDb(ResultsDb&& other);
    ResultsDb& operator=(ResultsDb&&) = delete;
    ~ResultsDb();

    // The campaign's identity (arguments, hashes); empty for a new database.
    ErrorOr<std::map<std::string, std::string>> identity();
    ErrorOr<void> set_identity(const std::map<std::string, std::string>& identity);

    // The progress of walk `name` ("main" for the traced run; one per recovery at depth 2).
    ErrorOr<WalkProgress> progress(const std::string& name);
    // One batch of walk `name`: states, their violations and the progress, atomically.
    ErrorOr<void> commit_batch(const std::string& name, const std::vector<StateRow>& states,
        const std::vector<ViolationRow>& violations, const WalkProgress& progress,
        const std::vector<LossClassRow>& classes = {});
    // The main walk's boundary classes, in boundary order (empty for a database written before
    // they were recorded).
    ErrorOr<std::vector<LossClassRow>> loss_classes();

    // The run's situations (the `situations` table): what the traced run did to the ring.
    // Written by the loss pass, replaced when it runs again; nothing for a database written
    // before they were recorded.
    ErrorOr<void> set_situations(const RunSituations& situations);
    ErrorOr<std::optional<RunSituations>> situations();

    ErrorOr<std::vector<uint64_t>> state_hashes(int depth);
    ErrorOr<std::vector<StateRow>> states(int depth);
    ErrorOr<std::vector<ViolationRow>> violations();

    ErrorOr<std::vector<RebootRow>> reboots();
    ErrorOr<void> add_reboot(const RebootRow& row, const std::vector<ViolationRow>& violations);

    const std::string& last_error() const { return m_last_error; }

private:
    explicit ResultsDb(sqlite3* db)
        : m_db(db)
    {
    }
    ErrorOr<void> exec(const char* sql);
    ErrorOr<void> upgrade();
    ErrorOr<void> insert_states(const std::vector<StateRow>& states);
    ErrorOr<void> insert_violations(const std::vector<ViolationRow>& violations);
    ErrorOr<void> insert_loss_classes(const std::vector<LossClassRow>& classes);
    Error failure(const char* what);

    sqlite3* m_db { nullptr };
    std::string m_last_error;
};

} // namespace ferros::campaign
