"""No cell starts or ends with a space."""

from .dataset import Dataset, Problem


def check(ds: Dataset):
    for table in ds.tables.values():
        for line, cells in zip(table.lines, table.raw, strict=True):
            for column, cell in cells.items():
                if cell != cell.strip():
                    yield Problem(
                        table.file, line, column, f"'{cell}' has leading or trailing spaces"
                    )
