"""The REST API (`/api/v1/`), its OpenAPI schema (`/api/schema/`) and Swagger UI (`/api/docs/`).

This package holds what every endpoint shares (the base viewsets, parsers, permissions, the
schema's refusals, the shared serializer fields and filters), the core's own endpoint (the
Parties) and the router; each app serves its records from its own `api` package, whose
`routes.py` plugs its viewsets into the router (secretariat.api.router).

Every queryset comes from secretariat.access (views.ScopedQuerysetMixin); every write goes
through the services that the admin and the portal call. Serializers only show records and
parse input.
"""
