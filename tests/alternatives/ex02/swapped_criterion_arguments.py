# Style: the criterion called with its arguments swapped, criterion(y, output) (MSE is symmetric, so the loss and its gradient are the same); zero_grad(set_to_none=True) on the optimizer.
import torch.nn as nn


def train(model, optimizer, batches):
    criterion = nn.MSELoss()
    losses = []
    for x, y in batches:
        optimizer.zero_grad(set_to_none=True)
        loss = criterion(y, model(x))
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
