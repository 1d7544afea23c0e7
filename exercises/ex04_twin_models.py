"""演習 4 — PyTorch と Keras で同じモデル / Exercise 4 — twin PyTorch and Keras models

【教科書との違い】教科書（第4章 演習問題 問題4）の解答例では Keras のモデルがモジュールの変数 keras_model
ですが、この課題ではビルド済みのモデルを返す関数 build_keras_model() にします（input_shape= の代わりに
keras.Input(shape=(784,)) を使います）。PyTorch のモデルは教科書の解答例のままで構いません。

【課題】同じアーキテクチャのモデルを PyTorch と TensorFlow/Keras の両方で実装してください。

  入力: 28x28 の画像を平らにした 784 次元のベクトル（形 (バッチ, 784)）
  隠れ層 1: 全結合 256 ユニット → ReLU → Dropout(0.3)
  隠れ層 2: 全結合 128 ユニット → ReLU → Dropout(0.3)
  出力層:   全結合 10 ユニット（10 クラス分類の「ロジット」。softmax は掛けない）

  class PyTorchModel(nn.Module): ...
      # 引数なしで PyTorchModel() と作れること。forward(x) は (バッチ, 10) のロジットを返す
  def build_keras_model() -> keras.Model: ...
      # 上と同じモデルを作って返す。返した時点でビルド済みであること
      # （呼び出す前でも count_params() が使える。keras.Input(shape=(784,)) を使う）

- パラメータ数はどちらも 235,146 個になります（重みとバイアスを含む）。
- Dropout は学習時（model.train() / training=True）だけ働き、推論時
  （model.eval() / training=False）は何度呼んでも同じ出力になること。
- PyTorch の重みを Keras に写す（Keras の kernel = PyTorch の weight.T）と、
  推論時の出力が 1e-4 以内で一致すること。
- PyTorch モデルは CPU でも GPU でも同じ出力になること。
- 層の名前や書き方（nn.Sequential でも名前付き属性でも、F.relu でも nn.ReLU でも、
  Sequential API でも Functional API でも）は自由です。

[Beyond the textbook] The textbook's printed answer (chapter 4, exercise 4) makes the Keras model
a module-level variable, keras_model; here a function, build_keras_model(), returns it already built
(use keras.Input(shape=(784,)) instead of input_shape=). The textbook's PyTorch model is fine as it is.

[Task] Implement the same architecture twice, in PyTorch and in TensorFlow/Keras.

  input:          a flattened 28x28 image, a 784-dimensional vector (shape (batch, 784))
  hidden layer 1: fully connected, 256 units → ReLU → Dropout(0.3)
  hidden layer 2: fully connected, 128 units → ReLU → Dropout(0.3)
  output layer:   fully connected, 10 units (the "logits" of a 10-class classifier; no softmax)

  class PyTorchModel(nn.Module): ...
      # PyTorchModel() takes no arguments; forward(x) returns (batch, 10) logits
  def build_keras_model() -> keras.Model: ...
      # builds and returns the same model, already built when it is returned
      # (count_params() works before any call: use keras.Input(shape=(784,)))

- Each model has 235,146 parameters (weights and biases).
- Dropout is active only in training (model.train() / training=True); in inference
  (model.eval() / training=False) the output is the same on every call.
- Copying the PyTorch weights into the Keras model (Keras kernel = PyTorch weight.T)
  makes their inference outputs agree within 1e-4.
- The PyTorch model gives the same output on CPU and on a GPU.
- Name and write the layers as you like (nn.Sequential or named attributes, F.relu or
  nn.ReLU, Keras Sequential or functional API).

Check your work: ./grade ex4
"""

import keras
import torch
from torch import nn


class PyTorchModel(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError


def build_keras_model() -> keras.Model:
    raise NotImplementedError
