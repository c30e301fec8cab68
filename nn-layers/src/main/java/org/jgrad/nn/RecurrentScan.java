package org.jgrad.nn;

import org.jgrad.core.Autograd;
import org.jgrad.core.Tensor;
import org.jgrad.core.kernels.Elementwise;
import org.jgrad.core.kernels.Gemm;
import org.jgrad.core.ops.Op;
import org.jgrad.core.ops.FloatArray;

/**
 * One recurrent layer's time loop over its input projection xp = x·W_ihᵀ + bias [batch, time, g]
 * (g = gates·hidden), which the caller computes for every step in one GEMM. Per step only the
 * recurrent GEMM and one fused op (two for the LSTM) run. The ops read and write their time slice
 * of layer-wide buffers in place, so a step allocates only the tensors it hands on (h', c').
 *
 * <p><b>How the gradient reaches xp and W_hh without a per-step copy.</b> xp and W_hh (and the
 * GRU's b_hh) are the inputs of one op, {@link Projection}. Its output is a 0-d token that every
 * step takes as an input and none reads. In backward each step writes its gate gradients into
 * its slice of one [batch, time, g] buffer and returns a zero for the token. The engine visits
 * Projection only after every step that used the token (reverse topological order). Projection
 * then hands the buffer over as d(xp) and computes dW_hh = Σ_t dG_tᵀ·h_{t−1} as one GEMM over
 * all steps. Narrowing xp per step instead costs a copy per step forward and a zeroed
 * [batch, time, g] gradient per step backward, O(T²) in all.
 *
 * <p>The gate arithmetic uses the Vector API kernels of {@link Elementwise} (sigmoid, tanh, ReLU,
 * add, mul). The loops that combine several gates per element (c' = f·c + i·g, the GRU's n and
 * h', every backward rule) are plain counted loops over arrays, the shape C2's SuperWord pass
 * compiles to SIMD instructions by itself; a Vector API kernel of its own for each would add
 * code for a few hundred elements per row, next to GEMMs that cost far more.
 */
final class RecurrentScan {

    /** What a layer or cell runs per step. */
    enum Kind {
        RNN_TANH(1), RNN_RELU(1), LSTM(4), GRU(3);

        /** How many gate blocks of hidden rows W_ih and W_hh stack. */
        final int gates;

        Kind(int gates) {
            this.gates = gates;
        }
    }

    /** The hidden states h_1..h_T, each [batch, hidden], and for the LSTM the last cell state (else null). */
    record Result(Tensor[] hs, Tensor c) {

        /** h_T. */
        Tensor last() {
            return hs[hs.length - 1];
        }
    }

    private final int b, time, h, g;
    private final float[] whh, bhh;   // W_hh [g, h], the GRU's b_hh (zeros without bias)
    private float[] gates;      // [b, T, g]: xp, each slice turned into its step's gate activations
    private float[] hp;         // GRU [b, T, g]: h·W_hhᵀ + b_hh; the n part is needed in backward
    private float[] tanhC;      // LSTM [b, T, h]: tanh(c_t)
    private float[] history;    // [b, T, h]: h_{t−1} of every step, kept when W_hh needs a gradient
    private float[] dGates;     // [b, T, g]: d(xp), filled slice by slice in backward
    private float[] dHp;        // GRU [b, T, g]: d(h·W_hhᵀ + b_hh), which differs from d(xp) in the n part
    private float[] txp, twhh, tbhh;   // forward mode: the tangents of xp, W_hh and the GRU's b_hh (null: fixed)

    private RecurrentScan(Kind kind, int batch, int time, int hidden, Tensor whh, float[] bhh) {
        this.b = batch;
        this.time = time;
        this.h = hidden;
        this.g = kind.gates * hidden;
        this.whh = whh.data();
        this.bhh = bhh;
        if (kind == Kind.GRU) hp = new float[batch * time * g];
        if (kind == Kind.LSTM) tanhC = new float[batch * time * hidden];
    }

