package org.jgrad.optim;

import java.util.Map;

/**
 * A learning-rate scheduler whose position can be saved and restored, so that training resumed
 * from a {@link org.jgrad.io.Checkpoint} continues the schedule where it stopped instead of
 * starting it over. {@link LRScheduler} and {@link ReduceLROnPlateau} are schedulers.
 *
 * <p>The state is a few numbers under PyTorch's names ({@code last_epoch}, {@code base_lrs.<g>};
 * {@code best}, {@code num_bad_epochs}, {@code cooldown_counter}) written as decimal strings,
 * which round-trip exactly ({@link Float#toString}, {@link Double#toString}). Options given to
 * the constructor (step size, γ, patience, …) are not state: rebuild the scheduler with the same
 * code, then load. The optimizer's current rates are the optimizer's state, not the scheduler's.
 *
 * <pre>{@code
 * jshell> var s = new StepLR(opt, 30, 0.1f); s.step(); s.stateDict()
 * $2 ==> {last_epoch=1, base_lrs.0=0.1}
 * }</pre>
 */
public interface Scheduler {

    /**
     * The scheduler's position, as decimal strings under PyTorch's names.
     *
     * @return a new map from entry name to value
     */
    Map<String, String> stateDict();

    /**
     * Restores what {@link #stateDict()} returned. Every entry is checked before anything
     * changes; a missing, unexpected or bad one is an {@link IllegalArgumentException} naming
     * it, its value and what was expected.
     *
     * @param state what {@link #stateDict()} returned
     */
    void loadStateDict(Map<String, String> state);

}
