#pragma once
// A prepared SQLite statement that finalizes itself: the one the campaign's results database
// and `ferros faults`' database both use.

#include <cstdint>
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

} // namespace ferros::campaign
