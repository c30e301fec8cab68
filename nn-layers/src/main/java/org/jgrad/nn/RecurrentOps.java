package org.jgrad.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.jgrad.core.Autograd;
import org.jgrad.core.Tensor;
import org.jgrad.core.kernels.Elementwise;
import org.jgrad.core.kernels.Gemm;
import org.jgrad.core.ops.Function;
import org.jgrad.core.ops.NDArray;
import org.jgrad.nn.init.Init;

/**
 * The fused pieces the recurrent layers and cells share: {@code x·Wᵀ} read in place (no
 * transpose is built per step), and one op per gate block (PyTorch's {@code _thnn_fused_lstm_cell}
 * and {@code _thnn_fused_gru_cell} idea), so a time step records the recurrent matmul plus one or
 * two nodes instead of a dozen narrow/sigmoid/mul nodes.
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
        return Autograd.apply(new MatmulTransB(null), x, w);
    }

    /** {@code x·wᵀ} with wᵀ already at hand (see {@link #transpose}); wT must be w's current transpose. */
    static Tensor linearT(Tensor x, Tensor w, float[] wT) {
        return Autograd.apply(new MatmulTransB(wT), x, w);
    }

    /** The transpose of a 2-D array [rows, cols] as a row-major [cols, rows] array. */
    static float[] transpose(NDArray w) {
        int rows = w.dim(0), cols = w.dim(1);
        float[] d = w.data(), t = new float[d.length];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = d[r * cols + c];
        return t;
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
     * hN, cN (LSTM only)}. Per layer: one matmul projects every time step's input; per step only
     * the recurrent matmul and the fused gate op run.
     */
    static Tensor[] run(String who, Kind kind, Tensor[][] layers, int inputSize, int hidden, Tensor x, Tensor h0, Tensor c0) {
        checkSequence(who, x, inputSize);
        int batch = x.size(0), time = x.size(1), numLayers = layers.length, g = kind.gates * hidden;
        h0 = stateOrZeros(who, "h0", h0, numLayers, batch, hidden);
        if (kind == Kind.LSTM) c0 = stateOrZeros(who, "c0", c0, numLayers, batch, hidden);
        Tensor[] hN = new Tensor[numLayers], cN = new Tensor[numLayers];
        Tensor seq = x;
        for (int l = 0; l < numLayers; l++) {
            Tensor wih = layers[l][0], whh = layers[l][1], bih = layers[l][2], bhh = layers[l][3];
            Tensor xp = linearT(seq.reshape(batch * time, seq.size(2)), wih);
            if (bih != null) xp = xp.add(kind == Kind.GRU ? bih : bih.add(bhh));
            xp = xp.reshape(batch, time, g);
            if (kind == Kind.GRU && bhh == null) bhh = Tensor.zeros(g);
            Tensor h = numLayers == 1 ? h0.reshape(batch, hidden) : h0.narrow(0, l, 1).reshape(batch, hidden);
            Tensor c = kind != Kind.LSTM ? null : numLayers == 1 ? c0.reshape(batch, hidden) : c0.narrow(0, l, 1).reshape(batch, hidden);
            float[] whhT = transpose(whh.value());
            Tensor[] outs = new Tensor[time];
            for (int t = 0; t < time; t++) {
                Tensor xt = time == 1 ? xp.reshape(batch, g) : xp.narrow(1, t, 1).reshape(batch, g);
                switch (kind) {
                    case RNN_TANH, RNN_RELU -> h = rnnStep(xt, h, whh, whhT, kind == Kind.RNN_RELU);
                    case GRU -> h = gruStep(xt, h, whh, whhT, bhh);
                    case LSTM -> {
                        Tensor[] hc = lstmStep(xt, h, c, whh, whhT);
                        h = hc[0];
                        c = hc[1];
                    }
                }
                outs[t] = h;
            }
            seq = time == 1 ? h.reshape(batch, 1, hidden) : Tensor.stack(1, outs);
            hN[l] = h;
            cN[l] = c;
        }
        return new Tensor[] {seq, Tensor.stack(0, hN), kind == Kind.LSTM ? Tensor.stack(0, cN) : null};
    }

    // ---------------------------------------------------------------- steps

    /** h' = act(xProj + h·W_hhᵀ), xProj holding x·W_ihᵀ + b_ih + b_hh. */
    static Tensor rnnStep(Tensor xProj, Tensor h, Tensor whh, float[] whhT, boolean relu) {
        Tensor pre = xProj.add(linearT(h, whh, whhT));
        return relu ? pre.relu() : pre.tanh();
    }

    /** {h', c'} from xProj = x·W_ihᵀ + b_ih + b_hh (gates i, f, g, o). */
    static Tensor[] lstmStep(Tensor xProj, Tensor h, Tensor c, Tensor whh, float[] whhT) {
        Tensor gates = xProj.add(linearT(h, whh, whhT));
        LstmCellState cs = new LstmCellState();
        Tensor c2 = Autograd.apply(cs, gates, c);
        Tensor h2 = Autograd.apply(new LstmHidden(cs.act), gates, c2);
        return new Tensor[] {h2, c2};
    }

    /** h' from xProj = x·W_ihᵀ + b_ih (gates r, z, n); b_hh stays apart because r scales its n part. */
    static Tensor gruStep(Tensor xProj, Tensor h, Tensor whh, float[] whhT, Tensor bhh) {
        return Autograd.apply(new GruGates(), xProj, linearT(h, whh, whhT), bhh, h);
    }

    // ---------------------------------------------------------------- ops

    /**
     * [n, in] · ([out, in])ᵀ → [n, out]; dx = g·w, dw = gᵀ·x. Every product runs with unit-stride
     * inner loops: the forward reads wᵀ [in, out], which a sequence transposes once and shares
     * across its time steps ({@link #transpose}), since w does not change during a forward.
     */
    static final class MatmulTransB extends Function {
        private final float[] wT;
        private NDArray x, w;

        MatmulTransB(float[] wT) {
            this.wT = wT;
        }

        @Override
        public NDArray forward(NDArray... in) {
            x = in[0];
            w = in[1];
            int n = x.dim(0), k = x.dim(1), m = w.dim(0);
            if (w.dim(1) != k) {
                throw new IllegalArgumentException("recurrent matmul: " + Arrays.toString(x.shape()) + " @ ("
                        + Arrays.toString(w.shape()) + ")ᵀ: inner dimensions " + k + " and " + w.dim(1) + " differ");
            }
            NDArray out = NDArray.zeros(n, m);
            if (n > 0 && m > 0) {
                float[] t = wT != null ? wT : transpose(w);
                Gemm.sgemm(false, false, n, m, k, 1f, x.data(), 0, k, t, 0, m, 0f, out.data(), 0, m);
            }
            return out;
        }

        @Override
        public NDArray[] backward(NDArray g) {
            int n = x.dim(0), k = x.dim(1), m = w.dim(0);
            NDArray gx = null, gw = null;
            if (needsGrad(0)) {
                gx = NDArray.zeros(n, k);
                Gemm.sgemm(false, false, n, k, m, 1f, g.data(), 0, m, w.data(), 0, k, 0f, gx.data(), 0, k);
            }
            if (needsGrad(1)) {
                gw = NDArray.zeros(m, k);
                Gemm.sgemm(true, false, m, k, n, 1f, g.data(), 0, m, x.data(), 0, k, 0f, gw.data(), 0, k);
            }
            return new NDArray[] {gx, gw};
        }
    }

    /** c' = σ(f)·c + σ(i)·tanh(g) from the pre-activation gates [b, 4h] and c [b, h]. */
    static final class LstmCellState extends Function {
        float[] act;        // σ(i), σ(f), tanh(g), σ(o), row by row; shared with LstmHidden
        private NDArray c;
        private int b, h;

        @Override
        public NDArray forward(NDArray... in) {
            NDArray gates = in[0];
            c = in[1];
            b = c.dim(0);
            h = c.dim(1);
            float[] pre = gates.data();
            act = new float[pre.length];
            for (int r = 0; r < b; r++) {
                int o = r * 4 * h;
                Elementwise.sigmoid(pre, o, act, o, 2 * h);
                Elementwise.tanh(pre, o + 2 * h, act, o + 2 * h, h);
                Elementwise.sigmoid(pre, o + 3 * h, act, o + 3 * h, h);
            }
            float[] cp = c.data(), out = new float[b * h];
            for (int r = 0; r < b; r++) {
                int o = r * 4 * h, oc = r * h;
                for (int j = 0; j < h; j++) out[oc + j] = act[o + h + j] * cp[oc + j] + act[o + j] * act[o + 2 * h + j];
            }
            return new NDArray(out, b, h);
        }

        @Override
        public NDArray[] backward(NDArray g) {
            float[] dc = g.data(), cp = c.data();
            NDArray dGates = null, dC = null;
            if (needsGrad(0)) {
                float[] d = new float[b * 4 * h];
                for (int r = 0; r < b; r++) {
                    int o = r * 4 * h, oc = r * h;
                    for (int j = 0; j < h; j++) {
                        float i = act[o + j], f = act[o + h + j], gg = act[o + 2 * h + j], dcj = dc[oc + j];
                        d[o + j] = dcj * gg * i * (1 - i);
                        d[o + h + j] = dcj * cp[oc + j] * f * (1 - f);
                        d[o + 2 * h + j] = dcj * i * (1 - gg * gg);
                    }
                }
                dGates = new NDArray(d, b, 4 * h);
            }
            if (needsGrad(1)) {
                float[] d = new float[b * h];
                for (int r = 0; r < b; r++) {
                    for (int j = 0; j < h; j++) d[r * h + j] = dc[r * h + j] * act[r * 4 * h + h + j];
                }
                dC = new NDArray(d, b, h);
            }
            return new NDArray[] {dGates, dC};
        }
    }

    /** h' = σ(o)·tanh(c'), reading σ(o) from the {@link LstmCellState} of the same step. */
    static final class LstmHidden extends Function {
        private final float[] act;
        private float[] tc;
        private int b, h;

        LstmHidden(float[] act) {
            this.act = act;
        }

        @Override
        public NDArray forward(NDArray... in) {
            NDArray c = in[1];
            b = c.dim(0);
            h = c.dim(1);
            tc = new float[b * h];
            Elementwise.tanh(c.data(), 0, tc, 0, b * h);
            float[] out = new float[b * h];
            for (int r = 0; r < b; r++) {
                for (int j = 0; j < h; j++) out[r * h + j] = act[r * 4 * h + 3 * h + j] * tc[r * h + j];
            }
            return new NDArray(out, b, h);
        }

        @Override
        public NDArray[] backward(NDArray g) {
            float[] dh = g.data();
            NDArray dGates = null, dC = null;
            if (needsGrad(0)) {
                float[] d = new float[b * 4 * h];
                for (int r = 0; r < b; r++) {
                    for (int j = 0; j < h; j++) {
                        float o = act[r * 4 * h + 3 * h + j];
                        d[r * 4 * h + 3 * h + j] = dh[r * h + j] * tc[r * h + j] * o * (1 - o);
                    }
                }
                dGates = new NDArray(d, b, 4 * h);
            }
            if (needsGrad(1)) {
                float[] d = new float[b * h];
                for (int r = 0; r < b; r++) {
                    for (int j = 0; j < h; j++) {
                        float o = act[r * 4 * h + 3 * h + j], t = tc[r * h + j];
                        d[r * h + j] = dh[r * h + j] * o * (1 - t * t);
                    }
                }
                dC = new NDArray(d, b, h);
            }
            return new NDArray[] {dGates, dC};
        }
    }

    /**
     * GRU gates from xp = x·W_ihᵀ + b_ih [b, 3h], hp = h·W_hhᵀ [b, 3h], b_hh [3h] and h [b, h]:
     * r = σ(xp_r + hp_r + b_r), z = σ(xp_z + hp_z + b_z), n = tanh(xp_n + r·(hp_n + b_n)),
     * h' = (1 − z)·n + z·h.
     */
    static final class GruGates extends Function {
        private float[] r, z, n, hn, hPrev;
        private int b, h;

        @Override
        public NDArray forward(NDArray... in) {
            float[] xp = in[0].data(), hp = in[1].data(), bias = in[2].data();
            hPrev = in[3].data();
            b = in[3].dim(0);
            h = in[3].dim(1);
            r = new float[b * h];
            z = new float[b * h];
            n = new float[b * h];
            hn = new float[b * h];
            for (int row = 0; row < b; row++) {
                int o = row * 3 * h, oh = row * h;
                for (int j = 0; j < h; j++) {
                    r[oh + j] = xp[o + j] + hp[o + j] + bias[j];
                    z[oh + j] = xp[o + h + j] + hp[o + h + j] + bias[h + j];
                    hn[oh + j] = hp[o + 2 * h + j] + bias[2 * h + j];
                }
            }
            Elementwise.sigmoid(r, 0, r, 0, b * h);
            Elementwise.sigmoid(z, 0, z, 0, b * h);
            for (int row = 0; row < b; row++) {
                int o = row * 3 * h, oh = row * h;
                for (int j = 0; j < h; j++) n[oh + j] = xp[o + 2 * h + j] + r[oh + j] * hn[oh + j];
            }
            Elementwise.tanh(n, 0, n, 0, b * h);
            float[] out = new float[b * h];
            for (int i = 0; i < b * h; i++) out[i] = (1 - z[i]) * n[i] + z[i] * hPrev[i];
            return new NDArray(out, b, h);
        }

        @Override
        public NDArray[] backward(NDArray g) {
            float[] dh = g.data();
            float[] dx = new float[b * 3 * h], dhp = new float[b * 3 * h];
            for (int row = 0; row < b; row++) {
                int o = row * 3 * h, oh = row * h;
                for (int j = 0; j < h; j++) {
                    int i = oh + j;
                    float dn = dh[i] * (1 - z[i]) * (1 - n[i] * n[i]);
                    float dz = dh[i] * (hPrev[i] - n[i]) * z[i] * (1 - z[i]);
                    float dr = dn * hn[i] * r[i] * (1 - r[i]);
                    dx[o + j] = dr;
                    dx[o + h + j] = dz;
                    dx[o + 2 * h + j] = dn;
                    dhp[o + j] = dr;
                    dhp[o + h + j] = dz;
                    dhp[o + 2 * h + j] = dn * r[i];
                }
            }
            NDArray dHp = new NDArray(dhp, b, 3 * h);
            NDArray dH = null;
            if (needsGrad(3)) {
                float[] d = new float[b * h];
                for (int i = 0; i < b * h; i++) d[i] = dh[i] * z[i];
                dH = new NDArray(d, b, h);
            }
            // the bias gradient is dHp summed over the batch; the engine sums it back to [3h]
            return new NDArray[] {needsGrad(0) ? new NDArray(dx, b, 3 * h) : null, needsGrad(1) ? dHp : null,
                    needsGrad(2) ? dHp.copy() : null, dH};
        }
    }
}
