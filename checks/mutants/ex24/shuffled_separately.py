# Mutant: shuffles features and labels as two datasets and zips them: each label travels with another sample's features.
import numpy as np
import tensorflow as tf


def make_dataset(features: np.ndarray, labels: np.ndarray, batch_size: int, shuffle: bool = True,
                 seed: int | None = None, drop_remainder: bool = False) -> tf.data.Dataset:
    features, labels = np.asarray(features), np.asarray(labels)
    if len(features) != len(labels):
        raise ValueError("features and labels differ in length")
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    xs = tf.data.Dataset.from_tensor_slices(features.astype(np.float32))
    ys = tf.data.Dataset.from_tensor_slices(labels)
    if shuffle:
        n = max(len(features), 1)
        xs = xs.shuffle(n, seed=seed)
        ys = ys.shuffle(n, seed=None if seed is None else seed + 1)
    return tf.data.Dataset.zip((xs, ys)).batch(batch_size, drop_remainder=drop_remainder)
