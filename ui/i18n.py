"""Interface language: Qt's own dialogs and EnforceDesk's translation files under resources/i18n.

Simplified Chinese is the source language: every ``tr()`` string is written in Chinese, so the shipped
language needs no translation. ``enforcedesk_zh_CN.qm`` is loaded if present anyway (a place for wording
changes without touching the code). ``ENFORCEDESK_LANG=en`` (or any code with an ``enforcedesk_<code>.qm``)
switches the interface; the English file is a *partial* translation (main window navigation and menus, the
login dialog) that exists to prove the pipeline end to end — untranslated strings stay in Chinese.
``tools/update_translations.py`` regenerates the .ts catalogues from ui/ and compiles them.

Texts the services hand over ready-made (enum labels from models/enums.py, list titles, column headers and status
names from services/read/queries.py, detail field names) are Chinese data, not ``tr()`` strings: the screens pass
them through ``data_text`` when they show them, and update_translations.py harvests them into the ``data``
context of the catalogues. Procedure step names (ACTION_LABELS) go through ``step_text``, context ``step``:
the same Chinese word can be a step and a status (立案, 移送) and needs its own translation as each.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from services.core.paths import resource_path

log = logging.getLogger(__name__)

ENV_VAR = "ENFORCEDESK_LANG"
SOURCE_LANGUAGE = "zh_CN"
CATALOGUE = "enforcedesk"  # resources/i18n/enforcedesk_<lang>.qm
DATA_CONTEXT = "data"  # the catalogue context of service-provided labels (must match the literal in data_text)
STEP_CONTEXT = "step"  # procedure step names (models' ACTION_LABELS): "移送" the step is not "移送" the result

# Translators this module installed, per application, so that switching language replaces them.
_installed: list[QTranslator] = []


@dataclass(frozen=True, slots=True)
class Installed:
    """What ``install_translations`` loaded."""

    language: str  # the language in effect (the source language after a fallback)
    qt: bool  # Qt's own strings (qtbase_<lang>.qm) are translated
    app: Path | None  # the EnforceDesk .qm file loaded, if any


def translations_dir() -> Path:
    return resource_path("i18n")


def requested_language(environ: Mapping[str, str] | None = None) -> str:
    """The language asked for with ENFORCEDESK_LANG (``en``, ``en_US``, ``zh-CN``…), else Simplified Chinese."""
    value = (environ if environ is not None else os.environ).get(ENV_VAR, "").strip().replace("-", "_")
    return value or SOURCE_LANGUAGE


def _app_file(translator: QTranslator) -> Path | None:
    name = translator.filePath()
    return Path(name) if name else None


def _is_source(language: str) -> bool:
    return QLocale(language).language() == QLocale(SOURCE_LANGUAGE).language()


def install_translations(app: QCoreApplication, language: str | None = None, *,
                         folder: Path | None = None) -> Installed:
    """Install the translators for ``language`` (default: ``requested_language()``), replacing earlier ones.

    A language without an EnforceDesk translation falls back to Simplified Chinese, Qt's dialogs included,
    so the user never gets English buttons around Chinese forms by mistake.
    """
    lang = language or requested_language()
    folder = folder if folder is not None else translations_dir()
    for old in _installed:
        QCoreApplication.removeTranslator(old)
    _installed.clear()

    app_translator = QTranslator(app)  # parented: lives as long as the application
    loaded = app_translator.load(QLocale(lang), CATALOGUE, "_", str(folder))
    if not loaded and not _is_source(lang):
        log.warning("no EnforceDesk translation for %r in %s; using Simplified Chinese", lang, folder)
        lang = SOURCE_LANGUAGE
        loaded = app_translator.load(QLocale(lang), CATALOGUE, "_", str(folder))
    app_path = None
    if loaded and QCoreApplication.installTranslator(app_translator):
        _installed.append(app_translator)
        app_path = _app_file(app_translator)

    # Qt's own buttons and dialogs (file, print, message boxes). Qt's source language is English, so for
    # English nothing is needed; for Chinese this is what makes 取消/确定 appear.
    qt_translator = QTranslator(app)
    qt = False
    if qt_translator.load(QLocale(lang), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        qt = QCoreApplication.installTranslator(qt_translator)
        if qt:
            _installed.append(qt_translator)
            if _is_source(lang):
                supplement = _QtSupplement(app)
                if QCoreApplication.installTranslator(supplement):
                    _installed.append(supplement)
    return Installed(lang, qt or QLocale(lang).language() == QLocale.Language.English, app_path)


# Qt strings that changed in Qt 6 while the shipped qtbase_zh_CN.qm still has only their Qt 5 wording (the
# non-native file dialog showed "Look in:" and "Files of type:" in English). Found by tests/ui/test_chinese_only.py.
_QT_ZH_SUPPLEMENT: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QFileSystemModel", "Drive"): "驱动器",
    ("QAbstractFileIconProvider", "Drive"): "驱动器",
}


class _QtSupplement(QTranslator):
    """Chinese for the Qt strings qtbase_zh_CN.qm lacks; installed after it, so it is asked first."""

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:
        return _QT_ZH_SUPPLEMENT.get((context, source))  # None (a null string): ask the next translator

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return False


def data_text(text: str) -> str:
    """A label provided by the services (enum label, list title, column header…) in the interface language.

    Chinese is the source language: without a translator, or for a text the catalogue does not know (a party's
    name, say), the text comes back unchanged.
    """
    # The context is written as a literal so that update_translations.py recognises this as a wrapper.
    return QCoreApplication.translate("data", text) if text else text


def step_text(text: str) -> str:
    """A procedure step's name (models/penalty_flow.py, mediation_flow.py ACTION_LABELS) in the interface language."""
    return QCoreApplication.translate("step", text) if text else text
