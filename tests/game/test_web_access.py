"""Access rules of the web side, through Django's real request stack:
reads are rate limited, staff endpoints and the dashboard turn anonymous
callers away, and the /metrics listener admits loopback and allowed
networks only."""

import ipaddress

from django.core.cache import cache
from django.test import Client, TestCase, override_settings

from game.observe_services import allowed


class WebAccessTest(TestCase):
    def setUp(self):
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)

    @override_settings(API_READ_RATE="3/min")
    def test_reads_are_rate_limited(self):
        web = Client()
        codes = [web.get("/api/world/state").status_code for _ in range(4)]
        self.assertEqual(codes, [200, 200, 200, 429])

    def test_anonymous_callers_are_turned_away_from_staff_pages(self):
        web = Client()
        self.assertEqual(web.post("/api/director/stop", {}, content_type="application/json").status_code, 401)
        self.assertEqual(web.get("/api/proposals").status_code, 401)
        page = web.get("/dashboard/")
        self.assertEqual(page.status_code, 302)
        self.assertIn("/auth/login/?next=/dashboard/", page["Location"])


def test_metrics_listener_admits_loopback_and_allowed_networks_only():
    networks = [ipaddress.ip_network("10.0.0.0/8")]
    assert allowed("127.0.0.1", []) and allowed("::1", []) and allowed("::ffff:127.0.0.1", [])
    assert not allowed("192.168.1.5", networks) and not allowed("not an address", networks)
    assert allowed("10.2.3.4", networks) and not allowed("10.2.3.4", [])
