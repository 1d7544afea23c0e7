"""Through tensorflow's keras namespace, tuple inputs, an explicit error per argument."""
import tensorflow as tf

layers = tf.keras.layers


def _positive(name: str, value: int) -> int:
    if value < 1:
        raise ValueError(f"{name}={value}: must be >= 1")
    return value


def build_two_input_model(num_numeric: int, vocab_size: int, embed_dim: int = 8,
                          num_classes: int = 3) -> tf.keras.Model:
    num_numeric = _positive("num_numeric", num_numeric)
    vocab_size = _positive("vocab_size", vocab_size)
    embed_dim = _positive("embed_dim", embed_dim)
    num_classes = _positive("num_classes", num_classes)
    inputs = (tf.keras.Input(shape=(num_numeric,), name="numeric"),
              tf.keras.Input(shape=(1,), dtype=tf.int32, name="category"))
    flat = layers.Flatten(name="flat_embedding")(layers.Embedding(vocab_size, embed_dim, name="category_embedding")(inputs[1]))
    merged = layers.Concatenate(axis=-1)([inputs[0], flat])
    hidden = layers.Dense(units=16, activation="relu", name="hidden")(merged)
    probs = layers.Dense(units=num_classes, activation="softmax", name="probs")(hidden)
    return tf.keras.Model(inputs, probs)
