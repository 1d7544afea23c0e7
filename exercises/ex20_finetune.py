"""演習 20 — 転移学習: バックボーンを凍結してヘッドを差し替える / Exercise 20 — transfer learning: freeze the backbone, replace the head

【課題】教科書 7.3「転移学習 (Transfer Learning)」では、学習済みの ResNet-18 について
「特徴抽出部分のパラメータを凍結 (勾配計算をしないように)」し、
「モデルの最終層 (分類器) を新しいタスク用に差し替え」（num_ftrs = model_ft.fc.in_features、
model_ft.fc = nn.Linear(num_ftrs, 10)）、「オプティマイザには、学習させたいパラメータ
(requires_grad=Trueのもの) のみを渡す」ようにしました。また、データが多いときは
学習済み層の一部も学習させる「ファインチューニング」が有効だと述べています。
この準備を、最後の何ブロックを学習させるかも選べる 1 つの関数にまとめます。

    def prepare_for_finetuning(model: nn.Module, num_classes: int,
                               train_last_n_blocks: int = 0) -> list[nn.Parameter]

model は torchvision の分類モデルのように、ブロックを並べた nn.Sequential の
model.features と、分類層 nn.Linear の model.fc を持ちます（それ以外の層を持つこともあります）。

要件:
  - model.fc を新しい nn.Linear(model.fc.in_features, num_classes) に差し替えます。
  - 新しい fc と、model.features の最後の train_last_n_blocks 個のブロックを除く
    すべてのパラメータを requires_grad=False にします（features の外の層も凍結します）。
    train_last_n_blocks = 0（既定）なら fc だけを学習します。
  - 学習させるパラメータ（requires_grad=True のもの）を、model.parameters() の順に、
    それぞれ 1 回ずつ並べたリストを返します。このリストでオプティマイザを作ると、
    凍結したパラメータは学習しても変わらず、.grad も作られません。
  - num_classes < 1、または train_last_n_blocks が 0..len(model.features) の外なら ValueError。
  - 差し替えた後も、モデルは (B, …) の入力を (B, num_classes) のロジットに写します。

[Task] Section 7.3 of the textbook ("transfer learning") takes a pretrained ResNet-18,
"freezes the parameters of the feature extractor (so that no gradients are computed)",
"replaces the model's last layer (the classifier) for the new task"
(num_ftrs = model_ft.fc.in_features; model_ft.fc = nn.Linear(num_ftrs, 10)), and "passes only
the parameters to be trained (those with requires_grad=True) to the optimizer". It adds that
with more data, fine-tuning some of the pretrained layers too works well. Put this
preparation into one function that also chooses how many of the last blocks to train.

    def prepare_for_finetuning(model: nn.Module, num_classes: int,
                               train_last_n_blocks: int = 0) -> list[nn.Parameter]

Like torchvision's classifiers, `model` has `model.features`, an nn.Sequential of blocks, and
`model.fc`, an nn.Linear classifier (it may have other layers too).

Requirements:
  - Replace model.fc with a fresh nn.Linear(model.fc.in_features, num_classes).
  - Set requires_grad=False on every parameter except those of the new fc and of the last
    train_last_n_blocks blocks of model.features (layers outside features are frozen too).
    With train_last_n_blocks = 0 (the default) only fc is trained.
  - Return the trainable parameters (requires_grad=True), each once, in model.parameters()
    order. With an optimizer built on this list, frozen parameters stay unchanged by
    training and get no .grad.
  - num_classes < 1, or train_last_n_blocks outside 0..len(model.features) → ValueError.
  - The model still maps a (B, …) input to (B, num_classes) logits.

Check your work: ./grade ex20
"""

from __future__ import annotations

from torch import nn


def prepare_for_finetuning(model: nn.Module, num_classes: int, train_last_n_blocks: int = 0) -> list[nn.Parameter]:
    raise NotImplementedError
