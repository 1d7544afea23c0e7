"""Plugin concern: the same submission gets the same score on every run and machine.

Hypothesis runs derandomized, with no example database and a fixed number of examples,
and draws the literals of the submission only (`draw_constants_from_the_submission_only`);
Python's, numpy's, torch's and (when loaded) TensorFlow's generators are seeded before
every check. Torch uses one thread so float reductions are reproducible and two workers
do not fight over the machine's cores.
"""

from __future__ import annotations

import os
import random
import sys

import pytest
from hypothesis import HealthCheck, Phase, settings

SEED = 20241123
MAX_EXAMPLES = int(os.environ.get("GRADE_MAX_EXAMPLES", "40"))

settings.register_profile(
    "grading",
    derandomize=True,
    database=None,
    max_examples=MAX_EXAMPLES,
    deadline=None,
    print_blob=False,
    report_multiple_bugs=False,
    phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink),
    suppress_health_check=list(HealthCheck),
)
settings.load_profile("grading")


def seed_everything(seed: int = SEED) -> None:
    """Seed every generator a check or a submission may draw from."""
    random.seed(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)
    _seed_tempfile_names(seed)
    np = sys.modules.get("numpy")
    if np is not None:
        np.random.seed(seed % 2**32)
    torch = sys.modules.get("torch")
    if torch is not None:
        seed_torch(seed)
        torch.set_num_threads(1)
    keras = sys.modules.get("keras")
    if keras is not None and "tensorflow" in sys.modules:
        keras.utils.set_random_seed(seed)


def seed_torch(seed: int) -> None:
    """`torch.manual_seed` for checks: every device's generator where an accelerator is
    present; the CPU's alone where none is. Without one, `manual_seed` only queues seeds for
    devices that can never start, each with a formatted stack (~6 ms in a check process,
    whose line cache starts cold: checks seed a model per example).

        seed_torch(seed)
        model = nn.Linear(3, 2)   # the same weights on every run
    """
    import torch

    if torch.accelerator.is_available():
        torch.manual_seed(seed)
    else:
        torch.random.default_generator.manual_seed(seed)


def draw_constants_from_the_submission_only() -> None:
    """Hypothesis draws the literals it finds in "local" modules (anything outside
    site-packages) more often. In grading, the code under test is the submission: every
    module loaded so far that is not the submission's (the kit's checks, messages and
    limits) is marked as already read. Drawn examples then do not change when unrelated kit
    code does, and no process parses the kit's sources (~0.15 s in every check process).
    Modules loaded later -- the submission -- are read as usual. Uses Hypothesis internals:
    where they differ, nothing changes but speed."""
    try:
        from hypothesis.internal.conjecture import providers
    except ImportError:  # pragma: no cover
        return
    seen = getattr(providers, "_seen_modules", None)
    if not isinstance(seen, set):  # pragma: no cover
        return
    submission = os.environ.get("GRADE_SUBMISSION") or "\0"
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if not (isinstance(path, str) and path.startswith(submission)):
            seen.add(id(module))


def _seed_tempfile_names(seed: int) -> None:
    """Temporary file names (tempfile.mkdtemp & co.) drawn from a seeded generator, so a
    path a submission prints is the same on every run."""
    import tempfile

    sequence = tempfile._RandomNameSequence()  # type: ignore[attr-defined]
    sequence._rng = random.Random(seed)
    sequence._rng_pid = os.getpid()
    tempfile._name_sequence = sequence  # type: ignore[attr-defined]


def pytest_collection_finish(session: pytest.Session) -> None:
    draw_constants_from_the_submission_only()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    seed_everything()
