"""演習 22 — Functional API で 2 入力のモデル / Exercise 22 — a two-input model with the Functional API

教科書（第4章 4.3「Sequential APIとFunctional API」）より:
  「===== Functional API =====  # より複雑な構造（分岐、マルチ入出力）が可能」
      inputs = keras.Input(shape=(784,))
      x = layers.Dense(128, activation='relu')(inputs)
      ...
      outputs = layers.Dense(10, activation='softmax')(x)
      model_func = keras.Model(inputs=inputs, outputs=outputs)
教科書の例は入力が 1 つだけなので、Sequential API でも同じものが書けます。Functional API が
本当に必要になるのは、入力が 2 つ以上あるときです。

【課題】数値の特徴量とカテゴリ（整数の ID）の 2 つを入力に取る分類モデルを、Functional API で
作って返す関数を実装してください。

    def build_two_input_model(num_numeric: int, vocab_size: int, embed_dim: int = 8,
                              num_classes: int = 3) -> keras.Model

  入力 1: keras.Input((num_numeric,), name="numeric")                  # float32
  入力 2: keras.Input((1,), dtype="int32", name="category")            # 0 … vocab_size-1 の ID
  category → Embedding(vocab_size, embed_dim) → Flatten               # (バッチ, embed_dim)
  numeric と埋め込みを Concatenate（順序はどちらでも可）
  → Dense(16, activation="relu") → Dense(num_classes, activation="softmax", name="probs")

- keras.Model(inputs=..., outputs=...) で作ります（keras.Model のサブクラスや Sequential ではなく）。
- モデルは辞書 {"numeric": (バッチ, num_numeric) の配列, "category": (バッチ, 1) の整数配列} で
  呼び出せ、model.fit にもその辞書をそのまま渡せること。
- 出力は各行の和が 1 の確率 (バッチ, num_classes)。
- カテゴリ ID は埋め込みの行を通してだけ出力に効きます（ID を数値として使わない）。
- 引数のどれかが 1 未満なら ValueError。
- 教科書の input_shape=(784,) は Keras 2 の書き方です。Keras 3 では keras.Input(shape=...) を使います。

From the textbook (chapter 4, 4.3 "Sequential API and Functional API"):
  "===== Functional API =====  # allows more complex structures (branches, multiple inputs/outputs)"
      inputs = keras.Input(shape=(784,))
      x = layers.Dense(128, activation='relu')(inputs)
      ...
      outputs = layers.Dense(10, activation='softmax')(x)
      model_func = keras.Model(inputs=inputs, outputs=outputs)
The textbook's example has a single input, so the Sequential API could write it too. The
Functional API becomes necessary once a model has two or more inputs.

[Task] Implement a function that builds, with the Functional API, a classifier taking two
inputs: numeric features and a category (an integer id).

    def build_two_input_model(num_numeric: int, vocab_size: int, embed_dim: int = 8,
                              num_classes: int = 3) -> keras.Model

  input 1: keras.Input((num_numeric,), name="numeric")                  # float32
  input 2: keras.Input((1,), dtype="int32", name="category")            # ids 0 … vocab_size-1
  category → Embedding(vocab_size, embed_dim) → Flatten                # (batch, embed_dim)
  Concatenate the numeric input and the embedding (either order)
  → Dense(16, activation="relu") → Dense(num_classes, activation="softmax", name="probs")

- Build it with keras.Model(inputs=..., outputs=...) (not a keras.Model subclass, not Sequential).
- The model is called with a dict {"numeric": a (batch, num_numeric) array, "category": a
  (batch, 1) integer array}, and model.fit takes such dicts as they are.
- The output is (batch, num_classes) probabilities, each row summing to 1.
- A category id reaches the output only through its embedding row (never as a number).
- Any argument below 1 → ValueError.
- The textbook's input_shape=(784,) is Keras 2 style; Keras 3 uses keras.Input(shape=...).

Check your work: ./grade ex22
"""

import keras


def build_two_input_model(num_numeric: int, vocab_size: int, embed_dim: int = 8,
                          num_classes: int = 3) -> keras.Model:
    raise NotImplementedError
