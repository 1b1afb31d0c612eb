package dev.chainrule.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import dev.chainrule.Precision;
import dev.chainrule.internal.FloatMath;

/** How the generated code spells numbers, types and math calls in the network's precision. */
final class Numeric {

    private final Precision precision;

    Numeric(Precision precision) {
        this.precision = precision;
    }

    boolean isFloat() {
        return precision == Precision.FLOAT;
    }

    /** {@code float} or {@code double}. */
    TypeName type() {
        return isFloat() ? TypeName.FLOAT : TypeName.DOUBLE;
    }

    /** {@code float[]} or {@code double[]}. */
    ArrayTypeName array() {
        return ArrayTypeName.of(type());
    }

    /** {@code float[][]} or {@code double[][]}: the row layout every kernel uses. */
    ArrayTypeName rows() {
        return ArrayTypeName.of(array());
    }

    /** The keyword, for code written as text. */
    String keyword() {
        return isFloat() ? "float" : "double";
    }

    /** A literal: {@code literal("1")} is {@code 1f} or {@code 1.0}. */
    String literal(String decimal) {
        if (isFloat()) {
            return decimal + "f";
        }
        return decimal.contains(".") || decimal.contains("e") ? decimal : decimal + ".0";
    }

    /**
     * A constant given as a {@code double}, as a literal of the network's type that holds exactly
     * the value the network computes with: {@code (float) value} in FLOAT.
     */
    String constant(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("not a finite constant: " + value);
        }
        return isFloat() ? Float.toString((float) value) + "f" : Double.toString(value);
    }

    /** Narrows a {@code double} expression to the network's type (no cast in DOUBLE). */
    String fromDouble(String expression) {
        return isFloat() ? "(float) " + expression : expression;
    }

    /** Widens an expression of the network's type to {@code double} (no cast in DOUBLE). */
    String toDouble(String expression) {
        return isFloat() ? "(double) " + expression : expression;
    }

    /**
     * e^x in the network's type: {@code FloatMath.exp}, computed in float, in FLOAT (why: see
     * {@link FloatMath}); {@code Math.exp} in DOUBLE.
     */
    CodeBlock exp(String argument) {
        return isFloat() ? CodeBlock.of("$T.exp($L)", FloatMath.class, argument) : CodeBlock.of("Math.exp($L)", argument);
    }

    /** A {@code Math} function of one argument, in the network's type. */
    String math(String function, String argument) {
        return fromDouble("Math." + function + "(" + argument + ")");
    }
}
