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
from ._explore import explore_2d  # noqa: E402,F401
from ._report import table_row  # noqa: E402,F401


def _spec(t):
    """A TensorSpec for minibatches of ``t``'s rows: any batch size, ``t``'s other dimensions and dtype."""
    return tf.TensorSpec([None] + list(t.shape[1:]), t.dtype)


def _compiled(fn, data_iter, with_labels=True):
    """``fn(X, y)`` (or ``fn(X)``) as one tf.function for this data's minibatches, traced now."""
    specs = [_spec(data_iter.X)] + ([_spec(data_iter.y)] if with_labels else [])
    f = tf.function(fn, input_signature=specs)
    f.get_concrete_function()                          # trace (compile) now, before the clock starts
    return f


class _Backend(_train.Backend):
    name = "tensorflow"
    fixed_shapes = True          # a tf.Variable refuses a value of another shape by itself

    @staticmethod
    def split(t, batch_size):
        return tf.split(t, batch_sizes(t.shape[0], batch_size))

    @staticmethod
    def tensor(a):
        return tf.constant(a, dtype=tf.int64 if a.dtype.kind in "iu" else tf.float32)

    @staticmethod
    def take(t, idx):
        return tf.gather(t, idx)

    @staticmethod
    def to_numpy(params):
        return [p.numpy().copy() for p in params]

    @staticmethod
    def scalar(t):
        return float(t)

    @staticmethod
    def relu(X):
        return tf.nn.relu(X)

    @staticmethod
    def squared_loss(y_hat, y):
        return tf.reduce_mean((y_hat - y) ** 2 / 2)

    @staticmethod
    def cross_entropy(logits, y):
        return -tf.reduce_mean(tf.gather(tf.nn.log_softmax(logits, axis=1), y, batch_dims=1))

    def make_params(self, arrays):
        return [tf.Variable(a) for a in arrays]

    @staticmethod
    def lr_holder(hyperparams, lr):
        """A tf.Variable: the compiled step reads its current value, so it need not be traced again."""
        var = tf.Variable(lr, dtype=tf.float32, trainable=False)
        hyperparams["lr"] = var
        return var.assign

    scheduler_doc = ("TensorFlow: a ``keras.optimizers.schedules.LearningRateSchedule``, given to the optimizer "
                     "as its ``learning_rate`` (leave ``learning_rate`` out of ``hyperparams``); Keras evaluates "
                     "it at ``optimizer.iterations``, which is t - 1 at step t.")

    def compile(self, fn, data_iter, labels=True):
        return _compiled(fn, data_iter, with_labels=labels)

    def scratch_step(self, model, params, trainer_fn, states, hyperparams, data_iter):
        from ._models import loss

        def step(X, y):
            with tf.GradientTape() as tape:
                value = loss(self, model, params, X, y)
            trainer_fn(params, tape.gradient(value, params), states, hyperparams)
        try:
            return _compiled(step, data_iter)
        except ValueError as e:                       # a tf.Variable refuses a value of another shape
            if "shape" not in str(e).lower():
                raise
            raise ValueError("trainer_fn changed the shape of a parameter; an update rule must keep "
                             f"every parameter's shape (TensorFlow said: {e})") from None

    def concise(self, trainer, hyperparams, model, init, data_iter, scheduler=None):
        layers, it = [tf.keras.Input((data_iter.feature_dim,))], iter(init)
        for layer in model.layers:
            if layer == "relu":
                layers.append(tf.keras.layers.ReLU())
                continue
            W, b = next(it), next(it)
            layers.append(tf.keras.layers.Dense(W.shape[1], kernel_initializer=tf.constant_initializer(W),
                                                bias_initializer=tf.constant_initializer(b)))
        net = tf.keras.Sequential(layers)
        if model.task == "regression":
            mse = tf.keras.losses.MeanSquaredError()  # mean of (y_hat - y)^2; halve it to match
            criterion = lambda y, y_hat: mse(y, y_hat) / 2  # noqa: E731
        else:
            criterion = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        if scheduler is not None:
            if not isinstance(scheduler, tf.keras.optimizers.schedules.LearningRateSchedule):
                raise TypeError("scheduler must be a keras.optimizers.schedules.LearningRateSchedule, got "
                                f"{type(scheduler).__name__}")
            if "learning_rate" in hyperparams:
                raise ValueError("hyperparams has a 'learning_rate' and a scheduler was given: the scheduler is "
                                 "the optimizer's learning_rate, so leave 'learning_rate' out of hyperparams")
            hyperparams = {**hyperparams, "learning_rate": scheduler}
        opt = trainer(**hyperparams)
        variables = net.trainable_variables

        def last_lr():                                # step t used the schedule at iterations t - 1
            if scheduler is None:
                return float(opt.learning_rate)
            return float(scheduler(max(int(opt.iterations) - 1, 0)))

        def step(X, y):
            with tf.GradientTape() as tape:
                value = criterion(y, net(X))
            opt.apply_gradients(zip(tape.gradient(value, variables), variables))
        loss = _compiled(lambda X, y: criterion(y, net(X)), data_iter)
        logits = _compiled(lambda X: net(X), data_iter, with_labels=False)
        return (_compiled(step, data_iter), lambda X, y: float(loss(X, y)), lambda X: logits(X).numpy(),
                variables, lambda: self.to_numpy(variables), last_lr)


get_data, param_shapes, train_from_scratch, train_concise = _train.bind(_Backend())
