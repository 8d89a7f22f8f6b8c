"""Encryption at rest: the database's data key, its per-purpose subkeys, sealed fields and files, blind indexes,
key slots (the data key wrapped under a password or the recovery key) and the recovery key's printed form.

The key hierarchy is described in docs/encryption.md. In short: one random 256-bit data key per database, never
stored in the clear; HKDF-SHA256 derives one subkey per purpose from it, so a field key, the blind-index key and the
file key are never the same bytes; the data key itself is stored only wrapped (AES-256-GCM) under a key derived with
scrypt (memory-hard) from a user's password or from the recovery key.

A sealed field is ``ed1:`` + base64url(nonce ‖ AES-256-GCM ciphertext) with ``table.column:uid`` as associated data:
a sealed value copied into another row, another column or another table does not open (it is refused as damaged,
not shown as someone else's ID number). A sealed file is ``EDF1`` ‖ nonce ‖ ciphertext with its own name bound in.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from services.core.errors import AppError, ValidationError

FIELD_PREFIX = "ed1:"
FILE_MAGIC = b"EDF1"
_NONCE = 12
_KEY_BYTES = 32

# scrypt for key slots: the same cost as the password hashes (services/people/accounts.py, ~0.1 s and 32 MiB per
# guess), so an attacker holding the file pays it per password guess twice over, once per check.
SLOT_N, SLOT_R, SLOT_P = 2**15, 8, 1
_SLOT_MAXMEM = 64 * 1024 * 1024
_SLOT_SCHEME = "edslot1"

# The recovery key: 25 symbols of Crockford's base32 (no I, L, O, U) = 125 bits, printed in five groups of five,
# with one check symbol so a mistyped sheet is told apart from a wrong key.
_RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RECOVERY_SYMBOLS = 25


class CipherError(AppError):
    """A secret did not open the data key, or a sealed value does not open under it."""


class WrongSecret(CipherError):
    """The password or recovery key given does not unwrap this database's data key."""


class SealBroken(CipherError):
    """A sealed value or file fails authentication: damaged, or moved from another row, column or database."""


class Locked(CipherError):
    """The data key is needed and this session has none (nobody has signed in or unlocked)."""

    def __init__(self, message: str = "数据已加密，需要先登录或用恢复密钥解锁") -> None:
        super().__init__(message)


def _hkdf(raw: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=_KEY_BYTES, salt=None, info=b"EnforceDesk " + purpose).derive(raw)


def is_sealed(value: str | None) -> bool:
    return bool(value) and str(value).startswith(FIELD_PREFIX)


def field_context(table: str, column: str, uid: str) -> bytes:
    """The associated data a sealed field is bound to: its table, column and the record's uid."""
    return f"{table}.{column}:{uid}".encode()


