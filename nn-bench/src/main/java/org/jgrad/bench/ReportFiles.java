package org.jgrad.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The report's files: {@code benchmark.json} (github-action-benchmark's customBiggerIsBetter
 * array), {@code benchmark.md} (a Markdown table for a CI summary) and {@code benchmark.svg}
 * (a bar chart, bars scaled per unit).
 */
final class ReportFiles {

    static final String JSON = "benchmark.json", MARKDOWN = "benchmark.md", SVG = "benchmark.svg";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportFiles() {}

    /** Writes the three files into {@code dir} (created if needed). */
    static void write(Path dir, List<Figure> figures, String heading) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(JSON), json(figures));
        Files.writeString(dir.resolve(MARKDOWN), markdown(figures, heading));
        Files.writeString(dir.resolve(SVG), svg(figures));
    }

    static String json(List<Figure> figures) {
        try {
            return MAPPER.writeValueAsString(figures) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a benchmark.json. Every failure names the file and says what was expected, e.g.
     * "baseline.json: entry 3 has no numeric "value"".
     */
    static List<Figure> read(Path file) {
        String what = file.toString();
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(what + ": no such file");
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage(), marker = " (start marker";
            if (msg != null && msg.contains(marker)) msg = msg.substring(0, msg.indexOf(marker));
            throw new IllegalArgumentException(what + ": not valid JSON (" + msg
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()) + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException(what + ": cannot be read (" + firstLine(e.getMessage()) + ")");
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException(what + ": expected a JSON array of {name, unit, value, range, extra}"
                    + " (github-action-benchmark customBiggerIsBetter), got " + (root == null ? "an empty file" : root.getNodeType().toString().toLowerCase(Locale.ROOT)));
        }
        List<Figure> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode e = root.get(i);
            if (!e.isObject()) throw new IllegalArgumentException(what + ": entry " + i + " is not an object");
            JsonNode name = e.get("name"), unit = e.get("unit"), value = e.get("value");
            if (name == null || !name.isTextual()) throw new IllegalArgumentException(what + ": entry " + i + " has no string \"name\"");
            if (value == null || !value.isNumber()) {
                throw new IllegalArgumentException(what + ": entry " + i + " (" + name.asText() + ") has no numeric \"value\"");
            }
            if (!names.add(name.asText())) throw new IllegalArgumentException(what + ": entry name \"" + name.asText() + "\" appears twice");
            out.add(new Figure(name.asText(), unit == null ? "" : unit.asText(), value.asDouble(), text(e.get("range")), text(e.get("extra")),
                    samples(e.get("samples"), what + ": entry " + i + " (" + name.asText() + ")")));
        }
        return out;
    }

    /** The optional "samples" array; absent (reports written before it, other tools) gives null. */
    private static List<Double> samples(JsonNode n, String where) {
        if (n == null || n.isNull()) return null;
        List<Double> out = new ArrayList<>();
        if (n.isArray()) for (JsonNode x : n) if (x.isNumber()) out.add(x.asDouble());
        if (!n.isArray() || out.size() != n.size()) throw new IllegalArgumentException(where + " has a \"samples\" that is not an array of numbers");
        return out;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Replaces figures of the same name and appends new ones, keeping the first list's order. */
    static List<Figure> merge(List<Figure> base, List<Figure> added) {
        Map<String, Figure> byName = new LinkedHashMap<>();
        for (Figure f : base) byName.put(f.name(), f);
        for (Figure f : added) byName.put(f.name(), f);
        return new ArrayList<>(byName.values());
    }

    static String markdown(List<Figure> figures, String heading) {
        StringBuilder sb = new StringBuilder();
        if (heading != null && !heading.isBlank()) sb.append(heading.strip()).append("\n\n");
        sb.append("| benchmark | value | unit | spread |\n");
        sb.append("| --- | ---: | --- | ---: |\n");
        for (Figure f : figures) {
            sb.append("| ").append(cell(f.name())).append(" | ").append(number(f.value())).append(" | ")
                    .append(cell(f.unit())).append(" | ").append(f.range() == null ? "" : cell(f.range())).append(" |\n");
        }
        return sb.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    /** 1,234.5 / 12.35 / 0.8123: about four significant digits, thousands grouped. */
    static String number(double v) {
        double a = Math.abs(v);
        if (a >= 1000) return String.format(Locale.ROOT, "%,.0f", v);
        if (a >= 100) return String.format(Locale.ROOT, "%.1f", v);
        if (a >= 1) return String.format(Locale.ROOT, "%.2f", v);
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /**
     * A horizontal bar chart, one bar per figure, bars scaled to the largest value of the same unit.
     * Written as text rather than through XChart's SVG export (measured with XChart 3.8.8 on three
     * figures): that draws every letter as a glyph outline (128 KB instead of 1 KB, names neither
     * searchable, selectable nor checkable by a test), takes a second for its first chart, and
     * needs VectorGraphics2D 0.13 (LGPL, no release since 2018) shaded into benchmarks.jar beside
     * XChart's 360 KB.
     */
    static String svg(List<Figure> figures) {
        Map<String, Double> maxByUnit = new LinkedHashMap<>();
        for (Figure f : figures) maxByUnit.merge(f.unit(), Math.max(0, f.value()), Math::max);
        int row = 22, top = 30, labelW = 360, barW = 320, width = labelW + barW + 150;
        int height = top + row * figures.size() + 10;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
        sb.append("<text x=\"10\" y=\"18\" font-weight=\"bold\">jgrad benchmarks (bigger is better; bars scaled per unit)</text>\n");
        int y = top;
        for (Figure f : figures) {
            double max = maxByUnit.get(f.unit());
            int w = max > 0 ? (int) Math.round(barW * Math.max(0, f.value()) / max) : 0;
            sb.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\">%s</text>%n", y + 15, xml(f.name())));
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"16\" fill=\"%s\"/>%n",
                    labelW, y + 3, w, f.unit().startsWith("x") ? "#d08030" : "#3070c0"));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s %s%s</text>%n", labelW + w + 6, y + 15,
                    xml(number(f.value())), xml(f.unit()), f.range() == null ? "" : " " + xml(f.range())));
            y += row;
        }
        return sb.append("</svg>\n").toString();
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
