"""parse_html on small real-looking pages: one rule per test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from searchkit.errors import ArticleParseError
from searchkit.ingest.html import load_html_file, parse_html, require_text
from searchkit.ingest.html_title import strip_site_name

FIXTURES = Path(__file__).parent / "fixtures" / "html"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def page(body: str, head: str = "") -> str:
    story = (
        "<p>The river rose by two metres overnight, flooding the lower town and closing the "
        "main road to the coast for most of the morning.</p>"
        "<p>Volunteers filled sandbags at the fire station, and the mayor asked residents to "
        "stay away from the embankment until the water falls again.</p>"
    )
    return f"<html><head>{head}</head><body>{body}<article>{story}</article></body></html>"


# --- body -----------------------------------------------------------------

def test_body_keeps_story_paragraphs_and_drops_boilerplate():
    article = parse_html(fixture("news_jsonld.html"), url="https://example.com/bridge")
    paragraphs = article.body.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("PORT ELLEN: The harbour bridge reopened")
    assert paragraphs[2].startswith('"It was a long wait')
    for junk in ("cookies", "Share on Facebook", "Related stories", "Ferry fares",
                 "Finally!", "All rights reserved", "Photo: council archive", "By Amina"):
        assert junk not in article.body
    assert article.dateline == "Port Ellen"


def test_body_by_content_scoring_without_article_markup():
    article = parse_html(fixture("blog_meta_only.html"))
    assert article.body.startswith("The broad beans came up")
    assert article.body.count("\n\n") == 2
    assert "tomato tips" not in article.body and "newsletter" not in article.body


def test_itemprop_article_body_is_preferred():
    html = ("<html><body><div class='teaser'><p>A long teaser paragraph about another story "
            "entirely, with commas, clauses, and more words than anyone needs here.</p></div>"
            "<div itemprop='articleBody'><p>This is the real story, told in one paragraph that "
            "is long enough to count as the body of the article.</p></div></body></html>")
    assert parse_html(html).body.startswith("This is the real story")


def test_jsonld_article_body_rescues_a_page_whose_markup_lost_it():
    body = "Officials confirmed the dam is safe. " * 12
    html = ('<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
            f'"articleBody": "{body}"}}</script></head><body><div class="nav">'
            '<a href="/">Home</a></div></body></html>')
    assert parse_html(html).body == body.strip()


def test_jsonld_article_body_with_escaped_markup_is_plain_text():
    body = ("&lt;p&gt;Officials confirmed the dam is safe, &lt;a href=&quot;/dam&quot;&gt;the "
            "report&lt;/a&gt; says.&lt;/p&gt; " * 12)
    html = ('<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
            f'"articleBody": "{body}"}}</script></head><body><div class="nav">'
            '<a href="/">Home</a></div></body></html>')
    text = parse_html(html).body
    assert text.startswith("Officials confirmed the dam is safe, the report says.")
    assert "<" not in text and "&lt;" not in text and "href" not in text


def test_inline_elements_join_without_a_space():
    html = page('<p><span class="dropcap">T</span>he ferry <b>re</b>sumed on Monday, '
                'said the harbour master, after a week of storms along the coast.</p>')
    assert "The ferry resumed on Monday" in parse_html(html).body


def story_with(line: str) -> str:
    story = ("<p>The river rose by two metres overnight, flooding the lower town and closing "
             "the main road to the coast for most of the morning.</p>")
    return parse_html(f"<html><body><article>{story}<p>{line}</p>{story}</article></body></html>").body


@pytest.mark.parametrize("junk", [
    "Advert", "Image 1 of 5", "DON'T MISS", "Tags",
    "Like this story? Share it with a friend!",
    "Protesters have worn masks to protect their identities (Image: GETTY )",
    "The harbour at dawn, before the storm (Photo: Coastal Times)",
])
def test_junk_lines_and_credited_captions_are_dropped(junk):
    body = story_with(junk)
    assert junk not in body and body.startswith("The river rose")


def test_a_story_paragraph_ending_in_parentheses_is_kept():
    text = "The council will vote on the plan next week (the third vote this year)."
    assert text in story_with(text)


def test_page_with_a_title_but_no_text_gives_an_article_with_an_empty_body():
    article = parse_html(b"<html><head><title>Empty</title></head><body> </body></html>",
                         path="empty.html")
    assert (article.title, article.body, article.date) == ("Empty", "", None)
    with pytest.raises(ArticleParseError, match="no article text") as info:
        require_text(article, "empty.html")
    assert info.value.path == "empty.html"


def test_page_with_a_date_but_no_text_or_title_gives_an_article():
    html = ('<html><head><meta property="article:published_time" content="2020-05-04">'
            "</head><body><div> </div></body></html>")
    article = parse_html(html)
    assert (article.title, article.body, article.date) == ("", "", dt.date(2020, 5, 4))
    assert parse_html("<html><body></body></html>", url="https://e.org/2019/03/02/x").date \
        == dt.date(2019, 3, 2)


def test_page_without_text_title_or_date_raises_parse_error():
    with pytest.raises(ArticleParseError, match="no article text") as info:
        parse_html(b"<html><head></head><body> </body></html>", path="empty.html")
    assert info.value.path == "empty.html"
    with pytest.raises(ArticleParseError):
        parse_html("")


def test_require_text_passes_an_article_with_text():
    article = parse_html(page(""))
    assert require_text(article, "x.html") is article


# --- title ----------------------------------------------------------------

@pytest.mark.parametrize("raw, site, expected", [
    ("Senate passes budget | CNN Politics", "CNN", "Senate passes budget"),
    ("Senate passes budget - The Daily Planet", "The Daily Planet", "Senate passes budget"),
    ("BBC News - Senate passes budget", "BBC News", "Senate passes budget"),
    ("Senate passes budget: what it means", "", "Senate passes budget: what it means"),
    ("Senate passes budget | Reuters", "", "Senate passes budget"),
])
def test_site_name_is_stripped(raw, site, expected):
    assert strip_site_name(raw, site) == expected


def test_title_by_agreement_of_og_title_h1_and_title():
    article = parse_html(fixture("time_tag.html"))
    assert article.title == "Festival draws record crowds"
    article = parse_html(fixture("news_jsonld.html"))
    assert article.title == "Harbour bridge reopens after repairs"
    assert article.source == "The Coastal Times"


# --- date -----------------------------------------------------------------

def test_jsonld_date_beats_modified_meta_and_authors_are_read():
    article = parse_html(fixture("news_jsonld.html"))
    assert (article.date, article.date_source) == (dt.date(2021, 9, 12), "json-ld")
    assert article.authors == ("Amina Khan", "Tom Reid")


@pytest.mark.parametrize("meta", [
    '<meta property="article:published_time" content="2020-02-29T23:10:00+01:00">',
    '<meta name="dc.date" content="2020-02-29">',
    '<meta name="DC.date.issued" content="2020-02-29">',
    '<meta name="parsely-pub-date" content="2020-02-29T10:00:00Z">',
    '<meta name="sailthru.date" content="2020-02-29 10:00:00">',
    '<meta itemprop="datePublished" content="2020-02-29">',
    '<meta property="og:published_time" content="1582970000">',
])
def test_meta_date_variants(meta):
    article = parse_html(page("", head=meta))
    assert (article.date, article.date_source) == (dt.date(2020, 2, 29), "meta")


def test_modified_meta_only_when_nothing_else():
    head = '<meta property="article:modified_time" content="2020-03-01T10:00:00Z">'
    assert parse_html(page("", head=head)).date == dt.date(2020, 3, 1)


def test_time_tag_after_headline_not_updated_nor_teaser():
    article = parse_html(fixture("time_tag.html"))
    assert (article.date, article.date_source) == (dt.date(2018, 7, 21), "time-tag")


def test_url_date():
    article = parse_html(page(""), url="https://news.example.org/2017/11/05/river-floods/")
    assert (article.date, article.date_source) == (dt.date(2017, 11, 5), "url")
    assert parse_html(page(""), url="https://x.org/a/20160704-parade.html").date == dt.date(2016, 7, 4)
    assert parse_html(page(""), url="https://x.org/2016/13/40/bad").date is None


@pytest.mark.parametrize("text, expected", [
    ("Veröffentlicht am 3. März 2020", dt.date(2020, 3, 3)),
    ("Publié le 14 juillet 2019", dt.date(2019, 7, 14)),
    ("Publicado el 2 de febrero de 2018", dt.date(2018, 2, 2)),
    ("Published Nov. 19, 2019", dt.date(2019, 11, 19)),
    ("Stand: 05.02.2020", dt.date(2020, 2, 5)),
])
def test_visible_dateline_in_several_languages(text, expected):
    article = parse_html(page(f'<h1>Flood</h1><p class="date">{text}</p>'))
    assert (article.date, article.date_source) == (expected, "text")


def test_german_page_date_and_title():
    article = parse_html(fixture("german_dateline.html"))
    assert article.date == dt.date(2020, 3, 3)
    assert article.title == "Stadtrat beschließt neuen Radweg"
    assert article.body.startswith("Der Stadtrat hat am Dienstagabend")


def test_no_date_at_all():
    article = parse_html(page(""))
    assert article.date is None and article.date_source is None


# --- encodings ------------------------------------------------------------

def test_meta_charset_is_honoured():
    html = page("<h1>Café in München</h1>", head='<meta charset="iso-8859-1">')
    article = parse_html(html.encode("latin-1"))
    assert article.title == "Café in München"
    assert not article.warnings


def test_http_equiv_charset_and_cp1252_quotes():
    html = page("<h1>“Quoted” words – and a dash</h1>",
                head='<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">')
    assert parse_html(html.encode("cp1252")).title == "“Quoted” words – and a dash"


@pytest.mark.parametrize("codec, bom", [("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"),
                                        ("utf-16-be", b"\xfe\xff")])
def test_byte_order_marks(codec, bom):
    html = page("<h1>Zürich façade</h1>", head='<meta charset="iso-8859-1">')
    article = parse_html(bom + html.encode(codec))
    assert article.title == "Zürich façade"


def test_undeclared_bytes_fall_back_to_utf8_then_cp1252():
    html = page("<h1>Naïve résumé</h1>")
    assert parse_html(html.encode("utf-8")).title == "Naïve résumé"
    article = parse_html(html.encode("cp1252"))
    assert article.title == "Naïve résumé"
    assert any("cp1252" in w for w in article.warnings)


# --- robustness -----------------------------------------------------------

def test_deeply_nested_html_does_not_crash():
    depth = 20000
    html = "<html><body>" + "<div>" * depth + page("") + "</div>" * depth + "</body></html>"
    article = parse_html(html)
    assert article.body.startswith("The river rose")


def test_deep_unclosed_inline_tags_and_broken_markup():
    html = "<html><body><p>" + "<b><i>" * 5000 + "text of the broken page that goes on" \
        + "</td></tr><p>more text <a href='x>unterminated" * 3
    article = parse_html(html)
    assert "text of the broken page" in article.body


def test_external_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET CONTENT")
    html = (f'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY xxe SYSTEM "file://{secret}">]>'
            + page("<p>&xxe; is not expanded here, whatever the parser does with it.</p>"))
    assert "TOP SECRET" not in parse_html(html).body


# --- ids and files --------------------------------------------------------

def test_ids_come_from_url_then_path_then_content_hash():
    html = page("", head='<meta property="og:url" content="https://e.org/canonical">')
    assert parse_html(html, url="https://e.org/a", path="a.html").id == "https://e.org/a"
    assert parse_html(html, path="a.html").id == "a.html"
    assert parse_html(html, path="a.html").url == "https://e.org/canonical"
    first, second = parse_html(html).id, parse_html(html).id
    assert first == second and len(first) == 40


def test_binary_bytes_are_refused():
    with pytest.raises(ArticleParseError, match="binary"):
        parse_html(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, path="image.html")


def test_load_html_file(tmp_path):
    target = tmp_path / "story.html"
    target.write_bytes(fixture("news_jsonld.html"))
    article = load_html_file(target)
    assert article.path == str(target) and article.id == str(target)
    assert article.date == dt.date(2021, 9, 12)
    with pytest.raises(ArticleParseError):
        load_html_file(tmp_path / "missing.html")


def test_many_unclosed_noise_tags_stay_linear():
    import time

    html = "<html><body>" + "<aside><!--" * 20000 + "<p>" + "word " * 500 + "</p>"
    start = time.perf_counter()
    with pytest.raises(ArticleParseError):  # an unclosed comment hides the rest
        parse_html(html)
    html = "<html><body>" + "<aside>" * 20000 + "<p>" + "word " * 500 + "</p>"
    assert parse_html(html).body.startswith("word word")
    assert time.perf_counter() - start < 10


def test_docs_example_runs():
    import contextlib
    import io
    import re

    text = (Path(__file__).parents[1] / "docs" / "html.md").read_text(encoding="utf-8")
    for block in re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL):
        with contextlib.redirect_stdout(io.StringIO()) as out:
            exec(compile(block, "docs/html.md", "exec"), {"__name__": "__docs__"})
        assert out.getvalue().startswith("Bridge reopens 2021-09-12 meta ('Amina Khan',) Port Ellen")
