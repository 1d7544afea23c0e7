"""演習 25 — 保存して読み戻せる Keras のカスタム層 / Exercise 25 — a custom Keras layer that survives save and load

教科書（第4章「カスタムモデルの作成」「モデルの保存と読み込み」）より:
  「class CustomModel(keras.Model):
        \"\"\"カスタムモデルクラス（PyTorchのnn.Moduleに相当）\"\"\"」
  「# 方法1: SavedFormat（推奨）
    keras_model.save('saved_model/')
    # 方法2: HDF5形式
    keras_model.save('model.h5')」
教科書のカスタムモデルは get_config を持たないので、保存したファイルから組み立て直せません。
また、フォルダへの保存（SavedModel）は Keras 2 の書き方で、Keras 3 の model.save はフォルダを
受け付けません（ValueError）。.h5 は旧式（legacy）の HDF5 形式で、Keras 3 は警告付きで書きますが
推奨していません。Keras 3 のネイティブ形式は拡張子 .keras の 1 ファイルです。

【課題】次の 3 つを実装してください。

    @keras.saving.register_keras_serializable(package="dlkit")
    class ResidualDense(keras.layers.Layer):
        def __init__(self, units: int, activation: str = "relu", **kwargs): ...
    def build_model(input_dim: int, num_classes: int, depth: int) -> keras.Model: ...
    def save_and_reload(model: keras.Model, path: str) -> keras.Model: ...

- ResidualDense(x) = x + Dense(units)(activation(Dense(units)(x)))
  （1 つ目の Dense の後に activation、2 つ目の Dense は活性化なし、どちらもバイアスあり。最後に入力 x を足す）。
  入力の幅（最後の次元）が units でなければ、層が build されるとき（最初に呼ばれたとき）に ValueError。
- get_config は基底クラスの設定（super().get_config(): name, trainable, dtype）に units と activation を
  加えて返し、ResidualDense.from_config(layer.get_config()) が同じ層を作り直せること。
  register_keras_serializable(package="dlkit") の登録名 "dlkit>ResidualDense" はそのまま使います。
- build_model: keras.Input(shape=(input_dim,)) → Dense(32)（活性化なし）→ ResidualDense(32) を depth 個
  → Dense(num_classes, activation="softmax")。depth = 0 も可（残差ブロックなし）。
- save_and_reload: model を path に Keras 3 のネイティブ形式（.keras）で保存し、
  keras.models.load_model(path) で読み戻したモデルを返します。読み戻したモデルは、新しい Python
  プロセスで読み込んでも（custom_objects を渡さなくても）元のモデルとまったく同じ予測をします。
  path が .keras で終わらなければ、保存する前に関数自身が ValueError を送出し、そのメッセージで
  .keras を求める理由を説明します（フォルダは Keras 2 の SavedModel の書き方で Keras 3 は拒否する、
  .h5 は旧式の HDF5 形式で推奨されない）。

From the textbook (chapter 4, "Creating a custom model", "Saving and loading models"):
  "class CustomModel(keras.Model):
        \"\"\"a custom model class (PyTorch's nn.Module counterpart)\"\"\""
  "# Method 1: SavedFormat (recommended)
    keras_model.save('saved_model/')
    # Method 2: HDF5 format
    keras_model.save('model.h5')"
The textbook's custom model has no get_config, so it cannot be rebuilt from a saved file.
Saving to a folder (SavedModel) is Keras 2's habit: Keras 3's model.save refuses a folder
(ValueError). .h5 is the legacy HDF5 format, which Keras 3 still writes, with a warning, but
does not recommend. Keras 3's native format is a single file ending in .keras.

[Task] Implement the three of them:

    @keras.saving.register_keras_serializable(package="dlkit")
    class ResidualDense(keras.layers.Layer):
        def __init__(self, units: int, activation: str = "relu", **kwargs): ...
    def build_model(input_dim: int, num_classes: int, depth: int) -> keras.Model: ...
    def save_and_reload(model: keras.Model, path: str) -> keras.Model: ...

- ResidualDense(x) = x + Dense(units)(activation(Dense(units)(x)))
  (activation after the first Dense, none after the second, both with a bias; the input x is
  added at the end). If the input's width (last dimension) is not units, raise ValueError
  when the layer is built (its first call).
- get_config returns the base config (super().get_config(): name, trainable, dtype) plus
  units and activation, so that ResidualDense.from_config(layer.get_config()) rebuilds an
  equal layer. Keep the registration register_keras_serializable(package="dlkit"): the
  registered name is "dlkit>ResidualDense".
- build_model: keras.Input(shape=(input_dim,)) → Dense(32) (no activation) → depth
  ResidualDense(32) → Dense(num_classes, activation="softmax"). depth = 0 is allowed (no
  residual block).
- save_and_reload saves model at path in Keras 3's native format (.keras) and returns
  keras.models.load_model(path). The model read back predicts exactly what the original
  does, also when loaded in a fresh Python process (with no custom_objects given).
  If path does not end in .keras, the function itself raises ValueError before saving
  anything, its message saying why .keras is needed (a folder is Keras 2's SavedModel habit,
  which Keras 3 refuses; .h5 is the legacy HDF5 format, not recommended).

Check your work: ./grade ex25
"""

import keras
from keras import layers


@keras.saving.register_keras_serializable(package="dlkit")
class ResidualDense(keras.layers.Layer):
    def __init__(self, units: int, activation: str = "relu", **kwargs):
        raise NotImplementedError

    def build(self, input_shape):
        raise NotImplementedError

    def call(self, x):
        raise NotImplementedError

    def get_config(self):
        raise NotImplementedError


def build_model(input_dim: int, num_classes: int, depth: int) -> keras.Model:
    raise NotImplementedError


def save_and_reload(model: keras.Model, path: str) -> keras.Model:
    raise NotImplementedError
