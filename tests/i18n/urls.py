"""Project URLs with the switcher that saves the user's language (as the lead wires it)."""

from django.urls import path

from vigil.accounts.language import set_language
from vigil.urls import handler400, handler403, handler404, handler500
from vigil.urls import urlpatterns as project

urlpatterns = [path("i18n/setlang/", set_language, name="set_language"), *project]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
