package org.jgrad.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the CSV reader refuses, and how it says so: the file, the line, the column and the text. */
class CsvTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /** Float.parseFloat reads 1e39 as Infinity and -1e39 as -Infinity: the data would hold Inf without a word. */
    @Test
    void aValueBeyondTheFloatRangeIsAnErrorNamingFileLineColumnAndText() throws IOException {
        Path csv = write("big.csv", "a,b,label\n1,2,0\n3,1e39,1\n");
        assertThatThrownBy(() -> Csv.read(csv, true, -1))
                .isInstanceOf(IOException.class)
                .hasMessage(csv + ": line 3, column 2: '1e39' is out of the float range (largest magnitude 3.4028235E38)");
        Path negative = write("neg.csv", "-1e39,0\n");
        assertThatThrownBy(() -> Csv.read(negative, false, -1))
                .hasMessage(negative + ": line 1, column 1: '-1e39' is out of the float range (largest magnitude 3.4028235E38)");
    }

    @Test
    void infinityAndNaNAreErrorsUnlessNaNIsAllowedExplicitly() throws IOException {
        Path inf = write("inf.csv", "1,Infinity,0\n");
        assertThatThrownBy(() -> Csv.read(inf, false, -1))
                .isInstanceOf(IOException.class)
                .hasMessage(inf + ": line 1, column 2: 'Infinity' is not a finite number");
        Path nan = write("nan.csv", "x,y,label\n1,2,0\nNaN, 4,1\n");
        assertThatThrownBy(() -> Csv.read(nan, true, -1))
                .isInstanceOf(IOException.class)
                .hasMessage(nan + ": line 3, column 1: 'NaN' is not a finite number (missing values written as NaN"
                        + " are read only with Csv.NaNs.ALLOW)");
        // allowed on request, in feature columns: a model that imputes missing values can read them
        TensorDataset ds = Csv.read(nan, true, -1, Csv.NaNs.ALLOW);
        assertThat(ds.features().toArray()).containsExactly(1, 2, Float.NaN, 4);
        assertThat(ds.labels().toArray()).containsExactly(0, 1);
        // a label is never NaN: no loss can use it
        Path nanLabel = write("nanlabel.csv", "1,2,0\n3,4,NaN\n");
        assertThatThrownBy(() -> Csv.read(nanLabel, false, -1, Csv.NaNs.ALLOW))
                .hasMessage(nanLabel + ": line 2, column 3: 'NaN' is not a finite number (column 3 holds the labels, which"
                        + " must be finite even with Csv.NaNs.ALLOW)");
        // Inf stays an error with NaN allowed
        assertThatThrownBy(() -> Csv.read(inf, false, -1, Csv.NaNs.ALLOW))
                .hasMessage(inf + ": line 1, column 2: 'Infinity' is not a finite number");
    }

    /** Small values still read (they round to the nearest float, to 0 below 1.4e-45), as in PyTorch and NumPy. */
    @Test
    void finiteValuesReadAsBefore() throws IOException {
        Path csv = write("ok.csv", "1e-50,3.4028235e38,-2.5,7\n");
        TensorDataset ds = Csv.read(csv, false, -1);
        assertThat(ds.features().toArray()).containsExactly(0f, Float.MAX_VALUE, -2.5f);
        assertThat(ds.labels().toArray()).containsExactly(7f);
    }

    /** Was: java.nio.charset.MalformedInputException: Input length = 1 (no file, no line). */
    @Test
    void aFileThatIsNotUtf8IsNamedWithItsLine() throws IOException {
        Path latin1 = dir.resolve("latin1.csv");
        Files.write(latin1, "prix,label\n1,0\n2,1\n# caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> Csv.read(latin1, true, -1))
                .isInstanceOf(IOException.class)
                .hasMessage(latin1 + ": line 4 is not valid UTF-8 (byte 0xE9 at byte 6 of the line); save the file as UTF-8");
        // the line is counted with every line ending Files.readAllLines accepts: \n, \r\n and \r
        Path mixed = dir.resolve("mixed.csv");
        byte[] head = "a,label\r\n1,0\r2,1\n".getBytes(StandardCharsets.US_ASCII);
        byte[] bad = {'3', ',', (byte) 0xFF, '\n'};
        byte[] all = new byte[head.length + bad.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(bad, 0, all, head.length, bad.length);
        Files.write(mixed, all);
        assertThatThrownBy(() -> Csv.read(mixed, true, -1))
                .hasMessage(mixed + ": line 4 is not valid UTF-8 (byte 0xFF at byte 3 of the line); save the file as UTF-8");
    }

    @Test
    void utf8TextInAHeaderIsFine() throws IOException {
        Path csv = write("utf8.csv", "caf\u00e9,\u00e9tiquette\n1.5,1\n");
        assertThat(Csv.read(csv, true, -1).features().toArray()).containsExactly(1.5f);
    }
}
