package dev.chainrule.examples.docs;

import dev.chainrule.data.CsvOption;
import dev.chainrule.data.Dataset;
import dev.chainrule.data.Scaler;
import dev.chainrule.data.StandardScaler;
import dev.chainrule.train.ProgressPrinter;
import dev.chainrule.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The README's example, compiled by the build; {@code DocsTest} checks that the README shows
 * exactly the tagged lines of this file and {@link Iris}, and runs it.
 */
public final class ReadmeExample {

    private ReadmeExample() {}

    /** Trains on the CSV file {@code irisCsv} and returns the predicted species of one flower. */
    public static int run(Path irisCsv) throws IOException {
        // tag::readme[]
        Dataset iris = Dataset.fromCsv(irisCsv, CsvOption.classLabel("label"));
        Dataset.Split split = iris.stratifiedSplit(0.8, 7L);
        Scaler scaler = StandardScaler.fit(split.train());
        IrisNetwork net = new IrisNetwork(42L);                    // generated from Iris
        Trainer.of(net).learningRate(0.1).batchSize(16).epochs(200)
                .listener(ProgressPrinter.to(System.out).every(50))
                .fit(scaler.transform(split.train()));
        int species = net.predictClass(scaler.transform(new double[] {5.1, 3.5, 1.4, 0.2}));
        // end::readme[]
        return species;
    }
}
