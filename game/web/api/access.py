"""Who may call what: reads are open to anyone but rate limited (per
account; every anonymous caller shares one budget, because behind Evennia's
portal all of them reach the server from the same address); steering needs
an account with the Admin permission (the same as the in-game admin
commands). Anonymous calls to staff endpoints get 401, players 403."""

from django.conf import settings
from rest_framework.authentication import BasicAuthentication, SessionAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView


def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.check_permstring("Admin")))


class IsStaff(BasePermission):
    message = "Only admins may do this."

    def has_permission(self, request, view):
        return is_staff(request.user)


class ReadThrottle(SimpleRateThrottle):
    scope = "api_read"

    def get_rate(self):
        return settings.API_READ_RATE

    def get_cache_key(self, request, view):
        who = request.user.pk if request.user and request.user.is_authenticated else "anonymous"
        return f"throttle_api_read_{who}"


class ReadView(APIView):
    """Open to anyone, rate limited."""

    authentication_classes = [BasicAuthentication, SessionAuthentication]
    permission_classes = []
    throttle_classes = [ReadThrottle]
    renderer_classes = [JSONRenderer]


class StaffView(APIView):
    """Admins only (HTTP Basic or the site's login session, with its CSRF token)."""

    authentication_classes = [BasicAuthentication, SessionAuthentication]
    permission_classes = [IsStaff]
    renderer_classes = [JSONRenderer]
