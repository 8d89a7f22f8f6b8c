"""The main window: a navigation shell around the screens; every action goes through services.

Importing this module loads Qt and the SQLAlchemy-free services only (the 工作台's SQL, the list titles, roles):
at start-up the window is shown before the rest of the program has loaded (ui/app.py). The record screens and
the lists import their services when they are built.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from models.enums import RecordKind
from models.labels import label
from services.core.app_info import APP_TITLE, VERSION
from services.core.errors import AppError
from services.people.roles import Permission, UserInfo
from services.read.home import HomeReader, HomeSnapshot, UowHomeReader
from services.read.list_titles import LIST_TITLES
from ui.data_events import DataEvents, concerns
from ui.home_page import HomePage
from ui.i18n import data_text
from ui.operations import TaskRunner
from ui.qt_compat import emit
from ui.ui_settings import UiSettings

if TYPE_CHECKING:
    from services.core.context import AppContext
    from services.read import queries
    from services.read.queries import ListQuery
    from ui.cases.case_view import CaseView
    from ui.mediation.mediation_view import MediationView
    from ui.widgets.detail_page import DetailPage
    from ui.widgets.list_page import ListPage

# (list name, can the user create records there)
LIST_PAGES: tuple[tuple[str, bool], ...] = (
    ("inspections", True), ("campaigns", True), ("cases", True), ("mediations", True), ("parties", True),
    ("officers", True), ("catalogue", False), ("documents", False),
)
# Who may create (and, for officers, edit) in a list other than with Permission.RECORD: officers are the squad
# leader's to register.
CREATE_PERMISSION: dict[str, Permission] = {"officers": Permission.MANAGE_USERS}
# Pages of a township only: a district looks at the townships' committees in their mediations, it keeps none.
TOWNSHIP_PAGES = frozenset({"committees"})
# At the district the townships' records are looked up, never entered: read-only lists, no parties (personal data
# the district has no need to browse) and no issued documents (documents are issued by the township).
DISTRICT_LISTS: tuple[str, ...] = ("inspections", "campaigns", "cases", "mediations", "officers", "catalogue")
# Opens a form over the window (its forms tell the change notification what they saved); returns the new record's
# uid, None if cancelled.
Creator = Callable[[QWidget, DataEvents], str | None]
# The pages that need no list (同步, 设置): built by the window with a way to get the context once it exists, the
# window's runner and its change notification (ui/pages.py).
PagesFactory = Callable[[Callable[[], "AppContext"], TaskRunner, DataEvents], dict[str, QWidget]]


@dataclass(frozen=True, slots=True)
class Attachment:
    """What turns the window's shell into the working program: the context (user set) and the record forms."""

    ctx: AppContext
    creators: dict[str, Creator] | None = None


@dataclass(frozen=True, slots=True)
class WindowStart:
    """A township window shown before the program's modules have loaded (ui/app.py: the 工作台 the moment the
    password is checked).

    Attributes:
        user: who signed in.
        home: where the 工作台 reads its figures until then (the database file, services.read.home.FileHomeReader).
        snapshot: the 工作台's figures, read a moment ago.
        pages: the extra pages (同步, 设置), given a way to get the context when they are first shown, the runner
            and the change notification.
        loaded: has the rest finished loading? (polled; the window attaches it then).
        load: waits for the rest (keeping the screen painted) and returns it; raises what the loading raised.
    """

    user: UserInfo
    home: HomeReader
    snapshot: HomeSnapshot | None
    pages: PagesFactory | None
    loaded: Callable[[], bool]
    load: Callable[[], Attachment]


class _ListPages(Mapping[str, "ListPage"]):
    """The list screens by name. Each is built the first time it is shown or asked for: eight lists with
    their filter bars and pick-lists are not needed to open the 工作台 (bench/bench_startup.py)."""

    def __init__(self, build: Callable[[str], ListPage]) -> None:
        self._build = build
        self._names: list[str] = []
        self.built: dict[str, ListPage] = {}  # an unbuilt list has nothing on screen to refresh

    def add(self, name: str) -> None:
        self._names.append(name)

    def __getitem__(self, name: str) -> ListPage:
        if name not in self.built:
            if name not in self._names:
                raise KeyError(name)
            self.built[name] = self._build(name)
        return self.built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


