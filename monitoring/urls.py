from django.urls import path  # noqa: F401 - compilation and PDF downloads are added here

app_name = "monitoring"
urlpatterns: list = []
