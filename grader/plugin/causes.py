"""Plugin concern: the likely cause of a common exception, and the idea that fixes it.

An exception's text says what broke, rarely why. For the mistakes learners make most
(a cut computation graph, attributes set after `super().__init__`, dtypes or devices that
do not meet, shapes that do not fit a matrix product or a loss) this table names the
cause in words and the idea to revisit, in both languages. `outcome.classify` prefers
it over a check's generic idea; an exception not in the table gets no guess.

    >>> import torch
    >>> try:
    ...     torch.zeros(2, 3) @ torch.zeros(4, 5)
    ... except RuntimeError as exc:
    ...     found = explain(exc)
    >>> found.name, found.cause.en
    ('matmul_shape', 'a matrix product whose shapes do not fit: the left side is 2x3 (3 values per row), the right side 4x5 (expects 4)')

Each entry is one `Cause`: the exception types it applies to, the patterns its text
matches (named groups fill the texts' `{placeholders}`), and optionally a test on the
traceback. The first entry that applies wins, so specific entries come before general ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from grader.i18n import T

CAUSE_LABEL = T(ja="原因: ", en="cause: ")  # the line of a message that names the cause
CALLED_LABEL = T(ja="呼び出し: ", en="called as: ")  # the line naming the check's call; reports group without it

# dtype names as torch's messages spell them, and as a learner writes them
_DTYPES = {"Double": "float64", "Float": "float32", "Half": "float16", "BFloat16": "bfloat16",
           "Long": "int64", "Int": "int32", "Bool": "bool", "Byte": "uint8"}


@dataclass(frozen=True)
class Found:
    """A cause the table recognised: its name, the cause in words and the idea to revisit."""

    name: str
    cause: T
    idea: T


@dataclass(frozen=True)
class Cause:
    """One row of the table (see the module docstring)."""

    name: str
    kinds: tuple[str, ...]  # exception class names (the type itself or a base of it)
    patterns: tuple[str, ...]
    cause: T
    idea: T
    context: Callable[[BaseException], dict[str, str] | None] | None = None  # None: does not apply
    compiled: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiled", tuple(re.compile(p) for p in self.patterns))

    def match(self, exc: BaseException) -> Found | None:
        names = {k.__name__ for k in type(exc).__mro__}
        if not names.intersection(self.kinds):
            return None
        text = _text(exc)
        found = next((m for m in (p.search(text) for p in self.compiled) if m), None)
        if found is None:
            return None
        values = {k: _DTYPES.get(v, v) for k, v in found.groupdict().items() if v is not None}
        if self.context is not None:
            extra = self.context(exc)
            if extra is None:
                return None
            values.update(extra)
        return Found(self.name, self.cause.format(**values), self.idea.format(**values))


def _text(exc: BaseException) -> str:
    try:
        return str(exc)
    except Exception:  # noqa: BLE001 — a learner's exception whose __str__ raises
        return ""


def _library_init_around_learner(exc: BaseException) -> dict[str, str] | None:
    """A base class's `__init__` (a library's, not the learner's) that called back into the
    learner's code, where the exception was raised: `LRScheduler.__init__` calls `step()`,
    which calls the learner's `get_lr()` before the attributes set after it exist."""
    frames: list = []
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    learner = [i for i, f in enumerate(frames) if _is_learner_file(f.f_code.co_filename)]
    for i, frame in enumerate(frames):
        if frame.f_code.co_name != "__init__" or _is_learner_file(frame.f_code.co_filename):
            continue
        inner = [j for j in learner if j > i]
        outer = [j for j in learner if j < i and frames[j].f_code.co_name == "__init__"]
        if inner and outer:
            return {"base": _owner(frame), "method": frames[inner[0]].f_code.co_name}
    return None


def _is_learner_file(filename: str) -> bool:
    name = Path(filename).name
    return bool(re.match(r"ex\d+_\w+\.py$", name)) and "/checks/" not in filename.replace("\\", "/")


