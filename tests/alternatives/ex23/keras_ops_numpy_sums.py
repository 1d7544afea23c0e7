"""Tape with explicit watch-free trainable list, numpy float64 accumulators, keras.ops for the size."""
import keras
import numpy as np
import tensorflow as tf


def train_step(model, optimizer, loss_fn, x, y):
    tape = tf.GradientTape()
    with tape:
        loss = loss_fn(y, model(x, training=True))
    params = list(model.trainable_variables)
    grads = tape.gradient(loss, params)
    optimizer.apply_gradients(list(zip(grads, params)))
    return float(keras.ops.convert_to_numpy(loss))


def fit_manual(model, optimizer, loss_fn, dataset, epochs):
    if epochs < 1:
        raise ValueError("epochs must be >= 1")
    history = []
    for epoch in range(epochs):
        losses, sizes = [], []
        for x, y in dataset:
            losses.append(train_step(model, optimizer, loss_fn, x, y))
            sizes.append(keras.ops.shape(x)[0])
        history.append(float(np.average(np.array(losses, dtype=np.float64), weights=np.array(sizes, dtype=np.float64))))
    return history
