# Style: validates inside try/except, logs the failure with logging.exception and
# traceback.format_exc before re-raising, and returns through a typing.NamedTuple: library code
# that reads frames for itself (logging's caller lookup, tracebacks, NamedTuple) is allowed.
import logging
import traceback
import warnings
from typing import NamedTuple

import torch

log = logging.getLogger(__name__)


class Picked(NamedTuple):
    rows: torch.Tensor
    index: torch.Tensor


def _pick(hidden: torch.Tensor, lengths: torch.Tensor) -> Picked:
    index = lengths.long() - 1
    if bool((index < 0).any()) or bool((index >= hidden.shape[1]).any()):
        raise ValueError(f"lengths must lie in 1..{hidden.shape[1]}")
    return Picked(hidden[torch.arange(hidden.shape[0]), index], index)


def last_tokens(hidden: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    log.debug("last_tokens on %s", tuple(hidden.shape))
    try:
        return _pick(hidden, lengths).rows
    except ValueError:
        log.exception("bad lengths")
        text = traceback.format_exc()
        warnings.warn(f"last_tokens: {text.splitlines()[-1]}", stacklevel=2)
        raise
