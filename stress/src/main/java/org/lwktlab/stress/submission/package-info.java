/**
 * The submission queue (ipi.SubmissionQueue), the one multi-producer structure of the message design:
 * threads outside the kernel submit concurrently while the owning CPU drains, and nothing is lost,
 * duplicated, or reordered per producer; a full queue under the FAIL policy refuses with an exception
 * and the producer keeps its work.
 */
package org.lwktlab.stress.submission;
