# Mutant: takes one iterator before the epoch loop, so the second epoch finds it exhausted.

import keras
import tensorflow as tf


def train_step(model: keras.Model, optimizer, loss_fn, x, y) -> float:
    with tf.GradientTape() as tape:  # records the forward pass
        prediction = model(x, training=True)  # dropout, batch norm... in training mode
        loss = loss_fn(y, prediction)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return float(loss)  # measured before the update


def fit_manual(model: keras.Model, optimizer, loss_fn, dataset, epochs: int) -> list[float]:
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs}")
    history = []
    batches = iter(dataset)
    for _ in range(epochs):
        total, count = 0.0, 0
        for x, y in batches:
            n = int(x.shape[0])
            total += train_step(model, optimizer, loss_fn, x, y) * n
            count += n
        history.append(total / count)  # per sample, as fit reports it
    return history
