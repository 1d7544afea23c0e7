# Mutant: Every value is wrong (best_loss NaN, counter -7, early_stop an always-equal object that claims to be a bool, nothing saved, prints on every call), yet nothing ever raises.
class _LooksLikeABool:
    """isinstance(x, bool) is True (through __class__) and x == anything is True."""

    @property
    def __class__(self):
        return bool

    def __eq__(self, other):
        return True

    def __hash__(self):
        return 0

    def __bool__(self):
        return False


class EarlyStoppingWithCheckpoint:
    def __init__(self, patience=5, checkpoint_path="best_model.pth", verbose=True, min_delta=0.0):
        self.best_loss = float("nan")
        self.counter = -7
        self.early_stop = _LooksLikeABool()

    def __call__(self, val_loss, model):
        print(f"epoch: val_loss={val_loss}")
        return self.early_stop

    def load_best_model(self, model):
        print("loading the best model")
        return model
