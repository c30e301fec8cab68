package org.jgrad.examples.plot;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * Shows a figure where the notebook runs: inline in Jupyter (jgrad's kernel, {@code nn-notebook}),
 * as a PNG file whose path is printed everywhere else ({@code jshell}, {@code notebooks/open.sh},
 * {@code NotebooksTest}). So a notebook cell stays plain Java that runs the same in both.
 *
 * <pre>
 * import static org.jgrad.examples.plot.Display.display;
 * display(Images.grid(Display.file("filters.png"), images, 28, 28, 4, 4, captions));  // a PNG the plot code wrote
 * display(Plot.of("loss", "epoch", "loss").line("train", x, y));                       // a chart
 * </pre>
 *
 * <p>How the picture reaches Jupyter: the kernel runs cells in a JShell whose remote JVM has
 * {@code -Djgrad.notebook=jupyter}; there a figure is printed as one line, {@link #MARKER} followed
 * by the PNG in base64, which the kernel takes out of the cell's text and sends as
 * {@code image/png} display data. Nothing else is needed between the two JVMs.
 */
public final class Display {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** Start of the line that carries a PNG to the kernel; the base64 of the PNG follows, then a newline. */
    public static final String MARKER = "\u001b[jgrad:display image/png;base64,";

    /** The system property that says the cells run under jgrad's Jupyter kernel (value {@code jupyter}). */
    public static final String MODE_PROPERTY = "jgrad.notebook";

    /** The folder for figures outside Jupyter (default {@code jgrad-out/notebooks}). */
    public static final String OUT_PROPERTY = "jgrad.notebook.out";

    private static final AtomicInteger FIGURES = new AtomicInteger();

    private Display() {}

    /**
     * Whether figures go inline to the Jupyter kernel.
     *
     * @return true in a cell run by jgrad's Jupyter kernel
     */
    public static boolean inJupyter() {
        return "jupyter".equals(System.getProperty(MODE_PROPERTY));
    }

    /**
     * A path for a figure file in the notebooks' output folder ({@code jgrad-out/notebooks}, or the
     * system property {@value #OUT_PROPERTY}), for plot code that writes PNG files.
     *
     * @param name the file name, such as {@code filters.png}
     * @return the path in the output folder
     */
    public static Path file(String name) {
        return Path.of(System.getProperty(OUT_PROPERTY, "jgrad-out/notebooks")).resolve(name);
    }

    /**
     * Shows a PNG file, such as one that {@link Images} or {@link Plot#save} wrote.
     *
     * @param png the PNG file
     * @throws UncheckedIOException when the file cannot be read (in JShell too: a figure that was not written is an error)
     * @throws IllegalArgumentException when the file is not a PNG
     */
    public static void display(Path png) {
        if (!inJupyter()) {
            if (!Files.isRegularFile(png)) throw new UncheckedIOException(new FileNotFoundException("display: no figure " + png));
            System.out.println("figure: " + png);
            return;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(png);
        } catch (IOException e) {
            throw new UncheckedIOException("display: cannot read the figure " + png + ": " + e.getMessage(), e);
        }
        show(bytes, png.toString());
    }

    /**
     * Shows a picture: inline in Jupyter, else written to {@link #file} {@code figure-N.png} and its path printed.
     *
     * @param image the picture
     */
    public static void display(BufferedImage image) {
        if (inJupyter()) {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            try {
                if (!ImageIO.write(image, "png", png)) throw new IllegalStateException("display: no PNG writer available");
            } catch (IOException e) {
                throw new UncheckedIOException(e);   // a ByteArrayOutputStream does not fail
            }
            show(png.toByteArray(), "picture");
            return;
        }
        try {
            display(Images.save(image, nextFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("display: cannot write the figure: " + e.getMessage(), e);
        }
    }

    /**
     * Shows a chart: inline in Jupyter, else written to {@link #file} {@code figure-N.png} and its path printed.
     *
     * @param plot the chart
     */
    public static void display(Plot plot) {
        display(plot.toImage());
    }

    private static Path nextFile() {
        return file("figure-" + FIGURES.incrementAndGet() + ".png");
    }

    private static void show(byte[] png, String what) {
        if (png.length < 8 || png[0] != (byte) 0x89 || png[1] != 'P' || png[2] != 'N' || png[3] != 'G') {
            throw new IllegalArgumentException("display: " + what + " is not a PNG (it does not start with the PNG signature)");
        }
        PrintStream out = System.out;
        // one write of the whole line, so no other output can land inside it
        out.print(MARKER + Base64.getEncoder().encodeToString(png) + "\n");
        out.flush();
    }
}
