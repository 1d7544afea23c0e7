# Style: logits taken to numpy float64, cross-entropy by log-sum-exp in numpy, numpy floats returned, inference_mode.
"""Logits taken to numpy float64; cross-entropy by log-sum-exp in numpy; numpy floats returned."""
import numpy as np
import torch


def get_device():
    return torch.device("cuda" if torch.cuda.device_count() > 0 and torch.cuda.is_available() else "cpu")


def move_to(obj, device):
    if isinstance(obj, torch.Tensor):
        return obj.to(device=device, non_blocking=True)
    if type(obj) is dict or isinstance(obj, dict):
        moved = {}
        for key, value in obj.items():
            moved[key] = move_to(value, device)
        return moved
    if isinstance(obj, (list, tuple)):
        items = [move_to(v, device) for v in obj]
        return items if isinstance(obj, list) else tuple(items)
    return obj


def evaluate(model, loader, device):
    previous = model.training
    model.train(False)
    nll, hits, count = np.float64(0.0), 0, 0
    with torch.inference_mode():
        for x, y in loader:
            x = move_to(x, device)
            logits = model(x).detach().cpu().numpy().astype(np.float64)
            labels = y.cpu().numpy()
            m = logits.max(axis=1, keepdims=True)
            lse = m[:, 0] + np.log(np.exp(logits - m).sum(axis=1))
            nll += (lse - logits[np.arange(len(labels)), labels]).sum()
            hits += int((logits.argmax(axis=1) == labels).sum())
            count += len(labels)
    model.train(previous)
    if count == 0:
        raise ValueError("no samples to evaluate")
    return {"loss": nll / count, "accuracy": np.float64(hits) / count}
