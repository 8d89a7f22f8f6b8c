"""The bundle container: one zip written atomically, read back with size, ratio, name and hash checks.

Writing (docs/performance.md §5): a temp file in the target folder, fsync, ``os.replace`` (retried briefly on Windows if
antivirus or an indexer holds the file: WinError 5/32/33), fsync of the folder on POSIX, then the file is read
back and its SHA-256 compared, because USB sticks acknowledge writes they have not made (docs/performance.md §5).

Reading: ``zipfile`` only warns about duplicate names and returns the *last* copy, and ``open(member)`` does not
sanitise paths, so every name is checked (duplicates also case-folded and NFC-normalised, no absolute paths,
no ``..``, no backslashes) and every member is read through a byte budget before anything is parsed.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
import sys
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from services.sync.errors import BundleRejected

CHUNK = 1 << 20
_WIN_SHARING = {5, 32, 33}  # access denied, sharing violation, lock violation


@dataclass(frozen=True)
class Limits:
    """Checked before and while reading; generous for ten years of one township, fatal for a zip bomb."""

    max_file: int = 8 << 30
    max_members: int = 200_000
    max_member: int = 2 << 30
    max_total: int = 16 << 30
    max_ratio: int = 200  # uncompressed / compressed, for members above ratio_floor bytes
    ratio_floor: int = 1 << 20
    max_manifest: int = 4 << 20
    # Plaintext read from one bundle in all (records, reference data, attachments; sealed members decompressed)
    # and from one attachment: the [L] settings sync.max_bundle_mib / sync.max_attachment_mib replace these
    # defaults on import (services/sync/limits.py).
    max_plain_total: int = 4 << 30
    max_attachment: int = 200 << 20


DEFAULT_LIMITS = Limits()


# -- writing ------------------------------------------------------------------------------------------------


class MemberWriter:
    """One member being written: hashes and counts the bytes as they go into the zip."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self.sha = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        if data:
            self.sha.update(data)
            self.size += len(data)
            self._handle.write(data)


