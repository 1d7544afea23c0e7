"""A Python generator that draws a new permutation from a seeded NumPy generator on every epoch."""
import numpy as np
import tensorflow as tf


def make_dataset(features: np.ndarray, labels: np.ndarray, batch_size: int, shuffle: bool = True,
                 seed: int | None = None, drop_remainder: bool = False) -> tf.data.Dataset:
    features = np.asarray(features).astype(np.float32)
    labels = np.asarray(labels)
    n = features.shape[0]
    if labels.shape[0] != n:
        raise ValueError(f"{n} feature rows but {labels.shape[0]} labels")
    if not batch_size >= 1:
        raise ValueError("batch_size must be a positive integer")
    rng = np.random.default_rng(seed)

    def batches():
        order = rng.permutation(n) if shuffle else np.arange(n)
        stop = n - n % batch_size if drop_remainder else n
        for start in range(0, stop, batch_size):
            chosen = order[start:start + batch_size]
            yield features[chosen], labels[chosen]

    signature = (tf.TensorSpec((None, *features.shape[1:]), tf.float32),
                 tf.TensorSpec((None, *labels.shape[1:]), tf.as_dtype(labels.dtype)))
    return tf.data.Dataset.from_generator(batches, output_signature=signature).prefetch(2)
