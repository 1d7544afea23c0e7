# Mutant: permutes the arrays once with NumPy when the dataset is made: every epoch replays that one order.
import numpy as np
import tensorflow as tf


def make_dataset(features: np.ndarray, labels: np.ndarray, batch_size: int, shuffle: bool = True,
                 seed: int | None = None, drop_remainder: bool = False) -> tf.data.Dataset:
    features, labels = np.asarray(features), np.asarray(labels)
    if len(features) != len(labels):
        raise ValueError("features and labels differ in length")
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if shuffle:
        perm = np.random.default_rng(seed).permutation(len(features))
        features, labels = features[perm], labels[perm]
    ds = tf.data.Dataset.from_tensor_slices((features.astype(np.float32), labels))
    return ds.batch(batch_size, drop_remainder=drop_remainder)
