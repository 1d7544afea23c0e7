# Mutant: validates nothing: Keras refuses Dense(0) and Embedding(0, ...) but accepts Input((0,)), so num_numeric=0 builds a model.

import keras
from keras import layers


def build_two_input_model(num_numeric: int, vocab_size: int, embed_dim: int = 8,
                          num_classes: int = 3) -> keras.Model:
    numeric = keras.Input((num_numeric,), name="numeric")
    category = keras.Input((1,), dtype="int32", name="category")
    embedded = layers.Flatten()(layers.Embedding(vocab_size, embed_dim)(category))  # (batch, embed_dim)
    x = layers.Concatenate()([numeric, embedded])
    x = layers.Dense(16, activation="relu")(x)
    probs = layers.Dense(num_classes, activation="softmax", name="probs")(x)
    return keras.Model(inputs={"numeric": numeric, "category": category}, outputs=probs)
