package org.jgrad.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReportFilesTest {

    @TempDir
    Path dir;

    static final List<Figure> FIGURES = List.of(
            new Figure("sgemm n=1024 T=1", "GFLOPS", 123.4, "±2.5%", "JDK 17; CPU x"),
            new Figure("mlp a|b T=2", "samples/s", 45678, "±4.0%", null));

    @Test
    void jsonIsGithubActionBenchmarkCustomBiggerIsBetter() throws IOException {
        ReportFiles.write(dir, FIGURES, "### heading");
        JsonNode root = new ObjectMapper().readTree(Files.readString(dir.resolve("benchmark.json")));
        assertThat(root.isArray()).isTrue();
        assertThat(root).hasSize(2);
        JsonNode first = root.get(0);
        assertThat(first.fieldNames()).toIterable().containsExactly("name", "unit", "value", "range", "extra");
        assertThat(first.get("name").asText()).isEqualTo("sgemm n=1024 T=1");
        assertThat(first.get("unit").asText()).isEqualTo("GFLOPS");
        assertThat(first.get("value").isNumber()).isTrue();
        assertThat(first.get("value").asDouble()).isEqualTo(123.4);
        assertThat(first.get("range").asText()).isEqualTo("±2.5%");
        assertThat(first.get("extra").isTextual()).isTrue();
        assertThat(root.get(1).has("extra")).as("null extra left out").isFalse();
    }

    @Test
    void jsonRoundTrips() throws IOException {
        ReportFiles.write(dir, FIGURES, null);
        assertThat(ReportFiles.read(dir.resolve("benchmark.json"))).isEqualTo(FIGURES);
    }

    @Test
    void samplesFollowTheActionsFieldsAndRoundTrip() throws IOException {
        List<Figure> sampled = List.of(new Figure("a", "GFLOPS", 100, "±5.0%", "x", List.of(95.0, 100.0, 105.0)));
        ReportFiles.write(dir, sampled, null);
        JsonNode first = new ObjectMapper().readTree(Files.readString(dir.resolve("benchmark.json"))).get(0);
        assertThat(first.fieldNames()).toIterable().containsExactly("name", "unit", "value", "range", "extra", "samples");
        assertThat(first.get("samples").isArray()).isTrue();
        assertThat(ReportFiles.read(dir.resolve("benchmark.json"))).isEqualTo(sampled);
    }

    @Test
    void reportsWithoutSamplesStillRead() throws IOException {
        Path old = Files.writeString(dir.resolve("old.json"), "[{\"name\": \"a\", \"unit\": \"x\", \"value\": 1, \"range\": \"±3%\"}]");
        assertThat(ReportFiles.read(old)).containsExactly(new Figure("a", "x", 1, "±3%", null));
        Path bad = Files.writeString(dir.resolve("bad.json"), "[{\"name\": \"a\", \"value\": 1, \"samples\": [1, \"x\"]}]");
        assertThatThrownBy(() -> ReportFiles.read(bad)).hasMessage(bad + ": entry 0 (a) has a \"samples\" that is not an array of numbers");
    }

    @Test
    void markdownIsATableWithEscapedCells() {
        String md = ReportFiles.markdown(FIGURES, "### jgrad");
        assertThat(md).startsWith("### jgrad\n\n| benchmark | value | unit | spread |\n| --- | ---: | --- | ---: |\n");
        assertThat(md).contains("| sgemm n=1024 T=1 | 123.4 | GFLOPS | ±2.5% |\n");
        assertThat(md).contains("| mlp a\\|b T=2 | 45,678 | samples/s | ±4.0% |\n");
        assertThat(md.lines().filter(l -> l.startsWith("|"))).hasSize(4);
    }

    @Test
    void svgHasOneBarPerFigureScaledPerUnit() {
        String svg = ReportFiles.svg(List.of(new Figure("a", "GFLOPS", 100, null, null), new Figure("b<", "GFLOPS", 50, null, null),
                new Figure("c", "GB/s", 3, null, null)));
        assertThat(svg).startsWith("<svg ").endsWith("</svg>\n");
        assertThat(svg.split("<rect ", -1)).hasSize(4);
        assertThat(svg).contains("width=\"320\"").contains("width=\"160\"").contains("b&lt;");
    }

    /** The chart is well-formed XML (names with &lt; &amp; | escaped) with one bar and one name label per figure. */
    @Test
    void svgParsesAsXmlWithOneBarPerFigure() throws Exception {
        List<Figure> figures = List.of(new Figure("a<b & c", "GFLOPS", 100, "±2.0%", null), new Figure("mlp a|b T=2", "samples/s", 5e4, null, null),
                new Figure("peer \"x\"", "x vs torch", 0.8, null, null));
        var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        org.w3c.dom.Document doc = factory.newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(ReportFiles.svg(figures).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        assertThat(doc.getElementsByTagName("rect").getLength()).isEqualTo(figures.size());
        List<String> texts = new java.util.ArrayList<>();
        for (int i = 0; i < doc.getElementsByTagName("text").getLength(); i++) texts.add(doc.getElementsByTagName("text").item(i).getTextContent());
        assertThat(texts).contains("a<b & c", "mlp a|b T=2", "peer \"x\"");
    }

    @ParameterizedTest
    @CsvSource({"1234.5, '1,235'", "123.45, 123.5", "12.345, 12.35", "0.81234, 0.812"})
    void numbersKeepAboutFourDigits(double v, String text) {
        assertThat(ReportFiles.number(v)).isEqualTo(text);
    }

    @Test
    void mergeReplacesByNameAndKeepsOrder() {
        List<Figure> merged = ReportFiles.merge(FIGURES, List.of(new Figure("mlp a|b T=2", "samples/s", 1, null, null),
                new Figure("new", "x", 2, null, null)));
        assertThat(merged).extracting(Figure::name).containsExactly("sgemm n=1024 T=1", "mlp a|b T=2", "new");
        assertThat(merged.get(1).value()).isEqualTo(1);
    }

    @Test
    void malformedFilesAreRefusedNamingTheFileAndTheProblem() throws IOException {
        Path notJson = Files.writeString(dir.resolve("broken.json"), "[{\"name\": \"a\", ");
        assertThatThrownBy(() -> ReportFiles.read(notJson)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(notJson + ": not valid JSON (").hasMessageEndingWith(" at line 1, column 16)");
        Path object = Files.writeString(dir.resolve("object.json"), "{\"name\": \"a\"}");
        assertThatThrownBy(() -> ReportFiles.read(object)).hasMessage(object
                + ": expected a JSON array of {name, unit, value, range, extra} (github-action-benchmark customBiggerIsBetter), got object");
        Path noValue = Files.writeString(dir.resolve("novalue.json"), "[{\"name\": \"a\", \"unit\": \"x\", \"value\": \"fast\"}]");
        assertThatThrownBy(() -> ReportFiles.read(noValue)).hasMessage(noValue + ": entry 0 (a) has no numeric \"value\"");
        Path noName = Files.writeString(dir.resolve("noname.json"), "[{\"value\": 1}]");
        assertThatThrownBy(() -> ReportFiles.read(noName)).hasMessage(noName + ": entry 0 has no string \"name\"");
        Path twice = Files.writeString(dir.resolve("twice.json"), "[{\"name\": \"a\", \"value\": 1}, {\"name\": \"a\", \"value\": 2}]");
        assertThatThrownBy(() -> ReportFiles.read(twice)).hasMessage(twice + ": entry name \"a\" appears twice");
        Path empty = Files.writeString(dir.resolve("empty.json"), "");
        assertThatThrownBy(() -> ReportFiles.read(empty)).hasMessageStartingWith(empty + ": expected a JSON array");
        Path missing = dir.resolve("missing.json");
        assertThatThrownBy(() -> ReportFiles.read(missing)).hasMessage(missing + ": no such file");
    }
}
