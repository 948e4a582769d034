"""My work on the admin's home page: `{% my_work %}` renders what waits on the signed-in user."""

from django import template

from secretariat import access, work

register = template.Library()


@register.inclusion_tag("work/my_work.html", takes_context=True)
def my_work(context) -> dict:
    """The user's work for the scope of the query string (`?scope=mine|unassigned|everyone`)."""
    request = context["request"]
    user = request.user
    scope = work.normalise_scope(request.GET.get("scope"))
    totals = work.scope_totals(user)
    return {
        "request": request,
        "items": work.items_for(user, scope),
        "counts": work.counts(user, scope),
        "scope": scope,
        "scopes": [(key, label, totals.get(key, 0)) for key, label in work.scope_labels()],
        "is_secretariat": access.is_secretariat(user),
        "limit": work.LIMIT,
    }
