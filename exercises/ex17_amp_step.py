"""演習 17 — 混合精度（AMP）の学習ステップ / Exercise 17 — a mixed-precision training step

【課題】教科書（000「Mixed Precision Training（メモリ削減＋高速化）」、002「8.2 GPUの活用」）は

    from torch.cuda.amp import autocast, GradScaler
    scaler = GradScaler()  # 自動スケーリング
    optimizer.zero_grad()
    with autocast():
        output = model(data)
        loss = F.cross_entropy(output, target)
    scaler.scale(loss).backward()   # スケーリング付き逆伝播
    scaler.step(optimizer)
    scaler.update()

と書いています。torch.cuda.amp は非推奨になったので、現在の API（torch.autocast と
torch.amp.GradScaler(device_type)）で、デバイスを選べる 1 ステップ分の関数 amp_train_step を
実装してください。CPU でも bfloat16 の autocast と GradScaler("cpu") で動きます。

    def amp_train_step(model, optimizer, loss_fn, x, y, scaler: torch.amp.GradScaler,
                       device_type: str = "cpu", dtype: torch.dtype = torch.bfloat16,
                       max_norm: float | None = None) -> float: ...

1 ステップの流れ:
  1. optimizer.zero_grad()（呼び出し前に残っていた勾配を持ち込まない）
  2. with torch.autocast(device_type, dtype=dtype): の中で順伝播と損失 loss = loss_fn(model(x), y)
  3. scaler.scale(loss).backward()
  4. max_norm が与えられたら（None でなければ）、scaler.unscale_(optimizer) で勾配のスケールを
     元に戻してから torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm) でクリップします
     （スケールされたままの勾配をクリップするのは典型的な誤りです）
  5. scaler.step(optimizer)、scaler.update()
  6. スケールされていない損失を Python の float で返します

勾配に inf / NaN が出たステップでは、パラメータは変わらず、スケールが小さくなります
（scaler.step と scaler.update がそうしてくれます。呼び出し側から渡された scaler を使うこと）。

[Task] The textbook (000, "Mixed Precision Training", and 002, "8.2 GPUの活用") writes the
loop above with torch.cuda.amp, which is deprecated. Implement amp_train_step, one training
step with the current API (torch.autocast and torch.amp.GradScaler(device_type)) on a device
of your choice; on the CPU it runs with bfloat16 autocast and GradScaler("cpu").

    def amp_train_step(model, optimizer, loss_fn, x, y, scaler: torch.amp.GradScaler,
                       device_type: str = "cpu", dtype: torch.dtype = torch.bfloat16,
                       max_norm: float | None = None) -> float: ...

One step:
  1. optimizer.zero_grad() (no gradient left from before the call leaks in)
  2. the forward pass and the loss, loss = loss_fn(model(x), y), inside
     `with torch.autocast(device_type, dtype=dtype):`
  3. scaler.scale(loss).backward()
  4. when max_norm is given (not None): scaler.unscale_(optimizer) to undo the scaling of the
     gradients, then torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm) (clipping
     the still-scaled gradients is the classic mistake)
  5. scaler.step(optimizer), then scaler.update()
  6. return the unscaled loss as a Python float

When a gradient is inf or NaN, the parameters stay unchanged and the scale shrinks (scaler.step
and scaler.update take care of that; use the scaler the caller passes in).

Check your work: ./grade ex17
"""

from __future__ import annotations

import torch
from torch import nn


def amp_train_step(model: nn.Module, optimizer: torch.optim.Optimizer, loss_fn, x: torch.Tensor,
                   y: torch.Tensor, scaler: torch.amp.GradScaler, device_type: str = "cpu",
                   dtype: torch.dtype = torch.bfloat16, max_norm: float | None = None) -> float:
    raise NotImplementedError
