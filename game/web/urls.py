"""URL routes: Evennia's website and web client, served with our templates."""

from evennia.web.urls import urlpatterns as evennia_urlpatterns

urlpatterns = list(evennia_urlpatterns)
