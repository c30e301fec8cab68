package org.jgrad.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import jdk.jshell.JShell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConvertTest {

    static JShell shell;

    @BeforeAll
    static void start() {
        shell = JShell.builder().executionEngine("local").build();
    }

    @AfterAll
    static void stop() {
        shell.close();
    }

    static final String JSH = """
            // ==========================================================================================
            // Notebook 9 — A title
            //
            // Open it with   notebooks/open.sh 09-x
            // What the notebook is about: a*b and [H, W].
            // ==========================================================================================

            import java.util.*;

            // ------------------------------------------------------------------------------------------
            // 1. The first section: its first sentence. More about it,
            //    on a second line.
            // ------------------------------------------------------------------------------------------
            // a comment that goes with the code
            int twice(int v) {
                int w = v;

                return 2 * w;
            }
            System.out.println(twice(21));
            // expect: 42

            // A remark between two cells.

            var list = List.of(1, 2);

            // ------------------------------------------------------------------------------------------
            // 2. A section with its opening ruler only.
            System.out.println(list);
            """;

    @Test
    void rulersMakeHeadingsParagraphsMakeCellsAndExpectationsAreLeftOut() {
        List<Convert.Cell> cells = Convert.cells("09-x", JSH, shell.sourceCodeAnalysis());
        assertThat(cells).extracting(Convert.Cell::type)
                .containsExactly("markdown", "markdown", "code", "markdown", "code", "markdown", "code", "markdown", "code");
        assertThat(cells.get(0).source()).contains("notebooks/09-x.jsh").contains("notebooks/open.sh 09-x");
        assertThat(cells.get(1).source()).isEqualTo("# Notebook 9 — A title\n\nWhat the notebook is about: a\\*b and \\[H, W\\].");
        assertThat(cells.get(2).source()).isEqualTo("import java.util.*;");
        assertThat(cells.get(3).source()).isEqualTo("## 1. The first section: its first sentence.\n\nMore about it, on a second line.");
        assertThat(cells.get(4).source()).as("a blank line inside a method does not cut it; the expect line is gone").isEqualTo("""
                // a comment that goes with the code
                int twice(int v) {
                    int w = v;

                    return 2 * w;
                }
                System.out.println(twice(21));""");
        assertThat(cells.get(5).source()).isEqualTo("A remark between two cells.");
        assertThat(cells.get(6).source()).isEqualTo("var list = List.of(1, 2);");
        assertThat(cells.get(7).source()).isEqualTo("## 2. A section with its opening ruler only.");
        assertThat(cells.get(8).source()).isEqualTo("System.out.println(list);");
        assertThat(Convert.toJson(cells)).contains("\"name\": \"jgrad\"").contains("\"outputs\": []")
                .contains("\"    return 2 * w;\\n\",");
    }

    @Test
    void codeLeftOpenAtASectionIsAnError() {
        assertThatThrownBy(() -> Convert.cells("bad", """
                void f() {
                    int a = 1;
                // ----------------------------------------
                // 2. Next
                // ----------------------------------------
                """, shell.sourceCodeAnalysis()))
                .hasMessage("bad.jsh: the code from line 1 is not complete where the section at line 3 starts");
    }
}
