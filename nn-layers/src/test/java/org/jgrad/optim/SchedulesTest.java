package org.jgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /**
     * A schedule's state dict, loaded into one built over an optimizer that started at another
     * rate (as when it is made after the optimizer was restored), continues the same rates:
     * position and base rates are both state.
     */
    @Test
    void stateDictRoundTripContinuesTheSchedule() {
        List<Function<SGD, LRScheduler>> makers = List.of(o -> new StepLR(o, 2, 0.1f), o -> new ExponentialLR(o, 0.5f),
                o -> new CosineAnnealingLR(o, 6, 0.1f), o -> new LinearWarmup(o, 4, 0.2f), o -> new InverseTimeLR(o, 2f));
        for (var make : makers) {
            var opt = new SGD(List.of(Quadratic.start()), 1f);
            LRScheduler s = make.apply(opt);
            for (int t = 0; t < 3; t++) s.step();
            Map<String, String> state = s.stateDict();
            assertThat(state).containsEntry("last_epoch", "3").containsEntry("base_lrs.0", "1.0");

            var opt2 = new SGD(List.of(Quadratic.start()), 0.3f);
            LRScheduler s2 = make.apply(opt2);
            s2.loadStateDict(state);
            opt2.setLr(opt.lr());                          // the optimizer's own state, restored with it
            for (int t = 0; t < 4; t++) {
                s.step();
                s2.step();
                assertThat(opt2.lr()).as("%s at t = %d", s.getClass().getSimpleName(), s.epoch()).isEqualTo(opt.lr());
            }
            assertThat(s2.stateDict()).isEqualTo(s.stateDict());
        }
    }

    @Test
    void aBadScheduleStateIsRefusedAndChangesNothing() {
        var opt = new SGD(List.of(Quadratic.start()), 1f);
        var s = new StepLR(opt, 2, 0.1f);
        s.step();
        Map<String, String> before = s.stateDict();
        assertThatThrownBy(() -> s.loadStateDict(Map.of("last_epoch", "-1", "base_lrs.0", "1.0")))
                .hasMessage("StepLR.loadStateDict: 'last_epoch' is '-1'; expected a whole number ≥ 0");
        assertThatThrownBy(() -> s.loadStateDict(Map.of("last_epoch", "2", "base_lrs.0", "Infinity")))
                .hasMessage("StepLR.loadStateDict: 'base_lrs.0' is 'Infinity'; expected a finite learning rate ≥ 0");
        assertThatThrownBy(() -> s.loadStateDict(Map.of("last_epoch", "2", "base_lrs.1", "1.0")))
                .hasMessage("StepLR.loadStateDict: missing [base_lrs.0], unexpected [base_lrs.1]; expected exactly [base_lrs.0, last_epoch]");
        assertThat(s.stateDict()).isEqualTo(before);

        var p = new ReduceLROnPlateau(opt, ReduceLROnPlateau.Mode.MAX, 0.5f, 2);
        p.step(0.7f);
        Map<String, String> pBefore = p.stateDict();
        assertThat(pBefore).containsEntry("best", Double.toString(0.7f)).containsEntry("mode", "MAX");
        assertThatThrownBy(() -> p.loadStateDict(Map.of("mode", "MAX", "best", "Infinity", "num_bad_epochs", "0", "cooldown_counter", "0")))
                .hasMessage("ReduceLROnPlateau.loadStateDict: 'best' is 'Infinity'; expected a finite number, or -Infinity before the first step in MAX mode");
        assertThatThrownBy(() -> p.loadStateDict(Map.of("mode", "MAX", "best", "0.5", "num_bad_epochs", "x", "cooldown_counter", "0")))
                .hasMessage("ReduceLROnPlateau.loadStateDict: 'num_bad_epochs' is 'x'; expected a whole number ≥ 0");
        assertThat(p.stateDict()).isEqualTo(pBefore);
        var fresh = new ReduceLROnPlateau(new SGD(List.of(Quadratic.start()), 1f), ReduceLROnPlateau.Mode.MAX, 0.5f, 2);
        fresh.loadStateDict(new ReduceLROnPlateau(opt, ReduceLROnPlateau.Mode.MAX, 0.5f, 2).stateDict());   // -Infinity before the first step
        assertThat(fresh.stateDict()).containsEntry("best", "-Infinity");
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
