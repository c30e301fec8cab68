package org.jgrad.spark;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.core.Tensor;
import org.jgrad.nn.Loss;
import org.jgrad.nn.Module;

/**
 * The models of an executor JVM, built from the factory once and kept for the next steps: one
 * replica per task running at the same time (a task borrows one for itself, so no two tasks
 * write one model's weights), keyed by the trainer that owns them. A replica loads the broadcast
 * weights only when their version changed since it last ran.
 */
final class Replicas {

    private Replicas() {}

    /** Trainers whose replicas are kept; an older one's are dropped (a JVM rarely serves more). */
    private static final int TRAINERS = 4;

    private static final Map<String, ArrayDeque<Replica>> POOLS = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Replica>> eldest) {
            return size() > TRAINERS;
        }
    };

    static final class Replica {
        final Module model;
        final Loss loss;
        final Tensor[] params;
        private final List<Tensor> state;
        private long version = -1;
        /**
         * Gradient arrays, one set per shard, reused from step to step (fresh ones for every shard
         * were megabytes of new heap per step, which the executor's compute paid for in page
         * touches and collections): a leaf takes a set, a subtree sum frees its right half's, and
         * the sets a task returns stay lent to Spark until the next step's weights arrive — by then
         * the driver has collected every result of the step before.
         */
        private final ArrayDeque<float[][]> free = new ArrayDeque<>();
        private final List<float[][]> lent = new ArrayList<>();

        Replica(ModelFactory models, LossFactory losses) {
            model = models.create();
            model.train();
            loss = losses.create();
            params = model.parameters().toArray(new Tensor[0]);
            state = List.copyOf(model.stateDict().values());
        }

        /** Copies the flat weights (the state dict's tensors in order) in, unless this version is loaded. */
        void load(long v, float[] flat) {
            if (v == version) return;
            free.addAll(lent);
            lent.clear();
            long total = 0;
            for (Tensor t : state) total += t.numel();
            if (total != flat.length) {
                throw new IllegalStateException("SparkTrainer: the model factory built a model of " + total + " values on an executor"
                        + " but the driver sent " + flat.length + ": the factory must build the same architecture every time");
            }
            int at = 0;
            for (Tensor t : state) {
                System.arraycopy(flat, at, t.data(), 0, t.numel());
                at += t.numel();
            }
            version = v;
        }

        /** A set of arrays shaped like the parameters, to be overwritten by a shard's gradients. */
        float[][] gradients() {
            if (!free.isEmpty()) return free.pop();
            float[][] g = new float[params.length][];
            for (int p = 0; p < g.length; p++) g[p] = new float[params[p].numel()];
            return g;
        }

        /** A set no longer read (the right half of a subtree sum). */
        void release(float[][] g) {
            free.push(g);
        }

        /** A set that a task result holds: reused from the next step on. */
        void lend(float[][] g) {
            lent.add(g);
        }
    }

    /** A replica for this task alone: a kept one if free, else a new one from the factories. */
    static Replica borrow(String trainer, ModelFactory models, LossFactory losses) {
        synchronized (POOLS) {
            ArrayDeque<Replica> pool = POOLS.get(trainer);
            if (pool != null && !pool.isEmpty()) return pool.pop();
        }
        return new Replica(models, losses);
    }

    /** Keeps a replica whose task finished normally (a failed task's replica is dropped). */
    static void giveBack(String trainer, Replica r) {
        synchronized (POOLS) {
            POOLS.computeIfAbsent(trainer, k -> new ArrayDeque<>()).push(r);
        }
    }
}
