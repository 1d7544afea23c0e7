"""The step compiled with tf.function (retraced per model), the loss read back with .numpy()."""
import tensorflow as tf


def _step(model, optimizer, loss_fn):
    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
        return loss
    return step


def train_step(model, optimizer, loss_fn, x, y):
    return float(_step(model, optimizer, loss_fn)(tf.convert_to_tensor(x), tf.convert_to_tensor(y)).numpy())


def fit_manual(model, optimizer, loss_fn, dataset, epochs):
    if not epochs >= 1:
        raise ValueError("need at least one epoch")
    losses = []
    for epoch in range(epochs):
        weighted = []
        for x, y in dataset:
            weighted.append((train_step(model, optimizer, loss_fn, x, y), len(x)))
        losses.append(sum(l * n for l, n in weighted) / sum(n for _, n in weighted))
    return losses
