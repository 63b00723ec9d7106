"""Dates as a 简报 prints them: 2023年7月17日, or 二〇二三年七月十七日."""

from __future__ import annotations

import datetime as dt

_DIGITS = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1–31 as 一 … 三十一 (for months and days)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    prefix = "" if tens == 1 else _DIGITS[tens]
    return prefix + "十" + (_DIGITS[ones] if ones else "")


def chinese_numeral_date(date: dt.date) -> str:
    year = "".join(_DIGITS[int(d)] for d in str(date.year))
    return f"{year}年{chinese_number(date.month)}月{chinese_number(date.day)}日"


def format_issue_date(date: dt.date, locale: str = "zh_CN", style: str = "arabic") -> str:
    if style == "chinese":
        return chinese_numeral_date(date)
    if locale == "zh_CN":
        # babel's long format for zh_CN, written out: importing babel and its
        # locale data costs more than the rest of a small issue's numbering.
        return f"{date.year}年{date.month}月{date.day}日"
    from babel.dates import format_date

    return format_date(date, format="long", locale=locale)
