from django.urls import path

from . import portal_views

app_name = "follow_up"
urlpatterns = [
    path("", portal_views.follow_up_list, name="list"),
    path("<int:pk>/", portal_views.follow_up_detail, name="detail"),
]
