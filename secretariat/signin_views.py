"""The admin's and the portal's sign-in pages: allauth's LoginView (password, then the second
factor, rate limits, django-axes lock-outs) in each one's own look."""

from allauth.account.views import LoginView
from django.contrib import admin
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _


class AdminLoginView(LoginView):
    """`/admin/login/`. A signed-in user without admin access is offered to sign in as someone
    else, as Django's own admin login does, instead of being sent back and forth."""

    template_name = "admin/signin.html"
    success_url = reverse_lazy("admin:index")

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if request.method == "GET" and admin.site.has_permission(request):
            return redirect(self.get_success_url())
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        return {
            **super().get_context_data(**kwargs),
            **admin.site.each_context(self.request),
            "title": _("Log in"),
            "app_path": self.request.get_full_path(),
            "username": self.request.user.get_username(),
        }


class PortalLoginView(LoginView):
    """`/portal/login/`, for State representatives and stakeholders (and anyone else)."""

    template_name = "portal/login.html"
    success_url = reverse_lazy("portal:home")

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if request.method == "GET" and request.user.is_authenticated:
            return redirect(self.get_success_url())
        return super().dispatch(request, *args, **kwargs)
