/**
 * Support code that generated networks call. Public only because generated classes live in the
 * user's packages; not part of the API, and it may change in any release.
 */
package dev.chainrule.internal;
