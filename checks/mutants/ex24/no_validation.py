# Mutant: validates nothing, leaving TensorFlow to fail later with its own errors (not ValueError) for different lengths or batch_size 0.

import numpy as np
import tensorflow as tf


def make_dataset(features: np.ndarray, labels: np.ndarray, batch_size: int, shuffle: bool = True,
                 seed: int | None = None, drop_remainder: bool = False) -> tf.data.Dataset:
    features, labels = np.asarray(features), np.asarray(labels)
    ds = tf.data.Dataset.from_tensor_slices((features.astype(np.float32), labels))
    if shuffle:  # samples, before batching; a buffer holding the whole dataset; new order every pass
        ds = ds.shuffle(buffer_size=max(len(features), 1), seed=seed, reshuffle_each_iteration=True)
    return ds.batch(batch_size, drop_remainder=drop_remainder).prefetch(tf.data.AUTOTUNE)
