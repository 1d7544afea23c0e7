# Style: batch indexed (batch[0], batch[1]) after moving the whole batch, predictions and labels collected then compared once with torch.cat, loss as a weighted average by batch size, torch.set_grad_enabled(False) context.
import torch
from torch import nn


def get_device():
    use_cuda = torch.cuda.is_available()
    device = torch.device("cuda" if use_cuda else "cpu")
    return device


def move_to(obj, device):
    if isinstance(obj, torch.Tensor):
        return obj.to(device=device)
    if isinstance(obj, dict):
        return dict(zip(obj.keys(), (move_to(v, device) for v in obj.values())))
    if isinstance(obj, tuple):
        return tuple(move_to(v, device) for v in obj)
    if isinstance(obj, list):
        return [move_to(v, device) for v in obj]
    return obj


def evaluate(model: nn.Module, loader, device) -> dict:
    loss_fn = nn.CrossEntropyLoss()
    was_training = model.training
    model.eval()
    weighted_losses, sizes, preds, labels = [], [], [], []
    with torch.set_grad_enabled(False):
        for batch in loader:
            batch = move_to(batch, device)
            x, y = batch[0], batch[1]
            out = model(x)
            weighted_losses.append(loss_fn(out, y).item() * y.size(0))
            sizes.append(y.size(0))
            preds.append(out.argmax(dim=1))
            labels.append(y)
    model.train(was_training)
    n = sum(sizes)
    if n == 0:
        raise ValueError("the loader yielded no samples")
    accuracy = (torch.cat(preds) == torch.cat(labels)).float().mean().item()
    return {"loss": sum(weighted_losses) / n, "accuracy": float(accuracy)}
