# Mutant: leaves the output layer unnamed, so the output is not called "probs".

import keras
from keras import layers


def build_two_input_model(num_numeric: int, vocab_size: int, embed_dim: int = 8,
                          num_classes: int = 3) -> keras.Model:
    for name, value in [("num_numeric", num_numeric), ("vocab_size", vocab_size),
                        ("embed_dim", embed_dim), ("num_classes", num_classes)]:
        if value < 1:
            raise ValueError(f"{name} must be at least 1, got {value}")
    numeric = keras.Input((num_numeric,), name="numeric")
    category = keras.Input((1,), dtype="int32", name="category")
    embedded = layers.Flatten()(layers.Embedding(vocab_size, embed_dim)(category))  # (batch, embed_dim)
    x = layers.Concatenate()([numeric, embedded])
    x = layers.Dense(16, activation="relu")(x)
    probs = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs={"numeric": numeric, "category": category}, outputs=probs)
