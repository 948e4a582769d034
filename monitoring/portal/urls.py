from django.contrib.auth import views as auth_views
from django.urls import path

from secretariat.signin_views import PortalLoginView

from . import participation_views as children
from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", PortalLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="portal:login"), name="logout"),
    path("rounds/<int:number>/", views.questionnaire, name="questionnaire"),
    path("rounds/<int:number>/sections/<int:section>/", views.questionnaire, name="questionnaire_section"),
    path("rounds/<int:number>/submit/", views.submit, name="submit"),
    path("rounds/<int:number>/consent/", views.consent, name="consent"),
    path("rounds/<int:number>/history/", views.submission_history, name="submission_history"),
    path("documents/", views.documents, name="documents"),
    path("replies/<int:pk>/edit/", views.reply_edit, name="reply_edit"),
    path("replies/<int:pk>/delete/", views.reply_delete, name="reply_delete"),
    # Children's views: an organisation's child participation contributions.
    path("children/", children.contribution_list, name="children_list"),
    path("children/rounds/<int:number>/new/", children.contribution_new, name="children_new"),
    path("children/<int:pk>/", children.contribution_detail, name="children_detail"),
    path("children/<int:pk>/edit/", children.contribution_edit, name="children_edit"),
    path("children/<int:pk>/quotes/new/", children.quote_new, name="children_quote_new"),
    path("children/<int:pk>/send/", children.contribution_send, name="children_send"),
    path("children/<int:pk>/history/", children.contribution_history, name="children_history"),
    path("children/quotes/<int:pk>/edit/", children.quote_edit, name="children_quote_edit"),
    path("children/quotes/<int:pk>/delete/", children.quote_delete, name="children_quote_delete"),
]