class BundleWriter:
    """A zip being written to a temp file in the target folder; ``commit`` makes it appear atomically.

    ``owner`` (the sending device's code) goes into the hidden temp name, ``.<name>.<owner>.<random>.part``, so that
    the sender's next write to the folder can tell its own leftovers from another device's (services/sync/ceremony.py
    ``tidy_folder``). ``finish`` and ``publish`` are ``commit``'s two halves, for a caller that records the bundle
    between them."""

    def __init__(self, folder: Path, final_name: str, owner: str = "") -> None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError) as exc:  # a file where a folder of the path should be
            blocker = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), folder)
            raise BundleRejected(f"无法在 {folder} 写入同步包：{blocker} 是文件而不是文件夹，请另选一个文件夹") from exc
        self.final = folder / final_name
        tag = f".{owner}" if owner else ""
        self.tmp = folder / f".{final_name}{tag}.{secrets.token_hex(4)}.part"
        try:
            self._zip = zipfile.ZipFile(self.tmp, "w", allowZip64=True)
        except OSError as exc:
            name_target(exc, self.tmp, self.final)
            raise
        self.members: list[dict[str, Any]] = []

    def member(self, name: str, *, compress: bool, write: Callable[[MemberWriter], None]) -> dict[str, Any]:
        info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))  # fixed: the manifest has the real time
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        with self._zip.open(info, "w", force_zip64=True) as handle:
            w = MemberWriter(handle)
            write(w)
        entry = {"name": name, "sha256": w.sha.hexdigest(), "size": w.size}
        self.members.append(entry)
        return entry

    def raw(self, name: str, data: bytes) -> None:
        info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
        self._zip.writestr(info, data, compress_type=zipfile.ZIP_STORED)

    def commit(self) -> tuple[Path, str, int]:
        """Close, fsync, rename into place, fsync the folder, re-read and verify; returns (path, sha256, size)."""
        sha, size = self.finish()
        self.publish(sha)
        return self.final, sha, size

    def finish(self) -> tuple[str, int]:
        """Close and fsync the temp file; returns its (sha256, size). It is complete but not yet in place."""
        self._zip.close()
        sha = hashlib.sha256()
        with open(self.tmp, "rb+") as fh:
            while chunk := fh.read(CHUNK):
                sha.update(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        return sha.hexdigest(), self.tmp.stat().st_size

    def publish(self, sha: str) -> None:
        """Rename the finished temp file into place, fsync the folder, re-read and verify against ``sha``."""
        atomic_replace(self.tmp, self.final)
        if file_sha256(self.final) != sha:
            raise BundleRejected(f"写入 {self.final} 后读回校验不一致：存储介质可能有问题，请换一个 U 盘或文件夹重试")

    def abort(self) -> None:
        """Remove the temp file. Closing the zip writes its directory, which fails again on the disk that just
        filled up: that second error must not replace the first (the one naming the bundle)."""
        try:
            self._zip.close()
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                self.tmp.unlink(missing_ok=True)


def atomic_replace(tmp: Path, final: Path, *, attempts: int = 25, delay: float = 0.1) -> None:
    """``os.replace`` with a bounded retry (≈2.5 s) for Windows sharing errors only, then fsync the folder."""
    for attempt in range(attempts):
        try:
            os.replace(tmp, final)
            break
        except PermissionError as exc:
            code = getattr(exc, "winerror", None) or exc.errno
            if sys.platform != "win32" or code not in _WIN_SHARING | {errno.EACCES} or attempt == attempts - 1:
                raise
            time.sleep(delay)
    if sys.platform != "win32":  # a rename is durable only once its directory is synced (docs/performance.md §5)
        fd = os.open(final.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_file_atomic(path: Path, data: bytes) -> None:
    """``data`` under a hidden temp name, then renamed to ``path``; a failure (a full or write-protected stick)
    removes the temp file and names ``path``."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        atomic_replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):  # on a write-protected stick there is nothing to remove, and no right to
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            name_target(exc, tmp, path)
        raise


def name_target(exc: OSError, tmp: Path, final: Path) -> None:
    """Let ``exc``, raised while writing ``tmp``, name ``final``: a ``write`` that fails on a full disk names no
    file (the storage message would then name the database, services/core/storage.py ``classify``), and the
    hidden temp name means nothing to the user. A file of its own that ``exc`` names (an attachment read) stays."""
    if exc.filename is None or str(exc.filename) == str(tmp):
        exc.filename = str(final)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


# -- reading ------------------------------------------------------------------------------------------------


def _safe_name(name: str) -> bool:
    if not name or "\\" in name or "\x00" in name or name.startswith("/") or ":" in name:
        return False
    parts = PurePosixPath(name).parts
    return all(p not in ("", ".", "..") for p in parts) and not name.endswith("/")


class BundleReader:
    """An opened bundle whose directory passed the structural checks; members are read through budgets."""

    def __init__(self, path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
        self.path = path
        self.limits = limits
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise BundleRejected(f"无法读取文件 {path}：{exc.strerror}") from exc
        if size > limits.max_file:
            raise BundleRejected(f"文件过大（{size} 字节），超过同步包上限")
        try:
            self._zip = zipfile.ZipFile(path, "r")
        except OSError as exc:
            raise BundleRejected(f"无法读取 {path.name}：{exc.strerror or '读取失败'}") from exc
        except (zipfile.BadZipFile, ValueError) as exc:
            # The zip library's own words ("File is not a zip file") tell a clerk nothing: say what was expected.
            raise BundleRejected(f"{path.name} 不是有效的同步包：不是本程序导出的 .edsync 文件，或文件已损坏、未复制完整。"
                                 "请选择对方导出的同步包；若确是同步包，请对方重新导出后再复制") from exc
        self.infos: dict[str, zipfile.ZipInfo] = {}
        self._check_directory()

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> BundleReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_directory(self) -> None:
        infos = self._zip.infolist()
        if len(infos) > self.limits.max_members:
            raise BundleRejected(f"同步包成员过多（{len(infos)} 个）")
        seen: set[str] = set()
        total = 0
        for info in infos:
            name = info.filename
            if not _safe_name(name):
                raise BundleRejected(f"同步包含有不安全的路径“{name}”（绝对路径或指向包外），已拒绝")
            folded = unicodedata.normalize("NFC", name).casefold()
            if folded in seen:
                raise BundleRejected(f"同步包中成员“{name}”重复出现（可能被篡改），已拒绝")
            seen.add(folded)
            if info.flag_bits & 0x1:
                raise BundleRejected(f"成员“{name}”使用了 zip 加密，不是本程序生成的同步包")
            if info.file_size > self.limits.max_member:
                raise BundleRejected(f"成员“{name}”过大（{info.file_size} 字节）")
            if (info.file_size > self.limits.ratio_floor
                    and info.file_size > self.limits.max_ratio * max(info.compress_size, 1)):
                raise BundleRejected(f"成员“{name}”压缩比异常（{info.file_size}/{info.compress_size}），疑似压缩炸弹")
            total += info.file_size
            self.infos[name] = info
        if total > self.limits.max_total:
            raise BundleRejected(f"同步包解压后总大小 {total} 字节，超过上限")

    def has(self, name: str) -> bool:
        return name in self.infos

    def chunks(self, name: str, *, budget: int | None = None) -> Iterator[bytes]:
        """The member's bytes, never more than its declared size (the directory can lie) or ``budget``."""
        info = self.infos.get(name)
        if info is None:
            raise BundleRejected(f"同步包缺少成员“{name}”（文件不完整）")
        limit = min(info.file_size, budget if budget is not None else info.file_size)
        if info.file_size > limit:
            raise BundleRejected(f"成员“{name}”超过大小上限")
        read = 0
        try:
            with self._zip.open(info) as fh:
                while chunk := fh.read(CHUNK):
                    read += len(chunk)
                    if read > limit:
                        raise BundleRejected(f"成员“{name}”实际内容超过声明大小（疑似压缩炸弹）")
                    yield chunk
        except (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile) as exc:
            raise BundleRejected(f"成员“{name}”损坏：{exc}") from exc
        except Exception as exc:  # zlib.error and friends from a corrupted deflate stream
            if isinstance(exc, BundleRejected):
                raise
            raise BundleRejected(f"成员“{name}”损坏：{exc}") from exc

    def read(self, name: str, budget: int) -> bytes:
        return b"".join(self.chunks(name, budget=budget))

    def sha256(self, name: str) -> tuple[str, int]:
        h = hashlib.sha256()
        n = 0
        for chunk in self.chunks(name):
            h.update(chunk)
            n += len(chunk)
        return h.hexdigest(), n
