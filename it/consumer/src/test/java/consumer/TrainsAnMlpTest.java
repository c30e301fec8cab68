package consumer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.jgrad.core.kernels.Simd;
import org.jgrad.data.DataLoader;
import org.jgrad.data.Synthetic;
import org.jgrad.data.TensorDataset;
import org.jgrad.nn.CrossEntropyLoss;
import org.jgrad.nn.Linear;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.optim.Adam;
import org.jgrad.train.Trainer;
import org.junit.jupiter.api.Test;

/** What a user's build does with jgrad: train an MLP, with the Vector API on. */
class TrainsAnMlpTest {

    @Test
    void trainsAnMlpWithSimdOn() {
        assertTrue(Simd.ENABLED, "the documented argLine turns the Vector API kernels on");
        SplittableRandom rng = new SplittableRandom(1);
        TensorDataset spiral = Synthetic.spiral(200, 3, 0.2, 7);
        var model = new Sequential(new Linear(2, 64, rng), new ReLU(), new Linear(64, 3, rng));
        var trainer = new Trainer(model, new CrossEntropyLoss(), new Adam(model.parameters(), 0.01f)).output(null);
        List<Trainer.EpochStats> history = trainer.fit(new DataLoader(spiral, 60, true, 3), spiral, 40);
        double first = history.get(0).trainLoss(), last = history.get(history.size() - 1).trainLoss();
        assertTrue(last < first / 2, "loss fell from " + first + " to " + last);
    }
}
