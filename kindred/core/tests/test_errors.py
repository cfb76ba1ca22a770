"""The one error contract: codes, their statuses, and how the API and pages answer with them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from kindred.core.errors import HTTP_STATUS, AppError, NotFound, add_to_form
from kindred.core.middleware import AppErrorMiddleware

KINDRED = Path(__file__).resolve().parents[2]
CODE_LITERAL = re.compile(r"""\bcode=["']([a-z_]+)["']""")


def test_every_code_raised_in_kindred_has_a_status():
    used = set()
    for path in KINDRED.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        used |= set(CODE_LITERAL.findall(path.read_text()))
    assert used, "the scan found no codes at all: the pattern is wrong"
    assert sorted(used - set(HTTP_STATUS)) == []


def test_code_decides_the_status_and_the_body():
    error = AppError("That group has closed.", code="closed", field="group")
    assert error.status == 403
    assert error.as_dict() == {"detail": "That group has closed.", "code": "closed", "field": "group"}
    assert NotFound().status == 404
    assert NotFound().message.startswith("We couldn't find that")


class _NameForm(forms.Form):
    name = forms.CharField()


def test_add_to_form_puts_the_message_on_its_field_or_the_whole_form():
    form = _NameForm({"name": "x"})
    assert form.is_valid()
    assert add_to_form(form, AppError("Please choose another name.", field="name")) == 400
    assert form.errors["name"] == ["Please choose another name."]
    other = _NameForm({"name": "x"})
    assert other.is_valid()
    assert add_to_form(other, AppError("Not now.", code="forbidden", field="no_such_field")) == 403
    assert other.non_field_errors() == ["Not now."]


@pytest.mark.django_db
def test_a_page_that_lets_an_app_error_escape_answers_kindly_with_its_status():
    request = RequestFactory().get("/groups/x/")
    request.user = AnonymousUser()
    middleware = AppErrorMiddleware(lambda r: None)  # type: ignore[arg-type,return-value]  # never called here
    response = middleware.process_exception(request, AppError("This group has closed.", code="closed"))
    assert response is not None and response.status_code == 403
    assert "This group has closed." in response.content.decode()
    assert "Get help now" in response.content.decode()
    assert middleware.process_exception(RequestFactory().get("/api/x"), AppError("no")) is None
    assert middleware.process_exception(request, ValueError("not ours")) is None
