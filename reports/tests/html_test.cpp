#include <ferros/reports/html.h>
#include <ferros/reports/page.h>
#include <gtest/gtest.h>

using namespace ferros::reports;

TEST(Html, EscapesTextAndAttributes)
{
    EXPECT_EQ(escape_html(R"(<a href="x">&'</a>)"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
    auto p = Node::element("p");
    p.attr("title", "a \"quoted\" <b>").add_text("1 < 2 && 3 > 2");
    EXPECT_EQ(p.render(), R"(<p title="a &quot;quoted&quot; &lt;b&gt;">1 &lt; 2 &amp;&amp; 3 &gt; 2</p>)");
}

TEST(Html, MarkupInDataNeverBecomesMarkup)
{
    // A violation message or a path from a results database is data: it must not open a tag.
    auto td = Node::element("td");
    td.add_text("</td><script>alert(1)</script>");
    auto html = td.render();
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("</td>"), html.size() - 5);
}

TEST(Html, VoidElementsHaveNoClosingTagOthersDo)
{
    auto head = Node::element("head");
    head.child("meta").attr("charset", "utf-8");
    head.child("circle");
    EXPECT_EQ(head.render(), R"(<head><meta charset="utf-8"><circle></circle></head>)");
}

TEST(Html, PageIsSelfContained)
{
    Page page("Title & more", "sub <title>");
    page.headlines({ { "/x", "label", "42", "note" } });
    page.section("s", "Section");
    page.paragraph("text");
    page.table({ "t", { "a", "b" }, { Align::Left, Align::Right }, { { "1", "2" } } });
    auto html = page.render();
    EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
    EXPECT_NE(html.find("<title>Title &amp; more</title>"), std::string::npos);
    EXPECT_NE(html.find("sub &lt;title&gt;"), std::string::npos);
    // Nothing may load from anywhere: a policy forbids it, and nothing refers outside.
    EXPECT_NE(html.find("default-src &#39;none&#39;"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg")); // only SVG's namespace, if any
    EXPECT_EQ(html.find("https://"), std::string::npos);
    EXPECT_EQ(html.find("<link"), std::string::npos);
    // The style sheet is not escaped (its quotes must reach the CSS parser).
    EXPECT_NE(html.find("\"DejaVu Sans\""), std::string::npos);
    EXPECT_NE(html.find(R"(<dd data-headline="/x"><span class="value">42</span>)"), std::string::npos);
    EXPECT_NE(html.find(R"(<td class="num">2</td>)"), std::string::npos);
    EXPECT_NE(html.find(R"(name="viewport")"), std::string::npos);
}
