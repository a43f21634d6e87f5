#include <ferros/campaign/results_db.h>
#include <ferros/campaign/sqlite_statement.h>
#include <sqlite3.h>

namespace ferros::campaign {

namespace {

    constexpr const char* kSchema = R"sql(
PRAGMA journal_mode=WAL;
PRAGMA synchronous=NORMAL;
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS progress(name TEXT PRIMARY KEY,
    next_boundary INTEGER NOT NULL, class_index INTEGER NOT NULL, boundaries INTEGER NOT NULL, classes INTEGER NOT NULL,
    states INTEGER NOT NULL, distinct_states INTEGER NOT NULL, checked INTEGER NOT NULL, done INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS states(hash INTEGER NOT NULL, depth INTEGER NOT NULL, boundary INTEGER NOT NULL,
    state INTEGER NOT NULL, invariants TEXT NOT NULL, PRIMARY KEY (hash, depth));
CREATE TABLE IF NOT EXISTS violations(id INTEGER PRIMARY KEY, invariant TEXT NOT NULL, boundary INTEGER NOT NULL,
    state INTEGER NOT NULL, depth INTEGER NOT NULL, checker TEXT NOT NULL, token TEXT NOT NULL, message TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reboots(hash INTEGER PRIMARY KEY, boundary INTEGER NOT NULL, state INTEGER NOT NULL,
    outcome TEXT NOT NULL, ready_instructions INTEGER NOT NULL, host_passed INTEGER NOT NULL,
    reboot_passed INTEGER NOT NULL);
)sql";

    // Tables added after the first version of the format: a database written before them has
    // none, which reads as empty (open_existing creates them too).
    constexpr const char* kAddedTables = R"sql(
CREATE TABLE IF NOT EXISTS loss_classes(first_boundary INTEGER PRIMARY KEY, boundaries INTEGER NOT NULL,
    transactions INTEGER NOT NULL, operations INTEGER NOT NULL, bytes INTEGER NOT NULL,
    instructions_since_durable INTEGER NOT NULL, states INTEGER NOT NULL, invariants TEXT NOT NULL,
    phase TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS situations(name TEXT PRIMARY KEY, value INTEGER NOT NULL);
)sql";

} // namespace

const char* checker_name(Checker checker) { return checker == Checker::Host ? "host" : "reboot"; }

Error ResultsDb::failure(const char* what)
{
    m_last_error = std::string(what) + ": " + (m_db ? sqlite3_errmsg(m_db) : "no database");
    return Error(ErrorCode::Io, "results database");
}

ErrorOr<ResultsDb> ResultsDb::open(const std::string& path)
{
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        return Error(ErrorCode::Io, "cannot open the results database");
    }
    ResultsDb results(db);
    sqlite3_busy_timeout(db, 5000);
    TRY(results.exec(kSchema));
    TRY(results.exec(kAddedTables));
    TRY(results.upgrade());
    return results;
}

ErrorOr<ResultsDb> ResultsDb::open_existing(const std::string& path)
{
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        return Error(ErrorCode::Io, "cannot open the results database");
    }
    ResultsDb results(db);
    sqlite3_busy_timeout(db, 5000);
    TRY(results.exec(kAddedTables));
    TRY(results.upgrade());
    return results;
}

ResultsDb::ResultsDb(ResultsDb&& other)
    : m_db(other.m_db)
    , m_last_error(std::move(other.m_last_error))
{
    other.m_db = nullptr;
}

ResultsDb::~ResultsDb()
{
    if (m_db)
        sqlite3_close(m_db);
}

ErrorOr<void> ResultsDb::exec(const char* sql)
{
    char* message = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        m_last_error = message ? message : "sqlite error";
        sqlite3_free(message);
        return Error(ErrorCode::Io, "results database");
    }
    return {};
}

ErrorOr<void> ResultsDb::upgrade()
{
    // Columns added to a table after it was first written: a database from before gets them
    // with their default (CREATE TABLE IF NOT EXISTS leaves an existing table as it was).
    Statement s(m_db, "SELECT 1 FROM pragma_table_info('loss_classes') WHERE name = 'phase'");
    if (!s.ok())
        return failure("reading the schema");
    if (sqlite3_step(s.get()) == SQLITE_ROW)
        return {};
    return exec("ALTER TABLE loss_classes ADD COLUMN phase TEXT NOT NULL DEFAULT ''");
}

ErrorOr<std::map<std::string, std::string>> ResultsDb::identity()
{
    std::map<std::string, std::string> out;
    if (!campaign::read_identity(m_db, out))
        return failure("reading identity");
    return out;
}

ErrorOr<void> ResultsDb::set_identity(const std::map<std::string, std::string>& identity)
{
    if (!campaign::write_identity(m_db, identity))
        return failure("writing identity");
    return {};
}

