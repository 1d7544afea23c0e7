# Mutant: saves the file but returns the model it was given instead of the one loaded back.
import keras
from keras import layers


@keras.saving.register_keras_serializable(package="dlkit")
class ResidualDense(keras.layers.Layer):
    def __init__(self, units: int, activation: str = "relu", **kwargs):
        super().__init__(**kwargs)  # name, trainable, dtype: the base config
        self.units = units
        self.activation = activation  # kept as given (a name): get_config returns it as is
        self.hidden = layers.Dense(units, activation=activation, dtype=self.dtype_policy)
        self.project = layers.Dense(units, dtype=self.dtype_policy)

    def build(self, input_shape):
        if input_shape[-1] != self.units:
            raise ValueError(f"ResidualDense({self.units}) needs inputs of width {self.units} "
                             f"(x + f(x) adds them), got width {input_shape[-1]}")
        self.hidden.build(input_shape)
        self.project.build(input_shape)

    def call(self, x):
        return x + self.project(self.hidden(x))

    def get_config(self):
        return {**super().get_config(), "units": self.units, "activation": self.activation}


def build_model(input_dim: int, num_classes: int, depth: int) -> keras.Model:
    inputs = keras.Input(shape=(input_dim,))
    x = layers.Dense(32)(inputs)
    for _ in range(depth):
        x = ResidualDense(32)(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def save_and_reload(model: keras.Model, path: str) -> keras.Model:
    if not str(path).endswith(".keras"):
        raise ValueError(
            f"save_and_reload needs a path ending in .keras (Keras 3's native format), got {path!r}: "
            "a bare folder is Keras 2's SavedModel habit, which Keras 3 refuses, and .h5 is the legacy "
            "HDF5 format, which Keras 3 still writes (with a warning) but does not recommend.")
    model.save(path)
    return model
