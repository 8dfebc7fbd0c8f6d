"""The Excel round trip's stories: download, edit with openpyxl as a person would in
Excel, upload, check, apply."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import client_for


class Workbook:
    """A downloaded workbook, edited by the key task's id (the first column)."""

    def __init__(self, content: bytes):
        self.book = load_workbook(io.BytesIO(content))
        self.tasks, self.figures = self.book.worksheets[0], self.book.worksheets[1]

    def row_of(self, task) -> int:
        for row in range(2, self.tasks.max_row + 1):
            if self.tasks.cell(row, 1).value == task.pk:
                return row
        raise KeyError(task.code)

    def ids(self) -> list[int]:
        return [self.tasks.cell(row, 1).value for row in range(2, self.tasks.max_row + 1)]

    def edit(self, task, *, status=None, progress=None, note=None) -> None:
        row = self.row_of(task)
        for column, value in ((6, status), (7, progress), (8, note)):
            if value is not None:
                self.tasks.cell(row, column).value = value

    def figure(self, indicator, value, as_of=None) -> None:
        for row in range(2, self.figures.max_row + 1):
            if self.figures.cell(row, 1).value == indicator.pk:
                self.figures.cell(row, 9).value = value
                self.figures.cell(row, 10).value = as_of
                return
        raise KeyError(indicator.code)

    def content(self) -> bytes:
        buffer = io.BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()


def upload_file(client, content: bytes, name="tasks.xlsx"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(reverse("bulk:home"), {"file": file})


@pytest.fixture
def head(city):
    return client_for(city.economy_head)


@pytest.fixture
def download():
    def get(client) -> Workbook:
        response = client.get(reverse("bulk:download"))
        assert response.status_code == 200, response.status_code
        return Workbook(response.content)

    return get
