"""Kindred's URLs plus a trivial view: the floor every page is compared with."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from kindred.urls import urlpatterns as kindred_urlpatterns


def minimal(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal, name="bench-minimal"), *kindred_urlpatterns]