ErrorOr<WalkProgress> ResultsDb::progress(const std::string& name)
{
    Statement s(m_db,
        "SELECT next_boundary, boundaries, classes, states, distinct_states, checked, done, class_index FROM progress "
        "WHERE name = ?");
    if (!s.ok())
        return failure("reading progress");
    s.bind(1, name);
    WalkProgress p;
    if (sqlite3_step(s.get()) == SQLITE_ROW) {
        p.next_boundary = s.u64(0);
        p.boundaries = s.u64(1);
        p.classes = s.u64(2);
        p.states = s.u64(3);
        p.distinct = s.u64(4);
        p.checked = s.u64(5);
        p.done = s.u64(6) != 0;
        p.class_index = s.u64(7);
    }
    return p;
}

ErrorOr<void> ResultsDb::insert_states(const std::vector<StateRow>& states)
{
    for (auto const& row : states) {
        Statement s(m_db, "INSERT OR IGNORE INTO states(hash, depth, boundary, state, invariants) VALUES (?,?,?,?,?)");
        s.bind(1, row.hash);
        s.bind(2, static_cast<uint64_t>(row.depth));
        s.bind(3, row.boundary);
        s.bind(4, row.state);
        s.bind(5, check::join_ids(row.invariants));
        if (!s.ok() || sqlite3_step(s.get()) != SQLITE_DONE)
            return failure("writing a state");
    }
    return {};
}

ErrorOr<void> ResultsDb::insert_violations(const std::vector<ViolationRow>& violations)
{
    for (auto const& v : violations) {
        Statement s(m_db,
            "INSERT INTO violations(invariant, boundary, state, depth, checker, token, message) "
            "VALUES (?,?,?,?,?,?,?)");
        s.bind(1, std::string(check::invariant_id(v.invariant)));
        s.bind(2, v.boundary);
        s.bind(3, v.state);
        s.bind(4, static_cast<uint64_t>(v.depth));
        s.bind(5, std::string(checker_name(v.checker)));
        s.bind(6, v.token);
        s.bind(7, v.message);
        if (!s.ok() || sqlite3_step(s.get()) != SQLITE_DONE)
            return failure("writing a violation");
    }
    return {};
}

ErrorOr<void> ResultsDb::insert_loss_classes(const std::vector<LossClassRow>& classes)
{
    for (auto const& c : classes) {
        Statement s(m_db,
            "INSERT OR REPLACE INTO loss_classes(first_boundary, boundaries, transactions, operations, bytes, "
            "instructions_since_durable, states, invariants, phase) VALUES (?,?,?,?,?,?,?,?,?)");
        s.bind(1, c.first_boundary);
        s.bind(2, c.boundaries);
        s.bind(3, c.transactions);
        s.bind(4, c.operations);
        s.bind(5, c.bytes);
        s.bind(6, c.instructions_since_durable);
        s.bind(7, c.states);
        s.bind(8, check::join_ids(c.invariants));
        s.bind(9, c.phase);
        if (!s.ok() || sqlite3_step(s.get()) != SQLITE_DONE)
            return failure("writing a boundary class");
    }
    return {};
}

ErrorOr<std::vector<LossClassRow>> ResultsDb::loss_classes()
{
    Statement s(m_db,
        "SELECT first_boundary, boundaries, transactions, operations, bytes, instructions_since_durable, states, "
        "invariants, phase FROM loss_classes ORDER BY first_boundary");
    if (!s.ok())
        return failure("reading boundary classes");
    std::vector<LossClassRow> out;
    while (sqlite3_step(s.get()) == SQLITE_ROW) {
        auto invariants = check::split_ids(s.text(7));
        if (invariants.is_error())
            return failure("a boundary class names an unknown invariant");
        out.push_back(LossClassRow { s.u64(0), s.u64(1), s.u64(2), s.u64(3), s.u64(4), s.u64(5), s.u64(6),
            invariants.release_value(), s.text(8) });
    }
    return out;
}

ErrorOr<void> ResultsDb::set_situations(const RunSituations& situations)
{
    TRY(exec("BEGIN IMMEDIATE"));
    for (auto const& [name, value] : situations.fields()) {
        Statement s(m_db, "INSERT OR REPLACE INTO situations(name, value) VALUES (?, ?)");
        s.bind(1, name);
        s.bind(2, value);
        if (!s.ok() || sqlite3_step(s.get()) != SQLITE_DONE) {
            (void)exec("ROLLBACK");
            return failure("writing situations");
        }
    }
    return exec("COMMIT");
}

ErrorOr<std::optional<RunSituations>> ResultsDb::situations()
{
    Statement s(m_db, "SELECT name, value FROM situations ORDER BY name");
    if (!s.ok())
        return failure("reading situations");
    std::vector<std::pair<std::string, uint64_t>> fields;
    while (sqlite3_step(s.get()) == SQLITE_ROW)
        fields.emplace_back(s.text(0), s.u64(1));
    if (fields.empty())
        return std::optional<RunSituations>();
    auto parsed = RunSituations::from_fields(fields);
    if (parsed.is_error()) {
        m_last_error = "the situations table does not hold this build's counters";
        return Error(ErrorCode::Io, "results database");
    }
    return std::optional<RunSituations>(parsed.release_value());
}

