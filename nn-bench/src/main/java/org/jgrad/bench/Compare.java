package org.jgrad.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.MannWhitneyUTest;

/**
 * Compares two reports (bigger is better), figure by figure.
 *
 * <p>When both runs kept their repetitions ({@link Figure#samples()}), a figure is a
 * <b>regression</b> when its median (the value) dropped by more than the threshold AND a one-sided
 * Mann-Whitney U test says the current samples are lower than the baseline's with
 * {@code p < alpha}; an <b>improvement</b> symmetrically (rose beyond the threshold, current
 * higher with {@code p < alpha}); <b>noisy</b> when the median moved beyond the threshold but the
 * test is not significant; <b>unchanged</b> otherwise, including a significant move within the
 * threshold (the threshold is the smallest effect worth a failure). A wide spread alone no longer
 * excuses a large drop: 5 repetitions each entirely below the baseline's are evidence, however
 * far apart they lie.
 *
 * <p>Alpha defaults to {@value #DEFAULT_ALPHA}. The test is exact for small samples without ties
 * (with ties, as in allocation figures, it uses the normal approximation with tie and continuity
 * corrections), and an exact p-value cannot go below {@code 1 / C(n+m, n)}.
 * {@code Report run --quick} times 5 repetitions ({@link Timer.Settings#QUICK}; the full suite 9)
 * and measures allocation over 5 blocks: 5 vs 5 gives at best {@code 1/252 = 0.004}, below 0.01,
 * so a clean separation is significant, one interleaved pair ({@code U = 1}, {@code p = 0.008})
 * still is and two are not ({@code p = 0.016}). 4 vs 5 reaches 0.008; 4 vs 4 only 0.014.
 * Why 0.01 rather than 0.05: the quick report has some 20 figures and one regression fails the
 * gate, so the per-figure false alarm rate adds up; before the threshold condition cuts it
 * further, noise alone could fail up to {@code 1 - 0.99^20 = 18%} of compares at 0.01 and
 * {@code 1 - 0.95^20 = 64%} at 0.05.
 *
 * <p>Fallback, the rule of reports without samples: when either side has no samples, or too few
 * for the test ever to reach alpha ({@code 1 / C(n+m, n) >= alpha}: the time budget can cut a slow
 * figure to {@link Timer#MIN_REPS} repetitions, and 3 vs 3 cannot go below 0.05; the quick
 * suite's start-up figures have 3 runs), the rule of old reports applies: when the larger spread
 * ("±") of the two exceeds the threshold the figure is noisy, else the change alone decides.
 *
 * <p>Entries present on one side only are reported as missing or new. Only regressions fail.
 */
final class Compare {

    /** The significance level of the test when none is given. */
    static final double DEFAULT_ALPHA = 0.01;

    enum Status { REGRESSION, NOISY, UNIT_CHANGED, MISSING, IMPROVEMENT, NEW, UNCHANGED }

    /**
     * One line of the comparison; baseline or current is null for NEW / MISSING. {@code pValue} is
     * the one-sided p-value in the direction the median moved, NaN when the spread rule decided.
     */
    record Row(String name, String unit, Figure baseline, Figure current, double changePercent, double spreadPercent,
               double pValue, Status status) {}

    record Result(List<Row> rows, double threshold, double alpha) {
        long count(Status s) {
            return rows.stream().filter(r -> r.status() == s).count();
        }

        boolean regressed() {
            return count(Status.REGRESSION) > 0;
        }

        /** 1 when some figure regressed beyond the threshold, else 0. */
        int exitCode() {
            return regressed() ? 1 : 0;
        }
    }

    private Compare() {}

    static Result compare(List<Figure> baseline, List<Figure> current, double thresholdPercent) {
        return compare(baseline, current, thresholdPercent, DEFAULT_ALPHA);
    }

