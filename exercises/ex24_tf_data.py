"""演習 24 — tf.data で入力パイプライン / Exercise 24 — an input pipeline with tf.data

教科書（第4章 4.2「DataLoaderとバッチ処理」と 4.3「PyTorchとの比較」）より:
  「DataLoader は、データの自動バッチ化、シャッフル、並列読み込みを提供します。」
      train_loader = DataLoader(dataset, batch_size=32, shuffle=True,   # エポックごとにシャッフル
                                num_workers=0, drop_last=True)          # 最後の不完全なバッチを破棄
  比較表:「データ読み込み | DataLoader | tf.data.Dataset」
DataLoader(shuffle=True) と同じことを TensorFlow の tf.data.Dataset で書きます。

【課題】NumPy 配列の特徴量とラベルから、学習用の tf.data.Dataset を作る関数を実装してください。

    def make_dataset(features: np.ndarray, labels: np.ndarray, batch_size: int, shuffle: bool = True,
                     seed: int | None = None, drop_remainder: bool = False) -> tf.data.Dataset

- 要素は (特徴量のバッチ, ラベルのバッチ) の組。特徴量は float32、ラベルは元の整数の dtype のまま。
- データセットを 1 回走査する（1 エポック）と、全サンプルがちょうど 1 回ずつ、batch_size 個ずつの
  バッチで出てきます（最後のバッチは小さくてよい。drop_remainder=True なら端数は捨てる）。
- shuffle=True: バッチではなくサンプルをシャッフルします。バッファはデータ全体の大きさ
  （小さいバッファでは先頭のサンプルしか先頭に来られません）。走査するたびに（エポックごとに）
  順序が変わり、seed を与えたら同じ seed で作ったデータセットはまったく同じ順序を繰り返します。
- shuffle=False: 元の順序のまま。
- 1 回の走査は必ず終わること（repeat() は付けない。fit(ds, epochs=...) が毎エポック読み直します）。
  prefetch は付けてもかまいません。
- features と labels の長さが違う、または batch_size < 1 なら ValueError。
- model.fit(ds, epochs=...) にそのまま渡せること。

From the textbook (chapter 4, 4.2 "DataLoader and batching" and 4.3 "Comparison with PyTorch"):
  "A DataLoader provides automatic batching, shuffling and parallel loading."
      train_loader = DataLoader(dataset, batch_size=32, shuffle=True,   # reshuffled every epoch
                                num_workers=0, drop_last=True)          # drop the last incomplete batch
  Comparison table: "data loading | DataLoader | tf.data.Dataset"
Write what DataLoader(shuffle=True) does with TensorFlow's tf.data.Dataset.

[Task] Implement a function that makes a training tf.data.Dataset from NumPy features and labels.

    def make_dataset(features: np.ndarray, labels: np.ndarray, batch_size: int, shuffle: bool = True,
                     seed: int | None = None, drop_remainder: bool = False) -> tf.data.Dataset

- Elements are (feature batch, label batch) pairs; features come out float32, labels keep their
  integer dtype.
- One pass over the dataset (one epoch) yields every sample exactly once, in batches of
  batch_size (the last one may be smaller; with drop_remainder=True the remainder is dropped).
- shuffle=True: shuffle the samples, not the batches, with a buffer as large as the data (with a
  small buffer only the first samples can come first). The order changes on every pass (every
  epoch), and datasets made with the same seed repeat exactly the same orders.
- shuffle=False: the original order.
- A pass always ends (no repeat(): fit(ds, epochs=...) reads the dataset again every epoch).
  Prefetching is allowed.
- features and labels of different lengths, or batch_size < 1 → ValueError.
- model.fit(ds, epochs=...) takes it as it is.

Check your work: ./grade ex24
"""

import numpy as np
import tensorflow as tf


def make_dataset(features: np.ndarray, labels: np.ndarray, batch_size: int, shuffle: bool = True,
                 seed: int | None = None, drop_remainder: bool = False) -> tf.data.Dataset:
    raise NotImplementedError