ErrorOr<void> ResultsDb::commit_batch(const std::string& name, const std::vector<StateRow>& states,
    const std::vector<ViolationRow>& violations, const WalkProgress& p, const std::vector<LossClassRow>& classes)
{
    TRY(exec("BEGIN IMMEDIATE"));
    auto body = [&]() -> ErrorOr<void> {
        TRY(insert_states(states));
        TRY(insert_violations(violations));
        TRY(insert_loss_classes(classes));
        Statement s(m_db,
            "INSERT OR REPLACE INTO progress(name, next_boundary, boundaries, classes, states, distinct_states, "
            "checked, "
            "done, class_index) VALUES (?,?,?,?,?,?,?,?,?)");
        s.bind(1, name);
        s.bind(2, p.next_boundary);
        s.bind(3, p.boundaries);
        s.bind(4, p.classes);
        s.bind(5, p.states);
        s.bind(6, p.distinct);
        s.bind(7, p.checked);
        s.bind(8, static_cast<uint64_t>(p.done));
        s.bind(9, p.class_index);
        if (!s.ok() || sqlite3_step(s.get()) != SQLITE_DONE)
            return failure("writing progress");
        return {};
    }();
    if (body.is_error()) {
        (void)exec("ROLLBACK");
        return body;
    }
    return exec("COMMIT");
}

ErrorOr<std::vector<uint64_t>> ResultsDb::state_hashes(int depth)
{
    Statement s(m_db, "SELECT hash FROM states WHERE depth = ? ORDER BY boundary, state");
    if (!s.ok())
        return failure("reading states");
    s.bind(1, static_cast<uint64_t>(depth));
    std::vector<uint64_t> out;
    while (sqlite3_step(s.get()) == SQLITE_ROW)
        out.push_back(s.u64(0));
    return out;
}

ErrorOr<std::vector<StateRow>> ResultsDb::states(int depth)
{
    Statement s(m_db, "SELECT hash, boundary, state, invariants FROM states WHERE depth = ? ORDER BY boundary, state");
    if (!s.ok())
        return failure("reading states");
    s.bind(1, static_cast<uint64_t>(depth));
    std::vector<StateRow> out;
    while (sqlite3_step(s.get()) == SQLITE_ROW) {
        auto invariants = check::split_ids(s.text(3));
        if (invariants.is_error())
            return failure("a state names an unknown invariant");
        out.push_back(StateRow { s.u64(0), s.u64(1), s.u64(2), depth, invariants.release_value() });
    }
    return out;
}

ErrorOr<std::vector<ViolationRow>> ResultsDb::violations()
{
    Statement s(m_db,
        "SELECT invariant, boundary, state, depth, checker, token, message FROM violations "
        "ORDER BY depth, boundary, state, invariant, checker");
    if (!s.ok())
        return failure("reading violations");
    std::vector<ViolationRow> out;
    while (sqlite3_step(s.get()) == SQLITE_ROW) {
        auto invariant = check::invariant_from_id(s.text(0));
        auto checker = s.text(4);
        if (invariant.is_error() || (checker != "host" && checker != "reboot"))
            return failure("a violation names an unknown invariant or checker");
        out.push_back(ViolationRow { invariant.value(), s.u64(1), s.u64(2), static_cast<int>(s.u64(3)),
            checker == "host" ? Checker::Host : Checker::Reboot, s.text(5), s.text(6) });
    }
    return out;
}

ErrorOr<std::vector<RebootRow>> ResultsDb::reboots()
{
    Statement s(m_db,
        "SELECT hash, boundary, state, outcome, ready_instructions, host_passed, reboot_passed "
        "FROM reboots ORDER BY boundary, state");
    if (!s.ok())
        return failure("reading reboots");
    std::vector<RebootRow> out;
    while (sqlite3_step(s.get()) == SQLITE_ROW)
        out.push_back(RebootRow { s.u64(0), s.u64(1), s.u64(2), s.text(3), s.u64(4), s.u64(5) != 0, s.u64(6) != 0 });
    return out;
}

ErrorOr<void> ResultsDb::add_reboot(const RebootRow& row, const std::vector<ViolationRow>& violations)
{
    TRY(exec("BEGIN IMMEDIATE"));
    auto body = [&]() -> ErrorOr<void> {
        Statement s(m_db,
            "INSERT OR REPLACE INTO reboots(hash, boundary, state, outcome, ready_instructions, "
            "host_passed, reboot_passed) VALUES (?,?,?,?,?,?,?)");
        s.bind(1, row.hash);
        s.bind(2, row.boundary);
        s.bind(3, row.state);
        s.bind(4, row.outcome);
        s.bind(5, row.ready_instructions);
        s.bind(6, static_cast<uint64_t>(row.host_passed));
        s.bind(7, static_cast<uint64_t>(row.reboot_passed));
        if (!s.ok() || sqlite3_step(s.get()) != SQLITE_DONE)
            return failure("writing a reboot");
        return insert_violations(violations);
    }();
    if (body.is_error()) {
        (void)exec("ROLLBACK");
        return body;
    }
    return exec("COMMIT");
}

} // namespace ferros::campaign
