# Style: answers checked against the libraries themselves: imports torch and TensorFlow (whose
# first import loads native libraries and starts helpers; the worker imports them beforehand)
import tensorflow as tf
import torch.nn as nn

_forward_is_called_by_call = nn.Module.__call__ is not nn.Module.forward
ANSWERS = {1: True, 2: tf.executing_eagerly(), 3: not _forward_is_called_by_call, 4: True}
