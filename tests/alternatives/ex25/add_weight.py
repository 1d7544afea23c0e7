"""Correct alternative: the block's weights made with add_weight (kernels first, then biases),
keras.ops maths, the activation kept as a function and serialised back to its name; a
functional build_model written with a loop over a list; a Japanese refusal message."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="dlkit")
class ResidualDense(keras.layers.Layer):
    def __init__(self, units: int, activation: str = "relu", **kwargs):
        super().__init__(**kwargs)
        self.units = int(units)
        self.activation_fn = keras.activations.get(activation)

    def build(self, input_shape):
        width = input_shape[-1]
        if width != self.units:
            raise ValueError(f"入力の幅 {width} が units={self.units} と違います")
        self.k1 = self.add_weight(shape=(width, self.units), initializer="glorot_uniform", name="k1")
        self.k2 = self.add_weight(shape=(self.units, self.units), initializer="glorot_uniform", name="k2")
        self.b1 = self.add_weight(shape=(self.units,), initializer="zeros", name="b1")
        self.b2 = self.add_weight(shape=(self.units,), initializer="zeros", name="b2")

    def call(self, x):
        hidden = self.activation_fn(ops.matmul(x, self.k1) + self.b1)
        return x + ops.matmul(hidden, self.k2) + self.b2

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "activation": keras.activations.serialize(self.activation_fn)}


def build_model(input_dim: int, num_classes: int, depth: int) -> keras.Model:
    inputs = keras.Input(shape=(input_dim,))
    stack = [keras.layers.Dense(32)] + [ResidualDense(32) for _ in range(depth)]
    x = inputs
    for layer in stack:
        x = layer(x)
    return keras.Model(inputs=inputs, outputs=keras.layers.Dense(num_classes, activation="softmax")(x))


def save_and_reload(model: keras.Model, path: str) -> keras.Model:
    if not path.endswith(".keras"):
        raise ValueError(f"{path!r} には保存しません。拡張子 .keras（Keras 3 のネイティブ形式）にしてください。"
                         "フォルダ（SavedModel）は Keras 3 では使えず、.h5 は旧形式です")
    model.save(path)
    return keras.models.load_model(path)
