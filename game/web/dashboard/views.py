"""The dashboard view: admins get the page (and a CSRF cookie for the API's
POSTs), anyone else is sent to log in."""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from game.web.api.access import is_staff


@ensure_csrf_cookie
def dashboard(request):
    if not is_staff(request.user):
        return redirect_to_login(request.get_full_path())
    return render(request, "dashboard/index.html", {"page_title": "Dashboard"})
