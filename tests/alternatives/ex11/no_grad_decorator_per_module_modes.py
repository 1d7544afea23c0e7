# Style: @torch.no_grad() decorator on a helper, mean loss times len(x) per batch, torch.max for predictions, model.to(device) inside, per-module modes saved and restored in finally.
import torch
import torch.nn.functional as F


def get_device() -> torch.device:
    return torch.device("cuda", torch.cuda.current_device()) if torch.cuda.is_available() else torch.device("cpu")


def move_to(obj, device):
    if torch.is_tensor(obj):
        return obj.to(device, non_blocking=True)
    elif isinstance(obj, dict):
        out = {}
        for k in obj:
            out[k] = move_to(obj[k], device)
        return out
    elif isinstance(obj, list):
        out = []
        for item in obj:
            out.append(move_to(item, device))
        return out
    elif isinstance(obj, tuple):
        return tuple(move_to(list(obj), device))
    else:
        return obj


@torch.no_grad()
def _run(model, loader, device):
    total, total_loss, total_correct = 0, 0.0, 0
    for batch in loader:
        x, y = move_to(batch, device)
        logits = model(x)
        batch_size = len(x)
        total_loss += F.cross_entropy(logits, y).item() * batch_size
        _, predicted = torch.max(logits, dim=1)
        total_correct += torch.sum(predicted == y).item()
        total += batch_size
    return total, total_loss, total_correct


def evaluate(model, loader, device):
    modes = {module: module.training for module in model.modules()}
    model.to(device)
    model.eval()
    try:
        total, total_loss, total_correct = _run(model, loader, device)
    finally:
        for module, training in modes.items():
            module.training = training
    if not total:
        raise ValueError("the loader is empty")
    return {"loss": total_loss / total, "accuracy": total_correct / total}
