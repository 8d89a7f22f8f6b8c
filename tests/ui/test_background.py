"""ui.app.Background: the start-up's loading thread steps aside (pause) while the main window is built."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QApplication

from ui.app import Background

pytestmark = pytest.mark.gui


def _paused_mid_step(max_pause: float) -> tuple[Background[str], list[int], threading.Event]:
    """A started loading job, paused by the 'GUI' while its first step runs; set the event to end that step."""
    steps: list[int] = []
    mid_step, go_on = threading.Event(), threading.Event()

    def job(checkpoint: Callable[[], None]) -> str:
        steps.append(1)
        mid_step.set()
        assert go_on.wait(10)  # the GUI thread pauses the loading while this step is still running
        checkpoint()
        steps.append(2)
        return "loaded"

    background: Background[str] = Background(job, "test-preload", pausable=True)
    background.MAX_PAUSE = max_pause
    background.start()
    assert mid_step.wait(10)
    background.pause()
    return background, steps, go_on


def test_a_paused_job_waits_at_its_next_checkpoint_until_resumed(qapp: QApplication) -> None:
    job, steps, go_on = _paused_mid_step(30.0)
    go_on.set()
    job._thread.join(0.5)  # type: ignore[union-attr]  # it would have finished by now, were it not held
    assert steps == [1] and not job.done
    job.resume()
    assert job.wait() == "loaded" and steps == [1, 2]


def test_waiting_for_a_paused_job_resumes_it(qapp: QApplication) -> None:
    job, steps, go_on = _paused_mid_step(30.0)
    go_on.set()
    assert job.wait() == "loaded" and steps == [1, 2]  # wait() is what a click before the end does


def test_a_forgotten_resume_only_delays_the_job(qapp: QApplication) -> None:
    job, steps, go_on = _paused_mid_step(0.05)
    go_on.set()
    job._thread.join(10)  # type: ignore[union-attr]
    assert job.done and steps == [1, 2]  # went on after MAX_PAUSE at the checkpoint, never resumed