    /**
     * Runs {@code time} steps from h [batch, hidden] (and c for the LSTM) over xp, whose
     * batch·time·g elements are laid out [batch, time, g] (any shape: d(xp) gets xp's shape).
     * bhh is the GRU's recurrent bias (null: none); the other kinds fold b_hh into xp.
     */
    static Result run(Kind kind, Tensor xp, int batch, int time, int hidden, Tensor whh, Tensor bhh,
                      Tensor h, Tensor c) {
        boolean gruBias = kind == Kind.GRU && bhh != null;
        float[] bias = gruBias ? bhh.data() : new float[kind.gates * hidden];
        RecurrentScan s = new RecurrentScan(kind, batch, time, hidden, whh, bias);
        Tensor token = gruBias ? Autograd.apply(s.new Projection(), xp, whh, bhh) : Autograd.apply(s.new Projection(), xp, whh);
        Tensor[] hs = new Tensor[time];
        for (int t = 0; t < time; t++) {
            switch (kind) {
                case RNN_TANH, RNN_RELU -> h = Autograd.apply(s.new RnnStep(t, kind == Kind.RNN_RELU), token, h);
                case GRU -> h = Autograd.apply(s.new GruStep(t), token, h);
                case LSTM -> {
                    LstmState state = s.new LstmState(t);
                    c = Autograd.apply(state, token, h, c);
                    h = Autograd.apply(s.new LstmOutput(state), c);
                }
            }
            hs[t] = h;
        }
        return new Result(hs, c);
    }

    /** Where row r of time slice t starts in a [b, T, width] buffer. */
    private int at(int r, int t, int width) {
        return (r * time + t) * width;
    }

    private float[] dGates() {
        if (dGates == null) dGates = new float[b * time * g];
        return dGates;
    }

    private float[] dHp() {
        if (dHp == null) dHp = new float[b * time * g];
        return dHp;
    }

    /**
     * into[slice t] = beta·into[slice t] + hPrev·W_hhᵀ, the slice read in place (ldc = T·g); remembers hPrev.
     * The GEMM reads W_hh transposed while packing it. Measured against a transpose made once per
     * layer: this small product alone takes 1.2–2× as long, yet a layer's forward and backward
     * stay within noise, and a cell (one step) no longer pays for a whole transpose.
     */
    private void recurrent(float[] hPrev, float[] into, int t, float beta) {
        Gemm.sgemm(false, true, b, g, h, 1f, hPrev, 0, h, whh, 0, h, beta, into, t * g, time * g);
        if (history != null) for (int r = 0; r < b; r++) System.arraycopy(hPrev, r * h, history, at(r, t, h), h);
    }

    /** dh = beta·dh + dG_t·W_hh for the gate gradients dG of slice t. */
    private FloatArray recurrentGrad(float[] dg, int t, float[] dh, float beta) {
        Gemm.sgemm(false, false, b, h, g, 1f, dg, t * g, time * g, whh, 0, h, beta, dh, 0, h);
        return new FloatArray(dh, b, h);
    }

    /** What a step returns for the token: a zero, so that the engine visits {@link Projection}. */
    private static FloatArray tokenGrad() {
        return FloatArray.scalar(0f);
    }

    /**
     * Forward mode: the tangent [b, g] of step t's pre-activation xp_t + hPrev·W_hhᵀ (the GRU passes
     * withInput false and gets that of hp = hPrev·W_hhᵀ + b_hh), from the tangent of hPrev (null:
     * fixed) and those of xp, W_hh and b_hh that {@link Projection} kept.
     */
    private float[] preTangent(int t, float[] hPrev, float[] dhPrev, boolean withInput) {
        float[] out = new float[b * g];
        if (dhPrev != null) Gemm.sgemm(false, true, b, g, h, 1f, dhPrev, 0, h, whh, 0, h, 0f, out, 0, g);
        if (twhh != null) Gemm.sgemm(false, true, b, g, h, 1f, hPrev, 0, h, twhh, 0, h, 1f, out, 0, g);
        for (int r = 0; r < b; r++) {
            if (withInput && txp != null) Elementwise.add(out, r * g, txp, at(r, t, g), out, r * g, g);
            if (!withInput && tbhh != null) Elementwise.add(out, r * g, tbhh, 0, out, r * g, g);
        }
        return out;
    }

    /** The tangent of a step's token input: a 0-d marker, so that every step sees one and applies its rule. */
    private FloatArray tokenTangent() {
        return txp == null && twhh == null && tbhh == null ? null : FloatArray.scalar(0f);
    }

    // ---------------------------------------------------------------- ops

    /** (xp, W_hh [, b_hh]) → the token; backward hands over what the steps wrote. */
    private final class Projection extends Op {
        private int[] xpShape;

        @Override
        public FloatArray forward(FloatArray... in) {
            xpShape = in[0].shape();
            gates = in[0].data().clone();     // the steps overwrite it; xp itself stays as computed
            if (needsGrad(1)) history = new float[b * time * h];
            return FloatArray.scalar(0f);
        }

