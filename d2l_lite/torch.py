"""PyTorch backend: ``from d2l_lite import torch as d2l``. Uses CUDA when it is available."""
from ._frameworks import import_quietly

torch = import_quietly("torch", "torch")

from . import _train  # noqa: E402
from ._plot import f_2d, grad_f_2d, plot_losses, show_trace_2d, train_2d  # noqa: E402,F401
from ._explore import explore_2d  # noqa: E402,F401
from ._report import table_row  # noqa: E402,F401

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


class _Backend(_train.Backend):
    name = "torch"

    @staticmethod
    def tensor(a):
        dtype = torch.int64 if a.dtype.kind in "iu" else torch.float32
        return torch.tensor(a, dtype=dtype, device=device)

    @staticmethod
    def take(t, idx):
        return t[torch.as_tensor(idx, device=t.device)]

    @staticmethod
    def split(t, batch_size):
        return torch.split(t, batch_size)

    @staticmethod
    def sync():
        if device.type == "cuda":
            torch.cuda.synchronize()

    @staticmethod
    def to_numpy(params):
        return [p.detach().cpu().numpy().copy() for p in params]

    @staticmethod
    def scalar(t):
        return t.item()

    @staticmethod
    def relu(X):
        return torch.relu(X)

    @staticmethod
    def cross_entropy(logits, y):
        return -torch.log_softmax(logits, dim=1).gather(1, y[:, None]).mean()

    def make_params(self, arrays):
        return [self.tensor(a).requires_grad_() for a in arrays]

    def compile(self, fn, data_iter, labels=True):
        return torch.no_grad()(fn)

    def scratch_step(self, model, params, trainer_fn, states, hyperparams, data_iter):
        from ._models import loss

        def step(X, y):
            loss(self, model, params, X, y).backward()
            with torch.no_grad():                     # the update itself is not part of the graph
                trainer_fn(params, [p.grad for p in params], states, hyperparams)
            for p in params:
                p.grad = None
        return step

    scheduler_doc = ("PyTorch: a function ``scheduler(optimizer)`` that returns a ``torch.optim.lr_scheduler."
                     "LRScheduler`` for the optimizer ``train_concise`` builds, e.g. ``lambda opt: torch.optim."
                     "lr_scheduler.CosineAnnealingLR(opt, T_max=90)``; ``scheduler.step()`` follows every "
                     "``optimizer.step()``.")

    def concise(self, trainer, hyperparams, model, init, data_iter, scheduler=None):
        layers, it = [], iter(init)
        for layer in model.layers:
            if layer == "relu":
                layers.append(torch.nn.ReLU())
                continue
            W, b = next(it), next(it)
            dense = torch.nn.Linear(*W.shape)         # its weight is (out, in): ours transposed
            with torch.no_grad():
                dense.weight.copy_(self.tensor(W.T))
                dense.bias.copy_(self.tensor(b))
            layers.append(dense)
        net = torch.nn.Sequential(*layers).to(device)
        if model.task == "regression":
            mse = torch.nn.MSELoss()                  # mean of (y_hat - y)^2; halve it to match
            criterion = lambda y_hat, y: mse(y_hat, y) / 2  # noqa: E731
        else:
            criterion = torch.nn.CrossEntropyLoss()   # softmax cross-entropy, averaged
        opt = trainer(net.parameters(), **hyperparams)
        sched = None if scheduler is None else _scheduler(scheduler, opt)
        used = [None]                                 # the rate of the last step taken

        def step(X, y):
            opt.zero_grad()
            criterion(net(X), y).backward()
            used[0] = opt.param_groups[0]["lr"]
            opt.step()
            if sched is not None:
                sched.step()

        @torch.no_grad()
        def loss(X, y):
            return criterion(net(X), y).item()

        @torch.no_grad()
        def logits(X):
            return net(X).cpu().numpy()
        dense = [m for m in net if isinstance(m, torch.nn.Linear)]
        params = [p for m in dense for p in (m.weight, m.bias)]
        return (step, loss, logits, params, lambda: self.to_numpy([p for m in dense for p in (m.weight.T, m.bias)]),
                lambda: opt.param_groups[0]["lr"] if used[0] is None else used[0])


def _scheduler(scheduler, opt):
    if not callable(scheduler):
        raise TypeError("scheduler must be a function of the optimizer that returns its LRScheduler, e.g. "
                        "lambda opt: torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=90); got "
                        f"{type(scheduler).__name__}")
    sched = scheduler(opt)
    if not isinstance(sched, torch.optim.lr_scheduler.LRScheduler):
        raise TypeError("scheduler(optimizer) must return a torch.optim.lr_scheduler.LRScheduler, got "
                        f"{type(sched).__name__}")
    return sched


get_data, param_shapes, train_from_scratch, train_concise = _train.bind(_Backend())
