"""Keras 3's optimizer.apply, tf.shape for the batch size, an incremental weighted mean."""
import keras
import numpy as np
import tensorflow as tf


def train_step(model: keras.Model, optimizer, loss_fn, x, y) -> float:
    variables = model.trainable_variables
    with tf.GradientTape() as tape:
        y_pred = model(x, training=True)
        loss_value = loss_fn(y, y_pred)
    gradients = tape.gradient(loss_value, variables)
    optimizer.apply(gradients, variables)
    return np.asarray(loss_value).item()


def fit_manual(model: keras.Model, optimizer, loss_fn, dataset, epochs: int) -> list[float]:
    if epochs <= 0:
        raise ValueError(f"epochs={epochs}")
    out: list[float] = []
    for _ in range(epochs):
        mean, seen = 0.0, 0
        for x, y in dataset:
            n = int(tf.shape(x)[0])
            loss = train_step(model, optimizer, loss_fn, x, y)
            seen += n
            mean += (loss - mean) * n / seen
        out.append(mean)
    return out
