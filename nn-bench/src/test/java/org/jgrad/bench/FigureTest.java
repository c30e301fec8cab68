package org.jgrad.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FigureTest {

    @ParameterizedTest
    @CsvSource(value = {"±2.5%|200|2.5", "± 3 %|200|3", "±10|200|5", "+- 4|100|4", "fast|100|NaN", "NULL|100|NaN"}, delimiter = '|', nullValues = "NULL")
    void spreadIsReadFromRelativeOrAbsoluteRanges(String range, double value, double percent) {
        assertThat(new Figure("f", "u", value, range, null).spreadPercent()).isEqualTo(percent, within(1e-9));
    }

    @Test
    void ofTakesTheMedianAndHalfTheMinMaxSpread() {
        Timer.Result r = new Timer.Result(new double[] {90e9, 95e9, 100e9, 105e9, 110e9});
        Figure f = Figure.of("g", "GFLOPS", r, 1e-9, "env");
        assertThat(f.value()).isEqualTo(100);
        assertThat(f.range()).isEqualTo("±10.0%");
        assertThat(f.extra()).isEqualTo("median of 5, min 90.00, max 110.0; env");
        assertThat(f.samples()).as("every repetition, in the figure's unit").containsExactly(90.0, 95.0, 100.0, 105.0, 110.0);
    }

    @Test
    void samplesAreOptionalAndNeverEmpty() {
        assertThat(new Figure("f", "u", 1, null, null).samples()).isNull();
        assertThat(new Figure("f", "u", 1, null, null, List.of()).samples()).isNull();
        assertThat(new Figure("f", "u", 1, null, null, List.of(2.0, 1.0)).sampleArray()).containsExactly(2.0, 1.0);
        assertThat(Figure.samples(new double[] {3.14159e9, 1e9}, 1e-9)).containsExactly(1.0, 3.142);
    }

    @Test
    void evenRepetitionsAverageTheMiddleTwo() {
        assertThat(new Timer.Result(new double[] {1, 2, 4, 8}).median()).isEqualTo(3);
    }

    /** Commons Statistics' median gives the figures of the hand-written one bit for bit, and leaves the rates as they were. */
    @Test
    void medianIsTheMiddleOrTheMeanOfTheMiddleTwoBitForBit() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(22);
        for (int trial = 0; trial < 1000; trial++) {
            int n = 3 + trial % 8;
            double[] rates = new double[n];
            for (int i = 0; i < n; i++) rates[i] = 1e9 * Math.exp(4 * rnd.nextDouble());
            java.util.Arrays.sort(rates);
            double[] before = rates.clone();
            double old = n % 2 == 1 ? rates[n / 2] : (rates[n / 2 - 1] + rates[n / 2]) / 2;
            assertThat(new Timer.Result(rates).median()).as("n = %d", n).isEqualTo(old);
            assertThat(rates).isEqualTo(before);
        }
    }

    @Test
    void roundKeepsFourSignificantDigits() {
        assertThat(Figure.round(123456.7)).isEqualTo(123500);
        assertThat(Figure.round(0.0123456)).isEqualTo(0.01235);
        assertThat(Figure.round(0)).isZero();
    }

    @Test
    void timerMeasuresRatesOfACall() {
        Timer.Result r = Timer.measure(() -> {}, 1, new Timer.Settings(0, 0, 0.01, 0.001, 4));
        assertThat(r.rates()).hasSizeBetween(Timer.MIN_REPS, 4).isSorted();
        assertThat(r.min()).isPositive();
    }
}