def _owner(frame: object) -> str:
    """The class whose `__init__` runs in `frame` (LRScheduler), or a plain word if unknown."""
    try:
        self = frame.f_locals.get("self")  # type: ignore[attr-defined]
        for klass in type.__getattribute__(type(self), "__mro__"):
            init = klass.__dict__.get("__init__")
            if getattr(init, "__code__", None) is frame.f_code:  # type: ignore[attr-defined]
                return klass.__name__
    except Exception:  # noqa: BLE001, S110 — a learner's object that breaks the lookup: say it plainly
        pass
    return "the base class"


_SHAPES = "(?P<r1>\\d+)x(?P<c1>\\d+) and (?P<r2>\\d+)x(?P<c2>\\d+)"

CAUSES: tuple[Cause, ...] = (
    Cause(
        "graph_cut", ("RuntimeError",), (r"element 0 of tensors does not require grad",),
        T(ja="backward() した値が計算グラフにつながっていません（勾配を追跡していないテンソルです）",
          en="the value you called backward() on is cut off from the computation graph (it tracks no gradient)"),
        T(ja="順伝播を torch.no_grad() の中で行っていないか、.detach()・.item()・torch.tensor(...) で値を作り直していないか確かめます",
          en="look for a forward pass inside torch.no_grad(), or a value rebuilt with .detach(), .item() or torch.tensor(...)"),
    ),
    Cause(
        "backward_non_scalar", ("RuntimeError",), (r"grad can be implicitly created only for scalar outputs",),
        T(ja="要素が 1 つでないテンソルに対して backward() を呼んでいます",
          en="backward() was called on a tensor with more than one element"),
        T(ja="損失は .mean()（または .sum()）で 1 つの値にしてから backward() します",
          en="reduce the loss to one value with .mean() (or .sum()) before calling backward()"),
    ),
    Cause(
        "backward_twice", ("RuntimeError",), (r"Trying to backward through the graph a second time",),
        T(ja="同じ計算グラフで backward() を 2 回呼んでいます",
          en="backward() ran twice through the same computation graph"),
        T(ja="1 回の順伝播につき backward() は 1 回です。前のステップの損失や出力を使い回していないか確かめます",
          en="one backward() per forward pass: look for a loss or an output kept from the previous step"),
    ),
    Cause(
        "leaf_inplace", ("RuntimeError",), (r"a leaf Variable that requires grad is being used in an in-place operation",),
        T(ja="requires_grad=True のパラメータをその場で（in-place で）書き換えています",
          en="a parameter with requires_grad=True is modified in place"),
        T(ja="パラメータを手で更新するときは with torch.no_grad(): の中で行います（または optimizer.step() を使います）",
          en="update parameters by hand only inside `with torch.no_grad():` (or let optimizer.step() do it)"),
    ),
    Cause(
        "modified_inplace", ("RuntimeError",), (r"modified by an inplace operation",),
        T(ja="逆伝播に必要なテンソルが、順伝播の後でその場で書き換えられています",
          en="a tensor needed for backward() was modified in place after the forward pass"),
        T(ja="+=、x[...] = ...、relu_() のような in-place の演算をやめ、x = x + ... のように新しいテンソルを作ります",
          en="replace in-place operations (+=, x[...] = ..., relu_()) with ones that make a new tensor (x = x + ...)"),
    ),
    Cause(
        "numpy_requires_grad", ("RuntimeError",), (r"Can't call numpy\(\) on Tensor that requires grad",),
        T(ja="勾配を追跡しているテンソルを numpy() で変換しようとしています",
          en="numpy() was called on a tensor that tracks gradients"),
        T(ja="値だけが欲しいときは .detach().cpu().numpy()（数 1 つなら .item()）を使います",
          en="for the values only, use .detach().cpu().numpy() (or .item() for one number)"),
    ),
    Cause(
        "item_not_scalar", ("RuntimeError", "ValueError"),
        (r"a Tensor with (?P<n>\d+) elements cannot be converted to Scalar",
         r"only one element tensors can be converted to Python scalars"),
        T(ja="要素が 1 つでないテンソルを .item() や float() で数 1 つにしようとしています",
          en="a tensor with more than one element was turned into one number (.item() or float())"),
        T(ja=".item() の前に .mean() などで 1 つの値にするか、欲しい要素を添字で取り出します",
          en="reduce it first (.mean(), …) or index the element you want before .item()"),
    ),
    Cause(
        "ambiguous_bool", ("RuntimeError",), (r"Boolean value of Tensor with more than one value is ambiguous",),
        T(ja="要素が複数あるテンソルを if や and / or の条件にしています",
          en="a tensor with several values is used as a condition (if, and, or)"),
        T(ja="条件には .all() / .any() か、.item() で取り出した数 1 つを使います",
          en="use .all() / .any(), or one number taken out with .item(), as the condition"),
    ),
    Cause(
        "target_dtype", ("RuntimeError",), (r"expected target dtype to be Long or Byte, but got (?P<a>\w+)",),
        T(ja="クラス番号のラベル（target）が {a} です。cross_entropy / nll_loss のクラス番号は整数（torch.long）です",
          en="the class labels (target) are {a}; cross_entropy / nll_loss take class indices as integers (torch.long)"),
        T(ja="ラベルは .long() で整数にして渡します（float に変換していないか確かめます）",
          en="pass the labels as integers (.long()); look for a conversion to float"),
    ),
    Cause(
        "target_probabilities", ("RuntimeError",), (r"Expected floating point type for target with class probabilities",),
        T(ja="ラベル（target）が出力と同じ形なので、クラス確率として扱われました",
          en="the labels (target) have the output's shape, so they were taken as class probabilities"),
        T(ja="cross_entropy には出力 (N, C) とクラス番号 (N,) を渡します。one-hot にしていないか、形を確かめます",
          en="pass outputs of shape (N, C) and class indices of shape (N,); look for a one-hot encoding"),
    ),
    Cause(
        "dtype_mismatch", ("RuntimeError",),
        (r"must have the same dtype, but got (?P<a>\w+) and (?P<b>\w+)",
         r"expected both vectors to have same dtype, but found (?P<a>\w+) and (?P<b>\w+)",
         r"expected scalar type (?P<b>\w+) but found (?P<a>\w+)",
         r"Found dtype (?P<a>\w+) but expected (?P<b>\w+)",
         r"expected m1 and m2 to have the same dtype, but got: (?P<a>\w+) != (?P<b>\w+)"),
        T(ja="dtype の違うテンソルが 1 つの演算で出会っています（{a} と {b}）",
          en="tensors of different dtypes meet in one operation ({a} and {b})"),
        T(ja="numpy 配列や Python の float から作ったテンソルは float64 になりがちです。.float() や dtype=torch.float32 でモデルの dtype にそろえます",
          en="tensors made from numpy arrays or Python floats are often float64: match the model's dtype with .float() or dtype=torch.float32"),
    ),
    Cause(
        "device_mismatch", ("RuntimeError", "AssertionError"),
        (r"Expected all tensors to be on the same device", r"Torch not compiled with CUDA enabled",
         r"Found no NVIDIA driver", r"Attempting to deserialize object on a CUDA device"),
        T(ja="テンソルのデバイスが合っていないか、ない GPU を使おうとしています",
          en="tensors are on different devices, or a GPU that is not there is used"),
        T(ja="デバイスは決め打ちせず、モデルや入力から取ります（device = next(model.parameters()).device、x.to(device)、torch.load(..., map_location=device)）",
          en="never hard-code the device: take it from the model or the input (device = next(model.parameters()).device, x.to(device), torch.load(..., map_location=device))"),
    ),
    Cause(
        "matmul_shape", ("RuntimeError",), (r"mat1 and mat2 shapes cannot be multiplied \(" + _SHAPES + r"\)",),
        T(ja="行列積の形が合いません: 左は {r1}×{c1}（1 行に {c1} 個の値）、右は {r2}×{c2}（{r2} 個の値を期待）",
          en="a matrix product whose shapes do not fit: the left side is {r1}x{c1} ({c1} values per row), the right side {r2}x{c2} (expects {r2})"),
        T(ja="左の列数（{c1}）と右の行数（{r2}）は同じでなければなりません。nn.Linear の in_features が入力の最後の次元と合っているか、view / reshape / 転置の順番を確かめます",
          en="the left's columns ({c1}) must equal the right's rows ({r2}): check nn.Linear's in_features against the input's last dimension, and the order of view / reshape / transpose"),
    ),
    Cause(
        "matvec_shape", ("RuntimeError",), (r"size mismatch, got input \((?P<n>\d+)\), mat \((?P<r>\d+)x(?P<c>\d+)\), vec \((?P<v>\d+)\)",),
        T(ja="行列とベクトルの積の形が合いません: 行列は {r}×{c}、ベクトルの長さは {v} です",
          en="a matrix-vector product whose shapes do not fit: the matrix is {r}x{c}, the vector has length {v}"),
        T(ja="行列の列数とベクトルの長さは同じでなければなりません。どちらかを転置していないか、取り違えていないか確かめます",
          en="the matrix's columns must equal the vector's length: look for a missing transpose or swapped operands"),
    ),
    Cause(
        "loss_batch_size", ("ValueError",), (r"Expected input batch_size \((?P<a>\d+)\) to match target batch_size \((?P<b>\d+)\)",),
        T(ja="損失に渡した出力（input）は {a} 行、ラベル（target）は {b} 個です",
          en="the loss got {a} rows of outputs (input) but {b} labels (target)"),
        T(ja="cross_entropy には出力 (N, C) とラベル (N,) を渡します。出力を view / flatten で崩していないか、引数の順番を確かめます",
          en="cross_entropy takes outputs (N, C) and labels (N,): look for an output reshaped by view / flatten, or swapped arguments"),
    ),
    Cause(
        "broadcast_shape", ("RuntimeError",),
        (r"The size of tensor a \((?P<a>\d+)\) must match the size of tensor b \((?P<b>\d+)\) at non-singleton dimension (?P<d>\d+)",),
        T(ja="要素ごとの演算で形が合いません: 次元 {d} の大きさが {a} と {b} です",
          en="an elementwise operation on shapes that do not fit: dimension {d} is {a} on one side and {b} on the other"),
        T(ja="両方の .shape を確かめ、同じ大きさか 1 にそろえます（keepdim=True や unsqueeze が要るところがないか）",
          en="compare both .shape values and make them equal or 1 (is keepdim=True or an unsqueeze missing?)"),
    ),
    Cause(
        "view_size", ("RuntimeError",), (r"shape '\[(?P<s>[^\]]*)\]' is invalid for input of size (?P<n>\d+)",),
        T(ja="{n} 要素のテンソルを形 [{s}] にしようとしています",
          en="a tensor of {n} elements cannot take the shape [{s}]"),
        T(ja="view / reshape は要素数を変えられません。バッチの次元は -1 か x.size(0) で書きます",
          en="view / reshape cannot change the number of elements: write the batch dimension as -1 or x.size(0)"),
    ),
    Cause(
        "conv_channels", ("RuntimeError",), (r"expected input\[(?P<s>[^\]]*)\] to have (?P<c>\d+) channels, but got (?P<g>\d+) channels",),
        T(ja="畳み込みの入力 [{s}] のチャンネル数が {g} ですが、層は {c} チャンネルを期待しています",
          en="the convolution's input [{s}] has {g} channels where the layer expects {c}"),
        T(ja="in_channels と、入力が (N, C, H, W) の順になっているか（permute が要らないか）を確かめます",
          en="check in_channels, and that the input is laid out (N, C, H, W) (is a permute missing?)"),
    ),
    Cause(
        "module_before_init", ("AttributeError",), (r"cannot assign (?P<what>module|parameters) before Module\.__init__\(\) call",),
        T(ja="super().__init__() を呼ぶ前に層やパラメータを代入しています",
          en="a layer or a parameter is assigned before super().__init__() is called"),
        T(ja="nn.Module の __init__ では最初に super().__init__() を呼び、それから層を作ります",
          en="in an nn.Module's __init__, call super().__init__() first, then create the layers"),
    ),
    Cause(
        "number_not_tensor", ("AttributeError",),
        (r"'(?P<kind>float|int|bool)' object has no attribute '(?P<attr>backward|item|detach|to|cpu|numpy|size|shape|dim|view|grad)'",),
        T(ja="Python の {kind} に .{attr} を使っています。テンソルがすでに数に変わっています",
          en="a Python {kind} has no .{attr}: a tensor was already turned into a number"),
        T(ja=".item() や float() はテンソルを数に変えます。backward() などが要る間はテンソルのまま持ち、記録するときだけ .item() を使います",
          en=".item() and float() turn a tensor into a number: keep the tensor while backward() and friends need it, and call .item() only to record it"),
    ),
    Cause(
        "attribute_before_super_init", ("AttributeError",), (r"has no attribute '(?P<attr>\w+)'",),
        T(ja="{base}.__init__ はその中であなたの {method}() を呼びます。そのとき、super().__init__(...) の後で設定する属性 {attr} はまだありません",
          en="{base}.__init__ calls your {method}() itself, before the attribute {attr}, set after super().__init__(...), exists"),
        T(ja="{attr} など {method}() が使う属性は、super().__init__(...) を呼ぶ前に設定します",
          en="set {attr} (and every attribute {method}() reads) before calling super().__init__(...)"),
        context=_library_init_around_learner,
    ),
    Cause(
        "state_dict_keys", ("RuntimeError",), (r"Error\(s\) in loading state_dict",),
        T(ja="読み込んだ state_dict のキーや形がモデルと合いません",
          en="the state_dict loaded does not match the model's keys or shapes"),
        T(ja="保存したときと同じもの（model.state_dict()、または保存した辞書の同じキー）を読み込みます",
          en="load exactly what was saved (model.state_dict(), or the same key of the dictionary saved)"),
    ),
    Cause(
        "weights_only", ("UnpicklingError", "RuntimeError"), (r"Weights only load failed",),
        T(ja="テンソル以外のオブジェクト（モデル本体など）が保存されていて、安全に読み込めません",
          en="the file holds an object other than tensors (a whole model?), which cannot be loaded safely"),
        T(ja="torch.save にはモデル本体ではなく model.state_dict() を渡します",
          en="pass model.state_dict() to torch.save, not the model itself"),
    ),
    Cause(
        "embedding_index", ("IndexError",), (r"index out of range in self",),
        T(ja="埋め込み（nn.Embedding）の表にない番号を引いています",
          en="an index beyond the embedding table (nn.Embedding) was looked up"),
        T(ja="num_embeddings が語彙の大きさ（最大の番号 + 1）以上か、パディングの番号を含むか確かめます",
          en="num_embeddings must be at least the vocabulary size (largest index + 1), padding index included"),
    ),
    Cause(
        "batchnorm_single", ("ValueError",), (r"Expected more than 1 value per channel when training",),
        T(ja="学習モードの BatchNorm に 1 サンプルだけのバッチを渡しています",
          en="a batch of one sample reached BatchNorm in training mode"),
        T(ja="1 サンプルで呼ぶときは model.eval() にするか、バッチの次元を確かめます",
          en="call model.eval() for a single sample, or check the batch dimension"),
    ),
    Cause(
        "none_value", ("TypeError", "AttributeError"), (r"NoneType",),
        T(ja="None の値が計算に使われています", en="a None value was used in a computation"),
        T(ja="まだ設定していない値（最初の呼び出しでの None など）か、return を書き忘れた関数の戻り値ではないか確かめます",
          en="look for a value not set yet (None on the first call) or a function that forgot to return"),
    ),
    Cause(
        "zero_division", ("ZeroDivisionError",), (r"",),
        T(ja="0 で割っています", en="a division by zero"),
        T(ja="0 になりうる値（空の入力、0 ステップ、長さ 0）で割る前に、その場合を別に扱います",
          en="handle the case where the divisor can be 0 (empty input, zero steps, length 0) before dividing"),
    ),
)


def explain(exc: BaseException) -> Found | None:
    """The first cause in the table that applies to `exc`, or None (then say less)."""
    for cause in CAUSES:
        try:
            found = cause.match(exc)
        except Exception:  # noqa: BLE001 — a learner's exception that breaks the inspection: no guess
            found = None
        if found is not None:
            return found
    return None
