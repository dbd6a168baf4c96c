"""URL routes: Evennia's website, web client and admin, served with our
templates; the REST API under /api/ and the staff dashboard at /dashboard/."""

from django.urls import include, path
from evennia.web.urls import urlpatterns as evennia_urlpatterns

from game.web.dashboard.views import dashboard

urlpatterns = [
    # Evennia's menu links staff to admin:index; without this route every page
    # a staff account opens fails with NoReverseMatch.
    path("admin/", include("evennia.web.admin.urls")),
    path("api/", include("game.web.api.urls")),
    path("dashboard/", dashboard, name="dashboard"),
    *evennia_urlpatterns,
]
