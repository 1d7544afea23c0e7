# Style: collections.abc Mapping/Sequence dispatch (strings guarded), log_softmax + nll_loss, inference_mode context, math.fsum over per-batch sums, early ValueError on len(loader) == 0.
import math
from collections.abc import Mapping, Sequence

import torch
import torch.nn.functional as F


def get_device():
    device = "cpu"
    if torch.cuda.is_available():
        device = "cuda"
    return torch.device(device)


def move_to(obj, device):
    if isinstance(obj, torch.Tensor):
        return obj.to(device)
    if isinstance(obj, Mapping):
        return {k: move_to(v, device) for k, v in obj.items()}
    if isinstance(obj, Sequence) and not isinstance(obj, (str, bytes)):
        moved = [move_to(v, device) for v in obj]
        return tuple(moved) if isinstance(obj, tuple) else moved
    return obj


def evaluate(model, loader, device):
    if len(loader) == 0:
        raise ValueError("empty loader")
    was_training = model.training
    model.eval()
    batch_losses, n_correct, n_total = [], 0, 0
    try:
        with torch.inference_mode():
            for inputs, labels in loader:
                inputs = inputs.to(device)
                labels = labels.to(device)
                log_probs = F.log_softmax(model(inputs), dim=-1)
                batch_losses.append(F.nll_loss(log_probs, labels, reduction="sum").item())
                n_correct += int((log_probs.argmax(-1) == labels).sum().item())
                n_total += labels.shape[0]
    finally:
        if was_training:
            model.train()
    if n_total == 0:
        raise ValueError("no samples")
    return {"loss": math.fsum(batch_losses) / n_total, "accuracy": n_correct / n_total}
