"""A source's publication date agrees with its precision: 'unknown' gives no date; 'day',
'month' and 'year' give the first day of one calendar day, month or year, and
date_earliest to date_latest is exactly that day, month or year."""

import calendar
import datetime as dt

from .dataset import Dataset, Problem


def span(day: dt.date, precision: str) -> tuple[dt.date, dt.date]:
    if precision == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)
    if precision == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    return day, day


def check(ds: Dataset):
    sources = ds.tables.get("sources")
    if sources is None:
        return
    for line, row in sources:
        precision, published = row["date_precision"], row["published"]
        if precision == "unknown" and published:
            yield Problem(
                sources.file, line, "published", "precision 'unknown' but a date is given"
            )
        elif precision != "unknown" and published is not None:
            first, last = span(published, precision)
            if (published, row["date_earliest"], row["date_latest"]) != (first, first, last):
                message = f"precision '{precision}': published, date_earliest and date_latest"
                message += f" should be {first}, {first} and {last}"
                yield Problem(sources.file, line, "date_latest", message)
