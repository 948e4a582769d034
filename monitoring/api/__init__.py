"""The monitoring's part of the REST API: rounds and their questionnaires, questions, submissions, replies.

`serializers`, `filters` and `views` build on secretariat.api's base classes; `schema` adds the
write serializers' rules to the OpenAPI schema; `routes` plugs the viewsets into the core's
router (secretariat.api.router, which imports every app's `api/routes.py`).
"""
