#include <algorithm>
#include <ferros/reports/page.h>

namespace ferros::reports {

namespace {

    constexpr const char* kStyle = R"css(
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  margin: 0 auto; padding: 16px; max-width: 1100px; color: #1d2430; background: #fff; }
h1 { font-size: 1.6em; margin: 0.2em 0; }
h2 { font-size: 1.25em; margin: 1.6em 0 0.5em; border-bottom: 1px solid #d8dde6; padding-bottom: 0.2em; }
p.subtitle { color: #4a5568; margin-top: 0; overflow-wrap: anywhere; }
dl.headlines { display: grid; grid-template-columns: repeat(auto-fit, minmax(210px, 1fr)); gap: 10px; margin: 1em 0; }
dl.headlines > div { border: 1px solid #d8dde6; border-radius: 6px; padding: 8px 12px; background: #f7f9fc; }
dl.headlines dt { font-size: 0.85em; color: #4a5568; }
dl.headlines dd { margin: 2px 0 0; font-size: 1.45em; font-weight: 600; font-variant-numeric: tabular-nums; }
dl.headlines dd small { display: block; font-size: 0.55em; font-weight: 400; color: #4a5568; }
.table-wrap { overflow-x: auto; margin: 0.5em 0 1em; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 10px; border-bottom: 1px solid #e3e7ee; text-align: left; vertical-align: top; }
th { background: #f0f3f8; }
td.num, th.num { text-align: right; white-space: nowrap; }
pre { background: #f4f6fa; padding: 8px 10px; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
.chart-wrap { overflow-x: auto; }
svg.chart { width: 100%; height: auto; min-width: 560px; max-width: 900px; display: block; margin: 0.5em 0 1.2em; }
svg.chart text { font: 12px system-ui, "DejaVu Sans", sans-serif; fill: #1d2430; }
svg.chart .chart-title { font-weight: 600; font-size: 13px; }
svg.chart .grid { stroke: #e3e7ee; stroke-width: 1; }
svg.chart .axis { stroke: #6b7280; stroke-width: 1; }
svg.chart .tick { fill: #4a5568; font-size: 11px; }
svg.chart .trace { stroke-width: 1.5; }
svg.chart .empty { fill: #6b7280; }
svg.chart text.inside { fill: #fff; }
.ok { color: #1f7a3a; } .bad { color: #b42318; }
)css";

    // Nothing may load: not a script, a font, an image or a stylesheet from anywhere. Inline
    // styles are the page's own.
    constexpr const char* kPolicy = "default-src 'none'; style-src 'unsafe-inline'";

} // namespace

Page::Page(std::string title, std::string subtitle)
    : m_title(std::move(title))
    , m_body(Node::element("body"))
{
    m_body.child("h1").add_text(m_title);
    m_body.child("p").attr("class", "subtitle").add_text(std::move(subtitle));
}

void Page::headlines(const std::vector<Headline>& figures)
{
    auto& list = m_body.child("dl");
    list.attr("class", "headlines");
    for (auto const& f : figures) {
        auto& item = list.child("div");
        item.child("dt").add_text(f.label);
        auto& value = item.child("dd");
        value.attr("data-headline", f.key);
        value.child("span").attr("class", "value").add_text(f.value);
        if (!f.note.empty())
            value.child("small").add_text(f.note);
    }
}

Node& Page::section(const std::string& id, const std::string& heading)
{
    auto& s = m_body.child("section");
    s.attr("id", id);
    s.child("h2").add_text(heading);
    return s;
}

Node& Page::current()
{
    auto* last = m_body.last_child();
    return last && last->tag() == "section" ? *last : m_body;
}

Node& Page::paragraph(const std::string& text)
{
    auto& p = current().child("p");
    p.add_text(text);
    return p;
}

Node& Page::add(Node node)
{
    if (node.tag() != "svg")
        return current().add(std::move(node));
    // A chart keeps a readable size in a narrow window and scrolls sideways instead of
    // shrinking its text below legibility.
    auto& wrap = current().child("div");
    wrap.attr("class", "chart-wrap");
    return wrap.add(std::move(node));
}

Node& Page::table(const Table& t)
{
    auto& wrap = current().child("div");
    wrap.attr("class", "table-wrap");
    auto& table = wrap.child("table");
    if (!t.id.empty())
        table.attr("id", t.id);
    auto cell_class
        = [&](size_t column) { return column < t.align.size() && t.align[column] == Align::Right ? "num" : ""; };
    // A table of name/value pairs needs no header row; an empty one would show as a blank bar.
    bool const has_header = std::any_of(t.headers.begin(), t.headers.end(), [](auto& h) { return !h.empty(); });
    if (has_header) {
        auto& head = table.child("thead").child("tr");
        for (size_t c = 0; c < t.headers.size(); ++c) {
            auto& th = head.child("th");
            th.add_text(t.headers[c]);
            if (*cell_class(c))
                th.attr("class", cell_class(c));
        }
    }
    auto& body = table.child("tbody");
    for (auto const& row : t.rows) {
        auto& tr = body.child("tr");
        for (size_t c = 0; c < row.size(); ++c) {
            auto& td = tr.child("td");
            td.add_text(row[c]);
            if (*cell_class(c))
                td.attr("class", cell_class(c));
        }
    }
    return table;
}

Node& Page::code(const std::string& text)
{
    auto& pre = current().child("pre");
    pre.add_text(text);
    return pre;
}

std::string Page::render() const
{
    auto html = Node::element("html");
    html.attr("lang", "en");
    auto& head = html.child("head");
    head.child("meta").attr("charset", "utf-8");
    head.child("meta").attr("http-equiv", "Content-Security-Policy").attr("content", kPolicy);
    head.child("meta").attr("name", "viewport").attr("content", "width=device-width, initial-scale=1");
    head.child("title").add_text(m_title);
    head.child("style").add(Node::raw(kStyle));
    html.add(m_body);
    std::string out = "<!DOCTYPE html>\n";
    html.render(out);
    out += '\n';
    return out;
}

} // namespace ferros::reports
