package org.jgrad.examples.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jgrad.examples.plot.Ticks.Tick;
import org.junit.jupiter.api.Test;

class TicksTest {

    /** A label 7 pixels per character wide, as the charts' 12-point font roughly is. */
    private static double width(String label) {
        return 7.0 * label.length();
    }

    private static List<String> labels(List<Tick> ticks) {
        return ticks.stream().map(Tick::label).filter(l -> l != null).toList();
    }

    @Test
    void linearTicksTakeRoundStepsWithTheDecimalsTheStepNeeds() {
        assertThat(labels(Ticks.linear(0, 300, 7, false))).containsExactly("0", "50", "100", "150", "200", "250", "300");
        assertThat(labels(Ticks.linear(0.4028, 0.5959, 6, false))).containsExactly("0.45", "0.50", "0.55");
        assertThat(labels(Ticks.linear(-1, 1, 5, false))).containsExactly("-1.0", "-0.5", "0.0", "0.5", "1.0");
        assertThat(Ticks.linear(0, 300, 7, false)).hasSizeLessThanOrEqualTo(7);
    }

    /** The one epoch of a short run is at 1 of [0, 2]: whole-number axes never get 0.5. */
    @Test
    void wholeNumberAxesKeepWholeSteps() {
        assertThat(labels(Ticks.linear(0, 2, 10, true))).containsExactly("0", "1", "2");
        assertThat(labels(Ticks.linear(0, 2, 10, false))).contains("0.5");
    }

    /** Dead ReLU chart: 300 steps on 700 pixels were labelled 0, 12, 24, … by XChart; here at most ten round labels. */
    @Test
    void labelsOnALongAxisAreRoundAndApart() {
        List<Tick> ticks = Ticks.choose(0, 300, false, true, 700, TicksTest::width, 12);
        assertThat(labels(ticks)).containsExactly("0", "50", "100", "150", "200", "250", "300");
        assertThat(Ticks.fits(ticks, 0, 300, false, 700, TicksTest::width, 12)).isTrue();
        // a narrow chart gets fewer labels, still apart
        List<Tick> narrow = Ticks.choose(0, 300, false, true, 120, TicksTest::width, 12);
        assertThat(labels(narrow)).containsExactly("0", "100", "200", "300");
        assertThat(Ticks.fits(narrow, 0, 300, false, 120, TicksTest::width, 12)).isTrue();
    }

    @Test
    void logAxisOverDecadesIsLabelledAtEachDecadeWithMinorTicksBetween() {
        List<Tick> ticks = Ticks.log(1e-4, 1, 10);
        assertThat(labels(ticks)).containsExactly("1e-4", "0.001", "0.01", "0.1", "1");
        assertThat(ticks).filteredOn(t -> t.label() == null).hasSize(4 * 8);   // 2…9 × 10^k in each of the four decades
        assertThat(ticks).extracting(Tick::value).isSorted();
    }

    /** The validation loss of the regularization example spans 0.09…0.6: XChart labelled 0.1 only; the dead-ReLU loss 0.04…40 had three labels. */
    @Test
    void logAxisOverFewDecadesGetsDenserLabels() {
        assertThat(labels(Ticks.log(0.09, 0.6, 10))).containsExactly("0.09", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6");
        assertThat(labels(Ticks.log(0.04, 40, 10))).containsExactly("0.05", "0.1", "0.2", "0.5", "1", "2", "5", "10", "20");
        assertThat(labels(Ticks.log(0.25, 0.95, 10))).containsExactly("0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9");
        assertThat(labels(Ticks.log(0.31, 0.39, 10))).as("too narrow for round log labels: linear ones")
                .containsExactly("0.31", "0.32", "0.33", "0.34", "0.35", "0.36", "0.37", "0.38", "0.39");
    }

    @Test
    void logAxisOverManyDecadesLabelsEverySecondOne() {
        assertThat(labels(Ticks.log(1e-12, 1e3, 8))).containsExactly("1e-12", "1e-10", "1e-8", "1e-6", "1e-4",
                "0.01", "1", "100");
        assertThat(Ticks.log(1e-12, 1e3, 8)).as("no minor ticks over 15 decades").allMatch(t -> t.label() != null);
    }

    /** On a 300-pixel y axis (label height 9) the labels of 1e-4…1 fit; on 30 pixels every third decade. */
    @Test
    void chooseKeepsLabelsApartOnShortAxes() {
        List<Tick> tall = Ticks.choose(1e-4, 1, true, false, 300, s -> 9, 10);
        assertThat(labels(tall)).hasSize(5);
        List<Tick> tiny = Ticks.choose(1e-4, 1, true, false, 30, s -> 9, 10);
        assertThat(labels(tiny)).containsExactly("0.001", "1");
    }

    @Test
    void badRangesAreRefusedWithTheRange() {
        assertThatThrownBy(() -> Ticks.linear(1, 1, 5, false)).hasMessageContaining("low < high, got [1.0, 1.0]");
        assertThatThrownBy(() -> Ticks.log(-1, 1, 5)).hasMessageContaining("positive range, got [-1.0, 1.0]");
    }
}
