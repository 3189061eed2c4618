"""Bare training loops, one per framework: the same linear regression and Adadelta update as
``d2l_lite``'s ``train_from_scratch``, written directly over pre-built minibatch tensors with no
helper at all. ``make bench`` times them as the floor the helper is measured against."""
import contextlib
import time

import numpy as np

RHO, EPS = 0.9, 1e-6


def numpy_loop(batches, w, b, num_epochs):
    w, b = w.copy(), b.copy()
    s = [np.zeros_like(w), np.zeros_like(b)]
    d = [np.zeros_like(w), np.zeros_like(b)]
    tic = time.perf_counter()
    for epoch in range(num_epochs):
        for X, y in batches[epoch]:
            err = X @ w + b - y
            m = np.float32(X.shape[0])
            for p, g, si, di in zip((w, b), (X.T @ err / m, err.sum(axis=0) / m), s, d):
                si[:] = RHO * si + (1 - RHO) * g * g
                g_ = np.sqrt(di + EPS) / np.sqrt(si + EPS) * g
                p -= g_
                di[:] = RHO * di + (1 - RHO) * g_ * g_
    return time.perf_counter() - tic


def torch_loop(batches, w, b, num_epochs):
    import torch
    batches = [[(torch.tensor(X), torch.tensor(y)) for X, y in ep] for ep in batches]
    params = [torch.tensor(w, requires_grad=True), torch.tensor(b, requires_grad=True)]
    states = [(torch.zeros_like(p), torch.zeros_like(p)) for p in params]
    tic = time.perf_counter()
    for epoch in range(num_epochs):
        for X, y in batches[epoch]:
            loss = ((X @ params[0] + params[1] - y) ** 2 / 2).mean()
            loss.backward()
            with torch.no_grad():
                for p, (s, d) in zip(params, states):
                    s[:] = RHO * s + (1 - RHO) * p.grad * p.grad
                    g_ = torch.sqrt(d + EPS) / torch.sqrt(s + EPS) * p.grad
                    p -= g_
                    d[:] = RHO * d + (1 - RHO) * g_ * g_
            for p in params:
                p.grad = None
    return time.perf_counter() - tic