        @Override
        public FloatArray[] backward(FloatArray ignored) {
            float[] dx = dGates(), dr = dHp != null ? dHp : dx;
            dGates = dHp = null;              // handed over: a second backward (retained graph) writes new arrays
            FloatArray dW = null, dB = null;
            if (needsGrad(1)) {
                dW = FloatArray.zeros(g, h);
                Gemm.sgemm(true, false, g, h, b * time, 1f, dr, 0, g, history, 0, h, 0f, dW.data(), 0, h);
            }
            if (needsGrad(2)) {
                float[] sum = new float[g];
                for (int row = 0; row < b * time; row++) Elementwise.add(sum, 0, dr, row * g, sum, 0, g);
                dB = new FloatArray(sum, g);
            }
            return new FloatArray[] {needsGrad(0) ? new FloatArray(dx, xpShape) : null, dW, dB};
        }

        /** Keeps the tangents of xp, W_hh and b_hh for the steps, which read them in place. */
        @Override
        public FloatArray tangent(FloatArray token, FloatArray... t) {
            txp = t[0] == null ? null : t[0].data();
            twhh = t[1] == null ? null : t[1].data();
            tbhh = t.length > 2 && t[2] != null ? t[2].data() : null;
            return tokenTangent();
        }
    }

    /** h' = act(xp_t + h·W_hhᵀ), act tanh or ReLU. */
    private final class RnnStep extends Op {
        private final int t;
        private final boolean relu;
        private float[] y, hPrev;

        RnnStep(int t, boolean relu) {
            this.t = t;
            this.relu = relu;
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            hPrev = in[1].data();
            recurrent(hPrev, gates, t, 1f);
            y = new float[b * h];
            for (int r = 0; r < b; r++) {
                if (relu) Elementwise.relu(gates, at(r, t, h), y, r * h, h);
                else Elementwise.tanh(gates, at(r, t, h), y, r * h, h);
            }
            return new FloatArray(y, b, h);
        }

        @Override
        public FloatArray[] backward(FloatArray gy) {
            float[] dy = gy.data(), dg = dGates();
            for (int r = 0; r < b; r++) {
                int o = at(r, t, h), oy = r * h;
                if (relu) Elementwise.reluBackward(y, oy, dy, oy, dg, o, h);   // y > 0 exactly where the pre-activation is
                else for (int j = 0; j < h; j++) dg[o + j] = dy[oy + j] * (1 - y[oy + j] * y[oy + j]);
            }
            FloatArray dh = needsGrad(1) ? recurrentGrad(dg, t, new float[b * h], 0f) : null;
            return new FloatArray[] {needsGrad(0) ? tokenGrad() : null, dh};
        }

        /** dh' = act′ ⊙ d(pre), act′ read from the output: 1 − y² for tanh, [y > 0] for ReLU. */
        @Override
        public FloatArray tangent(FloatArray out, FloatArray... tin) {
            float[] d = preTangent(t, hPrev, tin[1] == null ? null : tin[1].data(), true), dy = new float[b * h];
            for (int r = 0; r < b; r++) {
                for (int j = 0; j < h; j++) {
                    float yj = y[r * h + j], dp = d[r * g + j];
                    dy[r * h + j] = relu ? (yj > 0 ? dp : 0f) : dp * (1 - yj * yj);
                }
            }
            return new FloatArray(dy, b, h);
        }
    }

    /**
     * c' = σ(f)·c + σ(i)·tanh(g) from gates xp_t + h·W_hhᵀ (order i, f, g, o). Its backward also
     * writes the o gate's gradient, from the dh' that the {@link LstmOutput} of the same step
     * passed it: that op reads c', so the engine runs it first.
     */
    private final class LstmState extends Op {
        private final int t;
        private float[] cPrev, hPrev;
        private float[] dhOut;   // dh' of this step, or null when h' got no gradient
        private float[] tOut;    // forward mode: the tangent of σ(o), for this step's LstmOutput

        LstmState(int t) {
            this.t = t;
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            cPrev = in[2].data();
            hPrev = in[1].data();
            recurrent(hPrev, gates, t, 1f);
            float[] c2 = new float[b * h];
            for (int r = 0; r < b; r++) {
                int o = at(r, t, g), oc = r * h;
                Elementwise.sigmoid(gates, o, gates, o, 2 * h);
                Elementwise.tanh(gates, o + 2 * h, gates, o + 2 * h, h);
                Elementwise.sigmoid(gates, o + 3 * h, gates, o + 3 * h, h);
                for (int j = 0; j < h; j++) c2[oc + j] = gates[o + h + j] * cPrev[oc + j] + gates[o + j] * gates[o + 2 * h + j];
            }
            return new FloatArray(c2, b, h);
        }

