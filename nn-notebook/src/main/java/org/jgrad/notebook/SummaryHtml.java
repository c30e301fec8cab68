package org.jgrad.notebook;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A module's summary table ({@code org.jgrad.nn.Module#summary}: a header line, one line per
 * layer in fixed-width columns, then "Total parameters: N") as an HTML table, which Jupyter shows
 * beside the value's text. The columns start where the header's words do.
 */
final class SummaryHtml {

    /** Two or more spaces before a header word: where a column starts. */
    private static final Pattern GAP = Pattern.compile(" {2,}(?=\\S)");
    private static final String TOTAL = "Total parameters:";

    private SummaryHtml() {}

    /** The table as HTML, every text escaped; the last column (the parameter counts) right-aligned. */
    static String of(String summary) {
        List<String> lines = summary.lines().toList();
        List<Integer> starts = new ArrayList<>(List.of(0));
        Matcher m = GAP.matcher(lines.get(0));
        while (m.find()) starts.add(m.end());
        StringBuilder sb = new StringBuilder("<table>\n<thead>").append(row("th", cut(lines.get(0), starts))).append("</thead>\n<tbody>\n");
        String total = null;
        for (String line : lines.subList(1, lines.size())) {
            if (line.startsWith(TOTAL)) total = line;
            else if (!line.isBlank()) sb.append(row("td", cut(line, starts))).append('\n');
        }
        sb.append("</tbody>\n");
        if (total != null) {
            sb.append("<tfoot><tr><td colspan=\"").append(starts.size()).append("\" style=\"text-align:left\"><b>")
                    .append(escape(total)).append("</b></td></tr></tfoot>\n");
        }
        return sb.append("</table>\n").toString();
    }

    /** The line's columns, cut at {@code starts} and stripped. */
    private static List<String> cut(String line, List<Integer> starts) {
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            int from = Math.min(line.length(), starts.get(i));
            int to = i + 1 < starts.size() ? Math.min(line.length(), starts.get(i + 1)) : line.length();
            cells.add(line.substring(from, to).strip());
        }
        return cells;
    }

    private static String row(String tag, List<String> cells) {
        StringBuilder sb = new StringBuilder("<tr>");
        for (int i = 0; i < cells.size(); i++) {
            String align = i == cells.size() - 1 && cells.size() > 1 ? "right" : "left";
            sb.append('<').append(tag).append(" style=\"text-align:").append(align).append("\">")
                    .append(escape(cells.get(i))).append("</").append(tag).append('>');
        }
        return sb.append("</tr>").toString();
    }

    /** Text as HTML: {@code & < > "} escaped. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
