#pragma once
// One self-contained report page: inline CSS, no scripts, no fonts or images from anywhere
// (a Content-Security-Policy in the page forbids every load, so a stray reference shows up as
// a console error in the browser test instead of a silent network request), selectable text,
// and a layout that reflows in a narrow window (charts scale, wide tables scroll sideways).

#include <ferros/reports/html.h>
#include <string>
#include <vector>

namespace ferros::reports {

struct Headline {
    std::string key; // data-headline attribute, the same name as the JSON field it shows
    std::string label;
    std::string value; // as shown
    std::string note; // one line under the value, may be empty
};

enum class Align { Left, Right };

struct Table {
    std::string id;
    std::vector<std::string> headers;
    std::vector<Align> align; // per column; missing columns are left-aligned
    std::vector<std::vector<std::string>> rows;
};

class Page {
public:
    Page(std::string title, std::string subtitle);

    void headlines(const std::vector<Headline>& figures);
    // A new <section> with a heading; what follows goes into it.
    Node& section(const std::string& id, const std::string& heading);
    Node& paragraph(const std::string& text);
    // Appends a node to the current section (a chart inside a wrapper that scrolls sideways).
    Node& add(Node node);
    Node& table(const Table& table);
    // A block of preformatted text (commands, tokens), selectable as one piece.
    Node& code(const std::string& text);

    std::string render() const;

private:
    Node& current();
    std::string m_title;
    Node m_body;
};

} // namespace ferros::reports
