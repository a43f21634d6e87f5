#pragma once
// A prepared SQLite statement that finalizes itself, and the identity table: what the campaign's
// results database and `ferros faults`' database both use.

#include <cstdint>
#include <map>
#include <sqlite3.h>
#include <string>

namespace ferros::campaign {

class Statement {
public:
    Statement(sqlite3* db, const char* sql) { m_ok = sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr) == SQLITE_OK; }
    ~Statement() { sqlite3_finalize(m_stmt); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    bool ok() const { return m_ok; }
    sqlite3_stmt* get() { return m_stmt; }
    // SQLite stores integers signed; hashes and counters round-trip through the same bits.
    void bind(int i, uint64_t v) { sqlite3_bind_int64(m_stmt, i, static_cast<sqlite3_int64>(v)); }
    void bind(int i, const std::string& v) { sqlite3_bind_text(m_stmt, i, v.c_str(), -1, SQLITE_TRANSIENT); }
    uint64_t u64(int i) { return static_cast<uint64_t>(sqlite3_column_int64(m_stmt, i)); }
    std::string text(int i)
    {
        auto const* t = sqlite3_column_text(m_stmt, i);
        return t ? reinterpret_cast<const char*>(t) : "";
    }

private:
    sqlite3_stmt* m_stmt { nullptr };
    bool m_ok { false };
};

// The identity both databases keep in their `meta(key, value)` table: what makes a rerun the
// same campaign. False on an SQLite error (sqlite3_errmsg says which).
inline bool read_identity(sqlite3* db, std::map<std::string, std::string>& out)
{
    Statement s(db, "SELECT key, value FROM meta ORDER BY key");
    if (!s.ok())
        return false;
    int step;
    while ((step = sqlite3_step(s.get())) == SQLITE_ROW)
        out[s.text(0)] = s.text(1);
    return step == SQLITE_DONE;
}

// Writes every key in one transaction: all of them or, on an error, none.
inline bool write_identity(sqlite3* db, const std::map<std::string, std::string>& identity)
{
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
        return false;
    for (auto const& [key, value] : identity) {
        Statement s(db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)");
        s.bind(1, key);
        s.bind(2, value);
        if (!s.ok() || sqlite3_step(s.get()) != SQLITE_DONE) {
            (void)sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
            return false;
        }
    }
    return sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK;
}

} // namespace ferros::campaign
