package org.jgrad.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kernel's evaluation without Jupyter: one JShell session (a remote JVM) shared by the tests. */
class SessionTest {

    /** What the cells printed and showed, in order: text as it came, a figure as "[png N bytes]". */
    static final List<String> events = new ArrayList<>();
    static final List<byte[]> figures = new ArrayList<>();
    static Session session;

    @BeforeAll
    static void start() {
        session = new Session(System.getProperty("java.class.path"), List.of("-Djgrad.small=true"), new Session.Output() {
            @Override
            public void text(String text, boolean stderr) {
                events.add((stderr ? "err:" : "") + text);
            }

            @Override
            public void png(byte[] png) {
                figures.add(png);
                events.add("[png " + png.length + " bytes]");
            }
        });
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    @BeforeEach
    void clear() {
        events.clear();
        figures.clear();
    }

    static String printed() {
        return String.join("", events);
    }

    /** The text of the cell's value. */
    static Optional<String> value(String cell) throws CellException {
        return session.eval(cell).map(Session.Value::text);
    }

    @Test
    void aCellPrintsAndEndsWithTheValueOfItsLastExpression() throws CellException {
        assertThat(value("""
                int a = 20;
                // a comment between snippets
                System.out.println("a = " + a);
                a + 1
                """)).contains("21");
        assertThat(printed()).isEqualTo("a = 20\n");
        assertThat(value("a * 2;")).as("a later cell sees the earlier one's variables").contains("40");
        assertThat(value("int b = a;")).as("a declaration has no value to show").isEmpty();
        assertThat(value("System.err.println(\"careful\")")).isEmpty();
        assertThat(events).contains("err:careful\n");
    }

    @Test
    void aTensorShowsAsPyTorchPrintsIt() throws CellException {
        assertThat(value("""
                import org.jgrad.core.*;
                Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).mul(2f)
                """)).hasValueSatisfying(v -> assertThat(v).startsWith("tensor([[2., 4.],").contains("[6., 8.]])"));
    }

    @Test
    void theCellsJvmHasTheVectorApiAndTheSmallSetting() throws CellException {
        assertThat(value("ModuleLayer.boot().findModule(\"jdk.incubator.vector\").isPresent() + \" \" + Boolean.getBoolean(\"jgrad.small\")"))
                .contains("\"true true\"");
    }

    @Test
    void aCompileErrorNamesTheLineAndTheCompilersMessage() {
        assertThatThrownBy(() -> session.eval("""
                var x = 1;
                var y = x.squre();
                """)).isInstanceOfSatisfying(CellException.class, e -> {
            assertThat(e.kind()).isEqualTo("CompileError");
            assertThat(e.getMessage()).startsWith("line 2 `var y = x.squre();` does not compile: ");
            assertThat(String.join("\n", e.details())).contains("int cannot be dereferenced").contains("at: var y = x.squre();");
        });
    }

    @Test
    void anExceptionStopsTheCellAndShowsItsClassMessageAndFrames() throws CellException {
        assertThatThrownBy(() -> session.eval("""
                int zero = 0;
                System.out.println("before");
                int q = 1 / zero;
                System.out.println("never printed");
                """)).isInstanceOfSatisfying(CellException.class, e -> {
            assertThat(e.kind()).isEqualTo("ArithmeticException");
            assertThat(e.getMessage()).isEqualTo("line 3 `int q = 1 / zero;` threw java.lang.ArithmeticException: / by zero");
            assertThat(e.details()).last().asString().matches("    at the snippet \\(JShell #\\d+\\), its line 1");
        });
        assertThat(printed()).isEqualTo("before\n");

        session.eval("void check(int v) {\n  if (v < 0) throw new IllegalArgumentException(\"negative: \" + v);\n}");
        assertThatThrownBy(() -> session.eval("check(-1);")).isInstanceOfSatisfying(CellException.class, e -> {
            assertThat(e.getMessage()).isEqualTo("line 1 `check(-1);` threw java.lang.IllegalArgumentException: negative: -1");
            assertThat(e.details().get(1)).matches("    at check \\(declared in JShell snippet #\\d+\\), line 2");
        });
        assertThatThrownBy(() -> session.eval("void f() {\n  System.out.println(1);\n")).isInstanceOfSatisfying(CellException.class,
                e -> assertThat(e.getMessage()).startsWith("the cell ends inside a snippet that starts at line 1 `void f() {`"));
        assertThatThrownBy(() -> session.eval("var z = undefinedHelper();")).isInstanceOf(CellException.class)
                .hasMessageContaining("cannot find symbol");
    }

    @Test
    void aFigureArrivesAsPngBetweenTheTextAroundIt() throws CellException {
        session.eval("""
                import java.awt.image.BufferedImage;
                import static org.jgrad.examples.plot.Display.display;
                System.out.print("before ");
                display(new BufferedImage(30, 20, BufferedImage.TYPE_INT_RGB));
                System.out.println("after");
                """);
        assertThat(figures).hasSize(1);
        assertThat(figures.get(0)).startsWith(0x89, 'P', 'N', 'G');
        assertThat(printed()).matches("before \\[png \\d+ bytes\\]after\n");
    }

    @Test
    void aModuleAlsoBringsItsSummaryAndNothingElseDoes() throws CellException {
        var module = session.eval("""
                import org.jgrad.nn.*;
                var net = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
                net
                """);
        assertThat(module).hasValueSatisfying(v -> {
            assertThat(v.text()).startsWith("Sequential(\n  (0): Linear(3→4)");
            assertThat(v.summary()).hasValueSatisfying(s -> assertThat(s).contains("0: Linear(3→4)  16").endsWith("Total parameters: 26\n"));
        });
        assertThat(session.eval("new ReLU()")).hasValueSatisfying(v -> assertThat(v.summary()).hasValue(
                "Layer   Params\nReLU()  0\nTotal parameters: 0\n"));
        assertThat(session.eval("org.jgrad.core.Tensor.ones(2)")).hasValueSatisfying(v -> assertThat(v.summary()).isEmpty());
        assertThat(session.eval("\"Linear(3)\"")).hasValueSatisfying(v -> assertThat(v.summary()).isEmpty());
        assertThat(session.eval("Math.max(3, 4)")).hasValueSatisfying(v -> assertThat(v.summary()).isEmpty());
        // the question asked of the remote JVM leaves nothing behind in the session
        assertThat(value("net.numParameters()")).contains("26");
        assertThat(session.analysis().completionSuggestions("module", 6, new int[1])).isEmpty();
    }
}
