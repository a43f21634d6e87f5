#include <cstdio>
#include <ferros/tools/progress.h>
#include <fmt/format.h>
#include <unistd.h>

namespace ferros::tools {

ProgressBar::ProgressBar(std::string label)
    : m_label(std::move(label))
    , m_tty(::isatty(STDERR_FILENO) == 1)
    , m_start(std::chrono::steady_clock::now())
    , m_last_draw(m_start - std::chrono::seconds(1))
{
}

static std::string clock_text(double seconds)
{
    auto s = static_cast<long>(seconds + 0.5);
    return fmt::format("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60);
}

void ProgressBar::update(uint64_t done, uint64_t total, const std::string& detail)
{
    double const fraction = total ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
    auto now = std::chrono::steady_clock::now();
    if (m_tty) {
        if (now - m_last_draw < std::chrono::milliseconds(200) && done < total)
            return;
        m_last_draw = now;
        double elapsed = std::chrono::duration<double>(now - m_start).count();
        std::string eta = fraction > 0.001 ? clock_text(elapsed / fraction - elapsed) : "--:--:--";
        int const width = 30;
        int const filled = static_cast<int>(fraction * width);
        std::fprintf(stderr, "\r%s [%s%s] %5.1f%% %s ETA %s\033[K", m_label.c_str(), std::string(filled, '#').c_str(),
            std::string(width - filled, '.').c_str(), fraction * 100, detail.c_str(), eta.c_str());
        std::fflush(stderr);
        return;
    }
    int const tenth = static_cast<int>(fraction * 10);
    if (tenth != m_last_tenth) {
        m_last_tenth = tenth;
        std::fprintf(stderr, "ferros: %s %d%% %s\n", m_label.c_str(), tenth * 10, detail.c_str());
    }
}

void ProgressBar::finish(const std::string& detail)
{
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    if (m_tty)
        std::fprintf(stderr, "\r\033[K");
    std::fprintf(stderr, "ferros: %s done: %s (%s)\n", m_label.c_str(), detail.c_str(), clock_text(elapsed).c_str());
}

} // namespace ferros::tools
