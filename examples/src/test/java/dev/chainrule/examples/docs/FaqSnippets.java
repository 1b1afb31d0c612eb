package dev.chainrule.examples.docs;

import dev.chainrule.check.GradientCheck;
import dev.chainrule.data.Dataset;
import dev.chainrule.data.Scaler;
import dev.chainrule.data.StandardScaler;
import dev.chainrule.io.ModelFile;
import dev.chainrule.train.Convergence;
import dev.chainrule.train.Monitor;
import dev.chainrule.train.ProgressPrinter;
import dev.chainrule.train.Trainer;
import dev.chainrule.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The Java snippets of docs/faq.md, compiled by the build; {@code DocsTest} checks that the page
 * shows exactly the tagged lines, and {@code FaqSnippetsTest} runs them.
 */
final class FaqSnippets {

    private FaqSnippets() {}

    static String whichKernels() {
        // tag::kernels[]
        IrisNetwork net = new IrisNetwork(42L);
        System.out.println(net.vectorKernels() ? "Vector API kernels" : "portable kernels");
        // end::kernels[]
        return net.summary();
    }

    static double[] scale(Dataset data, double[] rawFeatures) {
        IrisNetwork net = new IrisNetwork(42L);
        // tag::scale[]
        Dataset.Split split = data.split(0.8, 7L);
        Scaler scaler = StandardScaler.fit(split.train());      // measured on the training rows only
        Dataset train = scaler.transform(split.train());
        Dataset test = scaler.transform(split.test());
        // ... train on train, measure on test; then every new input goes through the same scaler:
        double[] p = net.predict(scaler.transform(rawFeatures));
        // end::scale[]
        Trainer.of(net).fit(train);
        return new double[] {test.size(), p.length};
    }

    static TrainingResult stopping(IrisNetwork net, Dataset train, Dataset validation) {
        // tag::stop[]
        TrainingResult result = Trainer.of(net)
                .epochs(1000)                              // at most 1,000 epochs
                .validation(validation)                    // measured after every epoch
                .stopWhen(Convergence.lossBelow(0.01))     // stop when the training loss is low enough,
                .stopWhen(Convergence.noImprovement(Monitor.VALIDATION_LOSS, 1e-4, 20))  // or validation stalls,
                .restoreBest(true)                         // and end with the best validation epoch's parameters
                .listener(ProgressPrinter.to(System.out).every(100))
                .fit(train);
        System.out.println(result.stopReason());
        // end::stop[]
        return result;
    }

    static int saveAndLoad(IrisNetwork net, Scaler scaler, Path file) throws IOException {
        // tag::save[]
        ModelFile.save(net, scaler, file);                 // parameters, topology and the scaler

        IrisNetwork restored = new IrisNetwork();
        Scaler restoredScaler = ModelFile.loadInto(restored, file).scaler().orElseThrow();
        int species = restored.predictClass(restoredScaler.transform(new double[] {5.1, 3.5, 1.4, 0.2}));
        // end::save[]
        return species;
    }

    static IrisNetwork threads(IrisNetwork net, Dataset train) {
        // tag::threads[]
        IrisNetwork serving = net.copy();   // predict on this one from any number of threads ...
        Trainer.of(net).threads(2).fit(train);   // ... while this one trains on two
        // end::threads[]
        return serving;
    }

    static double gradientCheckInDouble(double[][] x, double[][] y) {
        // tag::check-double[]
        Iris64Network net = new Iris64Network(42L);
        double error = GradientCheck.maxRelativeError(net, x, y);   // below 1e-6 for a correct backward pass
        // end::check-double[]
        return error;
    }
}
