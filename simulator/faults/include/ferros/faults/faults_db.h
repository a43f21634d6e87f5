#pragma once
// `ferros faults` results in SQLite (docs/cli.md has the schema), written as the power-cut
// campaign's are (simulator/campaign/results_db.h): WAL journal, synchronous=NORMAL, and one
// transaction per injection run, so a campaign killed at any point (kill -9 included) resumes
// after its last recorded run and never counts one twice.

#include <cstdint>
#include <ferros/base/error_or.h>
#include <ferros/faults/injection_run.h>
#include <map>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace ferros::faults {

struct InjectionRow {
    InjectionPoint point;
    InjectionVerdict verdict;
    std::string token; // the repro token (every run has one; failures are the ones to replay)
};

// The fault-free run.
struct Baseline {
    uint64_t store_instructions { 0 }; // the store server's user instructions (T)
    uint64_t client_view { 0 }; // InjectionVerdict::client_view
    std::vector<check::Invariant> violations; // its own R1-R6 violations (a seeded bug)
    uint64_t guest_instructions { 0 }; // its length: injection runs get 4 times as many
};

class FaultsDb {
public:
    // Opens or creates the database. Errors: Io.
    static ErrorOr<FaultsDb> open(const std::string& path);
    FaultsDb(FaultsDb&& other);
    FaultsDb& operator=(FaultsDb&&) = delete;
    ~FaultsDb();

    // The campaign's identity (arguments, hashes); empty for a new database.
    ErrorOr<std::map<std::string, std::string>> identity();
    ErrorOr<void> set_identity(const std::map<std::string, std::string>& identity);
    // The fault-free run, once it has been recorded.
    ErrorOr<std::optional<Baseline>> baseline();
    ErrorOr<void> set_baseline(const Baseline& baseline);
    // One injection's row, atomically. A point already recorded is an error (Mismatch).
    ErrorOr<void> add(const InjectionRow& row);
    // Every recorded run, in (at, kind) order.
    ErrorOr<std::vector<InjectionRow>> rows();

private:
    explicit FaultsDb(sqlite3* db)
        : m_db(db)
    {
    }
    ErrorOr<void> exec(const char* sql);
    Error failure(const char* what);
    sqlite3* m_db { nullptr };
};

} // namespace ferros::faults
