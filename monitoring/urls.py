from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("rounds/<int:number>/compilation/", views.compilation, name="compilation"),
    path("submissions/<int:pk>/pdf/", views.submission_pdf, name="submission_pdf"),
]