        @Override
        public FloatArray[] backward(FloatArray gc) {
            float[] dc = gc.data(), dg = dGates(), dh = dhOut;
            dhOut = null;
            for (int r = 0; r < b; r++) {
                int o = at(r, t, g), oc = r * h, ot = at(r, t, h);
                for (int j = 0; j < h; j++) {
                    float i = gates[o + j], f = gates[o + h + j], gg = gates[o + 2 * h + j], og = gates[o + 3 * h + j];
                    float dcj = dc[oc + j];
                    dg[o + j] = dcj * gg * i * (1 - i);
                    dg[o + h + j] = dcj * cPrev[oc + j] * f * (1 - f);
                    dg[o + 2 * h + j] = dcj * i * (1 - gg * gg);
                    dg[o + 3 * h + j] = dh == null ? 0f : dh[oc + j] * tanhC[ot + j] * og * (1 - og);
                }
            }
            FloatArray dH = needsGrad(1) ? recurrentGrad(dg, t, new float[b * h], 0f) : null;
            FloatArray dC = null;
            if (needsGrad(2)) {
                float[] d = new float[b * h];
                for (int r = 0; r < b; r++) Elementwise.mul(dc, r * h, gates, at(r, t, g) + h, d, r * h, h);
                dC = new FloatArray(d, b, h);
            }
            return new FloatArray[] {needsGrad(0) ? tokenGrad() : null, dH, dC};
        }

        /** dc' = df·c + f·dc + di·g + i·dg with each gate's tangent σ′ or tanh′ times d(pre); keeps do. */
        @Override
        public FloatArray tangent(FloatArray c2, FloatArray... tin) {
            float[] d = preTangent(t, hPrev, tin[1] == null ? null : tin[1].data(), true);
            float[] dcPrev = tin[2] == null ? null : tin[2].data(), dc = new float[b * h];
            tOut = new float[b * h];
            for (int r = 0; r < b; r++) {
                int o = at(r, t, g), oc = r * h, od = r * g;
                for (int j = 0; j < h; j++) {
                    float i = gates[o + j], f = gates[o + h + j], gg = gates[o + 2 * h + j], og = gates[o + 3 * h + j];
                    float di = i * (1 - i) * d[od + j], df = f * (1 - f) * d[od + h + j];
                    float dg = (1 - gg * gg) * d[od + 2 * h + j];
                    tOut[oc + j] = og * (1 - og) * d[od + 3 * h + j];
                    dc[oc + j] = df * cPrev[oc + j] + (dcPrev == null ? 0f : f * dcPrev[oc + j]) + di * gg + i * dg;
                }
            }
            return new FloatArray(dc, b, h);
        }
    }

    /** h' = σ(o)·tanh(c'), σ(o) read from the gate slice its {@link LstmState} filled. */
    private final class LstmOutput extends Op {
        private final LstmState state;

        LstmOutput(LstmState state) {
            this.state = state;
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            float[] c2 = in[0].data(), out = new float[b * h];
            int t = state.t;
            for (int r = 0; r < b; r++) {
                Elementwise.tanh(c2, r * h, tanhC, at(r, t, h), h);
                Elementwise.mul(gates, at(r, t, g) + 3 * h, tanhC, at(r, t, h), out, r * h, h);
            }
            return new FloatArray(out, b, h);
        }

        @Override
        public FloatArray[] backward(FloatArray gh) {
            float[] dh = gh.data(), dc = new float[b * h];
            state.dhOut = dh;
            int t = state.t;
            for (int r = 0; r < b; r++) {
                int o = at(r, t, g) + 3 * h, ot = at(r, t, h), oc = r * h;
                for (int j = 0; j < h; j++) dc[oc + j] = dh[oc + j] * gates[o + j] * (1 - tanhC[ot + j] * tanhC[ot + j]);
            }
            return new FloatArray[] {new FloatArray(dc, b, h)};
        }

        /** dh' = do·tanh(c') + σ(o)·(1 − tanh² c')·dc'. */
        @Override
        public FloatArray tangent(FloatArray out, FloatArray... tin) {
            float[] dc = tin[0].data(), dO = state.tOut, dh = new float[b * h];
            int t = state.t;
            for (int r = 0; r < b; r++) {
                int o = at(r, t, g) + 3 * h, ot = at(r, t, h), oc = r * h;
                for (int j = 0; j < h; j++) {
                    float th = tanhC[ot + j];
                    dh[oc + j] = dO[oc + j] * th + gates[o + j] * (1 - th * th) * dc[oc + j];
                }
            }
            return new FloatArray(dh, b, h);
        }
    }

