"""The follow-up's part of the REST API: reports, recommendations, follow-ups, their updates and
assessments, practices and factsheets.

`serializers`, `filters` and `views` build on secretariat.api's base classes; `schema` adds the
write serializers' rules to the OpenAPI schema; `routes` plugs the viewsets into the core's
router (secretariat.api.router, which imports every app's `api/routes.py`).
"""