@dataclass(frozen=True, eq=False, repr=False)
class DataKey:
    """The unlocked data key of one database. Held in memory only (AppContext, a unit of work's session info)."""

    raw: bytes

    def __post_init__(self) -> None:
        if len(self.raw) != _KEY_BYTES:
            raise ValueError("a data key is 32 bytes")
        object.__setattr__(self, "_field", AESGCM(_hkdf(self.raw, b"field v1")))
        object.__setattr__(self, "_file", AESGCM(_hkdf(self.raw, b"file v1")))
        object.__setattr__(self, "_index", _hkdf(self.raw, b"blind index v1"))
        object.__setattr__(self, "_names", _hkdf(self.raw, b"file names v1"))

    def __repr__(self) -> str:  # never print the key bytes (logs, tracebacks, crash reports)
        return "DataKey(…)"

    @classmethod
    def generate(cls) -> DataKey:
        return cls(secrets.token_bytes(_KEY_BYTES))

    # --- fields -------------------------------------------------------------------------------------------------
    def seal(self, value: str, *, table: str, column: str, uid: str) -> str:
        """Seal one text value. "" stays "" (an empty field holds nothing to protect, and lists test for it)."""
        if not value:
            return ""
        nonce = secrets.token_bytes(_NONCE)
        ct = self._aead("_field").encrypt(nonce, value.encode("utf-8"), field_context(table, column, uid))
        return FIELD_PREFIX + base64.urlsafe_b64encode(nonce + ct).decode("ascii").rstrip("=")

    def seal_many(self, values: Sequence[str], *, table: str, column: str, uids: Sequence[str]) -> list[str]:
        """:meth:`seal` of each value under its record's uid, in the same form (a fresh nonce each). For the sync
        import's batches: the AEAD's method, the context's ``table.column:`` bytes and the base64 step are looked
        up once per batch instead of once per value (bench/README.md, bench_sync.py)."""
        encrypt, b64 = self._aead("_field").encrypt, binascii.b2a_base64
        head = f"{table}.{column}:".encode()  # field_context's prefix; the uid follows
        # The nonces drawn in one call to the OS's generator (what secrets.token_bytes reads), cut in 12-byte
        # pieces: independent random nonces as before, without a system call per value (≈ 0.5 s of a township
        # import's 212,000 sealed values, bench/README.md).
        nonces = os.urandom(_NONCE * len(values))
        out: list[str] = []
        for at, (value, uid) in enumerate(zip(values, uids, strict=True)):
            if not value:
                out.append("")
                continue
            nonce = nonces[at * _NONCE:(at + 1) * _NONCE]
            blob = nonce + encrypt(nonce, value.encode("utf-8"), head + uid.encode())
            # base64.urlsafe_b64encode's two steps, then the padding dropped as seal() does
            out.append(FIELD_PREFIX + b64(blob, newline=False).translate(_URLSAFE).decode("ascii").rstrip("="))
        return out

    def open(self, value: str, *, table: str, column: str, uid: str) -> str:
        """The plaintext of a sealed value; a value that is not sealed (written before the upgrade) as it is."""
        if not is_sealed(value):
            return value
        body = value[len(FIELD_PREFIX):]
        try:
            # base64.urlsafe_b64decode's steps in one line (a non-ASCII or malformed body raises ValueError as
            # there): a list page opens one value per row, and the module function's checks were half the cost
            blob = binascii.a2b_base64((body + "=" * (-len(body) % 4)).encode("ascii").translate(_FROM_URLSAFE))
            plain = self._aead("_field").decrypt(blob[:_NONCE], blob[_NONCE:], field_context(table, column, uid))
            return plain.decode("utf-8")
        except (InvalidTag, ValueError, UnicodeDecodeError) as exc:
            raise SealBroken(f"加密字段无法解开（已损坏或被移动）：{table}.{column}") from exc

    def blind_index(self, kind: str, value: str) -> str:
        """A keyed digest for exact search (HMAC-SHA256, 128 bits shown as hex): equal inputs give equal digests
        under this database's key only, so the file alone does not let anyone test a guessed ID number."""
        norm = normalize_for_index(value)
        if not norm:
            return ""
        mac = hmac.new(self._bytes("_index"), kind.encode() + b"\x00" + norm.encode("utf-8"), hashlib.sha256)
        return mac.hexdigest()[:32]

    def blind_index_many(self, kind: str, values: Sequence[str]) -> list[str]:
        """:meth:`blind_index` of each value (the same digests): the one-shot ``hmac.digest`` (OpenSSL's HMAC in one
        C call) instead of an ``hmac.HMAC`` object per value, for the sync import's batches."""
        key, head, mac = self._bytes("_index"), kind.encode() + b"\x00", hmac.digest
        return [mac(key, head + norm.encode("utf-8"), "sha256").hex()[:32] if norm else ""
                for norm in map(normalize_for_index, values)]

    # --- files --------------------------------------------------------------------------------------------------
    def seal_bytes(self, data: bytes, *, name: str) -> bytes:
        nonce = secrets.token_bytes(_NONCE)
        return FILE_MAGIC + nonce + self._aead("_file").encrypt(nonce, data, b"file:" + name.encode())

    def open_bytes(self, blob: bytes, *, name: str) -> bytes:
        if not blob.startswith(FILE_MAGIC):
            raise SealBroken(f"文件未加密或已损坏：{name}")
        body = blob[len(FILE_MAGIC):]
        try:
            return self._aead("_file").decrypt(body[:_NONCE], body[_NONCE:], b"file:" + name.encode())
        except (InvalidTag, ValueError) as exc:
            raise SealBroken(f"加密文件无法解开（已损坏或被替换）：{name}") from exc

    def file_name(self, content_digest: str) -> str:
        """The name a file is stored under: keyed, so a known photo's SHA-256 does not reveal that it is held."""
        return hmac.new(self._bytes("_names"), content_digest.encode(), hashlib.sha256).hexdigest()

    def _aead(self, name: str) -> AESGCM:
        value: AESGCM = getattr(self, name)
        return value

    def _bytes(self, name: str) -> bytes:
        value: bytes = getattr(self, name)
        return value


