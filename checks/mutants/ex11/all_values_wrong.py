# Mutant: every returned value is wrong (get_device always the cpu, move_to returns its argument unmoved, evaluate returns loss 0.0 and accuracy 0.0), though evaluate runs the model in eval mode under no_grad on the device, restores the mode, and nothing ever raises.
import torch


def get_device() -> torch.device:
    return torch.device("cpu")


def move_to(obj, device):
    return obj


def evaluate(model, loader, device):
    was_training = model.training
    model.eval()
    with torch.no_grad():
        for x, y in loader:
            model(x.to(device))
    model.train(was_training)
    return {"loss": 0.0, "accuracy": 0.0}
