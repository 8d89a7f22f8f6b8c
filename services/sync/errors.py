"""Expected sync failures, each with a Chinese message the UI shows and the CLI prints (exit code 3)."""

from __future__ import annotations

from services.core.errors import AppError


class BundleRejected(AppError):
    """A bundle (or receipt) that fails a check before anything is applied; the database is unchanged."""


class UnknownDevice(BundleRejected):
    """A bundle signed by a device this database does not trust yet: the UI asks, the CLI wants --trust-new."""

    def __init__(self, *, device_uid: str, device_code: str, township: str, fingerprint: str) -> None:
        super().__init__(
            f"同步包来自尚未信任的设备 {device_code}（{township}，指纹 {fingerprint}）。请与对方电话核对指纹后，"
            "在同步界面确认信任，或在命令行加 --trust-new"
        )
        self.device_uid = device_uid
        self.device_code = device_code
        self.township = township
        self.fingerprint = fingerprint


class UnsentData(AppError):
    """A destructive operation refused while records exist that no receipt acknowledges."""

    def __init__(self, action: str, count: int) -> None:
        super().__init__(
            f"不能{action}：本机还有 {count} 条记录尚未被接收方确认（未导出或未收到回执）。"
            "请先导出同步包并导入对方的回执"
        )
        self.count = count


class KeyFileError(AppError):
    """The device key file is missing, unreadable or belongs to another device."""
