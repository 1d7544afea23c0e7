"""Shuffles and batches the indices, then gathers each batch's rows: samples are shuffled, not batches."""
import numpy as np
import tensorflow as tf


def make_dataset(features, labels, batch_size, shuffle=True, seed=None, drop_remainder=False):
    if len(features) != len(labels):
        raise ValueError("features and labels must have the same length")
    if batch_size < 1:
        raise ValueError("batch_size must be >= 1")
    x = tf.constant(np.asarray(features, dtype=np.float32))
    y = tf.constant(np.asarray(labels))
    n = len(features)
    idx = tf.data.Dataset.range(n)
    if shuffle:
        idx = idx.shuffle(n, seed=seed)
    idx = idx.batch(batch_size, drop_remainder=drop_remainder)
    return idx.map(lambda i: (tf.gather(x, i), tf.gather(y, i)), num_parallel_calls=tf.data.AUTOTUNE)
