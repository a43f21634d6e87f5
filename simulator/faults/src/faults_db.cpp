#include <ferros/campaign/sqlite_statement.h>
#include <ferros/faults/faults_db.h>
#include <sqlite3.h>

namespace ferros::faults {

namespace {

    using campaign::Statement;

    constexpr const char* kSchema = R"sql(
PRAGMA journal_mode=WAL;
PRAGMA synchronous=NORMAL;
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS baseline(id INTEGER PRIMARY KEY CHECK (id = 0), store_instructions INTEGER NOT NULL,
    client_view INTEGER NOT NULL, violations TEXT NOT NULL, guest_instructions INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS injections(at INTEGER NOT NULL, kind TEXT NOT NULL, arg INTEGER NOT NULL,
    outcome TEXT NOT NULL, ended INTEGER NOT NULL, fired INTEGER NOT NULL, activated INTEGER NOT NULL, kernel_survived INTEGER NOT NULL,
    restarts INTEGER NOT NULL, gave_up INTEGER NOT NULL, server_crashed INTEGER NOT NULL, failed_ops INTEGER NOT NULL,
    violations TEXT NOT NULL, message TEXT NOT NULL, token TEXT NOT NULL, gets_answered INTEGER NOT NULL,
    wrong_answers INTEGER NOT NULL, PRIMARY KEY (at, kind));
)sql";

} // namespace

Error FaultsDb::failure(const char*) { return Error(ErrorCode::Io, m_db ? sqlite3_errmsg(m_db) : "no database"); }

ErrorOr<FaultsDb> FaultsDb::open(const std::string& path)
{
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        return Error(ErrorCode::Io, "cannot open the results database");
    }
    FaultsDb results(db);
    sqlite3_busy_timeout(db, 5000);
    TRY(results.exec(kSchema));
    return results;
}

FaultsDb::FaultsDb(FaultsDb&& other)
    : m_db(other.m_db)
{
    other.m_db = nullptr;
}

FaultsDb::~FaultsDb()
{
    if (m_db)
        sqlite3_close(m_db);
}

ErrorOr<void> FaultsDb::exec(const char* sql)
{
    char* message = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        sqlite3_free(message);
        return failure(sql);
    }
    return {};
}

ErrorOr<std::map<std::string, std::string>> FaultsDb::identity()
{
    std::map<std::string, std::string> out;
    if (!campaign::read_identity(m_db, out))
        return failure("reading identity");
    return out;
}

ErrorOr<void> FaultsDb::set_identity(const std::map<std::string, std::string>& identity)
{
    if (!campaign::write_identity(m_db, identity))
        return failure("writing identity");
    return {};
}

ErrorOr<std::optional<Baseline>> FaultsDb::baseline()
{
    Statement s(
        m_db, "SELECT store_instructions, client_view, violations, guest_instructions FROM baseline WHERE id = 0");
    if (!s.ok())
        return failure("reading the baseline");
    if (sqlite3_step(s.get()) != SQLITE_ROW)
        return std::optional<Baseline>();
    return std::optional(Baseline { s.u64(0), s.u64(1), TRY(check::split_ids(s.text(2))), s.u64(3) });
}

ErrorOr<void> FaultsDb::set_baseline(const Baseline& baseline)
{
    Statement s(m_db,
        "INSERT OR REPLACE INTO baseline(id, store_instructions, client_view, violations, guest_instructions) "
        "VALUES (0, ?, ?, ?, ?)");
    s.bind(1, baseline.store_instructions);
    s.bind(2, baseline.client_view);
    s.bind(3, check::join_ids(baseline.violations));
    s.bind(4, baseline.guest_instructions);
    if (!s.ok() || sqlite3_step(s.get()) != SQLITE_DONE)
        return failure("writing the baseline");
    return {};
}

ErrorOr<void> FaultsDb::add(const InjectionRow& row)
{
    Statement s(m_db,
        "INSERT INTO injections(at, kind, arg, outcome, fired, activated, kernel_survived, restarts, gave_up, "
        "server_crashed, failed_ops, violations, message, token, ended, gets_answered, wrong_answers) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    auto const& v = row.verdict;
    s.bind(1, row.point.at);
    s.bind(2, std::string(fault_kind_name(row.point.kind)));
    s.bind(3, row.point.arg);
    s.bind(4, v.outcome);
    s.bind(5, uint64_t { v.fired });
    s.bind(6, uint64_t { v.activated });
    s.bind(7, uint64_t { v.kernel_survived });
    s.bind(8, uint64_t { v.restarts });
    s.bind(9, uint64_t { v.gave_up });
    s.bind(10, uint64_t { v.server_crashed });
    s.bind(11, uint64_t { v.failed_ops });
    s.bind(12, check::join_ids(v.violations));
    s.bind(13, v.message);
    s.bind(14, row.token);
    s.bind(15, uint64_t { v.ended });
    s.bind(16, uint64_t { v.gets_answered });
    s.bind(17, uint64_t { v.wrong_answers });
    if (!s.ok())
        return failure("recording an injection");
    int const status = sqlite3_step(s.get());
    if (status == SQLITE_CONSTRAINT)
        return Error(ErrorCode::Mismatch, "the injection point is recorded already");
    if (status != SQLITE_DONE)
        return failure("recording an injection");
    return {};
}

ErrorOr<std::vector<InjectionRow>> FaultsDb::rows()
{
    Statement s(m_db,
        "SELECT at, kind, arg, outcome, fired, activated, kernel_survived, restarts, gave_up, server_crashed, "
        "failed_ops, violations, message, token, ended, gets_answered, wrong_answers FROM injections ORDER BY at, "
        "kind");
    if (!s.ok())
        return failure("reading injections");
    std::vector<InjectionRow> out;
    while (sqlite3_step(s.get()) == SQLITE_ROW) {
        InjectionRow row;
        row.point.at = s.u64(0);
        row.point.kind = TRY(parse_fault_kind(s.text(1)));
        row.point.arg = s.u64(2);
        auto& v = row.verdict;
        v.outcome = s.text(3);
        v.fired = s.u64(4) != 0;
        v.activated = s.u64(5) != 0;
        v.kernel_survived = s.u64(6) != 0;
        v.restarts = static_cast<uint32_t>(s.u64(7));
        v.gave_up = s.u64(8) != 0;
        v.server_crashed = s.u64(9) != 0;
        v.failed_ops = static_cast<uint32_t>(s.u64(10));
        v.violations = TRY(check::split_ids(s.text(11)));
        v.message = s.text(12);
        row.token = s.text(13);
        v.ended = s.u64(14) != 0;
        v.gets_answered = static_cast<uint32_t>(s.u64(15));
        v.wrong_answers = static_cast<uint32_t>(s.u64(16));
        out.push_back(std::move(row));
    }
    return out;
}

} // namespace ferros::faults
