"""演習 1 — 正誤問題 / Exercise 1 — true or false

【課題】次の文章それぞれが正しければ True、誤りなら False を ANSWERS に書いてください。
未回答は None のままにします。
  1. PyTorch は Define-by-Run 方式を採用している
  2. TensorFlow 2.x では Eager Execution がデフォルトで有効
  3. nn.Module の forward メソッドは手動で呼び出す必要がある
  4. DataLoader の shuffle=True は毎エポックでデータ順をシャッフルする

[Task] For each statement, write True if it is correct and False if it is not.
Leave None for an unanswered statement.
  1. PyTorch uses the Define-by-Run approach.
  2. In TensorFlow 2.x, eager execution is on by default.
  3. The forward method of an nn.Module must be called by hand.
  4. DataLoader's shuffle=True reshuffles the data order every epoch.

Check your work: ./grade ex1
"""

ANSWERS: dict[int, bool | None] = {1: None, 2: None, 3: None, 4: None}
