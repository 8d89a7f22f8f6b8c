"""Which Qt plugins and translations the EnforceDesk build keeps (used by build.spec and the hooks beside it).

PyInstaller's PySide6 hooks collect every plugin of every type a module may use; excluding a module from the
analysis does not remove them, and their link-time dependencies (the GTK stack behind the gtk3 platform
theme, the Wayland and EGLFS client libraries) are collected with them (docs/performance.md §7). The hooks here drop
those plugins *before* the dependency analysis, so their libraries never enter the build.
"""

from __future__ import annotations

import re
from pathlib import PurePath

# Plugin folders the app never loads: kiosk/embedded platforms, touch and evdev input, network plugins
# (the app is offline; QtNetwork only comes in as a link dependency of QtPdf).
DROPPED_PLUGIN_TYPES = frozenset({
    "egldeviceintegrations", "generic", "networkinformation", "networkaccess", "tls", "bearer",
    "wayland-decoration-client", "wayland-graphics-integration-client", "wayland-graphics-integration-server",
    "wayland-shell-integration", "qmltooling", "sqldrivers", "designer",
})
# Within the folders that stay: platforms other than xcb/windows/cocoa/offscreen/minimal, the GTK theme
# (pulls in GTK, cairo, pango, gdk-pixbuf), and image formats an enforcement office does not open.
_DROPPED_PLUGIN_FILES = re.compile(
    r"^(lib)?q?("
    r"eglfs|linuxfb|minimalegl|vkkhrdisplay|vnc|wayland|wayland-egl|wayland-generic|"  # platforms
    r"gtk3|"  # platformthemes
    r"icns|tga|wbmp|tiff|pdf|macheif|macjp2"  # imageformats
    r")d?\.(so|dll|dylib)$",
    re.IGNORECASE,
)
# The only Qt translations shipped: Simplified Chinese for Qt's own dialogs and buttons.
_KEPT_TRANSLATIONS = re.compile(r"^qt(base)?_zh_CN\.qm$")
# Windows-only software OpenGL fallback (~20 MB): a widgets app renders with the raster engine.
DROPPED_BINARIES = frozenset({"opengl32sw.dll"})


def plugin_kept(dest: str) -> bool:
    """False for a plugin (by its destination path in the bundle) that the build leaves out."""
    parts = PurePath(dest).parts
    if "plugins" not in parts:
        return PurePath(dest).name.lower() not in DROPPED_BINARIES
    rest = parts[parts.index("plugins") + 1:]
    if not rest:
        return True
    if rest[0] in DROPPED_PLUGIN_TYPES:
        return False
    return not _DROPPED_PLUGIN_FILES.match(rest[-1])


def translation_kept(dest: str) -> bool:
    """False for a Qt translation file other than the Simplified Chinese ones; True for anything else."""
    path = PurePath(dest)
    if "translations" not in path.parts or path.suffix != ".qm":
        return True
    return bool(_KEPT_TRANSLATIONS.match(path.name))


def prune(entries: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Filter a hook's (source, destination folder) pairs."""
    return [(src, dest) for src, dest in entries
            if plugin_kept(str(PurePath(dest) / PurePath(src).name)) and
            translation_kept(str(PurePath(dest) / PurePath(src).name))]
