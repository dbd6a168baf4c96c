"""Over real telnet, with a real worker: admins judge generated content in
the game (list, inspect with diff and budgets, edit, approve, reject), force
a generation, steer the director's sliders and change the guardrails live;
players are refused every admin command."""

import re

import pytest

from tests.e2e.helpers import wait_for_proposal

ADMIN_COMMANDS = ["proposals", "proposal npc.x", "proposal/edit npc.x name=y", "approve npc.x", "reject npc.x no",
                  "generate npc", "guardrails", "guardrails set legendary_max=5", "director", "director set chaos=1", "sim",
                  "snapshot", "snapshot create x", "snapshot restore s1", "snapshot delete s1"]


@pytest.fixture
def approval_required(admin):
    admin.command("guardrails set require_approval=true", "live now")
    yield
    admin.command("guardrails set require_approval=false", "live now")


def test_players_are_refused_every_admin_command(telnet):
    player = telnet()
    for line in ADMIN_COMMANDS:
        player.command(line, rf"Command '{re.escape(line)}' is not available")


def test_help_shows_every_admin_command_with_an_example(admin):
    for word in ("proposals", "proposal", "approve", "reject", "generate", "guardrails", "director", "sim", "snapshot"):
        entry = admin.command(f"help {word}", r"Example[^\n]*\n(\s+[^\n]+\n)+")
        assert "Usage" in entry, entry


def test_admin_judges_forced_proposals_in_game(game_server, admin, approval_required):
    game_server.start_worker()
    admin.command("generate npc market", r"Queued npc job \w+ in market")
    admin.command("generate quest forest", r"Queued quest job \w+ in forest")
    npc = wait_for_proposal(game_server, "npc")
    quest = wait_for_proposal(game_server, "quest")
    assert npc in admin.command("proposals", rf"{re.escape(quest)}[^\n]*\n")

    shown = admin.command(f"proposal {npc}", r"Why\n(  [^\n]*\n){2}")
    assert "Draft (payload)" in shown and "Validated result" in shown and "Enriched text" in shown
    assert re.search(r"npc stat points: [\d.]+ of [\d.]+", shown) and re.search(r"npc threat: \d+ of 3", shown)
    assert "forced by admin" in shown and "status=pending" in shown

    admin.command(f"proposal/edit {npc} name=Orsa the Tallyman", "name changed and validated")
    refused = admin.command(f"proposal/edit {npc} desc=She checks her smartphone.", r"fails validation[^\n]*\n")
    assert "modern technology" in refused
    admin.command(f"proposal/edit {npc} stats=9", r"no flavor field 'stats'")
    shown = admin.command(f"proposal {npc}", r"Why\n")
    assert '"name": "Orsa the Tallyman"' in shown and "edited" in shown and "smartphone" not in shown

    admin.command(f"approve {npc}", rf"Approved {re.escape(npc)}; a worker will publish it")
    assert wait_for_proposal(game_server, "npc", "published") == npc
    admin.command(f"approve {npc}", rf"{re.escape(npc)} is already published")
    admin.command(f"reject {quest}", r"Usage: reject <id> <reason>")
    admin.command(f"reject {quest} too grim for the forest", rf"Rejected {re.escape(quest)}")
    assert quest in admin.command("proposals rejected", rf"{re.escape(quest)}[^\n]*\n")
    admin.command("proposal quest.nope", r"no proposal 'quest.nope'")
    admin.command("proposals sideways", r"unknown state 'sideways'")
    admin.command("generate dragon", r"unknown kind 'dragon'")
    admin.command("generate npc atlantis", r"unknown region 'atlantis'")


def test_director_sliders_and_guardrails_change_live(admin):
    admin.command("director set chaos=0.3 aggression=0.7 expansion=0.2",
                  r"chaos set to 0.30; Director aggression set to 0.70; Director expansion set to 0.20")
    assert "chaos 0.30, aggression 0.70, expansion 0.20" in admin.command("director status", r"sliders:[^\n]*\n")
    admin.command("director set chaos=2", r"chaos takes a number from 0 to 1")
    admin.command("director set mood=1", r"unknown slider\(s\) mood")

    admin.command("guardrails set llm.timeout_s=7.5", r"Guardrail llm.timeout_s set to 7.5; live now")
    admin.command("guardrails set llm.timeout_s=-1", r"guardrail not changed: llm.timeout_s: Input should be greater than 0")
    admin.command("guardrails set no_such=1", r"no guardrail named 'no_such'")
    shown = admin.command("guardrails", r"room_block_max_rooms = \d+\n")
    assert re.search(r"\* llm.timeout_s = 7.5\n", shown) and re.search(r"  llm.attempts = 3\n", shown)
    admin.command("guardrails set llm.timeout_s=20", "live now")
