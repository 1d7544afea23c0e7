"""Correct alternative: no build method (the Dense layers build on the first call), the width
checked in call, build_model as a Sequential, pathlib's suffix, keras.saving.save_model/load_model."""

from pathlib import Path

import keras


@keras.saving.register_keras_serializable(package="dlkit")
class ResidualDense(keras.layers.Layer):
    def __init__(self, units: int, activation: str = "relu", **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = activation
        self.dense_1 = keras.layers.Dense(units)
        self.act = keras.layers.Activation(activation)
        self.dense_2 = keras.layers.Dense(units)

    def call(self, x):
        if x.shape[-1] != self.units:
            raise ValueError(f"expected width {self.units}, got {x.shape[-1]}")
        return keras.ops.add(x, self.dense_2(self.act(self.dense_1(x))))

    def get_config(self):
        config = super().get_config()
        config.update(units=self.units, activation=self.activation)
        return config


def build_model(input_dim: int, num_classes: int, depth: int) -> keras.Model:
    return keras.Sequential(
        [keras.Input(shape=(input_dim,)), keras.layers.Dense(32)]
        + [ResidualDense(32) for _ in range(depth)]
        + [keras.layers.Dense(num_classes, activation="softmax")]
    )


def save_and_reload(model: keras.Model, path: str) -> keras.Model:
    if Path(path).suffix != ".keras":
        raise ValueError(f"{path}: Keras 3 saves whole models as .keras files; a SavedModel folder is "
                         "refused and .h5 is the legacy format")
    keras.saving.save_model(model, path)
    return keras.saving.load_model(path)