def key_id(key: DataKey) -> str:
    """A public fingerprint of a data key (which key a database's slots must open): not the key, not reversible."""
    return hmac.new(key.raw, b"EnforceDesk key id v1", hashlib.sha256).hexdigest()[:16]


def normalize_for_index(value: str) -> str:
    """What an exact search compares: NFKC (full-width digits), no spaces or dashes, upper case (the check letter X)."""
    # str.translate drops the characters in one C pass: a per-character generator was half of the blind index's
    # cost in the import's sealing (bench/README.md, bench_sync.py)
    return unicodedata.normalize("NFKC", value or "").translate(_NOT_INDEXED).upper()


_NOT_INDEXED = str.maketrans("", "", " -\t")
_URLSAFE = bytes.maketrans(b"+/", b"-_")  # base64's alphabet to the URL-safe one, as base64.urlsafe_b64encode
_FROM_URLSAFE = bytes.maketrans(b"-_", b"+/")  # and back, as base64.urlsafe_b64decode


# --- key slots ----------------------------------------------------------------------------------------------------

def _slot_kek(secret: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_SLOT_MAXMEM, dklen=_KEY_BYTES)


def wrap_key(key: DataKey, secret: str, *, label: str) -> str:
    """The data key wrapped under ``secret`` (a password or the normalised recovery key). ``label`` names the slot
    (e.g. ``user:zhangsan`` or ``recovery``) and is bound in, so a slot copied to another name does not open."""
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(_NONCE)
    ct = AESGCM(_slot_kek(secret, salt, SLOT_N, SLOT_R, SLOT_P)).encrypt(nonce, key.raw, label.encode())
    b64 = base64.b64encode
    return f"{_SLOT_SCHEME}${SLOT_N}${SLOT_R}${SLOT_P}${b64(salt).decode()}${b64(nonce + ct).decode()}"


def unwrap_key(blob: str, secret: str, *, label: str) -> DataKey:
    try:
        scheme, n, r, p, salt_b64, body_b64 = blob.split("$")
        if scheme != _SLOT_SCHEME or not (2**10 <= int(n) <= 2**20 and 1 <= int(r) <= 32 and 1 <= int(p) <= 4):
            raise ValueError(scheme)
        salt, body = base64.b64decode(salt_b64), base64.b64decode(body_b64)
        kek = _slot_kek(secret, salt, int(n), int(r), int(p))
    except (ValueError, TypeError) as exc:
        raise SealBroken("密钥槽已损坏，无法读取") from exc
    try:
        return DataKey(AESGCM(kek).decrypt(body[:_NONCE], body[_NONCE:], label.encode()))
    except (InvalidTag, ValueError) as exc:
        raise WrongSecret("密码或恢复密钥不正确，未能解锁数据") from exc


# --- the recovery key ---------------------------------------------------------------------------------------------

def _check_symbol(symbols: str) -> str:
    total = sum((i + 1) * _RECOVERY_ALPHABET.index(c) for i, c in enumerate(symbols))
    return _RECOVERY_ALPHABET[total % len(_RECOVERY_ALPHABET)]


def generate_recovery_key() -> str:
    """A new recovery key as printed: ``XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-C`` (the last symbol is a check)."""
    symbols = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_SYMBOLS))
    groups = [symbols[i:i + 5] for i in range(0, _RECOVERY_SYMBOLS, 5)]
    return "-".join([*groups, _check_symbol(symbols)])


def normalize_recovery_key(text: str) -> str:
    """The canonical form of a typed or read recovery key; a malformed one is refused with what is wrong.

    Case, spaces and dashes do not matter; O is read as 0 and I/L as 1, as Crockford's base32 intends."""
    raw = unicodedata.normalize("NFKC", text or "").upper()
    raw = raw.translate(str.maketrans("OIL", "011"))
    symbols = "".join(ch for ch in raw if ch not in " -\t\r\n")
    if len(symbols) != _RECOVERY_SYMBOLS + 1 or any(ch not in _RECOVERY_ALPHABET for ch in symbols):
        raise ValidationError("恢复密钥格式不对：应为 26 位字母数字（五组五位加一位校验）", field="recovery_key")
    body, check = symbols[:-1], symbols[-1]
    if _check_symbol(body) != check:
        raise ValidationError("恢复密钥有抄写错误（校验位不符），请逐位核对恢复密钥单", field="recovery_key")
    return body
