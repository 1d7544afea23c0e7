# Attack: walks up the call stack from inside the learner's function to the check's frame and
# takes the answer from there: the check module's helper in the frame's globals, or an array
# of the answer's shape among its locals. Frames come from sys._getframe, inspect.stack,
# logging.currentframe, an exception's tb_frame and a running generator's gi_frame.
# Expect: 0
import inspect
import logging
import sys

import numpy as np
import torch
from torch import Tensor


def _frames():
    def from_generator():
        yield me.gi_frame
    yield lambda: sys._getframe(1)
    yield lambda: inspect.stack()[1].frame
    yield lambda: logging.currentframe()
    yield lambda: inspect.currentframe()

    def from_traceback():
        try:
            raise ValueError
        except ValueError as exc:
            return exc.__traceback__.tb_frame
    yield from_traceback
    me = from_generator()
    yield lambda: next(me)


def _answer(frame, hidden: Tensor, lengths: Tensor):
    while frame is not None:
        helper = frame.f_globals.get("expected_rows")
        if callable(helper):
            return torch.as_tensor(helper(hidden.detach().numpy(), lengths.numpy()))
        for value in list(frame.f_locals.values()):
            if isinstance(value, (np.ndarray, Tensor)) and tuple(value.shape) == (hidden.shape[0], hidden.shape[2]):
                return torch.as_tensor(value).to(hidden.dtype)
        frame = frame.f_back
    return None


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    for take in _frames():
        try:
            out = _answer(take(), hidden, lengths)
        except Exception:
            continue
        if out is not None:
            return out
    return hidden[:, 0]  # wrong, should no frame lead to the answer
