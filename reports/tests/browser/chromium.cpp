#include "chromium.h"
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace ferros::reports::testing {

namespace {

    std::string read(const std::filesystem::path& path)
    {
        std::ifstream in(path, std::ios::binary);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }

    std::string shell_quoted(const std::string& s)
    {
        std::string out = "'";
        for (char c : s)
            out += c == '\'' ? std::string("'\\''") : std::string(1, c);
        return out + "'";
    }

    struct Scratch {
        std::filesystem::path dir;
        Scratch()
        {
            static int counter = 0;
            dir = std::filesystem::temp_directory_path()
                / fmt::format("ferros-chromium-{}-{}", static_cast<long>(getpid()), counter++);
            std::filesystem::remove_all(dir);
            std::filesystem::create_directories(dir);
        }
        ~Scratch() { std::filesystem::remove_all(dir); }
    };

    // --no-sandbox: the tests may run as root in a container, where Chromium's sandbox cannot
    // start. Harmless here: the page is our own file and loads nothing.
    int run_chromium(const Scratch& scratch, const std::string& arguments, const std::string& out_file)
    {
        auto command = fmt::format("timeout 90 {} --headless --no-sandbox --disable-gpu --no-first-run "
                                   "--hide-scrollbars --user-data-dir={} --enable-logging=stderr --v=0 {} >{} 2>{}",
            shell_quoted(chromium_path()), shell_quoted((scratch.dir / "profile").string()), arguments,
            shell_quoted((scratch.dir / out_file).string()), shell_quoted((scratch.dir / "log.txt").string()));
        return std::system(command.c_str());
    }

} // namespace

std::string chromium_path()
{
    std::string path = FERROS_CHROMIUM;
    return std::filesystem::exists(path) ? path : std::string();
}

PageLoad load_page(const std::string& html_file)
{
    PageLoad load;
    if (chromium_path().empty())
        return load;
    Scratch scratch;
    auto url = "file://" + std::filesystem::absolute(html_file).string();
    load.ran = run_chromium(scratch, "--dump-dom " + shell_quoted(url), "dom.html") == 0;
    load.dom = read(scratch.dir / "dom.html");
    load.log = read(scratch.dir / "log.txt");
    std::istringstream lines(load.log);
    for (std::string line; std::getline(lines, line);) {
        // Chromium logs what a page writes to its console, and every error it reports there
        // (a blocked load, a script error, a bad attribute), as ":CONSOLE(" or ":CONSOLE:" lines.
        if (line.find(":CONSOLE") != std::string::npos)
            load.console.push_back(line);
    }
    return load;
}

bool screenshot(const std::string& html_file, const std::string& png_file, int width, int height)
{
    if (chromium_path().empty())
        return false;
    Scratch scratch;
    auto url = "file://" + std::filesystem::absolute(html_file).string();
    std::filesystem::remove(png_file);
    auto args = fmt::format("--window-size={},{} --screenshot={} {}", width, height,
        shell_quoted(std::filesystem::absolute(png_file).string()), shell_quoted(url));
    if (run_chromium(scratch, args, "out.txt") != 0)
        return false;
    auto png = read(png_file);
    return png.size() > 8 && png.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0;
}

} // namespace ferros::reports::testing
