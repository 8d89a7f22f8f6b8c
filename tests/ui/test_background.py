"""ui.app.Background: the start-up's loading thread steps aside (pause) while the main window is built."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QApplication

from ui.app import Background

pytestmark = pytest.mark.gui


def _job(steps: list[int], mid_step: threading.Event, go_on: threading.Event) -> Callable[[Callable[[], None]], str]:
    def job(checkpoint: Callable[[], None]) -> str:
        steps.append(1)
        mid_step.set()
        assert go_on.wait(10)  # the GUI thread pauses the loading while this step is still running
        checkpoint()
        steps.append(2)
        return "loaded"

    return job


def test_a_paused_job_waits_at_its_next_checkpoint_until_resumed(qapp: QApplication) -> None:
    steps: list[int] = []
    mid_step, go_on = threading.Event(), threading.Event()
    job: Background[str] = Background(_job(steps, mid_step, go_on), "test-preload", pausable=True)
    job.MAX_PAUSE = 30.0
    job.start()
    assert mid_step.wait(10)
    job.pause()
    go_on.set()
    job._thread.join(0.5)  # type: ignore[union-attr]  # it would have finished by now, were it not held
    assert steps == [1] and not job.done
    job.resume()
    assert job.wait() == "loaded" and steps == [1, 2]


def test_waiting_for_a_paused_job_resumes_it(qapp: QApplication) -> None:
    steps: list[int] = []
    mid_step, go_on = threading.Event(), threading.Event()
    job: Background[str] = Background(_job(steps, mid_step, go_on), "test-preload", pausable=True)
    job.MAX_PAUSE = 30.0
    job.start()
    assert mid_step.wait(10)
    job.pause()
    go_on.set()
    assert job.wait() == "loaded" and steps == [1, 2]  # wait() is what a click before the end does


def test_a_forgotten_resume_only_delays_the_job(qapp: QApplication) -> None:
    steps: list[int] = []
    mid_step, go_on = threading.Event(), threading.Event()
    job: Background[str] = Background(_job(steps, mid_step, go_on), "test-preload", pausable=True)
    job.MAX_PAUSE = 0.05
    job.start()
    assert mid_step.wait(10)
    job.pause()
    go_on.set()
    job._thread.join(10)  # type: ignore[union-attr]
    assert job.done and steps == [1, 2]  # went on after MAX_PAUSE at the checkpoint, never resumed
