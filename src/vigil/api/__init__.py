"""The REST API (django-ninja): token-authenticated, every query through the access policy."""
