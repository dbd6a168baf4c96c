"""What admins should know about the runtime disk: free space under the
runtime folder, with a warning below `MUD_DISK_WARN_MB` (a full disk stops
commits and journal writes; nothing already committed is lost)."""

import shutil

from .runtime import Bounds, RuntimePaths


def disk_line(paths: RuntimePaths, bounds: Bounds) -> tuple[bool, str]:
    """(low, "disk: 1234 MB free of 5000 MB under <root>")."""
    folder = paths.root if paths.root.exists() else paths.root.parent
    usage = shutil.disk_usage(folder)
    low = usage.free < bounds.disk_warn_bytes
    line = f"disk: {usage.free // 2**20} MB free of {usage.total // 2**20} MB under {paths.root}"
    if low:
        line += f" (below {bounds.disk_warn_bytes // 2**20} MB: free space or jobs and logs will fail)"
    return low, line
