"""A URL configuration with a page that names no action, for the deny-by-default test."""

from django.http import HttpResponse
from django.urls import path

from kaveri.urls import urlpatterns as kaveri_urlpatterns


def forgotten_page(request):
    return HttpResponse("secret")


urlpatterns = [*kaveri_urlpatterns, path("forgotten/", forgotten_page, name="forgotten")]
