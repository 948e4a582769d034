from django.urls import path  # noqa: F401 - the portal's views are added here

app_name = "portal"
urlpatterns: list = []
