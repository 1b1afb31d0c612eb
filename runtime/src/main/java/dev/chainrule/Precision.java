package dev.chainrule;

/** The primitive type a generated network computes in. */
public enum Precision {
    /** 32-bit {@code float}: half the memory and about twice the speed of {@link #DOUBLE}. */
    FLOAT,
    /** 64-bit {@code double}. */
    DOUBLE
}
