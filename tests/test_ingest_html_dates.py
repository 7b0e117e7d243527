"""Publication dates of HTML pages: one small page per rule, then the real
pages of ../shared/data/html-date (skipped when absent) against their truth."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest
from conftest import shared_data

from searchkit.errors import ArticleParseError
from searchkit.ingest.html import parse_html
from searchkit.ingest.html_dates import url_date
from searchkit.ingest.html_datetext import find_dates

STORY = ("<p>The river rose by two metres overnight, flooding the lower town and closing the "
         "main road to the coast for most of the morning.</p>")
REVISED_LD = ('<script type="application/ld+json">{"@type": "BlogPosting", "datePublished": '
              '"2019-06-17T00:00:00Z", "dateModified": "2020-06-04T16:41:46Z"}</script>')


def dated(head: str, body: str) -> tuple[dt.date | None, str | None]:
    article = parse_html(f"<html><head>{head}</head><body>{body}</body></html>")
    return article.date, article.date_source


# --- the date the page shows settles the machine dates --------------------------------

@pytest.mark.parametrize("head, body, expected", [
    pytest.param('<script type="application/ld+json">{"@type": "NewsArticle", '
                 '"datePublished": "2020-01-03T09:48:24Z"}</script>'
                 '<meta name="date" content="2020-01-06">',
                 f'<h1>Goats</h1><span class="hl-date">Monday, 6 January 2020</span>{STORY}',
                 (dt.date(2020, 1, 6), "text"),
                 id="the shown date chooses between disagreeing JSON-LD and meta"),
    pytest.param('<meta property="article:published_time" content="2023-11-09T06:35:29+00:00">',
                 '<h1>Arrest</h1><p>Posted: <time datetime="2023-11-08T22:35:29-08:00">'
                 f'Nov 8, 2023 / 10:35 PM PST</time></p>{STORY}',
                 (dt.date(2023, 11, 8), "time-tag"), id="a shown date one day off a UTC time"),
    pytest.param('<meta property="article:published_time" content="2020-01-20T09:49:32Z">',
                 f'<h1>Awards</h1><div class="date">March 2, 2019</div>{STORY}',
                 (dt.date(2020, 1, 20), "meta"),
                 id="a shown date far from every machine date does not count"),
    pytest.param('<meta property="og:article:published_time" content="2022-01-15">',
                 '<h1>Snow sports</h1><ul class="m-metadata"><li class="m-metadata__item">'
                 f'<time datetime="2022-01-25">25.01.2022</time></li></ul>{STORY}',
                 (dt.date(2022, 1, 25), "time-tag"),
                 id="a <time> shown in the story overrules the machine date"),
    pytest.param('<meta name="dcterms.date" content="2022-01-21T15:38:44+01:00">',
                 '<h1>Winter</h1><span class="news-list-date"><time datetime="2022-01-27">'
                 f'27.01.2022</time></span>{STORY}',
                 (dt.date(2022, 1, 27), "time-tag"),
                 id="a generic meta date gives way to the marked date"),
    pytest.param('<meta name="date" content="2020-02-11">',
                 f'<h1>Rioja</h1>{STORY}<p>Next tasting on 29.02.2020 at the shop.</p>',
                 (dt.date(2020, 2, 11), "meta"),
                 id="an unmarked date in the text does not overrule a meta date"),
    pytest.param('<meta name="date" content="2020-02-11">',
                 f'<h1>Rioja</h1>{STORY}<ul class="events"><li><span class="datum">29.02.2020 '
                 '18:00</span> Tasting</li><li><span class="datum">14.03.2020</span> Fair</li></ul>',
                 (dt.date(2020, 2, 11), "meta"), id="a list of dated events is not the page's date"),
    pytest.param('<meta property="article:published_time" content="2021-12-14T15:41:07+01:00">'
                 '<meta name="DC.date.issued" content="2022-02-04T15:33:00+01:00">',
                 '<meta itemprop="datePublished" content="2021-12-14T15:41:07+01:00">'
                 f'<h1>Phones</h1><span class="date">04.02.2022</span>{STORY}',
                 (dt.date(2022, 2, 4), "text"),
                 id="a meta element in the body is not a date shown to readers"),
    pytest.param(REVISED_LD,
                 f'<h1>Docker</h1><span class="post-date">June 4, 2020</span>{STORY}',
                 (dt.date(2020, 6, 4), "text"),
                 id="the shown date is the stated revision date"),
    pytest.param(REVISED_LD,
                 f'<h1>Docker</h1><span class="post-date">June 9, 2020</span>{STORY}',
                 (dt.date(2019, 6, 17), "json-ld"),
                 id="a shown date that is no stated date does not count"),
])
def test_machine_dates_and_the_shown_date(head, body, expected):
    assert dated(head, body) == expected


def test_a_url_date_is_not_overruled():
    html = (f'<html><head><meta name="date" content="2017-07-12"></head><body><h1>Montauk</h1>'
            f'<span class="date">13 July 2017</span>{STORY}</body></html>')
    article = parse_html(html, url="https://e.org/home/2017/7/12/montauk")
    assert (article.date, article.date_source) == (dt.date(2017, 7, 12), "url")


def test_a_front_page_is_as_new_as_its_newest_item():
    html = (f"<html><body><h1>City news</h1><p>Concert, 28.09.2017</p><p>Market, 09.10.2017"
            f"</p><p>Archive from 12.03.2015</p>{STORY}</body></html>")
    article = parse_html(html, url="https://www.city.example/")
    assert (article.date, article.date_source) == (dt.date(2017, 10, 9), "text")
    assert parse_html(html, url="https://www.city.example/news/market").date == dt.date(2017, 9, 28)


# --- where written dates are found ---------------------------------------------------------

def test_a_time_element_shows_its_own_date_before_its_datetime():
    body = ('<h1>Grenades</h1><div class="time"><time datetime="2019-07-03T10:18:46Z">'
            f'Publié le 29 juin 2019</time></div>{STORY}')
    assert dated("", body) == (dt.date(2019, 6, 29), "time-tag")


def test_a_published_date_in_an_aside_is_read():
    body = ('<h1>Silence</h1><aside class="meta"><p class="authors">Von: M. Muster</p>'
            '<time itemprop="datePublished" datetime="2023-10-18T11:45:00+02:00">18. Okt 2023'
            f'</time></aside>{STORY}<div class="teaser"><h3>Older</h3><time itemprop="dateCreated"'
            ' datetime="2023-10-10T12:20:56+02:00">10. Okt 2023</time></div>')
    assert dated("", body) == (dt.date(2023, 10, 18), "time-tag")


@pytest.mark.parametrize("html, expected", [
    pytest.param('<title>Fall in love with black - Blog</title><div class="slider"><div class='
                 '"caption">14/06/2019</div></div><div class="mainwrap single sidebar"><div '
                 'class="post"><div class="post-meta">08/08/2017 by S. Marcus</div><h2>Fall in '
                 f'love with black</h2>{STORY}</div><div class="widget-date">14/06/2019</div></div>',
                 dt.date(2017, 8, 8), id="a blog's h2 headline, in a wrapper named sidebar"),
    pytest.param('<title>No app store over mobile data? | Forum</title><div class="login">'
                 'Open since 12.03.2015</div><h1><a href="/" title='
                 '"Home"></a></h1><h2 class="Title">No app store over mobile data?</h2><div '
                 f'class="post-comment"><span>Ann, 28.09.2019 14:02</span>{STORY}</div>',
                 dt.date(2019, 9, 28), id="an empty logo h1 is not the headline"),
])
def test_the_headline_without_an_h1(html, expected):
    assert parse_html(html).date == expected


def test_a_time_attribute_settles_a_day_and_month_read_the_wrong_way():
    body = ('<h1>Sentenced</h1><time class="block" datetime="2023-11-08">08/11/2023 | 20:26 PM'
            f'</time>{STORY}')
    assert dated("", body) == (dt.date(2023, 11, 8), "time-tag")


@pytest.mark.parametrize("body, expected", [
    pytest.param('<h1>Willingen</h1><p>Next event: 1. Februar 2022.</p>'
                 f'<small>Erstellt am: 30.01.2022 18:36 / sk</small>{STORY}',
                 dt.date(2022, 1, 30), id="a labelled date beats the first date in the text"),
    pytest.param('<h1>Neue Präsidentin</h1><p>Die Wahl war für 15.10.2021 geplant.</p>'
                 f'{STORY}<p>Letzte Änderung: 31.10.2021<br>Erschienen am: 13.10.2021</p>',
                 dt.date(2021, 10, 13), id="'Erschienen am' labels the publication date"),
    pytest.param('<div class="layout one-sidebar-second"><p>Archive since 12 October 2020</p>'
                 '<h1>Libre cours</h1><span class="field-published-at">le 07 Mai 2020</span>'
                 f'{STORY}</div><div class="sidebar"><span class="date">1 June 2020</span></div>',
                 dt.date(2020, 5, 7), id="the headline's containers are never a sidebar"),
    pytest.param('<p class="note">Le blog depuis le 5 août 2018</p><h1>Violences</h1>'
                 f'<ul class="info"><li>27 juin 2019</li><li>Par Elba</li></ul>{STORY}',
                 dt.date(2019, 6, 27), id="a date list under the headline"),
    pytest.param('<h2>Koalition</h2><p>von <a rel="author" href="/a/k">K. Schöppner</a>, 8.5.12 '
                 f'</p>{STORY}<p>Seit 2010 gilt 1.2.10 als Stichtag.</p>',
                 dt.date(2012, 5, 8), id="a short date in the byline"),
    pytest.param(f'<span style="color: red">02.12.19</span><h1>On the cards</h1>{STORY}',
                 dt.date(2019, 12, 2), id="a short date next to the headline"),
    pytest.param('<h1>Influencer</h1><blockquote class="instagram-media"><p>'
                 '<time datetime="2018-03-12T19:30:12+00:00">Mar 12, 2018</time></p></blockquote>'
                 f'<div class="PublishDate">29. Januar 2019</div>{STORY}',
                 dt.date(2019, 1, 29), id="dates in quotes and embedded posts do not count"),
    pytest.param(f'<h1>Kinder und Arbeit</h1>{STORY}<p>Seit 4. August 2014 gilt das neue '
                 'Gesetz.</p><p class="info">Aktualisiert: 30.12.2016</p>',
                 dt.date(2016, 12, 30), id="the page's update stamp beats a date in the prose"),
])
def test_written_dates(body, expected):
    assert dated("", body) == (expected, "text")


def test_the_share_image_url_is_the_last_resort():
    head = '<meta property="og:image" content="https://e.org/files/2016/05/04/report.png">'
    assert dated(head, f"<h1>Report</h1>{STORY}") == (dt.date(2016, 5, 4), "url")


@pytest.mark.parametrize("text, expected", [
    ("15 августа 2016, 13:43", dt.date(2016, 8, 15)),
    ("2 травня 2021", dt.date(2021, 5, 2)),
    ("3 maja 2020", dt.date(2020, 5, 3)),
    ("12 października 2019", dt.date(2019, 10, 12)),
])
def test_day_first_month_names_in_russian_ukrainian_polish(text, expected):
    assert find_dates(text) == [(expected, 0)]


@pytest.mark.parametrize("lang, expected", [
    ("en-GB", dt.date(2020, 10, 2)), ("de", dt.date(2020, 10, 2)),
    ("en-US", dt.date(2020, 2, 10)), (None, dt.date(2020, 2, 10)),
])
def test_a_slash_date_is_read_in_the_page_language(lang, expected):
    root = f'<html lang="{lang}">' if lang else "<html>"
    html = (f'{root}<body><h1>Halls too full</h1><span class="time">02/10/2020</span>{STORY}'
            '</body></html>')
    assert parse_html(html).date == expected
    assert find_dates("on 25/10/2020", day_first=False) == [(dt.date(2020, 10, 25), 3)]


@pytest.mark.parametrize("text, day_first, expected", [
    ("26 | 01 | 2022", True, dt.date(2022, 1, 26)),
    ("26|01|2022", False, dt.date(2022, 1, 26)),
    ("02 / 10 / 2020", False, dt.date(2020, 2, 10)),
    ("page 1 | 2 / 2020", True, None),
])
def test_a_date_written_with_pipes_or_spaced_slashes(text, day_first, expected):
    assert [day for day, _ in find_dates(text, day_first=day_first)] == ([expected] if expected else [])


def test_a_pipe_date_in_the_story_subline_dates_the_page():
    html = ('<html lang="de"><body><h1>Winterhechte</h1><div class="subline"><table><tr>'
            f'<td>26 | 01 | 2022 </td><td>Schweiz | Praxis</td></tr></table></div>{STORY}</body></html>')
    assert parse_html(html).date == dt.date(2022, 1, 26)


def test_og_locale_tells_how_an_english_page_writes_dates():
    head = '<meta property="og:locale" content="en_GB">'
    body = f'<h1>Halls too full</h1><span class="time">02/10/2020</span>{STORY}'
    assert dated(head, body) == (dt.date(2020, 10, 2), "text")


@pytest.mark.parametrize("text, expected", [
    ("[2019年6月24日 11時30分]", dt.date(2019, 6, 24)),
    ("2021년 3월 5일 오전", dt.date(2021, 3, 5)),
    ("Geplaatst op 19-11-2019", dt.date(2019, 11, 19)),
    ("Posted 11-19-2019", dt.date(2019, 11, 19)),
])
def test_chinese_japanese_korean_and_dashed_dates(text, expected):
    assert [day for day, _ in find_dates(text)] == [expected]


@pytest.mark.parametrize("text, expected", [
    ("24 Ağustos 2019", dt.date(2019, 8, 24)),  # Turkish
    ("5 iunie 2020", dt.date(2020, 6, 5)),  # Romanian
    ("12 Desember 2019", dt.date(2019, 12, 12)),  # Indonesian, Norwegian
    ("1 maj 2020", dt.date(2020, 5, 1)),  # Swedish, Danish
    ("5. června 2020", dt.date(2020, 6, 5)),  # Czech
    ("3. listopadu 2019", dt.date(2019, 11, 3)),  # Czech
    ("7 studenoga 2019", dt.date(2019, 11, 7)),  # Croatian
    ("12 Δεκεμβρίου 2019", dt.date(2019, 12, 12)),  # Greek
    ("5. kesäkuuta 2020", dt.date(2020, 6, 5)),  # Finnish
    ("5 ביוני 2020", dt.date(2020, 6, 5)),  # Hebrew, "in June"
    ("5 يونيو 2020", dt.date(2020, 6, 5)),  # Arabic
    ("19 listopada 2019", dt.date(2019, 11, 19)),  # Polish November, not Croatian October
])
def test_month_names_of_more_languages(text, expected):
    assert [day for day, _ in find_dates(text)] == [expected]


def test_a_month_name_is_a_whole_word():
    assert find_dates("5 маяк 2020") == []


@pytest.mark.parametrize("url, expected", [
    ("https://e.org/media-news/meldungen/29-10-2021", dt.date(2021, 10, 29)),
    ("https://e.org/news/10-29-2021-story", dt.date(2021, 10, 29)),
    ("https://e.org/item/12-5-2020/", dt.date(2020, 5, 12)),
    ("https://e.org/v1.2.2020", None),
    ("https://e.org/a/2019/11/19/x", dt.date(2019, 11, 19)),
])
def test_day_first_dates_in_urls(url, expected):
    assert url_date(url) == expected


# --- real pages -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def date_pages():
    folder = shared_data("html-date")
    truth = json.loads((folder / "eval_default.json").read_text(encoding="utf-8"))
    return folder, truth


def _parse(folder, truth, url):
    data = gzip.decompress((folder / "eval" / f"{truth[url]['file']}.gz").read_bytes())
    return parse_html(data, url=url)


@pytest.mark.parametrize("url", [
    "https://football.ua/germany/311510-podolski-zavershil-kareru-v-sbornojj.html",
    "https://weisser-ring.de/media-news/meldungen/29-10-2021",
    "https://paris-luttes.info/quand-on-comprend-que-les-grenades-12355",
    "https://www.dalloz-actualite.fr/node/libre-cours-raoult-nazis-et-moi",
    "https://www.tagesschau.de/investigativ/ndr/rheinmetall-datenleck-101.html",
    "https://www.outdoor-magazin.com/outdoor-szene/vanlife-in-schweden/",
    "http://carta.info/der-neue-trend-muss-statt-wunschkoalition/",
    "https://www.horizont.net/marketing/kommentare/influencer-marketing-was-sich-nach-dem-vreni-"
    "frost-urteil-aendert-und-aendern-muss-172529",
])
def test_real_pages_get_their_true_date(date_pages, url):
    folder, truth = date_pages
    assert _parse(folder, truth, url).date.isoformat() == truth[url]["date"]


def test_every_real_page_parses_and_most_dates_are_right(date_pages):
    """No page of the set raises (each has a title or a date), and most dates
    equal the truth (htmldate itself gets about 0.9 on this set)."""
    folder, truth = date_pages
    right = 0
    for url in truth:
        try:
            article = _parse(folder, truth, url)
        except ArticleParseError as exc:  # pragma: no cover - the failure message
            pytest.fail(f"{url}: {exc}")
        right += article.date is not None and article.date.isoformat() == truth[url]["date"]
    assert right >= 0.88 * len(truth)
