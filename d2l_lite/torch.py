"""PyTorch backend: ``from d2l_lite import torch as d2l``. Uses CUDA when it is available."""
from ._frameworks import import_quietly

torch = import_quietly("torch", "torch")

from . import _train  # noqa: E402
from ._plot import f_2d, grad_f_2d, plot_losses, show_trace_2d, train_2d  # noqa: E402,F401
from ._report import table_row  # noqa: E402,F401

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


class _Backend(_train.Backend):
    name = "torch"

    @staticmethod
    def tensor(a):
        return torch.tensor(a, dtype=torch.float32, device=device)

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

    def make_params(self, w, b):
        return [self.tensor(w).requires_grad_(), self.tensor(b).requires_grad_()]

    def scratch_step(self, params, trainer_fn, states, hyperparams):
        def step(X, y):
            w, b = params
            loss = ((X @ w + b - y) ** 2 / 2).mean()
            loss.backward()
            with torch.no_grad():                     # the update itself is not part of the graph
                trainer_fn(params, [p.grad for p in params], states, hyperparams)
            for p in params:
                p.grad = None
        return step

    @staticmethod
    @torch.no_grad()
    def scratch_loss(params, X, y):
        w, b = params
        return ((X @ w + b - y) ** 2 / 2).mean().item()

    def concise(self, trainer, hyperparams, w, b):
        net = torch.nn.Linear(w.shape[0], 1).to(device)
        with torch.no_grad():
            net.weight.copy_(self.tensor(w.T))
            net.bias.zero_()
        mse = torch.nn.MSELoss()                      # mean of (y_hat - y)^2; halve it to match
        opt = trainer(net.parameters(), **hyperparams)

        def step(X, y):
            opt.zero_grad()
            (mse(net(X), y) / 2).backward()
            opt.step()

        @torch.no_grad()
        def loss(X, y):
            return (mse(net(X), y) / 2).item()
        return step, loss, [net.weight, net.bias], lambda: self.to_numpy([net.weight.T, net.bias])


get_data, train_from_scratch, train_concise = _train.bind(_Backend())
