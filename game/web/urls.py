"""URL routes: Evennia's website, web client and admin, served with our templates."""

from django.urls import include, path
from evennia.web.urls import urlpatterns as evennia_urlpatterns

urlpatterns = [
    # Evennia's menu links staff to admin:index; without this route every page
    # a staff account opens fails with NoReverseMatch.
    path("admin/", include("evennia.web.admin.urls")),
    *evennia_urlpatterns,
]
