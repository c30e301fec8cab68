package org.jgrad.spark;

import org.apache.spark.Partitioner;

/**
 * Sends the sample at position {@code pos} of an epoch's order to the partition that computes
 * its shard: partition {@code b · parts + p} for batch b, where p is the partition whose range
 * of shards ({@link ShardTree#ranges}) holds the sample's shard, as for a Dataset's batches.
 */
final class StepPartitioner extends Partitioner {

    private static final long serialVersionUID = 1L;

    private final int n, batchSize, shardSize, parts;

    StepPartitioner(int n, int batchSize, int shardSize, int parts) {
        this.n = n;
        this.batchSize = batchSize;
        this.shardSize = shardSize;
        this.parts = parts;
    }

    int batches() {
        return (n + batchSize - 1) / batchSize;
    }

    /** Samples in batch {@code b} (the last one may be short). */
    int batchLength(int b) {
        return Math.min(batchSize, n - b * batchSize);
    }

    int shards(int b) {
        return (batchLength(b) + shardSize - 1) / shardSize;
    }

    @Override
    public int numPartitions() {
        return batches() * parts;
    }

    @Override
    public int getPartition(Object key) {
        int pos = (Integer) key, b = pos / batchSize, shard = (pos % batchSize) / shardSize, shards = shards(b);
        for (int p = 0; p < parts; p++) {
            if (shard < (int) ((long) (p + 1) * shards / parts)) return b * parts + p;
        }
        throw new IllegalStateException("StepPartitioner: position " + pos + " is outside the epoch of " + n + " samples");
    }
}
