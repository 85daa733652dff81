/**
 * Deliberately broken twins of real protocols — OUTSIDE the CI group, run by hand
 * ({@code bin/lab stress --filter broken}). Each keeps the real code except for one ordering mistake
 * (a release store where a full fence or volatile store is needed) and states the forbidden outcome
 * that mistake allows. Seeing that outcome reported on this machine is the evidence that the suite can
 * catch what it claims to catch; docs/stress.md records what each twin showed.
 */
package org.lwktlab.stress.broken;
