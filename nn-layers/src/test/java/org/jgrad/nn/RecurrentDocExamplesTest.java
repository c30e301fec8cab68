package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.jgrad.core.Tensor;
import org.jgrad.nn.sampling.Sampler;
import org.junit.jupiter.api.Test;

/** The values shown in the recurrent layers' javadoc {@code jshell>} examples. */
class RecurrentDocExamplesTest {

    @Test
    void layersAndCells() {
        var rnn = new RNN(4, 8, 2);
        var out = rnn.forward(Tensor.zeros(3, 5, 4), null);
        assertThat(out.outputs().shape()).containsExactly(3, 5, 8);
        assertThat(out.hN().shape()).containsExactly(2, 3, 8);
        assertThat(new LSTM(4, 8).forward(Tensor.zeros(3, 5, 4), null, null).cN().shape()).containsExactly(1, 3, 8);
        assertThat(new GRU(4, 8, 2).forward(Tensor.zeros(3, 5, 4)).shape()).containsExactly(3, 5, 8);

        var cell = new RNNCell(3, 5);
        Tensor h = null;
        for (int t = 0; t < 4; t++) h = cell.forward(Tensor.ones(2, 3), h);
        assertThat(h.shape()).containsExactly(2, 5);
        var lstmCell = new LSTMCell(3, 5);
        var s = lstmCell.forward(Tensor.ones(2, 3), null, null);
        s = lstmCell.forward(Tensor.ones(2, 3), s.h(), s.c());
        assertThat(s.c().shape()).containsExactly(2, 5);
        assertThat(new GRUCell(3, 5).forward(Tensor.ones(2, 3), null).shape()).containsExactly(2, 5);
    }

    @Test
    void lossAndSampler() {
        assertThat(new SequenceCrossEntropyLoss().forward(Tensor.zeros(2, 3, 4), Tensor.zeros(2, 3)).item())
                .isCloseTo((float) Math.log(4), within(1e-6f));
        var s = Sampler.topK(2, 0.8, new SplittableRandom(7));
        assertThat(s.next(new float[] {0.1f, 2f, 1.5f, -1f})).isEqualTo(1);
        assertThat(Sampler.greedy().next(new float[] {0.1f, 2f, 1.5f})).isEqualTo(1);
    }
}
