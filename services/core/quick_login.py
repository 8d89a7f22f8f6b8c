"""Start-up checks without the ORM: is the database set up, and a clean password login, with ``sqlite3`` only.

Why this exists: importing SQLAlchemy and declaring the ~50 mapped classes costs about a second at start-up
(bench/bench_startup.py). The login dialog needs one ``user_account`` row, so the desktop start reads it here
while the ORM loads on a background thread, and the user types the password in the meantime.

Only the case that writes nothing is decided here: the account exists, is active, has no failed attempts
counted, is not locked, needs no new password before it may work (``must_change_password``), and the password
is right. :func:`services.people.accounts.login` would change nothing in
that case either (its counters are already zero), so the outcome is the same. Every other case — a wrong
password (it must be counted and may lock the account), an account with a count or a lock to clear, one whose
holder must first replace a password given to them (the login dialog asks for it; services.people.accounts
.change_password writes it), an inactive or unknown name, a database this module cannot read — returns ``None``, and the caller asks
``services.people.accounts.login``, the one place where lock-out is implemented.

This module imports no SQLAlchemy, no models other than the plain enums, and no Qt.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from models.enums import DeviceKind, Role
from services.core.cipher import CipherError, DataKey, key_id, unwrap_key
from services.core.schema_version import SCHEMA_HEAD
from services.people.roles import SignedIn, UserInfo

# A reader must not fail because a writer (a backup, a migration) holds the database for a moment.
_BUSY_TIMEOUT_MS = 10_000
# The same memory ceiling as services.people.accounts: scrypt with n=2**15, r=8 needs 32 MiB.
_MAXMEM = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class StartProbe:
    """What the start-up needs to know before the ORM is loaded."""

    exists: bool  # the database file is there
    initialised: bool  # this device has its identity (the first-run wizard has been completed)
    # A township (office or laptop) database at the revision this code expects: the 工作台 can be read from
    # the file before the ORM is loaded (services.read.home.FileHomeReader). False for a district database (other
    # screens), one that needs migrating first, or one this module cannot tell.
    township_at_head: bool = False
    # Has a data key (docs/encryption.md); False: made by an earlier version and not yet encrypted (its squad
    # leader is offered the upgrade at the login, services/people/encryption.py).
    encrypted: bool = True
    # An upgrade whose values are sealed but whose files or compaction did not finish (services/maintenance/at_rest.py).
    sealing_unfinished: bool = False


@dataclass(frozen=True, slots=True)
class Account:
    """An account that can sign in without any write; the same fields as ``services.people.accounts.UserInfo``."""

    uid: str
    username: str
    display_name: str
    role: Role
    officer_id: int | None
    password_hash: str = field(repr=False)
    # An encrypted database (docs/encryption.md): the account's key slot and the key id the slot must open.
    slot: str | None = field(default=None, repr=False)
    expected_key_id: str | None = None

    @property
    def user(self) -> UserInfo:
        """The signed-in user, as services.people.accounts.login returns it."""
        return UserInfo(self.uid, self.username, self.display_name, self.role, self.officer_id)

    def password_matches(self, password: str) -> bool:
        """scrypt: ~0.1–0.3 s of CPU, with the GIL released (another thread can work meanwhile)."""
        return password_matches(password, self.password_hash)

    def sign_in(self, password: str) -> SignedIn | None:
        """The password checked and the data key unwrapped with it, as services.people.accounts.sign_in does;
        None when either fails (the full login then counts the attempt or says what is wrong)."""
        if not self.password_matches(password):
            return None
        if self.slot is None:
            return SignedIn(self.user)
        try:
            key: DataKey = unwrap_key(self.slot, password, label=f"user:{self.username}")
        except CipherError:
            return None
        if self.expected_key_id is not None and key_id(key) != self.expected_key_id:
            return None
        return SignedIn(self.user, key)


def _connect(db_path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(db_path), timeout=_BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
    return conn


def probe(db_path: Path) -> StartProbe:
    """Does the database exist, and has the first run been completed on it (``services.reference.setup.is_initialised``)?

    A file that cannot be read as a set-up EnforceDesk database counts as not initialised: the caller then
    takes the full path (open with the ORM, migrate, first-run wizard), which reports any real problem.
    """
    if not db_path.is_file():
        return StartProbe(exists=False, initialised=False)
    try:
        with closing(_connect(db_path)) as conn:
            row = conn.execute("SELECT value FROM local_state WHERE key = 'device_uid'").fetchone()
            if not (row and row[0]):
                return StartProbe(exists=True, initialised=False)
            kind = conn.execute("SELECT kind FROM device WHERE uid = ?", (row[0],)).fetchone()
            version = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:
        return StartProbe(exists=True, initialised=False)
    township = kind is not None and kind[0] != DeviceKind.DISTRICT.value
    try:
        with closing(_connect(db_path)) as conn:
            encrypted = conn.execute("SELECT 1 FROM key_slot LIMIT 1").fetchone() is not None
            unfinished = conn.execute("SELECT 1 FROM local_state WHERE key = 'sealing_unfinished'").fetchone()
    except sqlite3.Error:  # a schema from before the key slots: not encrypted (migrated when loaded)
        encrypted, unfinished = False, None
    return StartProbe(exists=True, initialised=True, township_at_head=township and version == [(SCHEMA_HEAD,)],
                      encrypted=encrypted, sealing_unfinished=unfinished is not None)


def password_matches(password: str, stored: str) -> bool:
    """Check a password against a ``scrypt$n$r$p$salt$key`` hash as written by services.people.accounts."""
    try:
        scheme, n, r, p, salt_b64, dk_b64 = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(dk_b64, validate=True)
        dk = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt_b64, validate=True), n=int(n),
                            r=int(r), p=int(p), maxmem=_MAXMEM, dklen=len(expected))
    except (ValueError, binascii.Error):
        return False
    return hmac.compare_digest(dk, expected)


def clean_account(db_path: Path, username: str) -> Account | None:
    """The account if signing in to it needs no write; ``None``: ask ``services.people.accounts.login``.

    That is: the name exists, the account is active, no failed attempts are counted, it is not locked and its
    password need not be changed first.
    The password is not checked here (:meth:`Account.password_matches`); ``None`` says nothing about it.
    """
    try:
        with closing(_connect(db_path)) as conn:
            row = conn.execute(
                "SELECT uid, username, display_name, role, officer_id, password_hash FROM user_account "
                "WHERE username = ? AND active = 1 AND failed_logins = 0 AND locked_until IS NULL "
                "AND must_change_password = 0",
                (username.strip(),),
            ).fetchone()
            encrypted = conn.execute("SELECT 1 FROM key_slot LIMIT 1").fetchone() is not None
            slot = conn.execute("SELECT blob FROM key_slot WHERE label = ?",
                                (f"user:{username.strip()}",)).fetchone()
            kid = conn.execute("SELECT value FROM local_state WHERE key = 'data_key_id'").fetchone()
    except sqlite3.Error:
        return None  # an older or damaged schema: the ORM path migrates first and reports problems properly
    if row is None or (encrypted and slot is None):
        return None  # no slot on an encrypted database: the full login says what to do
    uid, name, display_name, role, officer_id, password_hash = row
    try:
        role_value = Role(role)
    except ValueError:
        return None
    if not isinstance(password_hash, str):
        return None
    return Account(uid, name, display_name, role_value, officer_id, password_hash,
                   slot[0] if encrypted and slot is not None else None, kid[0] if kid else None)


def clean_login(db_path: Path, username: str, password: str) -> SignedIn | None:
    """Signed in when the password is right (and unlocks the key) and nothing needs writing; ``None``: ask
    services.people.accounts."""
    account = clean_account(db_path, username)
    return account.sign_in(password) if account is not None else None
