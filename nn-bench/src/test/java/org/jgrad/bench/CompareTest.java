package org.jgrad.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
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

    /** A figure whose value is the median of its samples and whose range is their spread, as {@link Figure#of} writes it. */
    private static Figure sampled(String name, double... samples) {
        Timer.Result r = new Timer.Result(java.util.Arrays.stream(samples).sorted().toArray());
        return Figure.of(name, "GFLOPS", r, 1, null);
    }

    private static Compare.Row judge(Figure base, Figure cur) {
        return Compare.compare(List.of(base), List.of(cur), 10).rows().get(0);
    }

    /** Lognormal draws around {@code median} with a ±20%-ish spread: a noisy benchmark. */
    private static double[] noisy(SplittableRandom rnd, double median, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = median * Math.exp(0.15 * gaussian(rnd));
        return x;
    }

    private static double gaussian(SplittableRandom rnd) { // Box-Muller: SplittableRandom has no nextGaussian on JDK 17
        return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    @Test
    void aHalvingWithAWideSpreadIsARegressionNotNoise() {
        // the bug report: -48.7% passed as "noisy" because the spread (±40%) exceeded the threshold
        Figure base = sampled("g", 100, 102, 98, 140, 60), cur = sampled("g", 50, 52, 49, 70, 30);
        assertThat(base.spreadPercent()).isGreaterThan(10);
        Compare.Row row = judge(base, cur);
        assertThat(row.status()).isEqualTo(Status.REGRESSION);
        assertThat(row.changePercent()).isCloseTo(-50, within(1e-9));
        assertThat(row.pValue()).as("exact, U = 1: 2/252").isCloseTo(2.0 / 252, within(1e-12));
        Compare.Result r = Compare.compare(List.of(base), List.of(cur), 10);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(Compare.format(r)).contains("regression", "-50.0%", "±40.0%", "0.008", "alpha 0.01", "FAIL");
    }

    @Test
    void twoDrawsOfTheSameNoiseDoNotFail() {
        SplittableRandom rnd = new SplittableRandom(3);
        Figure base = sampled("g", noisy(rnd, 100, 5)), cur = sampled("g", noisy(rnd, 100, 5));
        Compare.Result r = Compare.compare(List.of(base), List.of(cur), 10);
        assertThat(r.rows().get(0).changePercent()).as("the medians of such noise move beyond 10%").isLessThan(-10);
        assertThat(r.rows().get(0).status()).isEqualTo(Status.NOISY);
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void noiseFailsAtMostAboutAlphaOfTheTime() {
        // under no change a one-sided p below 0.01 takes U of 0 or 1: probability 2/252 = 0.8% for 5 vs 5
        SplittableRandom rnd = new SplittableRandom(42);
        int draws = 2000, regressions = 0, noisy = 0;
        for (int i = 0; i < draws; i++) {
            Status s = judge(sampled("g", noisy(rnd, 100, 5)), sampled("g", noisy(rnd, 100, 5))).status();
            if (s == Status.REGRESSION) regressions++;
            if (s == Status.NOISY) noisy++;
        }
        assertThat(regressions).isLessThanOrEqualTo((int) (draws * Compare.DEFAULT_ALPHA));
        assertThat(noisy).as("the spread rule would have judged these by their change alone").isGreaterThan(draws / 10);
    }

    @Test
    void aClearRiseIsAnImprovement() {
        SplittableRandom rnd = new SplittableRandom(7);
        Compare.Row row = judge(sampled("g", noisy(rnd, 100, 5)), sampled("g", noisy(rnd, 200, 5)));
        assertThat(row.status()).isEqualTo(Status.IMPROVEMENT);
        assertThat(row.pValue()).isLessThan(Compare.DEFAULT_ALPHA);
    }

    @Test
    void aSignificantDropWithinTheThresholdIsNotARegression() {
        Figure base = sampled("g", 100, 100.5, 101, 101.5, 102), cur = sampled("g", 95, 95.5, 96, 96.5, 97);
        Compare.Row row = judge(base, cur);
        assertThat(row.pValue()).isLessThan(Compare.DEFAULT_ALPHA);
        assertThat(row.changePercent()).isCloseTo(-4.95, within(0.01));
        assertThat(row.status()).isEqualTo(Status.UNCHANGED);
    }

    @Test
    void aDropBeyondTheThresholdThatTheTestCannotConfirmIsNoisy() {
        Figure base = sampled("g", 60, 95, 100, 105, 140), cur = sampled("g", 55, 80, 85, 130, 135);
        Compare.Row row = judge(base, cur);
        assertThat(row.changePercent()).isLessThan(-10);
        assertThat(row.pValue()).isGreaterThanOrEqualTo(Compare.DEFAULT_ALPHA);
        assertThat(row.status()).isEqualTo(Status.NOISY);
    }

    @Test
    void withoutSamplesOnEitherSideTheSpreadRuleDecides() {
        Figure base = new Figure("g", "GFLOPS", 100, "±40.0%", null), cur = sampled("g", 50, 52, 49, 70, 30);
        Compare.Row row = judge(base, cur);
        assertThat(row.status()).isEqualTo(Status.NOISY);
        assertThat(row.pValue()).isNaN();
        assertThat(Compare.format(Compare.compare(List.of(base), List.of(cur), 10))).contains("spread");
        assertThat(judge(sampled("g", 100, 102, 98, 101, 99), new Figure("g", "GFLOPS", 80, "±1.0%", null)).status())
                .isEqualTo(Status.REGRESSION);
    }

    @Test
    void samplesTooFewToReachAlphaFallBackToTheSpreadRule() {
        assertThat(Compare.smallestP(5, 5)).isCloseTo(1.0 / 252, within(1e-15));
        assertThat(Compare.smallestP(3, 3)).isCloseTo(0.05, within(1e-15));
        // 3 vs 3, perfectly separated: p = 0.05 cannot pass 0.01, so the spread (±40%) decides
        Compare.Row row = judge(sampled("g", 60, 100, 140), sampled("g", 30, 50, 55));
        assertThat(row.pValue()).isNaN();
        assertThat(row.status()).isEqualTo(Status.NOISY);
        // with alpha 0.1 the same samples are tested
        Compare.Row loose = Compare.compare(List.of(sampled("g", 60, 100, 140)), List.of(sampled("g", 30, 50, 55)), 10, 0.1).rows().get(0);
        assertThat(loose.pValue()).isCloseTo(0.05, within(1e-12));
        assertThat(loose.status()).isEqualTo(Status.REGRESSION);
    }

    @Test
    void identicalAllocationSamplesAreTestedDespiteTies() {
        // allocation is often the same in every block: all ties within a run, a clean step between runs
        Figure base = new Figure("alloc", "steps/GiB", 200, "±0.0%", null, List.of(200.0, 200.0, 200.0, 200.0, 200.0));
        Figure cur = new Figure("alloc", "steps/GiB", 150, "±0.0%", null, List.of(150.0, 150.0, 150.0, 150.0, 150.0));
        assertThat(Compare.compare(List.of(base), List.of(cur), 10).rows().get(0).status()).isEqualTo(Status.REGRESSION);
        assertThat(Compare.compare(List.of(base), List.of(base), 10).rows().get(0).status()).isEqualTo(Status.UNCHANGED);
    }

    @Test
    void alphaMustBeAProbability() {
        assertThatThrownBy(() -> Compare.compare(List.of(), List.of(), 10, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("compare: alpha must be between 0 and 1, got 0.0");
    }

    @Test
    void thresholdMustBePositive() {
        assertThatThrownBy(() -> Compare.compare(List.of(), List.of(), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("compare: threshold must be > 0 percent, got 0.0");
    }
}
