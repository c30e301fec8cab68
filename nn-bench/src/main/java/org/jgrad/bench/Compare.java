package org.jgrad.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares two reports (bigger is better). A figure moved by more than the threshold is a
 * regression or an improvement — unless its spread (the larger "±" of the two runs) exceeds the
 * threshold, in which case the change cannot be told from noise and the figure is reported as
 * noisy. Entries present on one side only are reported as missing or new. Only regressions fail.
 */
final class Compare {

    enum Status { REGRESSION, NOISY, UNIT_CHANGED, MISSING, IMPROVEMENT, NEW, UNCHANGED }

    /** One line of the comparison; baseline or current is null for NEW / MISSING. */
    record Row(String name, String unit, Figure baseline, Figure current, double changePercent, double spreadPercent, Status status) {}

    record Result(List<Row> rows, double threshold) {
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
        if (!(thresholdPercent > 0)) throw new IllegalArgumentException("compare: threshold must be > 0 percent, got " + thresholdPercent);
        Map<String, Figure> cur = new LinkedHashMap<>();
        for (Figure f : current) cur.put(f.name(), f);
        List<Row> rows = new ArrayList<>();
        for (Figure b : baseline) {
            Figure c = cur.remove(b.name());
            if (c == null) {
                rows.add(new Row(b.name(), b.unit(), b, null, Double.NaN, Double.NaN, Status.MISSING));
                continue;
            }
            if (!b.unit().equals(c.unit())) {
                // GFLOPS against ms would give a meaningless percentage: report it, do not judge it
                rows.add(new Row(b.name(), c.unit(), b, c, Double.NaN, Double.NaN, Status.UNIT_CHANGED));
                continue;
            }
            double change = b.value() == 0 ? (c.value() == 0 ? 0 : Double.POSITIVE_INFINITY) : (c.value() - b.value()) / Math.abs(b.value()) * 100;
            double spread = Math.max(nanToZero(b.spreadPercent()), nanToZero(c.spreadPercent()));
            Status s;
            if (spread > thresholdPercent) s = Status.NOISY;
            else if (change < -thresholdPercent) s = Status.REGRESSION;
            else if (change > thresholdPercent) s = Status.IMPROVEMENT;
            else s = Status.UNCHANGED;
            rows.add(new Row(b.name(), c.unit(), b, c, change, spread, s));
        }
        for (Figure c : cur.values()) rows.add(new Row(c.name(), c.unit(), null, c, Double.NaN, nanToZero(c.spreadPercent()), Status.NEW));
        rows.sort(Comparator.comparing(Row::status)); // stable: file order within a status
        return new Result(rows, thresholdPercent);
    }

    private static double nanToZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    /** A plain-text table for the log, worst news first, and a one-line verdict. */
    static String format(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-11s %-46s %18s %18s %9s %8s%n", "status", "benchmark", "baseline", "current", "change", "spread"));
        for (Row row : r.rows()) {
            sb.append(String.format(Locale.ROOT, "%-11s %-46s %18s %18s %9s %8s%n", row.status().name().toLowerCase(Locale.ROOT),
                    row.name(), value(row.baseline()), value(row.current()),
                    Double.isNaN(row.changePercent()) ? "-" : String.format(Locale.ROOT, "%+.1f%%", row.changePercent()),
                    Double.isNaN(row.spreadPercent()) ? "-" : String.format(Locale.ROOT, "±%.1f%%", row.spreadPercent())));
        }
        sb.append(String.format(Locale.ROOT, "threshold %.1f%%: %d regression(s), %d improvement(s), %d noisy, %d unchanged, %d missing, %d new, %d unit changed%n",
                r.threshold(), r.count(Status.REGRESSION), r.count(Status.IMPROVEMENT), r.count(Status.NOISY),
                r.count(Status.UNCHANGED), r.count(Status.MISSING), r.count(Status.NEW), r.count(Status.UNIT_CHANGED)));
        sb.append(r.regressed() ? "FAIL: slower beyond the threshold\n" : "OK: no regression beyond the threshold\n");
        return sb.toString();
    }

    private static String value(Figure f) {
        return f == null ? "-" : ReportFiles.number(f.value()) + " " + f.unit();
    }
}
