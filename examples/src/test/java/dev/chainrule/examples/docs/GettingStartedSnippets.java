package dev.chainrule.examples.docs;

import static dev.chainrule.examples.IrisExample.argmax;

import dev.chainrule.check.GradientCheck;
import dev.chainrule.data.CsvOption;
import dev.chainrule.data.Dataset;
import dev.chainrule.data.Scaler;
import dev.chainrule.data.StandardScaler;
import dev.chainrule.train.Convergence;
import dev.chainrule.train.ProgressBar;
import dev.chainrule.train.Trainer;
import dev.chainrule.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The Java snippets of docs/getting-started.md, in the page's order, compiled by the build;
 * {@code DocsTest} checks that the page shows exactly the tagged lines, and runs them.
 */
public final class GettingStartedSnippets {

    private GettingStartedSnippets() {}

    /** Compiled, not run: the page reads {@code iris.csv} from the working directory. */
    static Dataset.ThreeWaySplit load() throws IOException {
        // tag::load[]
        Dataset iris = Dataset.fromCsv(Path.of("iris.csv"), CsvOption.classLabel("label"));
        Dataset.ThreeWaySplit split = iris.stratifiedSplit(0.6, 0.2, 7L);  // seeded: 90 / 30 / 30 rows
        // end::load[]
        return split;
    }

    /**
     * The page from scaling to the gradient check, on the split {@link #load} makes.
     *
     * @return the test accuracy, the class predicted for the page's flower, and the gradient
     *     check's largest scaled error
     */
    public static double[] run(Dataset.ThreeWaySplit split) {
        // tag::scale[]
        Scaler scaler = StandardScaler.fit(split.train());
        Dataset train = scaler.transform(split.train());
        Dataset validation = scaler.transform(split.validation());
        Dataset test = scaler.transform(split.test());
        // end::scale[]

        // tag::train[]
        IrisNetwork net = new IrisNetwork(42L);   // weights drawn from SplittableRandom(42), biases 0
        System.out.print(net.summary());

        TrainingResult training = Trainer.of(net)
                .learningRate(0.1)
                .batchSize(16)
                .epochs(500)                                              // the epoch budget
                .seed(7L)                                                 // the per-epoch shuffle
                .validation(validation)                                   // measured after every epoch
                .stopWhen(Convergence.noSignificantImprovement(0.001, 20))
                .listener(ProgressBar.toConsole().every(50))
                .fit(train);
        // end::train[]
        System.out.println(training.stopReason());

        // tag::evaluate[]
        int correct = 0;
        for (int row = 0; row < test.size(); row++) {
            int truth = argmax(test.targets(row));       // the one-hot target's class
            if (net.predictClass(test.features(row)) == truth) {
                correct++;
            }
        }
        double accuracy = (double) correct / test.size();
        // end::evaluate[]

        // tag::predict[]
        double[] flower = {5.1, 3.5, 1.4, 0.2};              // sepal length, width, petal length, width (cm)
        double[] p = net.predict(scaler.transform(flower));  // probabilities of the 3 species, summing to 1
        int species = net.predictClass(scaler.transform(flower));
        // end::predict[]
        System.out.println(p.length);

        // tag::parameters[]
        double[] theta = net.parameters();      // 131 values
        net.setParameters(theta);               // for example values saved earlier, or from PyTorch
        IrisNetwork twin = net.copy();          // an independent network with the same parameters
        // end::parameters[]
        System.out.println(twin.parameters().length);

        // tag::views[]
        double[][] w = net.species.weights();   // a copy, [3][16]: w[unit][input]
        double[] b = net.species.biases();      // a copy, 3 values
        net.species.setBiases(new double[3]);   // writes go straight into the network
        net.layers();                           // all three views, the input layer first
        // end::views[]
        System.out.println(w.length + b.length);

        // tag::gradients[]
        IrisNetwork fresh = new IrisNetwork(42L);
        double[][] x = {{-0.9, 1.0, -1.3, -1.3}, {0.3, -0.6, 0.5, 0.3}, {1.1, -0.1, 1.0, 1.2}};
        double[][] y = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        GradientCheck.Report report = GradientCheck.check(fresh, x, y);
        System.out.println(report);
        // end::gradients[]
        return new double[] {accuracy, species, report.maxScaledError()};
    }
}
