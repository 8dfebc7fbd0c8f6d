"""Numbers, money and dates the way each language's readers read them.

Korean groups large numbers by 10,000 (만), 10^8 (억) and 10^12 (조) — a budget of
6,000,000,000,000 won is read "6조 원", a job target of 189,988 "18만 9,988" — while
English groups by thousands and names the millions. Everything here is pure: the
language is an argument (the template filters in ``plans.templatetags.city_format``
pass the active one), and times are always shown in Asia/Seoul, whatever the server's
or the reader's time zone.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from .dates import SEOUL

# Largest first; each unit is 10,000 times the next.
KOREAN_UNITS = [(10**12, "조"), (10**8, "억"), (10**4, "만")]
ENGLISH_SCALES = [(10**12, "trillion"), (10**9, "billion"), (10**6, "million")]

KOREAN_WEEKDAYS = "월화수목금토일"
EN_DASH = "\u2013"  # between the ends of a range of times
ENGLISH_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
ENGLISH_MONTHS = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
]  # fmt: skip


def is_korean(language: str | None) -> bool:
    return not (language or "ko").lower().startswith("en")


def to_decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _fraction(number: Decimal, places: int | None) -> str:
    """The digits after the point ('' for a whole number), at most `places` of them."""
    if places is not None:
        number = round(number, places)
    text = format(abs(number), "f")
    if "." not in text:
        return ""
    digits = text.split(".")[1].rstrip("0")
    return f".{digits}" if digits else ""


def _parts(value, places: int | None) -> tuple[str, int, str] | None:
    """(sign, whole part, fraction text) of a number, rounded to ``places`` if given."""
    number = to_decimal(value)
    if number is None:
        return None
    if places is not None:
        number = round(number, places)
    whole = int(abs(number))
    return ("-" if number < 0 else "", whole, _fraction(abs(number) - whole, places))


def grouped(value, places: int | None = None) -> str:
    """1470 → '1,470', -189988.5 → '-189,988.5' (thousands grouping, both languages)."""
    parts = _parts(value, places)
    if parts is None:
        return ""
    sign, whole, fraction = parts
    return f"{sign}{whole:,}{fraction}"


def korean_number(value, places: int | None = None) -> str:
    """189988 → '18만 9,988', 6 * 10**12 → '6조', 9999 → '9,999', 0 → '0'.

    Empty groups are left out (10,000,005 → '1,000만 5'); a fraction stays with the
    last group (12,345.6 → '1만 2,345.6')."""
    split = _parts(value, places)
    if split is None:
        return ""
    sign, whole, fraction = split
    parts = []
    for size, unit in KOREAN_UNITS:
        count, whole = divmod(whole, size)
        if count:
            parts.append(f"{count:,}{unit}")
    if whole or fraction or not parts:
        parts.append(f"{whole:,}{fraction}")
    return sign + " ".join(parts)


def _with_counter(number_text: str, counter: str) -> str:
    # Korean spacing: a counter follows digits directly (9,000명) but is written apart
    # from a number word (75만 명, 6조 원).
    if not counter or not number_text:
        return number_text
    return f"{number_text} {counter}" if number_text[-1] in "만억조" else number_text + counter


def count(value, counter: str = "", language: str | None = "ko") -> str:
    """A count of people, jobs, tonnes: '75만 9,000명' in Korean, '759,000' in English."""
    if is_korean(language):
        return _with_counter(korean_number(value), counter)
    return grouped(value)


def krw(value, language: str | None = "ko") -> str:
    """Won amounts: '6조 원', '1억 2,345만 6,789원'; 'KRW 6 trillion', 'KRW 1.25 billion'.

    English names the scale from a million up, to two decimals (amounts that large are
    planning figures); below that it writes every won."""
    number = to_decimal(value)
    if number is None:
        return ""
    if is_korean(language):
        return _with_counter(korean_number(number, places=0), "원")
    sign = "-" if number < 0 else ""
    magnitude = abs(number)
    for size, name in ENGLISH_SCALES:
        if magnitude >= size:
            scaled = round(magnitude / size, 2)
            return f"KRW {sign}{grouped(scaled, 2)} {name}"
    return f"KRW {sign}{grouped(magnitude, 0)}"


def percent(value, places: int = 1) -> str:
    """66.9 → '66.9%', 110 → '110%', 6.2449 → '6.24%' with places=2 (same in both)."""
    number = to_decimal(value)
    if number is None:
        return ""
    return f"{grouped(number, places)}%"


def seoul(value: datetime) -> datetime:
    """The moment on a Busan wall clock; a naive value is taken as already in Seoul."""
    if value.tzinfo is None:
        return value.replace(tzinfo=SEOUL)
    return value.astimezone(SEOUL)


def long_date(value, language: str | None = "ko") -> str:
    """'2024년 1월 15일 (월)' / 'Mon 15 Jan 2024'."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = seoul(value).date()
    if not isinstance(value, date):
        return ""
    weekday = value.weekday()
    if is_korean(language):
        return f"{value.year}년 {value.month}월 {value.day}일 ({KOREAN_WEEKDAYS[weekday]})"
    return f"{ENGLISH_WEEKDAYS[weekday]} {value.day} {ENGLISH_MONTHS[value.month - 1]} {value.year}"


