"""Published material for every signed-in user: factsheets to read or download, the practices search."""

import io

from django import forms
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from monitoring.compilation.forms import FORMATS
from secretariat import access

from . import practices
from .factsheet_render import RENDERERS, render_html
from .factsheets import build_factsheet
from .models import Factsheet, Theme

PRACTICES_PER_PAGE = 25


class PracticeSearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    party = forms.ChoiceField(label=_("Party"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    article = forms.ChoiceField(label=_("Convention article"), required=False)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["party"].choices = everything + [
            (party.code, str(party)) for party in practices.practice_parties(user=user)
        ]
        self.fields["theme"].choices = everything + [
            (theme.slug, str(theme)) for theme in access.scoped(Theme, user)
        ]
        self.fields["article"].choices = everything + [
            (str(article.number), str(article)) for article in practices.practice_articles(user=user)
        ]


@login_required(login_url="admin:login")
def practice_search(request: HttpRequest) -> HttpResponse:
    """Search the promising practices by words, Party, theme and article."""
    form = PracticeSearchForm(request.GET, user=request.user)
    page = None
    if form.is_valid():
        data = form.cleaned_data
        found = practices.search_practices(
            user=request.user,
            query=data["q"],
            party=data["party"] or None,
            theme=data["theme"] or None,
            article=data["article"] or None,
        ).defer("text", "text_excerpt")  # the page shows the stored HTML
        page = Paginator(found, PRACTICES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        **admin.site.each_context(request),
        "title": _("Promising practices"),
        "form": form,
        "page": page,
        "results": practices.describe(page.object_list) if page else [],
        "query_string": _without_page(request),
    }
    return render(request, "practices/search.html", context)


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required(login_url="admin:login")
def factsheet(request: HttpRequest, slug: str) -> HttpResponse:
    """The factsheet as a page, or downloaded with ?format=html|docx|pdf.

    Factsheets are published material: every signed-in user may read and download them.
    """
    item = get_object_or_404(access.scoped(Factsheet, request.user), slug=slug)
    format = request.GET.get("format")
    if format is not None and format not in RENDERERS:
        raise Http404
    document = build_factsheet(factsheet=item, user=request.user)
    if format is None:
        return HttpResponse(render_html(document, request))
    content_type, extension = FORMATS[format]
    return FileResponse(
        io.BytesIO(RENDERERS[format](document)),
        as_attachment=True,
        filename=f"factsheet-{item.slug}.{extension}",
        content_type=content_type,
    )
