"""Commands that show a player's text to others: emote/pose, page, channel
messages and setdesc, each Evennia's own with the player's text made literal
by `game.player_text.escape_player_text` (say and whisper get the same
through `Character.at_pre_say`)."""

from evennia import default_cmds

from game.player_text import escape_player_text


class CmdPose(default_cmds.CmdPose):
    """
    strike a pose

    Usage:
      pose <pose text>
      pose's <pose text>
      emote <pose text>
      :<pose text>

    Example:
      pose is standing by the wall, smiling.
       -> others will see:
      Tom is standing by the wall, smiling.

    Describe an action being taken. The pose text will automatically
    begin with your name. Everybody sees the text exactly as you typed it.
    """

    def func(self):
        caller = self.caller
        if not self.args:
            self.msg("What do you want to do?")
            return
        if caller.location is None:
            self.msg("There is nobody here to see you.")
            return
        # the player's text is a mapping value: the funcparser and str.format
        # only ever see the template
        caller.location.msg_contents(
            text=("{actor}{pose}", {"type": "pose"}),
            from_obj=caller,
            mapping={"actor": caller.name, "pose": escape_player_text(self.args)},
        )


class CmdPage(default_cmds.CmdPage):
    """
    send a private message to another account

    Usage:
      page <account> <message>
      page[/switches] [<account>,<account>,... = <message>]
      tell        ''
      page <number>

    Switches:
      last - shows who you last messaged
      list - show your last <number> of tells/pages (default)

    Send a message to target user (if online). If no argument is given, you
    will get a list of your latest messages. The equal sign is needed for
    multiple targets or if sending to target with space in the name. The
    message arrives exactly as you typed it.
    """

    def parse(self):
        # Account names cannot hold markup or control characters, so escaping
        # the whole line changes only the message, before Evennia splits it.
        self.args = escape_player_text(self.args)
        super().parse()


class CmdChannel(default_cmds.CmdChannel):
    # the help text is Evennia's (the parent's docstring)

    def msg_channel(self, channel, message, **kwargs):
        # Evennia's version strips `|/` and `|-` from the message, which would
        # break the escaping; escaped, they are plain text anyway.
        if not channel.access(self.caller, "send"):
            self.msg(f"You are not allowed to send messages to channel {channel}")
            return
        channel.msg(escape_player_text(message), senders=self.caller, **kwargs)


class CmdSetDesc(default_cmds.CmdSetDesc):
    """
    describe yourself

    Usage:
      setdesc <description>

    Add a description to yourself. This will be visible to people when
    they look at you, exactly as you typed it.
    """

    def func(self):
        if not self.args.strip():
            self.msg("You must add a description.")
            return
        self.caller.db.desc = escape_player_text(self.args.strip())
        self.msg("You set your description.")
