package org.jgrad.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import jdk.jshell.JShell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The committed {@code notebooks/*.ipynb} are what {@link Convert} makes of the {@code .jsh}
 * sources: the same cells, of the same kinds, with the same text (the outputs are not compared).
 * So a notebook edited in its {@code .jsh} without {@code notebooks/build.sh} fails here.
 */
class NotebooksInSyncTest {

    /** The notebooks folder, seen from the module directory where Surefire runs. */
    static final Path NOTEBOOKS = Path.of("..", "notebooks");

    static JShell shell;

    @BeforeAll
    static void start() {
        shell = JShell.builder().executionEngine("local").build();
    }

    @AfterAll
    static void stop() {
        shell.close();
    }

    @TestFactory
    Stream<DynamicTest> everyIpynbHasTheCellsOfItsJsh() throws IOException {
        List<Path> sources;
        try (Stream<Path> s = Files.list(NOTEBOOKS)) {
            sources = s.filter(p -> p.getFileName().toString().endsWith(".jsh")).sorted().toList();
        }
        assertThat(sources).as("notebooks in %s", NOTEBOOKS.toAbsolutePath().normalize()).isNotEmpty();
        return sources.stream().map(jsh -> dynamicTest(jsh.getFileName().toString(), () -> {
            String name = jsh.getFileName().toString().replaceFirst("\\.jsh$", "");
            Path ipynb = NOTEBOOKS.resolve(name + ".ipynb");
            assertThat(ipynb).as("notebooks/%s.ipynb (run notebooks/build.sh %s)", name, name).exists();
            List<Convert.Cell> expected = Convert.cells(name, Files.readString(jsh, StandardCharsets.UTF_8), shell.sourceCodeAnalysis());
            String drift = difference(name, expected, cells(Files.readString(ipynb, StandardCharsets.UTF_8)));
            assertThat(drift).as("notebooks/%s.ipynb against its .jsh", name).isNull();
        }));
    }

    @Test
    void aDifferenceNamesTheNotebookTheCellAndTheFix() {
        var cells = List.of(new Convert.Cell("markdown", "# Title"), new Convert.Cell("code", "int a = 1;"));
        assertThat(difference("09-x", cells, cells)).isNull();
        assertThat(difference("09-x", cells, List.of(cells.get(0), new Convert.Cell("code", "int a = 2;"))))
                .contains("notebooks/09-x.ipynb").contains("cell 2 (code)")
                .contains("int a = 1;").contains("int a = 2;").contains("run notebooks/build.sh 09-x");
        assertThat(difference("09-x", cells, List.of(cells.get(0))))
                .contains("notebooks/09-x.ipynb has 1 cells, its .jsh makes 2").contains("cell 2 (code)");
        assertThat(difference("09-x", cells, List.of(new Convert.Cell("code", "# Title"), cells.get(1))))
                .contains("cell 1 (markdown)").contains("a code cell");
        // an .ipynb as Jupyter saves it: the source as one string or as lines, with outputs beside it
        assertThat(cells("""
                {"cells": [{"cell_type": "code", "source": "int a = 1;\\nint b = 2;", "outputs": [{"output_type": "stream"}]},
                           {"cell_type": "markdown", "source": ["# Title\\n", "text"]}]}
                """)).containsExactly(new Convert.Cell("code", "int a = 1;\nint b = 2;"), new Convert.Cell("markdown", "# Title\ntext"));
    }

    /** The cells of an {@code .ipynb}: kind and text, without the outputs. */
    static List<Convert.Cell> cells(String json) {
        List<Convert.Cell> cells = new ArrayList<>();
        for (JsonElement e : JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("cells")) {
            JsonObject cell = e.getAsJsonObject();
            JsonElement source = cell.get("source");
            StringBuilder text = new StringBuilder();
            if (source.isJsonArray()) {
                for (JsonElement line : (JsonArray) source) text.append(line.getAsString());
            } else {
                text.append(source.getAsString());
            }
            cells.add(new Convert.Cell(cell.get("cell_type").getAsString(), text.toString()));
        }
        return cells;
    }

    /** Null when the committed cells are the expected ones, else where they first differ and what to run. */
    static String difference(String name, List<Convert.Cell> expected, List<Convert.Cell> committed) {
        String fix = "; run notebooks/build.sh " + name + " to regenerate it";
        for (int i = 0; i < Math.min(expected.size(), committed.size()); i++) {
            Convert.Cell want = expected.get(i), got = committed.get(i);
            if (!want.equals(got)) {
                return "notebooks/" + name + ".ipynb differs from notebooks/" + name + ".jsh at cell " + (i + 1) + " (" + want.type()
                        + "):\n--- from the .jsh ---\n" + want.source() + "\n--- in the .ipynb (a " + got.type() + " cell) ---\n"
                        + got.source() + "\n" + fix.substring(2);
            }
        }
        if (expected.size() != committed.size()) {
            int at = Math.min(expected.size(), committed.size());
            Convert.Cell first = (expected.size() > at ? expected : committed).get(at);
            return "notebooks/" + name + ".ipynb has " + committed.size() + " cells, its .jsh makes " + expected.size()
                    + "; the first one missing on one side is cell " + (at + 1) + " (" + first.type() + "): "
                    + first.source().lines().findFirst().orElse("") + fix;
        }
        return null;
    }
}
