# Style: the stub's dict updated in place, one statement at a time, with comparisons
ANSWERS: dict[int, bool | None] = {1: None, 2: None, 3: None, 4: None}
ANSWERS[1] = True
ANSWERS[2] = 2 > 1
ANSWERS[3] = not True
ANSWERS.update({4: bool("shuffled every epoch")})