    static Result compare(List<Figure> baseline, List<Figure> current, double thresholdPercent, double alpha) {
        if (!(thresholdPercent > 0)) throw new IllegalArgumentException("compare: threshold must be > 0 percent, got " + thresholdPercent);
        if (!(alpha > 0 && alpha < 1)) throw new IllegalArgumentException("compare: alpha must be between 0 and 1, got " + alpha);
        Map<String, Figure> cur = new LinkedHashMap<>();
        for (Figure f : current) cur.put(f.name(), f);
        List<Row> rows = new ArrayList<>();
        for (Figure b : baseline) {
            Figure c = cur.remove(b.name());
            if (c == null) {
                rows.add(new Row(b.name(), b.unit(), b, null, Double.NaN, Double.NaN, Double.NaN, Status.MISSING));
                continue;
            }
            if (!b.unit().equals(c.unit())) {
                // GFLOPS against ms would give a meaningless percentage: report it, do not judge it
                rows.add(new Row(b.name(), c.unit(), b, c, Double.NaN, Double.NaN, Double.NaN, Status.UNIT_CHANGED));
                continue;
            }
            double change = b.value() == 0 ? (c.value() == 0 ? 0 : Double.POSITIVE_INFINITY) : (c.value() - b.value()) / Math.abs(b.value()) * 100;
            double spread = Math.max(nanToZero(b.spreadPercent()), nanToZero(c.spreadPercent()));
            double p = pValue(b.sampleArray(), c.sampleArray(), change, alpha);
            Status s;
            if (Double.isNaN(p) && spread > thresholdPercent) s = Status.NOISY;       // the fallback: spread rule
            else if (Math.abs(change) <= thresholdPercent) s = Status.UNCHANGED;
            else if (!Double.isNaN(p) && p >= alpha) s = Status.NOISY;
            else s = change < 0 ? Status.REGRESSION : Status.IMPROVEMENT;
            rows.add(new Row(b.name(), c.unit(), b, c, change, spread, p, s));
        }
        for (Figure c : cur.values()) rows.add(new Row(c.name(), c.unit(), null, c, Double.NaN, nanToZero(c.spreadPercent()), Double.NaN, Status.NEW));
        rows.sort(Comparator.comparing(Row::status)); // stable: file order within a status
        return new Result(rows, thresholdPercent, alpha);
    }

    /**
     * The one-sided Mann-Whitney p-value that the current samples lie below the baseline's (a
     * drop) or above them (a rise), or NaN when a side has no samples or too few to reach alpha.
     */
    static double pValue(double[] baseline, double[] current, double changePercent, double alpha) {
        if (baseline == null || current == null || smallestP(baseline.length, current.length) >= alpha) return Double.NaN;
        AlternativeHypothesis h = changePercent < 0 ? AlternativeHypothesis.LESS_THAN : AlternativeHypothesis.GREATER_THAN;
        return MannWhitneyUTest.withDefaults().with(h).test(current, baseline).getPValue();
    }

    /** {@code 1 / C(n+m, n)}: the exact one-sided p of two samples that do not overlap at all. */
    static double smallestP(int n, int m) {
        double p = 1;
        for (int i = 1; i <= n; i++) p = p * i / (m + i);
        return p;
    }

    private static double nanToZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    /** A plain-text table for the log, worst news first, the rule and a one-line verdict. */
    static String format(Result r) {
        StringBuilder sb = new StringBuilder();
        String line = "%-11s %-46s %18s %18s %9s %8s %8s%n";
        sb.append(String.format(Locale.ROOT, line, "status", "benchmark", "baseline", "current", "change", "spread", "p"));
        for (Row row : r.rows()) {
            sb.append(String.format(Locale.ROOT, line, row.status().name().toLowerCase(Locale.ROOT),
                    row.name(), value(row.baseline()), value(row.current()),
                    Double.isNaN(row.changePercent()) ? "-" : String.format(Locale.ROOT, "%+.1f%%", row.changePercent()),
                    Double.isNaN(row.spreadPercent()) ? "-" : String.format(Locale.ROOT, "±%.1f%%", row.spreadPercent()),
                    p(row)));
        }
        sb.append(String.format(Locale.ROOT, "threshold %.1f%%, alpha %s: %d regression(s), %d improvement(s), %d noisy, %d unchanged, %d missing, %d new, %d unit changed%n",
                r.threshold(), r.alpha(), r.count(Status.REGRESSION), r.count(Status.IMPROVEMENT), r.count(Status.NOISY),
                r.count(Status.UNCHANGED), r.count(Status.MISSING), r.count(Status.NEW), r.count(Status.UNIT_CHANGED)));
        sb.append(String.format(Locale.ROOT, "rule: median moved beyond %1$.1f%% and one-sided Mann-Whitney p of the samples below %2$s:"
                + " regression / improvement; beyond but p not below %2$s: noisy%n"
                + "      p \"spread\": no samples, or too few to reach %2$s: a spread beyond %1$.1f%% makes it noisy (the rule of old reports)%n",
                r.threshold(), r.alpha()));
        sb.append(r.regressed() ? "FAIL: slower beyond the threshold\n" : "OK: no regression beyond the threshold\n");
        return sb.toString();
    }

    /** The p-value, "spread" when the spread rule judged the row, "-" when nothing was judged. */
    private static String p(Row row) {
        if (!Double.isNaN(row.pValue())) return String.format(Locale.ROOT, row.pValue() < 0.001 ? "%.1e" : "%.3f", row.pValue());
        return Double.isNaN(row.changePercent()) ? "-" : "spread";
    }

    private static String value(Figure f) {
        return f == null ? "-" : ReportFiles.number(f.value()) + " " + f.unit();
    }
}
