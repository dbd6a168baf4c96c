"""The embedded broker's transport (`terafs://`): kombu's filesystem transport,
with every message written whole before it shows in the queue folder.

Kombu's own `_put` creates the message file and then writes it; a worker that
lists the folder in between moves the still empty file away, fails to parse
it and its consumer stops for good (the queue then only grows: seen under load
in tests/e2e/test_long_run.py). Here a message is written under a name the
consumer passes over (it takes only `<stamp>_<uuid>.<queue>.msg`) and renamed
into place, which is atomic within the folder."""

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import TRANSPORT_ALIASES, filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

SCHEME = "terafs"


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        """Put `payload` onto `queue`: written aside, then renamed into the queue."""
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = os.path.join(self.data_folder_out, f".{name}.partial")
        try:
            with open(partial, "wb") as f:
                f.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel


TRANSPORT_ALIASES[SCHEME] = f"{__name__}:Transport"
