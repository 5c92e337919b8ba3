"""ptyterm.py: what the terminal benchmarks share — pyte (with the scroll
commands ncurses uses) and free loopback ports.  Standard library plus
Debian's python3-pyte."""

import os
import socket
import sys


def load_pyte():
    """pyte from this interpreter, else Debian's python3-pyte (pure Python)
    when the default python3 is another build; None without either."""
    try:
        import pyte
        return pyte
    except ImportError:
        pass
    deb = "/usr/lib/python3/dist-packages"
    if os.path.isdir(os.path.join(deb, "pyte")):
        sys.path.append(deb)
        try:
            import pyte
            return pyte
        except ImportError:
            pass
    return None


def pyte_classes(pyte):
    """pyte 0.8 ignores SU/SD (CSI n S / CSI n T), which ncurses uses to
    shift rows inside a scroll region; without them the rendered screen
    drifts from the real one.  Both are a scroll region's index / reverse
    index n times with the cursor kept where it was."""

    class Screen(pyte.Screen):
        def _scroll(self, count, up):
            top, bottom = self.margins or (0, self.lines - 1)
            x, y = self.cursor.x, self.cursor.y
            self.cursor.y = bottom if up else top
            for _ in range(max(count or 1, 1)):
                if up:
                    self.index()
                else:
                    self.reverse_index()
            self.cursor.x, self.cursor.y = x, y

        def scroll_up(self, count=None, *args, **kwargs):
            self._scroll(count, True)

        def scroll_down(self, count=None, *args, **kwargs):
            self._scroll(count, False)

    class Stream(pyte.ByteStream):
        csi = dict(pyte.ByteStream.csi, S="scroll_up", T="scroll_down")
        events = pyte.ByteStream.events | {"scroll_up", "scroll_down"}

    return Screen, Stream


def free_ports(n):
    """n distinct free loopback ports: bind them all at once so the kernel
    cannot hand out the same one twice, then let go."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()
