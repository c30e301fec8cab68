package org.jgrad.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jgrad.core.Tensor;

/**
 * Runs its modules one after another: {@code y = mₙ(… m₂(m₁(x)))}.
 *
 * <p>Children are named "0", "1", … (or by the keys of the map given), so parameters are named
 * {@code "0.weight"}, {@code "fc1.bias"} as in PyTorch.
 *
 * <pre>{@code
 * jshell> var net = new Sequential(new Linear(3, 4), new Tanh(), new Linear(4, 4), new Tanh(), new Linear(4, 1));
 * jshell> net.numParameters()
 * $2 ==> 41
 * }</pre>
 */
public final class Sequential extends Module {

    private final List<Module> layers = new ArrayList<>();

    /**
     * The modules in order, named "0", "1", ….
     *
     * @param modules the layers, applied first to last
     */
    public Sequential(Module... modules) {
        for (int i = 0; i < modules.length; i++) layers.add(registerModule(Integer.toString(i), modules[i]));
    }

    /**
     * Named children, in the map's iteration order (use a LinkedHashMap).
     *
     * @param modules the layers by name, applied in iteration order
     */
    public Sequential(Map<String, ? extends Module> modules) {
        for (var e : modules.entrySet()) layers.add(registerModule(e.getKey(), e.getValue()));
    }

    /**
     * The i-th module.
     *
     * @param i position, from 0
     * @return the module at {@code i}
     */
    public Module get(int i) {
        return layers.get(i);
    }

    /**
     * The number of modules.
     *
     * @return the module count
     */
    public int size() {
        return layers.size();
    }

    /**
     * Modules {@code [from, to)} as a Sequential of their own, like PyTorch's {@code net[from:to]}:
     * the same module objects under the same names, so its parameters are this one's and
     * {@code slice(0, k).forward(x)} is the output of the first k modules — a hidden layer's
     * activation, which DeepDream climbs.
     *
     * @param from index of the first module taken
     * @param to index after the last module taken
     * @return a Sequential of modules {@code [from, to)}, shared with this one
     * @throws IndexOutOfBoundsException unless {@code 0 ≤ from ≤ to ≤ size()}
     */
    public Sequential slice(int from, int to) {
        if (from < 0 || to > layers.size() || from > to) {
            throw new IndexOutOfBoundsException("Sequential.slice: expected 0 ≤ from ≤ to ≤ " + layers.size() + ", got from "
                    + from + ", to " + to);
        }
        Map<String, Module> part = new java.util.LinkedHashMap<>();
        List<String> names = new ArrayList<>(namedChildren().keySet());
        for (int i = from; i < to; i++) part.put(names.get(i), layers.get(i));
        return new Sequential(part);
    }

    @Override
    public Tensor forward(Tensor x) {
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            // A Linear or convolution followed by a ReLU runs as one op (the ReLU in place on the
            // layer's output): the same values and gradients, one activation array less
            boolean reluNext = i + 1 < layers.size() && layers.get(i + 1).getClass() == ReLU.class;
            // Convolution, ReLU, max pooling: the ReLU after the pooling instead, on a quarter of
            // the elements (max is monotone, so max∘relu = relu∘max: the same values, and the same
            // gradients — a window whose maximum is not positive passes zero either way)
            if (reluNext && m instanceof Convolution && i + 2 < layers.size() && layers.get(i + 2) instanceof MaxPool2d pool) {
                x = layers.get(i + 1).forward(pool.forward(m.forward(x)));
                i += 2;
                continue;
            }
            if (reluNext && m instanceof Linear linear) {
                x = linear.forwardRelu(x);
                i++;
            } else if (reluNext && m instanceof Convolution conv) {
                x = conv.forwardRelu(x);
                i++;
            } else {
                x = m.forward(x);
            }
        }
        return x;
    }

    @Override
    protected Tensor summarize(String prefix, Tensor x, List<String[]> rows) {
        for (var e : namedChildren().entrySet()) {
            x = e.getValue().summarize(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), x, rows);
        }
        return x;
    }
}
