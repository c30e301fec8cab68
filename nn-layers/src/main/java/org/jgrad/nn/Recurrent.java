package org.jgrad.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.jgrad.core.Functional;
import org.jgrad.core.Tensor;
import org.jgrad.nn.RecurrentScan.Kind;
import org.jgrad.nn.init.Init;

/**
 * What the recurrent layers ({@link RecurrentLayer}) and cells ({@link RecurrentCell}) share:
 * PyTorch's init and parameter names, the state and size checks, the description, and one layer's
 * run — the input projection {@code x·W_ihᵀ + bias} for all time steps in one GEMM, then the time
 * loop of {@link RecurrentScan}.
 */
final class Recurrent {

    private Recurrent() {}

    /** One layer's parameters: W_ih [g, in], W_hh [g, hidden], the biases [g] or both null (g = gates·hidden). */
    record Weights(Tensor ih, Tensor hh, Tensor biasIh, Tensor biasHh) {

        /**
         * Registers the four parameters on {@code m} under PyTorch's names and in PyTorch's order
         * ({@code weight_ih} + suffix, {@code weight_hh}, {@code bias_ih}, {@code bias_hh}), each
         * U(−1/√hidden, 1/√hidden) as PyTorch initialises them.
         */
        static Weights register(Module m, String suffix, Kind kind, int in, int hidden, boolean bias, RandomGenerator rng) {
            int g = kind.gates * hidden;
            double bound = 1 / Math.sqrt(hidden);
            Tensor ih = m.registerParameter("weight_ih" + suffix, Init.uniform(Tensor.zeros(g, in), rng, -bound, bound));
            Tensor hh = m.registerParameter("weight_hh" + suffix, Init.uniform(Tensor.zeros(g, hidden), rng, -bound, bound));
            Tensor bih = bias ? m.registerParameter("bias_ih" + suffix, Init.uniform(Tensor.zeros(g), rng, -bound, bound)) : null;
            Tensor bhh = bias ? m.registerParameter("bias_hh" + suffix, Init.uniform(Tensor.zeros(g), rng, -bound, bound)) : null;
            return new Weights(ih, hh, bih, bhh);
        }

        /**
         * Runs this layer over x [batch, time, in] (or [batch, in] with time 1) from h (and c for
         * the LSTM). b_hh joins b_ih in the projection, except for the GRU, which multiplies the
         * n part of h·W_hhᵀ + b_hh by r and so needs b_hh inside the step.
         */
        RecurrentScan.Result run(Kind kind, Tensor x, int batch, int time, Tensor h, Tensor c) {
            Tensor bias = biasIh == null || kind == Kind.GRU ? biasIh : biasIh.add(biasHh);
            Tensor xp = Functional.linear(x, ih, bias);
            return RecurrentScan.run(kind, xp, batch, time, hh.size(1), hh, biasHh, h, c);
        }
    }

    static void checkSizes(String who, int inputSize, int hiddenSize, int numLayers) {
        if (inputSize <= 0 || hiddenSize <= 0 || numLayers <= 0) {
            throw new IllegalArgumentException(who + ": input size, hidden size and number of layers must be positive, got "
                    + inputSize + ", " + hiddenSize + ", " + numLayers);
        }
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

    /** The text inside a layer's or cell's description, as PyTorch prints it: {@code 3, 4, numLayers=2, relu, bias=false}. */
    static String repr(int inputSize, int hiddenSize, int numLayers, Kind kind, boolean bias) {
        return inputSize + ", " + hiddenSize + (numLayers > 1 ? ", numLayers=" + numLayers : "")
                + (kind == Kind.RNN_RELU ? ", relu" : "") + (bias ? "" : ", bias=false");
    }
}
