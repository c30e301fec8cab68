package org.jgrad.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.jgrad.core.Tensor;
import org.jgrad.nn.Lambda;
import org.jgrad.nn.Linear;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.junit.jupiter.api.Test;

class SummaryHtmlTest {

    @Test
    void aSummaryWithShapesIsATableOfItsColumns() {
        var net = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
        String html = SummaryHtml.of(net.summary(5, 3));
        assertThat(html).startsWith("<table>\n<thead><tr><th style=\"text-align:left\">Layer</th>"
                + "<th style=\"text-align:left\">Output shape</th><th style=\"text-align:right\">Params</th></tr></thead>\n");
        assertThat(html).contains("<tr><td style=\"text-align:left\">input</td><td style=\"text-align:left\">[5, 3]</td>"
                + "<td style=\"text-align:right\"></td></tr>\n");
        assertThat(html).contains("<tr><td style=\"text-align:left\">0: Linear(3→4)</td><td style=\"text-align:left\">[5, 4]</td>"
                + "<td style=\"text-align:right\">16</td></tr>\n");
        assertThat(html).contains("<tfoot><tr><td colspan=\"3\" style=\"text-align:left\"><b>Total parameters: 26</b></td></tr></tfoot>")
                .endsWith("</table>\n");
        assertThat(html.split("<tr>", -1)).as("header, input, 3 layers, total").hasSize(7);
    }

    @Test
    void aSummaryWithoutShapesHasTwoColumns() {
        String html = SummaryHtml.of(new Sequential(new Linear(3, 4), new ReLU()).summary());
        assertThat(html).contains("<th style=\"text-align:left\">Layer</th><th style=\"text-align:right\">Params</th>")
                .contains("<td style=\"text-align:left\">1: ReLU()</td><td style=\"text-align:right\">0</td>")
                .contains("colspan=\"2\"");
    }

    @Test
    void textIsEscaped() {
        // a layer whose description has HTML's special characters, as a custom module's may
        var odd = new Lambda("Clip<0 & >1>(\"x\")", x -> x);
        String html = SummaryHtml.of(new Sequential(odd, new Linear(2, 2)).summary(1, 2));
        assertThat(html).contains("0: Clip&lt;0 &amp; &gt;1&gt;(&quot;x&quot;)").doesNotContain("Clip<").doesNotContain(" & ");
        assertThat(SummaryHtml.escape("a<b && c>\"d\"")).isEqualTo("a&lt;b &amp;&amp; c&gt;&quot;d&quot;");
    }

    @Test
    void aModuleValueIsShownAsTextAndAsHtml() {
        DisplayData module = Kernel.displayData(new Session.Value("Linear(2→2)", Optional.of(new Linear(2, 2).summary())));
        assertThat(module.getData(MIMEType.TEXT_PLAIN)).isEqualTo("Linear(2→2)");
        assertThat((String) module.getData(MIMEType.TEXT_HTML)).startsWith("<table>").contains("Linear(2→2)</td>");
        DisplayData tensor = Kernel.displayData(new Session.Value(Tensor.ones(2).toString(), Optional.empty()));
        assertThat(tensor.hasDataForType(MIMEType.TEXT_HTML)).isFalse();
        assertThat(tensor.getData(MIMEType.TEXT_PLAIN)).isEqualTo("tensor([1., 1.])");
    }
}
