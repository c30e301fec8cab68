package org.jgrad.notebook;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;
import org.jgrad.examples.Snippets;

/**
 * Makes a Jupyter notebook ({@code .ipynb}, without outputs) from a {@code .jsh} notebook, so the
 * {@code .jsh} stays the one source of the course. The cuts follow the notebook's own layout:
 * <ul>
 *   <li>a block of comments after a ruler ({@code // ====} or {@code // ----}), up to the closing
 *       ruler or the first line of code, is a Markdown cell: the title ({@code #}) or the section's
 *       first sentence ({@code ##}), then its text;
 *   <li>code paragraphs (separated by blank lines) are code cells, a paragraph joined to the next
 *       while the code is not complete (a method with blank lines in its body), as JShell judges it;
 *   <li>a paragraph of comments alone, between two code cells, is a Markdown cell;
 *   <li>{@code // expect} lines (the figures {@code NotebooksTest} checks) are left out.
 * </ul>
 * Run by {@code notebooks/build.sh}: {@code Convert OUT_DIR NOTEBOOK.jsh...}.
 */
public final class Convert {

    private static final Pattern RULER = Pattern.compile("^//\\s*(={10,}|-{10,})\\s*$");
    private static final Pattern EXPECT = Pattern.compile("^\\s*//\\s*expect\\b.*$");
    private static final Pattern COMMENT = Pattern.compile("^\\s*//.*$");

    private Convert() {}

    /**
     * Writes {@code OUT_DIR/NAME.ipynb} for every {@code NAME.jsh} given.
     *
     * @param args the output folder, then the {@code .jsh} files
     * @throws IOException when a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: org.jgrad.notebook.Convert OUT_DIR NOTEBOOK.jsh...");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        try (JShell shell = JShell.builder().executionEngine("local").build()) {
            for (int i = 1; i < args.length; i++) {
                Path jsh = Path.of(args[i]);
                String name = jsh.getFileName().toString().replaceFirst("\\.jsh$", "");
                Path ipynb = out.resolve(name + ".ipynb");
                Files.writeString(ipynb, toJson(cells(name, Files.readString(jsh, StandardCharsets.UTF_8), shell.sourceCodeAnalysis())),
                        StandardCharsets.UTF_8);
                System.out.println("wrote " + ipynb);
            }
        }
    }

    /** One cell: {@code markdown} or {@code code}, and its text. */
    record Cell(String type, String source) {}

    /**
     * The cells of a {@code .jsh} notebook.
     *
     * @throws IllegalArgumentException when code is not complete where a section or the file ends
     */
    static List<Cell> cells(String name, String text, SourceCodeAnalysis analysis) {
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        List<Cell> cells = new ArrayList<>();
        cells.add(new Cell("markdown", "*Made from `notebooks/" + name + ".jsh` (run it in JShell with `notebooks/open.sh "
                + name + "`); regenerate with `notebooks/build.sh`.*"));
        StringBuilder code = new StringBuilder();
        int codeLine = 0;
        List<String> paragraph = new ArrayList<>();
        for (int i = 0; i <= lines.length; i++) {
            String line = i < lines.length ? lines[i] : "";
            boolean ruler = i < lines.length && RULER.matcher(line).matches();
            if (!ruler && i < lines.length && !line.isBlank()) {
                if (paragraph.isEmpty() && code.isEmpty()) codeLine = i + 1;
                if (!EXPECT.matcher(line).matches()) paragraph.add(line);
                continue;
            }
            // a paragraph ends (blank line, ruler or end of file)
            if (!paragraph.isEmpty()) {
                boolean commentsOnly = paragraph.stream().allMatch(l -> COMMENT.matcher(l).matches());
                if (commentsOnly && code.isEmpty()) {
                    cells.add(new Cell("markdown", markdown(paragraph)));
                } else {
                    if (!code.isEmpty()) code.append("\n\n");
                    code.append(String.join("\n", paragraph));
                    if (complete(analysis, code.toString())) {
                        cells.add(new Cell("code", code.toString()));
                        code.setLength(0);
                    }
                }
                paragraph.clear();
            }
            if (ruler || i == lines.length) {
                if (!code.isEmpty()) {
                    throw new IllegalArgumentException(name + ".jsh: the code from line " + codeLine + " is not complete where "
                            + (ruler ? "the section at line " + (i + 1) + " starts" : "the file ends"));
                }
                if (ruler) {
                    boolean title = line.contains("=");
                    // the block's comments run to the closing ruler, or to the first line of code
                    // when a section has only the opening one
                    int end = i + 1;
                    while (end < lines.length && COMMENT.matcher(lines[end]).matches() && !RULER.matcher(lines[end]).matches()) end++;
                    cells.add(new Cell("markdown", heading(title, List.of(lines).subList(i + 1, end))));
                    boolean closed = end < lines.length && RULER.matcher(lines[end]).matches();
                    i = closed ? end : end - 1;
                }
            }
        }
        return cells;
    }

