package dev.chainrule.data;

/**
 * A fitted, immutable transformation of the features, applied the same way to every dataset and
 * to every sample the network will ever see. Fit it on the training part only, so that nothing
 * about the held-out rows leaks into training, then apply it to all parts and to each input at
 * prediction time:
 *
 * <pre>{@code
 * Dataset.Split split = data.split(0.8, 7L);
 * Scaler scaler = StandardScaler.fit(split.train());
 * Dataset train = scaler.transform(split.train());
 * Dataset test = scaler.transform(split.test());
 * ... train the network ...
 * ModelFile.save(net, scaler, path);                 // the scaler travels with the model
 * double[] p = net.predict(scaler.transform(rawFeatures));
 * }</pre>
 *
 * <p>Why scale at all: a small network with tanh or sigmoid units fed raw values in the hundreds
 * (pixel intensities, blood pressures, areas) saturates its units at once, its gradients vanish,
 * and it "always predicts one class". Features of similar, small magnitude train quickly with
 * the default learning rates.
 *
 * <p>The two kinds are {@link StandardScaler} and {@link MinMaxScaler}; both are per feature and
 * affine, and a model file stores either ({@code ModelFile.save(model, scaler, path)}).
 */
public sealed interface Scaler permits StandardScaler, MinMaxScaler {

    /** The number of features the scaler was fitted on; it transforms only rows of that width. */
    int featureCount();

    /**
     * Scales one sample's features into a new array, as the network's training data was scaled.
     *
     * @throws IllegalArgumentException if {@code features} does not have {@link #featureCount()}
     *     elements
     */
    default double[] transform(double[] features) {
        double[] out = features.clone();
        transformInPlace(out);
        return out;
    }

    /**
     * Scales one sample's features in place, allocating nothing: for prediction loops.
     *
     * @throws IllegalArgumentException if {@code features} does not have {@link #featureCount()}
     *     elements
     */
    void transformInPlace(double[] features);

    /**
     * A dataset with every row's features scaled and the targets, class names and feature names
     * unchanged.
     *
     * @throws IllegalArgumentException if the dataset's feature count differs from the scaler's
     */
    Dataset transform(Dataset data);
}