class MainWindow(QMainWindow):
    """The navigation shell around the screens.

    Signals: switch_user_requested() — 文件 → 切换用户 / 注销: the composition root (ui/compose.py) takes the user
    back to the login dialog and, on a login, replaces this window with the new user's.

    Built either with the context (``MainWindow(ctx, …)``: everything at once) or, at start-up, from a
    :class:`WindowStart`: the shell, the 工作台 and the navigation come first; the record screens, lists and
    forms are attached when the program has loaded (polled), or at once when the user asks for one of them
    sooner (the status bar says 正在载入… meanwhile).

    Its collaborators come from the composition root: ``runner`` (the one way slow work is run, ui/operations.py),
    ``ui_settings`` and ``data_events`` (the one change notification, ui/data_events.py; one of its own if not
    given). The window hands them on, in their constructors, to every screen it builds; when ``data_events``
    fires it reads again every list it has built and the 工作台.
    """

    switch_user_requested = Signal()

    def __init__(self, ctx: AppContext | None = None, *, runner: TaskRunner, ui_settings: UiSettings,
                 data_events: DataEvents | None = None, db_label: str = "",
                 creators: dict[str, Creator] | None = None, pages: PagesFactory | None = None,
                 start: WindowStart | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if (ctx is None) == (start is None):
            raise TypeError("MainWindow needs either an AppContext or a WindowStart")
        self.runner, self.ui_settings = runner, ui_settings
        self.data_events = data_events if data_events is not None else DataEvents(self)
        self.data_events.changed.connect(self._on_data_changed)
        self.ctx: AppContext | None = None
        self.creators: dict[str, Creator] = {}
        self._start = start
        if ctx is not None:
            from services.read.district_mode import is_district_database

            self.district = is_district_database(ctx.reader())
            user = ctx.user
        else:
            assert start is not None
            self.district = False  # the start-up takes this path for township databases only
            user = start.user
        who = f"{user.display_name}（{data_text(label(user.role))}）" if user else self.tr("未登录")
        mode = self.tr("（区级）") if self.district else ""
        self.setWindowTitle(f"{APP_TITLE}{mode} {VERSION} — {who}")
        self.resize(1280, 760)
        self.setMinimumSize(QSize(1000, 600))  # usable on a 1366×768 office screen

        self.nav = QListWidget(self)
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(150)
        self.stack = QStackedWidget(self)
        self.pages: dict[str, QWidget] = {}

        self.district_pages: dict[str, QWidget] = {}
        self._fresh: set[str] = set()  # district pages loaded since the data last changed
        if ctx is not None and self.district:
            self._add_district_pages(ctx)
        else:
            home: HomeReader = start.home if start is not None else UowHomeReader(ctx.reader)  # type: ignore[union-attr]
            self.home = HomePage(home, self, snapshot=start.snapshot if start is not None else None)
            self.home.open_requested.connect(self.open_record)
            self.home.first_step_requested.connect(self.show_page)
            self._add_page("home", self.tr("工作台"), self.home)
        self._choices: tuple[list[str], list[tuple[str, str]]] | None = None  # read when the first list is built
        self._creatable: dict[str, bool] = {}
        self.lists = _ListPages(self._list_page)
        for name, creatable in LIST_PAGES:
            if self.district and name not in DISTRICT_LISTS:
                continue
            self._creatable[name] = creatable
            self.lists.add(name)
            self._add_page(name, data_text(LIST_TITLES[name]), QWidget(self))  # a placeholder until the list is first needed
        if start is not None:
            pages = start.pages
        for key, widget in (pages(self._context, runner, self.data_events) if pages is not None else {}).items():
            if self.district and key in TOWNSHIP_PAGES:
                continue
            self._add_page(key, widget.windowTitle() or key, widget)

        # The record screens (case, mediation, other records) go into this page when attached.
        self.record_page = QWidget(self)
        self.record_stack = QStackedWidget(self.record_page)
        back = QPushButton(self.tr("← 返回列表 (Esc)"), self.record_page)
        back.setObjectName("backButton")
        back.clicked.connect(self.back)
        rl = QVBoxLayout(self.record_page)
        top = QHBoxLayout()
        top.addWidget(back)
        if self.district:
            note = QLabel(self.tr("区级只读查看：案件由乡镇办理，此处不能办理环节、制发文书或添加证据"), self.record_page)
            note.setStyleSheet("color: #5f6368;")
            top.addWidget(note)
        top.addStretch(1)
        rl.addLayout(top)
        rl.addWidget(self.record_stack, 1)
        self.stack.addWidget(self.record_page)
        self._return_to = next(iter(self.pages))

        central = QWidget(self)
        h = QHBoxLayout(central)
        h.setContentsMargins(4, 4, 4, 4)
        h.addWidget(self.nav)
        h.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self._on_nav)
        self.status = QLabel(db_label, self)
        self.statusBar().addPermanentWidget(self.status)
        self._build_menu()
        geometry = ui_settings.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if ctx is not None:
            self.attach(Attachment(ctx, creators))
        else:
            # Once shown, attach the rest as soon as it has loaded, without waiting for the user to ask. Not
            # before: a window built while the password is checked is thrown away unseen if it is wrong.
            self._poll = QTimer(self)
            self._poll.setInterval(30)
            self._poll.timeout.connect(self._attach_if_loaded)
        self.nav.setCurrentRow(0)

    def attach(self, parts: Attachment) -> None:
        """Build what needs the context: the record screens, and the forms that create records."""
        from ui.cases.case_view import CaseView
        from ui.mediation.mediation_view import MediationView
        from ui.widgets.detail_page import DetailPage

        if self.ctx is not None:
            raise RuntimeError("the window is attached already")
        ctx = self.ctx = parts.ctx
        self.creators = {} if self.district else (parts.creators or {})
        if not self.district:
            self.home.reader = UowHomeReader(ctx.reader)
        self.case_view: CaseView = CaseView(ctx, runner=self.runner, data_events=self.data_events, parent=self)
        self.mediation_view: MediationView = MediationView(ctx, runner=self.runner, data_events=self.data_events,
                                                           parent=self)
        self.record_stack.addWidget(self.case_view)
        self.record_stack.addWidget(self.mediation_view)
        self.detail_page: DetailPage = DetailPage(ctx, runner=self.runner, data_events=self.data_events, parent=self)
        self.record_stack.addWidget(self.detail_page)
        if self.district:
            self._make_records_read_only()
        self.statusBar().clearMessage()

    @property
    def attached(self) -> bool:
        return self.ctx is not None

    def _attach_if_loaded(self) -> None:
        if self._start is not None and self._start.loaded():
            self._poll.stop()
            self._ready()

    def _ready(self) -> bool:
        """Attach the rest now if not done yet (waiting for it to load); False if it could not be loaded."""
        if self.ctx is not None:
            return True
        assert self._start is not None
        self._poll.stop()
        self.statusBar().showMessage(self.tr("正在载入…"))
        try:
            parts = self._start.load()
        except AppError as exc:
            QMessageBox.critical(self, self.tr("无法打开数据库"), exc.message)
            self.close()
            return False
        except Exception:
            # Unexpected (a locked or damaged file, a broken install): no half-working window stays open; the
            # crash handler shows its one dialog and logs the traceback.
            self.close()
            raise
        self.attach(parts)
        return True

    def _context(self) -> AppContext:
        """The context, attached first if need be (the lazily built pages ask for it when first shown)."""
        if not self._ready():
            raise AppError(self.tr("程序未能载入"))
        assert self.ctx is not None
        return self.ctx

    # -- construction ----------------------------------------------------------------------------------

    def _add_page(self, key: str, title: str, widget: QWidget) -> None:
        self.pages[key] = widget
        self.stack.addWidget(widget)
        item = QListWidgetItem(title, self.nav)
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setSizeHint(QSize(140, 34))

    def _add_district_pages(self, ctx: AppContext) -> None:
        from ui.district import district_pages  # only a district database pays for importing the district screens

        for key, page in district_pages(ctx, self.runner, self.data_events, self):
            self.district_pages[key] = page
            self._add_page(key, page.windowTitle(), page)
            if hasattr(page, "open_requested"):
                page.open_requested.connect(self.open_record)

    def _on_data_changed(self, kinds: frozenset[str]) -> None:
        """A screen wrote: read again what the built lists and the 工作台 show (a list never built is not queried)."""
        # Only the page on screen can have written: a district page that did shows it already; the others reload
        # when next shown.
        self._fresh &= {self.current_key()}
        for name, page in self.lists.built.items():
            if page.model.loaded and concerns(kinds, name):  # a list not yet read reads its stored filter when shown
                page.refresh()
        if not self.district and self.stack.currentWidget() is self.home:
            self.home.refresh()  # otherwise it is read again whenever it is shown (_on_nav)
        if self.stack.currentWidget() is self.record_page:
            self.statusBar().showMessage(self.tr("已保存"), 3000)  # a step or a document: the record shows the rest

    def _make_records_read_only(self) -> None:
        """At the district a township's case is looked at, not worked on: no steps, documents or new evidence."""
        for widget in (self.case_view.actions_box, self.case_view.documents_button,
                       self.case_view.attachments.add_button, self.mediation_view.actions_box,
                       self.mediation_view.documents_button, self.mediation_view.attachments.add_button,
                       self.detail_page.attachments.add_button,
                       self.detail_page.batch_button):
            widget.hide()

    def _list_page(self, name: str) -> ListPage:
        """Build a list screen and put it in its placeholder's place (``self.lists[name]`` calls this once)."""
        from services.read import queries
        from ui.widgets.list_page import ListPage

        ctx = self._context()
        info, creatable = queries.list_info(name, district=self.district), self._creatable[name]
        if self._choices is None:  # the filter bars' pick-lists, shared by every list
            self._choices = (queries.domains(ctx.reader()), queries.officer_choices(ctx.reader()))
        domains, officers = self._choices
        # At the district a list's records belong to many townships: its 乡镇 column and filter (read per list: the
        # townships change as bundles come in).
        towns = queries.township_choices(ctx.reader()) if info.has_township else None
        page = ListPage(info, self._fetcher(name), domains=domains, officers=officers, townships=towns,
                        can_create=creatable and name in self.creators and self._may_create(name), parent=self)
        page.open_requested.connect(lambda uid: self.open_record(name, uid))
        page.new_requested.connect(lambda: self.create_record(name))
        page.query_changed.connect(lambda q: self.ui_settings.set_list_query(name, q))
        placeholder = self.pages[name]
        self.stack.insertWidget(self.stack.indexOf(placeholder), page)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self.pages[name] = page
        return page

    def _fetcher(self, name: str) -> Callable[[ListQuery], queries.Page]:
        from services.read import queries

        ctx = self._context()
        district = self.district
        # Identifiers in full are asked for; the service grants them only as far as the signed-in role may see them.
        return lambda q: queries.list_page(ctx.reader(), name, q, unmasked=True, district=district)

    def _may_create(self, list_name: str) -> bool:
        return self.ctx is not None and self.ctx.can(CREATE_PERMISSION.get(list_name, Permission.RECORD))

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        new = QAction(self.tr("新建(&N)"), self)
        new.setShortcut(QKeySequence.StandardKey.New)
        new.triggered.connect(self._new_in_current)
        find = QAction(self.tr("查找(&F)"), self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self._focus_search)
        refresh = QAction(self.tr("刷新"), self)
        refresh.setShortcut(QKeySequence(Qt.Key.Key_F5))
        refresh.triggered.connect(self.refresh_current)
        back = QAction(self.tr("返回"), self)
        back.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        back.triggered.connect(self.back)
        quit_ = QAction(self.tr("退出(&X)"), self)
        quit_.setShortcut(QKeySequence.StandardKey.Quit)
        quit_.triggered.connect(self.close)
        password = QAction(self.tr("修改密码(&P)…"), self)
        password.setObjectName("changePasswordAction")
        password.triggered.connect(self.change_password)
        recovery = QAction(self.tr("制作新的恢复密钥(&R)…"), self)
        recovery.setObjectName("newRecoveryKeyAction")
        recovery.setToolTip(self.tr("恢复密钥单遗失或可能被他人看到时：制作新的恢复密钥并打印，旧的立即作废（中队长、区级管理员）"))
        recovery.triggered.connect(self.new_recovery_key)
        switch = QAction(self.tr("切换用户 / 注销(&L)…"), self)
        switch.setObjectName("switchUserAction")
        switch.triggered.connect(self._ask_switch_user)
        for a in (new, find, refresh):
            file_menu.addAction(a)
        file_menu.addSeparator()
        file_menu.addAction(password)
        file_menu.addAction(recovery)
        file_menu.addAction(switch)
        file_menu.addSeparator()
        file_menu.addAction(quit_)
        self.addAction(back)
        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        guide = QAction(self.tr("使用说明(&U)"), self)
        guide.setObjectName("guideAction")
        guide.setShortcut(QKeySequence(Qt.Key.Key_F1))
        guide.triggered.connect(self.show_guide)
        help_menu.addAction(guide)
        about = QAction(self.tr("关于(&A)"), self)
        about.triggered.connect(lambda: QMessageBox.about(
            self, self.tr("关于"), f"{APP_TITLE}（EnforceDesk）{VERSION}\n" + self.tr("乡镇综合行政执法中队离线工作台")))
        help_menu.addAction(about)

    # -- navigation ------------------------------------------------------------------------------------

    def current_key(self) -> str:
        item = self.nav.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else "home"

    def show_page(self, key: str) -> None:
        for row in range(self.nav.count()):
            if self.nav.item(row).data(Qt.ItemDataRole.UserRole) == key:
                if self.nav.currentRow() == row:
                    self._on_nav(row)  # already there: show it again (refreshed)
                else:
                    self.nav.setCurrentRow(row)  # currentRowChanged → _on_nav, once: not a second query
                return

    def _on_nav(self, row: int, *, force: bool = False) -> None:
        if row < 0:
            return
        key = self.nav.item(row).data(Qt.ItemDataRole.UserRole)
        if key != "home" and not self._ready():
            return
        page = self.lists[key] if key in self.lists else self.pages[key]  # a list is built when first shown
        self.stack.setCurrentWidget(page)
        try:
            if key in self.district_pages:
                if force or key not in self._fresh:  # district figures are recomputed on F5 or after changes
                    self._fresh.add(key)
                    page.refresh()  # type: ignore[attr-defined]
            elif key == "home":
                self.home.refresh()
            elif key in self.lists and self.lists[key].model.total == 0:
                stored = self.ui_settings.list_query(key)
                if stored is not None:
                    self.lists[key].restore(stored)  # filter kept per list across sessions
                else:
                    self.lists[key].apply_filters()
            elif hasattr(page, "refresh"):
                page.refresh()
        except AppError as exc:
            self.statusBar().showMessage(exc.message, 8000)

    def open_record(self, record_type: str, uid: str) -> None:
        # Home work items name tables; lists name themselves: both lead to the same screens.
        record_type = {RecordKind.INSPECTION: "inspections", RecordKind.OFFICER: "officers", RecordKind.PARTY: "parties"}.get(
            record_type, record_type)
        if not self._ready():
            return
        assert self.ctx is not None
        if record_type == "officers" and not self.district and self._may_create("officers"):
            self.edit_officer(uid)  # the squad leader opens an officer to correct or deactivate him
            return
        try:
            if record_type in ("cases", RecordKind.PENALTY_CASE):
                self.case_view.load(uid)
                self.record_stack.setCurrentWidget(self.case_view)
            elif record_type in ("mediations", RecordKind.MEDIATION_CASE):
                self.mediation_view.load(uid)
                self.record_stack.setCurrentWidget(self.mediation_view)
            else:
                from services.read.details import record_detail

                # As for the lists: the service shows identifiers in full only to a role that may see them.
                self.detail_page.show_detail(record_detail(self.ctx.reader(), record_type, uid, unmasked=True))
                if self.district:
                    self.detail_page.batch_button.hide()  # show_detail offers it for campaigns
                self.record_stack.setCurrentWidget(self.detail_page)
        except AppError as exc:
            QMessageBox.warning(self, self.tr("无法打开"), exc.message)
            return
        self._return_to = self.current_key()
        self.stack.setCurrentWidget(self.record_page)
        self._highlight({RecordKind.PENALTY_CASE: "cases", RecordKind.MEDIATION_CASE: "mediations"}.get(record_type, record_type))

    def _highlight(self, key: str) -> None:
        """Mark the section a record belongs to in the navigation without showing its list (a record opened from
        the 工作台 is a case: 案件 is highlighted; 返回 still goes back to where it was opened)."""
        for row in range(self.nav.count()):
            if self.nav.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.nav.blockSignals(True)
                self.nav.setCurrentRow(row)
                self.nav.blockSignals(False)
                return

    def back(self) -> None:
        if self.stack.currentWidget() is self.record_page:
            self.show_page(self._return_to)

    def refresh_current(self) -> None:
        if self.stack.currentWidget() is self.record_page:  # shown only once attached
            widget = self.record_stack.currentWidget()
            if widget is self.case_view and self.case_view.uid:
                self.case_view.load(self.case_view.uid)
            elif widget is self.mediation_view and self.mediation_view.uid:
                self.mediation_view.load(self.mediation_view.uid)
            return
        self._on_nav(self.nav.currentRow(), force=True)
        key = self.current_key()
        if key in self.lists:
            self.lists[key].refresh()

    def _focus_search(self) -> None:
        key = self.current_key()
        if key in self.lists and self.stack.currentWidget() is self.lists[key]:
            self.lists[key].search.setFocus()
            self.lists[key].search.selectAll()

    def _new_in_current(self) -> None:
        key = self.current_key()
        if key in self.lists and self._ready() and key in self.creators:
            self.create_record(key)

    def create_record(self, list_name: str) -> None:
        if not self._ready():
            return
        assert self.ctx is not None
        creator = self.creators.get(list_name)
        if creator is None or not self._may_create(list_name):
            return
        uid = creator(self, self.data_events)  # the form notifies the change: the lists it concerns are read again
        if uid and list_name in ("cases", "mediations"):
            self.open_record(list_name, uid)

    def edit_officer(self, uid: str) -> bool:
        """The officer form on an existing officer (correct, 停用 / 恢复); True if something was saved."""
        from ui.people.officer_form import OfficerDialog

        assert self.ctx is not None
        try:
            dialog = OfficerDialog(self.ctx, self, uid=uid)
        except AppError as exc:
            QMessageBox.warning(self, self.tr("无法打开"), exc.message)
            return False
        if dialog.exec() != OfficerDialog.DialogCode.Accepted:
            return False
        self.data_events.notify("officers")  # the officers list, the 工作台's reminders and first steps
        return True

    # -- the signed-in user --------------------------------------------------------------------------------

    def change_password(self) -> bool:
        """文件 → 修改密码: the signed-in user replaces their own password."""
        from ui.password_dialog import ChangePasswordDialog

        if not self._ready():
            return False
        assert self.ctx is not None
        ctx, user = self.ctx, self.ctx.user
        if user is None:
            return False

        def change(old: str, new: str) -> UserInfo:
            from services.people.accounts import change_password

            return change_password(ctx.uow(), user.username, old=old, new=new)

        if ChangePasswordDialog(change, parent=self).exec() != ChangePasswordDialog.DialogCode.Accepted:
            return False
        self.statusBar().showMessage(self.tr("密码已修改"), 5000)
        return True

    def new_recovery_key(self) -> bool:
        """文件 → 制作新的恢复密钥: what ``recovery-key --new`` does (services/people/recovery.py), for an office
        without a console: asked first (the old sheet stops working at once), then the new key shown once with its
        printable sheet (docs/encryption.md, The recovery key)."""
        from services.documents.recovery_sheet import SheetFacts
        from services.people.recovery import new_recovery_key
        from ui.recovery_key import RecoveryKeyDialog

        if not self._ready():
            return False
        assert self.ctx is not None
        ctx = self.ctx
        title = self.tr("制作新的恢复密钥")
        if not ctx.can(Permission.MANAGE_USERS):
            QMessageBox.information(self, title, self.tr("只有中队长（管理员）可以制作新的恢复密钥。"))
            return False
        asked = QMessageBox.question(
            self, title, self.tr("制作新的恢复密钥后，旧的恢复密钥单立即作废，请将其销毁。\n\n新的恢复密钥只显示一次，"
                                 "须当场打印（或抄写）后封存，放入办公室保险柜。现在制作吗？"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if asked != QMessageBox.StandardButton.Yes:
            return False
        try:
            made = new_recovery_key(ctx.uow())
        except AppError as exc:
            QMessageBox.warning(self, title, exc.message)
            return False
        db = ctx.db
        name = db.path.name if db.path is not None else str(db.engine.url.database or "")
        RecoveryKeyDialog(made.recovery_key, SheetFacts(name, made.township, ctx.clock.today(), made.device_code),
                          parent=self).exec()  # closes only once 我已妥善保存 is ticked
        self.statusBar().showMessage(self.tr("已制作新的恢复密钥；旧的恢复密钥单已作废"), 8000)
        return True

    def _ask_switch_user(self) -> None:
        if self._ready():
            emit(self.switch_user_requested)

    def show_guide(self) -> None:
        """帮助 → 使用说明: what a squad does in which screen, in order (resources/help)."""
        from ui.help_dialog import GuideDialog

        GuideDialog(self).exec()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        if self.ctx is None:
            self._poll.start()
        super().showEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.ui_settings.set_geometry(self.saveGeometry())
        super().closeEvent(event)
