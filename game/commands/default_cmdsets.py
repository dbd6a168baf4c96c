"""Command sets: Evennia's defaults plus the game's own commands."""

from evennia import default_cmds

from .builder_locks import CmdLock, CmdTasks, CmdTunnel
from .communication import CmdChannel, CmdPage, CmdPose, CmdSetDesc
from .content_admin import CmdContent, CmdUndo
from .character import CmdHeal, CmdReputation, CmdScore
from .combat import CmdAttack, CmdConsider, CmdFlee, CmdRaid
from .director_admin import CmdDirector
from .directions import no_exit_commands
from .equipment import CmdEquip, CmdInventory, CmdUnequip
from .generate_admin import CmdGenerate
from .guardrails_admin import CmdGuardrails
from .handling import CmdDrop, CmdGet, CmdGive
from .login import CmdUnconnectedConnect, CmdUnconnectedCreate
from .map import CmdMap
from .proposal_admin import CmdApprove, CmdProposal, CmdProposals, CmdReject
from .sim_admin import CmdSim
from .snapshot_admin import CmdSnapshot
from .quests import CmdQuest, CmdQuests
from .talk import CmdTalk
from .trade import CmdBuy, CmdList, CmdRepair, CmdSell, CmdValue


class CharacterCmdSet(default_cmds.CharacterCmdSet):
    """Commands of an in-game character."""

    key = "DefaultCharacter"

    def at_cmdset_creation(self):
        super().at_cmdset_creation()
        for cmd in (CmdTunnel, CmdLock, CmdTasks):
            self.add(cmd())
        for cmd in (CmdGet, CmdDrop, CmdGive):
            self.add(cmd())
        for cmd in no_exit_commands():
            self.add(cmd)
        self.add(CmdInventory())
        self.add(CmdEquip())
        self.add(CmdUnequip())
        self.add(CmdMap())
        self.add(CmdSim())
        self.add(CmdDirector())
        self.add(CmdContent())
        self.add(CmdUndo())
        self.add(CmdSnapshot())
        for cmd in (CmdScore, CmdReputation, CmdHeal, CmdList, CmdBuy, CmdSell, CmdValue, CmdRepair, CmdAttack,
                    CmdConsider, CmdFlee, CmdRaid, CmdTalk, CmdQuests, CmdQuest, CmdPose, CmdSetDesc):
            self.add(cmd())
        for cmd in (CmdProposals, CmdProposal, CmdApprove, CmdReject, CmdGenerate, CmdGuardrails):
            self.add(cmd())


class AccountCmdSet(default_cmds.AccountCmdSet):
    """Commands of a logged-in account (page and channels included)."""

    key = "DefaultAccount"

    def at_cmdset_creation(self):
        super().at_cmdset_creation()
        self.add(CmdPage())
        self.add(CmdChannel())


class UnloggedinCmdSet(default_cmds.UnloggedinCmdSet):
    """The login screen: Evennia's, with `connect` and `create` hashing passwords in a thread."""

    key = "DefaultUnloggedin"

    def at_cmdset_creation(self):
        super().at_cmdset_creation()
        self.add(CmdUnconnectedConnect())
        self.add(CmdUnconnectedCreate())


class SessionCmdSet(default_cmds.SessionCmdSet):
    key = "DefaultSession"
