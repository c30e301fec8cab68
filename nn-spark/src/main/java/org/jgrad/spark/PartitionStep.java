package org.jgrad.spark;

import java.util.ArrayList;
import java.util.List;
import org.jgrad.core.Parallel;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.jgrad.train.ShardStep;

/**
 * A partition's part of one step, run on an executor: load the broadcast weights into this
 * JVM's replica of the model, run the partition's shards with {@link ShardStep} (the same
 * function the single-machine Trainer runs) and sum them over the largest whole subtrees of the
 * fixed tree inside the partition. A pure function of (weights, shards): a retried task
 * returns the same bits.
 */
final class PartitionStep implements Function<ShardWork, List<SubtreeSum>> {

    private static final long serialVersionUID = 1L;

    private final String trainer;
    private final ModelFactory models;
    private final LossFactory losses;
    private final Broadcast<float[]> weights;
    private final long version;

    PartitionStep(String trainer, ModelFactory models, LossFactory losses, Broadcast<float[]> weights, long version) {
        this.trainer = trainer;
        this.models = models;
        this.losses = losses;
        this.weights = weights;
        this.version = version;
    }

    @Override
    public List<SubtreeSum> call(ShardWork work) {
        Replicas.Replica r = Replicas.borrow(trainer, models, losses);
        r.load(version, weights.value());
        // a task has one core (spark.task.cpus = 1): its ops run on its own thread, not on jgrad's
        // worker threads, which the other tasks of this executor would contend for
        List<SubtreeSum> out = Parallel.serially(() -> {
            List<SubtreeSum> sums = new ArrayList<>();
            for (int[] node : ShardTree.nodesWithin(work.shards(), work.from(), work.to())) sums.add(sum(r, work, node[0], node[1]));
            for (SubtreeSum sum : sums) r.lend(sum.grads());
            return sums;
        });
        Replicas.giveBack(trainer, r);
        return out;
    }

    /** Shards [lo, hi) summed by the fixed tree, depth first, so at most log2(hi − lo) + 1 sums are alive. */
    private static SubtreeSum sum(Replicas.Replica r, ShardWork work, int lo, int hi) {
        if (hi - lo == 1) {
            float[][] g = r.gradients();
            ShardStep.Result res = ShardStep.run(r.model, r.loss, r.params, work.features(lo), work.labels(lo), work.batchSize(), g);
            return new SubtreeSum(lo, hi, g, res.loss(), res.correct());
        }
        int mid = ShardTree.mid(lo, hi);
        SubtreeSum left = sum(r, work, lo, mid), right = sum(r, work, mid, hi);
        ShardTree.add(left.grads(), right.grads());
        r.release(right.grads());
        return new SubtreeSum(lo, hi, left.grads(), left.loss() + right.loss(), left.correct() + right.correct());
    }
}
