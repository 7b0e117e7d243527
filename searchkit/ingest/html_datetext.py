"""Reading dates as web pages write them, in several languages.

`read_date(value)` reads one attribute or meta value (ISO 8601 with or without
a time, `2019/11/19`, `19.11.2019`, `20191119`, a Unix timestamp, or a written
date). `find_dates(text)` finds written dates inside running text:
`November 19, 2019`, `19. November 2019`, `19 novembre 2019`,
`19 de noviembre de 2019`, `Nov. 19 2019`, `19.11.2019`, `19-11-2019`, `2019-11-19`,
`2019年11月19日`.
Month names: English, German, French, Spanish, Italian, Portuguese, Dutch,
Scandinavian, Romanian, Indonesian, Turkish, Bulgarian, Hebrew and Arabic; day-first
also Russian, Ukrainian, Polish, Czech, Slovak, Croatian, Greek and Finnish
(`15 августа 2016`, `3 maja 2020`, `5. června 2020`).
Dates before 1990 or later than tomorrow are not believed.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata

_MONTH_NAMES = {  # and Scandinavian, Romanian, Indonesian, Turkish, Bulgarian and Arabic
    1: "jan january januar janvier enero gennaio janeiro januari jänner janv ene gen ianuarie ocak "
       "януари يناير",
    2: "feb february februar fevrier février febrero febbraio fevereiro februari févr fév fevr "
       "februarie şubat subat февруари فبراير",
    3: "mar march märz maerz marz mars marzo março maart mrz marts martie maret mart март مارس",
    4: "apr april avril abril aprile avr abr aprilie nisan април أبريل",
    5: "may mai mayo maggio maio mei mag maj mayıs май مايو",
    6: "jun june juni juin junio giugno junho iunie haziran юни يونيو",
    7: "jul july juli juillet julio luglio julho juil lug iulie temmuz юли يوليو",
    8: "aug august août aout agosto augustus ago augusti agustus ağustos август أغسطس",
    9: "sep sept september septembre septiembre settembre setembro set setiembre septembrie eylül "
       "септември سبتمبر",
    10: "oct october oktober octobre octubre ottobre outubro okt ott out octombrie ekim октомври أكتوبر",
    11: "nov november novembre noviembre novembro noiembrie kasım ноември نوفمبر",
    12: "dec december dezember décembre decembre diciembre dicembre dezembro déc dez dic desember "
        "decembrie aralık декември ديسمبر",
}
# Hebrew, also written "in June" after the day (5 ביוני 2020)
_HEBREW_MONTHS = "ינואר פברואר מרץ אפריל מאי יוני יולי אוגוסט ספטמבר אוקטובר נובמבר דצמבר"
# Written after the day only, in the genitive: Russian, Ukrainian, Polish, Czech, Slovak,
# Croatian, Greek and Finnish (`15 августа 2016`, `3 maja 2020`, `5. června 2020`).
_MONTH_NAMES_DAY_FIRST = {
    1: "января січня stycznia ledna januára siječnja ιανουαρίου tammikuuta",
    2: "февраля лютого lutego února februára veljače φεβρουαρίου helmikuuta",
    3: "марта березня marca března ožujka μαρτίου maaliskuuta",
    4: "апреля квітня kwietnia dubna apríla travnja απριλίου huhtikuuta",
    5: "мая травня maja května mája svibnja μαΐου toukokuuta",
    6: "июня червня czerwca června júna lipnja ιουνίου kesäkuuta",
    7: "июля липня lipca července júla srpnja ιουλίου heinäkuuta",
    8: "августа серпня sierpnia srpna augusta kolovoza αυγούστου elokuuta",
    9: "сентября вересня września září septembra rujna σεπτεμβρίου syyskuuta",
    10: "октября жовтня października října októbra οκτωβρίου lokakuuta",
    11: "ноября листопада listopada listopadu novembra studenoga νοεμβρίου marraskuuta",
    12: "декабря грудня grudnia prosince decembra prosinca δεκεμβρίου joulukuuta",
}


def _fold(text: str) -> str:
    """Lower case without accents: 'Février' -> 'fevrier'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


MONTHS = {_fold(name): number for number, names in _MONTH_NAMES.items()
          for name in names.split()}
MONTHS.update({form: number for number, name in enumerate(_HEBREW_MONTHS.split(), 1)
               for form in (name, "ב" + name)})
MONTHS_DAY_FIRST = {**MONTHS, **{_fold(name): number for number, names in
                                 _MONTH_NAMES_DAY_FIRST.items() for name in names.split()}}


def _alternatives(names) -> str:
    return "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))


_MONTH_RE = _alternatives(MONTHS)
MIN_YEAR = 1990

