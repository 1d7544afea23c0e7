# Mutant: shuffles even when shuffle=False.

import numpy as np
import tensorflow as tf


def make_dataset(features: np.ndarray, labels: np.ndarray, batch_size: int, shuffle: bool = True,
                 seed: int | None = None, drop_remainder: bool = False) -> tf.data.Dataset:
    features, labels = np.asarray(features), np.asarray(labels)
    if len(features) != len(labels):
        raise ValueError(f"features and labels differ in length: {len(features)} != {len(labels)}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    ds = tf.data.Dataset.from_tensor_slices((features.astype(np.float32), labels))
    if True:  # samples, before batching; a buffer holding the whole dataset; new order every pass
        ds = ds.shuffle(buffer_size=max(len(features), 1), seed=seed, reshuffle_each_iteration=True)
    return ds.batch(batch_size, drop_remainder=drop_remainder).prefetch(tf.data.AUTOTUNE)
