"""Search across the record: any spelling of a name, full text over descriptions and sources."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "vigil.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        """Keep the index current on every save of an indexed record."""
        from vigil.search.sync import connect

        connect()