_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_YMD_SLASH = re.compile(r"(?<!\d)(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?!\d)")
_DMY_DOTS = re.compile(r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?!\d)")
_DMY_SHORT = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{2})(?![\d.])")
# 02/10/2020, and the same with pipes or spaced: 26 | 01 | 2022
_SLASHES = re.compile(r"(?<![\d/|])(\d{1,2}) ?([/|]) ?(\d{1,2}) ?\2 ?(\d{4})(?!\d)")
# 2019年6月24日, 2019년 6월 24일 (matched in folded text: Hangul decomposes)
_YEAR_MARK, _MONTH_MARK, _DAY_MARK = (f"(?:{cjk}|{_fold(korean)})" for cjk, korean in
                                     (("年", "년"), ("月", "월"), ("日", "일")))
_CJK = re.compile(rf"(?<!\d)(\d{{4}})\s*{_YEAR_MARK}\s*(\d{{1,2}})\s*{_MONTH_MARK}"
                  rf"\s*(\d{{1,2}})\s*{_DAY_MARK}")
_DASHES = re.compile(r"(?<![\d-])(\d{1,2})-(\d{1,2})-(\d{4})(?![\d-])")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T|\d{4,6}|$)")
_STAMP = re.compile(r"^\d{10}(?:\d{3})?$")
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:\.|er|st|nd|rd|th|º)?\s*(?:de\s+|of\s+)?({_alternatives(MONTHS_DAY_FIRST)})(?![^\W\d_])\.?,?\s*(?:de\s+|del\s+)?(\d{{4}})(?!\d)",
)
_MONTH_DAY_YEAR = re.compile(
    rf"(?<![a-z])({_MONTH_RE})(?![a-z])\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)",
)


def make_date(year: int, month: int, day: int, today: _dt.date | None = None) -> _dt.date | None:
    """The date when it is real and plausible for a web page, else None."""
    try:
        value = _dt.date(year, month, day)
    except ValueError:
        return None
    today = today or _dt.date.today()
    if value.year < MIN_YEAR or value > today + _dt.timedelta(days=1):
        return None
    return value


def read_date(value: str) -> _dt.date | None:
    """Read one machine-ish date value (meta content, datetime attribute)."""
    text = (value or "").strip()
    if not text:
        return None
    if _STAMP.match(text):
        seconds = int(text[:10])
        stamp = _dt.datetime.fromtimestamp(seconds, _dt.timezone.utc).date()
        return make_date(stamp.year, stamp.month, stamp.day)
    match = _COMPACT.match(text)
    if match:
        return make_date(int(match[1]), int(match[2]), int(match[3]))
    for pattern in (_ISO, _YMD_SLASH):
        match = pattern.search(text)
        if match:
            return make_date(int(match[1]), int(match[2]), int(match[3]))
    found = find_dates(text[:200])
    return found[0][0] if found else None


def _numeric_dates(text: str, short_years: bool, day_first: bool):
    for pattern in (_ISO, _YMD_SLASH, _CJK):
        for m in pattern.finditer(text):
            yield m.start(), make_date(int(m[1]), int(m[2]), int(m[3]))
    for m in _DMY_DOTS.finditer(text):
        yield m.start(), make_date(int(m[3]), int(m[2]), int(m[1]))
    if short_years:  # 31.10.23, only where the markup says a date is meant
        for m in _DMY_SHORT.finditer(text):
            yield m.start(), make_date(2000 + int(m[3]), int(m[2]), int(m[1]))
    for m in _SLASHES.finditer(text):
        first, second = int(m[1]), int(m[3])
        month, day = (second, first) if first > 12 or (day_first and second <= 12) else (
            first, second)
        yield m.start(), make_date(int(m[4]), month, day)
    for m in _DASHES.finditer(text):  # 19-11-2019: day first, as Europe writes it
        first, second = int(m[1]), int(m[2])
        day, month = (second, first) if second > 12 else (first, second)
        yield m.start(), make_date(int(m[3]), month, day)


def find_dates(text: str, short_years: bool = False,
               day_first: bool = False) -> list[tuple[_dt.date, int]]:
    """Every plausible written date in text with its offset, in text order
    (with short_years, also `31.10.23`). `02/10/2020` is read month first
    (American) unless day_first (the page's language writes the day first)
    or the first number is over 12."""
    folded = _fold(text)
    found = list(_numeric_dates(folded, short_years, day_first))
    for m in _DAY_MONTH_YEAR.finditer(folded):
        found.append((m.start(), make_date(int(m[3]), MONTHS_DAY_FIRST[m[2]], int(m[1]))))
    for m in _MONTH_DAY_YEAR.finditer(folded):
        found.append((m.start(), make_date(int(m[3]), MONTHS[m[1]], int(m[2]))))
    return [(day, start) for start, day in sorted(found, key=lambda x: x[0]) if day]
