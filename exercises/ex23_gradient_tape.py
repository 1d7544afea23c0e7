"""演習 23 — tf.GradientTape で学習ステップを書く / Exercise 23 — a training step with tf.GradientTape

教科書（第4章 4.3「カスタムモデルの作成」と「PyTorchとの比較」）より:
      def call(self, inputs, training=False):
          """順伝播（PyTorchのforwardに相当）"""
          x = self.dense1(inputs)
          x = self.dropout1(x, training=training)  # 学習時のみDropout
  比較表:「学習ループ | 手動で記述 | model.fit()で自動化」
教科書の Keras の例はどれも model.fit() に学習を任せています。この演習では、fit が 1 ステップで
していることを自分の手で書きます（演習 2 の PyTorch の学習ループの Keras 版です）。

【課題】次の 2 つの関数を実装してください。

    def train_step(model: keras.Model, optimizer, loss_fn, x, y) -> float
    def fit_manual(model: keras.Model, optimizer, loss_fn, dataset, epochs: int) -> list[float]

train_step — 1 バッチ (x, y) で 1 回だけ更新します:
  - tf.GradientTape() の中で順伝播 model(x, training=True) と損失 loss_fn(y, 予測) を計算する
    （Keras の損失は (正解, 予測) の順に受け取ります）。
  - tape.gradient で model.trainable_variables についての勾配を求め、
    optimizer.apply_gradients(zip(勾配, model.trainable_variables)) で更新する。
  - 更新「前」の損失を Python の float で返す（テンソルではなく）。
  - 同じ SGD の状態から同じバッチで model.fit を 1 ステップ進めたのと同じ結果（1e-6 以内）になること。
    trainable=False の層は変わらず、Dropout は学習時として働きます（training=True）。
fit_manual — dataset を epochs 回走査して学習します:
  - dataset は (x, y) のバッチを出す反復可能なもの（リストでも tf.data.Dataset でも）。
    各エポックの最初から読み直します。
  - 戻り値はエポックごとの平均損失のリスト（長さ epochs、Python の float）。平均はバッチの
    大きさで重み付けします（最後のバッチが小さくても、サンプル 1 つあたりの平均になるように）。
    model.fit の history.history["loss"] と同じ値です。
  - epochs < 1 なら ValueError。

From the textbook (chapter 4, 4.3 "Custom models" and "Comparison with PyTorch"):
      def call(self, inputs, training=False):
          """Forward pass (PyTorch's forward)"""
          x = self.dense1(inputs)
          x = self.dropout1(x, training=training)  # dropout only in training
  Comparison table: "training loop | written by hand | automated by model.fit()"
Every Keras example in the textbook leaves training to model.fit(). In this exercise you write by
hand what fit does in one step (the Keras twin of exercise 2's PyTorch training loop).

[Task] Implement these two functions.

    def train_step(model: keras.Model, optimizer, loss_fn, x, y) -> float
    def fit_manual(model: keras.Model, optimizer, loss_fn, dataset, epochs: int) -> list[float]

train_step — one update on one batch (x, y):
  - Inside a tf.GradientTape(), run the forward pass model(x, training=True) and the loss
    loss_fn(y, prediction) (Keras losses take (truth, prediction), in that order).
  - Take the gradients with respect to model.trainable_variables with tape.gradient and update
    with optimizer.apply_gradients(zip(gradients, model.trainable_variables)).
  - Return the loss measured before the update, as a Python float (not a tensor).
  - The result equals (within 1e-6) one model.fit step on the same batch from the same SGD
    state. Layers with trainable=False do not change; dropout is active (training=True).
fit_manual — train for epochs passes over dataset:
  - dataset is any iterable of (x, y) batches (a list or a tf.data.Dataset), read again from
    the start every epoch.
  - Return the list of each epoch's mean loss (length epochs, Python floats), weighted by batch
    size (a mean per sample, even when the last batch is smaller): the values of model.fit's
    history.history["loss"].
  - epochs < 1 → ValueError.

Check your work: ./grade ex23
"""

import keras
import tensorflow as tf


def train_step(model: keras.Model, optimizer, loss_fn, x, y) -> float:
    raise NotImplementedError


def fit_manual(model: keras.Model, optimizer, loss_fn, dataset, epochs: int) -> list[float]:
    raise NotImplementedError
