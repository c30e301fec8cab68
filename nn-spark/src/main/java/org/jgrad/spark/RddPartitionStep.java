package org.jgrad.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import scala.Tuple2;

/**
 * A partition's part of one step when the samples live in an RDD: the partition holds its
 * shards' samples keyed by their position in the epoch's order (placed there by
 * {@link StepPartitioner}); sorted by position they are the rows a Dataset's batch would hold,
 * and {@link PartitionStep} runs them.
 */
final class RddPartitionStep implements Function2<Integer, Iterator<Tuple2<Integer, Sample>>, Iterator<List<SubtreeSum>>> {

    private static final long serialVersionUID = 1L;

    private final PartitionStep step;
    private final int batchStart, batchLength, shards, shardSize, parts;
    private final int[] featureShape;

    RddPartitionStep(PartitionStep step, int batchStart, int batchLength, int shards, int shardSize, int parts, int[] featureShape) {
        this.step = step;
        this.batchStart = batchStart;
        this.batchLength = batchLength;
        this.shards = shards;
        this.shardSize = shardSize;
        this.parts = parts;
        this.featureShape = featureShape;
    }

    @Override
    public Iterator<List<SubtreeSum>> call(Integer partition, Iterator<Tuple2<Integer, Sample>> samples) {
        int[] range = ShardTree.ranges(shards, parts)[partition];
        int first = range[0] * shardSize, rows = Math.min(batchLength, range[1] * shardSize) - first;
        List<Tuple2<Integer, Sample>> sorted = new ArrayList<>(Math.max(0, rows));
        samples.forEachRemaining(sorted::add);
        sorted.sort((a, b) -> Integer.compare(a._1(), b._1()));
        int row = 1;
        for (int d : featureShape) row *= d;
        float[] x = new float[Math.max(0, rows) * row], y = new float[Math.max(0, rows)];
        for (int i = 0; i < sorted.size(); i++) {
            int pos = sorted.get(i)._1();
            float[] f = sorted.get(i)._2().features();
            if (pos != batchStart + first + i || i >= rows) {
                throw new IllegalStateException("SparkTrainer: partition " + partition + " of the step at sample " + batchStart
                        + " holds the sample at position " + pos + " where it expected " + (batchStart + first + i)
                        + "; the RDD's samples changed between jobs (is its order deterministic?)");
            }
            if (f.length != row) {
                throw new IllegalArgumentException("SparkTrainer: a sample has " + f.length + " features; the feature shape "
                        + Arrays.toString(featureShape) + " needs " + row);
            }
            System.arraycopy(f, 0, x, i * row, row);
            y[i] = sorted.get(i)._2().label();
        }
        if (sorted.size() != Math.max(0, rows)) {
            throw new IllegalStateException("SparkTrainer: partition " + partition + " of the step at sample " + batchStart + " got "
                    + sorted.size() + " samples, expected " + rows + "; the RDD's samples changed between jobs (is its order deterministic?)");
        }
        return List.of(step.call(new ShardWork(range[0], range[1], shards, shardSize, batchLength, x, featureShape, y, new int[0])))
                .iterator();
    }
}
