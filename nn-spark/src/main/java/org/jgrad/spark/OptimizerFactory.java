package org.jgrad.spark;

import java.io.Serializable;
import java.util.List;
import org.jgrad.core.Tensor;
import org.jgrad.optim.Optimizer;

/**
 * Builds the optimizer over the driver model's parameters. It runs on the driver only (the
 * optimizer's state never leaves it), but is serializable like the other factories so that a
 * job can be described by values alone.
 *
 * <pre>{@code
 * jshell> OptimizerFactory sgd = params -> new SGD(params, 0.1f).momentum(0.9f);
 * }</pre>
 */
@FunctionalInterface
public interface OptimizerFactory extends Serializable {
    Optimizer<?> create(List<Tensor> params);
}
