package org.jgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SchedulesTest {

    private static List<Float> rates(Function<SGD, LRScheduler> make, int steps) {
        var opt = new SGD(List.of(Quadratic.start()), 1f);
        LRScheduler s = make.apply(opt);
        List<Float> out = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            out.add(opt.lr());
            s.step();
        }
        return out;
    }

    @Test
    void closedForms() {
        assertThat(rates(o -> new StepLR(o, 2, 0.1f), 5)).containsExactly(1f, 1f, 0.1f, 0.1f, 0.010000001f);
        assertThat(rates(o -> new ExponentialLR(o, 0.5f), 4)).containsExactly(1f, 0.5f, 0.25f, 0.125f);
        List<Float> cos = rates(o -> new CosineAnnealingLR(o, 4, 0.1f), 6);
        assertThat(cos.get(0)).isEqualTo(1f);
        assertThat(cos.get(2)).isCloseTo(0.55f, within(1e-6f));
        assertThat(cos.get(4)).isCloseTo(0.1f, within(1e-6f));
        assertThat(cos.get(5)).isCloseTo(0.1f, within(1e-6f));
        assertThat(rates(o -> new LinearWarmup(o, 4, 0.2f), 6)).containsExactly(0.2f, 0.4f, 0.6f, 0.8f, 1f, 1f);
        assertThat(rates(o -> new InverseTimeLR(o, 2f), 3)).containsExactly(1f, 1 / 1.5f, 0.5f);
    }

    @Test
    void reduceOnPlateau() {
        var opt = new SGD(List.of(Quadratic.start()), 1f);
        var s = new ReduceLROnPlateau(opt, ReduceLROnPlateau.Mode.MIN, 0.5f, 2);
        float[] losses = {5, 4, 4, 4, 4, 3, 3, 3, 3};
        List<Float> lrs = new ArrayList<>();
        for (float l : losses) {
            s.step(l);
            lrs.add(s.lastLr());
        }
        // three epochs without improvement (more than patience 2) halve the rate
        assertThat(lrs).containsExactly(1f, 1f, 1f, 1f, 0.5f, 0.5f, 0.5f, 0.5f, 0.25f);
    }
}
