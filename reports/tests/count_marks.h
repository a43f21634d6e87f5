#pragma once
// Counting what a rendered page holds, for tests: the marks of the <svg> with a given id (every
// element whose class is "mark"), and the text a headline shows. A plain scan of the markup:
// our own writer produces it, and the browser test runs the same scan on Chromium's DOM.

#include <string>

namespace ferros::reports::testing {

// Marks inside <svg ... id="ID" ...> ... </svg>; -1 when there is no such chart.
inline long count_marks(const std::string& html, const std::string& id)
{
    auto open = html.find("id=\"" + id + "\"");
    if (open == std::string::npos)
        return -1;
    auto start = html.rfind("<svg", open);
    auto end = html.find("</svg>", open);
    if (start == std::string::npos || end == std::string::npos)
        return -1;
    long n = 0;
    for (auto at = html.find("class=\"mark\"", start); at != std::string::npos && at < end;
         at = html.find("class=\"mark\"", at + 1))
        ++n;
    return n;
}

// The text of <dd data-headline="KEY"><span class="value">TEXT</span>.
inline std::string headline(const std::string& html, const std::string& key)
{
    auto at = html.find("data-headline=\"" + key + "\"");
    if (at == std::string::npos)
        return {};
    auto value = html.find("<span class=\"value\">", at);
    if (value == std::string::npos)
        return {};
    value += 20;
    return html.substr(value, html.find('<', value) - value);
}

// The number a headline shows: digits, a decimal point and a sign; separators and units
// (a narrow no-break space, "%") dropped.
inline double headline_number(const std::string& text)
{
    std::string digits;
    for (char c : text) {
        if ((c >= '0' && c <= '9') || c == '.' || c == '-')
            digits += c;
    }
    return digits.empty() ? -1 : std::stod(digits);
}

} // namespace ferros::reports::testing
