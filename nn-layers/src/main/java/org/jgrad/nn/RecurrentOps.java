package org.jgrad.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.jgrad.core.Functional;
import org.jgrad.core.Tensor;
import org.jgrad.nn.init.Init;

/**
 * What the recurrent layers and cells share: PyTorch's init and parameter names, shape checks,
 * the input projection {@code x·W_ihᵀ} for all time steps at once, and the multi-layer loop. The
 * time loop itself, with one fused op per step (PyTorch's {@code _thnn_fused_lstm_cell} and
 * {@code _thnn_fused_gru_cell} idea), is {@link RecurrentScan}.
 */
final class RecurrentOps {

    private RecurrentOps() {}

    /** U(−1/√hidden, 1/√hidden), PyTorch's init of every recurrent weight and bias. */
    static Tensor uniformParam(RandomGenerator rng, int hidden, int... shape) {
        double bound = 1 / Math.sqrt(hidden);
        return Init.uniform(Tensor.zeros(shape), rng, -bound, bound);
    }

    /** {@code x·wᵀ} for x [n, in] and w [out, in]. */
    static Tensor linearT(Tensor x, Tensor w) {
        return Functional.linear(x, w, null);
    }

    /** Checks a state tensor's shape (null means zeros) and returns it or the zeros. */
    static Tensor stateOrZeros(String who, String what, Tensor s, int... shape) {
        if (s == null) return Tensor.zeros(shape);
        if (!Arrays.equals(s.shape(), shape)) {
            throw new IllegalArgumentException(who + ": " + what + " must have shape " + Arrays.toString(shape) + ", got "
                    + Arrays.toString(s.shape()));
        }
        return s;
    }

    /** Checks a [batch, time, features] input. */
    static void checkSequence(String who, Tensor x, int inputSize) {
        if (x.rank() != 3 || x.size(2) != inputSize) {
            throw new IllegalArgumentException(who + ": expected input [batch, time, " + inputSize + "] (batch first), got "
                    + Arrays.toString(x.shape()));
        }
        if (x.size(1) == 0) throw new IllegalArgumentException(who + ": the sequence is empty (time = 0)");
    }

    /** Checks a [batch, features] cell input. */
    static void checkStep(String who, Tensor x, int inputSize) {
        if (x.rank() != 2 || x.size(1) != inputSize) {
            throw new IllegalArgumentException(who + ": expected input [batch, " + inputSize + "], got " + Arrays.toString(x.shape()));
        }
    }

    // ---------------------------------------------------------------- sequences

    /** What a multi-layer module runs per step. */
    enum Kind {
        RNN_TANH(1), RNN_RELU(1), LSTM(4), GRU(3);

        final int gates;

        Kind(int gates) {
            this.gates = gates;
        }
    }

    /**
     * Registers layer {@code l}'s parameters on {@code m} under PyTorch's names
     * ({@code weight_ih_l0}, …) in PyTorch's order and returns {w_ih, w_hh, b_ih, b_hh}
     * (the biases null without bias).
     */
    static Tensor[] registerLayer(Module m, int l, int in, int hidden, int gates, boolean bias, RandomGenerator rng) {
        int g = gates * hidden;
        Tensor wih = m.registerParameter("weight_ih_l" + l, uniformParam(rng, hidden, g, in));
        Tensor whh = m.registerParameter("weight_hh_l" + l, uniformParam(rng, hidden, g, hidden));
        Tensor bih = bias ? m.registerParameter("bias_ih_l" + l, uniformParam(rng, hidden, g)) : null;
        Tensor bhh = bias ? m.registerParameter("bias_hh_l" + l, uniformParam(rng, hidden, g)) : null;
        return new Tensor[] {wih, whh, bih, bhh};
    }

    /**
     * Runs {@code layers} (each {w_ih, w_hh, b_ih, b_hh}) over x [batch, time, in] from h0 (and
     * c0 for LSTM), each [layers, batch, hidden] or null. Returns {outputs [batch, time, hidden],
     * hN, cN (LSTM only)}. Per layer: one matmul projects every time step's input, then
     * {@link RecurrentScan} runs the steps.
     */
    static Tensor[] run(String who, Kind kind, Tensor[][] layers, int inputSize, int hidden, Tensor x, Tensor h0, Tensor c0) {
        checkSequence(who, x, inputSize);
        int batch = x.size(0), time = x.size(1), numLayers = layers.length;
        h0 = stateOrZeros(who, "h0", h0, numLayers, batch, hidden);
        if (kind == Kind.LSTM) c0 = stateOrZeros(who, "c0", c0, numLayers, batch, hidden);
        Tensor[] hN = new Tensor[numLayers], cN = new Tensor[numLayers];
        Tensor seq = x;
        for (int l = 0; l < numLayers; l++) {
            Tensor wih = layers[l][0], whh = layers[l][1], bih = layers[l][2], bhh = layers[l][3];
            Tensor xp = linearT(seq.reshape(batch * time, seq.size(2)), wih);
            if (bih != null) xp = xp.add(kind == Kind.GRU ? bih : bih.add(bhh));
            Tensor h = numLayers == 1 ? h0.reshape(batch, hidden) : h0.narrow(0, l, 1).reshape(batch, hidden);
            Tensor c = kind != Kind.LSTM ? null : numLayers == 1 ? c0.reshape(batch, hidden) : c0.narrow(0, l, 1).reshape(batch, hidden);
            RecurrentScan.Result r = RecurrentScan.run(kind, xp, batch, time, hidden, whh, bhh, h, c);
            Tensor[] outs = r.hs();
            h = outs[time - 1];
            c = r.c();
            seq = time == 1 ? h.reshape(batch, 1, hidden) : Tensor.stack(1, outs);
            hN[l] = h;
            cN[l] = c;
        }
        return new Tensor[] {seq, Tensor.stack(0, hN), kind == Kind.LSTM ? Tensor.stack(0, cN) : null};
    }
}