    /**
     * With xp_t = x·W_ihᵀ + b_ih and hp = h·W_hhᵀ + b_hh (order r, z, n): r = σ(xp_r + hp_r),
     * z = σ(xp_z + hp_z), n = tanh(xp_n + r·hp_n), h' = (1 − z)·n + z·h.
     */
    private final class GruStep extends Op {
        private final int t;
        private float[] hPrev;

        GruStep(int t) {
            this.t = t;
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            hPrev = in[1].data();
            recurrent(hPrev, hp, t, 0f);
            float[] out = new float[b * h];
            for (int r = 0; r < b; r++) {
                int o = at(r, t, g), oh = r * h;
                Elementwise.add(hp, o, bhh, 0, hp, o, g);
                Elementwise.add(gates, o, hp, o, gates, o, 2 * h);
                Elementwise.sigmoid(gates, o, gates, o, 2 * h);
                for (int j = 0; j < h; j++) gates[o + 2 * h + j] += gates[o + j] * hp[o + 2 * h + j];
                Elementwise.tanh(gates, o + 2 * h, gates, o + 2 * h, h);
                for (int j = 0; j < h; j++) {
                    float z = gates[o + h + j], n = gates[o + 2 * h + j];
                    out[oh + j] = (1 - z) * n + z * hPrev[oh + j];
                }
            }
            return new FloatArray(out, b, h);
        }

        @Override
        public FloatArray[] backward(FloatArray gy) {
            float[] dy = gy.data(), dx = dGates(), dhp = dHp();
            float[] dh = needsGrad(1) ? new float[b * h] : null;
            for (int row = 0; row < b; row++) {
                int o = at(row, t, g), oh = row * h;
                for (int j = 0; j < h; j++) {
                    int i = oh + j;
                    float r = gates[o + j], z = gates[o + h + j], n = gates[o + 2 * h + j];
                    float dn = dy[i] * (1 - z) * (1 - n * n);
                    float dz = dy[i] * (hPrev[i] - n) * z * (1 - z);
                    float dReset = dn * hp[o + 2 * h + j] * r * (1 - r);
                    dx[o + j] = dhp[o + j] = dReset;
                    dx[o + h + j] = dhp[o + h + j] = dz;
                    dx[o + 2 * h + j] = dn;
                    dhp[o + 2 * h + j] = dn * r;
                    if (dh != null) dh[i] = dy[i] * z;
                }
            }
            FloatArray dH = dh == null ? null : recurrentGrad(dhp, t, dh, 1f);
            return new FloatArray[] {needsGrad(0) ? tokenGrad() : null, dH};
        }

        /**
         * With dxp the input's tangent and dhp = dh·W_hhᵀ + h·dW_hhᵀ + db_hh: dr = r(1 − r)(dxp_r + dhp_r),
         * dz likewise, dn = (1 − n²)(dxp_n + dr·hp_n + r·dhp_n), dh' = (1 − z)·dn + z·dh + dz·(h − n).
         */
        @Override
        public FloatArray tangent(FloatArray out, FloatArray... tin) {
            float[] dhPrev = tin[1] == null ? null : tin[1].data();
            float[] dhp = preTangent(t, hPrev, dhPrev, false), dh = new float[b * h];
            for (int row = 0; row < b; row++) {
                int o = at(row, t, g), oh = row * h, od = row * g;
                for (int j = 0; j < h; j++) {
                    int i = oh + j;
                    float r = gates[o + j], z = gates[o + h + j], n = gates[o + 2 * h + j];
                    float xr = txp == null ? 0f : txp[o + j], xz = txp == null ? 0f : txp[o + h + j];
                    float xn = txp == null ? 0f : txp[o + 2 * h + j];
                    float dr = r * (1 - r) * (xr + dhp[od + j]), dz = z * (1 - z) * (xz + dhp[od + h + j]);
                    float dn = (1 - n * n) * (xn + dr * hp[o + 2 * h + j] + r * dhp[od + 2 * h + j]);
                    dh[i] = (1 - z) * dn + (dhPrev == null ? 0f : z * dhPrev[i]) + dz * (hPrev[i] - n);
                }
            }
            return new FloatArray(dh, b, h);
        }
    }
}
