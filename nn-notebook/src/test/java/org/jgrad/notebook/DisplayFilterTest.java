package org.jgrad.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jgrad.examples.plot.Display;
import org.junit.jupiter.api.Test;

class DisplayFilterTest {

    final List<String> events = new ArrayList<>();
    final DisplayFilter filter = new DisplayFilter(new Session.Output() {
        @Override
        public void text(String text, boolean stderr) {
            events.add(text);
        }

        @Override
        public void png(byte[] png) {
            events.add("png:" + new String(png, StandardCharsets.UTF_8));
        }
    }, false);

    void write(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        filter.write(b, 0, b.length);
    }

    @Test
    void textPassesAsItComesAndAMarkerLineBecomesAFigure() {
        String marker = Display.MARKER + Base64.getEncoder().encodeToString("PICTURE".getBytes(StandardCharsets.UTF_8)) + "\n";
        write("epoch 1\rep");
        write("och 2\n");
        assertThat(events).containsExactly("epoch 1\r", "ep", "och 2\n");
        events.clear();

        // a marker after text printed without a newline, cut anywhere, in one or in several writes
        write("loss 0.5 " + marker.substring(0, 5));
        assertThat(events).as("the text goes on; the start of a marker waits").containsExactly("loss 0.5 ");
        write(marker.substring(5, 20));
        write(marker.substring(20) + "done");
        filter.flushAll();
        assertThat(events).containsExactly("loss 0.5 ", "png:PICTURE", "done");
    }

    @Test
    void aCharacterCutBetweenTwoWritesIsNotSplit() {
        byte[] b = "a→b\n".getBytes(StandardCharsets.UTF_8);   // the arrow is 3 bytes
        filter.write(b, 0, 2);
        filter.write(b, 2, b.length - 2);
        assertThat(events).containsExactly("a", "→b\n");
        assertThat(DisplayFilter.wholeChars(b, 3)).isEqualTo(1);
        assertThat(DisplayFilter.wholeChars(b, 4)).isEqualTo(4);
    }
}
