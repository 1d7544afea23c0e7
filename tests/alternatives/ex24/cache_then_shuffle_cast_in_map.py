"""Caches the raw slices, shuffles after the cache, casts in a map after batching."""
import tensorflow as tf


def make_dataset(features, labels, batch_size, shuffle=True, seed=None, drop_remainder=False):
    if batch_size < 1:
        raise ValueError("batch_size < 1")
    if features.shape[0] != labels.shape[0]:
        raise ValueError("length mismatch")
    ds = tf.data.Dataset.from_tensor_slices((features, labels)).cache()
    if shuffle:
        ds = ds.shuffle(buffer_size=features.shape[0], seed=seed)
    ds = ds.batch(batch_size, drop_remainder=drop_remainder)
    return ds.map(lambda x, y: (tf.cast(x, tf.float32), y)).prefetch(1)
