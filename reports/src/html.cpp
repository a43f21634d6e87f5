#include <algorithm>
#include <ferros/base/verify.h>
#include <ferros/reports/html.h>

namespace ferros::reports {

namespace {

    bool is_plain_name(std::string_view name)
    {
        return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == ':'
                || c == '_';
        });
    }

    // HTML's void elements have no closing tag; everything else (SVG included) gets one, which
    // both the HTML parser and an SVG viewer accept.
    bool is_void(std::string_view tag)
    {
        for (auto v : { "meta", "br", "hr", "img", "link", "col", "wbr" }) {
            if (tag == v)
                return true;
        }
        return false;
    }

} // namespace

std::string escape_html(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

Node Node::element(std::string tag)
{
    VERIFY(is_plain_name(tag));
    Node n;
    n.m_tag = std::move(tag);
    return n;
}

Node Node::text(std::string text)
{
    Node n;
    n.m_kind = Kind::Text;
    n.m_tag = std::move(text);
    return n;
}

Node Node::raw(std::string text)
{
    VERIFY(text.find_first_of("<&") == std::string::npos);
    Node n;
    n.m_kind = Kind::Raw;
    n.m_tag = std::move(text);
    return n;
}

Node& Node::attr(std::string name, std::string value)
{
    VERIFY(m_kind == Kind::Element && is_plain_name(name));
    m_attributes.emplace_back(std::move(name), std::move(value));
    return *this;
}

Node& Node::add(Node child)
{
    VERIFY(m_kind == Kind::Element && !is_void(m_tag));
    m_children.push_back(std::move(child));
    return *this;
}

Node& Node::add_text(std::string text) { return add(Node::text(std::move(text))); }

Node& Node::child(std::string tag)
{
    add(Node::element(std::move(tag)));
    return m_children.back();
}

std::string Node::attribute(std::string_view name) const
{
    for (auto const& [key, value] : m_attributes) {
        if (key == name)
            return value;
    }
    return {};
}

void Node::render(std::string& out) const
{
    if (m_kind != Kind::Element) {
        out += m_kind == Kind::Text ? escape_html(m_tag) : m_tag;
        return;
    }
    out += '<';
    out += m_tag;
    for (auto const& [key, value] : m_attributes) {
        out += ' ';
        out += key;
        out += "=\"";
        out += escape_html(value);
        out += '"';
    }
    out += '>';
    if (is_void(m_tag))
        return;
    for (auto const& c : m_children)
        c.render(out);
    out += "</";
    out += m_tag;
    out += '>';
}

std::string Node::render() const
{
    std::string out;
    render(out);
    return out;
}

} // namespace ferros::reports
