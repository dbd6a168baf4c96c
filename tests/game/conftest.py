"""Game tests run against Evennia's test database, set up the way Evennia's
own test runner does it: initialise Evennia, flag the test environment."""

import evennia
import pytest
from django.conf import settings


@pytest.fixture(scope="session", autouse=True)
def evennia_initialised(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        evennia._init()
    settings.TEST_ENVIRONMENT = True
    yield
    settings.TEST_ENVIRONMENT = False
