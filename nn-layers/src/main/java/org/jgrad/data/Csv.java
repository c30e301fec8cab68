package org.jgrad.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jgrad.core.Tensor;

/** Reads numeric CSV files into a {@link TensorDataset}: one row per sample, one column the label. */
public final class Csv {

    private Csv() {}

    /**
     * @param header      skip the first line
     * @param labelColumn index of the label column (negative counts from the end: -1 is the last)
     */
    public static TensorDataset read(Path file, boolean header, int labelColumn) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<float[]> rows = new ArrayList<>();
        int width = -1;
        for (int i = header ? 1 : 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            String[] cells = line.split(",", -1);
            if (width < 0) width = cells.length;
            if (cells.length != width) {
                throw new IOException(file + ": line " + (i + 1) + " has " + cells.length + " columns, expected " + width);
            }
            float[] row = new float[width];
            for (int c = 0; c < width; c++) {
                try {
                    row[c] = Float.parseFloat(cells[c].strip());
                } catch (NumberFormatException e) {
                    throw new IOException(file + ": line " + (i + 1) + ", column " + (c + 1) + ": '" + cells[c] + "' is not a number");
                }
            }
            rows.add(row);
        }
        if (rows.isEmpty()) throw new IOException(file + ": no data rows");
        int label = labelColumn < 0 ? width + labelColumn : labelColumn;
        if (label < 0 || label >= width) throw new IllegalArgumentException("Csv.read: label column " + labelColumn + " is out of range for " + width + " columns");
        int n = rows.size(), d = width - 1;
        float[] x = new float[n * d], y = new float[n];
        for (int i = 0; i < n; i++) {
            float[] r = rows.get(i);
            for (int c = 0, j = 0; c < width; c++) {
                if (c == label) y[i] = r[c];
                else x[i * d + j++] = r[c];
            }
        }
        return new TensorDataset(Tensor.of(x, n, d), Tensor.of(y, n));
    }
}
