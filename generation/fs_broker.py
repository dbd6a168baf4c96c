"""The embedded broker's transport (`terafs://`): kombu's filesystem
transport, except that a message is written under a temporary name and
renamed into the queue folder whole. Kombu writes the message file in place,
so a worker polling the folder between the file's creation and its write
took an empty message and died of the JSONDecodeError (Celery calls it
unrecoverable), and every job queued after it waited for a restart."""

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import TRANSPORT_ALIASES, filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

SCHEME = "terafs"
PARTIAL = ".part"  # a name kombu's reader skips: it takes only "<stamp>_<uuid>.<queue>.msg"


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        """Put `payload` onto `queue`: written aside, then renamed in."""
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        try:
            with open(final + PARTIAL, "wb") as fh:
                fh.write(str_to_bytes(dumps(payload)))
            os.replace(final + PARTIAL, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel


TRANSPORT_ALIASES[SCHEME] = f"{__name__}:Transport"
