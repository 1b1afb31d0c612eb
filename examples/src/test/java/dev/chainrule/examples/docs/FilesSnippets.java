package dev.chainrule.examples.docs;

// tag::read[]
import dev.chainrule.data.*;
// end::read[]
import dev.chainrule.examples.DiabetesNetwork;
import dev.chainrule.io.ModelFile;
import dev.chainrule.io.Safetensors;
import dev.chainrule.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The Java snippets of docs/files.md, compiled by the build; {@code DocsTest} checks that the
 * page shows exactly the tagged lines. They name files in the working directory, so they are
 * compiled, not run.
 */
final class FilesSnippets {

    private FilesSnippets() {}

    static void read() throws IOException {
        // tag::read[]
        Dataset iris = Dataset.fromCsv(Path.of("iris.csv"), CsvOption.classLabel("label"));
        iris.classNames();   // [0, 1, 2]
        iris.featureNames(); // [sepal_length_cm, sepal_width_cm, petal_length_cm, petal_width_cm]

        Dataset diabetes = Dataset.fromCsv(Path.of("diabetes.csv"), CsvOption.targets("target"));
        Dataset mnist = Dataset.fromCsv(Path.of("mnist_train.csv.gz"), CsvOption.classLabel("label"));
        // end::read[]
        System.out.println(diabetes.size() + mnist.size());
    }

    static Dataset classes(Path trainPath, Path testPath) throws IOException {
        // tag::classes[]
        Dataset train = Dataset.fromCsv(trainPath, CsvOption.classLabel("species"));
        Dataset test = Dataset.fromCsv(testPath, CsvOption.classLabel("species"),
                CsvOption.classes(train.classNames()));
        // end::classes[]
        return test;
    }

    static void splits(Dataset data) {
        // tag::splits[]
        Dataset.Split s = data.split(0.8, 7L);                               // train / test
        Dataset.ThreeWaySplit t = data.split(0.7, 0.15, 7L);                 // train / validation / test
        Dataset.Split st = data.stratifiedSplit(0.8, 7L);                    // each class keeps its share
        Dataset.ThreeWaySplit st3 = data.stratifiedSplit(0.7, 0.15, 7L);
        // end::splits[]
        System.out.println(s + " " + t + " " + st + " " + st3);
    }

    static double[] scaling(DiabetesNetwork net, Dataset data, double[] rawFeatures) throws IOException {
        // tag::scaling[]
        Dataset.Split split = data.split(0.8, 7L);
        Scaler scaler = StandardScaler.fit(split.train());     // or MinMaxScaler.fit(train), fit(train, -1, 1)
        Dataset train = scaler.transform(split.train());
        Dataset test = scaler.transform(split.test());
        Trainer.of(net).fit(train);
        ModelFile.save(net, scaler, Path.of("diabetes.model"));

        // later, elsewhere
        DiabetesNetwork fresh = new DiabetesNetwork();
        Scaler s = ModelFile.loadInto(fresh, Path.of("diabetes.model")).scaler().orElseThrow();
        double[] y = fresh.predict(s.transform(rawFeatures));
        // end::scaling[]
        System.out.println(test.size());
        return y;
    }

    static void models(IrisNetwork net, IrisNetwork fresh, Scaler scaler, Path path) throws IOException {
        // tag::models[]
        ModelFile.save(net, Path.of("iris.model"));                  // parameters and topology
        ModelFile.save(net, scaler, Path.of("iris.model"));          // with the input scaler
        ModelFile file = ModelFile.loadInto(fresh, Path.of("iris.model"));
        file.scaler();                                               // Optional<Scaler>
        ModelFile.read(path).topology();                             // inspect without a network
        // end::models[]
    }

    /** The page's checkpoint snippet uses a network {@code net} before it declares a new one. */
    static final class Checkpoints {
        IrisNetwork net = new IrisNetwork(42L);
        Dataset train;

        void run() {
            // tag::checkpoints[]
            Trainer.of(net).epochs(100).seed(7L)
                    .checkpointEvery(10, Path.of("run.ckpt"))     // after epochs 10, 20, ...
                    .fit(train);

            // after a crash, in a new process
            IrisNetwork net = new IrisNetwork();
            Trainer.of(net).epochs(100)
                    .resumeFrom(Path.of("run.ckpt"))              // parameters, epoch, seed, loss history
                    .fit(train);
            // end::checkpoints[]
        }
    }

    static void safetensors(IrisNetwork net) throws IOException {
        // tag::safetensors[]
        Safetensors.write(net, Path.of("iris.safetensors"));
        Safetensors.readInto(net, Path.of("iris.safetensors"));
        // end::safetensors[]
    }
}
