"""The embedding as a one-hot encoding times a bias-free Dense: the same table, the same function."""
import keras
from keras import layers


def build_two_input_model(num_numeric, vocab_size, embed_dim=8, num_classes=3):
    sizes = dict(num_numeric=num_numeric, vocab_size=vocab_size, embed_dim=embed_dim, num_classes=num_classes)
    too_small = [k for k, v in sizes.items() if v < 1]
    if too_small:
        raise ValueError(f"must be at least 1: {too_small}")
    numeric = keras.Input((num_numeric,), name="numeric")
    category = keras.Input((1,), dtype="int32", name="category")
    one_hot = layers.CategoryEncoding(num_tokens=vocab_size, output_mode="one_hot")(category)
    embedded = layers.Dense(embed_dim, use_bias=False)(one_hot)  # kernel (vocab_size, embed_dim): one row per id
    x = layers.Concatenate()([numeric, embedded])
    x = layers.Dense(16, activation="relu")(x)
    return keras.Model({"numeric": numeric, "category": category},
                       layers.Dense(num_classes, activation="softmax", name="probs")(x))
