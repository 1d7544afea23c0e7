"""First-use work (Hypothesis's and torch's), done once per process tree instead of once per check.

Hypothesis's first `@given` run in a process registers its global Random, and that calls
`gc.collect()` and `gc.get_referrers()` over the whole heap: ~0.15 s, paid again by every
check process, and every page of the heap it touches is copied after the fork.
`warm_up_hypothesis` runs one tiny test, so that the forks inherit it done (and marks the
kit's modules read: see `grader.plugin.determinism.draw_constants_from_the_submission_only`).

The first optimizer step imports `torch._dynamo` and wraps `Optimizer.step` (about a
second), the first tensor pickled caches copyreg's `__slotnames__`, the first DataLoader
imports its helpers. Each check runs in a process forked from the one that collected the
checks, so doing this work there (or, for a batch, once in the worker) saves it in every
check. Done before the guard's snapshot is taken for the checks, so none of it can look
like tampering later.

    from checks.warmup import warm_up_torch
    warm_up_torch()          # at the top of a check module whose checks train or save
"""

from __future__ import annotations

_done = False


def warm_up_hypothesis() -> None:
    """Run one two-example `@given` test (no database, derandomized), and leave the kit's
    constants out of what Hypothesis draws: the processes forked afterwards inherit both."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from grader.plugin.determinism import draw_constants_from_the_submission_only

    @settings(max_examples=2, database=None, derandomize=True, deadline=None)
    @given(st.integers(0, 3), st.lists(st.floats(0, 1), max_size=2))
    def tiny(n: int, xs: list[float]) -> None:
        assert n >= 0 and len(xs) <= 2

    tiny()
    draw_constants_from_the_submission_only()


def warm_up_torch() -> None:
    """Build, step, save and load a tiny model once (idempotent)."""
    global _done
    if _done:
        return
    import io

    import torch
    from torch.optim import lr_scheduler
    from torch.utils.data import DataLoader, TensorDataset

    layer = torch.nn.Linear(2, 1)
    for make in (torch.optim.SGD, torch.optim.Adam):
        opt = make(layer.parameters(), lr=0.1)
        sched = lr_scheduler.StepLR(opt, step_size=1)
        restarts = lr_scheduler.CosineAnnealingWarmRestarts(make(layer.parameters(), lr=0.1), T_0=2)
        restarts.optimizer.step()
        restarts.step()
        for x, y in DataLoader(TensorDataset(torch.zeros(4, 2), torch.zeros(4, 1)), batch_size=2):
            opt.zero_grad()
            torch.nn.functional.mse_loss(layer(x), y).backward()
            opt.step()
            sched.step()
        buffer = io.BytesIO()
        torch.save({"model": layer.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict()}, buffer)
        buffer.seek(0)
        torch.load(buffer, weights_only=True)
    with torch.no_grad():
        layer.eval()(torch.zeros(1, 2))
    _done = True
