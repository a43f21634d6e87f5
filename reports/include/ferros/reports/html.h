#pragma once
// A small HTML/SVG document tree. Every piece of text and every attribute value goes through
// escaping when the tree is rendered, so a report can show whatever a results database or a
// console line holds (a message with `<`, a path with `&`) without breaking the page. Tag and
// attribute names come from our own code only, and are checked (VERIFY) to be plain names.

#include <string>
#include <string_view>
#include <vector>

namespace ferros::reports {

// Text for an element's content or an attribute value (double-quoted): & < > " ' escaped.
std::string escape_html(std::string_view text);

class Node {
public:
    static Node element(std::string tag);
    static Node text(std::string text);
    // Text that is not escaped: only our own constants (a style sheet), which must contain no
    // '<' or '&' (VERIFY), since the contents of <style> are not decoded by the parser.
    static Node raw(std::string text);

    // Sets an attribute (appended; names must be unique, which the caller ensures).
    Node& attr(std::string name, std::string value);
    Node& add(Node child);
    Node& add_text(std::string text);
    // Appends a new child element and returns it, for building nested markup in place.
    Node& child(std::string tag);

    const std::string& tag() const { return m_tag; }
    const std::vector<Node>& children() const { return m_children; }
    Node* last_child() { return m_children.empty() ? nullptr : &m_children.back(); }
    // The value of an attribute, or "" (for tests and for builders that look back).
    std::string attribute(std::string_view name) const;

    void render(std::string& out) const;
    std::string render() const;

private:
    Node() = default;
    enum class Kind { Element, Text, Raw };
    Kind m_kind { Kind::Element };
    std::string m_tag; // or the text of a text node
    std::vector<std::pair<std::string, std::string>> m_attributes;
    std::vector<Node> m_children;
};

} // namespace ferros::reports