def long_datetime(value, language: str | None = "ko") -> str:
    """'2024년 1월 15일 (월) 오전 10:00' / 'Mon 15 Jan 2024, 10:00', in Asia/Seoul."""
    if not isinstance(value, datetime):
        return long_date(value, language)
    day = long_date(value, language)
    separator = " " if is_korean(language) else ", "
    return f"{day}{separator}{time_of_day(value, language)}"


def _is_counter(unit: str) -> bool:
    """A Korean counter or unit word (명, 개, 톤, 조 원): written the way counters are."""
    letters = unit.replace(" ", "")
    return bool(letters) and all("\uac00" <= char <= "\ud7a3" for char in letters)


def quantity(value, unit: str = "", language: str | None = "ko") -> str:
    """A figure with its unit, the one way each is written: '18만 9,988개', '75만 명',
    '2,431명', '5조 원', '66.9%', '90 tCO2' / '189,988 jobs', '66.9%', 'KRW 6 trillion'.

    A percent sign follows the digits in both languages; a Korean counter follows
    Korean spacing (``count``); any other unit (tCO2, km) is set apart by a space."""
    korean = is_korean(language)
    text = korean_number(value) if korean else grouped(value)
    unit = (unit or "").strip()
    if not text or not unit:
        return text
    if unit == "%":
        return text + unit
    if korean and _is_counter(unit):
        return _with_counter(text, unit)
    if not korean and unit.startswith("KRW "):
        # "KRW trillion" reads "KRW 6 trillion", as ``krw`` writes a whole amount.
        return f"KRW {text} {unit[4:]}"
    return f"{text} {unit}"


def time_of_day(value: datetime, language: str | None = "ko") -> str:
    """'오후 2:30' / '14:30', on Busan's clock."""
    if not isinstance(value, datetime):
        return ""
    local = seoul(value)
    if is_korean(language):
        # Korean clocks read 12-hour with 오전/오후; noon is 오후 12시, midnight 오전 12시.
        half = "오전" if local.hour < 12 else "오후"
        return f"{half} {local.hour % 12 or 12}:{local.minute:02d}"
    return f"{local.hour:02d}:{local.minute:02d}"


def time_range(start: datetime, end: datetime, language: str | None = "ko") -> str:
    """'오전 10:00-10:25', '오전 11:15-오후 12:00' / '10:00-10:25' (with an en dash):
    the half of the day is written once when both ends share it."""
    if not isinstance(start, datetime) or not isinstance(end, datetime):
        return time_of_day(start, language) or time_of_day(end, language)
    first, last = time_of_day(start, language), time_of_day(end, language)
    if is_korean(language) and first[:2] == last[:2]:
        last = last[3:]
    return f"{first}{EN_DASH}{last}"


def datetime_range(start: datetime, end: datetime, language: str | None = "ko") -> str:
    """'2024년 1월 15일 (월) 오전 10:00-오후 12:00' / 'Mon 15 Jan 2024, 10:00-12:00'
    (with an en dash); an end on another day is written in full."""
    if not isinstance(start, datetime) or not isinstance(end, datetime):
        return long_datetime(start, language)
    if seoul(start).date() != seoul(end).date():
        return f"{long_datetime(start, language)} {EN_DASH} {long_datetime(end, language)}"
    return f"{long_date(start, language)}{'' if is_korean(language) else ','} " + time_range(
        start, end, language
    )


def year_month(value, language: str | None = "ko") -> str:
    """'2024년 1월' / 'Jan 2024'."""
    if isinstance(value, datetime):
        value = seoul(value).date()
    if not isinstance(value, date):
        return ""
    if is_korean(language):
        return f"{value.year}년 {value.month}월"
    return f"{ENGLISH_MONTHS[value.month - 1]} {value.year}"
