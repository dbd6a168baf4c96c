"""Game time: the deployment switches MUD_SIM_TICKS_PER_DAY / MUD_SIM_DAYS_PER_SEASON reach the simulation."""

from django.test import SimpleTestCase, override_settings

from game.simulation_bridge import game_time
from world.config import load_config


class GameTimeTest(SimpleTestCase):
    def test_settings_override_the_calendar(self):
        with override_settings(SIM_TICKS_PER_DAY=30, SIM_DAYS_PER_SEASON=2):
            cfg = game_time(load_config())
        self.assertEqual((cfg.ticks_per_day, cfg.days_per_season), (30, 2))

    def test_zero_keeps_the_config(self):
        with override_settings(SIM_TICKS_PER_DAY=0, SIM_DAYS_PER_SEASON=0):
            cfg = game_time(load_config())
        self.assertEqual(cfg.ticks_per_day, load_config().ticks_per_day)

    def test_a_bad_day_length_is_refused(self):
        with override_settings(SIM_TICKS_PER_DAY=100):
            with self.assertRaisesRegex(ValueError, "multiple of 3"):
                game_time(load_config())
