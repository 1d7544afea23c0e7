"""Reference solution for exercise 1 (true or false)."""

ANSWERS: dict[int, bool | None] = {
    1: True,   # dynamic graphs: the graph is built as the code runs
    2: True,   # TF 2.x executes eagerly by default
    3: False,  # model(x) calls forward through __call__ (hooks included)
    4: True,   # a new permutation is drawn at every iteration over the DataLoader
}
