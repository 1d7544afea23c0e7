# Style: an Averager class (running sum / count) for loss and accuracy, torch.no_grad + contextlib.ExitStack-free try/finally, print of a summary line, np.float64 maths on .cpu().numpy() per-sample losses.
import numpy as np
import torch
import torch.nn.functional as F


class _Average:
    def __init__(self):
        self.total = 0.0
        self.count = 0

    def update(self, values):
        self.total += float(np.sum(values, dtype=np.float64))
        self.count += len(values)

    @property
    def value(self):
        return self.total / self.count


def get_device():
    return torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")


def move_to(obj, device):
    if isinstance(obj, torch.Tensor):
        return obj.to(device)
    if isinstance(obj, dict):
        return {k: move_to(v, device) for k, v in obj.items()}
    if isinstance(obj, list):
        return [move_to(v, device) for v in obj]
    if isinstance(obj, tuple):
        return tuple([move_to(v, device) for v in obj])
    return obj


def evaluate(model, loader, device):
    loss_avg, acc_avg = _Average(), _Average()
    training = model.training
    model.eval()
    try:
        with torch.no_grad():
            for x, y in loader:
                x, y = move_to((x, y), device)
                logits = model(x)
                per_sample = F.cross_entropy(logits, y, reduction="none")
                loss_avg.update(per_sample.cpu().numpy())
                acc_avg.update((logits.argmax(1) == y).cpu().numpy())
    finally:
        model.train(training)
    if loss_avg.count == 0:
        raise ValueError("nothing to evaluate: the loader is empty")
    print(f"eval: loss={loss_avg.value:.4f} acc={acc_avg.value:.2%}")
    return {"loss": loss_avg.value, "accuracy": acc_avg.value}
