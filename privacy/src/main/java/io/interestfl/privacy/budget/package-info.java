/**
 * Privacy budgets. A {@link io.interestfl.privacy.budget.PrivacyLedger} is the durable,
 * append-only record of every release (round id, mechanism), fsynced before the release happens,
 * replayed into an RDP accountant on restart, and the gate that throws
 * {@link io.interestfl.privacy.budget.PrivacyBudgetExceededException} instead of exceeding the
 * configured {@link io.interestfl.privacy.budget.PrivacyBudget}.
 */
package io.interestfl.privacy.budget;
