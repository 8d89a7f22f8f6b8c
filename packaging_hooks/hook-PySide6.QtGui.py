"""Replaces PyInstaller's hook for PySide6.QtGui: the same collection, minus the plugins and translations that
qt_prune.py drops (before the dependency analysis, so their libraries are not collected either)."""

from PyInstaller.utils.hooks.qt import add_qt6_dependencies
from qt_prune import prune

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries, datas = prune(binaries), prune(datas)
