"""Inputs as a list [category, numeric], the embedding first in the concatenation, Reshape instead of Flatten."""
import keras


def build_two_input_model(num_numeric, vocab_size, embed_dim=8, num_classes=3):
    if num_numeric < 1 or vocab_size < 1 or embed_dim < 1 or num_classes < 1:
        raise ValueError("all sizes must be positive")
    category = keras.Input(shape=(1,), dtype="int32", name="category")
    numeric = keras.Input(shape=(num_numeric,), dtype="float32", name="numeric")
    e = keras.layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)(category)
    e = keras.layers.Reshape((embed_dim,))(e)
    h = keras.layers.concatenate([e, numeric])
    h = keras.layers.Dense(16)(h)
    h = keras.layers.ReLU()(h)
    out = keras.layers.Dense(num_classes, activation=keras.activations.softmax, name="probs")(h)
    return keras.Model(inputs=[category, numeric], outputs=out, name="two_inputs")
