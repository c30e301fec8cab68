package org.jgrad.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jgrad.bench.Compare.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompareTest {

    private static Figure f(String name, double value, String range) {
        return new Figure(name, "GFLOPS", value, range, null);
    }

    private static Compare.Row only(double base, String baseRange, double cur, String curRange, double threshold) {
        Compare.Result r = Compare.compare(List.of(f("g", base, baseRange)), List.of(f("g", cur, curRange)), threshold);
        assertThat(r.rows()).hasSize(1);
        return r.rows().get(0);
    }

    @ParameterizedTest(name = "{0} -> {2} at {4}%: {5}")
    @CsvSource({
            "100, ±2%, 85, ±2%, 10, REGRESSION",
            "100, ±2%, 115, ±2%, 10, IMPROVEMENT",
            "100, ±2%, 95, ±2%, 10, UNCHANGED",
            "100, ±2%, 90, ±2%, 10, UNCHANGED",   // exactly at the threshold is not beyond it
            "100, ±2%, 85, ±12%, 10, NOISY",      // current too spread to tell
            "100, ±15%, 85, ±1%, 10, NOISY",      // baseline too spread to tell
            "100, ±15%, 99, ±1%, 10, NOISY",
            "100, ±2%, 85, ±2%, 20, UNCHANGED",
            "100, , 50, , 10, REGRESSION",        // no range: spread 0
            "100, ±8, 85, ±1, 10, REGRESSION",    // absolute ranges: 8% and 1.2%
            "100, ±12, 85, ±1, 10, NOISY"})
    void classifiesEachFigure(double base, String baseRange, double cur, String curRange, double threshold, Status expected) {
        assertThat(only(base, baseRange, cur, curRange, threshold).status()).isEqualTo(expected);
    }

    @Test
    void changeAndSpreadArePercentages() {
        Compare.Row row = only(200, "±1%", 150, "±3%", 10);
        assertThat(row.changePercent()).isEqualTo(-25);
        assertThat(row.spreadPercent()).isEqualTo(3);
    }

    @Test
    void missingAndNewEntriesAreReportedAndDoNotFail() {
        Compare.Result r = Compare.compare(List.of(f("gone", 1, null), f("kept", 10, null)),
                List.of(f("kept", 10, null), f("added", 5, null)), 10);
        assertThat(r.rows()).extracting(Compare.Row::name, Compare.Row::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("gone", Status.MISSING),
                org.assertj.core.groups.Tuple.tuple("added", Status.NEW),
                org.assertj.core.groups.Tuple.tuple("kept", Status.UNCHANGED));
        assertThat(r.exitCode()).isZero();
        assertThat(Compare.format(r)).contains("missing", "gone", "new", "added", "1 missing, 1 new", "OK: no regression");
    }

    @Test
    void aFigureWhoseUnitChangedIsReportedNotCompared() {
        Compare.Result r = Compare.compare(List.of(new Figure("conv", "ms", 10, null, null)),
                List.of(new Figure("conv", "GFLOPS", 50, null, null)), 10);
        assertThat(r.rows()).extracting(Compare.Row::status).containsExactly(Status.UNIT_CHANGED);
        assertThat(r.rows().get(0).changePercent()).isNaN();
        assertThat(r.exitCode()).isZero();
        assertThat(Compare.format(r)).contains("unit_changed", "10.00 ms", "50.00 GFLOPS", "1 unit changed");
    }

    @Test
    void onlyARegressionGivesANonZeroExitCode() {
        Compare.Result bad = Compare.compare(List.of(f("a", 100, null), f("b", 100, null)), List.of(f("a", 80, null), f("b", 130, null)), 10);
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.rows().get(0).status()).as("worst news first").isEqualTo(Status.REGRESSION);
        String text = Compare.format(bad);
        assertThat(text).contains("regression", "-20.0%", "improvement", "+30.0%", "1 regression(s), 1 improvement(s)", "FAIL");

        Compare.Result noisy = Compare.compare(List.of(f("a", 100, "±30%")), List.of(f("a", 50, "±1%")), 10);
        assertThat(noisy.exitCode()).isZero();
        assertThat(Compare.format(noisy)).contains("noisy", "±30.0%", "1 noisy");
    }

    @Test
    void thresholdMustBePositive() {
        assertThatThrownBy(() -> Compare.compare(List.of(), List.of(), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("compare: threshold must be > 0 percent, got 0.0");
    }
}
