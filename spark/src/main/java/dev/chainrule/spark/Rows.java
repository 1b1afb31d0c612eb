package dev.chainrule.spark;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a DataFrame's feature and target columns as {@link Sample}s. The schema is checked on
 * the driver, before any job; a bad value in a row (a null, a class index out of range) is
 * raised as {@link BadRow} while the data are first read, which {@link Block} turns into a
 * message naming the row, so Spark does not retry a task that can never succeed.
 */
final class Rows {

    /** A row that cannot be a sample; carries the reason. */
    static final class BadRow extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRow(String message) {
            super(message, null, false, false);
        }
    }

    private Rows() {}

    static JavaRDD<Sample> samples(org.apache.spark.sql.Dataset<Row> frame, String featuresColumn,
            String targetsColumn, int outputs) {
        StructType schema = frame.schema();
        DataType features = column(schema, featuresColumn, "features");
        DataType targets = column(schema, targetsColumn, "targets");
        if (!isNumericArray(features)) {
            throw new IllegalArgumentException("the features column '" + featuresColumn + "' is "
                    + features.simpleString() + ", but must be an array of numbers (Spark ML vectors convert with"
                    + " org.apache.spark.ml.functions.vector_to_array)");
        }
        boolean scalarTarget = targets instanceof NumericType;
        if (!scalarTarget && !isNumericArray(targets)) {
            throw new IllegalArgumentException("the targets column '" + targetsColumn + "' is "
                    + targets.simpleString() + ", but must be a number (a value, or a class index for a network with"
                    + " several outputs) or an array of numbers (one per output)");
        }
        String f = featuresColumn;
        String t = targetsColumn;
        return frame.select(featuresColumn, targetsColumn).javaRDD().map(row -> {
            double[] x = numbers(row, 0, f);
            double[] y = scalarTarget ? scalarTarget(row, t, outputs) : numbers(row, 1, t);
            return new Sample(x, y);
        });
    }

    private static DataType column(StructType schema, String name, String role) {
        for (StructField field : schema.fields()) {
            if (field.name().equals(name)) {
                return field.dataType();
            }
        }
        throw new IllegalArgumentException("the DataFrame has no " + role + " column '" + name + "'; its columns are "
                + Arrays.toString(schema.fieldNames()) + " (choose others with SparkTrainer.columns(features, targets))");
    }

    private static boolean isNumericArray(DataType type) {
        return type instanceof ArrayType array && array.elementType() instanceof NumericType;
    }

    private static double[] numbers(Row row, int index, String column) {
        if (row.isNullAt(index)) {
            throw new BadRow("has a null '" + column + "'");
        }
        List<Object> values = row.getList(index);
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = values.get(i);
            if (v == null) {
                throw new BadRow("has a null at index " + i + " of '" + column + "'");
            }
            out[i] = ((Number) v).doubleValue();
        }
        return out;
    }

    /** One number: the value of a one-output network, else a class index made one-hot. */
    private static double[] scalarTarget(Row row, String column, int outputs) {
        if (row.isNullAt(1)) {
            throw new BadRow("has a null '" + column + "'");
        }
        double v = ((Number) row.get(1)).doubleValue();
        if (outputs == 1) {
            return new double[] {v};
        }
        if (v != Math.rint(v) || v < 0 || v >= outputs) {
            throw new BadRow("has '" + column + "' = " + v + ", which is not a class index 0.." + (outputs - 1)
                    + " for the network's " + outputs + " outputs");
        }
        double[] oneHot = new double[outputs];
        oneHot[(int) v] = 1.0;
        return oneHot;
    }
}