def tensorflow_loop(batches, w, b, num_epochs):
    import tensorflow as tf
    batches = [[(tf.constant(X), tf.constant(y)) for X, y in ep] for ep in batches]
    params = [tf.Variable(w), tf.Variable(b)]
    states = [(tf.Variable(tf.zeros_like(p)), tf.Variable(tf.zeros_like(p))) for p in params]
    spec = [tf.TensorSpec([None, w.shape[0]], tf.float32), tf.TensorSpec([None, 1], tf.float32)]

    @tf.function(input_signature=spec)
    def step(X, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((X @ params[0] + params[1] - y) ** 2 / 2)
        for p, g, (s, d) in zip(params, tape.gradient(loss, params), states):
            s.assign(RHO * s + (1 - RHO) * g * g)
            g_ = tf.sqrt(d + EPS) / tf.sqrt(s + EPS) * g
            p.assign_sub(g_)
            d.assign(RHO * d + (1 - RHO) * g_ * g_)
    step(*batches[0][0])            # trace once, outside the clock, as a warm run would
    params[0].assign(w), params[1].assign(b)
    for s, d in states:
        s.assign(tf.zeros_like(s)), d.assign(tf.zeros_like(d))
    tic = time.perf_counter()
    for epoch in range(num_epochs):
        for X, y in batches[epoch]:
            step(X, y)
    return time.perf_counter() - tic


def mxnet_loop(batches, w, b, num_epochs):
    """In MXNet's NumPy interface (mx.np), as d2l_lite's MXNet backend and the book's MXNet cells are written."""
    from d2l_lite._frameworks import restore_numpy_bool
    restore_numpy_bool()
    from mxnet import autograd, npx
    from mxnet import np as mnp
    npx.set_np()
    batches = [[(mnp.array(X), mnp.array(y)) for X, y in ep] for ep in batches]
    params = [mnp.array(w), mnp.array(b)]
    for p in params:
        p.attach_grad()
    states = [(mnp.zeros(p.shape), mnp.zeros(p.shape)) for p in params]
    npx.waitall()
    tic = time.perf_counter()
    for epoch in range(num_epochs):
        for X, y in batches[epoch]:
            with autograd.record():
                loss = ((mnp.dot(X, params[0]) + params[1] - y) ** 2 / 2).mean()
            loss.backward()
            for p, (s, d) in zip(params, states):
                s[:] = RHO * s + (1 - RHO) * p.grad * p.grad
                g_ = mnp.sqrt(d + EPS) / mnp.sqrt(s + EPS) * p.grad
                p[:] -= g_
                d[:] = RHO * d + (1 - RHO) * g_ * g_
    npx.waitall()
    return time.perf_counter() - tic


def paddle_loop(batches, w, b, num_epochs):
    import paddle
    batches = [[(paddle.to_tensor(X), paddle.to_tensor(y)) for X, y in ep] for ep in batches]
    params = [paddle.to_tensor(w, stop_gradient=False), paddle.to_tensor(b, stop_gradient=False)]
    states = [(paddle.zeros(p.shape), paddle.zeros(p.shape)) for p in params]
    tic = time.perf_counter()
    for epoch in range(num_epochs):
        for X, y in batches[epoch]:
            loss = ((X @ params[0] + params[1] - y) ** 2 / 2).mean()
            loss.backward()
            with paddle.no_grad():
                for p, (s, d) in zip(params, states):
                    s[:] = RHO * s + (1 - RHO) * p.grad * p.grad
                    g_ = paddle.sqrt(d + EPS) / paddle.sqrt(s + EPS) * p.grad
                    p[:] -= g_
                    d[:] = RHO * d + (1 - RHO) * g_ * g_
            for p in params:
                p.clear_gradient()
    return time.perf_counter() - tic


LOOPS = {"numpy": numpy_loop, "torch": torch_loop, "tensorflow": tensorflow_loop, "mxnet": mxnet_loop,
         "paddle": paddle_loop}


# --- the network workload: the digits MLP (64-64-10, ReLU, softmax cross-entropy) with Adam ------------

B1, B2, LR, AEPS = 0.9, 0.999, 0.001, 1e-8


def _adam_consts(t):
    return LR / (1 - B1 ** t), 1 - B2 ** t


def numpy_mlp_loop(batches, params, num_epochs):
    params = [p.copy() for p in params]
    v = [np.zeros_like(p) for p in params]
    s = [np.zeros_like(p) for p in params]
    t = 0
    tic = time.perf_counter()
    for epoch in range(num_epochs):
        for X, y in batches[epoch]:
            W1, b1, W2, b2 = params
            A = X @ W1 + b1
            H = np.maximum(A, np.float32(0))
            Z = H @ W2 + b2
            P = np.exp(Z - Z.max(axis=1, keepdims=True))
            P /= P.sum(axis=1, keepdims=True)
            P[np.arange(len(y)), y] -= 1
            m = np.float32(len(y))
            dH = (P @ W2.T) * (A > 0)
            grads = [X.T @ dH / m, dH.sum(axis=0) / m, H.T @ P / m, P.sum(axis=0) / m]
            t += 1
            c1, c2 = _adam_consts(t)
            for p, g, vi, si in zip(params, grads, v, s):
                vi[:] = B1 * vi + (1 - B1) * g
                si[:] = B2 * si + (1 - B2) * g * g
                p -= c1 * vi / (np.sqrt(si / c2) + AEPS)
    return time.perf_counter() - tic


def torch_mlp_loop(batches, params, num_epochs):
    import torch
    batches = [[(torch.tensor(X), torch.tensor(y)) for X, y in ep] for ep in batches]
    params = [torch.tensor(p, requires_grad=True) for p in params]
    v = [torch.zeros_like(p) for p in params]
    s = [torch.zeros_like(p) for p in params]
    t = 0
    tic = time.perf_counter()
    for epoch in range(num_epochs):
        for X, y in batches[epoch]:
            W1, b1, W2, b2 = params
            Z = torch.relu(X @ W1 + b1) @ W2 + b2
            loss = -torch.log_softmax(Z, dim=1).gather(1, y[:, None]).mean()
            loss.backward()
            t += 1
            c1, c2 = _adam_consts(t)
            with torch.no_grad():
                for p, vi, si in zip(params, v, s):
                    vi[:] = B1 * vi + (1 - B1) * p.grad
                    si[:] = B2 * si + (1 - B2) * p.grad * p.grad
                    p -= c1 * vi / (torch.sqrt(si / c2) + AEPS)
            for p in params:
                p.grad = None
    return time.perf_counter() - tic


def tensorflow_mlp_loop(batches, params, num_epochs):
    import tensorflow as tf
    batches = [[(tf.constant(X), tf.constant(y)) for X, y in ep] for ep in batches]
    init = params
    params = [tf.Variable(p) for p in init]
    v = [tf.Variable(tf.zeros_like(p)) for p in params]
    s = [tf.Variable(tf.zeros_like(p)) for p in params]
    t = tf.Variable(0.0)
    spec = [tf.TensorSpec([None, 64], tf.float32), tf.TensorSpec([None], tf.int64)]

    @tf.function(input_signature=spec)
    def step(X, y):
        with tf.GradientTape() as tape:
            W1, b1, W2, b2 = params
            Z = tf.nn.relu(X @ W1 + b1) @ W2 + b2
            loss = -tf.reduce_mean(tf.gather(tf.nn.log_softmax(Z, axis=1), y, batch_dims=1))
        t.assign_add(1.0)
        c1, c2 = LR / (1 - B1 ** t), 1 - B2 ** t
        for p, g, vi, si in zip(params, tape.gradient(loss, params), v, s):
            vi.assign(B1 * vi + (1 - B1) * g)
            si.assign(B2 * si + (1 - B2) * g * g)
            p.assign_sub(c1 * vi / (tf.sqrt(si / c2) + AEPS))
    step(*batches[0][0])            # trace once, outside the clock, as a warm run would
    for p, p0, vi, si in zip(params, init, v, s):
        p.assign(p0), vi.assign(tf.zeros_like(vi)), si.assign(tf.zeros_like(si))
    t.assign(0.0)
    tic = time.perf_counter()
    for epoch in range(num_epochs):
        for X, y in batches[epoch]:
            step(X, y)
    return time.perf_counter() - tic


def mxnet_mlp_loop(batches, params, num_epochs, tools=False):
    """In mx.np, as d2l_lite's backend. ``tools=True`` adds what MXNet offers for speed: the forward pass and
    loss as a hybridized Gluon block (one cached graph, forward and backward, instead of an operator call
    each) and bulked engine execution of every step (``mx.engine.bulk``); the update stays from scratch."""
    from d2l_lite._frameworks import restore_numpy_bool
    restore_numpy_bool()
    import mxnet as mx
    from mxnet import autograd, gluon, npx
    from mxnet import np as mnp
    npx.set_np()
    batches = [[(mnp.array(X), mnp.array(y, dtype="int64")) for X, y in ep] for ep in batches]
    params = [mnp.array(p) for p in params]
    for p in params:
        p.attach_grad()
    v = [mnp.zeros(p.shape) for p in params]
    s = [mnp.zeros(p.shape) for p in params]

    def mlp_loss(X, y, W1, b1, W2, b2):
        Z = mnp.dot(npx.relu(mnp.dot(X, W1) + b1), W2) + b2
        return -npx.pick(npx.log_softmax(Z, axis=1), y, axis=1).mean()
    forward = mlp_loss
    if tools:
        class Loss(gluon.HybridBlock):            # MXNet 1.x: hybrid_forward, with F the np/npx namespace
            def hybrid_forward(self, F, X, y, W1, b1, W2, b2):
                Z = F.np.dot(F.npx.relu(F.np.dot(X, W1) + b1), W2) + b2
                return -F.npx.pick(F.npx.log_softmax(Z, axis=1), y, axis=1).mean()
        forward = Loss()
        forward.hybridize(static_alloc=True)
    bulk = mx.engine.bulk(64) if tools else contextlib.nullcontext()
    t = 0
    npx.waitall()
    tic = time.perf_counter()
    with bulk:
        for epoch in range(num_epochs):
            for X, y in batches[epoch]:
                with autograd.record():
                    loss = forward(X, y, *params)
                loss.backward()
                t += 1
                c1, c2 = _adam_consts(t)
                for p, vi, si in zip(params, v, s):
                    vi[:] = B1 * vi + (1 - B1) * p.grad
                    si[:] = B2 * si + (1 - B2) * p.grad * p.grad
                    p[:] -= c1 * vi / (mnp.sqrt(si / c2) + AEPS)
    npx.waitall()
    return time.perf_counter() - tic


def paddle_mlp_loop(batches, params, num_epochs):
    import paddle
    F = paddle.nn.functional
    batches = [[(paddle.to_tensor(X), paddle.to_tensor(y)) for X, y in ep] for ep in batches]
    params = [paddle.to_tensor(p, stop_gradient=False) for p in params]
    v = [paddle.zeros(p.shape) for p in params]
    s = [paddle.zeros(p.shape) for p in params]
    t = 0
    tic = time.perf_counter()
    for epoch in range(num_epochs):
        for X, y in batches[epoch]:
            W1, b1, W2, b2 = params
            Z = F.relu(X @ W1 + b1) @ W2 + b2
            loss = -paddle.take_along_axis(F.log_softmax(Z, axis=1), y.unsqueeze(1), axis=1).mean()
            loss.backward()
            t += 1
            c1, c2 = _adam_consts(t)
            with paddle.no_grad():
                for p, vi, si in zip(params, v, s):
                    vi[:] = B1 * vi + (1 - B1) * p.grad
                    si[:] = B2 * si + (1 - B2) * p.grad * p.grad
                    p[:] = p - c1 * vi / (paddle.sqrt(si / c2) + AEPS)
            for p in params:
                p.clear_gradient()
    return time.perf_counter() - tic


MLP_LOOPS = {"numpy": numpy_mlp_loop, "torch": torch_mlp_loop, "tensorflow": tensorflow_mlp_loop,
             "mxnet": mxnet_mlp_loop, "paddle": paddle_mlp_loop}