    private static boolean complete(SourceCodeAnalysis analysis, String code) {
        return Snippets.pieces(analysis, code).stream().allMatch(p -> p.source() != null);
    }

    /**
     * A ruler block as Markdown: the title, or the section's first sentence, as a heading, then
     * the rest of the text; "Open it with ..." (the {@code .jsh}'s own instruction) is left out.
     */
    static String heading(boolean title, List<String> block) {
        List<String> paragraphs = paragraphs(block.stream().filter(l -> !l.matches("^//\\s*Open it with.*")).toList());
        if (paragraphs.isEmpty()) return "";
        String first = paragraphs.remove(0);
        String head = first, rest = "";
        if (!title) {
            // the first sentence ends at ". " after the section number ("1. ")
            int dot = first.indexOf(". ", first.matches("^\\d+\\. .*") ? first.indexOf(". ") + 2 : 0);
            if (dot > 0) {
                head = first.substring(0, dot + 1);
                rest = first.substring(dot + 2);
            }
        }
        StringBuilder sb = new StringBuilder(title ? "# " : "## ").append(escape(head));
        if (!rest.isEmpty()) sb.append("\n\n").append(escape(rest));
        for (String p : paragraphs) sb.append("\n\n").append(escape(p));
        return sb.toString();
    }

    /** A comment paragraph as Markdown text. */
    static String markdown(List<String> comments) {
        return String.join("\n\n", paragraphs(comments).stream().map(Convert::escape).toList());
    }

    /** Comment lines without their {@code //}, joined into paragraphs (an empty {@code //} line separates them). */
    private static List<String> paragraphs(List<String> comments) {
        List<String> paragraphs = new ArrayList<>();
        StringBuilder p = new StringBuilder();
        for (String l : comments) {
            String t = l.strip().replaceFirst("^//", "").strip();
            if (t.isEmpty()) {
                if (!p.isEmpty()) paragraphs.add(p.toString());
                p.setLength(0);
            } else {
                if (!p.isEmpty()) p.append(' ');
                p.append(t.replaceAll("\\s{2,}", " "));
            }
        }
        if (!p.isEmpty()) paragraphs.add(p.toString());
        return paragraphs;
    }

    /** The notebook's text is prose with formulas such as {@code a*b} and {@code [H, W]}: nothing in it is Markdown. */
    static String escape(String s) {
        return s.replaceAll("([\\\\`*_\\[\\]<>#|])", "\\\\$1");
    }

    /** The notebook as nbformat 4 JSON, with the jgrad kernel as its kernel. */
    static String toJson(List<Cell> cells) {
        JsonObject nb = new JsonObject();
        JsonArray array = new JsonArray();
        for (Cell c : cells) {
            JsonObject cell = new JsonObject();
            cell.addProperty("cell_type", c.type());
            cell.add("metadata", new JsonObject());
            JsonArray source = new JsonArray();
            String[] lines = c.source().split("\n", -1);
            for (int i = 0; i < lines.length; i++) source.add(i + 1 < lines.length ? lines[i] + "\n" : lines[i]);
            cell.add("source", source);
            if (c.type().equals("code")) {
                cell.add("execution_count", null);
                cell.add("outputs", new JsonArray());
            }
            array.add(cell);
        }
        nb.add("cells", array);
        JsonObject metadata = new JsonObject();
        JsonObject kernelspec = new JsonObject();
        kernelspec.addProperty("name", "jgrad");
        kernelspec.addProperty("display_name", "Java (jgrad)");
        kernelspec.addProperty("language", "java");
        metadata.add("kernelspec", kernelspec);
        JsonObject language = new JsonObject();
        language.addProperty("name", "java");
        language.addProperty("file_extension", ".jshell");
        language.addProperty("mimetype", "text/x-java-source");
        language.addProperty("pygments_lexer", "java");
        metadata.add("language_info", language);
        nb.add("metadata", metadata);
        nb.addProperty("nbformat", 4);
        nb.addProperty("nbformat_minor", 4);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create().toJson(nb) + "\n";
    }
}
