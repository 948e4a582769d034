"""The REST API (`/api/v1/`), its OpenAPI schema (`/api/schema/`) and Swagger UI (`/api/docs/`).

Every queryset comes from secretariat.access (views.ScopedQuerysetMixin); every write goes
through the services that the admin and the portal call (monitoring.services,
recommendations.services). Serializers only show records and parse input.
"""
