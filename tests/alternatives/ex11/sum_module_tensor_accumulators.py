# Style: nn.CrossEntropyLoss(reduction="sum") module, loss and hit counts accumulated as device tensors (one .item() at the end), type(obj)(generator) rebuilds lists and tuples, enumerate over the loader.
import torch
import torch.nn as nn


def get_device():
    if torch.cuda.is_available():
        return torch.device("cuda:0")
    return torch.device("cpu")


def move_to(obj, device):
    if isinstance(obj, torch.Tensor):
        return obj.to(device)
    if isinstance(obj, dict):
        return {key: move_to(value, device) for key, value in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(move_to(item, device) for item in obj)
    return obj


def evaluate(model, loader, device):
    criterion = nn.CrossEntropyLoss(reduction="sum")
    was_training = model.training
    model.eval()
    loss_sum = torch.zeros((), device=device)
    correct = torch.zeros((), dtype=torch.long, device=device)
    seen = 0
    with torch.no_grad():
        for step, (inputs, targets) in enumerate(loader):
            inputs, targets = move_to(inputs, device), move_to(targets, device)
            outputs = model(inputs)
            loss_sum += criterion(outputs, targets)
            correct += (outputs.argmax(dim=1) == targets).sum()
            seen += targets.numel()
    model.train(was_training)
    if seen == 0:
        raise ValueError("cannot evaluate on an empty loader")
    return {"loss": loss_sum.item() / seen, "accuracy": correct.item() / seen}
