package org.jgrad.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.zip.GZIPInputStream;

/**
 * A text as character indices over its vocabulary (the text's own characters, sorted), split into
 * a training head and a held-out tail for validation, with next-character batches of fixed-length
 * windows ({@link NameGenerator.CharBatch}): random windows from the head for training, the tail
 * cut into consecutive windows for validation.
 *
 * @param name what the text is, for messages
 * @param vocabulary the distinct characters of the text, sorted; a character's index is its token
 * @param tokens the text as indices into {@code vocabulary}
 * @param split tokens before this index are for training, the rest for validation
 */
public record CharCorpus(String name, String vocabulary, int[] tokens, int split) {

    /** The resource of {@link #shakespeare()}: see {@code shakespeare.NOTICE} beside it. */
    static final String SHAKESPEARE = "shakespeare.txt.gz";

    /**
     * The corpus of {@code text} with the last {@code validationFraction} of it held out.
     *
     * @param name what the text is, for messages
     * @param text the characters
     * @param validationFraction share of the text at its end kept for validation, in [0, 1)
     * @return the encoded text and its split
     */
    public static CharCorpus of(String name, String text, double validationFraction) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException(name + ": the validation fraction must be in [0, 1), got " + validationFraction);
        }
        String vocabulary = text.chars().distinct().sorted()
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        int[] tokens = new int[text.length()];
        for (int i = 0; i < tokens.length; i++) tokens[i] = vocabulary.indexOf(text.charAt(i));
        return new CharCorpus(name, vocabulary, tokens, (int) Math.round(text.length() * (1 - validationFraction)));
    }

    /**
     * About 300 KB of Shakespeare shipped in the resources (Coriolanus and Richard III to the end
     * of Act IV, from karpathy/char-rnn's tiny-shakespeare; public domain), the last 10 % held out.
     *
     * @return the corpus
     */
    public static CharCorpus shakespeare() {
        try (InputStream in = CharCorpus.class.getResourceAsStream(SHAKESPEARE)) {
            if (in == null) throw new IllegalStateException(SHAKESPEARE + " is missing from the resources");
            return of("shakespeare", new String(new GZIPInputStream(in).readAllBytes(), StandardCharsets.UTF_8), 0.1);
        } catch (IOException e) {
            throw new UncheckedIOException(SHAKESPEARE + ": " + e.getMessage(), e);
        }
    }

    /** The characters of the tokens. */
    public String decode(int[] indices) {
        return NameGenerator.decode(indices, vocabulary);
    }

    /**
     * {@code batch} windows of {@code length} characters at random places in the training head,
     * each with the next character as target.
     *
     * @param rng where the windows start
     * @param batch number of windows
     * @param length characters per window, the context
     * @return the inputs, targets, an all-ones mask and the token count
     */
    public NameGenerator.CharBatch trainingBatch(RandomGenerator rng, int batch, int length) {
        if (length + 1 > split) throw new IllegalArgumentException(name + ": a window of " + length + " + 1 characters does not fit in the "
                + split + " training characters");
        int[] starts = new int[batch];
        for (int i = 0; i < batch; i++) starts[i] = rng.nextInt(split - length);
        return NameGenerator.CharBatch.windows(tokens, starts, length);
    }

    /**
     * The held-out tail cut into consecutive windows of {@code length} characters (the last
     * partial one dropped), in batches of at most {@code batch} windows.
     *
     * @param batch windows per batch
     * @param length characters per window
     * @return the validation batches, empty if the tail is shorter than a window
     */
    public List<NameGenerator.CharBatch> validationBatches(int batch, int length) {
        List<Integer> starts = new ArrayList<>();
        for (int s = split; s + length < tokens.length; s += length) starts.add(s);
        List<NameGenerator.CharBatch> out = new ArrayList<>();
        for (int from = 0; from < starts.size(); from += batch) {
            out.add(NameGenerator.CharBatch.windows(tokens, starts.subList(from, Math.min(starts.size(), from + batch)).stream()
                    .mapToInt(Integer::intValue).toArray(), length));
        }
        return out;
    }
}
