"""TensorFlow backend: ``from d2l_lite import tensorflow as d2l``.

Each training step, the reader's update rule included, runs as one compiled
``tf.function``. Python code in ``trainer_fn`` therefore runs once, when the step is
traced: keep counters such as Adam's step number in ``tf.Variable`` states.
"""
from ._frameworks import import_quietly

tf = import_quietly("tensorflow", "tensorflow")

from . import _train  # noqa: E402
from ._data import batch_sizes  # noqa: E402
from ._plot import f_2d, grad_f_2d, plot_losses, show_trace_2d, train_2d  # noqa: E402,F401
from ._report import table_row  # noqa: E402,F401


def _signature(feature_dim):
    return [tf.TensorSpec([None, feature_dim], tf.float32), tf.TensorSpec([None, 1], tf.float32)]


class _Backend(_train.Backend):
    name = "tensorflow"
    fixed_shapes = True          # a tf.Variable refuses a value of another shape by itself

    @staticmethod
    def split(t, batch_size):
        return tf.split(t, batch_sizes(t.shape[0], batch_size))

    @staticmethod
    def tensor(a):
        return tf.constant(a, dtype=tf.float32)

    @staticmethod
    def take(t, idx):
        return tf.gather(t, idx)

    @staticmethod
    def to_numpy(params):
        return [p.numpy().copy() for p in params]

    def make_params(self, w, b):
        return [tf.Variable(w), tf.Variable(b)]

    def scratch_step(self, params, trainer_fn, states, hyperparams):
        @tf.function(input_signature=_signature(params[0].shape[0]))
        def step(X, y):
            w, b = params
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean((X @ w + b - y) ** 2 / 2)
            trainer_fn(params, tape.gradient(loss, params), states, hyperparams)
        try:
            step.get_concrete_function()              # trace (compile) now, before the clock starts
        except ValueError as e:                       # a tf.Variable refuses a value of another shape
            if "shape" not in str(e).lower():
                raise
            raise ValueError("trainer_fn changed the shape of a parameter; an update rule must keep "
                             f"every parameter's shape (TensorFlow said: {e})") from None
        return step

    @staticmethod
    def scratch_loss(params, X, y):
        return float(_mean_loss(X, y, *params))

    def concise(self, trainer, hyperparams, w, b):
        net = tf.keras.Sequential([tf.keras.Input((w.shape[0],)), tf.keras.layers.Dense(
            1, kernel_initializer=tf.constant_initializer(w), bias_initializer="zeros")])
        mse = tf.keras.losses.MeanSquaredError()     # mean of (y_hat - y)^2; halve it to match
        opt = trainer(**hyperparams)
        variables = net.trainable_variables

        @tf.function(input_signature=_signature(w.shape[0]))
        def step(X, y):
            with tf.GradientTape() as tape:
                loss = mse(y, net(X)) / 2
            opt.apply_gradients(zip(tape.gradient(loss, variables), variables))
        step.get_concrete_function()                   # trace (compile) now, before the clock starts

        @tf.function(input_signature=_signature(w.shape[0]))
        def loss(X, y):
            return mse(y, net(X)) / 2
        return step, lambda X, y: float(loss(X, y)), variables, lambda: self.to_numpy(variables)


@tf.function
def _mean_loss(X, y, w, b):
    return tf.reduce_mean((X @ w + b - y) ** 2 / 2)


get_data, train_from_scratch, train_concise = _train.bind(_Backend())
