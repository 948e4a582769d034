from django.urls import path

from . import views

app_name = "factsheets"
urlpatterns = [
    # Before the factsheet pattern: "practices" is not a factsheet's slug.
    path("practices/", views.practice_search, name="practices"),
    path("<slug:slug>/", views.factsheet, name="factsheet"),
]
