/**
 * Checks a generated backward pass against finite differences of its own forward pass, the
 * standard test that hand-derived gradients are right.
 */
package dev.chainrule.check;
